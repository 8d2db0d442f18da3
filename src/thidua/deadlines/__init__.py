"""What falls due on a Unit or a Plan, counted in working days (``@deadlines``,
the worklist's next deadline, the ``thidua-remind`` mails).

- introductions: each sub-unit's models of a quarter, by day
  ``quarterly_deadline_day`` of the quarter's last month, in the quarters the
  plan's rotation gives it (thidua.dashboard's quarterly statuses);
- sub-plans: the sub-units' own plans, by the plan's ``subplan_deadline``;
- notice periods ending: candidates in public notice, the chain's
  ``notice_period`` after the notice went up;
- appraisals: candidates in the states of their chain's ``appraisal_limit``
  longer than its working days;
- reviews: the plan's mid-term and final reports, by their dates, until one
  is submitted.

Each deadline is ``upcoming`` (today or later) or ``overdue``; upcoming ones
further than ``within`` working days are left out. Nothing here names a
person: the responsible are roles on a unit.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from plone import api
from thidua import _
from thidua import nurture
from thidua.chains.access import chain_for
from thidua.chains.access import chain_of
from thidua.content.plan import MILESTONE_TITLES
from thidua.content.unit import unit_of
from thidua.dashboard import current_plan
from thidua.dashboard import plans_of
from thidua.dashboard import quarterly_of
from thidua.dashboard import quarterly_units
from thidua.dashboard import subplans
from thidua.workdays import working_day_after
from thidua.workdays import working_days_between
from zope.i18n import translate


DEFAULT_WITHIN = 20
DEFAULT_NOTICE_DAYS = 10
NOTICE_STATE = "public_notice"
REPORTED = ("submitted", "accepted", "published")
REVIEWS = (("midterm_review_date", "midterm"), ("final_review_date", "final"))
KIND_TITLES = {
    "subplan": _("Issue the unit's own plan"),
    "notice_end": _("The public notice ends"),
    "appraisal": _("Limit of the appraisal"),
    "checkin": _("Nurture check-in"),
}

REVIEW_TITLES = {
    "midterm": MILESTONE_TITLES["midterm_review_date"],
    "final": MILESTONE_TITLES["final_review_date"],
}


@dataclass
class Deadline:
    kind: str
    due: date
    title: str
    url: str
    unit: object  # whose people are responsible
    anchor: object  # where thidua-remind records what it sent
    subject: str  # what the deadline is about, unique beside its kind and day
    roles: tuple = ("CouncilSecretary",)
    escalate: tuple = ()  # told too once it is overdue
    extra: dict = field(default_factory=dict)

    def key(self):
        return f"{self.kind}|{self.subject}|{self.due.isoformat()}"

    def label(self, language):
        if self.kind == "introduction":
            message = _(
                "Introduce advanced models for quarter ${quarter}",
                mapping={"quarter": self.extra["quarter"]},
            )
        elif self.kind == "review":
            message = REVIEW_TITLES[self.extra["report_type"]]
        else:
            message = KIND_TITLES[self.kind]
        return translate(message, target_language=language)

    def remaining(self, today):
        """Working days left (negative: how many working days overdue)."""
        if self.due >= today:
            return working_days_between(today, self.due)
        return -working_days_between(self.due, today)

    def as_json(self, today, language):
        return {
            "kind": self.kind,
            "label": self.label(language),
            "title": self.title,
            "@id": self.url,
            "unit": {"@id": self.unit.absolute_url(), "title": self.unit.Title()},
            "due": self.due.isoformat(),
            "working_days": self.remaining(today),
            "status": "upcoming" if self.due >= today else "overdue",
            "responsible": list(self.roles),
            **self.extra,
        }


# Items in their chains ----------------------------------------------------


def _history(obj):
    workflows = api.portal.get_tool("portal_workflow")
    for workflow in workflows.getWorkflowsFor(obj):
        return obj.workflow_history.get(workflow.getId(), ())
    return ()


def entered(obj, states):
    """The day ``obj`` entered ``states`` and has stayed in them since, or None."""
    day = None
    for entry in reversed(_history(obj)):
        if entry.get("review_state") not in states:
            break
        day = entry["time"].asdatetime().date()
    return day


def notice_days(chain):
    """The notice period the chain's ``notice_period`` guard asks for, or None."""
    for transition in chain.get("transitions", {}).values():
        for guard in transition.get("guards") or []:
            if "notice_period" in guard:
                return (guard["notice_period"] or {}).get("working_days", DEFAULT_NOTICE_DAYS)
    return None


def item_deadlines(obj, state=None):
    """The deadlines of an item in its chain: (kind, day), soonest first."""
    chain = chain_for(obj)
    state = state or api.content.get_state(obj, default=None)
    found = []
    days = notice_days(chain)
    if state == NOTICE_STATE and days:
        since = entered(obj, (NOTICE_STATE,))
        if since is not None:
            found.append(("notice_end", working_day_after(since, days)))
    limit = chain.get("appraisal_limit")
    if limit and state in limit["states"]:
        since = entered(obj, limit["states"])
        if since is not None:
            found.append(("appraisal", working_day_after(since, limit["working_days"])))
    return sorted(found, key=lambda pair: pair[1])


def next_deadline(obj, state=None):
    """The soonest deadline of an item in its chain (a day), or None: the worklist's."""
    found = item_deadlines(obj, state)
    return found[0][1] if found else None


def waiting_states():
    """The states in which some chain counts a deadline."""
    states = {NOTICE_STATE}
    for workflow in api.portal.get_tool("portal_workflow").objectValues():
        states |= set((chain_of(workflow).get("appraisal_limit") or {}).get("states", ()))
    return sorted(states)


def _candidate_deadlines(plans, today):
    movements = [m for plan in plans for m in plan.objectValues() if m.portal_type == "Movement"]
    if not movements:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="Candidate",
        thidua_movement=[m.UID() for m in movements],
        review_state=waiting_states(),
    )
    found = _checkin_deadlines(movements)
    for brain in brains:
        candidate = brain._unrestrictedGetObject()
        unit = unit_of(candidate)
        for kind, due in item_deadlines(candidate, brain.review_state):
            if kind == "notice_end" and due < today:
                continue  # the notice is over: the appraisal's limit says what is late
            found.append(
                Deadline(
                    kind=kind,
                    due=due,
                    title=brain.Title,
                    url=brain.getURL(),
                    unit=unit,
                    anchor=candidate,
                    subject=brain.UID,
                    escalate=("CouncilSecretary", "CouncilChair") if kind == "appraisal" else (),
                    extra={"state": brain.review_state},
                )
            )
    return found


def _checkin_deadlines(movements):
    """The next check-in of each nurtured model's plan (thidua.nurture): only
    the models whose plan sets one are loaded."""
    found = []
    brains = nurture.nurtured_brains(thidua_movement=[m.UID() for m in movements], due_by=date.max)
    for brain in brains:
        candidate = brain._unrestrictedGetObject()
        due = brain.thidua_next_checkin
        found.append(
            Deadline(
                kind="checkin",
                due=due,
                title=brain.Title,
                url=brain.getURL(),
                unit=unit_of(candidate),
                anchor=candidate,
                subject=brain.UID,
                roles=("UnitOfficer", "CouncilSecretary"),
                extra={"state": brain.review_state},
            )
        )
    return found


# Plans ----------------------------------------------------------------------


def _introductions(context, plans, today):
    plan = current_plan(plans, today.year)
    if plan is None:
        return []
    found = []
    sub_units = {sub.absolute_url(): sub for sub in quarterly_units(unit_of(context), plan)}
    for row in quarterly_of(context, today.year, today)["units"]:
        sub_unit = sub_units[row["@id"]]
        for quarter, cell in row["quarters"].items():
            if cell["status"] not in ("pending", "missing"):
                continue
            found.append(
                Deadline(
                    kind="introduction",
                    due=date.fromisoformat(cell["deadline"]),
                    title=row["title"],
                    url=row["@id"],
                    unit=sub_unit,
                    anchor=plan,
                    subject=sub_unit.UID(),
                    extra={"quarter": int(quarter), "introduced": cell["introduced"]},
                )
            )
    return found


def _subplans(plan, today):
    summary = subplans(plan, today)
    found = []
    units = {sub.absolute_url(): sub for sub in unit_of(plan).objectValues()}
    for row in summary["units"]:
        if row["status"] not in ("pending", "missing"):
            continue
        sub_unit = units[row["@id"]]
        found.append(
            Deadline(
                kind="subplan",
                due=date.fromisoformat(summary["deadline"]),
                title=row["title"],
                url=row["@id"],
                unit=sub_unit,
                anchor=plan,
                subject=sub_unit.UID(),
                extra={"plan": plan.absolute_url()},
            )
        )
    return found


def _reviews(plan):
    reported = {
        report.report_type
        for report in plan.objectValues()
        if report.portal_type == "Report"
        and api.content.get_state(report, default=None) in REPORTED
    }
    found = []
    for name, report_type in REVIEWS:
        due = getattr(plan, name, None)
        if due is None or report_type in reported:
            continue
        found.append(
            Deadline(
                kind="review",
                due=due,
                title=plan.Title(),
                url=plan.absolute_url(),
                unit=unit_of(plan),
                anchor=plan,
                subject=f"{plan.UID()}:{report_type}",
                roles=("UnitOfficer", "CouncilSecretary"),
                extra={"report_type": report_type},
            )
        )
    return found


def collect(context, today=None):
    """Every deadline of a Unit (its plans) or a Plan, whatever its distance."""
    today = today or date.today()
    plans = plans_of(context)
    issued = [plan for plan in plans if api.content.get_state(plan, default=None) == "issued"]
    found = _introductions(context, issued, today) if issued else []
    for plan in issued:
        found += _subplans(plan, today) + _reviews(plan)
    found += _candidate_deadlines(plans, today)
    return sorted(found, key=lambda deadline: (deadline.due, deadline.kind, deadline.title))


def deadlines(context, within=DEFAULT_WITHIN, today=None, language="vi"):
    """``@deadlines``: the overdue ones, and the upcoming ones ``within``
    working days, soonest first."""
    today = today or date.today()
    horizon = working_day_after(today, within)
    found = collect(context, today)
    return {
        "@id": f"{context.absolute_url()}/@deadlines",
        "today": today.isoformat(),
        "within": within,
        "overdue": [d.as_json(today, language) for d in found if d.due < today],
        "upcoming": [d.as_json(today, language) for d in found if today <= d.due <= horizon],
    }
