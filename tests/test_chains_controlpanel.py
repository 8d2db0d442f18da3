"""@@thidua-chains through the real WSGI server: who sees it, replacing, refusing,
restoring and adding chains, and CSRF protection."""

from Acquisition import aq_base
from plone import api
from plone.app.testing import setRoles
from thidua.chains.loader import chain_files
from zope.component import getMultiAdapter
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory

import html
import pytest
import re
import requests
import shutil
import transaction


SHIPPED = {path.stem: path.read_text(encoding="utf-8") for path in chain_files()}
# The short chain's title, in both languages: replaced whole by a plain one.
SHORT_TITLE = re.search(
    r"^title:\n(?:  .*\n)+", SHIPPED["thidua_candidate_short_workflow"], re.M
).group()
PLAN = "thidua_plan_workflow"
PLAN_TITLE = 'title: {vi: "Kế hoạch", en: Plan}\n'
ADMIN = ("chains-admin", "secret-pw")
MEMBER = ("chains-member", "secret-pw")


@pytest.fixture
def page(functional_portal):
    api.user.create(email="admin@example.vn", username=ADMIN[0], password=ADMIN[1])
    setRoles(functional_portal, ADMIN[0], ["Member", "Site Administrator"])
    api.user.create(email="member@example.vn", username=MEMBER[0], password=MEMBER[1])
    transaction.commit()
    return f"{functional_portal.absolute_url()}/@@thidua-chains"


def live(chain_id):
    transaction.begin()  # see what the server committed
    return aq_base(api.portal.get_tool("portal_workflow").getWorkflowById(chain_id))


def token(page):
    text = requests.get(page, auth=ADMIN, timeout=30).text
    return re.search(r'name="_authenticator" value="([^"]+)"', text).group(1)


def post(page, **data):
    data.setdefault("_authenticator", token(page))
    return requests.post(page, data=data, auth=ADMIN, timeout=60)


def test_a_site_administrator_sees_every_chain(page):
    response = requests.get(page, auth=ADMIN, timeout=60)
    assert response.status_code == 200
    for chain_id in SHIPPED:
        assert f'id="chain-{chain_id}"' in response.text
    assert "Candidate approval, with public notice" in response.text
    assert html.escape("id: thidua_plan_workflow", quote=False) in response.text
    assert "Source: the shipped file" in response.text
    for chain_id in SHIPPED:  # drawn in Python, with or without Graphviz
        assert f'<title id="{chain_id}-title">' in response.text
    assert "digraph" in response.text  # the DOT text, for who wants it


@pytest.mark.parametrize("auth", [None, MEMBER], ids=["anonymous", "member"])
def test_others_are_refused(page, auth):
    response = requests.get(page, auth=auth, timeout=30, allow_redirects=False)
    assert response.status_code in (302, 401, 403)
    assert "digraph" not in response.text


def test_a_valid_file_replaces_the_live_chain(page):
    text = SHIPPED[PLAN].replace(PLAN_TITLE, "title: Plan, retitled\n", 1)
    text = text.replace(
        "  closed:\n",
        "  archived:\n    title: Archived\n  closed:\n",
        1,
    )
    response = post(page, action="replace", chain_id=PLAN, text=text)
    assert response.status_code == 200
    assert "has been replaced" in response.text
    assert "Source: replaced through the web by" in response.text
    assert ADMIN[0] in response.text
    workflow = live(PLAN)
    assert workflow.title == "Plan, retitled"
    assert "archived" in workflow.states.objectIds()


def test_an_uploaded_file_replaces_the_live_chain(page):
    text = SHIPPED[PLAN].replace(PLAN_TITLE, "title: Uploaded plan\n", 1)
    response = requests.post(
        page,
        data={"action": "replace", "chain_id": PLAN, "text": "", "_authenticator": token(page)},
        files={"file": ("my-plan.yaml", text.encode("utf-8"), "application/x-yaml")},
        auth=ADMIN,
        timeout=60,
    )
    assert response.status_code == 200
    assert "my-plan.yaml" in response.text
    assert live(PLAN).title == "Uploaded plan"


@pytest.mark.parametrize(
    "old,new,line,field",
    [
        (PLAN_TITLE, "title: 7\n", "4", "title"),
        (
            "    to: pending\n",
            "    to: pending\n    guards:\n      - crystal_ball: {}\n",
            "51",
            "transitions.submit.guards.0",
        ),
        ("types: [Plan]", "types: [Plan", "11", "(file)"),
    ],
    ids=["schema", "unknown-guard", "yaml-syntax"],
)
def test_a_bad_file_is_refused_and_changes_nothing(page, old, new, line, field):
    before = live(PLAN)
    text = SHIPPED[PLAN].replace(old, new, 1)
    assert text != SHIPPED[PLAN]
    response = post(page, action="replace", chain_id=PLAN, text=text)
    assert response.status_code == 200
    assert response.text.count("The file was refused; nothing has changed.") == 1
    section = response.text.split(f'id="chain-{PLAN}"', 1)[1].split("<section", 1)[0]
    assert 'id="chain-error"' in section  # above the form it came from
    shown = {
        name: re.search(rf'class="chain-error-{name}">([^<]*)<', response.text).group(1)
        for name in ("file", "line", "field")
    }
    assert shown == {"file": "thidua_plan_workflow.yaml", "line": line, "field": field}
    assert live(PLAN) is before


def test_a_file_not_in_utf8_is_refused(page):
    before = live(PLAN)
    response = requests.post(
        page,
        data={"action": "replace", "chain_id": PLAN, "_authenticator": token(page)},
        files={"file": ("latin.yaml", "title: Kế hoạch".encode("utf-16"), "application/x-yaml")},
        auth=ADMIN,
        timeout=60,
    )
    assert 'class="chain-error-file">latin.yaml<' in response.text
    assert "not UTF-8 text" in response.text
    assert live(PLAN) is before


@pytest.mark.parametrize(
    "data",
    [
        {"action": "delete", "chain_id": PLAN},
        {"action": "replace", "chain_id": "thidua_nothing", "text": SHIPPED[PLAN]},
        {"action": "restore", "chain_id": "thidua_nothing"},
    ],
    ids=["unknown-action", "unknown-chain", "nothing-to-restore"],
)
def test_a_meaningless_post_is_a_bad_request(page, data):
    assert post(page, **data).status_code == 400


def test_a_file_of_another_chain_is_refused(page):
    before = live(PLAN)
    response = post(page, action="replace", chain_id=PLAN, text=SHIPPED["thidua_report_workflow"])
    assert "must be the chain &#39;thidua_plan_workflow&#39;" in response.text or (
        "must be the chain 'thidua_plan_workflow'" in response.text
    )
    assert live(PLAN) is before
    assert live("thidua_report_workflow").title == "Report"


@pytest.mark.parametrize("authenticator", ["", "forged"])
def test_a_post_without_the_csrf_token_is_refused(page, authenticator):
    before = live(PLAN)
    text = SHIPPED[PLAN].replace(PLAN_TITLE, "title: Forged\n", 1)
    response = post(page, action="replace", chain_id=PLAN, text=text, _authenticator=authenticator)
    assert response.status_code == 403
    assert live(PLAN) is before


def test_a_get_changes_nothing(page):
    before = live(PLAN)
    text = SHIPPED[PLAN].replace(PLAN_TITLE, "title: By GET\n", 1)
    params = {"action": "replace", "chain_id": PLAN, "text": text, "_authenticator": token(page)}
    requests.get(page, params=params, auth=ADMIN, timeout=60)
    assert live(PLAN) is before


def test_restore_brings_back_the_shipped_file(page):
    post(
        page,
        action="replace",
        chain_id=PLAN,
        text=SHIPPED[PLAN].replace(PLAN_TITLE, "title: X\n"),
    )
    assert live(PLAN).title == "X"
    response = post(page, action="restore", chain_id=PLAN)
    assert "is in force again" in response.text
    assert live(PLAN).title == "Plan"
    assert "Source: replaced through the web" not in response.text


def test_an_added_candidate_chain_is_offered_to_units(page, functional_portal):
    third = (
        SHIPPED["thidua_candidate_short_workflow"]
        .replace("id: thidua_candidate_short_workflow", "id: thidua_candidate_third_workflow")
        .replace(SHORT_TITLE, "title: A third chain\n")
    )
    response = post(page, action="add", text=third)
    assert "has been added" in response.text
    assert 'id="chain-thidua_candidate_third_workflow"' in response.text
    assert "Source: added through the web by" in response.text
    live("thidua_candidate_third_workflow")
    vocabulary = getUtility(IVocabularyFactory, "thidua.candidate_chains")(functional_portal)
    assert vocabulary.getTerm("thidua_candidate_third_workflow").title == "A third chain"


def test_without_graphviz_the_page_draws_every_chain(portal, http_request, monkeypatch):
    from plone.app.testing import TEST_USER_ID
    from thidua.interfaces import IThiduaLayer
    from zope.interface import alsoProvides

    monkeypatch.setattr(shutil, "which", lambda name: None)
    alsoProvides(http_request, IThiduaLayer)
    setRoles(portal, TEST_USER_ID, ["Site Administrator"])
    text = getMultiAdapter((portal, http_request), name="thidua-chains")()
    for chain_id in SHIPPED:
        assert f'<title id="{chain_id}-title">' in text
    assert 'id="thidua_plan_workflow-state-pending"' in text
    assert html.escape('"draft" -> "pending"', quote=False) in text  # the DOT text, folded


def test_listed_in_site_setup(portal):
    controlpanel = api.portal.get_tool("portal_controlpanel")
    [configlet] = [a for a in controlpanel.listActions() if a.getId() == "thidua-chains"]
    assert configlet.permissions == ("thidua: Manage settings",)


def test_the_settings_panel_links_to_the_chains(page):
    settings = page.replace("@@thidua-chains", "@@thidua-settings")
    text = requests.get(settings, auth=ADMIN, timeout=30).text
    assert f'<a href="{page}">Approval chains</a>' in text
    assert "The lists that units, movements and candidates choose from." in text


def section(text, chain_id):
    return text.split(f'id="chain-{chain_id}"', 1)[1].split("<section", 1)[0]


def legal_rows(text):
    """(transition, guard, parameter, value, basis) of each row of the legal parameters."""
    cells = r"\s*<td><code>(\w+)</code></td>" * 3 + r"\s*<td>([^<]*)</td>"
    return re.findall(cells + r'\s*<td class="chain-basis[^"]*">([^<]*)</td>', text)


def test_legal_parameters_show_their_basis(page, functional_portal):
    full = section(requests.get(page, auth=ADMIN, timeout=60).text, "thidua_candidate_workflow")
    assert "Legal parameters and their basis" in full
    assert legal_rows(full) == [
        ("submit", "dossier_complete", "attachments", "0", "chosen by the unit"),
        ("start_review", "notice_period", "working_days", "10", "to be confirmed"),
        ("select", "ballot", "quorum", "2/3", "to be confirmed"),
        ("select", "ballot", "threshold", "1/2", "to be confirmed"),
        ("reject", "ballot", "quorum", "2/3", "to be confirmed"),
        ("reject", "ballot", "threshold", "1/2", "to be confirmed"),
    ]
    assert "chain-warnings" not in full
    # the diagram's tooltip
    assert "working_days = 10, basis: to be confirmed</title>" in full
    api.portal.set_registry_record("plone.default_language", "vi")  # a Vietnamese site
    transaction.commit()
    vietnamese = requests.get(page, auth=ADMIN, timeout=60)
    full = section(vietnamese.text, "thidua_candidate_workflow")
    assert "Căn cứ pháp lý" in full
    assert ("start_review", "notice_period", "working_days", "10", "cần xác nhận") in (
        legal_rows(full)
    )
    assert ("submit", "dossier_complete", "attachments", "0", "đơn vị tự chọn") in (
        legal_rows(full)
    )
    assert "working_days = 10, căn cứ: cần xác nhận</title>" in full


def test_an_extending_chain_shows_its_parent_and_the_merged_chain(page):
    short = section(
        requests.get(page, auth=ADMIN, timeout=60).text, "thidua_candidate_short_workflow"
    )
    assert "Extends the chain" in short
    assert '<a href="#chain-thidua_candidate_workflow">' in short
    merged = re.search(r'<pre class="chain-merged">(.*?)</pre>', short, re.S).group(1)
    assert "extends: thidua_candidate_workflow" in merged
    assert "under_review:" in merged and "Select" in merged  # taken from the parent
    assert "public_notice:" not in merged.split("replaced_states")[0]
    assert "remove_states" not in merged
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", short, re.S).group(1)
    assert "remove_states: [public_notice]" in textarea  # the file as written
    assert ("select", "ballot", "quorum", "2/3", "to be confirmed") in legal_rows(short)
    assert 'id="thidua_candidate_short_workflow-state-under_review"' in short
    assert "-state-public_notice" not in short


def test_a_missing_basis_is_a_warning_in_the_panel(page):
    name = "thidua_candidate_workflow"
    text = SHIPPED[name].replace("{working_days: 10, basis: to be confirmed}", "{working_days: 10}")
    response = post(page, action="replace", chain_id=name, text=text)
    assert "has been replaced" in response.text
    full = section(response.text, name)
    warnings = re.search(r'class="alert alert-warning chain-warnings">(.*?)</div>', full, re.S)
    line = text[: text.index("{working_days: 10}")].count("\n") + 1
    assert (
        f"thidua_candidate_workflow.yaml, line {line}, "
        "transitions.start_review.guards.0.notice_period: The legal parameter working_days"
        " of notice_period has no basis"
    ) in warnings.group(1)
    assert ("start_review", "notice_period", "working_days", "10", "no basis given") in (
        legal_rows(full)
    )
    # The chain is in force all the same.
    assert live(name).thidua_chain["transitions"]["start_review"]["guards"] == [
        {"notice_period": {"working_days": 10}}
    ]
