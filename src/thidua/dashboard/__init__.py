"""The staff dashboard of a Unit or a Plan.

- Movements: candidates counted by kind and state against each movement's
  quotas; ``achieved`` counts the selected and the honoured.
- Quarterly introductions: each sub-unit introduces ``quarterly_quota`` models
  a quarter (@introduce) before day ``quarterly_deadline_day`` of the quarter's
  last month (seed 004: "trước ngày 05 của tháng cuối quý"), in the quarters
  the plan's ``quarterly_rotation`` gives it (seed 004's rotation of blocs);
  a rotation line may name a cluster or bloc (thidua.clusters), which stands
  for its member units, at any level below the plan's unit.
- Sub-plans: the sub-units that did not issue their own plan by the plan's
  ``subplan_deadline`` are flagged (seed 001).
- Replication: models nurtured, check-ins on time or late, activities by
  kind, participants and adopting units, per movement and per unit
  (thidua.replication.figures).

Candidates are counted by intersecting the catalog's indexes (movement, kind,
state): no candidate is loaded and no catalog record read, however many there
are; only the introduced ones' metadata is read for the quarters. The few
plans, movements and sub-units are loaded. Counts name nobody, so every member of the staff
sees the same numbers, drafts included.
"""

from BTrees.IIBTree import difference
from BTrees.IIBTree import IITreeSet
from BTrees.IIBTree import intersection
from BTrees.IIBTree import multiunion
from BTrees.IIBTree import union
from collections import Counter
from plone import api
from Products.CMFCore.indexing import processQueue
from Products.ZCatalog.query import IndexQuery
from thidua import _
from thidua import nurture
from thidua.catalog.kept import Kept
from thidua.content.plan import rotation
from thidua.content.plan import rotation_clusters
from thidua.content.plan import rotation_units
from thidua.content.unit import IUnit
from thidua.content.unit import unit_of
from thidua.replication.figures import replication

import datetime


KINDS = ("collective", "individual", "household")
ACHIEVED = ("selected", "honoured")
ISSUED = ("issued", "closed")
# The titles of the statuses of a quarter or a sub-plan, for pages and files.
STATUS_TITLES = {
    "on_time": _("On time"),
    "late": _("Late"),
    "missing": _("Missing"),
    "pending": _("Pending"),
    "not_due": _("Not due"),
}


def plans_of(context):
    if IUnit.providedBy(context):
        return [item for item in context.objectValues() if item.portal_type == "Plan"]
    return [context]


def _movements(plans):
    return [
        item for plan in plans for item in plan.objectValues() if item.portal_type == "Movement"
    ]


def _candidates(**query):
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(portal_type="Candidate", **query)


def _record_ids(index, value):
    """The catalog record ids that ``index`` holds for ``value``, asked through
    the index's own query API (as the catalog asks it), not its storage."""
    found = index.query_index(IndexQuery({index.getId(): value}, index.getId()))
    return found if found is not None else IITreeSet()


# The counts of recent dashboards (see ``kind_state_counts``): each a few
# numbers a movement. They are the same for every caller: the indexes are read
# unrestricted, as the dashboard's callers may view the unit's candidates.
KEPT = Kept(64)


def kind_state_counts(movement_uids):
    """{movement uid: ({kind: Counter(state)}, Counter(state))} of the
    candidates of the movements, from the catalog's indexes alone.

    Each record gets a small number for its (kind, state) pair, set from the
    sets of each kind and state by ``dict.fromkeys``; a movement is then
    counted by one ``Counter`` over its records. Both run in C, once over
    each record: intersecting every movement with every kind and state set
    walked the big sets once per triple, and a Python loop per record grew
    to a tenth of a second at 100,000 candidates. The counts are kept while
    the catalog is unchanged (``thidua.catalog.kept``)."""
    # What this request changed is still queued for the catalog; a search would
    # index it first, reading the indexes does not.
    processQueue()
    catalog = api.portal.get_tool("portal_catalog")
    counted = KEPT.get(catalog, tuple(movement_uids), lambda: _counts(catalog, movement_uids))
    # The kept counts are shared between requests: each caller gets Counters of its own.
    return {
        uid: ({kind: Counter(states) for kind, states in by_kind.items()}, Counter(totals))
        for uid, (by_kind, totals) in counted.items()
    }


def _counts(catalog, movement_uids):
    catalog = catalog._catalog
    movement_index = catalog.getIndex("thidua_movement")
    movements = {uid: _record_ids(movement_index, uid) for uid in movement_uids}
    # Only candidates get a number: anything else a movement holds counts for nothing.
    wanted = intersection(
        _record_ids(catalog.getIndex("portal_type"), "Candidate"),
        multiunion([ids for ids in movements.values() if ids]),
    )
    pairs, code_of = [], {}
    for (kind, state), ids in _pair_sets(catalog, wanted):
        code_of.update(dict.fromkeys(ids, len(pairs)))
        pairs.append((kind, state))
    result = {}
    for uid, ids in movements.items():
        by_kind = {kind: Counter() for kind in KINDS}
        totals = Counter()
        for code, count in Counter(map(code_of.get, ids)).items():
            # Not a candidate, or a candidate without a state: not counted.
            if code is not None:
                kind, state = pairs[code]
                by_kind.setdefault(kind, Counter())[state] += count
                totals[state] += count
        result[uid] = (by_kind, totals)
    return result


def _pair_sets(catalog, wanted):
    """((kind, state), record ids) of the records of ``wanted`` (a set), for
    each pair that has any; a record without a kind counts as an individual,
    as it is shown."""
    kind_index = catalog.getIndex("thidua_kind")
    state_index = catalog.getIndex("review_state")
    kinds = {
        kind: intersection(wanted, _record_ids(kind_index, kind))
        for kind in kind_index.uniqueValues()
    }
    kindless = difference(wanted, multiunion(list(kinds.values())))
    if kindless:
        kinds["individual"] = union(kinds.get("individual"), kindless)
    states = {}
    for state in state_index.uniqueValues():
        ids = intersection(wanted, _record_ids(state_index, state))
        if ids:
            states[state] = ids
    for kind, of_kind in kinds.items():
        for state, of_state in states.items():
            ids = intersection(of_kind, of_state)
            if ids:
                yield (kind, state), ids


def movement_counts(movement, by_kind, uid=None):
    """The row of ``movement`` (whose UID is ``uid``): ``by_kind`` is {kind: Counter(state)}."""
    kinds = {}
    for kind in KINDS:
        quota = getattr(movement, f"quota_{kind}", None) or 0
        achieved = sum(by_kind[kind][state] for state in ACHIEVED)
        kinds[kind] = {
            "quota": quota,
            "total": sum(by_kind[kind].values()),
            "achieved": achieved,
            "progress": round(achieved / quota, 3) if quota else None,
            "states": dict(sorted(by_kind[kind].items())),
        }
    return {
        "@id": movement.absolute_url(),
        "UID": uid or movement.UID(),
        "title": movement.Title(),
        "review_state": api.portal.get_tool("portal_workflow").getInfoFor(
            movement, "review_state", None
        ),
        "kinds": kinds,
        "total": sum(k["total"] for k in kinds.values()),
    }


def movement_summary(movement):
    """The counts of one movement's candidates, as in its row of the dashboard."""
    uid = movement.UID()
    return movement_counts(movement, kind_state_counts([uid])[uid][0])


def introduced(movement_uids):
    """Brains of the candidates of the movements that a sub-unit introduced."""
    catalog = api.portal.get_tool("portal_catalog")
    introducers = list(catalog.uniqueValuesFor("thidua_introduced_by"))
    if not movement_uids or not introducers:
        return []
    return _candidates(thidua_movement=movement_uids, thidua_introduced_by=introducers)


def deadline(year, quarter, day):
    return datetime.date(year, quarter * 3, day)


def quarter_of(brain):
    if brain.thidua_quarter:
        return brain.thidua_year or brain.created.year(), brain.thidua_quarter
    created = brain.created.asdatetime().date()
    return created.year, (created.month - 1) // 3 + 1


def quarter_status(arrivals, quota, due, today, assigned=True):
    """on_time, late, missing or pending for one sub-unit and quarter; not_due
    for a quarter the plan's rotation gives to other sub-units. A quota of 0
    asks for nothing, so it is met on time: no false alarm."""
    if not assigned:
        return "not_due"
    arrivals = sorted(arrivals)
    if not quota:
        return "on_time"
    if len(arrivals) >= quota:
        return "on_time" if arrivals[quota - 1] <= due else "late"
    return "pending" if today <= due else "missing"


def current_plan(plans, year):
    """The plan whose period holds ``year`` (else the first): its quarterly cycle counts."""
    return next(
        (p for p in plans if (p.period_start or year) <= year <= (p.period_end or year)),
        plans[0] if plans else None,
    )


def quarterly_settings(plan):
    """(quota, deadline day, rotation) of a plan's quarterly cycle."""
    quota = getattr(plan, "quarterly_quota", None)
    quota = 1 if quota is None else quota
    day = getattr(plan, "quarterly_deadline_day", None) or 5
    return quota, day, rotation(plan) if plan is not None else None


def quarterly_units(unit, plan):
    """The units of a plan's quarterly cycle: the sub-units of ``unit``, then
    the units that the rotation names through a cluster or bloc (at any level
    below ``unit``)."""
    units = sub_units(unit)
    if plan is not None:
        units += [named for named in rotation_units(plan) if named not in units]
    return units


def quarterly(unit, plans, brains, year, today):
    """Introductions per unit and quarter, from the candidates' ``brains``."""
    plan = current_plan(plans, year)
    quota, day, turns = quarterly_settings(plan)
    clusters = rotation_clusters(plan) if plan is not None else None
    arrivals = {}
    for brain in brains:
        if not brain.thidua_introduced_by:
            continue
        brain_year, quarter = quarter_of(brain)
        if brain_year == year:
            key = (brain.thidua_introduced_by, quarter)
            arrivals.setdefault(key, []).append(brain.created.asdatetime().date())
    units = []
    for sub_unit in quarterly_units(unit, plan):
        uid = sub_unit.UID()
        quarters = {}
        for quarter in range(1, 5):
            due = deadline(year, quarter, day)
            dates = arrivals.get((uid, quarter), [])
            assigned = turns is None or (sub_unit.code or "").upper() in turns[quarter]
            quarters[str(quarter)] = {
                "introduced": len(dates),
                "deadline": due.isoformat(),
                "status": quarter_status(dates, quota, due, today, assigned),
            }
        units.append(
            {
                "@id": sub_unit.absolute_url(),
                "title": sub_unit.Title(),
                "code": sub_unit.code,
                "quarters": quarters,
            }
        )
    return {
        "year": year,
        "quota": quota,
        "deadline_day": day,
        "rotation": {str(q): sorted(codes) for q, codes in turns.items()} if turns else None,
        "rotation_clusters": (
            {str(q): codes for q, codes in clusters.items()} if clusters else None
        ),
        "units": units,
    }


def sub_units(unit):
    if unit is None:
        return []
    return [item for item in unit.objectValues() if IUnit.providedBy(item)]


def issued_on(plan):
    """The day a plan was issued: its ``issued_date``, else the day of its
    ``issue`` step; None while it is not issued."""
    if api.content.get_state(plan, default=None) not in ISSUED:
        return None
    if plan.issued_date:
        return plan.issued_date
    workflows = api.portal.get_tool("portal_workflow")
    for workflow in workflows.getWorkflowsFor(plan):
        for entry in reversed(plan.workflow_history.get(workflow.getId(), ())):
            if entry.get("action") == "issue":
                return entry["time"].asdatetime().date()
    return None


def implementing_plans(sub_unit, plan):
    """The plans of ``sub_unit`` that implement ``plan`` (their ``implements``)."""
    uid = plan.UID()
    return [
        item
        for item in sub_unit.objectValues()
        if item.portal_type == "Plan"
        and getattr(item, "implements", None) is not None
        and item.implements.to_object is not None
        and item.implements.to_object.UID() == uid
    ]


def subplans(plan, today):
    """Whether each sub-unit of the plan's unit issued its own plan (one that
    implements it) by the plan's ``subplan_deadline`` (seed 001: by 31/12/2021,
    or not considered for the annual awards): on_time, late, missing or
    pending; ``flagged`` when not issued by the deadline."""
    due = getattr(plan, "subplan_deadline", None) if plan is not None else None
    if due is None:
        return {"deadline": None, "units": []}
    units = []
    for sub_unit in sub_units(unit_of(plan)):
        dated = ((issued_on(item), item) for item in implementing_plans(sub_unit, plan))
        issued = sorted((pair for pair in dated if pair[0]), key=lambda pair: pair[0])
        status = quarter_status([day for day, _item in issued], 1, due, today)
        units.append(
            {
                "@id": sub_unit.absolute_url(),
                "title": sub_unit.Title(),
                "code": sub_unit.code,
                "plan": issued[0][1].absolute_url() if issued else None,
                "issued": issued[0][0].isoformat() if issued else None,
                "status": status,
                "flagged": status in ("late", "missing"),
            }
        )
    return {"deadline": due.isoformat(), "plan": plan.absolute_url(), "units": units}


def quarterly_of(context, year, today):
    """The quarterly introductions of a Unit's or a Plan's sub-units."""
    plans = plans_of(context)
    brains = introduced([m.UID() for m in _movements(plans)])
    return quarterly(unit_of(context), plans, brains, year, today)


def dashboard(context, year=None, today=None):
    today = today or datetime.date.today()
    year = year or today.year
    plans = plans_of(context)
    movements = _movements(plans)
    # UID() asks plone.app.multilingual's adapter each time: once per movement.
    uids = [m.UID() for m in movements]
    counts = kind_state_counts(uids)
    rows = [movement_counts(m, counts[uid][0], uid) for m, uid in zip(movements, uids, strict=True)]
    totals = {
        kind: {
            key: sum(row["kinds"][kind][key] for row in rows)
            for key in ("quota", "total", "achieved")
        }
        for kind in KINDS
    }
    states = sum((counts[uid][1] for uid in uids), Counter())
    return {
        "@id": f"{context.absolute_url()}/@dashboard",
        "movements": rows,
        "totals": {
            "kinds": totals,
            "states": dict(sorted(states.items())),
            "total": sum(states.values()),
        },
        "quarterly": quarterly(unit_of(context), plans, introduced(uids), year, today),
        "subplans": subplans(current_plan(plans, year), today),
        "off_track": off_track(
            _candidates(
                thidua_movement=uids,
                review_state=list(nurture.NURTURED),
                thidua_nurture_status="off_track",
            )
            if uids
            else []
        ),
        "replication": replication(context, today=today),
    }


def off_track(brains):
    """The selected and honoured models whose latest nurture check-in is off
    track (thidua.nurture), as the catalog finds them: only these few are loaded."""
    flagged = []
    for brain in brains:
        candidate = brain._unrestrictedGetObject()
        latest = nurture.latest_checkin(candidate)
        if latest and latest["status"] == "off_track":
            flagged.append(
                {
                    "@id": brain.getURL(),
                    "title": brain.Title,
                    "unit": unit_of(candidate).Title(),
                    "checkin": latest["date"].isoformat(),
                    "corrections": latest.get("corrections"),
                }
            )
    return flagged
