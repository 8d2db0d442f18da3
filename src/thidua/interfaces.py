from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IThiduaLayer(IDefaultBrowserLayer):
    """Marker for requests on a site where thidua is installed."""
