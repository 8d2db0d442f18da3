"""The public GETs carry plone.app.caching rulesets, as plone.restapi's own
services do: a site that turns caching on (the caching control panel) gets
the operation mapped to each ruleset."""

from plone import api
from plone.app.testing import applyProfile
from plone.rest.negotiation import lookup_service_id
from thidua.interfaces import IThiduaLayer
from z3c.caching.registry import lookup
from zope.component import getMultiAdapter
from zope.interface import alsoProvides

import pytest
import requests
import transaction


BOARD = "plone.content.dynamic"
DOCUMENT = "plone.resource"


def service(portal, request, name):
    """The object plone.rest publishes for ``GET <portal>/<name>`` asking for JSON."""
    service_id = lookup_service_id("GET", "application/json")
    return getMultiAdapter((portal, request), name=f"{service_id}{name}")


def test_the_rulesets_are_found_for_the_published_objects(portal):
    request = portal.REQUEST
    alsoProvides(request, IThiduaLayer)
    assert lookup(getMultiAdapter((portal, request), name="honour-board")) == BOARD
    assert lookup(service(portal, request, "@honour-board")) == BOARD
    assert lookup(service(portal, request, "@openapi")) == DOCUMENT


@pytest.fixture
def caching_on(functional_portal):
    """plone.app.caching's profile for a site behind a caching proxy, turned on."""
    applyProfile(functional_portal, "plone.app.caching:default")
    applyProfile(functional_portal, "plone.app.caching:with-caching-proxy")
    api.portal.set_registry_record("plone.caching.interfaces.ICacheSettings.enabled", True)
    transaction.commit()
    return functional_portal


@pytest.mark.parametrize(
    "path, accept, ruleset",
    [
        ("@honour-board", "application/json", BOARD),
        ("@@honour-board", "text/html", BOARD),
        ("@openapi", "application/json", DOCUMENT),
    ],
)
def test_a_site_with_caching_on_applies_the_ruleset(caching_on, path, accept, ruleset):
    response = requests.get(
        f"{caching_on.absolute_url()}/{path}", headers={"Accept": accept}, timeout=30
    )
    assert response.status_code == 200
    assert response.headers["X-Cache-Rule"] == ruleset
    assert response.headers["X-Cache-Operation"]
