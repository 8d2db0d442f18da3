"""After the login form: a member of a unit's staff or council who came from
nowhere in particular lands on their worklist (``@@viec-can-lam``), not on
the site's empty home page. Anyone else, and any ``came_from``, keeps Plone's
own redirect."""

from plone import api
from plone.base.interfaces import IRedirectAfterLogin
from thidua.delegation import staff_units
from thidua.interfaces import IThiduaLayer
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


ADMIN_ROLES = {"Manager", "Site Administrator"}


@implementer(IRedirectAfterLogin)
@adapter(Interface, IThiduaLayer)
class WorklistAfterLogin:
    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self, came_from=None, is_initial_login=False):
        portal_url = api.portal.get().absolute_url()
        if came_from and came_from.rstrip("/") != portal_url:
            return came_from
        user = api.user.get_current()
        if ADMIN_ROLES & set(user.getRoles()) or not staff_units(user):
            return came_from
        return f"{portal_url}/@@viec-can-lam"
