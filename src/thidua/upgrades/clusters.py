"""1006: emulation clusters and blocs (thidua.clusters) on a site installed
before: the Cluster type, its place in a Unit, its add permission and its
binding to no workflow, as the default profile gives a new site."""

from plone import api
from thidua import permissions


ROLES = ("Manager", "Site Administrator", "CouncilSecretary")


def add_clusters(context):
    # The profile's types: Cluster's FTI, and Unit's allowed types with Cluster.
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-thidua:default", "typeinfo", run_dependencies=False)
    api.portal.get().manage_permission(permissions.AddCluster, ROLES, acquire=True)
    api.portal.get_tool("portal_workflow").setChainForPortalTypes(["Cluster"], ())
