"""Both candidate chains walked end to end by the users who hold each role, in
process and through the WSGI server; every step refused to the other roles."""

from DateTime import DateTime
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.textfield.value import RichTextValue
from Products.CMFCore.WorkflowCore import WorkflowException
from thidua import ballot
from thidua.chains import guards
from thidua.delegation import group_id

import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
ROLES = ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair")
# Who triggers each step of the default chains (the contract's table).
BY = {
    "submit": "UnitOfficer",
    "withdraw": "UnitOfficer",
    "return_for_revision": "CouncilSecretary",
    "publish_notice": "CouncilSecretary",
    "start_review": "CouncilSecretary",
    "reopen": "CouncilSecretary",
    "select": "CouncilChair",
    "reject": "CouncilChair",
    "honour": "CouncilChair",
    "revoke": "CouncilChair",
}
COMMENTED = {"return_for_revision", "reject", "revoke"}


def user(world, unit, role):
    return world.users[(unit, role)]


def available(portal, user_id, obj):
    login(portal, user_id)
    return {t["id"] for t in api.portal.get_tool("portal_workflow").getTransitionsFor(obj)}


def step(portal, world, unit, obj, transition):
    """Trigger ``transition`` as its role after checking that no other role may."""
    for role in ROLES:
        if role == BY[transition]:
            continue
        assert transition not in available(portal, user(world, unit, role), obj), role
        with pytest.raises(WorkflowException):
            api.portal.get_tool("portal_workflow").doActionFor(obj, transition, comment="x")
    login(portal, user(world, unit, BY[transition]))
    comment = f"Lý do: {transition}" if transition in COMMENTED else ""
    api.content.transition(obj=obj, transition=transition, comment=comment)
    entry = obj.workflow_history[
        api.portal.get_tool("portal_workflow").getWorkflowsFor(obj)[0].getId()
    ][-1]
    assert (entry["action"], entry["actor"], entry["comments"]) == (
        transition,
        user(world, unit, BY[transition]),
        comment,
    )
    assert isinstance(entry["time"], DateTime)
    return api.content.get_state(obj)


def backdate_notice(candidate, days=30):
    """Pretend the public notice began ``days`` calendar days ago."""
    workflow_id = "thidua_candidate_workflow"
    history = list(candidate.workflow_history[workflow_id])
    history[-1] = {**history[-1], "time": DateTime() - days}
    candidate.workflow_history[workflow_id] = tuple(history)


def council_votes(portal, world, unit, candidate, choices):
    for role, choice in zip(("CouncilChair", "CouncilMember"), choices, strict=True):
        login(portal, user(world, unit, role))
        ballot.cast(candidate, user(world, unit, role), choice)


class TestFullChain:
    def test_from_draft_to_honoured(self, world, portal):
        candidate = world.province_candidate
        assert step(portal, world, "province", candidate, "submit") == "submitted"
        assert step(portal, world, "province", candidate, "publish_notice") == "public_notice"
        logout()
        assert api.user.has_permission("View", obj=candidate)  # anonymous reads the notice
        assert not api.user.has_permission("thidua: View personal data", obj=candidate)
        # The notice has not lasted ten working days yet.
        secretary = user(world, "province", "CouncilSecretary")
        assert "start_review" not in available(portal, secretary, candidate)
        backdate_notice(candidate)
        assert step(portal, world, "province", candidate, "start_review") == "under_review"
        # No ballot yet: the chair can neither select nor reject.
        chair = user(world, "province", "CouncilChair")
        assert available(portal, chair, candidate) & {"select", "reject"} == set()
        council_votes(portal, world, "province", candidate, ("yes", "yes"))
        assert step(portal, world, "province", candidate, "select") == "selected"
        assert step(portal, world, "province", candidate, "honour") == "honoured"
        logout()
        assert api.user.has_permission("View", obj=candidate)

    def test_declined_revoked_reopened_withdrawn(self, world, portal):
        candidate = world.province_candidate
        step(portal, world, "province", candidate, "submit")
        step(portal, world, "province", candidate, "publish_notice")
        backdate_notice(candidate)
        step(portal, world, "province", candidate, "start_review")
        council_votes(portal, world, "province", candidate, ("no", "no"))
        assert step(portal, world, "province", candidate, "reject") == "rejected"
        assert step(portal, world, "province", candidate, "reopen") == "draft"
        assert step(portal, world, "province", candidate, "submit") == "submitted"
        assert step(portal, world, "province", candidate, "withdraw") == "withdrawn"
        assert step(portal, world, "province", candidate, "reopen") == "draft"

    def test_revoke_an_honour(self, world, portal, honoured):
        assert step(portal, world, "province", honoured, "revoke") == "rejected"

    def test_return_for_revision_from_each_state_it_leaves(self, world, portal):
        candidate = world.province_candidate
        for reached in ("submitted", "public_notice", "under_review"):
            step(portal, world, "province", candidate, "submit")
            if reached != "submitted":
                step(portal, world, "province", candidate, "publish_notice")
            if reached == "under_review":
                backdate_notice(candidate)
                step(portal, world, "province", candidate, "start_review")
            assert api.content.get_state(candidate) == reached
            assert step(portal, world, "province", candidate, "return_for_revision") == "draft"


class TestShortChain:
    def test_review_straight_from_submitted(self, world, portal):
        candidate = world.ward_candidate
        assert step(portal, world, "ward", candidate, "submit") == "submitted"
        secretary = user(world, "ward", "CouncilSecretary")
        assert "publish_notice" not in available(portal, secretary, candidate)
        assert step(portal, world, "ward", candidate, "start_review") == "under_review"
        council_votes(portal, world, "ward", candidate, ("yes", "yes"))
        assert step(portal, world, "ward", candidate, "select") == "selected"
        assert step(portal, world, "ward", candidate, "honour") == "honoured"


class TestGuards:
    def test_dossier_complete(self, world, portal):
        candidate = world.province_candidate
        candidate.achievements = RichTextValue("<p>&nbsp;</p>")
        officer = user(world, "province", "UnitOfficer")
        assert "submit" not in available(portal, officer, candidate)
        candidate.achievements = RichTextValue("<p>Hoàn thành xuất sắc</p>")
        assert "submit" in available(portal, officer, candidate)
        # A chain may also ask for attachments.
        assert not guards.dossier_complete(candidate, attachments=1)
        api.content.create(container=candidate, type="File", id="proof", title="Minh chứng")
        assert guards.dossier_complete(candidate, attachments=1)

    def test_notice_period_counts_working_days(self, world, portal):
        candidate = world.province_candidate
        step(portal, world, "province", candidate, "submit")
        step(portal, world, "province", candidate, "publish_notice")
        assert not guards.notice_period(candidate, working_days=10)
        assert guards.notice_period(candidate, working_days=0)
        backdate_notice(candidate, days=30)
        assert guards.notice_period(candidate, working_days=10)

    def test_comment_required_refused_without_one(self, world, portal):
        candidate = world.province_candidate
        step(portal, world, "province", candidate, "submit")
        login(portal, user(world, "province", "CouncilSecretary"))
        with pytest.raises(WorkflowException, match="needs a comment"):
            api.portal.get_tool("portal_workflow").doActionFor(candidate, "return_for_revision")
        assert api.content.get_state(candidate) == "submitted"


# Through the WSGI server


def http_step(world, unit, candidate, transition, comment=None, expect=200):
    auth = (user(world, unit, BY[transition]), "secret-pw")
    body = {"comment": comment} if comment is not None else {}
    response = requests.post(
        f"{candidate.absolute_url()}/@workflow/{transition}",
        headers=JSON,
        auth=auth,
        json=body,
        timeout=30,
    )
    assert response.status_code == expect, (transition, response.text)
    return response


def http_refused(world, unit, candidate, transition):
    for role in ROLES:
        if role == BY[transition]:
            continue
        response = requests.post(
            f"{candidate.absolute_url()}/@workflow/{transition}",
            headers=JSON,
            auth=(user(world, unit, role), "secret-pw"),
            json={"comment": "x"},
            timeout=30,
        )
        # plone.restapi answers 400 "Invalid transition" to a role that may
        # see the item, 401/403 to one that may not even see it.
        assert response.status_code in (400, 401, 403), (transition, role, response.text)
        assert "traceback" not in response.json().get("error", response.json())


def http_vote(world, unit, candidate, role, choice):
    response = requests.post(
        f"{candidate.absolute_url()}/@votes",
        headers=JSON,
        auth=(user(world, unit, role), "secret-pw"),
        json={"vote": choice},
        timeout=30,
    )
    assert response.status_code == 201, response.text


class TestOverHTTP:
    def test_full_chain(self, http_world, functional_portal):
        world, candidate = http_world, http_world.province_candidate
        for transition in ("submit", "publish_notice"):
            http_refused(world, "province", candidate, transition)
            http_step(world, "province", candidate, transition)
        too_early = http_step(world, "province", candidate, "start_review", expect=400)
        # A step not offered (here: the notice has not lasted long enough).
        assert too_early.json()["error"]["field"] == "transition"
        transaction.begin()
        backdate_notice(candidate)
        transaction.commit()
        http_refused(world, "province", candidate, "start_review")
        http_step(world, "province", candidate, "start_review")
        http_vote(world, "province", candidate, "CouncilChair", "yes")
        http_vote(world, "province", candidate, "CouncilMember", "yes")
        http_refused(world, "province", candidate, "select")
        http_step(world, "province", candidate, "select")
        http_step(world, "province", candidate, "honour")
        public = requests.get(candidate.absolute_url(), headers=JSON, timeout=30)
        assert public.status_code == 200
        assert public.json()["review_state"] == "honoured"
        workflow = requests.get(
            f"{candidate.absolute_url()}/@workflow",
            headers=JSON,
            auth=(user(world, "province", "CouncilSecretary"), "secret-pw"),
            timeout=30,
        ).json()
        steps = [(entry["action"], entry["actor"]) for entry in workflow["history"]][1:]
        assert steps == [
            (transition, user(world, "province", BY[transition]))
            for transition in ("submit", "publish_notice", "start_review", "select", "honour")
        ]

    def test_a_comment_is_required_over_http(self, http_world):
        world, candidate = http_world, http_world.ward_candidate
        http_step(world, "ward", candidate, "submit")
        refused = http_step(world, "ward", candidate, "return_for_revision", expect=400)
        assert refused.json()["error"]["field"] == "comment"
        vietnamese = requests.post(
            f"{candidate.absolute_url()}/@workflow/return_for_revision",
            headers={**JSON, "Accept-Language": "vi"},
            auth=(user(world, "ward", "CouncilSecretary"), "secret-pw"),
            json={},
            timeout=30,
        )
        assert "phải kèm ý kiến nêu rõ lý do" in vietnamese.json()["error"]["message"]
        not_json = requests.post(
            f"{candidate.absolute_url()}/@workflow/return_for_revision",
            headers=JSON,
            auth=(user(world, "ward", "CouncilSecretary"), "secret-pw"),
            data="{oops",
            timeout=30,
        )
        assert not_json.status_code == 400
        http_step(world, "ward", candidate, "return_for_revision", comment="Thiếu minh chứng")

    def test_history_cannot_be_erased(self, http_world):
        world, candidate = http_world, http_world.province_candidate
        http_step(world, "province", candidate, "submit")
        for role in ROLES:
            auth = (user(world, "province", role), "secret-pw")
            requests.patch(
                candidate.absolute_url(),
                headers=JSON,
                auth=auth,
                json={"workflow_history": {}, "review_state": "draft"},
                timeout=30,
            )
        transaction.begin()
        history = candidate.workflow_history["thidua_candidate_workflow"]
        assert [entry["action"] for entry in history][-1] == "submit"
        assert api.content.get_state(candidate) == "submitted"


def test_a_group_in_a_group_still_sits_on_the_council(world, portal):
    api.group.create(groupname="hoi-dong-mo-rong")
    api.user.create(email="invited@example.vn", username="invited", password="secret-pw")
    api.group.add_user(groupname="hoi-dong-mo-rong", username="invited")
    api.portal.get_tool("portal_groups").addPrincipalToGroup(
        "hoi-dong-mo-rong", group_id(world.province, "CouncilMember")
    )
    assert "invited" in ballot.council(world.province_candidate)
