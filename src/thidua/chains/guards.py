"""Named guards that chain files use, each with its parameters.

A transition's guards are checked through a DCWorkflow guard expression that
calls ``check``; each guard is a function ``(obj, **parameters) -> bool``,
true when its ``REASONS`` counterpart finds nothing that blocks the step.
``refusal`` says why a transition is blocked, in a message the panel, the REST
API and the state menu translate alike. A guard's ``legal_parameters`` carry
their legal basis in the chain file (``basis``), which is no argument of the guard.
"""

from AccessControl.SecurityInfo import ModuleSecurityInfo
from datetime import date
from plone import api
from thidua import _
from thidua import ballot as ballots
from thidua.ballot import DEFAULT_QUORUM
from thidua.ballot import DEFAULT_THRESHOLD
from thidua.chains.access import chain_of
from thidua.chains.loader import arguments
from thidua.workdays import working_day_after
from thidua.workdays import working_days_between

import re


def _text(richtext):
    raw = getattr(richtext, "raw", richtext) or ""
    return re.sub(r"<[^>]*>|&nbsp;|\s", "", raw)


def dossier_incomplete(obj, attachments=0):
    """Why the dossier is not complete, or None when the achievements are
    written and at least ``attachments`` files are attached."""
    if not _text(getattr(obj, "achievements", None)):
        return _("The dossier has no summary of achievements.")
    files = [item for item in obj.objectValues() if item.portal_type == "File"]
    if len(files) < (attachments or 0):
        return _(
            "The dossier has ${count} attached files; it needs ${needed}.",
            mapping={"count": len(files), "needed": attachments},
        )
    return None


def dossier_complete(obj, attachments=0):
    """The achievements are written and at least ``attachments`` files are attached."""
    return dossier_incomplete(obj, attachments) is None


def entered(obj, state_id):
    """When ``obj`` last entered ``state_id``, from its workflow history."""
    workflows = api.portal.get_tool("portal_workflow")
    [workflow] = workflows.getWorkflowsFor(obj)
    history = obj.workflow_history.get(workflow.getId(), ())
    for entry in reversed(history):
        if entry.get("review_state") == state_id:
            return entry["time"].asdatetime().date()
    return None


def notice_running(obj, working_days=10):
    """Why the public notice is not over, or None when it has lasted at least
    ``working_days`` working days."""
    since = entered(obj, "public_notice")
    if since is None:
        return _("The dossier has not been on public notice.")
    remaining = working_days - working_days_between(since, date.today())
    if remaining <= 0:
        return None
    return _(
        "The public notice has ${days} working days left, until ${date}.",
        mapping={
            "days": remaining,
            "date": working_day_after(since, working_days).strftime("%d/%m/%Y"),
        },
    )


def notice_period(obj, working_days=10):
    """The public notice has lasted at least ``working_days`` working days."""
    return notice_running(obj, working_days) is None


def ballot_short(obj, quorum=DEFAULT_QUORUM, threshold=DEFAULT_THRESHOLD, outcome="passed"):
    """Why the council's current round does not have ``outcome``, or None when it has."""
    if ballots.current_round(obj) is None:
        return _("No ballot is open on this candidate.")
    tally = ballots.tally(obj, quorum=quorum, threshold=threshold)
    if not tally["quorum_met"]:
        return _(
            "Fewer than ${quorum} of the council members have voted (${voted} of ${base}).",
            mapping={"quorum": quorum, "voted": tally["voted"], "base": tally["base"]},
        )
    if outcome == "passed" and not tally["threshold_met"]:
        return _(
            "The ballot did not pass: ${yes} yes of ${base}, more than ${threshold} needed.",
            mapping={"yes": tally["yes"], "base": tally["base"], "threshold": threshold},
        )
    if outcome == "failed" and tally["threshold_met"]:
        return _("The ballot passed: the candidate cannot be declined.")
    return None


def ballot(obj, quorum=DEFAULT_QUORUM, threshold=DEFAULT_THRESHOLD, outcome="passed"):
    """The council's current round reached ``quorum`` (of the council, recusals
    left out) and more than ``threshold`` voted yes (``outcome: passed``), or it
    reached quorum without that majority (``outcome: failed``)."""
    return ballot_short(obj, quorum, threshold, outcome) is None


def _check_ballot(quorum=DEFAULT_QUORUM, threshold=DEFAULT_THRESHOLD, outcome="passed"):
    for name, value in (("quorum", quorum), ("threshold", threshold)):
        try:
            ballots.fraction(value)
        except (ValueError, ZeroDivisionError):
            raise ValueError(
                _(
                    "${parameter} is a fraction between 0 and 1, like 2/3 or 0.5",
                    mapping={"parameter": name},
                )
            ) from None
    if outcome not in ("passed", "failed"):
        raise ValueError(_("outcome is 'passed' or 'failed'"))


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


# Why each guard blocks a step: a message, or None when it passes.
REASONS = {
    "dossier_complete": dossier_incomplete,
    "notice_period": notice_running,
    "ballot": ballot_short,
}


def refusal(obj, workflow_id, transition_id):
    """Why the guards of the transition block it now (the first that does), or None."""
    workflow = api.portal.get_tool("portal_workflow").getWorkflowById(workflow_id)
    chain = chain_of(workflow)
    transition = chain.get("transitions", {}).get(transition_id, {})
    for guard in transition.get("guards") or []:
        [(name, parameters)] = guard.items()
        reason = REASONS[name](obj, **arguments(parameters))
        if reason is not None:
            return reason
    return None


def check(obj, workflow_id, transition_id):
    """True when every guard of the transition passes (a DCWorkflow guard expression)."""
    return refusal(obj, workflow_id, transition_id) is None


ModuleSecurityInfo("thidua.chains.guards").declarePublic("check")
