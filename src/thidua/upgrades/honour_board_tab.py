"""The honour board's tab (profiles/default/actions.xml) on existing sites,
added alone: re-importing the actions would reset the other ones."""

from plone import api
from Products.CMFCore.ActionInformation import Action


TAB = "thidua-honour-board"


def honour_board_tab(context):
    tabs = api.portal.get_tool("portal_actions").portal_tabs
    if TAB in tabs.objectIds():
        return
    tab = Action(
        TAB,
        title="Honour board",
        description="The honoured models of every unit",
        i18n_domain="thidua",
        url_expr="string:${portal_url}/@@honour-board",
        permissions=("View",),
        visible=True,
    )
    tabs._setObject(TAB, tab)
