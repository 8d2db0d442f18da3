"""thidua.accessibility: what the browser test's axe-core scan needed, set at
install and by the 1005 upgrade (tests/browser/test_story.py scans the pages)."""

from plone import api
from thidua import accessibility
from thidua.upgrades import v1005

import json


def bundle():
    return accessibility.bundles().get(accessibility.BUNDLE)


def test_installed(portal):
    assert bundle().csscompilation == accessibility.STYLESHEET
    assert bundle().enabled
    assert api.portal.get_registry_record("plone.allowed_types") == ("text/html",)
    settings = json.loads(api.portal.get_registry_record("plone.other_settings"))
    assert settings["iframe_aria_text"] == "Vùng soạn thảo"
    assert settings["resize"] is False


def test_the_stylesheet_is_served(portal):
    stylesheet = portal.restrictedTraverse(accessibility.STYLESHEET)
    with open(stylesheet.path, encoding="utf-8") as served:
        assert "#portal-breadcrumbs a" in served.read()


def test_upgrade_1005_sets_them_on_an_existing_site(portal):
    accessibility.remove_bundle()
    api.portal.set_registry_record("plone.allowed_types", ("text/html", "text/x-web-textile"))
    api.portal.set_registry_record("plone.other_settings", json.dumps({"menubar": False}))
    assert bundle() is None

    v1005.upgrade(api.portal.get_tool("portal_setup"))

    assert bundle().csscompilation == accessibility.STYLESHEET
    assert api.portal.get_registry_record("plone.allowed_types") == ("text/html",)
    settings = json.loads(api.portal.get_registry_record("plone.other_settings"))
    assert settings["menubar"] is False  # an administrator's own setting stays
    assert settings["iframe_aria_text"] == "Vùng soạn thảo"
