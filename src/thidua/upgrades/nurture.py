"""1005: who may add to a model's nurture plan (thidua.nurture), as the
default profile's rolemap.xml grants it on new sites."""

from plone import api
from thidua import permissions


ROLES = ("Manager", "Site Administrator", "UnitOfficer", "CouncilSecretary")


def grant_edit_nurture_plan(context):
    api.portal.get().manage_permission(permissions.EditNurturePlan, ROLES, acquire=True)
