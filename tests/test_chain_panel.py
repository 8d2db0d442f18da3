"""The chain panel and Plone's state menu on a candidate, through the real WSGI
server, as each role's browser sees them: logged in through the login form,
the CSRF token read from the page, the panel's form posted."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from thidua import ballot as ballots
from thidua.chains.status import force_state
from thidua.testing import authenticator
from thidua.testing import logged_in
from thidua.testing import PASSWORD

import html
import pytest
import re
import requests
import transaction


@pytest.fixture(autouse=True)
def vietnamese(functional_portal):
    """A Vietnamese site, as the demo is."""
    api.portal.set_registry_record("plone.default_language", "vi")
    transaction.commit()


def text(page):
    return html.unescape(page)


def take(session, item, transition, comment=None):
    page = session.get(item.absolute_url(), timeout=30)
    assert page.status_code == 200
    data = {"transition": transition, "_authenticator": authenticator(page.text)}
    if comment is not None:
        data["comment"] = comment
    return session.post(f"{item.absolute_url()}/@@chain-step", data=data, timeout=60)


def in_state(portal, item, state):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    force_state(item, state)
    setRoles(portal, TEST_USER_ID, ["Member"])


def state_of(item):
    transaction.begin()  # see what the server committed
    return api.content.get_state(item)


@pytest.fixture
def voted(http_world, functional_portal):
    """The ward's candidate under review, the whole council voted yes."""
    candidate = http_world.ward_candidate
    in_state(functional_portal, candidate, "under_review")
    for role in ("CouncilMember", "CouncilChair"):
        ballots.cast(candidate, http_world.users[("ward", role)], "yes")
    transaction.commit()
    return candidate


def test_chair_may_select_not_decline_when_the_ballot_passed(voted, http_world, functional_portal):
    chair = logged_in(functional_portal, http_world.users[("ward", "CouncilChair")])
    page = chair.get(voted.absolute_url(), timeout=30)
    assert page.status_code == 200
    assert 'id="chain-step-select"' in page.text
    assert 'id="chain-step-reject"' not in page.text
    blocked = re.search(r'id="chain-blocked-reject".*?</li>', page.text, re.S).group(0)
    assert "Biểu quyết đã đạt: không thể không chọn hồ sơ này." in text(blocked)
    response = take(chair, voted, "select")
    assert response.status_code == 200
    assert "Đã thực hiện" in text(response.text)
    assert state_of(voted) == "selected"


def test_state_menu_offers_the_chair_its_transitions(voted, http_world, functional_portal):
    chair = logged_in(functional_portal, http_world.users[("ward", "CouncilChair")])
    page = chair.get(voted.absolute_url(), timeout=30).text
    assert 'id="plone-contentmenu-workflow"' in page
    assert 'id="workflow-transition-select"' in page
    assert 'id="workflow-transition-reject"' not in page


@pytest.fixture
def submitted(http_world, functional_portal):
    candidate = http_world.province_candidate
    in_state(functional_portal, candidate, "submitted")
    transaction.commit()
    return candidate


def secretary(http_world, functional_portal):
    return logged_in(functional_portal, http_world.users[("province", "CouncilSecretary")])


def test_secretary_returns_with_a_comment(submitted, http_world, functional_portal):
    response = take(
        secretary(http_world, functional_portal), submitted, "return_for_revision", "Thiếu bản khai"
    )
    assert response.status_code == 200
    assert state_of(submitted) == "draft"
    history = api.content.get(UID=submitted.UID()).workflow_history
    [entries] = history.values()
    assert entries[-1]["comments"] == "Thiếu bản khai"
    assert entries[-1]["action"] == "return_for_revision"


@pytest.mark.parametrize("comment", [None, "", "   "])
def test_secretary_returns_without_a_comment(submitted, http_world, functional_portal, comment):
    session = secretary(http_world, functional_portal)
    page = session.get(submitted.absolute_url(), timeout=30).text
    assert re.search(r'<textarea[^>]*name="comment"[^>]*required', page) or re.search(
        r'<textarea[^>]*required[^>]*name="comment"', page
    )
    response = take(session, submitted, "return_for_revision", comment)
    assert response.status_code == 200
    assert "phải kèm ý kiến nêu rõ lý do" in text(response.text)
    assert state_of(submitted) == "submitted"


def test_state_menu_leads_return_to_the_comment_form(submitted, http_world, functional_portal):
    """The menu's link for a step that needs a comment opens a form, not a 500."""
    session = secretary(http_world, functional_portal)
    page = session.get(submitted.absolute_url(), timeout=30).text
    link = re.search(r'id="workflow-transition-return_for_revision"[^>]*href="([^"]+)"', page)
    link = link or re.search(
        r'href="([^"]+)"[^>]*id="workflow-transition-return_for_revision"', page
    )
    form = session.get(html.unescape(link.group(1)), timeout=30)
    assert form.status_code == 200
    assert 'name="comment"' in form.text and "Ý kiến (bắt buộc)" in text(form.text)


@pytest.mark.parametrize("state", ["submitted", "public_notice", "under_review"])
def test_plone_comment_form_is_open_and_refuses_without_a_500(http_world, functional_portal, state):
    candidate = http_world.province_candidate
    in_state(functional_portal, candidate, state)
    transaction.commit()
    session = secretary(http_world, functional_portal)
    form = session.get(f"{candidate.absolute_url()}/content_status_history", timeout=30)
    assert form.status_code == 200
    response = session.post(
        f"{candidate.absolute_url()}/content_status_modify",
        data={
            "workflow_action": "return_for_revision",
            "comment": "",
            "_authenticator": authenticator(form.text),
        },
        timeout=60,
    )
    assert response.status_code == 200
    assert "phải kèm ý kiến nêu rõ lý do" in text(response.text)
    assert state_of(candidate) == state


def test_officer_sees_submit_blocked_with_the_reason(http_world, functional_portal):
    candidate = http_world.province_candidate
    candidate.achievements = RichTextValue("")
    transaction.commit()
    officer = logged_in(functional_portal, http_world.users[("province", "UnitOfficer")])
    page = officer.get(candidate.absolute_url(), timeout=30).text
    assert 'id="chain-step-submit"' not in page
    blocked = re.search(r'id="chain-blocked-submit".*?</li>', page, re.S).group(0)
    assert "Gửi" in text(blocked)
    assert "Hồ sơ chưa có tóm tắt thành tích." in text(blocked)
    response = take(officer, candidate, "submit")
    assert "Hồ sơ chưa có tóm tắt thành tích." in text(response.text)
    assert state_of(candidate) == "draft"


def test_rest_refusal_carries_the_guard_reason(http_world, functional_portal):
    candidate = http_world.province_candidate
    candidate.achievements = RichTextValue("")
    transaction.commit()
    response = requests.post(
        f"{candidate.absolute_url()}/@workflow/submit",
        headers={"Accept": "application/json", "Accept-Language": "vi"},
        auth=(http_world.users[("province", "UnitOfficer")], PASSWORD),
        timeout=30,
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "type": "BadRequest",
        "message": "Hồ sơ chưa có tóm tắt thành tích.",
        "field": "transition",
    }
    assert state_of(candidate) == "draft"


def test_anonymous_gets_no_panel(http_world, functional_portal):
    candidate = http_world.province_candidate
    in_state(functional_portal, candidate, "public_notice")
    transaction.commit()
    page = requests.get(candidate.absolute_url(), timeout=30).text
    assert "thidua-chain-panel" not in page
