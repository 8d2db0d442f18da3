"""``@@nhan-su``: who is in each of a unit's role groups, with add and remove,
for those who may delegate the roles there; and Users and Groups opens without
writing to the database (the council roles are registered at install)."""

from conftest import add_administrator_and_stranger
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from thidua.delegation import group_id
from thidua.testing import ADMIN
from thidua.testing import authenticator
from thidua.testing import logged_in

import pytest
import re
import requests
import transaction


@pytest.fixture
def people(functional_portal, http_world):
    """The province's page, in Vietnamese, a site administrator and a user in no group."""
    api.portal.set_registry_record("plone.default_language", "vi")
    add_administrator_and_stranger(functional_portal)
    http_world.url = f"{http_world.province.absolute_url()}/@@nhan-su"
    return http_world


def section(page, role):
    found = re.search(rf'id="people-{role}"(.*?)</section>', page, re.S)
    assert found is not None, role
    return found.group(1)


def members(page, role):
    return re.findall(r'data-principal="([^"]+)"', section(page, role))


def test_the_page_lists_each_role_group_with_its_members(functional_portal, people):
    admin = logged_in(functional_portal, "quantri")
    page = admin.get(people.url, timeout=60)
    assert page.status_code == 200
    assert "Nhân sự của Tỉnh" in page.text
    for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
        assert members(page.text, role) == [people.users[("province", role)]]
        assert group_id(people.province, role) in section(page.text, role)
    assert "Chủ tịch Hội đồng" in section(page.text, "CouncilChair")


def test_the_unit_links_to_the_page_for_administrators_only(functional_portal, people):
    admin = logged_in(functional_portal, "quantri")
    unit_page = admin.get(people.province.absolute_url(), timeout=60).text
    tab = re.search(r'id="contentview-thidua-people">\s*<a[^>]* href="([^"?]+)', unit_page)
    assert tab.group(1) == people.url
    chair = logged_in(functional_portal, people.users[("province", "CouncilChair")])
    assert "@@nhan-su" not in chair.get(people.province.absolute_url(), timeout=60).text


@pytest.mark.parametrize(
    "role", ["UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"]
)
def test_the_units_council_may_not_see_or_change_it(functional_portal, people, role):
    session = logged_in(functional_portal, people.users[("province", role)])
    page = session.get(people.url, timeout=60, allow_redirects=False)
    assert page.status_code in (302, 401, 403)
    assert people.users[("province", "CouncilChair")] not in page.text
    # Nor with a forged POST, with or without a token.
    token = page_token(session.get(people.province.absolute_url(), timeout=60).text)
    data = {
        "action": "add",
        "role": "CouncilChair",
        "principal": "tranthie",
        "_authenticator": token,
    }
    session.post(people.url, data=data, timeout=60, allow_redirects=False)
    transaction.begin()
    assert "tranthie" not in group_members(people.province, "CouncilChair")


def test_anonymous_is_sent_to_log_in(people):
    page = requests.get(people.url, timeout=60, allow_redirects=False)
    assert page.status_code in (302, 401)
    assert "province-councilchair" not in page.text


def page_token(page):
    """plone.protect's token, which every page of a logged-in user carries."""
    return re.search(r'data-token="([^"]+)"', page).group(1)


def group_members(unit, role):
    return api.group.get(groupname=group_id(unit, role)).getGroupMemberIds()


def test_search_add_and_remove(functional_portal, people):
    admin = logged_in(functional_portal, "quantri")
    found = admin.get(people.url, params={"search": "Trần Thị"}, timeout=60).text
    assert 'data-user="tranthie"' in found
    assert "Trần Thị E" in found
    data = {"action": "add", "role": "CouncilMember", "principal": "tranthie"}
    added = admin.post(
        people.url, data={**data, "_authenticator": authenticator(found)}, timeout=60
    )
    assert added.status_code == 200
    assert "tranthie" in members(added.text, "CouncilMember")
    transaction.begin()
    assert "tranthie" in group_members(people.province, "CouncilMember")
    # She now holds the role on the unit, through the group.
    user = api.user.get(userid="tranthie")
    assert "CouncilMember" in user.getRolesInContext(people.province)

    data = {"action": "remove", "role": "CouncilMember", "principal": "tranthie"}
    removed = admin.post(
        people.url, data={**data, "_authenticator": authenticator(added.text)}, timeout=60
    )
    assert "tranthie" not in members(removed.text, "CouncilMember")
    transaction.begin()
    assert "tranthie" not in group_members(people.province, "CouncilMember")


def test_a_change_without_the_token_is_refused(functional_portal, people):
    admin = logged_in(functional_portal, "quantri")
    data = {"action": "add", "role": "CouncilMember", "principal": "tranthie"}
    response = admin.post(people.url, data=data, timeout=60, allow_redirects=False)
    assert response.status_code == 403
    transaction.begin()
    assert "tranthie" not in group_members(people.province, "CouncilMember")


def test_a_delegate_of_one_role_changes_that_group_only(functional_portal, people):
    """Whoever is given ``thidua: Delegate CouncilMember`` on the unit (through
    a local role that holds it) manages that group and sees no other button."""
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    people.province.manage_permission(
        "thidua: Delegate CouncilMember", ["Manager", "Site Administrator", "Editor"], acquire=True
    )
    people.province.manage_setLocalRoles("tranthie", ["Editor"])
    transaction.commit()
    delegate = logged_in(functional_portal, "tranthie")
    page = delegate.get(people.url, timeout=60).text
    assert 'name="action" value="remove"' in section(page, "CouncilMember")
    assert 'name="action" value="remove"' not in section(page, "CouncilChair")
    chair = people.users[("province", "CouncilChair")]
    data = {"action": "remove", "role": "CouncilChair", "principal": chair}
    response = delegate.post(
        people.url,
        data={**data, "_authenticator": authenticator(page)},
        timeout=60,
        allow_redirects=False,
    )
    assert response.status_code in (302, 401, 403)
    transaction.begin()
    assert chair in group_members(people.province, "CouncilChair")


def test_users_and_groups_opens_without_writing(functional_portal, people):
    """It used to register the council roles in acl_users on each GET, which
    plone.protect answered with "Confirming User Action" and rolled back."""
    database = functional_portal._p_jar.db()
    site = functional_portal.absolute_url()
    requests.get(site, auth=ADMIN, timeout=60)  # the test server's first request writes
    group = group_id(people.province, "CouncilChair")
    for view in (
        f"{site}/@@usergroup-userprefs",
        f"{site}/@@usergroup-groupprefs",
        f"{site}/@@usergroup-userprefs",
        f"{site}/@@usergroup-groupmembership?groupname={group}",
        f"{site}/@@usergroup-usermembership?userid=tranthie",
        f"{people.province.absolute_url()}/@@sharing",
        people.url,
    ):
        before = database.lastTransaction()
        page = requests.get(view, auth=ADMIN, timeout=60)
        assert page.status_code == 200
        assert "@@confirm-action" not in page.url
        assert database.lastTransaction() == before, view


def test_the_council_roles_are_registered_at_install(portal):
    role_manager = portal.acl_users.portal_role_manager
    assert {"UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"} <= set(
        role_manager._roles.keys()
    )


def test_upgrade_1005_registers_the_roles_and_adds_the_tab(portal, installer):
    """A site made before 1005: the roles unknown to the role manager, no tab."""
    role_manager = portal.acl_users.portal_role_manager
    for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
        del role_manager._roles[role]
    installed = dict(portal.portal_actions.object["thidua-people"].propertyItems())
    portal.portal_actions.object.manage_delObjects(["thidua-people"])
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("thidua:default", "1004")
    installer.upgrade_product("thidua")
    assert setup.getLastVersionForProfile("thidua:default") == (
        setup.getVersionForProfile("thidua:default"),
    )
    assert "CouncilChair" in role_manager._roles
    tab = portal.portal_actions.object["thidua-people"]
    assert dict(tab.propertyItems()) == installed  # what actions.xml installs
    assert tab.url_expr == "string:${object_url}/@@nhan-su"
