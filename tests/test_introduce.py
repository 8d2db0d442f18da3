"""Introducing a selected or honoured candidate to a higher unit's movement."""

from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.namedfile.file import NamedBlobFile
from thidua.chains.status import force_state
from thidua.introduce import introduce
from thidua.introduce import IntroduceError

import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def select(portal, candidate):
    """Take a ward candidate (short chain) to ``selected``, guards skipped."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    api.content.create(
        container=candidate,
        type="File",
        id="minutes.pdf",
        title="Biên bản",
        file=NamedBlobFile(data=b"%PDF-1.4 minutes", filename="minutes.pdf"),
    )
    force_state(candidate, "selected")
    setRoles(portal, TEST_USER_ID, ["Member"])
    logout()
    return candidate


@pytest.fixture
def selected(world, portal):
    return select(portal, world.ward_candidate)


class TestIntroduce:
    def test_copy_starts_submitted_in_the_higher_unit_linked_both_ways(
        self, world, selected, portal
    ):
        login(portal, world.users[("ward", "CouncilSecretary")])
        copy = introduce(selected, api.content.get_uuid(world.province_movement))
        assert copy.aq_parent == world.province_movement
        assert api.content.get_state(copy) == "submitted"
        assert (copy.title, copy.phone, copy.id_number) == (
            selected.title,
            selected.phone,
            selected.id_number,
        )
        assert copy.achievements.raw == selected.achievements.raw
        assert copy["minutes.pdf"].file.data == b"%PDF-1.4 minutes"
        assert copy["minutes.pdf"].file._blob is not selected["minutes.pdf"].file._blob
        assert copy.introduced_from.to_object == selected
        assert [r.to_object for r in selected.introduced_to] == [copy]
        [record] = selected.introductions
        assert record["by"] == world.users[("ward", "CouncilSecretary")]
        assert record["movement"] == world.province_movement.title
        assert record["unit"] == world.province.title
        entry = copy.workflow_history["thidua_candidate_workflow"][-1]
        assert (entry["action"], entry["actor"]) == (
            "introduce",
            world.users[("ward", "CouncilSecretary")],
        )
        assert selected.absolute_url() in entry["comments"]
        assert api.content.get_state(selected) == "selected"

    def test_the_higher_council_reads_it_and_the_copy_follows_its_own_chain(
        self, world, selected, portal
    ):
        login(portal, world.users[("ward", "CouncilSecretary")])
        copy = introduce(selected, api.content.get_uuid(world.province_movement))
        login(portal, world.users[("province", "CouncilSecretary")])
        assert api.user.has_permission("View", obj=copy)
        workflows = api.portal.get_tool("portal_workflow")
        assert "publish_notice" in {t["id"] for t in workflows.getTransitionsFor(copy)}
        login(portal, world.users[("ward", "CouncilMember")])
        assert not api.user.has_permission("View", obj=copy)

    def test_only_selected_or_honoured(self, world, portal):
        login(portal, world.users[("ward", "CouncilSecretary")])
        with pytest.raises(IntroduceError) as refused:
            introduce(world.ward_candidate, api.content.get_uuid(world.province_movement))
        assert (refused.value.status, refused.value.field) == (400, "state")

    @pytest.mark.parametrize("target", ["", "no-such-uid", "plan", "ward_movement"])
    def test_the_target_is_a_launched_movement_above(self, world, selected, portal, target):
        uid = {
            "": "",
            "no-such-uid": "no-such-uid",
            "plan": api.content.get_uuid(world.province_plan),
            "ward_movement": api.content.get_uuid(world.ward_movement),
        }[target]
        login(portal, world.users[("ward", "CouncilSecretary")])
        with pytest.raises(IntroduceError) as refused:
            introduce(selected, uid)
        assert (refused.value.status, refused.value.field) == (400, "target")
        assert not getattr(selected, "introduced_to", None)

    def test_a_closed_movement_takes_no_introductions(self, world, selected, portal):
        setRoles(portal, TEST_USER_ID, ["Manager"])
        login(portal, TEST_USER_NAME)
        api.content.transition(obj=world.province_movement, transition="close")
        login(portal, world.users[("ward", "CouncilSecretary")])
        with pytest.raises(IntroduceError) as refused:
            introduce(selected, api.content.get_uuid(world.province_movement))
        assert refused.value.field == "target"

    def test_twice_into_the_same_movement_conflicts(self, world, selected, portal):
        login(portal, world.users[("ward", "CouncilSecretary")])
        introduce(selected, api.content.get_uuid(world.province_movement))
        with pytest.raises(IntroduceError) as refused:
            introduce(selected, api.content.get_uuid(world.province_movement))
        assert refused.value.status == 409


class TestIntroduceEndpoint:
    @pytest.fixture
    def http_selected(self, http_world, functional_portal):
        candidate = select(functional_portal, http_world.ward_candidate)
        transaction.commit()
        return candidate

    def post(self, candidate, user_id, body):
        return requests.post(
            f"{candidate.absolute_url()}/@introduce",
            headers=JSON,
            auth=(user_id, "secret-pw"),
            json=body,
            timeout=30,
        )

    def test_the_secretary_introduces(self, http_world, http_selected):
        target = api.content.get_uuid(http_world.province_movement)
        response = self.post(
            http_selected, http_world.users[("ward", "CouncilSecretary")], {"target": target}
        )
        assert response.status_code == 201, response.text
        new_url = response.json()["@id"]
        assert new_url.startswith(http_world.province_movement.absolute_url())
        chair = (http_world.users[("province", "CouncilChair")], "secret-pw")
        copy = requests.get(new_url, headers=JSON, auth=chair, timeout=30).json()
        assert copy["review_state"] == "submitted"
        assert copy["introduced_from"]["@id"] == http_selected.absolute_url()
        original = requests.get(
            http_selected.absolute_url(),
            headers=JSON,
            auth=(http_world.users[("ward", "CouncilSecretary")], "secret-pw"),
            timeout=30,
        ).json()
        assert [item["@id"] for item in original["introduced_to"]] == [new_url]
        assert original["introductions"][0]["movement"] == http_world.province_movement.title

    def test_other_roles_are_forbidden(self, http_world, http_selected):
        target = api.content.get_uuid(http_world.province_movement)
        for role in ("UnitOfficer", "CouncilMember", "CouncilChair"):
            response = self.post(
                http_selected, http_world.users[("ward", role)], {"target": target}
            )
            assert response.status_code == 403, (role, response.text)
            assert response.json()["error"]["type"] == "Forbidden"
        stranger = self.post(
            http_selected, http_world.users[("province", "CouncilSecretary")], {"target": target}
        )
        assert stranger.status_code in (401, 403)

    def test_bad_target_names_the_field(self, http_world, http_selected):
        response = self.post(
            http_selected, http_world.users[("ward", "CouncilSecretary")], {"target": 42}
        )
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "target"


def test_anonymous_may_not_introduce(http_world, functional_portal):
    candidate = select(functional_portal, http_world.ward_candidate)
    transaction.commit()
    response = requests.post(
        f"{candidate.absolute_url()}/@introduce",
        headers=JSON,
        json={"target": api.content.get_uuid(http_world.province_movement)},
        timeout=30,
    )
    assert response.status_code == 401


def test_the_copy_keeps_the_candidates_id_or_the_next_free_one(world, selected, portal, caplog):
    """The copy is added under the candidate's id, or with ``-1``, ``-2``... when
    the movement holds it: never under a temporary id renamed afterwards."""
    name = selected.getId()
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    movement = world.province_movement
    for taken in (name, f"{name}-1", f"{name}-2"):
        if taken not in movement:
            api.content.create(container=movement, type="Candidate", id=taken, title="Trùng")
    empty = api.content.create(
        container=world.province_plan, type="Movement", id="phong-trao-moi", title="Mới"
    )
    force_state(empty, "launched")
    login(portal, world.users[("ward", "CouncilSecretary")])
    copy = introduce(selected, api.content.get_uuid(movement))
    assert copy.getId() == f"{name}-3"
    assert introduce(selected, api.content.get_uuid(empty)).getId() == name
    catalog = api.portal.get_tool("portal_catalog")
    [brain] = catalog.unrestrictedSearchResults(UID=api.content.get_uuid(copy))
    assert brain.getPath() == "/".join(copy.getPhysicalPath())
    assert "uncatalogObject" not in caplog.text
