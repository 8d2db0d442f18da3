"""1005: who may add to a model's nurture plan (thidua.nurture), as the
default profile's rolemap.xml grants it on new sites."""

from plone import api
from thidua import permissions


ROLES = ("Manager", "Site Administrator", "UnitOfficer", "CouncilSecretary")


def grant_edit_nurture_plan(context):
    api.portal.get().manage_permission(permissions.EditNurturePlan, ROLES, acquire=True)


def index_checkins(context):
    """1006: the catalog knows each plan's latest check-in (thidua.nurture.INDEXES):
    the indexes and columns are added, and the models with a plan indexed.
    1007 runs it again for the index of which models have a plan."""
    from thidua import nurture

    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-thidua:default", "catalog", run_dependencies=False)
    for brain in nurture.nurtured_brains():
        candidate = brain._unrestrictedGetObject()
        if nurture.has_plan(candidate):
            # with idxs, the catalog refreshes the row's metadata too
            candidate.reindexObject(idxs=list(nurture.INDEXES))
