"""Read and validate a chain file: JSON Schema first, then what a schema cannot
say (states that exist, known guards and roles, no personal data in public).
Every problem is reported with the file, the line and the field."""

from pathlib import Path

import inspect
import json
import jsonschema
import yaml


CHAINS = Path(__file__).resolve().parent.parent / "workflows"
SCHEMA = json.loads((CHAINS / "chain.schema.json").read_text(encoding="utf-8"))
PUBLIC_ROLES = {"Anonymous", "Authenticated"}


class ChainError(ValueError):
    """A chain file that cannot be used; nothing has been changed."""

    def __init__(self, filename, line, field, message):
        self.filename, self.line, self.field, self.message = filename, line, field, message
        super().__init__(f"{filename}, line {line}, {field}: {message}")


def chain_files():
    return sorted(CHAINS.glob("*.yaml"))


def _line(node, path):
    """The line of the node at ``path`` in a composed YAML tree (1-based)."""
    for key in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(key):
                    node = value_node
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                break
            node = node.value[key]
        else:
            break
    return node.start_mark.line + 1


def line_of(text, path):
    """The line of the field at ``path`` in a chain text that parses."""
    return _line(yaml.compose(text), path)


def _field(path):
    return ".".join(str(part) for part in path) or "(file)"


def load_chain(text, filename, known_guards=(), known_roles=None):
    """Parse and check one chain; returns the chain as a dict or raises ChainError."""
    try:
        tree = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ChainError(filename, line, "(file)", str(getattr(error, "problem", error))) from None
    if not isinstance(data, dict):
        raise ChainError(filename, 1, "(file)", "a chain file is a mapping of keys to values")
    errors = sorted(
        jsonschema.Draft202012Validator(SCHEMA).iter_errors(data),
        key=lambda error: list(error.absolute_path),
    )
    if errors:
        error = errors[0]
        path = list(error.absolute_path)
        raise ChainError(filename, _line(tree, path), _field(path), error.message)

    def fail(path, message):
        raise ChainError(filename, _line(tree, path), _field(path), message)

    states = data["states"]
    if data["initial_state"] not in states:
        fail(["initial_state"], f"no state '{data['initial_state']}' in states")
    for old, new in (data.get("replaced_states") or {}).items():
        if new not in states:
            fail(["replaced_states", old], f"no state '{new}' in states")
    for state_id, state in states.items():
        for permission, roles in (state.get("permissions") or {}).items():
            path = ["states", state_id, "permissions", permission]
            if permission in ("personal_data", "edit_personal_data") and PUBLIC_ROLES & set(roles):
                fail(path, "personal data is never granted to Anonymous or Authenticated")
            _check_roles(roles, known_roles, path, fail)
    for transition_id, transition in data["transitions"].items():
        path = ["transitions", transition_id]
        for index, source in enumerate(transition["from"]):
            if source not in states:
                fail([*path, "from", index], f"no state '{source}' in states")
        if transition["to"] not in states:
            fail([*path, "to"], f"no state '{transition['to']}' in states")
        _check_roles(transition["roles"], known_roles, [*path, "roles"], fail)
        _check_roles(transition.get("notify") or [], known_roles, [*path, "notify"], fail)
        for index, guard in enumerate(transition.get("guards") or []):
            [(name, parameters)] = guard.items()
            if name not in known_guards:
                known = ", ".join(sorted(known_guards)) or "none"
                fail([*path, "guards", index], f"unknown guard '{name}' (known: {known})")
            problem = _parameters_problem(known_guards, name, parameters or {})
            if problem:
                fail([*path, "guards", index, name], problem)
    return data


def _parameters_problem(known_guards, name, parameters):
    """What is wrong with a guard's parameters, or None (only for guard functions)."""
    function = known_guards.get(name) if isinstance(known_guards, dict) else None
    if function is None:
        return None
    try:
        inspect.signature(function).bind(None, **parameters)
        getattr(function, "check_parameters", lambda **_: None)(**parameters)
    except (TypeError, ValueError) as error:
        return str(error)
    return None


def _check_roles(roles, known_roles, path, fail):
    if known_roles is None:
        return
    for index, role in enumerate(roles):
        if role not in known_roles:
            fail([*path, index], f"unknown role '{role}'")
