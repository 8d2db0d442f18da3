"""The common changes to a chain, made through fields instead of its YAML.

``fields(chain)`` lists what the chains panel's form shows of a (merged)
chain: the titles in both languages, who may take each step, which steps need
a comment, the guards' legal parameters with their basis and the appraisal
limit.  ``changed_text(text, filename, chain, form)`` writes what the form
says into the chain's file as written and returns its new text, which then
goes through the same checks as a file pasted whole.  A chain that extends
another gets only the keys that now differ from what it inherits.  The file
is written anew by PyYAML: its comments are not kept.
"""

from thidua import _
from thidua.chains.guards import GUARDS
from thidua.chains.loader import ChainError
from thidua.chains.loader import line_of

import copy
import inspect
import yaml


# The roles a step may be given in the form (the file may name others).
STEP_ROLES = ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair", "Owner")
WHOLE_NUMBERS = ("attachments", "working_days")


def _both(value):
    if isinstance(value, dict):
        return {"vi": value.get("vi", ""), "en": value.get("en", "")}
    return {"vi": value or "", "en": value or ""}


def fields(chain):
    """What the form shows of ``chain``: plain data for the page template."""
    steps = []
    for transition_id, transition in chain["transitions"].items():
        parameters = []
        for index, guard in enumerate(transition.get("guards") or ()):
            [(name, written)] = guard.items()
            written = written or {}
            function = GUARDS.get(name)
            for parameter in getattr(function, "legal_parameters", ()):
                default = inspect.signature(function).parameters[parameter].default
                basis = written.get("basis")
                parameters.append(
                    {
                        "index": index,
                        "guard": name,
                        "parameter": parameter,
                        "value": written.get(parameter, default),
                        "basis": basis.get(parameter, "")
                        if isinstance(basis, dict)
                        else basis or "",
                        "name": f"guard.{transition_id}.{index}.{parameter}",
                    }
                )
        steps.append(
            {
                "id": transition_id,
                "title": _both(transition["title"]),
                "roles": list(transition["roles"]),
                "choices": sorted(set(STEP_ROLES) | set(transition["roles"])),
                "comment_required": bool(transition.get("comment_required")),
                "parameters": parameters,
            }
        )
    return {
        "title": _both(chain["title"]),
        "states": [
            {"id": state_id, "title": _both(state["title"])}
            for state_id, state in chain["states"].items()
        ],
        "steps": steps,
        "appraisal_days": (chain.get("appraisal_limit") or {}).get("working_days"),
    }


def _title(form, name, field, filename, text, path):
    vi = (form.get(f"{name}.vi") or "").strip()
    en = (form.get(f"{name}.en") or "").strip()
    if not vi or not en:
        raise ChainError(
            filename,
            _line(text, path),
            field,
            _("A title is needed in Vietnamese and in English."),
        )
    return {"vi": vi, "en": en}


def _line(text, path):
    try:
        return line_of(text, path)
    except yaml.YAMLError:
        return 1


def _number(value, filename, text, path, field):
    value = (value or "").strip()
    if not value.isdigit():
        raise ChainError(
            filename,
            _line(text, path),
            field,
            _("${value} is not a whole number of days or files.", mapping={"value": value}),
        )
    return int(value)


def edited_chain(chain, form, filename, text):
    """A copy of the (merged) ``chain`` with what ``form`` says."""
    chain = copy.deepcopy(chain)
    chain["title"] = _title(form, "chain.title", "title", filename, text, ["title"])
    for state_id, state in chain["states"].items():
        path = ["states", state_id, "title"]
        state["title"] = _title(
            form, f"state.{state_id}.title", ".".join(path), filename, text, path
        )
    for transition_id, transition in chain["transitions"].items():
        path = ["transitions", transition_id]
        transition["title"] = _title(
            form,
            f"step.{transition_id}.title",
            f"transitions.{transition_id}.title",
            filename,
            text,
            [*path, "title"],
        )
        roles = form.get(f"step.{transition_id}.roles") or []
        roles = [roles] if isinstance(roles, str) else list(roles)
        if not roles:
            raise ChainError(
                filename,
                _line(text, [*path, "roles"]),
                f"transitions.{transition_id}.roles",
                _("At least one role takes each step."),
            )
        if set(roles) != set(transition["roles"]):  # the same roles keep the file's order
            transition["roles"] = roles
        if form.get(f"step.{transition_id}.comment_required"):
            transition["comment_required"] = True
        else:
            transition.pop("comment_required", None)
        for index, guard in enumerate(transition.get("guards") or ()):
            [(name, written)] = guard.items()
            written = dict(written or {})
            legal = getattr(GUARDS.get(name), "legal_parameters", ())
            bases = {}
            for parameter in legal:
                key = f"guard.{transition_id}.{index}.{parameter}"
                if key not in form:
                    continue
                guard_path = [*path, "guards", index, name, parameter]
                field = ".".join(str(part) for part in guard_path)
                value = form.get(key)
                if parameter in WHOLE_NUMBERS:
                    value = _number(value, filename, text, guard_path, field)
                else:
                    value = (value or "").strip()
                written[parameter] = value
                bases[parameter] = (form.get(f"{key}.basis") or "").strip()
            if bases:
                given = {key: value for key, value in bases.items() if value}
                if len(set(bases.values())) == 1 and len(given) == len(bases):
                    written["basis"] = next(iter(given.values()))
                elif given:
                    written["basis"] = given
                else:
                    written.pop("basis", None)
            guard[name] = written
    if chain.get("appraisal_limit") and "appraisal_days" in form:
        path = ["appraisal_limit", "working_days"]
        chain["appraisal_limit"]["working_days"] = _number(
            form.get("appraisal_days"), filename, text, path, "appraisal_limit.working_days"
        )
    return chain


def changed_text(text, filename, chain, form):
    """The file ``text`` (of the merged ``chain``) changed as ``form`` says."""
    data = yaml.safe_load(text)
    edited = edited_chain(chain, form, filename, text)
    extends = "extends" in data
    for key in ("title", "appraisal_limit"):
        changed = edited.get(key) != chain.get(key) or (key in data and not extends)
        if changed and key in edited:
            data[key] = edited[key]
    for part in ("states", "transitions"):
        for entry_id, entry in edited[part].items():
            before = chain[part][entry_id]
            changes = {
                key: value
                for key, value in entry.items()
                if value != before.get(key) or key not in before
            }
            if "comment_required" in before and "comment_required" not in entry:
                changes["comment_required"] = False
            if not changes:
                continue
            written = data.setdefault(part, {}) or {}
            data[part] = written
            written[entry_id] = {**(written.get(entry_id) or {}), **changes}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)
