"""The whole story of a candidate, clicked in headless Chromium through the
Classic UI pages as each role sees them, over the functional layer's WSGI
server: the officer registers and submits, the secretary returns it, the
officer resubmits, the notice runs, the council votes (one member recuses),
the chair selects and honours, and an anonymous visitor finds the candidate
on the honour board.

Every page of the walk is kept as a screenshot (``$THIDUA_ARTIFACTS``, else
``test-artifacts/browser/``) and scanned with axe-core: none may have a
serious or critical violation.

The user guide (docs/guide/) is illustrated with pages of this walk: every
picture it shows must be a page the walk takes, and ``make guide`` (which sets
``THIDUA_GUIDE``) writes them into docs/guide/anh/.
"""

from pathlib import Path
from plone import api
from thidua.delegation import group_id
from thidua.testing import PASSWORD

import datetime
import json
import os
import pytest
import re
import transaction


playwright = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

# Debian's chromium (.ci/run installs it): Playwright never downloads a browser here.
CHROMIUM = "/usr/bin/chromium"
BLOCKING_IMPACTS = {"serious", "critical"}
# TinyMCE (6 and later) names its editing area by an aria-label inside its
# frame (``iframe_aria_text``, set by thidua.accessibility) and gives the
# frame itself no title: axe's frame-title rule cannot see that name.
NOT_SCANNED = [[".tox-edit-area__iframe"]]
ARTIFACTS = Path(
    os.environ.get("THIDUA_ARTIFACTS")
    or Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
)

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"


def guide_pictures():
    """The names of the pages the guide shows: ``anh/<name>.jpg`` in its pages."""
    return {
        name
        for page in GUIDE.glob("*.md")
        for name in re.findall(r"\(anh/([\w-]+)\.jpg\)", page.read_text(encoding="utf-8"))
    }


pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK), reason=f"{CHROMIUM} is missing (apt-get install chromium)"
)


class Walk:
    """One browser for the whole story; a context (own cookies) per person.
    ``look`` keeps each page's screenshot and its axe-core findings."""

    def __init__(self, browser, portal_url):
        self.browser = browser
        self.portal_url = portal_url
        self.axe = axe_playwright.Axe()
        self.pages = 0
        self.findings = []
        self.names = set()
        self.for_guide = guide_pictures() if os.environ.get("THIDUA_GUIDE") else set()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in [*ARTIFACTS.glob("*.png"), *ARTIFACTS.glob("*.axe.json")]:
            old.unlink()

    def person(self, user_id=None):
        context = self.browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if user_id is not None:
            page.goto(f"{self.portal_url}/login")
            page.fill("#__ac_name", user_id)
            page.fill("#__ac_password", PASSWORD)
            with page.expect_navigation():
                page.click('button[name="buttons.login"]')
        return page

    def look(self, page, name):
        """Screenshot and axe-core scan of the page as it stands."""
        page.wait_for_load_state("load")
        self.pages += 1
        stem = f"{self.pages:02d}-{name}"
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        self.names.add(name)
        if name in self.for_guide:
            page.screenshot(path=str(GUIDE / "anh" / f"{name}.jpg"), type="jpeg", quality=70)
        violations = self.axe.run(page, context={"exclude": NOT_SCANNED}).response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        if violations:
            (ARTIFACTS / f"{stem}.axe.json").write_text(json.dumps(violations, indent=1))
        for violation in blocking:
            targets = [node["target"] for node in violation["nodes"]][:5]
            self.findings.append(f"{stem} {page.url}: {violation['id']} {targets}")
        return page

    def click(self, page, selector):
        """Click a button that posts a form, and wait for the page it leads to."""
        with page.expect_navigation():
            page.click(selector)
        return page


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


@pytest.fixture
def walk(functional_portal):
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield Walk(browser, functional_portal.absolute_url())
        finally:
            browser.close()


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
    # The add form, made in the movement, has no personal data: the edit form does.
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
    assert "0987654321" in officer.content()  # the officer sees the personal data
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
    assert not walk.findings, "axe-core serious or critical violations:\n" + "\n".join(
        walk.findings
    )
    # The guide shows only pages this walk takes, so it stays true.
    assert guide_pictures() <= walk.names, guide_pictures() - walk.names
