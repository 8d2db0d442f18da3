from plone.app.layout.viewlets.toolbar import ToolbarViewletManager
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class AccessibleToolbar(ToolbarViewletManager):
    """Plone's toolbar, its pin and unpin links marked as buttons (toolbar.pt)."""

    custom_template = ViewPageTemplateFile("toolbar.pt")
