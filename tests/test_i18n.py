"""Every message a user can see has a Vietnamese and an English translation."""

from i18ndude.catalog import MessageCatalog
from pathlib import Path
from thidua import _
from zope.i18n import translate

import pytest
import shutil


REPO = Path(__file__).resolve().parents[1]
LOCALES = REPO / "src" / "thidua" / "locales"
LANGUAGES = ("vi", "en")


def msgids(path):
    return {msgid for msgid in MessageCatalog(filename=str(path)) if msgid}


def test_pot_is_up_to_date(tmp_path, run_python):
    """`make i18n` was run after the last change to a translatable string."""
    pot = tmp_path / "thidua.pot"
    shutil.copy(LOCALES / "thidua.pot", pot)
    result = run_python(
        "-c",
        "import sys; from i18ndude.script import main; sys.exit(main())",
        "rebuild-pot",
        "--pot",
        str(pot),
        "--create",
        "thidua",
        str(REPO / "src" / "thidua"),
        str(REPO / "profiles"),
    )
    assert result.returncode == 0, result.stderr
    assert msgids(pot) == msgids(LOCALES / "thidua.pot")


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_complete(language):
    catalogue = MessageCatalog(filename=str(LOCALES / language / "LC_MESSAGES" / "thidua.po"))
    expected = msgids(LOCALES / "thidua.pot")
    assert expected <= set(catalogue)
    untranslated = sorted(m for m in expected if not catalogue[m].msgstr.strip())
    assert untranslated == []


def test_vietnamese_is_served(portal):
    message = _("Emulation and commendation (thidua)")
    assert translate(message, target_language="vi") == "Thi đua - Khen thưởng (thidua)"
    assert translate(message, target_language="en") == "Emulation and commendation (thidua)"


def test_role_and_workflow_titles_in_the_plone_domain(portal):
    """Plone translates role and workflow titles in its own domain, where its
    Vietnamese catalogue knows none of ours: thidua ships them (plone.po)."""
    from thidua.chains.guards import GUARDS
    from thidua.chains.loader import chain_files
    from thidua.chains.loader import load_chain
    from thidua.chains.titles import msgid
    from thidua.roles import ROLES

    titles = set(ROLES)
    for path in chain_files():
        chain = load_chain(path.read_text(encoding="utf-8"), path.name, GUARDS)
        titles.add(msgid(chain["title"]))
        titles |= {msgid(state["title"]) for state in chain["states"].values()}
        titles |= {msgid(transition["title"]) for transition in chain["transitions"].values()}
    untranslated = sorted(
        title for title in titles if translate(title, domain="plone", target_language="vi") == title
    )
    assert untranslated == []
    assert translate("CouncilSecretary", domain="plone", target_language="vi") == (
        "Thường trực Hội đồng"
    )
    assert translate("UnitOfficer", domain="plone", target_language="en") == (
        "Unit emulation officer"
    )


@pytest.mark.parametrize(
    "domain,msgid,expected",
    [
        ("plone", "Settings", "Thiết lập"),
        ("plone", "label_leadimage", "Ảnh đại diện"),
        ("plone", "by", "bởi"),
        ("plone", "Save", "Lưu"),
        ("z3c.form", "no", "không"),
        ("z3c.form", "No value", "Chưa chọn"),
        ("widgets", "Select", "Chọn"),  # the content browser, on relation fields
        ("plone", "Current Content", "Nội dung hiện tại"),
    ],
)
def test_plone_words_on_thidua_pages_in_vietnamese(portal, domain, msgid, expected):
    """Words of Plone and z3c.form that thidua's pages show and that their own
    Vietnamese catalogues leave empty: thidua ships them."""
    assert translate(msgid, domain=domain, target_language="vi") == expected
