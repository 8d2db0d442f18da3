"""What the current user can do to an item now, and why not, step by step.

One answer for the chain panel, the state menu's form and the REST API: a step
of the item's state is *possible* when the user's roles may take it and its
guards pass; *blocked* when the roles may but a guard does not (with the
guard's reason, guards.refusal); left out when the roles may not.
"""

from AccessControl import getSecurityManager
from plone import api
from Products.DCWorkflow.Guard import Guard
from thidua.chains.access import chain_of
from thidua.chains.guards import refusal


def workflow_of(item):
    workflows = api.portal.get_tool("portal_workflow").getWorkflowsFor(item)
    return workflows[0] if workflows else None


def role_may_take(item, workflow, step):
    """The permissions, roles and groups of the step's DCWorkflow guard; its
    expression (the chain's guards) is left out."""
    guard = step.getGuard()
    who = Guard()
    who.permissions, who.roles, who.groups = guard.permissions, guard.roles, guard.groups
    return bool(who.check(getSecurityManager(), workflow, item))


def explain(item, transition_id):
    """``(possible, reason)`` for the current user: ``reason`` is the guard's
    message when a guard blocks a step the user's roles may take, else None."""
    workflow = workflow_of(item)
    if workflow is None:
        return False, None
    state = workflow._getWorkflowStateOf(item)
    step = workflow.transitions.get(transition_id)
    if state is None or step is None or transition_id not in state.transitions:
        return False, None
    if not role_may_take(item, workflow, step):
        return False, None
    reason = refusal(item, workflow.getId(), transition_id)
    return reason is None, reason


def steps(item):
    """The steps of the item's state the current user's roles may take, in the
    chain's order: ``{id, title, possible, reason, comment_required}``."""
    workflow = workflow_of(item)
    state = workflow._getWorkflowStateOf(item) if workflow is not None else None
    if state is None:
        return []
    transitions = chain_of(workflow).get("transitions", {})
    result = []
    for transition_id in state.transitions:
        step = workflow.transitions.get(transition_id)
        if step is None or not role_may_take(item, workflow, step):
            continue
        reason = refusal(item, workflow.getId(), transition_id)
        result.append(
            {
                "id": transition_id,
                "title": step.title or transition_id,
                "possible": reason is None,
                "reason": reason,
                "comment_required": bool(
                    transitions.get(transition_id, {}).get("comment_required")
                ),
            }
        )
    return result
