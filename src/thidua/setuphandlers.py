from plone import api
from plone.base.interfaces import INonInstallable
from thidua.accessibility import accessible_defaults
from thidua.accessibility import remove_bundle
from thidua.public import ensure_home
from thidua.public import HOME_VIEW
from thidua.roles import register_roles
from zope.interface import implementer


PLONE_SITE_VIEW = "listing_view"


@implementer(INonInstallable)
class HiddenProfiles:
    """Keep the uninstall and demo profiles out of the Add-ons control panel."""

    def getNonInstallableProfiles(self):
        return ["thidua:uninstall", "thidua:demo"]

    def getNonInstallableProducts(self):
        return []


def uninstall(context):
    """Post handler of thidua:uninstall: remove the chains built from workflows/
    and the stylesheet bundle, and give the site back Plone's view, since
    thidua's home page goes with it."""
    workflows = context.portal_workflow
    ours = [wf_id for wf_id in workflows.objectIds() if wf_id.startswith("thidua_")]
    if ours:
        workflows.manage_delObjects(ours)
    remove_bundle()
    portal = api.portal.get()
    if portal.getLayout() == HOME_VIEW:
        portal.setLayout(PLONE_SITE_VIEW)


def post_install(context):
    """Post handler of thidua:default: what GenericSetup's XML cannot say.
    Each feature that needs it appends its function to ``INSTALL_STEPS``."""
    for step in INSTALL_STEPS:
        step(context)


INSTALL_STEPS = (register_roles, accessible_defaults, ensure_home)
