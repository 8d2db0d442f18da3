"""Writing an item's state outside a transition: when its chain changes
(compiler.py, migrate.py) or when it arrives from a lower unit (thidua.introduce).
The history gets an entry like a transition's, and permissions and the catalog
follow as CMF makes them follow a transition."""

from DateTime import DateTime
from plone import api
from thidua.chains.access import chain_of
from thidua.content.candidate import ICandidate
from thidua.dossier import protect_dossier


def target_state(chain, old_state):
    """Where an item in ``old_state`` belongs in ``chain``: the same state if the
    chain has it, else the chain's ``replaced_states``, else its initial state."""
    if old_state in chain["states"]:
        return old_state
    replaced = (chain.get("replaced_states") or {}).get(old_state)
    return replaced if replaced in chain["states"] else chain["initial_state"]


def set_state(obj, workflow, state, actor_id, comment, action=None):
    api.portal.get_tool("portal_workflow").setStatusOf(
        workflow.getId(),
        obj,
        {
            "action": action,
            "actor": actor_id,
            "comments": comment,
            "review_state": state,
            "time": DateTime(),
        },
    )
    refresh(obj, workflow)


def refresh(obj, workflow):
    """Permissions from the item's state, and the catalog after them."""
    workflow.updateRoleMappingsFor(obj)
    if ICandidate.providedBy(obj):
        protect_dossier(obj)
    obj.reindexObject(idxs=["review_state"])
    # Files and images inside follow the item (as after a transition).
    obj.reindexObjectSecurity()


def force_state(obj, state, comment="", before_step=None):
    """Take ``obj`` along its chain's shortest path from where it stands to
    ``state``, by DCWorkflow transitions run without their guards: the demo's
    past (no council exists yet when it is built) and the tests' fixtures.
    Everything else a transition does happens: history, events, permissions.
    ``before_step(workflow, transition_id)`` runs before each transition."""
    [workflow] = api.portal.get_tool("portal_workflow").getWorkflowsFor(obj)
    chain = chain_of(workflow)
    start = api.content.get_state(obj)
    paths, seen = {start: []}, [start]
    while seen:
        current = seen.pop(0)
        for transition_id, transition in chain["transitions"].items():
            if current in transition["from"] and transition["to"] not in paths:
                paths[transition["to"]] = [*paths[current], transition_id]
                seen.append(transition["to"])
    for transition_id in paths[state]:
        if before_step is not None:
            before_step(workflow, transition_id)
        workflow._executeTransition(obj, workflow.transitions[transition_id], {"comment": comment})
    obj.reindexObject()
