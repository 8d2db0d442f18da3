"""The shipped chains compile to the very workflows they compiled to before
chains could extend chains and carry a legal basis (issue 10): the snapshot in
tests/data/compiled_chains.json was written from the code of that time."""

from pathlib import Path
from plone import api
from thidua.chains.loader import chain_files

import json


SNAPSHOT = Path(__file__).parent / "data" / "compiled_chains.json"


def _guard(guard):
    return {
        "roles": list(guard.roles),
        "permissions": list(guard.permissions),
        "groups": list(guard.groups),
        "expr": guard.getExprText(),
    }


def compiled(workflow):
    """What the DCWorkflow definition does, as plain data."""
    return {
        "title": workflow.title,
        "description": workflow.description,
        "state_var": workflow.state_var,
        "initial_state": workflow.initial_state,
        "permissions": list(workflow.permissions),
        "variables": {
            variable_id: [
                variable.default_expr.text if variable.default_expr else None,
                variable.for_status,
                variable.update_always,
            ]
            for variable_id, variable in workflow.variables.objectItems()
        },
        "states": {
            state_id: {
                "title": state.title,
                "description": state.description,
                "transitions": list(state.transitions),
                "permissions": {
                    permission: [list(roles), isinstance(roles, list)]
                    for permission, roles in sorted((state.permission_roles or {}).items())
                },
            }
            for state_id, state in workflow.states.objectItems()
        },
        "transitions": {
            transition_id: {
                "title": transition.title,
                "description": transition.description,
                "new_state_id": transition.new_state_id,
                "trigger_type": transition.trigger_type,
                "actbox_name": transition.actbox_name,
                "actbox_url": transition.actbox_url,
                "actbox_category": transition.actbox_category,
                "guard": _guard(transition.getGuard()),
            }
            for transition_id, transition in workflow.transitions.objectItems()
        },
    }


def guard_arguments(chain):
    """The parameters each guard of the chain is called with (its basis is no argument)."""
    return {
        transition_id: [
            {name: {k: v for k, v in (parameters or {}).items() if k != "basis"}}
            for guard in transition.get("guards") or []
            for name, parameters in guard.items()
        ]
        for transition_id, transition in chain["transitions"].items()
    }


def snapshot(portal):
    workflows = api.portal.get_tool("portal_workflow")
    result = {}
    for path in chain_files():
        workflow = workflows.getWorkflowById(path.stem)
        result[path.stem] = {
            **compiled(workflow),
            "guard_arguments": guard_arguments(workflow.thidua_chain),
            "replaced_states": workflow.thidua_chain.get("replaced_states") or {},
            "types": sorted(
                type_id for type_id, chain in workflows.listChainOverrides() if path.stem in chain
            ),
        }
    return result


def test_shipped_chains_compile_as_before(portal):
    assert snapshot(portal) == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
