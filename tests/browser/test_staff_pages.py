"""Staff pages in headless Chromium (issue 12, items 2 and 5): the unit
officer adds a candidate with its personal data through the add form, where
each broken rule is shown under its field in Vietnamese; a Site
Administrator adds and removes people of a unit on its ``@@nhan-su`` page.
Screenshots ``staff-NN-*.png``, each page scanned with axe-core."""

from conftest import add_administrator_and_stranger
from plone import api
from thidua.delegation import group_id

import datetime
import pytest
import transaction


TITLE = "Chị Trần Thị E"
# Each rule the officer breaks, and the start of its message under the field.
WRONG = {
    "birth_date": ("2030-01-01", "Ngày sinh phải là một ngày đã qua"),
    "phone": ("abc", "Số điện thoại Việt Nam gồm 10 chữ số"),
    "id_number": ("079186001", "Số căn cước công dân (CCCD) gồm đúng 12 chữ số"),
}
RIGHT = {
    "birth_date": "1986-04-30",
    "phone": "0912 345 678",
    "id_number": "079186001234",
}


@pytest.fixture
def vietnamese(functional_portal):
    api.portal.set_registry_record("plone.default_language", "vi")
    transaction.commit()


def field_error(page, field):
    feedback = page.locator(f"#formfield-form-widgets-{field} .invalid-feedback")
    return feedback.inner_text().strip() if feedback.count() else ""


def show_personal_data(page):
    page.locator(".autotoc-nav a", has_text="Thông tin cá nhân").click()


def test_an_officer_adds_a_candidate_with_personal_data(http_world, vietnamese, walker):
    walk = walker("staff-add-")
    movement = http_world.province_movement
    officer = walk.person(http_world.users[("province", "UnitOfficer")])
    officer.goto(f"{movement.absolute_url()}/++add++Candidate")
    officer.fill("#form-widgets-IBasic-title", TITLE)
    officer.select_option("#form-widgets-kind", "individual")
    officer.fill("#form-widgets-organisation", "Trường Tiểu học Kim Đồng")
    show_personal_data(officer)
    officer.select_option("#form-widgets-gender", "female")
    officer.fill("#form-widgets-email", "tranthie@kimdong.edu.vn")
    for field, (value, _message) in WRONG.items():
        officer.fill(f"#form-widgets-{field}", value)
    walk.look(officer, "add-form-wrong-values")
    walk.click(officer, "#form-buttons-save")
    show_personal_data(officer)
    walk.look(officer, "add-form-refused")
    for field, (_value, message) in WRONG.items():
        assert field_error(officer, field).startswith(message), field
    transaction.begin()
    assert TITLE not in [each.title for each in movement.objectValues()]

    for field, value in RIGHT.items():
        officer.fill(f"#form-widgets-{field}", value)
    walk.click(officer, "#form-buttons-save")
    walk.look(officer, "added")
    transaction.begin()
    [added] = [each for each in movement.objectValues() if each.title == TITLE]
    assert added.birth_date == datetime.date(1986, 4, 30)
    assert (added.gender, added.phone) == ("female", RIGHT["phone"])
    assert added.id_number == RIGHT["id_number"]
    assert api.content.get_state(added) == "draft"
    # The page shows it to the officer in its staff-only section, and only there.
    staff_only = officer.locator(".thidua-personal-data").inner_text()
    assert RIGHT["id_number"] in staff_only
    assert officer.content().count(RIGHT["id_number"]) == 1
    officer.goto(f"{added.absolute_url()}/@@edit")
    show_personal_data(officer)
    walk.look(officer, "edit-personal-data")
    assert officer.input_value("#form-widgets-id_number") == RIGHT["id_number"]
    walk.assert_accessible()


@pytest.fixture
def administrator(functional_portal, http_world, vietnamese):
    return add_administrator_and_stranger(functional_portal)


def test_an_administrator_manages_the_people_of_a_unit(http_world, administrator, walker):
    walk = walker("staff-people-")
    province = http_world.province
    chair = http_world.users[("province", "CouncilChair")]
    page = walk.person(administrator)
    page.goto(province.absolute_url())
    with page.expect_navigation():
        page.locator("#contentview-thidua-people a").click()
    assert page.url.split("?")[0].endswith("/tinh/@@nhan-su")
    walk.look(page, "people")
    assert "Nhân sự của Tỉnh" in page.locator("#content h1").inner_text()
    assert chair in page.locator("#people-CouncilChair").inner_text()

    # Search a user and make her a council member.
    page.fill("#people-search-text", "Trần Thị E")
    with page.expect_navigation():
        page.locator("#people-search button[type=submit]").click()
    walk.look(page, "people-search")
    found = page.locator('#people-search tr[data-user="tranthie"]')
    found.locator("select").select_option("CouncilMember")
    walk.click(page, '#people-search tr[data-user="tranthie"] button')
    walk.look(page, "people-added")
    assert "Trần Thị E" in page.locator("#people-CouncilMember").inner_text()
    transaction.begin()
    members = api.user.get_users(groupname=group_id(province, "CouncilMember"))
    assert "tranthie" in [member.getId() for member in members]

    # Remove the chair.
    walk.click(page, f'#people-CouncilChair tr[data-principal="{chair}"] button')
    walk.look(page, "people-removed")
    assert chair not in page.locator("#people-CouncilChair").inner_text()
    transaction.begin()
    chairs = api.user.get_users(groupname=group_id(province, "CouncilChair"))
    assert chair not in [member.getId() for member in chairs]
    walk.assert_accessible()
