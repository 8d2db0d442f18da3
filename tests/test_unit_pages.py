"""Unit, Plan and Movement pages list their children with their states (and a
Movement its candidates against its quotas); staff land on their worklist
after the login form. Through the WSGI server, as a browser does."""

from conftest import honour
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from test_worklist import candidate
from thidua.delegation import group_id
from thidua.delegation import staff_units
from thidua.testing import logged_in
from thidua.testing import PASSWORD
from zope.globalrequest import clearRequest
from zope.globalrequest import setRequest

import pytest
import re
import requests
import transaction


@pytest.fixture
def pages(http_world, functional_portal):
    """The province's movement with a quota of 3 individuals: its draft
    candidate and an honoured one."""
    api.portal.set_registry_record("plone.default_language", "vi")
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    http_world.province_movement.quota_individual = 3
    honoured = candidate(http_world.province_movement, "honoured")
    honour(functional_portal, honoured)
    transaction.commit()
    return http_world


def children(page):
    """[(title, type title, state title)] of the page's children table."""
    table = re.search(r'id="thidua-children-table"(.*?)</table>', page, re.S)
    assert table is not None
    return re.findall(
        r'<td><a href="[^"]+">([^<]+)</a></td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>',
        table.group(1),
    )


def test_a_unit_page_lists_its_plan_and_sub_unit_with_states(functional_portal, pages):
    session = logged_in(functional_portal, pages.users[("province", "CouncilSecretary")])
    page = session.get(pages.province.absolute_url(), timeout=30)
    assert page.status_code == 200
    assert "Nội dung và trạng thái" in page.text
    rows = children(page.text)
    assert ("Kế hoạch", "Kế hoạch", "Đã ban hành") in rows
    assert [row[0] for row in rows] == ["Kế hoạch", "Phường"]  # by type, then title


def test_a_movement_page_counts_candidates_against_the_quota(functional_portal, pages):
    session = logged_in(functional_portal, pages.users[("province", "UnitOfficer")])
    page = session.get(pages.province_movement.absolute_url(), timeout=30).text
    assert ("Nguyễn Văn A", "Điển hình tiên tiến", "Bản nháp") in children(page)
    assert ("Ứng viên honoured", "Điển hình tiên tiến", "Đã tôn vinh") in children(page)
    counts = re.search(r'id="thidua-quota-counts"(.*?)</table>', page, re.S).group(1)
    row = re.search(r'data-kind="individual">(.*?)</tr>', counts, re.S).group(1)
    cells = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells[:4] == ["Cá nhân", "3", "2", "1/3"]
    assert "Bản nháp: 1" in cells[4] and "Đã tôn vinh: 1" in cells[4]
    assert "0912345678" not in page  # no personal data in the listing


def test_anonymous_sees_only_public_children_and_no_counts(functional_portal, pages):
    page = requests.get(pages.province_movement.absolute_url(), timeout=30)
    assert page.status_code == 200
    assert children(page.text) == [("Ứng viên honoured", "Điển hình tiên tiến", "Đã tôn vinh")]
    assert "thidua-quota-counts" not in page.text


def login(portal, user_id, password=PASSWORD, **data):
    return requests.post(
        f"{portal.absolute_url()}/login",
        data={"__ac_name": user_id, "__ac_password": password, "buttons.login": "Log in", **data},
        allow_redirects=False,
        timeout=30,
    )


def test_staff_land_on_their_worklist(functional_portal, pages):
    portal_url = functional_portal.absolute_url()
    for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
        response = login(functional_portal, pages.users[("ward", role)])
        assert response.headers["Location"] == f"{portal_url}/@@viec-can-lam", role
    response = login(functional_portal, pages.users[("ward", "UnitOfficer")], came_from=portal_url)
    assert response.headers["Location"] == f"{portal_url}/@@viec-can-lam"


def test_came_from_wins(functional_portal, pages):
    movement_url = pages.ward_movement.absolute_url()
    response = login(
        functional_portal, pages.users[("ward", "UnitOfficer")], came_from=movement_url
    )
    assert response.headers["Location"] == movement_url


def test_a_role_given_on_the_sharing_tab_counts(functional_portal, pages):
    api.user.create(email="shared@example.vn", username="shared", password=PASSWORD)
    api.user.grant_roles(username="shared", obj=pages.ward, roles=["CouncilMember"])
    transaction.commit()
    response = login(functional_portal, "shared")
    assert response.headers["Location"].endswith("/@@viec-can-lam")


def test_admins_and_members_keep_plones_landing(functional_portal, pages):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    api.user.create(
        email="admin@example.vn", username="admin2", password=PASSWORD, roles=["Manager"]
    )
    api.user.create(email="plain@example.vn", username="plain", password=PASSWORD)
    transaction.commit()
    for user_id in ("admin2", "plain"):
        response = login(functional_portal, user_id)
        assert response.status_code == 302
        assert "__ac" in response.cookies
        assert response.headers["Location"] == functional_portal.absolute_url(), user_id


def test_unit_and_plan_pages_count_their_movements_against_quotas(functional_portal, pages):
    session = logged_in(functional_portal, pages.users[("province", "CouncilSecretary")])
    page = session.get(pages.province.absolute_url(), timeout=30).text
    movements = re.search(r'id="thidua-unit-movements"(.*?)</table>', page, re.S)
    assert movements is not None  # a unit lists the movements of its own plans
    row = re.search(r'<tr data-state="launched">(.*?)</tr>', movements.group(1), re.S).group(1)
    cells = [
        re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)
    ]
    assert cells[:4] == ["Phong trào", "Phong trào thi đua", "Đã phát động", "2"]
    assert "Cá nhân: 1/3" in cells[4]
    assert "thidua-unit-movements" not in session.get(pages.province_plan.absolute_url()).text
    plan = session.get(pages.province_plan.absolute_url(), timeout=30).text
    assert "Cá nhân: 1/3" in re.search(r'id="thidua-children-table"(.*?)</table>', plan, re.S)[1]


def test_anonymous_sees_no_counts_on_a_plan(functional_portal, pages):
    page = requests.get(pages.province_plan.absolute_url(), timeout=30).text
    assert "Cá nhân: 1/3" not in page and "thidua-staff-links" not in page


def test_the_worklist_lists_the_users_units(functional_portal, pages):
    session = logged_in(functional_portal, pages.users[("ward", "CouncilMember")])
    page = session.get(f"{functional_portal.absolute_url()}/@@viec-can-lam", timeout=30).text
    units = re.search(r'id="thidua-my-units"(.*?)</section>', page, re.S).group(1)
    assert f'href="{pages.ward.absolute_url()}"' in units
    assert f'href="{pages.ward.absolute_url()}/@@bang-dieu-khien"' in units
    assert pages.province.absolute_url() + '"' not in units  # not their unit


def test_staff_units_through_a_group_inside_a_units_group(world, portal, http_request):
    """The units are found from the groups the user is in, groups inside groups
    included, and once per request."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.user.create(email="ban@example.vn", username="ban-member", password=PASSWORD)
    api.group.create(groupname="ban-thi-dua")
    api.group.add_user(groupname="ban-thi-dua", username="ban-member")
    portal.portal_groups.addPrincipalToGroup("ban-thi-dua", group_id(world.ward, "CouncilMember"))
    setRequest(http_request)
    try:
        units = staff_units(api.user.get(userid="ban-member"))
        assert units == [world.ward]
        assert staff_units(api.user.get(userid="ban-member")) is units  # the same request
        assert staff_units(api.user.get(userid=world.users[("province", "UnitOfficer")])) == [
            world.province
        ]
    finally:
        clearRequest()
    assert staff_units(api.user.get(userid="ban-member")) is not units  # another request
