"""1005: the control panel's link to the honour certificate's template
(thidua.documents.certificate), as profiles/default/controlpanel.xml has it."""

from plone import api


def add_certificate_configlet(context):
    panel = api.portal.get_tool("portal_controlpanel")
    if any(action.getId() == "thidua-certificate" for action in panel.listActions()):
        return
    panel.registerConfiglet(
        id="thidua-certificate",
        name="Honour certificate template",
        action="string:${portal_url}/@@thidua-certificate",
        permission="thidua: Manage settings",
        category="Products",
        appId="thidua",
        icon_expr="string:file-earmark-richtext",
    )
