"""Plans, movements and reports walked through their chains, each step by the
role the chain names, in-process and over HTTP (plone.restapi's @workflow).

Every other council role of the unit, and the same role of another unit, is
refused each step; a comment-required step is refused without a comment; the
history keeps actor, time and comment, and no edit erases it.
"""

from DateTime import DateTime
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from Products.CMFCore.WorkflowCore import WorkflowException
from thidua.chains.access import chain_of

import datetime
import pytest
import requests
import transaction


COUNCIL = ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair")
JSON = {"Accept": "application/json", "Content-Type": "application/json"}

# (transition, the roles that may take it, the state it ends in, comment required)
WALKS = {
    "thidua_plan_workflow": [
        ("submit", {"CouncilSecretary"}, "pending", False),
        ("return_for_revision", {"CouncilChair", "CouncilSecretary"}, "draft", True),
        ("submit", {"CouncilSecretary"}, "pending", False),
        ("issue", {"CouncilChair"}, "issued", False),
        ("close", {"CouncilChair"}, "closed", False),
    ],
    "thidua_movement_workflow": [
        ("launch", {"CouncilChair"}, "launched", False),
        ("close", {"CouncilChair"}, "closed", False),
    ],
    "thidua_report_workflow": [
        ("submit", {"UnitOfficer"}, "submitted", False),
        ("return_for_revision", {"CouncilSecretary"}, "draft", True),
        ("submit", {"UnitOfficer"}, "submitted", False),
        ("accept", {"CouncilSecretary"}, "accepted", False),
        ("publish", {"CouncilSecretary"}, "published", False),
    ],
}


def add_drafts(portal, world):
    """A draft plan, movement and report in the province, by an administrator."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    items = {
        "thidua_plan_workflow": api.content.create(
            container=world.province,
            type="Plan",
            id="walk-plan",
            title="Kế hoạch thi đua 2026-2030",
            period_start=2026,
            period_end=2030,
        ),
        "thidua_movement_workflow": api.content.create(
            container=world.province_plan,
            type="Movement",
            id="walk-movement",
            title="Phong trào chuyển đổi số",
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2026, 12, 31),
        ),
        "thidua_report_workflow": api.content.create(
            container=world.province_plan,
            type="Report",
            id="walk-report",
            title="Báo cáo năm 2025",
            report_type="annual",
            year=2025,
        ),
    }
    setRoles(portal, TEST_USER_ID, ["Member"])
    return items


def test_walks_match_the_chain_files(portal):
    """The walks below are the contract; the chain files must agree with them."""
    workflows = api.portal.get_tool("portal_workflow")
    for chain_id, steps in WALKS.items():
        chain = chain_of(workflows[chain_id])
        for transition, roles, state, comment_required in steps:
            spec = chain["transitions"][transition]
            assert set(spec["roles"]) == roles, (chain_id, transition)
            assert spec["to"] == state
            assert bool(spec.get("comment_required")) is comment_required


def available(portal, user_id, obj):
    login(portal, user_id)
    try:
        workflows = api.portal.get_tool("portal_workflow")
        return {t["id"] for t in workflows.getTransitionsFor(obj)}
    finally:
        logout()


def do(portal, user_id, obj, transition, **kwargs):
    login(portal, user_id)
    try:
        api.portal.get_tool("portal_workflow").doActionFor(obj, transition, **kwargs)
    finally:
        logout()


@pytest.mark.parametrize("chain_id", sorted(WALKS))
def test_walk_in_process(world, portal, chain_id):
    obj = add_drafts(portal, world)[chain_id]
    assert api.content.get_state(obj) == "draft"
    for transition, roles, state, comment_required in WALKS[chain_id]:
        before = api.content.get_state(obj)
        refused = [world.users[("province", r)] for r in COUNCIL if r not in roles]
        refused += [world.users[("ward", r)] for r in sorted(roles)]
        for user_id in refused:
            assert transition not in available(portal, user_id, obj), (transition, user_id)
            with pytest.raises(WorkflowException):
                do(portal, user_id, obj, transition, comment="Không được phép")
            assert api.content.get_state(obj) == before
        for role in sorted(roles):
            assert transition in available(portal, world.users[("province", role)], obj)
        actor = world.users[("province", sorted(roles)[0])]
        if comment_required:
            with pytest.raises(WorkflowException, match="needs a comment"):
                do(portal, actor, obj, transition)
            with pytest.raises(WorkflowException, match="needs a comment"):
                do(portal, actor, obj, transition, comment="   ")
            assert api.content.get_state(obj) == before
        comment = f"Ý kiến khi {transition}"
        started = DateTime()
        do(portal, actor, obj, transition, comment=comment)
        assert api.content.get_state(obj) == state
        entry = obj.workflow_history[chain_id][-1]
        assert (entry["action"], entry["actor"], entry["comments"]) == (transition, actor, comment)
        assert entry["review_state"] == state
        assert started <= entry["time"] <= DateTime()
    history = obj.workflow_history[chain_id]
    assert [e["action"] for e in history] == [None, *(s[0] for s in WALKS[chain_id])]


def auth(world, unit, role):
    return (world.users[(unit, role)], "secret-pw")


def post(obj, transition, credentials, comment=None):
    body = {} if comment is None else {"comment": comment}
    return requests.post(
        f"{obj.absolute_url()}/@workflow/{transition}",
        headers=JSON,
        auth=credentials,
        json=body,
        timeout=30,
    )


def can_view(obj, user_id):
    return api.user.get(userid=user_id).has_permission("View", obj)


@pytest.mark.parametrize("chain_id", sorted(WALKS))
def test_walk_over_http(http_world, functional_portal, chain_id):
    world = http_world
    obj = add_drafts(functional_portal, world)[chain_id]
    transaction.commit()
    seen = set()
    for transition, roles, state, comment_required in WALKS[chain_id]:
        before = api.content.get_state(obj)
        refused = [("province", r) for r in COUNCIL if r not in roles]
        refused += [("ward", r) for r in sorted(roles)]
        for unit, role in refused:
            response = post(obj, transition, auth(world, unit, role), "Không được phép")
            seen.add(response.status_code)
            if can_view(obj, world.users[(unit, role)]):
                # Seen but not theirs: 403 naming the transition (services/workflow).
                assert response.status_code == 403, (transition, unit, role)
                error = response.json()["error"]
                assert (error["type"], error["field"]) == ("Forbidden", "transition")
                assert f"may not take the step '{transition}'" in error["message"]
            else:
                # Not even visible to them: Zope refuses the traversal.
                assert response.status_code == 401, (transition, unit, role)
                assert response.json()["type"] == "Unauthorized"
        transaction.begin()
        assert api.content.get_state(obj) == before
        actor = auth(world, "province", sorted(roles)[0])
        if comment_required:
            for empty in (None, "", "  "):
                response = post(obj, transition, actor, empty)
                assert response.status_code == 400
                error = response.json()["error"]
                assert (error["type"], error["field"]) == ("BadRequest", "comment")
                assert "needs a comment" in error["message"]
            transaction.begin()
            assert api.content.get_state(obj) == before
        comment = f"Ý kiến khi {transition}"
        response = post(obj, transition, actor, comment)
        assert response.status_code == 200, response.text
        data = response.json()
        assert (data["action"], data["actor"], data["comments"]) == (transition, actor[0], comment)
        assert data["review_state"] == state
        transaction.begin()
        assert api.content.get_state(obj) == state
    assert seen == {401, 403}  # each chain meets both kinds of refusal
    history = requests.get(
        f"{obj.absolute_url()}/@workflow", headers=JSON, auth=actor, timeout=30
    ).json()["history"]
    assert [e["action"] for e in history] == [None, *(s[0] for s in WALKS[chain_id])]
    assert all(e["time"] for e in history)
    assert history[-1]["comments"] == comment


def test_history_cannot_be_erased_over_http(http_world, functional_portal):
    """Someone who may edit the item cannot rewrite its state or its history:
    PATCH ignores the keys, @history is closed to the council, and there is no
    DELETE on it."""
    world = http_world
    plan = add_drafts(functional_portal, world)["thidua_plan_workflow"]
    transaction.commit()
    secretary = auth(world, "province", "CouncilSecretary")
    assert post(plan, "submit", secretary, "Trình ký").status_code == 200
    chair = auth(world, "province", "CouncilChair")  # may edit a pending plan
    transaction.begin()
    history = list(plan.workflow_history["thidua_plan_workflow"])
    for credentials in (chair, (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)):
        response = requests.patch(
            plan.absolute_url(),
            headers=JSON,
            auth=credentials,
            json={
                "title": "Kế hoạch (sửa)",
                "review_state": "issued",
                "workflow_history": {},
                "review_history": [],
            },
            timeout=30,
        )
        assert response.status_code == 204, response.text
    transaction.begin()
    assert plan.title == "Kế hoạch (sửa)"  # the edit itself went through
    assert api.content.get_state(plan) == "pending"
    assert list(plan.workflow_history["thidua_plan_workflow"]) == history
    history_url = f"{plan.absolute_url()}/@history"
    assert (
        requests.patch(
            history_url, headers=JSON, auth=chair, json={"version": 0}, timeout=30
        ).status_code
        == 401
    )
    # plone.restapi has no DELETE on @history at all.
    assert requests.delete(history_url, headers=JSON, auth=chair, timeout=30).status_code == 404
    transaction.begin()
    assert list(plan.workflow_history["thidua_plan_workflow"]) == history
