"""A unit that changes its ``candidate_chain`` takes its candidates along.

Without this a candidate would read its state from the new chain's (empty)
history and fall back to ``draft``. Each candidate of the unit itself (a
sub-unit has its own chain) whose last step was taken under another chain gets
an entry in the new one: the same state where the new chain has it, else the
new chain's ``replaced_states``, else its initial state.
"""

from plone import api
from thidua import _
from thidua.chains.access import chain_of
from thidua.chains.status import set_state
from thidua.chains.status import target_state
from thidua.content.unit import unit_of
from thidua.language import site_language
from zope.container.interfaces import IContainerModifiedEvent
from zope.i18n import translate

import Acquisition
import logging


logger = logging.getLogger("thidua.chains")
FIELD = "candidate_chain"


def followed_chain(obj):
    """The id of the chain whose last history entry is the newest, or None."""
    newest = None
    for chain_id, history in (getattr(obj, "workflow_history", None) or {}).items():
        if history and (newest is None or history[-1]["time"] > newest[1]):
            newest = (chain_id, history[-1]["time"])
    return newest and newest[0]


def _names_the_field(event):
    """True unless the event says which fields changed and ours is not one."""
    descriptions = getattr(event, "descriptions", None) or ()
    names = [name for d in descriptions for name in getattr(d, "attributes", ())]
    return not descriptions or any(name.split(".")[-1] == FIELD for name in names)


def migrate_candidate(obj, workflow, old_chain_id, actor_id, language):
    """Give ``obj`` its state in ``workflow``; returns the new state id."""
    workflows = api.portal.get_tool("portal_workflow")
    chain = chain_of(workflow)
    old_state = obj.workflow_history[old_chain_id][-1].get("review_state")
    new_state = target_state(chain, old_state)
    old = workflows.getWorkflowById(old_chain_id)
    comment = translate(
        _(
            "The unit's approval chain changed from '${old}' to '${new}'.",
            mapping={
                "old": translate(
                    getattr(old, "title", "") or old_chain_id,
                    domain="plone",
                    target_language=language,
                ),
                "new": translate(workflow.title, domain="plone", target_language=language),
            },
        ),
        target_language=language,
    )
    set_state(obj, workflow, new_state, actor_id, comment)
    return new_state


def follow_unit_chain(unit, event):
    """IObjectModifiedEvent of a Unit."""
    if IContainerModifiedEvent.providedBy(event) or not _names_the_field(event):
        return
    workflows = api.portal.get_tool("portal_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    unit = Acquisition.aq_inner(unit)
    user = api.user.get_current()
    actor_id = user.getId() or user.getUserName()
    language = site_language()
    moved = 0
    brains = catalog.unrestrictedSearchResults(
        portal_type="Candidate", path="/".join(unit.getPhysicalPath())
    )
    for brain in brains:
        obj = brain._unrestrictedGetObject()
        if Acquisition.aq_base(unit_of(obj)) is not Acquisition.aq_base(unit):
            continue
        [workflow] = workflows.getWorkflowsFor(obj)
        old_chain_id = followed_chain(obj)
        if old_chain_id in (None, workflow.getId()):
            continue
        if not chain_of(workflow):
            continue
        migrate_candidate(obj, workflow, old_chain_id, actor_id, language)
        moved += 1
    if moved:
        logger.info(
            "%s: %d candidates moved to %s", unit.absolute_url(), moved, unit.candidate_chain
        )
