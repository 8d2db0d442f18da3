from zope.interface import Interface
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IThiduaLayer(IDefaultBrowserLayer):
    """Marker for requests on a site where thidua is installed."""


class IDossierFile(Interface):
    """A File or Image inside a Candidate: evidence of its dossier (thidua.dossier)."""
