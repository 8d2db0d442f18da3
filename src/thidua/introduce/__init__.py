"""Introduce a selected or honoured candidate to a higher unit (giới thiệu lên
cấp trên): a copy starts in ``submitted`` in a Movement of a unit above, for
that unit's council; both items link to each other and the original records
when, where and by whom it went."""

from Acquisition import aq_inner
from Acquisition import aq_parent
from DateTime import DateTime
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.dexterity.utils import iterSchemata
from thidua import _
from thidua.chains.notify import tell
from thidua.chains.status import set_state
from thidua.content.unit import higher_units
from thidua.content.unit import unit_of
from thidua.language import site_language
from thidua.refusal import Refused
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.container.interfaces import INameChooser
from zope.i18n import translate
from zope.intid.interfaces import IIntIds
from zope.schema import getFieldsInOrder


INTRODUCIBLE_STATES = ("selected", "honoured")
ARRIVAL_STATE = "submitted"
# Kept by the copy's own life: its workflow, its links, its dates.
NOT_COPIED = {
    "introduced_from",
    "introduced_to",
    "introductions",
    "effective",
    "expires",
    "creators",
    "contributors",
    "rights",
    # The short name (IShortName): the copy's id is chosen when it is added, and
    # setting it renames the copy (a savepoint and a move).
    "id",
}


class IntroduceError(Refused):
    """An introduction that cannot be made."""


def _target(candidate, target_uid):
    if not isinstance(target_uid, str) or not target_uid.strip():
        raise IntroduceError(400, _("target is the UID of a movement of a higher unit."), "target")
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(UID=target_uid.strip())
    movement = brains[0]._unrestrictedGetObject() if brains else None
    if movement is None or movement.portal_type != "Movement":
        raise IntroduceError(400, _("target is the UID of a movement of a higher unit."), "target")
    if unit_of(movement) not in higher_units(unit_of(candidate)):
        raise IntroduceError(
            400, _("The target movement does not belong to a unit above this one."), "target"
        )
    if api.content.get_state(movement) != "launched":
        raise IntroduceError(400, _("The target movement is not under way."), "target")
    return movement


def introduce(candidate, target_uid):
    """Copy ``candidate`` into the movement ``target_uid``; returns the copy."""
    if api.content.get_state(candidate) not in INTRODUCIBLE_STATES:
        raise IntroduceError(
            400, _("Only a selected or honoured candidate can be introduced upward."), "state"
        )
    movement = _target(candidate, target_uid)
    intids = getUtility(IIntIds)
    for relation in getattr(candidate, "introduced_to", None) or []:
        earlier = relation.to_object
        if earlier is not None and aq_parent(aq_inner(earlier)) == movement:
            raise IntroduceError(409, _("This candidate was already introduced to that movement."))
    user_id = api.user.get_current().getId()
    # The secretary of the lower unit holds no role in the higher unit: the
    # copy is made on their behalf once the checks above have passed.
    with api.env.adopt_roles(["Manager"]):
        # The candidate's id, or the next free one, chosen before adding: with
        # ``safe_id`` plone.api adds under a random id, then renames (a
        # savepoint and a move of the new copy).
        copy_id = INameChooser(movement).chooseName(candidate.getId(), candidate)
        copy = api.content.create(container=movement, type="Candidate", id=copy_id, title="-")
        for schema in iterSchemata(candidate):
            for name, field in getFieldsInOrder(schema):
                if name in NOT_COPIED or field.readonly:
                    continue
                field.set(schema(copy), _copied(field.get(schema(candidate))))
        for item in candidate.objectValues():
            if item.portal_type in ("File", "Image"):
                api.content.copy(source=item, target=copy)
    copy.introduced_from = RelationValue(intids.getId(candidate))
    candidate.introduced_to = [
        *(getattr(candidate, "introduced_to", None) or []),
        RelationValue(intids.getId(copy)),
    ]
    record = PersistentMapping(
        date=DateTime().ISO8601(),
        by=user_id,
        movement=movement.Title(),
        unit=unit_of(movement).Title(),
        url=copy.absolute_url(),
        uid=api.content.get_uuid(copy),
    )
    candidate.introductions = PersistentList(
        [*(getattr(candidate, "introductions", None) or []), record]
    )
    _arrive(copy, candidate, user_id)
    candidate.reindexObject()
    [workflow] = api.portal.get_tool("portal_workflow").getWorkflowsFor(copy)
    state = workflow.states[api.content.get_state(copy)]
    tell(copy, ["CouncilSecretary"], _("Introduce upward"), state.title, user_id)
    return copy


def _copied(value):
    """A value the copy may own: files and images get blobs of their own."""
    if hasattr(value, "open") and hasattr(value, "filename"):
        return type(value)(data=value.data, filename=value.filename, contentType=value.contentType)
    if isinstance(value, (list, set)):
        return type(value)(value)
    return value


def _arrive(copy, candidate, user_id):
    """Put the copy in ``submitted`` of its own chain, saying where it came from."""
    [workflow] = api.portal.get_tool("portal_workflow").getWorkflowsFor(copy)
    state = ARRIVAL_STATE if ARRIVAL_STATE in workflow.states else workflow.initial_state
    comment = _(
        "Introduced by ${unit}: ${url}",
        mapping={"unit": unit_of(candidate).Title(), "url": candidate.absolute_url()},
    )
    copy.reindexObject()  # the fields copied after it was created
    set_state(
        copy,
        workflow,
        state,
        user_id,
        translate(comment, target_language=site_language()),
        action="introduce",
    )
