"""A report's ``statistics``: frozen on submit, live in a draft, shown as tables
on its page and in its REST serialization; the quarterly report's models."""

from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from thidua.chains.status import force_state
from thidua.dashboard import dashboard
from thidua.introduce import introduce
from thidua.reports import statistics
from thidua.testing import PASSWORD

import datetime
import lxml.html
import pytest
import requests
import transaction


THIS_YEAR = datetime.date.today().year


def as_manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)


def add_report(world, portal, report_type="quarterly", quarter=2, container=None):
    as_manager(portal)
    return api.content.create(
        container=container or world.province_plan,
        type="Report",
        title="Báo cáo",
        report_type=report_type,
        year=THIS_YEAR,
        quarter=quarter if report_type == "quarterly" else None,
    )


def add_candidate(movement, title, state="honoured", kind="individual"):
    candidate = api.content.create(container=movement, type="Candidate", title=title, kind=kind)
    force_state(candidate, state)
    return candidate


def introduced_model(world, title, quarter):
    model = api.content.create(
        container=world.ward_movement,
        type="Candidate",
        title=title,
        kind="individual",
        year=THIS_YEAR,
        quarter=quarter,
    )
    force_state(model, "selected")
    return introduce(model, api.content.get_uuid(world.province_movement))


@pytest.fixture
def quotas(world, portal):
    as_manager(portal)
    movement = world.province_movement
    movement.quota_collective, movement.quota_individual = 1, 3
    add_candidate(movement, "Cá nhân C", "honoured")
    add_candidate(movement, "Tập thể A", "selected", "collective")
    return world


def individual(figures):
    [row] = figures["movements"]
    return row["kinds"]["individual"]


class TestFrozen:
    def test_a_draft_has_live_figures(self, quotas, portal):
        report = add_report(quotas, portal, "midterm")
        assert report.statistics is None
        live = statistics(report)
        assert live["frozen"] is False
        assert (
            individual(live)
            == dashboard(quotas.province_plan)["movements"][0]["kinds"]["individual"]
        )
        add_candidate(quotas.province_movement, "Cá nhân E", "honoured")
        assert individual(statistics(report))["achieved"] == 2

    def test_submit_freezes_them(self, quotas, portal):
        report = add_report(quotas, portal, "final")
        api.content.transition(obj=report, transition="submit")
        frozen = report.statistics
        assert frozen["frozen"] is True
        assert individual(frozen) == {
            "quota": 3,
            "total": 2,
            "achieved": 1,
            "progress": 0.333,
            "states": {"draft": 1, "honoured": 1},
        }
        assert frozen["totals"]["kinds"]["collective"] == {"quota": 1, "total": 1, "achieved": 1}
        assert [unit["title"] for unit in frozen["quarterly"]["units"]] == ["Phường"]
        assert frozen["introduced"] is None  # not a quarterly report
        # Later changes to candidates do not reach the submitted report.
        add_candidate(quotas.province_movement, "Cá nhân E", "honoured")
        api.content.delete(quotas.province_candidate)
        assert statistics(report) == frozen
        assert individual(statistics(report))["achieved"] == 1
        live = dashboard(quotas.province_plan)["movements"][0]["kinds"]["individual"]
        assert (live["total"], live["achieved"]) == (2, 2)
        # Accepting and publishing keep them.
        for transition in ("accept", "publish"):
            api.content.transition(obj=report, transition=transition)
        assert report.statistics == frozen

    def test_returned_to_draft_they_are_live_again(self, quotas, portal):
        report = add_report(quotas, portal, "midterm")
        api.content.transition(obj=report, transition="submit")
        add_candidate(quotas.province_movement, "Cá nhân E", "honoured")
        api.content.transition(
            obj=report, transition="return_for_revision", comment="Bổ sung số liệu."
        )
        assert report.statistics is None
        assert statistics(report)["frozen"] is False
        assert individual(statistics(report))["achieved"] == 2

    def test_a_movement_report_counts_its_movement(self, quotas, portal):
        as_manager(portal)
        other = api.content.create(
            container=quotas.province_plan, type="Movement", title="Phong trào khác"
        )
        add_candidate(other, "Khác", "honoured")
        report = add_report(quotas, portal, "annual", container=quotas.province_movement)
        figures = statistics(report)
        assert [row["title"] for row in figures["movements"]] == ["Phong trào"]
        assert figures["totals"]["total"] == 3
        plan_report = add_report(quotas, portal, "annual")
        assert statistics(plan_report)["totals"]["total"] == 4


class TestQuarterlyReport:
    def test_lists_the_models_introduced_that_quarter(self, world, portal):
        as_manager(portal)
        introduced_model(world, "Mẫu quý hai", 2)
        introduced_model(world, "Mẫu quý ba", 3)
        report = add_report(world, portal, "quarterly", quarter=2)
        api.content.transition(obj=report, transition="submit")
        [item] = report.statistics["introduced"]
        assert (item["title"], item["unit"], item["movement"]) == (
            "Mẫu quý hai",
            "Phường",
            "Phong trào",
        )
        assert report.statistics["quarter"] == 2
        introduced_model(world, "Mẫu quý hai muộn", 2)
        assert [item["title"] for item in statistics(report)["introduced"]] == ["Mẫu quý hai"]


def officer(world, key="province"):
    return (world.users[(key, "UnitOfficer")], PASSWORD)


@pytest.fixture
def http_reports(http_world, functional_portal):
    """A submitted final report with frozen figures, a draft one, and a
    candidate honoured after the submission."""
    world = http_world
    portal = functional_portal
    as_manager(portal)
    api.portal.set_registry_record("plone.default_language", "vi")
    world.province_movement.quota_individual = 3
    add_candidate(world.province_movement, "Cá nhân C", "honoured")
    introduced_model(world, "Mẫu quý hai", 2)
    world.submitted = add_report(world, portal, "quarterly", quarter=2)
    api.content.transition(obj=world.submitted, transition="submit")
    world.draft = add_report(world, portal, "midterm")
    add_candidate(world.province_movement, "Cá nhân E", "honoured")
    setRoles(portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return world


class TestOverHttp:
    def test_rest_serialization(self, http_reports):
        world = http_reports
        frozen = requests.get(
            world.submitted.absolute_url(),
            headers={"Accept": "application/json"},
            auth=officer(world),
            timeout=30,
        ).json()["statistics"]
        assert frozen["frozen"] is True
        assert individual(frozen)["achieved"] == 1
        assert [item["title"] for item in frozen["introduced"]] == ["Mẫu quý hai"]
        live = requests.get(
            world.draft.absolute_url(),
            headers={"Accept": "application/json"},
            auth=officer(world),
            timeout=30,
        ).json()["statistics"]
        assert live["frozen"] is False
        assert individual(live)["achieved"] == 2

    def test_a_patch_cannot_write_them(self, http_reports):
        world = http_reports
        response = requests.patch(
            world.draft.absolute_url(),
            headers={"Accept": "application/json"},
            json={"statistics": {"frozen": True, "movements": []}},
            auth=officer(world),
            timeout=30,
        )
        assert response.status_code in (204, 400)
        transaction.begin()
        assert world.draft.statistics is None

    def test_the_page_shows_the_tables(self, http_reports):
        world = http_reports
        page = requests.get(world.submitted.absolute_url(), auth=officer(world), timeout=30)
        html = lxml.html.fromstring(page.text)
        [section] = html.get_element_by_id("thidua-report-statistics").xpath(".")
        text = section.text_content()
        assert "Số liệu chốt khi gửi báo cáo" in text
        rows = [
            [cell.text_content().strip() for cell in row.xpath("td")]
            for row in html.get_element_by_id("thidua-report-movements").xpath("tbody/tr")
        ]
        # the draft candidate, C honoured and the introduced model
        assert rows[0][:5] == ["Phong trào", "Cá nhân", "3", "3", "1"]
        introduced = html.get_element_by_id("thidua-report-introduced").text_content()
        assert "Mẫu quý hai" in introduced
        assert "Phường" in html.get_element_by_id("thidua-report-quarters").text_content()

    def test_the_draft_page_marks_live_figures(self, http_reports):
        world = http_reports
        page = requests.get(world.draft.absolute_url(), auth=officer(world), timeout=30)
        html = lxml.html.fromstring(page.text)
        text = html.get_element_by_id("thidua-report-statistics").text_content()
        assert "Số liệu hiện tại" in text
        assert html.get_element_by_id("thidua-report-introduced", None) is None
