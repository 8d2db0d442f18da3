"""``delegation.holders`` is remembered across requests (every vote and step
asks for its unit's council), and forgets at once what a change of group
membership or of principals makes stale (issue 17)."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from thidua import delegation
from zope.annotation.interfaces import IAnnotations


def next_request(portal):
    """What a new request starts with: nothing remembered in the last one's."""
    IAnnotations(portal.REQUEST).pop(delegation.HOLDERS_CACHE, None)


def test_holders_follow_members_across_requests(world, portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    unit = world.province
    group = delegation.group_id(unit, "CouncilMember")
    council = delegation.holders(unit, ["CouncilMember"])
    assert council
    next_request(portal)
    assert delegation.holders(unit, ["CouncilMember"]) == council
    api.user.create(email="moi@example.vn", username="uy-vien-moi", password="secret-pw-12")
    api.group.add_user(groupname=group, username="uy-vien-moi")
    next_request(portal)
    assert delegation.holders(unit, ["CouncilMember"]) == council | {"uy-vien-moi"}
    api.group.remove_user(groupname=group, username="uy-vien-moi")
    next_request(portal)
    assert delegation.holders(unit, ["CouncilMember"]) == council
    # In the same request too.
    api.group.add_user(groupname=group, username="uy-vien-moi")
    assert "uy-vien-moi" in delegation.holders(unit, ["CouncilMember"])
    api.user.delete(username="uy-vien-moi")
    next_request(portal)
    assert delegation.holders(unit, ["CouncilMember"]) == council


def test_a_sharing_change_is_seen_at_once(world, portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    unit = world.province
    council = delegation.holders(unit, ["CouncilChair"])
    api.user.create(email="chu-tich@example.vn", username="chu-tich-moi", password="secret-pw-12")
    unit.manage_addLocalRoles("chu-tich-moi", ["CouncilChair"])
    assert delegation.holders(unit, ["CouncilChair"]) == council | {"chu-tich-moi"}
