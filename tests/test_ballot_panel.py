"""The ballot panel on a candidate's page, through the real WSGI server with a
browser's login cookie: voting, refusals, recusal, the secretary's paper tally,
who sees the forms, and the vote's transaction that names no one."""

from plone import api
from plone.app.testing import logout
from test_ballot import execute
from test_ballot import get
from test_ballot import grow_council
from thidua.testing import logged_in
from thidua.testing import PASSWORD

import pytest
import re
import transaction


@pytest.fixture
def http_review(http_world, functional_portal):
    """A candidate under review (a council of five) on a Vietnamese site."""
    api.portal.set_registry_record("plone.default_language", "vi")
    grow_council(http_world)
    candidate = http_world.province_candidate
    execute(functional_portal, candidate, "submit", "publish_notice", "start_review")
    logout()
    transaction.commit()
    return candidate


def panel(session, candidate):
    page = session.get(candidate.absolute_url(), timeout=30)
    assert page.status_code == 200
    return page.text


def submit(session, candidate, **data):
    """Post a form of the panel as the browser does, with the page's token."""
    token = re.search(r'name="_authenticator" value="([^"]+)"', panel(session, candidate))
    response = session.post(
        f"{candidate.absolute_url()}/@@ballot-submit",
        data={"_authenticator": token.group(1), **data},
        timeout=30,
    )
    assert response.status_code == 200  # the candidate's page, after the redirect
    assert response.url.startswith(candidate.absolute_url())
    return response.text


def votes(candidate, user_id):
    return get(candidate, (user_id, PASSWORD)).json()


def test_a_member_votes_from_the_page(functional_portal, http_review):
    member = logged_in(functional_portal, "member-2")
    page = panel(member, http_review)
    assert 'id="thidua-ballot"' in page
    assert 'name="vote"' in page
    after = submit(member, http_review, action="vote", vote="yes")
    assert "Đã ghi nhận phiếu của bạn." in after
    assert "Bạn đã bỏ phiếu trong vòng này." in after
    assert 'name="vote"' not in after  # no second form
    summary = votes(http_review, "member-2")
    assert summary["you"] == {"member": True, "voted": True, "recused": False}
    assert summary["voted"] == 1


def test_a_second_vote_is_refused_and_writes_nothing(functional_portal, http_review):
    member = logged_in(functional_portal, "member-2")
    token = re.search(r'name="_authenticator" value="([^"]+)"', panel(member, http_review))
    url = f"{http_review.absolute_url()}/@@ballot-submit"
    data = {"_authenticator": token.group(1), "action": "vote"}
    member.post(url, data={**data, "vote": "yes"}, timeout=30)
    again = member.post(url, data={**data, "vote": "no"}, timeout=30)
    assert "Bạn đã tham gia vòng bỏ phiếu này." in again.text
    summary = votes(http_review, "member-2")
    assert (summary["voted"], summary["yes"], summary["no"]) == (1, 1, 0)


def test_refusals_name_the_reason(functional_portal, http_world, http_review):
    outsider = logged_in(functional_portal, http_world.users[("ward", "CouncilMember")])
    secretary = logged_in(functional_portal, http_world.users[("province", "CouncilSecretary")])
    token = re.search(r'name="_authenticator" value="([^"]+)"', panel(secretary, http_review))
    url = f"{http_review.absolute_url()}/@@ballot-submit"
    refused = secretary.post(
        url, data={"_authenticator": token.group(1), "action": "vote", "vote": "yes"}, timeout=30
    )
    assert "Chỉ thành viên hội đồng của đơn vị này được biểu quyết." in refused.text
    assert votes(http_review, "member-2")["voted"] == 0
    # A member of another unit's council cannot even see the candidate.
    home = outsider.get(functional_portal.absolute_url(), timeout=30).text
    token = re.search(r'data-token="([^"]+)"', home)
    elsewhere = outsider.post(
        url,
        data={"_authenticator": token.group(1), "action": "vote", "vote": "yes"},
        allow_redirects=False,
        timeout=30,
    )
    assert elsewhere.status_code in (302, 401, 403)
    assert "@@ballot-submit" not in elsewhere.headers.get("location", "")
    # Without the page's token a member's form is refused outright (CSRF).
    member = logged_in(functional_portal, "member-2")
    forged = member.post(
        url, data={"action": "vote", "vote": "yes"}, allow_redirects=False, timeout=30
    )
    assert forged.status_code == 403
    assert votes(http_review, "member-2")["voted"] == 0


def test_a_member_recuses_with_a_reason(functional_portal, http_review):
    member = logged_in(functional_portal, "member-3")
    blank = submit(member, http_review, action="recuse", reason="  ")
    assert "Xin không tham gia biểu quyết cần nêu lý do." in blank
    after = submit(member, http_review, action="recuse", reason="Vợ của ứng viên")
    assert "Đã ghi nhận việc bạn xin không tham gia biểu quyết." in after
    assert "Vợ của ứng viên" in after
    summary = votes(http_review, "member-3")
    assert summary["you"]["recused"] is True
    assert summary["recused"] == 1


def test_the_secretary_records_a_paper_tally(functional_portal, http_world, http_review):
    secretary_id = http_world.users[("province", "CouncilSecretary")]
    secretary = logged_in(functional_portal, secretary_id)
    page = panel(secretary, http_review)
    assert 'name="minutes"' in page
    assert 'name="vote"' not in page  # the secretary is not on the council
    too_many = submit(
        secretary, http_review, action="paper", yes="9", no="0", abstain="0", minutes="7/BB"
    )
    assert "Số phiếu nhiều hơn" in too_many
    assert votes(http_review, secretary_id)["paper"] is None
    after = submit(
        secretary, http_review, action="paper", yes="4", no="1", abstain="0", minutes="7/BB-HĐ"
    )
    assert "Đã ghi nhận kết quả bỏ phiếu giấy." in after
    summary = votes(http_review, secretary_id)
    assert summary["paper"]["minutes"] == "7/BB-HĐ"
    assert (summary["yes"], summary["no"], summary["voted"]) == (4, 1, 5)
    # Members may no longer vote online in this round.
    member = logged_in(functional_portal, "member-2")
    assert 'name="vote"' not in panel(member, http_review)


def test_a_member_may_not_record_paper(functional_portal, http_review):
    member = logged_in(functional_portal, "member-2")
    assert 'name="minutes"' not in panel(member, http_review)
    refused = submit(member, http_review, action="paper", yes="5", minutes="7/BB")
    assert "Chỉ thư ký hội đồng được nhập kết quả bỏ phiếu giấy." in refused
    assert votes(http_review, "member-2")["paper"] is None


def test_those_without_the_ballot_see_no_panel(functional_portal, http_world, http_review):
    officer = logged_in(functional_portal, http_world.users[("province", "UnitOfficer")])
    page = officer.get(http_review.absolute_url(), timeout=30)
    assert page.status_code == 200
    assert 'id="thidua-ballot"' not in page.text
    assert "@@ballot-submit" not in page.text


def test_the_classic_vote_transaction_names_no_voter(functional_portal, http_review):
    """The Undo log and @transactions must not say who voted when: the page's
    vote commits a transaction without user or path, as @votes does."""
    member = logged_in(functional_portal, "member-2")
    submit(member, http_review, action="vote", vote="no")
    transaction.begin()
    storage = functional_portal._p_jar.db().storage
    records = list(storage.iterator())
    ballots = [r for r in records if r.description == b"thidua: ballot"]
    assert len(ballots) == 1
    # The vote's POST is the last transaction, and it names neither user nor path.
    assert (records[-1].user, records[-1].description) == (b"", b"thidua: ballot")
