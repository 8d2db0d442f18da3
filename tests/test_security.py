"""Who may add, edit and view what; delegation by unit; personal data stays closed."""

from plone import api
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.restapi.interfaces import ISerializeToJson
from thidua.content.candidate import PERSONAL_DATA
from thidua.delegation import group_id
from zope.component import getMultiAdapter

import pytest


ADD = {
    "Plan": "thidua: Add Plan",
    "Movement": "thidua: Add Movement",
    "Candidate": "thidua: Add Candidate",
    "Report": "thidua: Add Report",
}


def can(world, key, role, permission, obj):
    return api.user.has_permission(permission, username=world.users[(key, role)], obj=obj)


def can_add(world, key, role, portal_type, container):
    return can(world, key, role, ADD[portal_type], container) and can(
        world, key, role, "Add portal content", container
    )


class TestRoleMatrix:
    """Each council role of a unit, on that unit's content (default chains)."""

    @pytest.mark.parametrize(
        "role,plan,movement,candidate,report",
        [
            ("UnitOfficer", False, False, True, True),
            ("CouncilSecretary", True, True, False, False),
            ("CouncilMember", False, False, False, False),
            ("CouncilChair", False, False, False, False),
        ],
    )
    def test_who_adds(self, world, role, plan, movement, candidate, report):
        assert can_add(world, "province", role, "Plan", world.province) is plan
        assert can_add(world, "province", role, "Movement", world.province_plan) is movement
        assert can_add(world, "province", role, "Candidate", world.province_movement) is candidate
        assert can_add(world, "province", role, "Report", world.province_movement) is report

    @pytest.mark.parametrize(
        "role,view,edit",
        [
            ("UnitOfficer", True, True),
            ("CouncilSecretary", True, False),
            ("CouncilMember", False, False),
            ("CouncilChair", False, False),
        ],
    )
    def test_draft_candidate(self, world, role, view, edit):
        candidate = world.province_candidate
        assert can(world, "province", role, "View", candidate) is view
        assert can(world, "province", role, "Modify portal content", candidate) is edit

    @pytest.mark.parametrize(
        "role,plan,movement,report",
        [
            ("UnitOfficer", False, False, True),
            ("CouncilSecretary", True, True, False),
            ("CouncilMember", False, False, False),
            ("CouncilChair", False, False, False),
        ],
    )
    def test_who_edits(self, world, portal, role, plan, movement, report):
        setRoles(portal, TEST_USER_ID, ["Manager"])
        draft_report = api.content.create(
            container=world.province_movement,
            type="Report",
            title="Báo cáo quý",
            year=2024,
            quarter=1,
        )
        setRoles(portal, TEST_USER_ID, ["Member"])
        edit = "Modify portal content"
        assert can(world, "province", role, edit, world.province_plan) is plan
        assert can(world, "province", role, edit, world.province_movement) is movement
        assert can(world, "province", role, edit, draft_report) is report
        # Everyone in the unit sees the issued plan and the launched movement.
        assert can(world, "province", role, "View", world.province_plan)
        assert can(world, "province", role, "View", world.province_movement)

    def test_only_administrators_add_units(self, world, portal):
        for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
            assert not can(world, "province", role, "thidua: Add Unit", world.province)
        setRoles(portal, TEST_USER_ID, ["Site Administrator"])
        assert api.user.has_permission("thidua: Add Unit", obj=world.province)
        setRoles(portal, TEST_USER_ID, ["Member"])

    def test_issued_plan_and_launched_movement_are_public(self, world):
        for obj in (world.province_plan, world.province_movement):
            roles = [p["name"] for p in obj.rolesOfPermission("View") if p["selected"]]
            assert "Anonymous" in roles

    def test_draft_candidate_is_not_public(self, world):
        roles = [
            p["name"] for p in world.province_candidate.rolesOfPermission("View") if p["selected"]
        ]
        assert "Anonymous" not in roles


class TestDelegation:
    def test_each_unit_has_a_group_per_role_holding_it(self, world):
        for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
            group = group_id(world.province, role)
            assert api.group.get(groupname=group) is not None
            assert role in world.province.get_local_roles_for_userid(group)

    def test_group_membership_gives_the_role_on_the_unit(self, world):
        user = world.users[("province", "CouncilChair")]
        assert "CouncilChair" in api.user.get_roles(username=user, obj=world.province)

    def test_sharing_tab_offers_the_four_roles_on_units(self, world, portal, http_request):
        setRoles(portal, TEST_USER_ID, ["Site Administrator"])
        view = getMultiAdapter((world.province, http_request), name="sharing")
        offered = {role["id"] for role in view.roles()}
        setRoles(portal, TEST_USER_ID, ["Member"])
        assert {"UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"} <= offered

    def test_a_member_cannot_delegate(self, world):
        user = world.users[("province", "CouncilMember")]
        for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
            assert not api.user.has_permission(
                f"thidua: Delegate {role}", username=user, obj=world.province
            )

    def test_holders_follow_membership_and_sharing_within_a_request(self, world, portal):
        """holders() is remembered for the request, never past a change of roles."""
        from thidua.delegation import holders

        chair = world.users[("province", "CouncilChair")]
        secretary = world.users[("province", "CouncilSecretary")]
        assert chair in holders(world.province, ["CouncilChair"])
        api.group.remove_user(groupname=group_id(world.province, "CouncilChair"), username=chair)
        assert chair not in holders(world.province, ["CouncilChair"])
        api.group.add_user(groupname=group_id(world.province, "CouncilChair"), username=chair)
        assert chair in holders(world.province, ["CouncilChair"])
        assert secretary not in holders(world.province, ["CouncilChair"])
        world.province.manage_addLocalRoles(secretary, ["CouncilChair"])
        assert secretary in holders(world.province, ["CouncilChair"])
        world.province.manage_delLocalRoles([secretary])
        assert secretary not in holders(world.province, ["CouncilChair"])
        # A caller changing the answer does not change the remembered one.
        holders(world.province, ["CouncilChair"]).add("somebody")
        assert "somebody" not in holders(world.province, ["CouncilChair"])


class TestSubUnitIsolation:
    def test_parent_roles_do_not_reach_the_sub_unit(self, world):
        for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
            user = world.users[("province", role)]
            assert role not in api.user.get_roles(username=user, obj=world.ward_candidate)

    def test_parent_secretary_cannot_move_sub_unit_content(self, world, portal):
        secretary = world.users[("province", "CouncilSecretary")]
        workflows = api.portal.get_tool("portal_workflow")
        setRoles(portal, TEST_USER_ID, ["Manager"])
        api.content.transition(obj=world.ward_candidate, transition="submit")
        setRoles(portal, TEST_USER_ID, ["Member"])
        with api.env.adopt_user(username=secretary):
            assert list(workflows.getTransitionsFor(world.ward_candidate)) == []
        # ... while the ward's own secretary may start the review.
        with api.env.adopt_user(username=world.users[("ward", "CouncilSecretary")]):
            ids = [t["id"] for t in workflows.getTransitionsFor(world.ward_candidate)]
        assert "start_review" in ids

    def test_parent_secretary_reads_sub_unit_content_once_it_left_draft(self, world, portal):
        secretary = world.users[("province", "CouncilSecretary")]
        assert not api.user.has_permission("View", username=secretary, obj=world.ward_candidate)
        setRoles(portal, TEST_USER_ID, ["Manager"])
        api.content.transition(obj=world.ward_candidate, transition="submit")
        setRoles(portal, TEST_USER_ID, ["Member"])
        assert api.user.has_permission("View", username=secretary, obj=world.ward_candidate)
        assert not api.user.has_permission(
            "Modify portal content", username=secretary, obj=world.ward_candidate
        )
        assert not api.user.has_permission(
            "thidua: View personal data", username=secretary, obj=world.ward_candidate
        )


class TestPersonalData:
    def serialized(self, obj, request):
        return getMultiAdapter((obj, request), ISerializeToJson)()

    def test_anonymous_rest_has_none(self, honoured, http_request):
        logout()
        data = self.serialized(honoured, http_request)
        assert data["title"] == "Nguyễn Văn A"
        assert not set(PERSONAL_DATA) & set(data)

    def test_officer_of_another_unit_has_none(self, honoured, world, http_request):
        with api.env.adopt_user(username=world.users[("ward", "UnitOfficer")]):
            data = self.serialized(honoured, http_request)
        assert not set(PERSONAL_DATA) & set(data)

    def test_own_unit_staff_and_council_read_it(self, honoured, world, http_request):
        for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
            with api.env.adopt_user(username=world.users[("province", role)]):
                data = self.serialized(honoured, http_request)
            assert data["phone"] == "0912345678"

    def test_not_searchable(self, honoured):
        catalog = api.portal.get_tool("portal_catalog")
        assert len(catalog.unrestrictedSearchResults(SearchableText="Nguyễn")) >= 1
        for value in ("0912345678", "001234567890"):
            assert len(catalog.unrestrictedSearchResults(SearchableText=value)) == 0

    def test_not_in_catalog_metadata_or_indexes(self, honoured):
        catalog = api.portal.get_tool("portal_catalog")
        [brain] = catalog.unrestrictedSearchResults(UID=honoured.UID())
        metadata = repr(catalog.getMetadataForRID(brain.getRID()))
        indexes = repr(catalog.getIndexDataForRID(brain.getRID()))
        for value in ("0912345678", "001234567890"):
            assert value not in metadata
            assert value not in indexes
        assert not set(PERSONAL_DATA) & set(catalog.indexes())
        assert not set(PERSONAL_DATA) & set(catalog.schema())


def test_files_inside_a_candidate_take_none_of_its_catalog_data(world, portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    candidate = world.province_candidate
    candidate.organisation = "Trường THCS Sao Biển"
    candidate.reindexObject()
    evidence = api.content.create(container=candidate, type="File", title="Minh chứng")
    setRoles(portal, TEST_USER_ID, ["Member"])
    catalog = api.portal.get_tool("portal_catalog")
    [brain] = catalog.unrestrictedSearchResults(UID=evidence.UID())
    assert not brain.thidua_organisation  # Missing.Value: not acquired from the candidate
    [brain] = catalog.unrestrictedSearchResults(UID=candidate.UID())
    assert brain.thidua_organisation == "Trường THCS Sao Biển"
