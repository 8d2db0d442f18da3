"""Turn a validated chain into a DCWorkflow definition in portal_workflow.

Re-importing a changed file rebuilds the definition in place: items keep their
history, items in a state that no longer exists move to the state the file
names (``replaced_states``, else ``initial_state``), and the permissions of
every item that follows the chain are recomputed.
"""

from DateTime import DateTime
from plone import api
from Products.DCWorkflow.DCWorkflow import DCWorkflowDefinition
from Products.DCWorkflow.Transitions import TRIGGER_USER_ACTION
from thidua.chains.guards import GUARDS
from thidua.chains.loader import chain_files
from thidua.chains.loader import load_chain

import logging


logger = logging.getLogger("thidua.chains")

# The short names a chain file uses, and the Zope permissions behind them.
PERMISSIONS = {
    "view": ("View", "Access contents information"),
    "edit": ("Modify portal content",),
    "add": ("Add portal content",),
    "delete": ("Delete objects",),
    "personal_data": ("thidua: View personal data",),
    "edit_personal_data": ("thidua: Edit personal data",),
}
ADMINISTRATORS = ("Manager", "Site Administrator")
CANDIDATE_TYPE = "Candidate"

# What each transition records in the history, as Plone's own workflows do.
VARIABLES = {
    "action": ("transition/getId|nothing", True),
    "actor": ("user/getId", True),
    "comments": ("python:state_change.kwargs.get('comment', '')", True),
    "review_history": ("state_change/getHistory", False),
    "time": ("state_change/getDateTime", True),
}


def known_roles(site):
    return set(site.valid_roles()) | {"Anonymous", "Authenticated", "Owner"}


def read_chains(site):
    """Every chain file, validated; raises ChainError on the first bad one."""
    roles = known_roles(site)
    return [
        load_chain(path.read_text(encoding="utf-8"), path.name, GUARDS, roles)
        for path in chain_files()
    ]


def build(chain):
    """A new DCWorkflowDefinition from a chain."""
    workflow = DCWorkflowDefinition(chain["id"])
    workflow.title = chain["title"]
    workflow.description = chain.get("description", "")
    workflow.state_var = "review_state"
    workflow.thidua_chain = chain
    for permissions in PERMISSIONS.values():
        for permission in permissions:
            workflow.addManagedPermission(permission)
    for variable_id, (expression, for_status) in VARIABLES.items():
        workflow.variables.addVariable(variable_id)
        workflow.variables[variable_id].setProperties(
            description="",
            default_expr=expression,
            for_status=for_status,
            update_always=True,
        )
    exits = {state_id: [] for state_id in chain["states"]}
    for transition_id, transition in chain["transitions"].items():
        for source in transition["from"]:
            exits[source].append(transition_id)
        workflow.transitions.addTransition(transition_id)
        guard = {
            "guard_roles": ";".join([*transition["roles"], *ADMINISTRATORS]),
        }
        if transition.get("guards"):
            guard["guard_expr"] = (
                "python:modules['thidua.chains.guards'].check("
                f"object, '{chain['id']}', '{transition_id}')"
            )
        workflow.transitions[transition_id].setProperties(
            title=transition["title"],
            description=transition.get("description", ""),
            new_state_id=transition["to"],
            trigger_type=TRIGGER_USER_ACTION,
            actbox_name=transition["title"],
            actbox_url=("%(content_url)s/content_status_modify?workflow_action=" + transition_id),
            actbox_category="workflow",
            props=guard,
        )
    for state_id, state in chain["states"].items():
        workflow.states.addState(state_id)
        workflow.states[state_id].setProperties(
            title=state["title"],
            description=state.get("description", ""),
            transitions=tuple(exits[state_id]),
        )
        granted = state.get("permissions") or {}
        for name, permissions in PERMISSIONS.items():
            roles = sorted({*granted.get(name, ()), *ADMINISTRATORS})
            for permission in permissions:
                workflow.states[state_id].setPermission(permission, False, roles)
    workflow.states.setInitialState(chain["initial_state"])
    return workflow


def install(chain):
    """Create or replace the live definition of ``chain``; returns the items updated."""
    workflows = api.portal.get_tool("portal_workflow")
    old = workflows.getWorkflowById(chain["id"])
    if old is not None and getattr(old, "thidua_chain", None) == chain:
        return 0
    if old is not None:
        workflows._delObject(chain["id"])
    workflows._setObject(chain["id"], build(chain))
    if chain.get("types"):
        workflows.setChainForPortalTypes(chain["types"], (chain["id"],))
    return 0 if old is None else _update_items(chain)


def _update_items(chain):
    """Move items out of removed states and recompute their permissions."""
    workflows = api.portal.get_tool("portal_workflow")
    workflow = workflows.getWorkflowById(chain["id"])
    replaced = chain.get("replaced_states") or {}
    types = set(chain.get("types") or ()) | {CANDIDATE_TYPE}
    catalog = api.portal.get_tool("portal_catalog")
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type=sorted(types)):
        obj = brain._unrestrictedGetObject()
        if chain["id"] not in [wf.getId() for wf in workflows.getWorkflowsFor(obj)]:
            continue
        status = workflows.getStatusOf(chain["id"], obj) or {}
        state = status.get("review_state")
        if state not in chain["states"]:
            new_state = replaced.get(state, chain["initial_state"])
            workflows.setStatusOf(
                chain["id"],
                obj,
                {
                    **status,
                    "review_state": new_state,
                    "action": None,
                    "actor": "system",
                    "comments": f"state '{state}' removed from the chain; moved to '{new_state}'",
                    "time": DateTime(),
                },
            )
        workflow.updateRoleMappingsFor(obj)
        obj.reindexObject(idxs=["review_state", "allowedRolesAndUsers"])
        count += 1
    logger.info("chain %s updated on %d items", chain["id"], count)
    return count


def install_all(site):
    """Validate every chain file first, then install them all (nothing on an error)."""
    chains = read_chains(site)
    return {chain["id"]: install(chain) for chain in chains}


def import_chains(context):
    """GenericSetup import step of thidua:default."""
    if context.readDataFile("thidua-chains.txt") is None:
        return
    install_all(context.getSite())
