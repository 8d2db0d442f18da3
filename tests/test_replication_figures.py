"""Reach in the numbers (thidua.replication.figures): activities and adoptions
recorded over REST, and the models' nurture check-ins, counted per movement and
per unit in ``@dashboard``, on the dashboard page, and in a mid-term report's
statistics, frozen on submit (a later activity leaves them as they were)."""

from conftest import honour
from datetime import date
from datetime import timedelta
from openpyxl import load_workbook
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from thidua.chains.status import force_state
from thidua.replication.figures import checkin_counts
from thidua.testing import PASSWORD

import csv
import io
import lxml.html
import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
TODAY = date.today()


def days(n):
    return (TODAY + timedelta(days=n)).isoformat()


def post(url, user, body):
    return requests.post(url, json=body, headers=JSON, auth=(user, PASSWORD), timeout=30)


def get(url, user):
    return requests.get(url, headers=JSON, auth=(user, PASSWORD), timeout=30)


def record(world, key, body):
    """Recorded by the unit's secretary (a province's sees the ward's models)."""
    unit = world.province if key == "province" else world.ward
    response = post(unit.absolute_url(), world.users[(key, "CouncilSecretary")], body)
    assert response.status_code == 201, response.text
    return response.json()


def activity(world, key, kind, models, participants=None, title="Hoạt động"):
    return record(
        world,
        key,
        {
            "@type": "Activity",
            "title": title,
            "activity_kind": kind,
            "activity_date": days(-10),
            "models": [model.UID() for model in models],
            "participants": participants,
        },
    )


def adoption(world, key, model, participants=None):
    return record(
        world,
        key,
        {
            "@type": "Adoption",
            "title": "Áp dụng mô hình",
            "adopted_model": model.UID(),
            "adoption_date": days(-5),
            "participants": participants,
        },
    )


@pytest.fixture
def spread(http_world, functional_portal):
    """The province's model honoured and nurtured (one check-in on time, one
    late, the next overdue), the ward's selected; a site visit by the ward and
    an article by the province, the ward and the province adopting."""
    world = http_world
    honour(functional_portal, world.province_candidate)
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    api.portal.set_registry_record("plone.default_language", "vi")
    force_state(world.ward_candidate, "selected")
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    officer = world.users[("province", "UnitOfficer")]
    nurture_url = f"{world.province_candidate.absolute_url()}/@nurture"
    for checkin in (
        {"date": days(-60), "next_date": days(-30)},
        {"date": days(-20), "next_date": days(-5)},
    ):
        body = {"type": "checkin", "by": "Tổ công tác", "findings": "Duy trì tốt"}
        body.update(checkin, status="on_track")
        response = post(nurture_url, officer, body)
        assert response.status_code == 201, response.text
    activity(world, "ward", "site_visit", [world.province_candidate], 40, "Tham quan mô hình")
    activity(
        world,
        "province",
        "article",
        [world.province_candidate, world.ward_candidate],
        title="Bài viết trên Cổng thông tin",
    )
    adoption(world, "ward", world.province_candidate, 12)
    adoption(world, "province", world.ward_candidate)
    transaction.begin()
    return world


def test_check_ins_on_time_late_and_overdue(spread):
    catalog = api.portal.get_tool("portal_catalog")
    [brain] = catalog.unrestrictedSearchResults(UID=spread.province_candidate.UID())
    assert checkin_counts(brain, TODAY) == (1, 1, 1)


def test_the_dashboard_counts_them_per_movement_and_unit(spread):
    world = spread
    response = get(
        f"{world.province.absolute_url()}/@dashboard", world.users[("province", "CouncilSecretary")]
    )
    assert response.status_code == 200
    figures = response.json()["replication"]
    totals = figures["totals"]
    assert totals["nurtured"] == 1
    assert totals["checkins"] == {"on_time": 1, "late": 1, "overdue": 1}
    assert totals["activities"]["site_visit"] == 1
    assert totals["activities"]["article"] == 1
    assert totals["activities_total"] == 2
    assert totals["participants"] == 52
    assert totals["adoptions"] == 2
    assert totals["adopting_units"] == 2
    # The province's movement holds the province's model: the visit, the
    # article and the ward's adoption name it.
    [movement] = figures["movements"]
    assert movement["UID"] == world.province_movement.UID()
    assert movement["activities_total"] == 2
    assert movement["adoptions"] == 1
    assert movement["adopting_units"] == 1
    assert movement["participants"] == 52
    units = {row["title"]: row for row in figures["units"]}
    assert set(units) == {"Tỉnh", "Phường"}
    assert units["Tỉnh"]["activities"]["article"] == 1
    assert units["Tỉnh"]["nurtured"] == 1
    assert units["Phường"]["activities"]["site_visit"] == 1
    assert units["Phường"]["adoptions"] == 1


def test_a_plan_below_counts_what_names_its_models(spread):
    world = spread
    response = get(
        f"{world.ward_plan.absolute_url()}/@dashboard", world.users[("ward", "CouncilSecretary")]
    )
    figures = response.json()["replication"]
    # The ward's model: the province's article, the province adopting it.
    assert figures["totals"]["activities"]["article"] == 1
    assert figures["totals"]["activities_total"] == 1
    assert figures["totals"]["adoptions"] == 1
    assert figures["totals"]["nurtured"] == 0  # selected, no plan written
    [ward, other] = figures["units"]
    assert ward["title"] == "Phường" and ward["activities_total"] == 0
    assert other["UID"] is None and other["activities_total"] == 1 and other["adoptions"] == 1


def test_the_dashboard_page_shows_the_table(spread):
    world = spread
    page = requests.get(
        f"{world.province.absolute_url()}/@@bang-dieu-khien",
        auth=(world.users[("province", "CouncilSecretary")], PASSWORD),
        timeout=30,
    )
    assert page.status_code == 200
    html = lxml.html.fromstring(page.text)
    section = html.get_element_by_id("thidua-dashboard-replication")
    assert "Bồi dưỡng và nhân rộng điển hình tiên tiến" in section.text_content()
    rows = {
        row.xpath("th")[0].text_content().strip(): [
            c.text_content().strip() for c in row.xpath("td")
        ]
        for row in html.get_element_by_id("thidua-replication-units").xpath("tbody/tr")
    }
    # nurtured, on time, late, overdue, the six kinds, participants, adoptions, adopting units
    # the visit (40 people) and the ward adopting the province's model (12)
    assert rows["Phường"] == ["0", "0", "0", "0", "0", "1", "0", "0", "0", "0", "52", "1", "1"]
    assert rows["Tỉnh"][:4] == ["1", "1", "1", "1"]


def test_a_submitted_midterm_report_freezes_them(spread):
    world = spread
    officer = world.users[("province", "UnitOfficer")]
    response = post(
        world.province_plan.absolute_url(),
        officer,
        {
            "@type": "Report",
            "title": "Sơ kết giữa kỳ",
            "report_type": "midterm",
            "year": TODAY.year,
        },
    )
    assert response.status_code == 201, response.text
    url = response.json()["@id"]
    assert post(f"{url}/@workflow/submit", officer, {}).status_code == 200
    frozen = get(url, officer).json()["statistics"]
    assert frozen["frozen"] is True
    assert frozen["replication"]["totals"]["activities_total"] == 2
    # A later writing contest: the dashboard counts it, the frozen report does not.
    activity(world, "ward", "writing_contest", [world.province_candidate], 100, "Cuộc thi viết")
    live = get(f"{world.province.absolute_url()}/@dashboard", officer).json()["replication"]
    assert live["totals"]["activities_total"] == 3
    again = get(url, officer).json()["statistics"]
    assert again["replication"] == frozen["replication"]
    page = requests.get(url, auth=(officer, PASSWORD), timeout=30)
    table = lxml.html.fromstring(page.text).get_element_by_id("thidua-report-replication")
    assert "Phường" in table.text_content()


def test_a_quarterly_report_has_none(spread):
    world = spread
    officer = world.users[("province", "UnitOfficer")]
    response = post(
        world.province_plan.absolute_url(),
        officer,
        {
            "@type": "Report",
            "title": "Báo cáo quý",
            "report_type": "quarterly",
            "year": TODAY.year,
            "quarter": 1,
        },
    )
    assert get(response.json()["@id"], officer).json()["statistics"]["replication"] is None


def test_the_export_carries_them(spread):
    world = spread
    officer = world.users[("province", "UnitOfficer")]
    response = requests.get(
        f"{world.province.absolute_url()}/@export",
        params={"format": "xlsx"},
        headers={"Accept": "application/json", "Accept-Language": "vi"},
        auth=(officer, PASSWORD),
        timeout=30,
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[-1] == "Nhân rộng điển hình"
    rows = list(book["Nhân rộng điển hình"].values)
    assert rows[0][:2] == ("Đơn vị", "Điển hình được bồi dưỡng")
    assert rows[-1][0] == "Tổng cộng"
    assert rows[-1][-3:] == (52, 2, 2)
    response = requests.get(
        f"{world.ward_plan.absolute_url()}/@export",
        params={"format": "csv", "table": "replication"},
        headers={"Accept": "application/json", "Accept-Language": "vi"},
        auth=(world.users[("ward", "UnitOfficer")], PASSWORD),
        timeout=30,
    )
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["Phường", "Đơn vị ngoài đơn vị này", lines[-1][0]]


def test_no_activity_is_loaded(world, portal, monkeypatch):
    """The activities, adoptions and nurture plans are counted from the catalog
    alone: nothing is loaded."""
    from plone.app.testing import login
    from plone.app.testing import TEST_USER_NAME
    from Products.ZCatalog.CatalogBrains import AbstractCatalogBrain
    from thidua.replication.figures import replication
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    honour(portal, world.province_candidate)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    model = RelationValue(getUtility(IIntIds).getId(world.province_candidate))
    for kind in ("article", "material"):
        api.content.create(
            container=world.ward,
            type="Activity",
            title=kind,
            activity_kind=kind,
            activity_date=TODAY,
            participants=5,
            models=[RelationValue(model.to_id)],
        )
    api.content.create(
        container=world.ward,
        type="Adoption",
        title="Áp dụng",
        adopted_model=RelationValue(model.to_id),
        adoption_date=TODAY,
    )
    from thidua import nurture

    nurture.add(
        world.province_candidate,
        "checkin",
        {"date": TODAY, "by": "Tổ công tác", "findings": "Duy trì tốt", "status": "on_track"},
    )

    def nothing(brain):
        raise AssertionError(f"loaded a {brain.portal_type}")

    monkeypatch.setattr(AbstractCatalogBrain, "getObject", nothing)
    monkeypatch.setattr(AbstractCatalogBrain, "_unrestrictedGetObject", nothing)
    totals = replication(world.province)["totals"]
    assert totals["activities"]["article"] == totals["activities"]["material"] == 1
    assert totals["participants"] == 10
    assert totals["adopting_units"] == 1
    assert totals["nurtured"] == 1


def test_the_tables_show_the_movements_with_figures_first(portal):
    from thidua.browser.replication_rows import rows

    def figures(title, activities=0):
        return {
            "@id": f"http://x/{title}",
            "title": title,
            "nurtured": 0,
            "checkins": {"on_time": 0, "late": 0, "overdue": 0},
            "activities": {"site_visit": activities},
            "participants": 0,
            "adoptions": 0,
            "adopting_units": 0,
        }

    data = {
        "movements": [figures("A"), figures("B", 2), figures("C"), figures("D", 1)],
        "units": [],
        "totals": figures("all", 3),
    }
    table = rows(data, portal.REQUEST)
    assert [row["title"] for row in table["movements"]] == ["B", "D", "A", "C"]
