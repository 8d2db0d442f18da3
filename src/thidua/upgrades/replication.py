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
