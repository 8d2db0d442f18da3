"""1005: a unit's "People" tab (browser/people.py), added to the site's
actions as profiles/default/actions.xml declares it; the other actions, which
an administrator may have changed, are left alone."""

from plone import api
from Products.CMFCore.ActionInformation import Action
from thidua.permissions import delegate
from thidua.roles import ROLES


PERMISSIONS = tuple(delegate(role) for role in ROLES)


def add_people_tab(context):
    category = api.portal.get_tool("portal_actions").object
    if "thidua-people" in category.objectIds():
        return
    category._setObject(
        "thidua-people",
        Action(
            "thidua-people",
            title="People",
            description="Who holds each council role of this unit",
            i18n_domain="thidua",
            url_expr="string:${object_url}/@@nhan-su",
            icon_expr="string:people",
            available_expr='python:getattr(object, "portal_type", None) == "Unit"',
            permissions=PERMISSIONS,
            visible=True,
        ),
    )
