"""Who is in a unit's role groups, and adding or removing them: what the
Sharing tab does not show (it lists the groups, not their members).

Whoever may give a role on the unit (``thidua: Delegate <role>``, which
administrators hold and may be granted on a unit) may change the members of
its group; the calls below check it, so that no page or service can skip it."""

from AccessControl import getSecurityManager
from AccessControl import Unauthorized
from plone import api
from thidua import permissions
from thidua.delegation import group_id
from thidua.roles import ROLES


SEARCH_LIMIT = 20


def may_delegate(unit, role):
    return bool(getSecurityManager().checkPermission(permissions.delegate(role), unit))


def delegable_roles(unit):
    """The roles the current user may give on ``unit``, in ROLES' order."""
    return [role for role in ROLES if may_delegate(unit, role)]


def principal_info(principal_id):
    """Id, name shown and kind of a user or group, or None if it is gone."""
    group = api.group.get(groupname=principal_id)
    if group is not None:
        title = group.getProperty("title") or principal_id
        return {"id": principal_id, "name": title, "is_group": True}
    user = api.user.get(userid=principal_id)
    if user is None:
        return None
    name = user.getProperty("fullname") or user.getUserName()
    return {"id": principal_id, "name": name, "login": user.getUserName(), "is_group": False}


def role_groups(unit):
    """For each council role: its group on ``unit`` with the group's members,
    and the principals given the role directly on the Sharing tab."""
    local_roles = dict(unit.get_local_roles())
    result = []
    for role, title in ROLES.items():
        gid = group_id(unit, role)
        group = api.group.get(groupname=gid)
        members = group.getGroupMemberIds() if group is not None else []
        direct = [
            principal
            for principal, roles in local_roles.items()
            if role in roles and principal != gid
        ]
        result.append(
            {
                "role": role,
                "title": title,
                "group_id": gid,
                "group_exists": group is not None,
                "members": sorted_infos(members),
                "on_sharing": sorted_infos(direct),
            }
        )
    return result


def sorted_infos(principal_ids):
    infos = (principal_info(principal_id) for principal_id in principal_ids)
    return sorted((info for info in infos if info), key=lambda info: info["name"].lower())


def search_users(text):
    """Users whose id, login or full name contains ``text``, at most SEARCH_LIMIT."""
    text = (text or "").strip()
    if not text:
        return []
    acl_users = api.portal.get_tool("acl_users")
    found = {}
    for criterion in ("id", "login", "fullname"):
        for user in acl_users.searchUsers(**{criterion: text, "exact_match": False}):
            found.setdefault(user["userid"], None)
    return sorted_infos(list(found)[: SEARCH_LIMIT * 3])[:SEARCH_LIMIT]


def check(unit, role):
    if role not in ROLES or not may_delegate(unit, role):
        raise Unauthorized(f"You may not change who holds {role} on this unit.")


def add_member(unit, role, user_id):
    """Put user ``user_id`` in ``unit``'s group for ``role``; False if there is
    no such user, or no such group (a unit made before groups existed)."""
    check(unit, role)
    if api.user.get(userid=user_id) is None:
        return False
    gid = group_id(unit, role)
    if api.group.get(groupname=gid) is None:
        return False
    api.portal.get_tool("portal_groups").addPrincipalToGroup(user_id, gid)
    return True


def remove_member(unit, role, principal_id):
    check(unit, role)
    gid = group_id(unit, role)
    group = api.group.get(groupname=gid)
    if group is None or principal_id not in group.getGroupMemberIds():
        return False
    api.portal.get_tool("portal_groups").removePrincipalFromGroup(principal_id, gid)
    return True
