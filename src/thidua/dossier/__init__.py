"""The files and images of a candidate's dossier (evidence: CVs, certificates,
photos) are staff-only in every state of the candidate: who may view them is
who holds ``thidua: View personal data`` on the candidate in its current state,
unless a secretary marks one public, when it follows the candidate's own View
(public once honoured, staff-only in a draft). Their text never goes into
SearchableText (catalog/__init__.py), whether public or not.

The permissions are recomputed whenever the candidate's may change: a file
added or moved into it, each transition, and chains/status.py (chain changes,
introductions); the 1002 upgrade step settles the files of existing sites.
"""

from AccessControl import getSecurityManager
from AccessControl.PermissionRole import rolesForPermissionOn
from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from plone import api
from Products.CMFCore.permissions import AccessContentsInformation
from Products.CMFCore.permissions import ManagePortal
from Products.CMFCore.permissions import View
from thidua import _
from thidua import permissions
from thidua.content.candidate import ICandidate
from thidua.interfaces import IDossierFile
from thidua.refusal import Refused
from zope.interface import alsoProvides
from zope.interface import noLongerProvides
from zope.lifecycleevent.interfaces import IObjectRemovedEvent


PROTECTED = (View, AccessContentsInformation)
SECRETARY = "CouncilSecretary"
PUBLIC_FLAG = "_thidua_dossier_public"


def is_public(item):
    return bool(getattr(aq_base(item), PUBLIC_FLAG, False))


def protect(item, candidate):
    """Set the View of one dossier item from the candidate as it stands now."""
    if is_public(item):
        for permission in PROTECTED:
            item.manage_permission(permission, (), acquire=True)
    else:
        staff = sorted(rolesForPermissionOn(permissions.ViewPersonalData, candidate))
        for permission in PROTECTED:
            item.manage_permission(permission, staff, acquire=False)
    item.reindexObjectSecurity()


def dossier_items(candidate):
    return [item for item in candidate.objectValues() if IDossierFile.providedBy(item)]


def protect_dossier(candidate):
    for item in dossier_items(candidate):
        protect(item, candidate)


def item_moved(item, event):
    """IObjectMovedEvent (added too) of a File or Image."""
    if not IObjectRemovedEvent.providedBy(event):
        settle(item)


def settle(item):
    """In a candidate a File or Image is dossier evidence; taken out of one,
    it follows its new container again."""
    container = aq_parent(aq_inner(item))
    if ICandidate.providedBy(container):
        alsoProvides(item, IDossierFile)
        protect(item, container)
    elif IDossierFile.providedBy(item):
        noLongerProvides(item, IDossierFile)
        for permission in PROTECTED:
            item.manage_permission(permission, (), acquire=True)
        item.reindexObjectSecurity()
    else:
        return
    item.reindexObject(idxs=["SearchableText", "object_provides"])


def candidate_changed(candidate, event):
    """IAfterTransitionEvent of a Candidate."""
    protect_dossier(candidate)


def may_mark_public(candidate):
    """The candidate's secretaries (CouncilSecretary on its unit, given through
    a group or the Sharing tab) and the site's administrators. Not the unit's
    officer: a flag set on a draft would make the file public once honoured."""
    return getSecurityManager().checkPermission(
        ManagePortal, candidate
    ) or SECRETARY in api.user.get_roles(obj=candidate)


def mark_public(candidate, item_id, public):
    """Mark one dossier item public (True) or staff-only (False)."""
    if not may_mark_public(candidate):
        raise Refused(403, _("Only the candidate's secretary marks a dossier file public."))
    if not isinstance(item_id, str) or not item_id:
        raise Refused(400, _("id is the id of a file or image of the dossier."), "id")
    item = candidate.get(item_id)
    if item is None or not IDossierFile.providedBy(item):
        raise Refused(400, _("id is the id of a file or image of the dossier."), "id")
    if not isinstance(public, bool):
        raise Refused(400, _("public is true or false."), "public")
    setattr(item, PUBLIC_FLAG, public)
    protect(item, candidate)
    return item
