from plone.base.interfaces import INonInstallable
from zope.interface import implementer


@implementer(INonInstallable)
class HiddenProfiles:
    """Keep the uninstall and demo profiles out of the Add-ons control panel."""

    def getNonInstallableProfiles(self):
        return ["thidua:uninstall", "thidua:demo"]

    def getNonInstallableProducts(self):
        return []
