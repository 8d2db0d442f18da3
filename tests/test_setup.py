"""thidua:default installs what it should and thidua:uninstall takes it away."""

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
        assert profile_last_version("thidua:default") == "1001"

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
