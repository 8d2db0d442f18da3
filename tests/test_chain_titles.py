"""Chain, state and transition titles in both languages (issue 12, item 3): the
chain files write them as {vi, en}; the chain choice, the live workflows
(Plone's plone domain), the diagrams and the chains panel show them in the
reader's language; the checker's messages are translated."""

from plone import api
from plone.app.testing import setRoles
from thidua.chains import catalogue
from thidua.chains.guards import GUARDS
from thidua.chains.loader import chain_files
from thidua.chains.loader import ChainError
from thidua.chains.loader import load_chain
from thidua.chains.svg import to_svg
from thidua.chains.titles import in_language
from thidua.chains.titles import msgid
from zope.component import getUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory

import pytest
import requests
import transaction


FULL = "thidua_candidate_workflow"
SHIPPED = {path.stem: path for path in chain_files()}


def chain(name):
    path = SHIPPED[name]
    return load_chain(path.read_text(encoding="utf-8"), path.name, GUARDS)


def test_every_shipped_title_is_written_in_both_languages():
    for name in SHIPPED:
        loaded = chain(name)
        titles = [loaded["title"]]
        titles += [state["title"] for state in loaded["states"].values()]
        titles += [step["title"] for step in loaded["transitions"].values()]
        for title in titles:
            assert isinstance(title, dict) and title["vi"] and title["en"], (name, title)


def test_a_plain_title_is_still_accepted():
    text = SHIPPED[FULL].read_text(encoding="utf-8")
    plain = text.replace('title: {vi: "Bản nháp", en: Draft}', "title: Nháp", 1)
    loaded = load_chain(plain, "plain.yaml", GUARDS)
    assert loaded["states"]["draft"]["title"] == "Nháp"
    assert msgid("Nháp") == "Nháp"


def test_a_title_with_one_language_is_refused():
    text = SHIPPED[FULL].read_text(encoding="utf-8")
    bad = text.replace('title: {vi: "Bản nháp", en: Draft}', "title: {vi: Nháp}", 1)
    with pytest.raises(ChainError) as raised:
        load_chain(bad, "bad.yaml", GUARDS)
    assert raised.value.field == "states.draft.title"
    assert translate(raised.value.message, target_language="vi") == (
        "một văn bản, hoặc bản tiếng Việt và tiếng Anh dạng {vi: ..., en: ...}"
    )


def test_the_plone_catalogues_are_what_the_files_say():
    """`make i18n` (python -m thidua.chains.catalogue) was run after the last change."""
    for language in catalogue.LANGUAGES:
        assert catalogue.written_part(language)[1] == catalogue.generated(language)


def test_live_titles_are_translated_in_the_plone_domain(portal):
    workflows = api.portal.get_tool("portal_workflow")
    full = chain(FULL)
    live = workflows[FULL]
    assert live.title == "Candidate approval, with public notice"
    assert translate(live.title, domain="plone", target_language="vi") == full["title"]["vi"]
    for state_id, state in full["states"].items():
        title = live.states[state_id].title
        assert translate(title, domain="plone", target_language="vi") == state["title"]["vi"]
    for step_id, step in full["transitions"].items():
        title = live.transitions[step_id].title
        assert translate(title, domain="plone", target_language="vi") == step["title"]["vi"]


@pytest.mark.parametrize(
    "language,title",
    [
        ("vi", "Xét duyệt điển hình tiên tiến, có công khai lấy ý kiến"),
        ("en", "Candidate approval, with public notice"),
    ],
)
def test_the_chain_choice_is_in_the_readers_language(portal, language, title):
    portal.REQUEST["LANGUAGE"] = language
    vocabulary = getUtility(IVocabularyFactory, "thidua.candidate_chains")(portal)
    assert vocabulary.getTerm(FULL).title == title


def test_a_diagram_is_titled_in_the_readers_language():
    full = chain(FULL)
    vietnamese, english = to_svg(full, "vi"), to_svg(full, "en")
    assert ">Xét duyệt điển hình tiên tiến, có công khai lấy ý kiến</title>" in vietnamese
    assert ">Bản nháp</text>" in vietnamese and ">Gửi</text>" in vietnamese
    assert ">Draft</text>" not in vietnamese
    assert ">Draft</text>" in english and ">Submit</text>" in english
    assert in_language(full["states"]["under_review"]["title"], "vi") == "Đang xét chọn"


def test_the_chain_panel_titles_steps_in_vietnamese(portal):
    """The chain panel and the worklist show the live titles through the plone domain."""
    workflows = api.portal.get_tool("portal_workflow")
    title = workflows.getTitleForStateOnType("public_notice", "Candidate")
    assert translate(title, domain="plone", target_language="vi") == "Đang công khai"


ADMIN = ("titles-admin", "secret-pw")


@pytest.fixture
def panel(functional_portal):
    api.user.create(email="titles@example.vn", username=ADMIN[0], password=ADMIN[1])
    setRoles(functional_portal, ADMIN[0], ["Member", "Site Administrator"])
    transaction.commit()
    return f"{functional_portal.absolute_url()}/@@thidua-chains"


@pytest.mark.parametrize(
    "language,words,absent",
    [
        (
            "vi",
            [
                "Xét duyệt điển hình tiên tiến, có công khai lấy ý kiến",
                ">Bản nháp</text>",
                ">Trả lại để hoàn thiện</text>",
            ],
            ">Draft</text>",
        ),
        (
            "en",
            [
                "Candidate approval, with public notice",
                ">Draft</text>",
                ">Return for revision</text>",
            ],
            ">Bản nháp</text>",
        ),
    ],
)
def test_the_control_panel_in_each_language(panel, language, words, absent):
    api.portal.set_registry_record("plone.default_language", language)
    transaction.commit()
    text = requests.get(panel, auth=ADMIN, timeout=60).text
    for word in words:
        assert word in text
    assert absent not in text


def test_the_checkers_messages_are_translated():
    text = SHIPPED[FULL].read_text(encoding="utf-8")
    bad = text.replace("    to: submitted\n", "    to: nowhere\n", 1)
    with pytest.raises(ChainError) as raised:
        load_chain(bad, "bad.yaml", GUARDS)
    assert translate(raised.value.message, target_language="vi") == (
        "không có trạng thái 'nowhere' trong states"
    )
    assert translate(raised.value.message, target_language="en") == ("no state 'nowhere' in states")
    quorum = text.replace("quorum: 2/3", "quorum: 3/2", 1)
    with pytest.raises(ChainError) as raised:
        load_chain(quorum, "bad.yaml", GUARDS)
    assert translate(raised.value.message, target_language="vi").startswith(
        "quorum là một phân số từ 0 đến 1"
    )


@pytest.mark.parametrize(
    "language,state,steps",
    [("vi", "Bản nháp", {"Gửi", "Rút hồ sơ"}), ("en", "Draft", {"Submit", "Withdraw"})],
)
def test_rest_workflow_titles_follow_the_chain_file(http_world, language, state, steps):
    """plone.restapi's @workflow translates the live titles in the plone domain."""
    api.portal.set_registry_record("plone.default_language", language)
    transaction.commit()
    candidate = http_world.province_candidate
    answer = requests.get(
        f"{candidate.absolute_url()}/@workflow",
        headers={"Accept": "application/json"},
        auth=(http_world.users[("province", "UnitOfficer")], "secret-pw"),
        timeout=30,
    )
    assert answer.status_code == 200
    assert answer.json()["state"]["title"] == state
    assert {step["title"] for step in answer.json()["transitions"]} == steps
