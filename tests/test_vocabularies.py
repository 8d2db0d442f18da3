"""The lists administrators keep in the registry, and their control panel."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory

import pytest


def terms(portal, name):
    return {term.value: term.title for term in getUtility(IVocabularyFactory, name)(portal)}


def test_defaults_come_from_the_seeds(portal):
    levels = terms(portal, "thidua.unit_levels")
    assert set(levels) == {"central", "province", "department", "district", "commune", "agency"}
    assert levels["province"] == "Province or centrally-governed city"  # the test site is en
    portal.REQUEST["LANGUAGE"] = "vi"
    assert terms(portal, "thidua.unit_levels")["province"].startswith("Tỉnh")
    assert "education" in terms(portal, "thidua.fields")
    assert len(terms(portal, "thidua.honour_forms")) >= 5


def test_an_administrator_edits_a_list(portal):
    api.portal.set_registry_record(
        "thidua.honour_forms", ["bieu_duong|Biểu dương|Commendation", "giay_khen|Giấy khen"]
    )
    assert terms(portal, "thidua.honour_forms") == {
        "bieu_duong": "Commendation",
        "giay_khen": "Giấy khen",  # no English title given: the Vietnamese one
    }
    portal.REQUEST["LANGUAGE"] = "vi"
    assert terms(portal, "thidua.honour_forms")["bieu_duong"] == "Biểu dương"


def test_candidate_chains_are_the_candidate_workflows(portal):
    assert set(terms(portal, "thidua.candidate_chains")) == {
        "thidua_candidate_workflow",
        "thidua_candidate_short_workflow",
    }


@pytest.mark.parametrize("role,allowed", [("Site Administrator", True), ("Member", False)])
def test_control_panel_permission(portal, role, allowed):
    setRoles(portal, TEST_USER_ID, [role])
    assert api.user.has_permission("thidua: Manage settings", obj=portal) is allowed
    controlpanel = api.portal.get_tool("portal_controlpanel")
    assert "thidua-settings" in [action.getId() for action in controlpanel.listActions()]
