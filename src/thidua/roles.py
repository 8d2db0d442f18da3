"""The four roles of the councils, delegable unit by unit on the Sharing tab.

Their titles are messages of the ``plone`` domain, where Plone translates role
titles (locales/*/LC_MESSAGES/plone.po).
"""

from plone import api
from plone.app.workflow.interfaces import ISharingPageRole
from plone.base import PloneMessageFactory as PMF
from thidua import permissions
from thidua.content.unit import IUnit
from zope.interface import implementer


ROLES = {
    "UnitOfficer": PMF("UnitOfficer", default="Unit emulation officer"),
    "CouncilSecretary": PMF("CouncilSecretary", default="Council standing body"),
    "CouncilMember": PMF("CouncilMember", default="Council member"),
    "CouncilChair": PMF("CouncilChair", default="Council chair"),
}


def sharing_role(role):
    @implementer(ISharingPageRole)
    class SharingRole:
        title = ROLES[role]
        required_permission = permissions.delegate(role)
        required_interface = IUnit

    SharingRole.__name__ = f"{role}SharingRole"
    return SharingRole


UnitOfficerRole = sharing_role("UnitOfficer")
CouncilSecretaryRole = sharing_role("CouncilSecretary")
CouncilMemberRole = sharing_role("CouncilMember")
CouncilChairRole = sharing_role("CouncilChair")


def register_roles(context):
    """Install step: the four roles in Plone's role manager (acl_users).

    rolemap.xml makes them roles of the site, but PlonePAS's role manager only
    learns a site's roles when something lists them: Users and Groups did, on
    every GET, and plone.protect refused that write with its "Confirming User
    Action" page, which rolled it back, so the next visit wrote again."""
    # What the page does on a GET: add every role of the site it lacks.
    api.portal.get_tool("acl_users").portal_role_manager.updateRolesList()
