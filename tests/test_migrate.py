"""A unit that changes its candidate chain takes its candidates along."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from thidua.chains import migrate
from thidua.chains import status
from thidua.chains.status import force_state
from thidua.content.unit import IUnit
from zope.event import notify
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import ObjectModifiedEvent

import requests
import transaction


FULL = "thidua_candidate_workflow"
SHORT = "thidua_candidate_short_workflow"


def walk(portal, candidate, state):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    force_state(candidate, state)
    setRoles(portal, TEST_USER_ID, ["Member"])


def switch(portal, unit, chain_id, *fields):
    """Change the unit's chain as an edit form does, as a site administrator."""
    login(portal, TEST_USER_NAME)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    unit.candidate_chain = chain_id
    notify(ObjectModifiedEvent(unit, Attributes(IUnit, *(fields or ("candidate_chain",)))))
    setRoles(portal, TEST_USER_ID, ["Member"])


def anonymous_finds(candidate):
    logout()
    found = api.portal.get_tool("portal_catalog")(UID=candidate.UID())
    return len(found) == 1


def test_full_to_short_moves_public_notice_to_submitted(world, portal):
    candidate = world.province_candidate
    walk(portal, candidate, "public_notice")
    assert anonymous_finds(candidate)  # a public notice is public
    switch(portal, world.province, SHORT)
    assert api.portal.get_tool("portal_workflow").getWorkflowsFor(candidate)[0].getId() == SHORT
    assert api.content.get_state(candidate) == "submitted"
    entry = candidate.workflow_history[SHORT][-1]
    assert entry["actor"] == TEST_USER_ID
    assert entry["action"] is None
    assert "Candidate approval, with public notice" in entry["comments"]
    assert "Candidate approval, without public notice" in entry["comments"]
    # Permissions and the catalog follow the new state: no longer public.
    view = {r["name"] for r in candidate.rolesOfPermission("View") if r["selected"]}
    assert "Anonymous" not in view and "CouncilMember" in view
    assert not anonymous_finds(candidate)


def test_short_to_full_keeps_submitted(world, portal):
    candidate = world.ward_candidate
    walk(portal, candidate, "submitted")
    switch(portal, world.ward, FULL)
    assert api.content.get_state(candidate) == "submitted"
    assert [e["review_state"] for e in candidate.workflow_history[FULL]] == ["submitted"]
    # The full chain's next step is the public notice, the short one's is gone.
    setRoles(portal, TEST_USER_ID, ["Manager"])
    ids = {t["id"] for t in api.portal.get_tool("portal_workflow").getTransitionsFor(candidate)}
    assert "publish_notice" in ids and "start_review" not in ids


def test_a_state_the_new_chain_lacks_without_replacement_goes_to_initial(world, portal):
    chain = {"states": {"draft": {}, "submitted": {}}, "initial_state": "draft"}
    assert status.target_state(chain, "submitted") == "submitted"
    assert status.target_state(chain, "public_notice") == "draft"
    chain["replaced_states"] = {"public_notice": "submitted"}
    assert status.target_state(chain, "public_notice") == "submitted"


def test_back_and_forth_reads_the_newest_history(world, portal):
    candidate = world.province_candidate
    walk(portal, candidate, "public_notice")
    switch(portal, world.province, SHORT)
    switch(portal, world.province, FULL)
    # public_notice went to submitted in the short chain; submitted is kept.
    assert migrate.followed_chain(candidate) == FULL
    assert api.content.get_state(candidate) == "submitted"


def test_sub_unit_candidates_untouched(world, portal, monkeypatch):
    ward_candidate = world.ward_candidate
    walk(portal, ward_candidate, "submitted")
    before = {k: list(v) for k, v in ward_candidate.workflow_history.items()}
    visited = []
    original = migrate.migrate_candidate
    monkeypatch.setattr(
        migrate,
        "migrate_candidate",
        lambda obj, *args: visited.append(obj.getId()) or original(obj, *args),
    )
    switch(portal, world.province, SHORT)
    assert visited == ["candidate"]  # the province's own, once
    assert world.province_candidate.workflow_history.get(SHORT)
    assert {k: list(v) for k, v in ward_candidate.workflow_history.items()} == before


def test_other_edits_of_the_unit_move_nothing(world, portal):
    candidate = world.province_candidate
    walk(portal, candidate, "public_notice")
    world.province.candidate_chain = SHORT
    switch(portal, world.province, SHORT, "title")  # an edit that names other fields
    assert SHORT not in candidate.workflow_history


def test_patch_over_http_moves_the_candidates(http_world, functional_portal):
    candidate = http_world.province_candidate
    walk(functional_portal, candidate, "public_notice")
    transaction.commit()
    response = requests.patch(
        http_world.province.absolute_url(),
        headers={"Accept": "application/json", "Content-Type": "application/json"},
        auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
        json={"candidate_chain": SHORT},
        timeout=30,
    )
    assert response.status_code == 204, response.text
    transaction.begin()
    assert api.content.get_state(candidate) == "submitted"
    assert candidate.workflow_history[SHORT][-1]["actor"] == SITE_OWNER_NAME
