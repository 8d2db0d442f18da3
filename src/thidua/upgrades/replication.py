"""1006: the replication types (Activity, Adoption) on an existing site: their
FTIs and Unit's allowed types, who may add them, their chain and the catalog's
indexes, as the default profile makes them on new sites."""

from plone import api
from thidua.chains.compiler import install_all


ADD_PERMISSIONS = ("thidua: Add Activity", "thidua: Add Adoption")
ROLES = ("Manager", "Site Administrator", "UnitOfficer", "CouncilSecretary")


def add_replication(context):
    setup = api.portal.get_tool("portal_setup")
    for step in ("typeinfo", "catalog"):
        setup.runImportStepFromProfile("profile-thidua:default", step, run_dependencies=False)
    site = api.portal.get()
    for permission in ADD_PERMISSIONS:
        site.manage_permission(permission, ROLES, acquire=True)
    # Only chains that changed are installed: here the new activity chain.
    install_all(site)


def add_reach(context):
    """The reach of the models (``thidua_reach``, index and metadata) and the
    metadata it is read from (a unit's level; an activity's outlet, link and
    participating units): the columns and the index, then the candidates,
    units and replication items catalogued again (their metadata too)."""
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-thidua:default", "catalog", run_dependencies=False)
    catalog = api.portal.get_tool("portal_catalog")
    # The activities first: a candidate's reach is read from them.
    for portal_type in ("Activity", "Adoption", "Unit", "Candidate"):
        for brain in catalog.unrestrictedSearchResults(portal_type=portal_type):
            obj = brain._unrestrictedGetObject()
            index = ["thidua_reach"] if portal_type == "Candidate" else ["getId"]
            catalog.catalog_object(obj, brain.getPath(), idxs=index, update_metadata=1)
