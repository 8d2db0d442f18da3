"""The five types: validation with clear messages, and containment."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.restapi.interfaces import IDeserializeFromJson
from zExceptions import BadRequest
from zope.component import getMultiAdapter

import pytest


def deserialize(obj, request, data):
    """Edit ``obj`` as plone.restapi does for a PATCH; returns the error messages."""
    try:
        getMultiAdapter((obj, request), IDeserializeFromJson)(data=data)
    except BadRequest as error:
        return error.args[0]
    return []


@pytest.fixture
def manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    yield
    setRoles(portal, TEST_USER_ID, ["Member"])


class TestValidation:
    def test_plan_period_in_order(self, world, http_request, manager):
        errors = deserialize(world.province_plan, http_request, {"period_start": 2026})
        assert errors and "must not end before it starts" in errors[0]["message"]

    def test_plan_milestones_inside_period(self, world, http_request, manager):
        errors = deserialize(
            world.province_plan, http_request, {"midterm_review_date": "2030-06-30"}
        )
        assert errors and "inside the plan's period (2021-2025)" in errors[0]["message"]
        assert (
            deserialize(world.province_plan, http_request, {"midterm_review_date": "2023-06-30"})
            == []
        )

    @pytest.mark.parametrize("field", ["quota_collective", "quota_individual", "quota_household"])
    def test_quotas_not_negative(self, world, http_request, manager, field):
        errors = deserialize(world.province_movement, http_request, {field: -1})
        assert [error["field"] for error in errors] == [field]
        assert deserialize(world.province_movement, http_request, {field: 0}) == []

    def test_movement_dates_in_order(self, world, http_request, manager):
        errors = deserialize(world.province_movement, http_request, {"end": "2020-01-01"})
        assert errors and "must not end before it starts" in errors[0]["message"]

    @pytest.mark.parametrize("quarter", [0, 5])
    def test_quarter_one_to_four(self, world, http_request, manager, quarter):
        errors = deserialize(world.province_candidate, http_request, {"quarter": quarter})
        assert [error["field"] for error in errors] == ["quarter"]

    def test_quarter_may_be_empty(self, world, http_request, manager):
        assert deserialize(world.province_candidate, http_request, {"quarter": None}) == []

    def test_quarterly_report_needs_quarter(self, world, http_request, manager):
        report = api.content.create(
            container=world.province_plan, type="Report", title="Báo cáo", year=2024, quarter=1
        )
        errors = deserialize(report, http_request, {"quarter": None})
        assert errors and "needs its quarter" in errors[0]["message"]

    def test_unit_code_unique(self, world, http_request, manager):
        errors = deserialize(world.ward, http_request, {"code": "TINH"})
        assert [error["field"] for error in errors] == ["code"]
        assert "Another unit already uses this code" in errors[0]["message"]

    def test_unit_keeps_its_own_code(self, world, http_request, manager):
        assert deserialize(world.ward, http_request, {"code": "PHUONG", "title": "P"}) == []

    def test_identity_number_digits(self, world, http_request, manager):
        errors = deserialize(world.province_candidate, http_request, {"id_number": "12ab"})
        assert [error["field"] for error in errors] == ["id_number"]

    def test_no_submission_without_achievements(self, world, manager):
        candidate = world.province_candidate
        workflows = api.portal.get_tool("portal_workflow")
        assert "submit" in [t["id"] for t in workflows.getTransitionsFor(candidate)]
        candidate.achievements = None
        assert "submit" not in [t["id"] for t in workflows.getTransitionsFor(candidate)]


class TestContainment:
    EXPECTED = {
        # CONTRACT: Unit holds Unit and Plan; beside them, its clusters and what
        # spreads its models.
        "Unit": {"Unit", "Plan", "Cluster", "Activity", "Adoption"},
        "Plan": {"Movement", "Report", "File"},
        "Movement": {"Candidate", "Report", "File"},
        "Candidate": {"File", "Image"},
        "Report": {"File"},
        "Cluster": set(),
        "Activity": {"File", "Image"},
        "Adoption": {"File"},
    }

    def test_allowed_types(self, portal):
        types = api.portal.get_tool("portal_types")
        for portal_type, allowed in self.EXPECTED.items():
            assert set(types[portal_type].allowed_content_types) == allowed

    def test_only_units_hold_units_besides_the_root(self, portal):
        types = api.portal.get_tool("portal_types")
        root = types["Plone Site"]
        assert "Unit" in root.allowed_content_types
        for portal_type in (
            "Plan",
            "Movement",
            "Candidate",
            "Report",
            "Cluster",
            "Activity",
            "Adoption",
        ):
            assert portal_type not in root.allowed_content_types
            assert not types[portal_type].global_allow
        assert not types["Unit"].global_allow
        assert "Unit" not in types["Folder"].allowed_content_types

    def test_cannot_add_a_plan_at_the_root(self, portal, manager):
        with pytest.raises(Exception, match="Disallowed subobject type|not allowed"):
            api.content.create(
                container=portal, type="Plan", title="P", period_start=2021, period_end=2025
            )
