"""Each guard says why it blocks a step, in Vietnamese and in English
(guards.refusal, chains/explain.py), and passes with no reason."""

from datetime import date
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from thidua import ballot as ballots
from thidua.chains import guards
from thidua.chains.explain import explain
from thidua.chains.status import force_state
from zope.i18n import translate

import pytest


def said(message, language):
    return None if message is None else translate(message, target_language=language)


def manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])


@pytest.mark.parametrize(
    "language,expected",
    [
        ("vi", "Hồ sơ chưa có tóm tắt thành tích."),
        ("en", "The dossier has no summary of achievements."),
    ],
)
def test_dossier_without_achievements(world, language, expected):
    candidate = world.province_candidate
    candidate.achievements = RichTextValue("<p>&nbsp;</p>")
    assert said(guards.dossier_incomplete(candidate), language) == expected
    assert not guards.dossier_complete(candidate)


@pytest.mark.parametrize(
    "language,expected",
    [
        ("vi", "Hồ sơ mới có 0 tệp đính kèm, cần 2 tệp."),
        ("en", "The dossier has 0 attached files; it needs 2."),
    ],
)
def test_dossier_with_too_few_files(world, language, expected):
    reason = guards.dossier_incomplete(world.province_candidate, attachments=2)
    assert said(reason, language) == expected


def test_complete_dossier_passes(world):
    assert guards.dossier_incomplete(world.province_candidate) is None
    assert guards.dossier_complete(world.province_candidate)


@pytest.mark.parametrize(
    "language,template",
    [
        ("vi", "Thời gian công khai còn 10 ngày làm việc, đến {end}."),
        ("en", "The public notice has 10 working days left, until {end}."),
    ],
)
def test_notice_period_running(world, portal, language, template):
    candidate = world.province_candidate
    manager(portal)
    force_state(candidate, "public_notice")
    end = guards.working_day_after(date.today(), 10).strftime("%d/%m/%Y")
    reason = guards.notice_running(candidate, working_days=10)
    assert said(reason, language) == template.format(end=end)
    assert guards.notice_running(candidate, working_days=0) is None


@pytest.mark.parametrize(
    "language,expected",
    [("vi", "Hồ sơ chưa được công khai."), ("en", "The dossier has not been on public notice.")],
)
def test_notice_period_never_started(world, language, expected):
    assert said(guards.notice_running(world.province_candidate), language) == expected


@pytest.fixture
def under_review(world, portal):
    candidate = world.ward_candidate
    manager(portal)
    force_state(candidate, "under_review")
    return candidate


def vote(world, candidate, choices):
    voters = ("CouncilMember", "CouncilChair")[: len(choices)]
    for role, choice in zip(voters, choices, strict=True):
        ballots.cast(candidate, world.users[("ward", role)], choice)


@pytest.mark.parametrize(
    "language,expected",
    [
        ("vi", "Chưa đủ 2/3 thành viên biểu quyết (1/2)."),
        ("en", "Fewer than 2/3 of the council members have voted (1 of 2)."),
    ],
)
def test_ballot_without_quorum(world, under_review, language, expected):
    vote(world, under_review, ["yes"])
    assert said(guards.ballot_short(under_review, "2/3", "1/2", "passed"), language) == expected
    assert said(guards.ballot_short(under_review, "2/3", "1/2", "failed"), language) == expected


@pytest.mark.parametrize(
    "language,expected",
    [
        ("vi", "Biểu quyết chưa đạt: 1/2 phiếu đồng ý, cần trên 1/2."),
        ("en", "The ballot did not pass: 1 yes of 2, more than 1/2 needed."),
    ],
)
def test_ballot_below_threshold(world, under_review, language, expected):
    vote(world, under_review, ["yes", "no"])
    assert said(guards.ballot_short(under_review, "2/3", "1/2", "passed"), language) == expected
    assert guards.ballot_short(under_review, "2/3", "1/2", "failed") is None


@pytest.mark.parametrize(
    "language,expected",
    [
        ("vi", "Biểu quyết đã đạt: không thể không chọn hồ sơ này."),
        ("en", "The ballot passed: the candidate cannot be declined."),
    ],
)
def test_ballot_passed_blocks_decline(world, under_review, language, expected):
    vote(world, under_review, ["yes", "yes"])
    assert guards.ballot_short(under_review, "2/3", "1/2", "passed") is None
    assert said(guards.ballot_short(under_review, "2/3", "1/2", "failed"), language) == expected


def test_explain_for_the_chair(world, portal, under_review):
    vote(world, under_review, ["yes", "yes"])
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, world.users[("ward", "CouncilChair")])
    assert explain(under_review, "select") == (True, None)
    possible, reason = explain(under_review, "reject")
    assert not possible
    assert said(reason, "vi") == "Biểu quyết đã đạt: không thể không chọn hồ sơ này."
    # A role that may not take the step gets no reason: it is not its step.
    login(portal, world.users[("ward", "UnitOfficer")])
    assert explain(under_review, "select") == (False, None)
    assert api.content.get_state(under_review) == "under_review"
