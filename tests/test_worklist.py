"""``@@viec-can-lam``: what waits for each role, through the WSGI server; and
the grouping rule on its own."""

from datetime import date
from plone import api
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from test_ballot import execute
from thidua import worklist
from thidua.chains.status import force_state
from thidua.testing import logged_in
from thidua.workdays import working_day_after

import pytest
import re
import transaction


@pytest.mark.parametrize(
    "state,transitions,may_vote,returned,group",
    [
        ("submitted", ["publish_notice", "return_for_revision"], False, False, "appraise"),
        ("pending", ["return_for_revision"], False, False, "appraise"),
        ("pending", ["issue", "return_for_revision"], False, False, "decide"),
        ("public_notice", ["return_for_revision"], False, False, "put_to_vote"),
        ("public_notice", ["start_review", "return_for_revision"], False, False, "put_to_vote"),
        ("under_review", [], True, False, "vote"),
        ("under_review", ["select"], True, False, "vote"),  # the chair votes first
        ("under_review", ["select"], False, False, "decide"),
        ("under_review", ["return_for_revision"], False, False, None),
        ("selected", ["honour", "revoke"], False, False, "decide"),
        ("draft", ["submit", "withdraw"], False, True, "returned"),
        ("draft", ["withdraw"], False, True, "returned"),
        ("draft", ["submit", "withdraw"], False, False, None),
        ("submitted", ["withdraw"], False, False, None),  # the officer waits
        ("public_notice", ["withdraw"], False, False, None),
        ("issued", ["close"], False, False, None),
    ],
)
def test_grouping(state, transitions, may_vote, returned, group):
    assert worklist.group_of(state, transitions, may_vote, returned) == group


def candidate(movement, cid):
    from plone.app.textfield.value import RichTextValue

    return api.content.create(
        container=movement,
        type="Candidate",
        id=cid,
        title=f"Ứng viên {cid}",
        kind="individual",
        achievements=RichTextValue("<p>Thành tích.</p>"),
    )


@pytest.fixture
def waiting(http_world, functional_portal):
    """Province: one candidate under review, one in public notice, one selected;
    ward: one submitted, one returned for revision."""
    api.portal.set_registry_record("plone.default_language", "vi")
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    items = {
        "review": http_world.province_candidate,
        "notice": candidate(http_world.province_movement, "notice"),
        "selected": candidate(http_world.province_movement, "selected"),
        "submitted": http_world.ward_candidate,
        "returned": candidate(http_world.ward_movement, "returned"),
    }
    execute(functional_portal, items["review"], "submit", "publish_notice", "start_review")
    execute(functional_portal, items["notice"], "submit", "publish_notice")
    execute(functional_portal, items["submitted"], "submit")
    execute(
        functional_portal, items["returned"], "submit", "return_for_revision", comment="Bổ sung"
    )
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    force_state(items["selected"], "selected")
    logout()
    transaction.commit()
    return items


def groups(functional_portal, user_id):
    """{group id: [row titles]} of the user's worklist page."""
    page = logged_in(functional_portal, user_id).get(
        f"{functional_portal.absolute_url()}/@@viec-can-lam", timeout=30
    )
    assert page.status_code == 200
    assert "Việc cần làm" in page.text
    found = {}
    for group, body in re.findall(r'id="worklist-([a-z_]+)"(.*?)</section>', page.text, re.S):
        found[group] = re.findall(r'<a href="[^"]+">([^<]+)</a>', body)
    return found, page.text


def test_the_secretary_appraises_and_puts_to_the_vote(functional_portal, http_world, waiting):
    found, _page = groups(functional_portal, http_world.users[("ward", "CouncilSecretary")])
    assert found == {"appraise": ["Nguyễn Văn A"]}
    found, page = groups(functional_portal, http_world.users[("province", "CouncilSecretary")])
    assert found == {"put_to_vote": ["Ứng viên notice"]}
    assert "Cần đưa ra xét chọn" in page
    assert "<td>Đang công khai</td>" in page  # the state's title, translated
    notice_end = working_day_after(date.today(), 10)
    assert notice_end.strftime("%d/%m/%Y") in page


def test_a_member_votes_and_then_nothing_waits(functional_portal, http_world, waiting):
    member = http_world.users[("province", "CouncilMember")]
    found, page = groups(functional_portal, member)
    assert found == {"vote": ["Nguyễn Văn A"]}
    assert "Cần biểu quyết" in page
    from thidua import ballot

    transaction.begin()
    ballot.cast(waiting["review"], member, "yes")
    transaction.commit()
    found, page = groups(functional_portal, member)
    assert found == {}
    assert "Hiện không có việc nào đang chờ bạn." in page


def test_the_chair_votes_and_decides(functional_portal, http_world, waiting):
    found, _page = groups(functional_portal, http_world.users[("province", "CouncilChair")])
    assert found == {"vote": ["Nguyễn Văn A"], "decide": ["Ứng viên selected"]}


def test_the_officer_finds_the_returned_draft(functional_portal, http_world, waiting):
    found, page = groups(functional_portal, http_world.users[("ward", "UnitOfficer")])
    assert found == {"returned": ["Ứng viên returned"]}
    assert "Được trả lại cho tôi" in page


def test_the_personal_bar_links_the_worklist(functional_portal, http_world, waiting):
    session = logged_in(functional_portal, http_world.users[("ward", "UnitOfficer")])
    home = session.get(functional_portal.absolute_url(), timeout=30).text
    assert "@@viec-can-lam" in home


def test_anonymous_is_asked_to_log_in(functional_portal, waiting):
    import requests

    response = requests.get(
        f"{functional_portal.absolute_url()}/@@viec-can-lam", allow_redirects=False, timeout=30
    )
    assert response.status_code in (302, 401)
