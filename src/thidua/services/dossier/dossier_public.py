"""``@dossier-public`` on a Candidate: which files and images of its dossier
are public, and a secretary's way to mark one (thidua.dossier)."""

from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from thidua.dossier import dossier_items
from thidua.dossier import is_public
from thidua.dossier import mark_public
from thidua.refusal import Refused
from thidua.services import params
from thidua.services.errors import error
from zExceptions import Unauthorized
from zope.interface import alsoProvides


def summary(item):
    return {
        "@id": item.absolute_url(),
        "@type": item.portal_type,
        "id": item.getId(),
        "title": item.title or "",
        "public": is_public(item),
    }


class DossierPublicGet(Service):
    def reply(self):
        # Only the items the caller may view: a staff-only file is not named
        # to the public.
        items = [
            item
            for item in dossier_items(self.context)
            if api.user.has_permission("View", obj=item)
        ]
        return {
            "@id": f"{self.context.absolute_url()}/@dossier-public",
            "items": [summary(item) for item in items],
        }


class DossierPublicPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if api.user.is_anonymous():
            raise Unauthorized("Log in to mark a dossier file public.")
        try:
            data = params.json_object(self.request)
            item = mark_public(self.context, data.get("id"), data.get("public"))
        except Refused as problem:
            return error(self.request, problem.status, problem.message, problem.field)
        return summary(item)
