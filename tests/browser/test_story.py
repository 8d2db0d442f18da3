"""The whole story of a candidate, clicked in headless Chromium through the
Classic UI pages as each role sees them, over the functional layer's WSGI
server: the officer registers and submits, the secretary returns it, the
officer resubmits, the notice runs, the council votes (one member recuses),
the chair selects and honours, and an anonymous visitor finds the candidate
on the honour board.

Every page of the walk is kept as a screenshot (``$THIDUA_ARTIFACTS``, else
``test-artifacts/browser/``) and scanned with axe-core: none may have a
serious or critical violation (the walk: conftest.py). The user guide
(docs/guide/) shows pages of this walk only, so it stays true.
"""

from plone import api
from thidua.delegation import group_id
from thidua.testing import PASSWORD

import datetime
import pytest
import transaction


def text_of(page, selector):
    return page.locator(selector).inner_text()


def open_from_worklist(walk, page, title, group, name):
    """The worklist lists the candidate in ``group``; its link opens it."""
    page.goto(f"{walk.portal_url}/@@viec-can-lam")
    walk.look(page, f"{name}-worklist")
    assert title in text_of(page, f"#worklist-{group}")
    with page.expect_navigation():
        page.locator(f"#worklist-{group} a", has_text=title).first.click()
    return walk.look(page, name)


def take_step(walk, page, transition, name, comment=None):
    if comment is not None:
        page.fill(f"#chain-comment-{transition}", comment)
    walk.click(page, f"#chain-step-{transition} button")
    walk.look(page, name)
    # The chain panel's form says that the step was taken (else why not).
    assert "Đã thực hiện" in text_of(page, "#global_statusmessage")
    return page


def move_notice_start_back(portal, candidate_path, days):
    """The notice period, run out: the day the candidate entered public notice,
    moved ``days`` back in its workflow history (what the guard reads)."""
    from DateTime import DateTime

    transaction.begin()
    candidate = portal.unrestrictedTraverse(candidate_path)
    history = candidate.workflow_history["thidua_candidate_workflow"]
    entries = list(history)
    for index, entry in enumerate(entries):
        if entry["review_state"] == "public_notice":
            entries[index] = {**entry, "time": DateTime(entry["time"] - days)}
    candidate.workflow_history["thidua_candidate_workflow"] = tuple(entries)
    transaction.commit()


@pytest.fixture
def council(http_world, functional_portal):
    """The province's council: the world's member and chair, and two more members."""
    api.portal.set_registry_record("plone.default_language", "vi")
    members = [http_world.users[("province", "CouncilMember")]]
    for number in (2, 3):
        user_id = f"province-member-{number}"
        api.user.create(email=f"{user_id}@example.vn", username=user_id, password=PASSWORD)
        api.group.add_user(
            groupname=group_id(http_world.province, "CouncilMember"), username=user_id
        )
        members.append(user_id)
    transaction.commit()
    return members


def test_the_whole_story_as_each_role(functional_portal, http_world, council, walk):
    users = http_world.users
    movement_url = http_world.province_movement.absolute_url()
    title = "Trần Thị Bình"

    # The officer registers the candidate with its personal data.
    officer = walk.person(users[("province", "UnitOfficer")])
    walk.look(officer, "officer-after-login")
    officer.goto(movement_url)
    walk.look(officer, "officer-movement")
    officer.goto(f"{movement_url}/++add++Candidate")
    officer.fill("#form-widgets-IBasic-title", title)
    officer.select_option("#form-widgets-kind", "individual")
    # TinyMCE edits the summary of achievements in its own frame.
    officer.frame_locator("#formfield-form-widgets-achievements iframe").locator("body").fill(
        "Ba năm liền hoàn thành xuất sắc nhiệm vụ; hai sáng kiến cấp tỉnh."
    )
    walk.look(officer, "officer-add-form")
    walk.click(officer, "#form-buttons-save")
    walk.look(officer, "officer-candidate-draft")
    candidate_url = officer.url.removesuffix("/view").rstrip("/")
    # The personal data, given afterwards in the edit form (the add form has it too).
    officer.goto(f"{candidate_url}/@@edit")
    officer.locator(".autotoc-nav a", has_text="Thông tin cá nhân").click()
    officer.fill("#form-widgets-birth_date", "1985-04-12")
    officer.select_option("#form-widgets-gender", index=2)
    officer.fill("#form-widgets-phone", "0987654321")
    officer.fill("#form-widgets-email", "binh@example.vn")
    officer.fill("#form-widgets-id_number", "001185012345")
    walk.look(officer, "officer-edit-personal-data")
    walk.click(officer, "#form-buttons-save")
    walk.look(officer, "officer-candidate-with-personal-data")
    # The officer reads the personal data in the page's staff-only section.
    assert "0987654321" in text_of(officer, ".thidua-personal-data")
    take_step(walk, officer, "submit", "officer-submitted")

    # The secretary returns it with a comment.
    secretary = walk.person(users[("province", "CouncilSecretary")])
    open_from_worklist(walk, secretary, title, "appraise", "secretary-candidate-submitted")
    take_step(
        walk,
        secretary,
        "return_for_revision",
        "secretary-returned",
        comment="Bổ sung minh chứng về sáng kiến.",
    )

    # The officer finds it returned and submits it again.
    open_from_worklist(walk, officer, title, "returned", "officer-candidate-returned")
    take_step(walk, officer, "submit", "officer-resubmitted")

    # The secretary publishes the notice; starting the review waits for its end.
    open_from_worklist(walk, secretary, title, "appraise", "secretary-candidate-resubmitted")
    take_step(walk, secretary, "publish_notice", "secretary-notice-published")
    blocked = text_of(secretary, "#chain-blocked-start_review")
    assert "Thời gian công khai còn 10 ngày làm việc" in blocked

    candidate_path = candidate_url[len(walk.portal_url) :].lstrip("/")
    site_path = "/".join(functional_portal.getPhysicalPath())
    move_notice_start_back(functional_portal, f"{site_path}/{candidate_path}", days=30)
    open_from_worklist(walk, secretary, title, "put_to_vote", "secretary-notice-over")
    take_step(walk, secretary, "start_review", "secretary-review-started")

    # The council votes by secret ballot; one member recuses.
    for number, member_id in enumerate(council[:2], start=1):
        member = walk.person(member_id)
        open_from_worklist(walk, member, title, "vote", f"member-{number}-ballot")
        member.check("#thidua-vote-yes")
        walk.click(member, "#thidua-ballot button.btn-primary")
        walk.look(member, f"member-{number}-voted")
        assert "Bạn đã bỏ phiếu" in text_of(member, "#thidua-ballot")
        member.context.close()
    recusing = walk.person(council[2])
    open_from_worklist(walk, recusing, title, "vote", "member-3-ballot")
    recusing.fill("#thidua-recuse-reason", "Tôi là người thân của ứng viên.")
    walk.click(recusing, "#thidua-ballot form:has(#thidua-recuse-reason) button")
    walk.look(recusing, "member-3-recused")
    ballot_panel = text_of(recusing, "#thidua-ballot")
    assert "Tôi là người thân của ứng viên." in ballot_panel
    recusing.context.close()

    # The chair selects and honours.
    chair = walk.person(users[("province", "CouncilChair")])
    open_from_worklist(walk, chair, title, "vote", "chair-candidate-under-review")
    take_step(walk, chair, "select", "chair-selected")
    take_step(walk, chair, "honour", "chair-honoured")

    # An anonymous visitor finds the candidate on the honour board, without personal data.
    visitor = walk.person()
    visitor.goto(walk.portal_url)
    walk.look(visitor, "anonymous-home")
    with visitor.expect_navigation():
        visitor.locator("#portal-globalnav a", has_text="Bảng vàng").click()
    walk.look(visitor, "anonymous-honour-board")
    card = visitor.locator(".honour-board .card", has_text=title)
    assert datetime.date.today().strftime("%d/%m/%Y") in card.inner_text()
    with visitor.expect_navigation():
        visitor.get_by_role("link", name=title).first.click()
    walk.look(visitor, "anonymous-candidate")
    assert title in visitor.content()
    assert "0987654321" not in visitor.content()
    assert "001185012345" not in visitor.content()

    transaction.begin()
    honoured = api.content.get(path=f"/{candidate_path}")
    assert api.content.get_state(honoured) == "honoured"
    assert honoured.honoured_date == datetime.date.today()
    walk.assert_accessible()
    assert not walk.guide_pages_not_taken(), walk.guide_pages_not_taken()
