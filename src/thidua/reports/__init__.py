"""A report's ``statistics``: the figures of its plan (or its movement) as
thidua.dashboard counts them, frozen when the report is submitted.

- per movement, kind and state against the quotas, with their totals;
- per sub-unit, the introductions of each quarter, and the sub-plans;
- a quarterly report also lists the models introduced that quarter;
- a mid-term or final report counts the models' reach: nurtured, check-ins,
  replication activities by kind, participants, adopting units
  (thidua.replication.figures), per movement and per unit.

``submit`` stores a copy (``frozen``: true, ``taken``: when), so later changes
to candidates leave a submitted report as it was; a report returned to draft
drops it and shows live figures again (``frozen``: false), recomputed each
time for whoever may see the dashboard.
"""

from collections import Counter
from plone import api
from thidua import permissions
from thidua.content.movement import IMovement
from thidua.content.plan import IPlan
from thidua.content.unit import ancestor
from thidua.dashboard import dashboard
from thidua.dashboard import KINDS
from thidua.dashboard import quarter_of
from thidua.replication.figures import replication

import datetime


REACH_REPORTS = ("midterm", "final")


def scope(report):
    """(plan, movement) the report is about; movement is None on a Plan's report."""
    movement = ancestor(report, IMovement)
    plan = ancestor(report, IPlan)
    return plan, movement


def _totals(rows):
    states = Counter()
    for row in rows:
        for kind in row["kinds"].values():
            states.update(kind["states"])
    return {
        "kinds": {
            kind: {
                key: sum(row["kinds"][kind][key] for row in rows)
                for key in ("quota", "total", "achieved")
            }
            for kind in KINDS
        },
        "states": dict(sorted(states.items())),
        "total": sum(row["total"] for row in rows),
    }


def introduced(container, year, quarter):
    """The models introduced to ``container``'s movements (@introduce) in that quarter."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="Candidate",
        path="/".join(container.getPhysicalPath()),
        sort_on="created",
    )
    units = {}
    result = []
    for brain in brains:
        if not brain.thidua_introduced_by or quarter_of(brain) != (year, quarter):
            continue
        uid = brain.thidua_introduced_by
        if uid not in units:
            found = catalog.unrestrictedSearchResults(UID=uid)
            units[uid] = found[0].Title if found else None
        result.append(
            {
                "@id": brain.getURL(),
                "UID": brain.UID,
                "title": brain.Title,
                "kind": brain.thidua_kind,
                "unit": units[uid],
                "movement": brain.movement_title,
                "introduced": brain.created.asdatetime().date().isoformat(),
                "review_state": brain.review_state,
            }
        )
    return result


def figures(report, now=None):
    """The live statistics of ``report`` (``frozen``: false)."""
    now = now or datetime.datetime.now()
    plan, movement = scope(report)
    if plan is None:
        return None
    year = report.year or now.year
    board = dashboard(plan, year=year, today=now.date())
    rows = board["movements"]
    if movement is not None:
        rows = [row for row in rows if row["UID"] == movement.UID()]
    quarterly = report.report_type == "quarterly" and report.quarter
    return {
        "frozen": False,
        "taken": now.replace(microsecond=0).isoformat(),
        "report_type": report.report_type,
        "year": year,
        "quarter": report.quarter if quarterly else None,
        "movements": rows,
        "totals": _totals(rows),
        "quarterly": board["quarterly"],
        "subplans": board["subplans"],
        "introduced": (introduced(movement or plan, year, report.quarter) if quarterly else None),
        # The reach of the models (issue 15): what the mid-term and final reviews look at.
        "replication": (
            replication(movement or plan, today=now.date())
            if report.report_type in REACH_REPORTS
            else None
        ),
    }


def statistics(report):
    """What a reader of ``report`` is shown: the frozen figures once it is
    submitted; while in draft the live ones, for the staff who may see the
    dashboard (None for anyone else)."""
    stored = getattr(report, "statistics", None)
    if stored and api.content.get_state(report, default=None) != "draft":
        return stored
    if not api.user.has_permission(permissions.ViewDashboard, obj=report):
        return None
    return figures(report)


def freeze_on_submit(report, event):
    """IAfterTransitionEvent: ``submit`` freezes the figures; back to draft drops them."""
    if event.transition is None:
        return
    if event.transition.id == "submit":
        report.statistics = {**figures(report), "frozen": True}
    elif event.new_state.id == "draft":
        report.statistics = None
