"""CORS from the control panel's records, through the real WSGI server."""

from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.registry.interfaces import IRegistry
from plone.rest.cors import CORSPolicy as RestCORSPolicy
from plone.rest.interfaces import ICORSPolicy
from thidua.cors import IThiduaCORSSettings
from thidua.cors import PREFIX
from thidua.testing import authenticator
from zope.component import getGlobalSiteManager
from zope.component import getUtility
from zope.interface import Interface
from zope.publisher.interfaces.browser import IDefaultBrowserLayer

import pytest
import requests
import transaction


PORTAL = "https://congthongtin.example.gov.vn"
OTHER = "https://elsewhere.example.com"
ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
JSON = {"Accept": "application/json"}


def configure(**values):
    """Set ``thidua.cors.*`` records and commit them, as a save of the panel does."""
    transaction.begin()
    for name, value in values.items():
        api.portal.set_registry_record(f"{PREFIX}.{name}", value)
    transaction.commit()


def board(obj):
    return f"{obj.absolute_url()}/@honour-board"


def preflight(url, origin, method="GET", headers=None):
    request_headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        request_headers["Access-Control-Request-Headers"] = headers
    return requests.options(url, headers=request_headers, timeout=30)


def get(url, origin, **headers):
    return requests.get(url, headers={**JSON, "Origin": origin, **headers}, timeout=30)


def cors_headers(response):
    return {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")}


def test_defaults(portal):
    settings = getUtility(IRegistry).forInterface(IThiduaCORSSettings, prefix=PREFIX)
    assert settings.allowed_origins == []
    assert settings.allowed_methods == ["GET", "OPTIONS"]
    assert settings.allowed_headers == [
        "Accept",
        "Authorization",
        "Content-Type",
        "Accept-Language",
    ]
    assert settings.allow_credentials is False
    assert settings.max_age == 3600


def test_nothing_added_without_origins(http_honoured, functional_portal):
    url = board(functional_portal)
    response = get(url, PORTAL)
    assert response.status_code == 200
    assert response.json()["items_total"] == 1
    assert cors_headers(response) == {}
    assert cors_headers(preflight(url, PORTAL)) == {}


def test_preflight_from_an_allowed_origin(http_world, functional_portal):
    configure(allowed_origins=[PORTAL])
    response = preflight(board(http_world.province), PORTAL, headers="authorization")
    assert response.status_code == 200
    assert response.text == ""
    assert cors_headers(response) == {
        "Access-Control-Allow-Origin": PORTAL,
        "Access-Control-Allow-Methods": "GET, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type, Accept-Language",
        "Access-Control-Max-Age": "3600",
    }
    assert "Origin" in response.headers["Vary"]


def test_preflight_from_another_origin(http_world, functional_portal):
    configure(allowed_origins=[PORTAL])
    response = preflight(board(http_world.province), OTHER)
    assert cors_headers(response) == {}
    assert "Origin" in response.headers["Vary"]  # a shared cache must not mix the two


def test_preflight_for_what_is_not_allowed(http_world):
    configure(allowed_origins=[PORTAL])
    unit = http_world.province.absolute_url()
    assert cors_headers(preflight(unit, PORTAL, method="POST")) == {}
    assert cors_headers(preflight(board(http_world.province), PORTAL, headers="x-secret")) == {}
    # The administrator adds POST: a portal may now add content (with a login).
    configure(allowed_methods=["GET", "OPTIONS", "POST"])
    response = preflight(unit, PORTAL, method="POST", headers="content-type, authorization")
    assert response.headers["Access-Control-Allow-Origin"] == PORTAL
    assert response.headers["Access-Control-Allow-Methods"] == "GET, OPTIONS, POST"


def test_simple_get_of_the_honour_board(http_honoured, http_world):
    configure(allowed_origins=[PORTAL, "https://other-portal.example.vn"])
    response = get(board(http_world.province), PORTAL, **{"Accept-Language": "vi"})
    assert response.status_code == 200
    assert response.json()["items"][0]["title"] == "Nguyễn Văn A"
    assert response.headers["Access-Control-Allow-Origin"] == PORTAL
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Origin" in response.headers["Vary"]
    # CORS is not access control: the other origin is answered, its browser
    # just may not read the answer.
    other = get(board(http_world.province), OTHER)
    assert other.status_code == 200
    assert cors_headers(other) == {}


def test_errors_carry_the_headers_too(http_world):
    """A portal reads the reason of a 400, not a bare network error."""
    configure(allowed_origins=[PORTAL])
    response = get(f"{board(http_world.province)}?year=abc", PORTAL)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "year"
    assert response.headers["Access-Control-Allow-Origin"] == PORTAL


def test_origin_case_and_trailing_slash(http_world):
    configure(allowed_origins=["HTTPS://CongThongTin.example.gov.vn/"])
    assert get(board(http_world.province), PORTAL).headers["Access-Control-Allow-Origin"] == PORTAL


def test_credentials_only_when_allowed(http_world):
    configure(allowed_origins=[PORTAL], allow_credentials=True)
    response = get(board(http_world.province), PORTAL)
    assert response.headers["Access-Control-Allow-Origin"] == PORTAL
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    response = preflight(board(http_world.province), PORTAL, headers="authorization")
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


def test_any_origin_reads_anonymously_only(http_world):
    configure(
        allowed_origins=["*"],
        allowed_methods=["GET", "OPTIONS", "POST", "PATCH"],
        allow_credentials=True,
    )
    url = board(http_world.province)
    response = get(url, OTHER)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Vary" not in response.headers or "Origin" not in response.headers["Vary"]
    response = preflight(url, OTHER, headers="accept-language")
    assert cors_headers(response) == {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Content-Type, Accept-Language",
        "Access-Control-Max-Age": "3600",
    }
    # No login, no writing, through *.
    assert cors_headers(preflight(url, OTHER, headers="authorization")) == {}
    unit = http_world.province.absolute_url()
    assert cors_headers(preflight(unit, OTHER, method="POST")) == {}
    assert cors_headers(get(url, OTHER, Authorization="Basic eDp5")) == {}


def test_named_origins_beside_any(http_world):
    configure(allowed_origins=[PORTAL, "*"], allow_credentials=True)
    url = board(http_world.province)
    named = get(url, PORTAL)
    assert named.headers["Access-Control-Allow-Origin"] == PORTAL
    assert named.headers["Access-Control-Allow-Credentials"] == "true"
    anyone = get(url, OTHER)
    assert anyone.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in anyone.headers
    assert "Origin" in anyone.headers["Vary"]


def settings_form(portal):
    url = f"{portal.absolute_url()}/@@thidua-settings"
    page = requests.get(url, auth=ADMIN, timeout=30)
    assert page.status_code == 200
    token = authenticator(page.text)
    data = {"_authenticator": token, "form.buttons.save": "Save"}
    for name in ("unit_levels", "fields", "honour_forms"):
        data[f"form.widgets.{name}"] = "\n".join(api.portal.get_registry_record(f"thidua.{name}"))
    return url, page.text, data


def cors_field(name):
    return f"form.widgets.IThiduaCORSSettings.{name}"


def test_the_control_panel_changes_it_without_a_restart(http_world, functional_portal):
    url = board(http_world.province)
    assert cors_headers(get(url, PORTAL)) == {}
    panel, page, data = settings_form(functional_portal)
    assert "Other portals (CORS)" in page
    data.update(
        {
            cors_field("allowed_origins"): f"{PORTAL}\r\nhttps://other-portal.example.vn",
            f"{cors_field('allowed_methods')}:list": ["GET", "OPTIONS", "PATCH"],
            f"{cors_field('allowed_methods')}-empty-marker": "1",
            cors_field("allowed_headers"): "Accept\r\nContent-Type\r\nAccept-Language",
            f"{cors_field('allow_credentials')}-empty-marker": "1",
            cors_field("max_age"): "600",
        }
    )
    saved = requests.post(panel, data=data, auth=ADMIN, timeout=30)
    assert saved.status_code == 200
    assert "Changes saved" in saved.text
    transaction.begin()
    assert api.portal.get_registry_record(f"{PREFIX}.allowed_origins") == [
        PORTAL,
        "https://other-portal.example.vn",
    ]
    assert api.portal.get_registry_record(f"{PREFIX}.max_age") == 600
    assert api.portal.get_registry_record(f"{PREFIX}.allowed_methods") == [
        "GET",
        "OPTIONS",
        "PATCH",
    ]
    # The lists of the main fieldset are kept as they were.
    assert "province|" in api.portal.get_registry_record("thidua.unit_levels")[1]
    assert get(url, PORTAL).headers["Access-Control-Allow-Origin"] == PORTAL
    response = preflight(url, PORTAL)
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, OPTIONS, PATCH"
    assert response.headers["Access-Control-Allow-Headers"] == (
        "Accept, Content-Type, Accept-Language"
    )
    # Emptied again: no CORS, at the next request.
    data[cors_field("allowed_origins")] = ""
    data["_authenticator"] = settings_form(functional_portal)[2]["_authenticator"]
    assert requests.post(panel, data=data, auth=ADMIN, timeout=30).status_code == 200
    assert cors_headers(get(url, PORTAL)) == {}


@pytest.mark.parametrize(
    "origins",
    ["congthongtin.example.gov.vn", "https://portal.example.vn/tin-tuc", "https://a b.vn"],
)
def test_the_control_panel_refuses_a_bad_origin(functional_portal, origins):
    panel, _page, data = settings_form(functional_portal)
    data[cors_field("allowed_origins")] = origins
    data[f"{cors_field('allowed_methods')}-empty-marker"] = "1"
    refused = requests.post(panel, data=data, auth=ADMIN, timeout=30)
    assert "Each line is * or an origin" in refused.text
    transaction.begin()
    assert api.portal.get_registry_record(f"{PREFIX}.allowed_origins") == []


def test_reimporting_the_registry_keeps_the_settings(portal):
    api.portal.set_registry_record(f"{PREFIX}.allowed_origins", [PORTAL])
    api.portal.set_registry_record(f"{PREFIX}.max_age", 60)
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-thidua:default", "plone.app.registry")
    assert api.portal.get_registry_record(f"{PREFIX}.allowed_origins") == [PORTAL]
    assert api.portal.get_registry_record(f"{PREFIX}.max_age") == 60


def test_upgrade_adds_the_records_and_keeps_the_lists(portal, installer):
    """A site installed at profile 1000 has no CORS records until the upgrade."""
    registry = getUtility(IRegistry)
    for name in list(registry.records.keys()):
        if name.startswith(f"{PREFIX}."):
            del registry.records[name]
    api.portal.set_registry_record("thidua.unit_levels", ["ward|Phường|Ward"])
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("thidua:default", "1000")
    assert installer.upgrade_info("thidua")["required"]
    installer.upgrade_product("thidua")
    assert setup.getLastVersionForProfile("thidua:default") == (
        setup.getVersionForProfile("thidua:default"),
    )
    settings = registry.forInterface(IThiduaCORSSettings, prefix=PREFIX)
    assert settings.allowed_origins == []
    assert settings.allowed_methods == ["GET", "OPTIONS"]
    assert api.portal.get_registry_record("thidua.unit_levels") == ["ward|Phường|Ward"]


class ZCMLPolicy(RestCORSPolicy):
    """What ``<plone:CORSPolicy allow_origin="..." />`` in a deployment's ZCML makes."""

    allow_origin = [OTHER]
    allow_credentials = False
    allow_methods = ["GET", "OPTIONS"]
    allow_headers = []
    expose_headers = []
    max_age = None


@pytest.fixture
def zcml_policy():
    registry = getGlobalSiteManager()
    registry.registerAdapter(ZCMLPolicy, (Interface, IDefaultBrowserLayer), ICORSPolicy)
    yield
    registry.unregisterAdapter(ZCMLPolicy, (Interface, IDefaultBrowserLayer), ICORSPolicy)


def test_a_zcml_policy_applies_while_no_origin_is_set(http_world, zcml_policy):
    url = board(http_world.province)
    assert get(url, OTHER).headers["Access-Control-Allow-Origin"] == OTHER
    configure(allowed_origins=[PORTAL])
    assert cors_headers(get(url, OTHER)) == {}
    assert get(url, PORTAL).headers["Access-Control-Allow-Origin"] == PORTAL
