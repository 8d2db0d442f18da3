"""Read and validate a chain file: JSON Schema first, then what a schema cannot
say (states that exist, known guards and roles, no personal data in public).
Every problem is reported with the file, the line and the field.

A file may ``extends`` another chain and say only what differs; the merged
chain goes through the same checks, each problem named in the file that wrote
the part at fault.  A guard's legal parameters (``legal_parameters`` of the
guard function) carry their legal basis; a missing one is a warning.
"""

from pathlib import Path
from thidua import _
from zope.i18n import translate

import copy
import inspect
import json
import jsonschema
import yaml


CHAINS = Path(__file__).resolve().parent.parent / "workflows"
SCHEMA = json.loads((CHAINS / "chain.schema.json").read_text(encoding="utf-8"))
TEXTS = {name: SCHEMA["$defs"][name] for name in ("title", "text")}  # plain, or {vi, en}
PUBLIC_ROLES = {"Anonymous", "Authenticated"}
# What a chain does not take from the chain it extends: they say what is its own.
NOT_INHERITED = ("id", "types", "replaced_states")
REMOVALS = {"states": "remove_states", "transitions": "remove_transitions"}
# The bases that name no text: a parameter no law sets, one still to be looked
# up.  Written in English in the files, shown in the reader's language.
PLAIN_BASES = {str(basis): basis for basis in (_("chosen by the unit"), _("to be confirmed"))}


class ChainError(ValueError):
    """A chain file that cannot be used; nothing has been changed."""

    def __init__(self, filename, line, field, message):
        self.filename, self.line, self.field, self.message = filename, line, field, message
        super().__init__(f"{filename}, line {line}, {field}: {translate(message)}")


class ChainWarning(ChainError):
    """Something a chain file should say and does not; the chain is used all the same."""


def chain_files():
    return sorted(CHAINS.glob("*.yaml"))


def _line(node, path):
    """The line of the node at ``path`` in a composed YAML tree (1-based)."""
    return _find(node, path)[0]


def _find(node, path):
    """(line, how many keys of ``path`` the tree has) of the deepest node found."""
    found = 0
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
        found += 1
    return node.start_mark.line + 1, found


def line_of(text, path):
    """The line of the field at ``path`` in a chain text that parses."""
    return _line(yaml.compose(text), path)


def _field(path):
    return ".".join(str(part) for part in path) or "(file)"


class _File:
    """One chain file as written: its data, its YAML tree (for lines) and its name."""

    def __init__(self, text, filename):
        self.filename = filename
        try:
            self.tree = yaml.compose(text)
            self.data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problem = str(getattr(error, "problem", error))
            raise ChainError(
                filename,
                line,
                "(file)",
                _("not valid YAML: ${problem}", mapping={"problem": problem}),
            ) from None
        if not isinstance(self.data, dict):
            raise ChainError(
                filename, 1, "(file)", _("a chain file is a mapping of keys to values")
            )
        _validate(self.data, [self])

    def error(self, path, message, kind=ChainError):
        return kind(self.filename, _line(self.tree, path), _field(path), message)


def _validate(data, files):
    """The first schema error of ``data``, named in the file that wrote that part."""
    errors = sorted(
        jsonschema.Draft202012Validator(SCHEMA).iter_errors(data),
        key=lambda error: list(error.absolute_path),
    )
    if errors:
        raise _origin(files, list(errors[0].absolute_path)).error(
            list(errors[0].absolute_path), schema_message(errors[0])
        )


def schema_message(error):
    """A JSON Schema error of jsonschema as a message of thidua's domain; its
    English is jsonschema's wording for the common cases."""
    instance, expected = error.instance, error.validator_value
    if error.validator == "required":
        missing = [key for key in expected if key not in instance]
        return _("'${key}' is a required property", mapping={"key": ", ".join(missing)})
    if error.validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = ", ".join(f"'{key}'" for key in instance if key not in known)
        return _("the key ${keys} is not allowed here", mapping={"keys": extra})
    if error.validator == "type":
        return _(
            "${value} is not of type '${type}'",
            mapping={"value": repr(instance), "type": expected},
        )
    if error.validator == "dependentRequired":
        for dependent, keys in expected.items():
            missing = [key for key in keys if dependent in instance and key not in instance]
            if missing:
                return _(
                    "'${key}' is a dependency of '${dependent}'",
                    mapping={"key": missing[0], "dependent": dependent},
                )
    if error.validator == "oneOf" and error.schema in (TEXTS["title"], TEXTS["text"]):
        return _("a text, or its Vietnamese and English as {vi: ..., en: ...}")
    return _("does not follow the chain format: ${problem}", mapping={"problem": error.message})


def _origin(files, path):
    """The file of ``files`` (the chain first, then what it extends) that wrote
    the deepest part of ``path``: where a problem in the merged chain is named."""
    return max(files, key=lambda file: _find(file.tree, path)[1])


def shipped_sources():
    """chain id -> (text, file name) of the files in workflows/."""
    return {path.stem: (path.read_text(encoding="utf-8"), path.name) for path in chain_files()}


def _lineage(file, sources):
    """The file and the files of the chains it extends, nearest first."""
    files = [file]
    while "extends" in files[-1].data:
        child = files[-1]
        parent_id = child.data["extends"]
        ids = [each.data["id"] for each in files]
        if parent_id in ids:
            circle = " → ".join([*ids[ids.index(parent_id) :], parent_id])
            raise child.error(
                ["extends"],
                _(
                    "The chains extend each other in a circle: ${circle}.",
                    mapping={"circle": circle},
                ),
            )
        if parent_id not in sources:
            raise child.error(
                ["extends"],
                _(
                    "There is no chain '${parent}' to extend (known: ${known}).",
                    mapping={"parent": parent_id, "known": ", ".join(sorted(sources))},
                ),
            )
        files.append(_File(*sources[parent_id]))
    return files


def _extend(parent, file):
    """The chain ``parent`` changed as ``file`` says."""
    changes = file.data
    chain = {key: value for key, value in parent.items() if key not in NOT_INHERITED}
    chain.update(
        (key, value)
        for key, value in changes.items()
        if key not in REMOVALS and key not in REMOVALS.values()
    )
    for part, removals in REMOVALS.items():
        entries = copy.deepcopy(parent[part])
        for index, entry_id in enumerate(changes.get(removals) or ()):
            if entries.pop(entry_id, None) is None:
                raise file.error(
                    [removals, index],
                    _(
                        "'${id}' is not in the chain '${parent}'.",
                        mapping={"id": entry_id, "parent": parent["id"]},
                    ),
                )
        for entry_id, entry in (changes.get(part) or {}).items():
            entries[entry_id] = {**entries.get(entry_id, {}), **copy.deepcopy(entry or {})}
        chain[part] = entries
    for index, state_id in enumerate(changes.get("remove_states") or ()):
        if state_id in chain["states"]:
            continue  # removed, then given anew: replaced outright
        for transition_id, transition in chain["transitions"].items():
            if state_id in transition.get("from", ()) or state_id == transition.get("to"):
                raise file.error(
                    ["remove_states", index],
                    _(
                        "The state '${state}' is removed, but the transition "
                        "'${transition}' still goes from or to it: change the "
                        "transition's from and to, or remove it too.",
                        mapping={"state": state_id, "transition": transition_id},
                    ),
                )
    return chain


def check_chain(text, filename, known_guards=(), known_roles=None, sources=None):
    """Parse and check one chain; (the chain as a dict, its warnings) or raises ChainError.

    ``sources`` (chain id -> (text, file name), the shipped files by default) is
    where a chain that ``extends`` another finds it; the chain returned is the
    merged one, with ``extends`` naming its parent.
    """
    files = _lineage(_File(text, filename), shipped_sources() if sources is None else sources)
    data = copy.deepcopy(files[-1].data)
    for file in reversed(files[:-1]):
        data = _extend(data, file)
    _validate({key: value for key, value in data.items() if key != "extends"}, files)

    def fail(path, message):
        raise _origin(files, path).error(path, message)

    states = data["states"]
    if data["initial_state"] not in states:
        fail(["initial_state"], _no_state(data["initial_state"]))
    for old, new in (data.get("replaced_states") or {}).items():
        if new not in states:
            fail(["replaced_states", old], _no_state(new))
    for index, state_id in enumerate((data.get("appraisal_limit") or {}).get("states", ())):
        if state_id not in states:
            fail(["appraisal_limit", "states", index], _no_state(state_id))
    for state_id, state in states.items():
        for permission, roles in (state.get("permissions") or {}).items():
            path = ["states", state_id, "permissions", permission]
            if permission in ("personal_data", "edit_personal_data") and PUBLIC_ROLES & set(roles):
                fail(path, _("personal data is never granted to Anonymous or Authenticated"))
            _check_roles(roles, known_roles, path, fail)
    for transition_id, transition in data["transitions"].items():
        path = ["transitions", transition_id]
        for index, source in enumerate(transition["from"]):
            if source not in states:
                fail([*path, "from", index], _no_state(source))
        if transition["to"] not in states:
            fail([*path, "to"], _no_state(transition["to"]))
        _check_roles(transition["roles"], known_roles, [*path, "roles"], fail)
        _check_roles(transition.get("notify") or [], known_roles, [*path, "notify"], fail)
        for index, guard in enumerate(transition.get("guards") or []):
            [(name, parameters)] = guard.items()
            if name not in known_guards:
                known = ", ".join(sorted(known_guards)) or "-"
                fail(
                    [*path, "guards", index],
                    _(
                        "unknown guard '${guard}' (known: ${known})",
                        mapping={"guard": name, "known": known},
                    ),
                )
            problem = _parameters_problem(known_guards, name, parameters or {})
            if problem:
                fail([*path, "guards", index, name], problem)
    warnings = []
    for rule in legal_rules(data, known_guards):
        if rule["basis"] is None:
            path = ["transitions", rule["transition"], "guards", rule["index"], rule["guard"]]
            message = _(
                "The legal parameter ${parameter} of ${guard} has no basis: write the "
                "law's reference, 'chosen by the unit' or 'to be confirmed'.",
                mapping={"parameter": rule["parameter"], "guard": rule["guard"]},
            )
            warnings.append(_origin(files, path).error(path, message, ChainWarning))
    return data, warnings


def load_chain(text, filename, known_guards=(), known_roles=None, sources=None):
    """Parse and check one chain; returns the (merged) chain as a dict or raises ChainError."""
    return check_chain(text, filename, known_guards, known_roles, sources)[0]


def arguments(parameters):
    """What a guard is called with: its parameters without their legal basis."""
    return {key: value for key, value in (parameters or {}).items() if key != "basis"}


def basis_of(parameters, parameter):
    """The legal basis written for ``parameter`` of a guard, or None."""
    basis = (parameters or {}).get("basis")
    return basis if isinstance(basis, str) else (basis or {}).get(parameter)


def basis_label(basis):
    """``basis`` as shown: a plain basis translated, a reference as written."""
    return PLAIN_BASES.get(basis, basis)


def legal_rules(chain, known_guards):
    """Each legal parameter of the chain's guards: transition, index and guard,
    the parameter, its value (written, else the guard's default) and its basis."""
    rules = []
    for transition_id, transition in chain["transitions"].items():
        for index, guard in enumerate(transition.get("guards") or []):
            [(name, parameters)] = guard.items()
            function = known_guards.get(name) if isinstance(known_guards, dict) else None
            for parameter in getattr(function, "legal_parameters", ()):
                default = inspect.signature(function).parameters[parameter].default
                rules.append(
                    {
                        "transition": transition_id,
                        "index": index,
                        "guard": name,
                        "parameter": parameter,
                        "value": (parameters or {}).get(parameter, default),
                        "basis": basis_of(parameters, parameter),
                    }
                )
    return rules


def _parameters_problem(known_guards, name, parameters):
    """What is wrong with a guard's parameters, or None (only for guard functions)."""
    function = known_guards.get(name) if isinstance(known_guards, dict) else None
    if function is None:
        return None
    basis = parameters.get("basis")
    legal = getattr(function, "legal_parameters", ())
    for parameter in basis if isinstance(basis, dict) else ():
        if parameter not in legal:
            return _(
                "basis: '${parameter}' is not a legal parameter of ${guard} (legal: ${legal})",
                mapping={"parameter": parameter, "guard": name, "legal": ", ".join(legal) or "-"},
            )
    signature = inspect.signature(function)
    for parameter in arguments(parameters):
        if parameter not in list(signature.parameters)[1:]:
            return _(
                "${guard}() got an unexpected keyword argument '${parameter}' (known: ${known})",
                mapping={
                    "guard": name,
                    "parameter": parameter,
                    "known": ", ".join(list(signature.parameters)[1:]) or "-",
                },
            )
    try:
        getattr(function, "check_parameters", lambda **_: None)(**arguments(parameters))
    except ValueError as error:
        # guards.py raises its refusals as thidua messages
        return error.args[0]
    return None


def _no_state(state_id):
    return _("no state '${state}' in states", mapping={"state": state_id})


def _check_roles(roles, known_roles, path, fail):
    if known_roles is None:
        return
    for index, role in enumerate(roles):
        if role not in known_roles:
            fail([*path, index], _("unknown role '${role}'", mapping={"role": role}))
