"""Named guards that chain files use, each with its parameters.

A transition's guards are checked through a DCWorkflow guard expression that
calls ``check``; each guard is a function ``(obj, **parameters) -> bool``.
A guard's ``legal_parameters`` carry their legal basis in the chain file
(``basis``), which is no argument of the guard.
"""

from AccessControl.SecurityInfo import ModuleSecurityInfo
from datetime import date
from datetime import timedelta
from plone import api
from thidua import ballot as ballots
from thidua.ballot import DEFAULT_QUORUM
from thidua.ballot import DEFAULT_THRESHOLD
from thidua.chains.access import chain_of
from thidua.chains.loader import arguments

import holidays
import re


def _text(richtext):
    raw = getattr(richtext, "raw", richtext) or ""
    return re.sub(r"<[^>]*>|&nbsp;|\s", "", raw)


def dossier_complete(obj, attachments=0):
    """The achievements are written and at least ``attachments`` files are attached."""
    if not _text(getattr(obj, "achievements", None)):
        return False
    files = [item for item in obj.objectValues() if item.portal_type == "File"]
    return len(files) >= (attachments or 0)


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end``: Monday to Friday,
    Vietnamese public holidays (with the days off given in their place) excluded."""
    days_off = holidays.country_holidays("VN", years=range(start.year, end.year + 1))
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in days_off:
            count += 1
    return count


def entered(obj, state_id):
    """When ``obj`` last entered ``state_id``, from its workflow history."""
    workflows = api.portal.get_tool("portal_workflow")
    [workflow] = workflows.getWorkflowsFor(obj)
    history = obj.workflow_history.get(workflow.getId(), ())
    for entry in reversed(history):
        if entry.get("review_state") == state_id:
            return entry["time"].asdatetime().date()
    return None


def notice_period(obj, working_days=10):
    """The public notice has lasted at least ``working_days`` working days."""
    since = entered(obj, "public_notice")
    return since is not None and working_days_between(since, date.today()) >= working_days


def ballot(obj, quorum=DEFAULT_QUORUM, threshold=DEFAULT_THRESHOLD, outcome="passed"):
    """The council's current round reached ``quorum`` (of the council, recusals
    left out) and more than ``threshold`` voted yes (``outcome: passed``), or it
    reached quorum without that majority (``outcome: failed``)."""
    return ballots.outcome(obj, quorum, threshold) == outcome


def _check_ballot(quorum=DEFAULT_QUORUM, threshold=DEFAULT_THRESHOLD, outcome="passed"):
    for name, value in (("quorum", quorum), ("threshold", threshold)):
        try:
            ballots.fraction(value)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{name} is a fraction between 0 and 1, like 2/3 or 0.5") from None
    if outcome not in ("passed", "failed"):
        raise ValueError("outcome is 'passed' or 'failed'")


ballot.check_parameters = _check_ballot

# The parameters a law (or the unit, where no law does) sets: each carries its basis.
dossier_complete.legal_parameters = ("attachments",)
notice_period.legal_parameters = ("working_days",)
ballot.legal_parameters = ("quorum", "threshold")


GUARDS = {
    "dossier_complete": dossier_complete,
    "notice_period": notice_period,
    "ballot": ballot,
}


def check(obj, workflow_id, transition_id):
    """True when every guard of the transition passes (a DCWorkflow guard expression)."""
    workflow = api.portal.get_tool("portal_workflow").getWorkflowById(workflow_id)
    chain = chain_of(workflow)
    transition = chain.get("transitions", {}).get(transition_id, {})
    for guard in transition.get("guards") or []:
        [(name, parameters)] = guard.items()
        if not GUARDS[name](obj, **arguments(parameters)):
            return False
    return True


ModuleSecurityInfo("thidua.chains.guards").declarePublic("check")
