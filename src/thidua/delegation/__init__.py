"""Delegation unit by unit.

Each Unit gets one Plone group per council role, named from its code
(``GIALAI-CouncilSecretary``), holding that role locally on the unit: an
administrator delegates by adding people to the unit's groups (Users and
Groups, ``@groups``) or directly on the Sharing tab (``@sharing``).

A Unit blocks the local roles of its parent (content/unit.py), so roles on a
unit never reach its sub-units' approval chains; the parent's council
secretaries get Reader on each sub-unit instead, which the chains grant View
once content has left draft: read-only oversight. "The parent's council
secretaries" are whoever holds CouncilSecretary locally on the parent unit,
through its group or given on its Sharing tab: ``ParentSecretariesOversight``
grants the Reader role as the local roles are read (borg.localrole), so it
follows the parent's roles at once. Plone's ``allowedRolesAndUsers`` indexer
reads it too (``acl_users._getAllLocalRoles``), and the Sharing tab and
``@sharing`` reindex the security of the whole subtree of the unit they
change, sub-units included: the catalog and ``@search`` agree.
"""

from Acquisition import aq_base
from borg.localrole.interfaces import ILocalRoleProvider
from persistent.mapping import PersistentMapping
from plone import api
from plone.protect.utils import safeWrite
from thidua.content.unit import IUnit
from thidua.content.unit import parent_unit
from thidua.roles import ROLES
from zope.annotation.interfaces import IAnnotations
from zope.component import adapter
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.interface import implementer

import time
import uuid


OVERSIGHT_ROLE = "Reader"


OVERSEER_ROLE = "CouncilSecretary"

STAFF_UNITS_KEY = "thidua.delegation.staff_units"


def group_id(unit, role):
    # The code the unit had when its groups were made: a later change of code
    # does not orphan them.
    return f"{getattr(unit, 'delegation_code', None) or unit.code}-{role}"


def group_title(unit, role):
    return f"{unit.title}: {translate(ROLES[role], target_language='vi')}"


def create_groups(unit, event):
    """IObjectAddedEvent of a Unit."""
    unit.delegation_code = unit.code
    groups = api.portal.get_tool("portal_groups")
    for role in ROLES:
        gid = group_id(unit, role)
        if api.group.get(groupname=gid) is None:
            groups.addGroup(gid, title=group_title(unit, role))
        unit.manage_addLocalRoles(gid, [role])
    # A new unit has nothing below it yet, so this is cheap.
    unit.reindexObjectSecurity()


def retitle_groups(unit, event):
    """IObjectModifiedEvent of a Unit: the groups follow the unit's title."""
    groups = api.portal.get_tool("portal_groups")
    for role in ROLES:
        group = groups.getGroupById(group_id(unit, role))
        if group is not None and group.getProperty("title") != group_title(unit, role):
            groups.editGroup(group.getId(), title=group_title(unit, role))


def remove_groups(unit, event):
    """IObjectRemovedEvent of a Unit (not fired for a rename or a move)."""
    groups = api.portal.get_tool("portal_groups")
    for role in ROLES:
        if groups.getGroupById(group_id(unit, role)) is not None:
            groups.removeGroup(group_id(unit, role))


def holders(unit, roles):
    """User ids holding one of ``roles`` locally on ``unit``, given directly or
    through a group, groups inside groups included. Global roles do not count:
    a unit's council or staff is its own.

    Remembered for the rest of the request (a step asks it of the same unit for
    the ballot, its guard, the tally and the mail), and in the process for the
    next requests (every vote and step asks for its council again): the key
    holds the unit's local roles, so a change on its Sharing tab is seen at
    once, and the site's principals token (``forget_holders`` replaces it in
    the transaction that adds or removes a member of a group, or creates or
    deletes a principal, so every instance on the database sees it at its next
    transaction). Answers older than ``SHARED_SECONDS`` are recomputed: a user
    source that sends no event (LDAP) is seen within that time."""
    local_roles = tuple(sorted((pid, tuple(sorted(r))) for pid, r in unit.get_local_roles()))
    key = ("/".join(unit.getPhysicalPath()), frozenset(roles), local_roles)
    cache = _request_cache()
    if key not in cache:
        shared_key = (_database_id(unit), _principals_token(), *key)
        remembered = _SHARED.get(shared_key)
        if remembered is None or time.monotonic() - remembered[0] > SHARED_SECONDS:
            found, seen = set(), set()
            for principal_id, granted in local_roles:
                if set(roles) & set(granted):
                    found |= _users_behind(principal_id, seen)
            if len(_SHARED) > SHARED_SIZE:
                _SHARED.clear()
            remembered = _SHARED[shared_key] = (time.monotonic(), frozenset(found))
        cache[key] = remembered[1]
    return set(cache[key])


# holders() across requests: {(database, token, unit, roles, local roles): (time, users)}.
_SHARED = {}
SHARED_SECONDS = 300
SHARED_SIZE = 10_000
# A mapping on the site holding the principals' stamp (a new random one at
# each change): the site itself is written once, when it is made.
PRINCIPALS = "_thidua_principals"


def _database_id(obj):
    jar = getattr(obj, "_p_jar", None)
    return id(jar.db()) if jar is not None else None


def _principals_token():
    store = getattr(aq_base(api.portal.get()), PRINCIPALS, None)
    return store.get("stamp") if store is not None else None


HOLDERS_CACHE = "thidua.delegation.holders"
USERS = "users"


def user(user_id):
    """The user ``user_id`` (with its properties), or None, looked up once per
    request: a step asks for the same people for its council, its guard, its
    mail (their addresses) and its actor's name. Forgotten with the holders."""
    users = _request_cache().setdefault(USERS, {})
    if user_id not in users:
        # The site's user folder, once: plone.api's (portal_membership's) finds
        # the user twice over and wraps it as member data, to read two properties.
        found = api.portal.get_tool("acl_users").getUserById(user_id)
        users[user_id] = found if found is not None else api.user.get(userid=user_id)
    return users[user_id]


def _request_cache():
    """A dict kept on the current request, or a throwaway one outside a request."""
    request = getRequest()
    if request is None:
        return {}
    annotations = IAnnotations(request)
    return annotations.setdefault(HOLDERS_CACHE, {})


def forget_holders(*event):
    """Group membership or a principal changed: the request's holders are
    stale, and so are the process's, here and in every other instance (a new
    principals token on the site, written with the change)."""
    request = getRequest()
    if request is not None:
        IAnnotations(request).pop(HOLDERS_CACHE, None)
    try:
        portal = aq_base(api.portal.get())
    except api.exc.CannotGetPortalError:
        return
    store = getattr(portal, PRINCIPALS, None)
    if store is None:
        store = PersistentMapping()
        setattr(portal, PRINCIPALS, store)
        # A stamp, not content: a change of members made by a form that
        # plone.protect checked already may write it.
        safeWrite(portal, request)
    store["stamp"] = uuid.uuid4().hex
    safeWrite(store, request)


def staff_units(user):
    """The units on which ``user`` holds a council role, given to them or to a
    group they are in (groups inside groups included, as PAS lists them), or
    on the Sharing tab; by title. Once per request: the login redirect and
    the pages that list a user's units ask for them several times."""
    request = getRequest()
    cache = IAnnotations(request).setdefault(STAFF_UNITS_KEY, {}) if request else {}
    if user.getId() not in cache:
        principals = {user.getId(), *user.getGroups()}
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog.unrestrictedSearchResults(portal_type="Unit", sort_on="sortable_title")
        cache[user.getId()] = [
            unit
            for unit in (brain._unrestrictedGetObject() for brain in brains)
            if any(
                principal_id in principals and set(ROLES) & set(roles)
                for principal_id, roles in unit.get_local_roles()
            )
        ]
    return cache[user.getId()]


def _users_behind(principal_id, seen):
    if principal_id in seen:
        return set()
    seen.add(principal_id)
    group = api.group.get(groupname=principal_id)
    if group is None:
        return {principal_id} if user(principal_id) is not None else set()
    users = set()
    for member_id in group.getGroupMemberIds():
        users |= _users_behind(member_id, seen)
    return users


@implementer(ILocalRoleProvider)
@adapter(IUnit)
class ParentSecretariesOversight:
    """Reader on a unit for each principal (user or group) holding
    CouncilSecretary locally on its parent unit, however it was given."""

    def __init__(self, context):
        self.context = context

    def overseers(self):
        parent = parent_unit(self.context)
        if parent is None:
            return ()
        return [
            principal_id
            for principal_id, roles in parent.get_local_roles()
            if OVERSEER_ROLE in roles
        ]

    def getRoles(self, principal_id):
        return (OVERSIGHT_ROLE,) if principal_id in self.overseers() else ()

    def getAllRoles(self):
        for principal_id in self.overseers():
            yield principal_id, (OVERSIGHT_ROLE,)
