"""thidua:default installs what it should and thidua:uninstall takes it away."""

from plone import api
from thidua.interfaces import IThiduaLayer
from zope.component import getMultiAdapter

import pytest


class TestSetupInstall:
    def test_product_installed(self, installer, package_name):
        assert installer.is_product_installed(package_name) is True

    def test_browserlayer(self, browser_layers):
        assert IThiduaLayer in browser_layers

    def test_restapi_installed_with_it(self, installer):
        # Non-Managers need 'plone.restapi: Use REST API', which only
        # plone.restapi's own profile grants.
        assert installer.is_product_installed("plone.restapi") is True

    def test_latest_version(self, profile_last_version):
        assert profile_last_version("thidua:default") == "1007"

    def test_upgrade_from_1000(self, portal, installer, world):
        """A site made by 1000 (no ballot permissions, no introductions index)
        upgrades to what a new install has."""
        from plone import api
        from plone.app.testing import login
        from plone.app.testing import setRoles
        from plone.app.testing import TEST_USER_ID
        from plone.app.testing import TEST_USER_NAME
        from thidua.chains.status import force_state
        from thidua.introduce import introduce

        setRoles(portal, TEST_USER_ID, ["Manager"])
        login(portal, TEST_USER_NAME)
        force_state(world.ward_candidate, "selected")
        copy = introduce(world.ward_candidate, api.content.get_uuid(world.province_movement))
        setup = api.portal.get_tool("portal_setup")
        catalog = api.portal.get_tool("portal_catalog")
        catalog.delIndex("thidua_introduced_by")
        portal.manage_permission("thidua: View ballot", [], acquire=False)
        setup.setLastVersionForProfile("thidua:default", "1000")
        assert installer.upgrade_info("thidua")["required"]
        installer.upgrade_product("thidua")
        assert setup.getLastVersionForProfile("thidua:default") == (
            setup.getVersionForProfile("thidua:default"),
        )
        assert "thidua_introduced_by" in catalog.indexes()
        [brain] = catalog(thidua_introduced_by=api.content.get_uuid(world.ward))
        assert brain.getObject() == copy
        roles = {
            r["name"] for r in portal.rolesOfPermission("thidua: View ballot") if r["selected"]
        }
        assert {"CouncilMember", "CouncilChair", "CouncilSecretary"} <= roles

    def test_addons_panel_offers_the_default_profile_only(self, portal, http_request):
        panel = getMultiAdapter((portal, http_request), name="prefs_install_products_form")
        addon = panel.get_addons()["thidua"]
        assert addon["install_profile_id"] == "thidua:default"
        assert addon["uninstall_profile_id"] == "thidua:uninstall"
        # The demo is applied on purpose (make start), never from the panel.
        assert "thidua:demo" not in addon["other_profiles"]


class TestSetupUninstall:
    @pytest.fixture(autouse=True)
    def uninstalled(self, uninstalled):
        pass

    def test_product_uninstalled(self, installer, package_name):
        assert installer.is_product_installed(package_name) is False

    def test_browserlayer_removed(self, browser_layers):
        assert IThiduaLayer not in browser_layers

    def test_worklist_link_removed(self, portal):
        assert "thidua-worklist" not in api.portal.get_tool("portal_actions").user.objectIds()

    def test_stylesheet_bundle_removed(self, portal):
        from thidua import accessibility

        assert accessibility.BUNDLE not in accessibility.bundles()

    def test_honour_board_tab_removed(self, portal):
        tabs = api.portal.get_tool("portal_actions").portal_tabs
        assert "thidua-honour-board" not in tabs.objectIds()

    def test_home_page_and_tabs_removed(self, portal):
        tabs = api.portal.get_tool("portal_actions").portal_tabs.objectIds()
        assert not {"thidua-units", "thidua-honour-board"} & set(tabs)
        assert portal.getLayout() == "listing_view"


def test_upgrade_1003_gives_the_chair_the_state_menu(portal, installer, world):
    """A site whose chains were compiled by 1002: nobody but the editors held
    Review portal content, so the chair had no toolbar on a candidate."""
    from plone import api
    from plone.app.testing import login
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID
    from thidua.chains.status import force_state

    candidate = world.ward_candidate
    setRoles(portal, TEST_USER_ID, ["Manager"])
    force_state(candidate, "under_review")
    workflow = api.portal.get_tool("portal_workflow").getWorkflowsFor(candidate)[0]
    workflow.states["under_review"].setPermission("Review portal content", False, ["Manager"])
    workflow.updateRoleMappingsFor(candidate)
    chair = api.user.get(world.users[("ward", "CouncilChair")])
    assert not chair.has_permission("Review portal content", candidate)
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("thidua:default", "1002")
    installer.upgrade_product("thidua")
    assert setup.getLastVersionForProfile("thidua:default") == (
        setup.getVersionForProfile("thidua:default"),
    )
    login(portal, world.users[("ward", "CouncilChair")])
    assert api.user.get_permissions(obj=candidate)["Review portal content"]


def test_upgrade_1004_adds_the_working_calendar(portal, installer):
    """A site made before 1004 has no records for the working calendar."""
    from plone.registry.interfaces import IRegistry
    from thidua.workdays import is_working_day
    from zope.component import getUtility

    import datetime

    registry = getUtility(IRegistry)
    for name in ("days_off", "working_days"):
        del registry.records[f"thidua.workdays.{name}"]
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("thidua:default", "1003")
    installer.upgrade_product("thidua")
    assert setup.getLastVersionForProfile("thidua:default") == (
        setup.getVersionForProfile("thidua:default"),
    )
    assert registry["thidua.workdays.days_off"] == []
    registry["thidua.workdays.working_days"] = ["12/12/2026"]
    assert is_working_day(datetime.date(2026, 12, 12))


def test_upgrade_1004_keeps_a_free_text_rotation_as_its_note(portal, installer, world):
    """Before 1004 a rotation was free text; it becomes the note after ``|``,
    so that it names no sub-unit and the next save of the plan is not refused.
    A line with a sub-unit's code is kept."""
    from thidua.content.plan import IPlan

    plan = world.province_plan
    plan.quarterly_rotation = ["Khối trưởng Khối các cơ quan, ngành kinh tế", "PHUONG", ""]
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("thidua:default", "1003")
    installer.upgrade_product("thidua")
    assert plan.quarterly_rotation == [
        "| Khối trưởng Khối các cơ quan, ngành kinh tế",
        "PHUONG",
        "",
    ]
    IPlan["quarterly_rotation"].bind(plan).validate(plan.quarterly_rotation)


def test_the_honour_board_tab_installed_and_upgraded(portal):
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID
    from thidua.upgrades import v1005

    tab = "thidua-honour-board"

    tabs = api.portal.get_tool("portal_actions").portal_tabs
    installed = tabs[tab]
    assert installed.url_expr == "string:${portal_url}/@@honour-board"
    setRoles(portal, TEST_USER_ID, ["Manager"])
    tabs.manage_delObjects([tab])
    v1005.upgrade(api.portal.get_tool("portal_setup"))
    upgraded = tabs[tab]
    assert (upgraded.title, upgraded.i18n_domain, upgraded.url_expr, upgraded.visible) == (
        installed.title,
        installed.i18n_domain,
        installed.url_expr,
        installed.visible,
    )
    assert upgraded.permissions == ("View",)
