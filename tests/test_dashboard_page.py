"""``@@bang-dieu-khien``, the staff dashboard page of a Unit or a Plan, and
``@@xuat-danh-sach``, its downloads: through the WSGI server, logged in
through the login form as a browser is."""

from openpyxl import load_workbook
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from test_dashboard import populate
from thidua.dashboard import dashboard
from thidua.testing import logged_in

import csv
import datetime
import html
import io
import pytest
import re
import requests
import transaction


@pytest.fixture
def populated(http_world, functional_portal):
    """test_dashboard's candidates, and a deadline for the sub-units' plans the
    ward missed."""
    api.portal.set_registry_record("plone.default_language", "vi")
    populate(http_world, functional_portal)
    http_world.province_plan.subplan_deadline = datetime.date(2021, 12, 31)
    transaction.commit()
    return http_world


def secretary(portal, world, unit="province"):
    return logged_in(portal, world.users[(unit, "CouncilSecretary")])


def section(page, element_id):
    found = re.search(rf'id="{element_id}"(.*?)</(?:section|table)>', page, re.S)
    assert found is not None, element_id
    return found.group(1)


def cells(row):
    return [
        re.sub(r"<[^>]+>|\s+", " ", html.unescape(cell)).split()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    ]


def test_the_secretary_sees_the_figures_and_the_charts(functional_portal, populated):
    session = secretary(functional_portal, populated)
    page = session.get(f"{populated.province_plan.absolute_url()}/@@bang-dieu-khien", timeout=60)
    assert page.status_code == 200
    text = page.text
    expected = dashboard(populated.province_plan)["totals"]["kinds"]["individual"]
    assert (expected["quota"], expected["total"], expected["achieved"]) == (3, 5, 1)
    totals = section(text, "thidua-dashboard-totals")
    row = re.search(r'data-kind="individual">(.*?)</tr>', totals, re.S).group(1)
    assert [" ".join(cell) for cell in cells(row)] == ["Cá nhân", "3", "5", "1", "33%"]
    by_movement = section(text, "thidua-dashboard-by-movement")
    assert "Phong trào" in by_movement
    assert "Đã tôn vinh: 1" in html.unescape(by_movement)
    # Server-drawn SVG charts inline, with no script and nothing from elsewhere.
    charts = re.findall(r'<svg [^>]*class="[^"]*thidua-chart.*?</svg>', text, re.S)
    assert len(charts) == 3
    assert all('role="img"' in chart and "<script" not in chart for chart in charts)
    assert all('width="800"' in chart for chart in charts)  # a bare viewBox draws nothing
    assert "Hồ sơ theo trạng thái trong từng phong trào" in html.unescape(charts[0])
    assert "kozea.github.io" not in text
    # Quarterly introductions per sub-unit, and its missing plan.
    quarterly = section(text, "thidua-dashboard-quarterly-table")
    assert "Phường" in quarterly and 'data-status="' in quarterly
    subplans = html.unescape(section(text, "thidua-dashboard-subplans"))
    assert "31/12/2021" in subplans
    assert 'data-status="missing"' in subplans and "Quá hạn, chưa có" in subplans
    # Deadlines in dd/mm/yyyy, the missed plan among the overdue ones.
    overdue = html.unescape(section(text, "thidua-deadlines-overdue"))
    assert "Ban hành kế hoạch của đơn vị" in overdue and "31/12/2021" in overdue
    assert not re.search(r"\d{4}-\d{2}-\d{2}", section(text, "thidua-dashboard-deadlines"))
    # The downloads.
    assert "@@xuat-danh-sach?format=xlsx" in text and "@@xuat-danh-sach?format=csv" in text


def test_the_unit_dashboard_in_english(functional_portal, populated):
    api.portal.set_registry_record("plone.default_language", "en")
    transaction.commit()
    session = secretary(functional_portal, populated)
    page = session.get(f"{populated.province.absolute_url()}/@@bang-dieu-khien", timeout=60)
    assert page.status_code == 200
    assert "Candidates by state in each movement" in page.text
    assert "Progress against the quotas, by kind" in page.text


def test_the_unit_and_plan_pages_link_to_it(functional_portal, populated):
    session = secretary(functional_portal, populated)
    for item in (populated.province, populated.province_plan):
        page = session.get(item.absolute_url(), timeout=60).text
        assert f'href="{item.absolute_url()}/@@bang-dieu-khien"' in page
        assert f"{item.absolute_url()}/@@xuat-danh-sach?format=xlsx" in page
    public = requests.get(populated.province_plan.absolute_url(), timeout=30).text
    assert "@@bang-dieu-khien" not in public and "@@xuat-danh-sach" not in public


def test_anonymous_and_other_units_are_refused(functional_portal, populated):
    url = f"{populated.province_plan.absolute_url()}/@@bang-dieu-khien"
    anonymous = requests.get(url, allow_redirects=False, timeout=30)
    assert anonymous.status_code in (302, 401, 403)
    assert "<svg" not in anonymous.text
    if anonymous.status_code == 302:
        assert "require_login" in anonymous.headers["Location"]
    ward = secretary(functional_portal, populated, "ward")
    refused = ward.get(url, allow_redirects=False, timeout=30)
    assert refused.status_code in (302, 401, 403)
    assert "thidua-dashboard-totals" not in refused.text
    download = ward.get(
        f"{populated.province_plan.absolute_url()}/@@xuat-danh-sach",
        params={"format": "csv"},
        allow_redirects=False,
        timeout=30,
    )
    assert download.status_code in (302, 401, 403)
    assert "Cá nhân B" not in download.text


def test_the_xlsx_download(functional_portal, populated):
    session = secretary(functional_portal, populated)
    response = session.get(
        f"{populated.province_plan.absolute_url()}/@@xuat-danh-sach",
        params={"format": "xlsx"},
        timeout=60,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Danh sach ho so - Ke hoach.xlsx"')
    assert "filename*=UTF-8''Danh%20s%C3%A1ch%20h%E1%BB%93%20s%C6%A1" in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0][0] == "Tên"
    names = {row[0] for row in table[1:]}
    assert {"Nguyễn Văn A", "Tập thể A", "Cá nhân B", "Cá nhân C", "Hộ D"} <= names
    assert len(table) - 1 == dashboard(populated.province_plan)["totals"]["total"]


def test_the_csv_download(functional_portal, populated):
    session = secretary(functional_portal, populated)
    response = session.get(
        f"{populated.province_movement.absolute_url()}/@@xuat-danh-sach",
        params={"format": "csv"},
        timeout=60,
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith("Phong%20tr%C3%A0o.csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, rows = table[0], table[1:]
    state = header.index("Trạng thái")
    states = {row[0]: row[state] for row in rows}
    assert states["Cá nhân C"] == "Đã tôn vinh"
    assert states["Hộ D"] == "Bản nháp"
    assert len(rows) == dashboard(populated.province_movement.aq_parent)["totals"]["total"]


def test_a_bad_format_is_a_clear_400(functional_portal, populated):
    session = secretary(functional_portal, populated)
    response = session.get(
        f"{populated.province_plan.absolute_url()}/@@xuat-danh-sach",
        params={"format": "pdf"},
        timeout=30,
    )
    assert response.status_code == 400
    assert response.text == "Danh sách chỉ tải về được dưới dạng csv hoặc xlsx."


def test_an_empty_unit_has_a_dashboard_too(portal, http_request):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    unit = api.content.create(
        container=portal, type="Unit", id="xa", title="Xã", code="XA", level="commune"
    )
    page = api.content.get_view(name="bang-dieu-khien", context=unit, request=http_request)()
    assert "Chưa có phong trào nào." in page or "No movement yet." in page
    assert "thidua-chart" not in page  # nothing to draw


def test_another_year_and_a_bad_one(functional_portal, populated):
    session = secretary(functional_portal, populated)
    url = f"{populated.province.absolute_url()}/@@bang-dieu-khien"
    year = datetime.date.today().year + 1
    page = session.get(url, params={"year": year}, timeout=60)
    assert page.status_code == 200
    quarterly = html.unescape(section(page.text, "thidua-dashboard-quarterly-table"))
    assert f"05/03/{year}" in quarterly
    assert 'data-status="on_time"' in quarterly  # the model introduced for next year's Q1
    assert f'href="{url}?year={year - 1}"' in page.text
    bad = session.get(url, params={"year": "hai nghìn"}, timeout=60)
    assert bad.status_code == 400
    assert "Năm phải là số nguyên từ 1945 đến 2200" in html.unescape(bad.text)
