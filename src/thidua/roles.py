"""The four roles of the councils, delegable unit by unit on the Sharing tab.

Their titles are messages of the ``plone`` domain, where Plone translates role
titles (locales/*/LC_MESSAGES/plone.po).
"""

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
