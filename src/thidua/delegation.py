"""Delegation unit by unit.

Each Unit gets one Plone group per council role, named from its code
(``GIALAI-CouncilSecretary``), holding that role locally on the unit: an
administrator delegates by adding people to the unit's groups (Users and
Groups, ``@groups``) or directly on the Sharing tab (``@sharing``).

A Unit blocks the local roles of its parent (content/unit.py), so roles on a
unit never reach its sub-units' approval chains; the parent's council
secretaries get Reader on each sub-unit instead, which the chains grant View
once content has left draft: read-only oversight.
"""

from plone import api
from thidua.roles import ROLES
from zope.i18n import translate

import Acquisition


OVERSIGHT_ROLE = "Reader"


def group_id(unit, role):
    # The code the unit had when its groups were made: a later change of code
    # does not orphan them.
    return f"{getattr(unit, 'delegation_code', None) or unit.code}-{role}"


def parent_unit(unit):
    parent = Acquisition.aq_parent(Acquisition.aq_inner(unit))
    return parent if getattr(parent, "portal_type", None) == "Unit" else None


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
    parent = parent_unit(unit)
    if parent is not None:
        unit.manage_addLocalRoles(group_id(parent, "CouncilSecretary"), [OVERSIGHT_ROLE])
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
    a unit's council or staff is its own."""
    found, seen = set(), set()
    for principal_id, local_roles in unit.get_local_roles():
        if set(roles) & set(local_roles):
            found |= _users_behind(principal_id, seen)
    return found


def _users_behind(principal_id, seen):
    if principal_id in seen:
        return set()
    seen.add(principal_id)
    group = api.group.get(groupname=principal_id)
    if group is None:
        return {principal_id} if api.user.get(userid=principal_id) is not None else set()
    users = set()
    for member_id in group.getGroupMemberIds():
        users |= _users_behind(member_id, seen)
    return users
