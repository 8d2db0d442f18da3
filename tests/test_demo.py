"""thidua:demo builds the seeds' world."""

from plone import api
from plone.app.testing import applyProfile
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from thidua.delegation import group_id

import pytest


@pytest.fixture
def demo(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    applyProfile(portal, "thidua:demo")
    setRoles(portal, TEST_USER_ID, ["Member"])
    return portal


def find(**query):
    return api.portal.get_tool("portal_catalog").unrestrictedSearchResults(**query)


def test_units_and_plans_of_the_seeds(demo):
    codes = {brain.unit_code for brain in find(portal_type="Unit")}
    assert {"GIALAI", "BRVT", "CONDAO", "THANGLOI", "QUANGBINH", "QB-SXD"} <= codes
    numbers = {brain.getObject().document_number for brain in find(portal_type="Plan")}
    assert {"1043/KH-UBND", "126/KH-UBND"} <= numbers


def test_brvt_plan_has_its_24_movements(demo):
    [plan] = [
        b.getObject()
        for b in find(portal_type="Plan")
        if b.getObject().document_number == "126/KH-UBND"
    ]
    movements = [obj for obj in plan.objectValues() if obj.portal_type == "Movement"]
    assert len(movements) == 24
    assert all(movement.lead_agency for movement in movements)
    assert all(api.content.get_state(movement) == "launched" for movement in movements)


def test_ward_plan_implements_the_higher_plan(demo):
    [ward] = find(portal_type="Unit", unit_code="THANGLOI")
    [plan] = [obj for obj in ward.getObject().objectValues() if obj.portal_type == "Plan"]
    assert plan.implements.to_object.portal_type == "Plan"
    assert plan.quarterly_quota >= 1


def test_candidates_in_every_state(demo):
    states = {brain.review_state for brain in find(portal_type="Candidate")}
    assert states == {
        "draft",
        "submitted",
        "public_notice",
        "under_review",
        "selected",
        "honoured",
        "rejected",
        "withdrawn",
    }
    honoured = find(portal_type="Candidate", review_state="honoured")
    assert len(honoured) >= 2
    assert all(brain.thidua_honour_form and brain.thidua_honoured_date for brain in honoured)
    assert all(brain._unrestrictedGetObject().image for brain in honoured)


def test_ward_candidates_follow_the_short_chain(demo):
    [ward] = find(portal_type="Unit", unit_code="THANGLOI")
    workflows = api.portal.get_tool("portal_workflow")
    for brain in find(portal_type="Candidate", path=ward.getPath()):
        [workflow] = workflows.getWorkflowsFor(brain._unrestrictedGetObject())
        assert workflow.getId() == "thidua_candidate_short_workflow"


def test_demo_users_for_every_role_in_three_units(demo):
    for code in ("BRVT", "CONDAO", "THANGLOI"):
        [unit] = find(portal_type="Unit", unit_code=code)
        for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
            members = api.user.get_users(groupname=group_id(unit.getObject(), role))
            assert members, (code, role)


def test_ballots_under_way(demo):
    from thidua import ballot

    tallies = {
        brain.unit_title: ballot.tally(brain._unrestrictedGetObject())
        for brain in find(portal_type="Candidate", review_state="under_review")
    }
    brvt = next(t for unit, t in tallies.items() if "Vũng Tàu" in unit)
    assert (brvt["yes"], brvt["no"], brvt["voted"], brvt["council_size"]) == (2, 1, 3, 4)
    assert brvt["quorum_met"] and not brvt["threshold_met"]


def test_nurture_plans_with_an_overdue_and_an_off_track_model(demo):
    from plone.app.testing import login
    from thidua import nurture
    from thidua.dashboard import dashboard
    from thidua.worklist import worklist

    [dat] = find(portal_type="Candidate", id="ky-su-vo-thanh-dat")
    plan = nurture.plan(dat._unrestrictedGetObject())
    assert len(plan["checkins"]) == 1 and plan["overdue_working_days"] > 0
    login(demo, "brvt-canbo")
    follow_up = [row["title"] for row in worklist("brvt-canbo") if row["group"] == "follow_up"]
    assert follow_up == [dat.Title]
    [thangloi] = find(portal_type="Unit", unit_code="THANGLOI")
    [flag] = dashboard(thangloi._unrestrictedGetObject())["off_track"]
    assert "Hoa Mai" in flag["title"]


def test_replication_of_the_selected_and_honoured_models(demo):
    from thidua.replication.reach import score
    from thidua.vocabularies import ACTIVITY_KINDS

    for term in ACTIVITY_KINDS:
        activities = find(portal_type="Activity", thidua_activity_kind=term.value)
        assert len(activities) >= 12, term.value
        states = {brain.review_state for brain in activities}
        assert states == {"published", "internal"}
        assert all(2021 <= brain.thidua_activity_date.year <= 2025 for brain in activities)
    adoptions = find(portal_type="Adoption")
    levels = {
        find(UID=brain.thidua_unit)[0].thidua_level for brain in adoptions if brain.thidua_unit
    }
    assert {"province", "department", "district"} <= levels
    articles = find(portal_type="Activity", thidua_activity_kind="article")
    assert all(brain.thidua_outlet for brain in articles)
    # The index the honour board sorts on is the reach computed afresh.
    for brain in find(portal_type="Candidate", review_state="honoured"):
        assert brain.thidua_reach == score(brain.UID)
    assert max(brain.thidua_reach for brain in find(portal_type="Candidate")) > 5
