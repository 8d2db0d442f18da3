"""Turn a validated chain into a DCWorkflow definition in portal_workflow.

Re-importing a changed file rebuilds the definition in place: items keep their
history, items in a state that no longer exists move to the state the file
names (``replaced_states``, else ``initial_state``), and the permissions of
every item that follows the chain are recomputed.
"""

from plone import api
from Products.DCWorkflow.DCWorkflow import DCWorkflowDefinition
from Products.DCWorkflow.Transitions import TRIGGER_USER_ACTION
from thidua import _
from thidua.chains.access import attach_chain
from thidua.chains.access import chain_of
from thidua.chains.guards import GUARDS
from thidua.chains.loader import ChainError
from thidua.chains.loader import line_of
from thidua.chains.loader import load_chain
from thidua.chains.sources import chain_sources
from thidua.chains.sources import known_roles
from thidua.chains.sources import read_chains
from thidua.chains.sources import texts
from thidua.chains.status import refresh
from thidua.chains.status import set_state
from thidua.chains.status import target_state
from thidua.chains.storage import forget_chain
from thidua.chains.storage import store_chain
from thidua.chains.titles import msgid
from thidua.language import site_language
from thidua.permissions import EditPersonalData
from thidua.permissions import ViewPersonalData
from zope.i18n import translate

import logging


logger = logging.getLogger("thidua.chains")

# The short names a chain file uses, and the Zope permissions behind them.
PERMISSIONS = {
    "view": ("View", "Access contents information"),
    "edit": ("Modify portal content",),
    "add": ("Add portal content",),
    "delete": ("Delete objects",),
    "personal_data": (ViewPersonalData,),
    "edit_personal_data": (EditPersonalData,),
}
ADMINISTRATORS = ("Manager", "Site Administrator")
# Held in a state by the roles that may take a step out of it: Plone shows its
# toolbar, and in it the state menu, only to who may modify, add or review.
REVIEW = "Review portal content"
CANDIDATE_TYPE = "Candidate"

# What each transition records in the history, as Plone's own workflows do.
VARIABLES = {
    "action": ("transition/getId|nothing", True),
    "actor": ("user/getId", True),
    "comments": ("python:state_change.kwargs.get('comment', '')", True),
    "review_history": ("state_change/getHistory", False),
    "time": ("state_change/getDateTime", True),
}


def action_url(transition_id, transition):
    """Where the state menu takes the step: a step that needs a comment leads
    to its form (browser/chain_panel.py), the others straight to Plone's."""
    if transition.get("comment_required"):
        return "%(content_url)s/@@chain-step?transition=" + transition_id
    return "%(content_url)s/content_status_modify?workflow_action=" + transition_id


def build(chain):
    """A new DCWorkflowDefinition from a chain."""
    workflow = DCWorkflowDefinition(chain["id"])
    # The English texts: Plone translates them in its plone domain (catalogue.py).
    workflow.title = msgid(chain["title"])
    workflow.description = msgid(chain.get("description"))
    workflow.state_var = "review_state"
    attach_chain(workflow, chain)
    for permissions in PERMISSIONS.values():
        for permission in permissions:
            workflow.addManagedPermission(permission)
    workflow.addManagedPermission(REVIEW)
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
            title=msgid(transition["title"]),
            description=msgid(transition.get("description")),
            new_state_id=transition["to"],
            trigger_type=TRIGGER_USER_ACTION,
            actbox_name=msgid(transition["title"]),
            actbox_url=action_url(transition_id, transition),
            actbox_category="workflow",
            props=guard,
        )
    for state_id, state in chain["states"].items():
        workflow.states.addState(state_id)
        workflow.states[state_id].setProperties(
            title=msgid(state["title"]),
            description=msgid(state.get("description")),
            transitions=tuple(exits[state_id]),
        )
        granted = state.get("permissions") or {}
        for name, permissions in PERMISSIONS.items():
            roles = sorted({*granted.get(name, ()), *ADMINISTRATORS})
            for permission in permissions:
                workflow.states[state_id].setPermission(permission, False, roles)
        reviewers = {
            role
            for transition_id in exits[state_id]
            for role in chain["transitions"][transition_id]["roles"]
        }
        workflow.states[state_id].setPermission(
            REVIEW, False, sorted(reviewers | set(ADMINISTRATORS))
        )
    workflow.states.setInitialState(chain["initial_state"])
    return workflow


def install(chain, rebuild=False):
    """Create or replace the live definition of ``chain``; returns the items
    updated. An unchanged chain is left alone unless ``rebuild`` is asked (an
    upgrade that changes what the compiler makes of a chain)."""
    workflows = api.portal.get_tool("portal_workflow")
    old = workflows.getWorkflowById(chain["id"])
    if old is not None and chain_of(old) == chain and not rebuild:
        return 0
    if old is not None:
        workflows._delObject(chain["id"])
    workflows._setObject(chain["id"], build(chain))
    if chain.get("types"):
        workflows.setChainForPortalTypes(chain["types"], (chain["id"],))
    # Types the chain no longer lists (a restored file, say) go back to the default.
    old_types = chain_of(old).get("types") or ()
    dropped = sorted(set(old_types) - set(chain.get("types") or ()))
    if dropped:
        workflows.setChainForPortalTypes(dropped, "(Default)")
    return 0 if old is None else _update_items(chain)


def rebuild_all(site):
    """Rebuild every chain's definition and recompute its items' permissions."""
    return {chain["id"]: install(chain, rebuild=True) for chain in read_chains(site)}


def _update_items(chain):
    """Move items out of removed states and recompute their permissions."""
    workflows = api.portal.get_tool("portal_workflow")
    workflow = workflows.getWorkflowById(chain["id"])
    types = set(chain.get("types") or ()) | {CANDIDATE_TYPE}
    catalog = api.portal.get_tool("portal_catalog")
    count = 0
    language = site_language()
    for brain in catalog.unrestrictedSearchResults(portal_type=sorted(types)):
        obj = brain._unrestrictedGetObject()
        if chain["id"] not in [wf.getId() for wf in workflows.getWorkflowsFor(obj)]:
            continue
        state = (workflows.getStatusOf(chain["id"], obj) or {}).get("review_state")
        if state in chain["states"]:
            refresh(obj, workflow)
        else:
            new_state = target_state(chain, state)
            comment = _(
                "The state '${old}' was removed from the chain; moved to '${new}'.",
                mapping={"old": state, "new": new_state},
            )
            set_state(
                obj, workflow, new_state, "system", translate(comment, target_language=language)
            )
        count += 1
    logger.info("chain %s updated on %d items", chain["id"], count)
    return count


def install_all(site):
    """Validate every chain first, then install them all (nothing on an error).

    A chain replaced through the web stays replaced: its stored text is used.
    """
    chains = read_chains(site)
    return {chain["id"]: install(chain) for chain in chains}


def replace_chain(site, chain_id, text, filename, user_id):
    """Make ``text`` the chain ``chain_id``: checked with every other chain as
    the import checks them, then stored in the site and installed, with the
    chains that extend it.  On a ChainError nothing has changed.  Returns the
    items updated."""
    chains = read_chains(site, pending={chain_id: (text, filename)})
    store_chain(site, chain_id, text, filename, user_id)
    return _install_changed(chains)


def _install_changed(chains):
    """Install the chains whose definition changed (install skips the others)."""
    return sum(install(chain) for chain in chains)


def add_chain(site, text, filename, user_id):
    """A new chain from ``text``; returns its id.  On a ChainError nothing has changed."""
    sources = chain_sources(site)
    chain = load_chain(text, filename, GUARDS, known_roles(site), texts(sources))
    if chain["id"] in sources:
        raise ChainError(
            filename,
            line_of(text, ["id"]),
            "id",
            _(
                "the chain '${chain}' exists already: replace it instead",
                mapping={"chain": chain["id"]},
            ),
        )
    replace_chain(site, chain["id"], text, filename, user_id)
    return chain["id"]


def restore_chain(site, chain_id):
    """Drop the text stored through the web; the shipped file applies again."""
    shipped = chain_sources(site)[chain_id]["shipped"]
    if shipped is None:
        raise ValueError(f"{chain_id} was added through the web; there is no file to restore")
    # Checked first: the chains that extend it must pass with the shipped file.
    chains = read_chains(site, pending={chain_id: (shipped, f"{chain_id}.yaml")})
    forget_chain(site, chain_id)
    return _install_changed(chains)


def import_chains(context):
    """GenericSetup import step of thidua:default."""
    if context.readDataFile("thidua-chains.txt") is None:
        return
    install_all(context.getSite())
