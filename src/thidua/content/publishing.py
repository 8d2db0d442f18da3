"""What Zope publishes of thidua's content besides its views and the REST API.

WebDAV and FTP are refused to all but the site's administrators (``Manage
portal``): nobody here works through them, their answers are the RFC 822
marshalling of every field (personal data and all; plone.dexterity checks no
read permission there), ``PROPFIND`` answers what the workflow hides and
``PUT`` writes fields past the API's validation. Refusing the methods closes
every path at once, except those that call them from Python: the ``_data``
pseudo-resource of a container (``manage_FTPget``) and a parent's
``PROPFIND`` with a depth (``listDAVObjects``): hence the checks inside them.
The profile's rolemap also keeps ``WebDAV access`` (``PROPFIND``) to the
administrators on the whole site, whose root would list thidua's units.
"""

from AccessControl import ClassSecurityInfo
from AccessControl import getSecurityManager
from AccessControl import Unauthorized
from AccessControl.class_init import InitializeClass
from plone.dexterity.content import Container
from Products.CMFCore.permissions import ManagePortal


WEBDAV_METHODS = (
    "COPY",
    "LOCK",
    "MKCOL",
    "MKCOL_handler",
    "MOVE",
    "PROPFIND",
    "PROPPATCH",
    "PUT",
    "PUT_factory",
    "UNLOCK",
    "listDAVObjects",
    "manage_DAVget",
    "manage_FTPget",
)


class ThiduaContainer(Container):
    """Base class of thidua's content types: WebDAV and FTP for administrators."""

    security = ClassSecurityInfo()
    security.declareProtected(ManagePortal, *WEBDAV_METHODS)

    def manage_FTPget(self, REQUEST=None, RESPONSE=None):
        """The item marshalled as text, for administrators."""
        if not getSecurityManager().checkPermission(ManagePortal, self):
            raise Unauthorized("manage_FTPget")
        return super().manage_FTPget(REQUEST, RESPONSE)

    def listDAVObjects(self):
        """The items inside, for administrators' WebDAV listings."""
        if not getSecurityManager().checkPermission(ManagePortal, self):
            return []
        return super().listDAVObjects()


InitializeClass(ThiduaContainer)
