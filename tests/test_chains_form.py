"""The chains panel's form editor (issue 12, item 4): the common changes made
through fields, previewed, checked as a file is, saved as the YAML the site
keeps; bad values refused with a message naming the field; CSRF enforced."""

from Acquisition import aq_base
from plone import api
from plone.app.testing import setRoles
from thidua.chains.storage import stored_chains

import pytest
import re
import requests
import transaction
import yaml


ADMIN = ("form-admin", "secret-pw")
FULL = "thidua_candidate_workflow"
SHORT = "thidua_candidate_short_workflow"


@pytest.fixture
def page(functional_portal):
    api.user.create(email="form@example.vn", username=ADMIN[0], password=ADMIN[1])
    setRoles(functional_portal, ADMIN[0], ["Member", "Site Administrator"])
    transaction.commit()
    return f"{functional_portal.absolute_url()}/@@thidua-chains"


def live(chain_id):
    transaction.begin()
    return aq_base(api.portal.get_tool("portal_workflow").getWorkflowById(chain_id))


def form_of(page, chain_id):
    """The form editor's fields of ``chain_id`` as the page fills them, and the token."""
    text = requests.get(page, auth=ADMIN, timeout=60).text
    section = text.split(f'id="chain-{chain_id}"', 1)[1].split("<section", 1)[0]
    editor = re.search(r'<form[^>]*class="chain-form">(.*?)</form>', section, re.S).group(1)
    data = []
    for tag in re.findall(r"<input[^>]*>", editor):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        value = value.group(1) if value else ""
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        data.append((name.group(1), value.replace("&quot;", '"').replace("&amp;", "&")))
    return data


def send(page, data, action, **changes):
    data = [(name, value) for name, value in data if name not in changes]
    for name, value in changes.items():
        for each in value if isinstance(value, list) else [value]:
            data.append((name, each))
    data.append(("action", action))
    return requests.post(page, data=data, auth=ADMIN, timeout=60)


def test_the_form_shows_the_chains_values(page):
    data = dict(form_of(page, FULL))
    assert data["chain.title.vi"] == "Xét duyệt điển hình tiên tiến, có công khai lấy ý kiến"
    assert data["state.draft.title.en"] == "Draft"
    assert data["guard.start_review.0.working_days"] == "10"
    assert data["guard.start_review.0.working_days.basis"] == "to be confirmed"
    assert data["guard.select.0.quorum"] == "2/3"
    assert data["appraisal_days"] == "25"
    assert ("step.reject.comment_required", "1") in form_of(page, FULL)


def test_a_form_change_is_saved_as_the_chains_yaml(page):
    data = form_of(page, FULL)
    response = send(
        page,
        data,
        "form-save",
        **{
            "guard.start_review.0.working_days": "15",
            "guard.start_review.0.working_days.basis": "Luật Thi đua, khen thưởng 2022, Điều 1",
            "guard.select.0.quorum": "3/4",
            "state.draft.title.vi": "Hồ sơ nháp",
            "step.submit.roles:list": ["UnitOfficer", "CouncilSecretary"],
            "appraisal_days": "30",
        },
    )
    assert response.status_code == 200
    assert "has been changed" in response.text
    stored = stored_chains(api.portal.get())  # the YAML the site keeps
    transaction.begin()
    stored = stored_chains(api.portal.get())[FULL]
    data = yaml.safe_load(stored["text"])
    assert data["states"]["draft"]["title"] == {"vi": "Hồ sơ nháp", "en": "Draft"}
    start = data["transitions"]["start_review"]["guards"][0]["notice_period"]
    assert start == {"working_days": 15, "basis": "Luật Thi đua, khen thưởng 2022, Điều 1"}
    assert data["transitions"]["select"]["guards"][0]["ballot"]["quorum"] == "3/4"
    assert data["appraisal_limit"]["working_days"] == 30
    workflow = live(FULL)
    assert workflow.thidua_chain["transitions"]["submit"]["roles"] == [
        "UnitOfficer",
        "CouncilSecretary",
    ]
    assert "CouncilSecretary" in workflow.transitions["submit"].guard.roles
    assert workflow.states["draft"].title == "Draft"  # the English msgid stays


def test_a_change_to_an_extending_chain_writes_only_what_differs(page):
    data = form_of(page, SHORT)
    response = send(page, data, "form-save", **{"step.honour.title.vi": "Biểu dương"})
    assert "has been changed" in response.text
    transaction.begin()
    written = yaml.safe_load(stored_chains(api.portal.get())[SHORT]["text"])
    assert written["extends"] == FULL
    assert written["transitions"]["honour"] == {"title": {"vi": "Biểu dương", "en": "Honour"}}
    assert "states" not in written or "draft" not in written["states"]


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("guard.start_review.0.working_days", "mười", "is not a whole number"),
        ("guard.select.0.quorum", "3/2", "quorum is a fraction between 0 and 1"),
        ("state.draft.title.vi", "", "A title is needed in Vietnamese and in English."),
        ("appraisal_days", "-3", "is not a whole number"),
    ],
)
def test_a_bad_value_is_refused_with_its_field(page, field, value, words):
    before = live(FULL)
    response = send(page, form_of(page, FULL), "form-save", **{field: value})
    assert response.status_code == 200
    assert "The file was refused; nothing has changed." in response.text
    assert words in response.text
    assert live(FULL) is before
    assert FULL not in stored_chains(api.portal.get())


def test_a_step_without_a_role_is_refused(page):
    data = [(n, v) for n, v in form_of(page, FULL) if n != "step.honour.roles:list"]
    response = send(page, data, "form-save")
    assert "At least one role takes each step." in response.text
    assert "transitions.honour.roles" in response.text


def test_the_preview_draws_the_change_and_saves_nothing(page):
    before = live(FULL)
    response = send(page, form_of(page, FULL), "form-preview", **{"step.submit.title.en": "Send"})
    assert "the change passes every check; it is not saved yet" in response.text
    preview = re.search(r'class="chain-preview mb-3">(.*?)</details>', response.text, re.S)
    assert ">Send</text>" in preview.group(1)
    assert live(FULL) is before
    assert FULL not in stored_chains(api.portal.get())
    # The fields keep what was sent, to be saved as it is.
    assert 'value="Send"' in response.text


def test_a_refused_preview_names_the_problem(page):
    response = send(
        page, form_of(page, FULL), "form-preview", **{"guard.reject.0.threshold": "abc"}
    )
    assert "threshold is a fraction between 0 and 1" in response.text
    assert "transitions.reject.guards.0.ballot" in response.text


@pytest.mark.parametrize("authenticator", ["", "forged"])
def test_a_form_post_without_the_csrf_token_is_refused(page, authenticator):
    before = live(FULL)
    data = [(n, v) for n, v in form_of(page, FULL) if n != "_authenticator"]
    data.append(("_authenticator", authenticator))
    response = send(page, data, "form-save", **{"state.draft.title.vi": "Giả mạo"})
    assert response.status_code == 403
    assert live(FULL) is before
    assert FULL not in stored_chains(api.portal.get())


def test_unchanged_fields_write_the_same_chain():
    """Sending the form as it is shown changes nothing in the chain (only the
    file's layout and comments)."""
    from thidua.chains.form import changed_text
    from thidua.chains.form import fields
    from thidua.chains.guards import GUARDS
    from thidua.chains.loader import chain_files
    from thidua.chains.loader import load_chain
    from thidua.chains.loader import shipped_sources

    for path in chain_files():
        text = path.read_text(encoding="utf-8")
        chain = load_chain(text, path.name, GUARDS)
        shown = fields(chain)
        form = {"chain.title.vi": shown["title"]["vi"], "chain.title.en": shown["title"]["en"]}
        if shown["appraisal_days"] is not None:
            form["appraisal_days"] = str(shown["appraisal_days"])
        for state in shown["states"]:
            for language in ("vi", "en"):
                form[f"state.{state['id']}.title.{language}"] = state["title"][language]
        for step in shown["steps"]:
            for language in ("vi", "en"):
                form[f"step.{step['id']}.title.{language}"] = step["title"][language]
            form[f"step.{step['id']}.roles"] = step["roles"]
            if step["comment_required"]:
                form[f"step.{step['id']}.comment_required"] = "1"
            for rule in step["parameters"]:
                form[rule["name"]] = str(rule["value"])
                form[f"{rule['name']}.basis"] = rule["basis"]
        written = changed_text(text, path.name, chain, form)
        again = load_chain(written, path.name, GUARDS, sources=shipped_sources())
        assert again == chain, path.name
