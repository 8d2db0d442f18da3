"""Turn a validated chain into a DCWorkflow definition in portal_workflow.

Re-importing a changed file rebuilds the definition in place: items keep their
history, items in a state that no longer exists move to the state the file
names (``replaced_states``, else ``initial_state``), and the permissions of
every item that follows the chain are recomputed.
"""

from plone import api
from Products.CMFCore.utils import getToolByName
from Products.DCWorkflow.DCWorkflow import DCWorkflowDefinition
from Products.DCWorkflow.Transitions import TRIGGER_USER_ACTION
from thidua import _
from thidua.chains.access import attach_chain
from thidua.chains.access import chain_of
from thidua.chains.guards import GUARDS
from thidua.chains.loader import chain_files
from thidua.chains.loader import ChainError
from thidua.chains.loader import line_of
from thidua.chains.loader import load_chain
from thidua.chains.status import refresh
from thidua.chains.status import set_state
from thidua.chains.status import target_state
from thidua.chains.storage import forget_chain
from thidua.chains.storage import store_chain
from thidua.chains.storage import stored_chains
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


def chain_sources(site, pending=None):
    """chain id -> {text, filename, shipped, replaced_by, date}, in install order.

    The shipped files (``<id>.yaml``), each unless the site stores a text of the
    same id through the web, then the chains added through the web.  ``shipped``
    is the shipped file's text (None for an added chain), ``replaced_by`` and
    ``date`` say who stored a text and when.  ``pending`` (id -> (text,
    filename)) counts as stored: it is how a change is checked before it is made.
    """
    sources = {}
    for path in chain_files():
        text = path.read_text(encoding="utf-8")
        sources[path.stem] = {
            "text": text,
            "filename": path.name,
            "shipped": text,
            "replaced_by": None,
            "date": None,
        }
    records = dict(sorted(stored_chains(site).items()))
    for chain_id, (text, filename) in (pending or {}).items():
        records[chain_id] = {"text": text, "filename": filename, "replaced_by": None, "date": None}
    for chain_id, record in records.items():
        shipped = sources.get(chain_id, {}).get("shipped")
        sources[chain_id] = {**record, "shipped": shipped}
    return sources


def read_chains(site, pending=None):
    """Every chain, validated; raises ChainError on the first bad one.

    Beyond each file's own checks: a file is the chain it stands for (a shipped
    file is named after its id, a replacement has the id of the chain it
    replaces), an added chain's id starts with ``thidua_``, and its ``types``
    exist and follow no other chain (a type follows one chain; pending chains
    are checked last, so the error names the file being changed).
    """
    roles = known_roles(site)
    chains = []
    for chain_id, source in chain_sources(site, pending).items():
        chain = load_chain(source["text"], source["filename"], GUARDS, roles)
        if chain["id"] != chain_id:
            raise ChainError(
                source["filename"],
                line_of(source["text"], ["id"]),
                "id",
                f"this file must be the chain '{chain_id}', not '{chain['id']}'",
            )
        if source["shipped"] is None and not chain_id.startswith("thidua_"):
            raise ChainError(
                source["filename"],
                line_of(source["text"], ["id"]),
                "id",
                "the id of an added chain starts with 'thidua_'",
            )
        chains.append((chain, source))
    type_ids = set(getToolByName(site, "portal_types").objectIds())
    follows = {}
    for chain, source in sorted(chains, key=lambda item: item[0]["id"] in (pending or {})):
        for index, type_id in enumerate(chain.get("types") or ()):
            problem = None
            if type_id not in type_ids:
                problem = f"no content type '{type_id}'"
            elif follows.get(type_id, chain["id"]) != chain["id"]:
                problem = f"'{type_id}' already follows the chain '{follows[type_id]}'"
            if problem:
                raise ChainError(
                    source["filename"],
                    line_of(source["text"], ["types", index]),
                    f"types.{index}",
                    problem,
                )
            follows[type_id] = chain["id"]
    return [chain for chain, source in chains]


def build(chain):
    """A new DCWorkflowDefinition from a chain."""
    workflow = DCWorkflowDefinition(chain["id"])
    workflow.title = chain["title"]
    workflow.description = chain.get("description", "")
    workflow.state_var = "review_state"
    attach_chain(workflow, chain)
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
    if old is not None and chain_of(old) == chain:
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


def _update_items(chain):
    """Move items out of removed states and recompute their permissions."""
    workflows = api.portal.get_tool("portal_workflow")
    workflow = workflows.getWorkflowById(chain["id"])
    types = set(chain.get("types") or ()) | {CANDIDATE_TYPE}
    catalog = api.portal.get_tool("portal_catalog")
    count = 0
    language = api.portal.get_registry_record("plone.default_language", default=None) or "vi"
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
    the import checks them, then stored in the site and installed.  On a
    ChainError nothing has changed.  Returns the items updated."""
    [chain] = [
        chain
        for chain in read_chains(site, pending={chain_id: (text, filename)})
        if chain["id"] == chain_id
    ]
    store_chain(site, chain_id, text, filename, user_id)
    return install(chain)


def add_chain(site, text, filename, user_id):
    """A new chain from ``text``; returns its id.  On a ChainError nothing has changed."""
    chain = load_chain(text, filename, GUARDS, known_roles(site))
    if chain["id"] in chain_sources(site):
        raise ChainError(
            filename,
            line_of(text, ["id"]),
            "id",
            f"the chain '{chain['id']}' exists already: replace it instead",
        )
    replace_chain(site, chain["id"], text, filename, user_id)
    return chain["id"]


def restore_chain(site, chain_id):
    """Drop the text stored through the web; the shipped file applies again."""
    if chain_sources(site)[chain_id]["shipped"] is None:
        raise ValueError(f"{chain_id} was added through the web; there is no file to restore")
    forget_chain(site, chain_id)
    [chain] = [chain for chain in read_chains(site) if chain["id"] == chain_id]
    return install(chain)


def import_chains(context):
    """GenericSetup import step of thidua:default."""
    if context.readDataFile("thidua-chains.txt") is None:
        return
    install_all(context.getSite())
