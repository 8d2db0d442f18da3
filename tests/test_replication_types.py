"""The replication types (thidua.replication): an Activity or an Adoption is
recorded in a unit over REST by its officer, names the models it features (the
catalog answers both ways), stays internal to the unit's staff until its
secretary makes it public; existing sites get the types through 1006."""

from conftest import honour
from plone import api
from thidua.testing import PASSWORD

import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def post(url, user, body):
    return requests.post(url, json=body, headers=JSON, auth=(user, PASSWORD), timeout=30)


@pytest.fixture
def site_visit(http_world, functional_portal):
    honour(functional_portal, http_world.province_candidate)
    transaction.commit()
    response = post(
        http_world.ward.absolute_url(),
        http_world.users[("ward", "UnitOfficer")],
        {
            "@type": "Activity",
            "title": "Tham quan mô hình dân vận khéo",
            "activity_kind": "site_visit",
            "activity_date": "2025-03-14",
            "models": [http_world.province_candidate.UID()],
            "participants": 40,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_the_officer_records_a_site_visit_found_from_the_model(http_world, site_visit):
    assert site_visit["activity_kind"]["token"] == "site_visit"
    assert site_visit["review_state"] == "internal"
    transaction.begin()  # see what the server committed
    catalog = api.portal.get_tool("portal_catalog")
    [brain] = catalog.unrestrictedSearchResults(thidua_models=http_world.province_candidate.UID())
    assert brain.getURL() == site_visit["@id"]
    assert brain.thidua_activity_kind == "site_visit"
    assert brain.thidua_participants == 40
    assert brain.thidua_unit == http_world.ward.UID()


def test_internal_until_the_secretary_makes_it_public(http_world, site_visit):
    url = site_visit["@id"]
    assert requests.get(url, headers=JSON, timeout=30).status_code == 401
    officer = http_world.users[("ward", "UnitOfficer")]
    # plone.restapi's "Invalid transition" to a role that sees the item but may not take it
    assert post(url + "/@workflow/publish", officer, {}).status_code == 400
    secretary = http_world.users[("ward", "CouncilSecretary")]
    assert post(url + "/@workflow/publish", secretary, {}).status_code == 200
    public = requests.get(url, headers=JSON, timeout=30)
    assert public.status_code == 200
    assert public.json()["title"] == "Tham quan mô hình dân vận khéo"


def test_an_activity_names_at_least_one_model(http_world, functional_portal):
    response = post(
        http_world.ward.absolute_url(),
        http_world.users[("ward", "UnitOfficer")],
        {
            "@type": "Activity",
            "title": "Bài viết",
            "activity_kind": "article",
            "activity_date": "2025-03-14",
            "models": [],
        },
    )
    assert response.status_code == 400
    assert "models" in response.text


def test_a_member_may_not_record_one(http_world):
    response = post(
        http_world.ward.absolute_url(),
        http_world.users[("ward", "CouncilMember")],
        {"@type": "Adoption", "title": "Áp dụng", "adoption_date": "2025-03-14"},
    )
    assert response.status_code in (401, 403)


def test_the_1006_upgrade_adds_the_types_to_an_existing_site(portal):
    from thidua.upgrades.replication import add_replication

    types = api.portal.get_tool("portal_types")
    unit = types["Unit"]
    unit.allowed_content_types = tuple(
        name for name in unit.allowed_content_types if name not in ("Activity", "Adoption")
    )
    types.manage_delObjects(["Activity", "Adoption"])
    workflows = api.portal.get_tool("portal_workflow")
    workflows.manage_delObjects(["thidua_activity_workflow"])
    catalog = api.portal.get_tool("portal_catalog")
    catalog.delIndex("thidua_models")
    add_replication(api.portal.get_tool("portal_setup"))
    assert {"Activity", "Adoption"} <= set(types["Unit"].allowed_content_types)
    assert workflows.getChainForPortalType("Activity") == ("thidua_activity_workflow",)
    assert "thidua_models" in catalog.indexes()
