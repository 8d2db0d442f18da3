"""Nurturing a selected or honoured model (bồi dưỡng điển hình, seed 001
III.3): its goals with target dates, its tasks with who carries them, the
material and moral support given, and the periodic check-ins that correct
course (on track, at risk, off track) and set the next one.

The plan lives in the candidate's annotations, so the candidate's own
security applies (staff of its unit and council: ``thidua: View dashboard``
to read, ``thidua: Edit nurture plan`` to add). Its text is never indexed,
so nothing of it reaches SearchableText; the catalog knows only the dates and
status of the latest check-in and whether a plan exists (``INDEXES``), so that the worklist,
``@deadlines`` and the dashboard find the models to follow up without
loading every candidate.
"""

from datetime import date
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from thidua import _
from thidua import permissions
from thidua.content import limits
from thidua.refusal import Refused
from thidua.workdays import working_days_between
from zope.annotation.interfaces import IAnnotations

import uuid


KEY = "thidua.nurture"
NURTURED = ("selected", "honoured")
SECTIONS = {"goal": "goals", "task": "tasks", "support": "support", "checkin": "checkins"}
SUPPORT_KINDS = ("material", "moral")
STATUSES = ("on_track", "at_risk", "off_track")
STATUS_TITLES = {
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "off_track": _("Off track"),
}
SUPPORT_TITLES = {"material": _("Material"), "moral": _("Moral")}
# What the catalog knows of a plan (thidua.catalog), kept current by ``add``:
# these indexes, and the metadata of the latest check-in and of the check-ins'
# punctuality (``punctuality``), refreshed with them.
INDEXES = ("thidua_next_checkin", "thidua_nurture_status", "thidua_nurture_plan")


class NurtureError(Refused):
    def __init__(self, field, message, status=400):
        super().__init__(status, message, field)


def may_view(candidate):
    return api.user.has_permission(permissions.ViewDashboard, obj=candidate)


def may_edit(candidate):
    return api.user.has_permission(permissions.EditNurturePlan, obj=candidate)


def is_nurtured(candidate):
    return api.content.get_state(candidate, default=None) in NURTURED


def _stored(candidate, create=False):
    annotations = IAnnotations(candidate)
    stored = annotations.get(KEY)
    if stored is None and create:
        stored = annotations[KEY] = PersistentMapping(
            {section: PersistentList() for section in SECTIONS.values()}
        )
    return stored


def _entries(candidate, section):
    stored = _stored(candidate)
    return list(stored.get(section, ())) if stored is not None else []


def has_plan(candidate):
    """Whether anything was written in the model's nurture plan."""
    stored = _stored(candidate)
    return stored is not None and any(len(entries) for entries in stored.values())


def checkins(candidate):
    """The check-ins, oldest first."""
    return sorted(_entries(candidate, "checkins"), key=lambda c: (c["date"], c["added"]))


def punctuality(candidate):
    """(on time, late) of a model's check-ins, or None when its plan is empty:
    a check-in is on time when it came by the day the one before it set (its
    ``next_date``), late after it; the first, and one after a check-in that
    set no day, is on time."""
    if not has_plan(candidate):
        return None
    on_time = late = 0
    due = None
    for checkin in checkins(candidate):
        if due is not None and checkin["date"] > due:
            late += 1
        else:
            on_time += 1
        due = checkin.get("next_date")
    return on_time, late


def latest_checkin(candidate):
    """The check-in of the latest date, or None."""
    checkins = _entries(candidate, "checkins")
    return max(checkins, key=lambda c: (c["date"], c["added"])) if checkins else None


def next_checkin(candidate):
    """The day the next check-in is due (the latest one's ``next_date``), or None."""
    latest = latest_checkin(candidate)
    return latest.get("next_date") if latest else None


def overdue_days(candidate, today=None):
    """Working days since the next check-in fell due (0 when not overdue)."""
    due = next_checkin(candidate)
    today = today or date.today()
    if not is_nurtured(candidate) or due is None or due >= today:
        return 0
    return working_days_between(due, today)


def is_off_track(candidate):
    latest = latest_checkin(candidate)
    return bool(latest) and latest["status"] == "off_track"


# Reading input ------------------------------------------------------------


def _text(data, name, max_length, required=True):
    try:
        value = limits.check_text(data.get(name), name, max_length)
    except limits.TextRefused as problem:
        raise NurtureError(problem.field, problem.message) from None
    if required and value is None:
        raise NurtureError(name, _("${field} is required.", mapping={"field": name}))
    return value


def _day(data, name, required=True):
    value = data.get(name)
    if value in (None, "") and not required:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise NurtureError(
            name,
            _("${field} is a date written YYYY-MM-DD.", mapping={"field": name}),
        ) from None


def _choice(data, name, choices):
    value = data.get(name)
    if value not in choices:
        raise NurtureError(
            name,
            _(
                "${name} is one of: ${allowed}.",
                mapping={"name": name, "allowed": ", ".join(choices)},
            ),
        )
    return value


def _read(kind, data):
    if kind == "goal":
        return {
            "title": _text(data, "title", limits.LINE),
            "target_date": _day(data, "target_date"),
        }
    if kind == "task":
        return {
            "title": _text(data, "title", limits.LINE),
            "responsible": _text(data, "responsible", limits.LINE),
            "due": _day(data, "due", required=False),
        }
    if kind == "support":
        return {
            "kind": _choice(data, "kind", SUPPORT_KINDS),
            "description": _text(data, "description", limits.COMMENT),
            "date": _day(data, "date", required=False),
        }
    entry = {
        "date": _day(data, "date"),
        "by": _text(data, "by", limits.LINE),
        "findings": _text(data, "findings", limits.COMMENT),
        "corrections": _text(data, "corrections", limits.COMMENT, required=False),
        "status": _choice(data, "status", STATUSES),
        "next_date": _day(data, "next_date", required=False),
    }
    if entry["next_date"] is not None and entry["next_date"] <= entry["date"]:
        raise NurtureError("next_date", _("The next check-in comes after the check-in's date."))
    return entry


def add(candidate, kind, data):
    """Add a goal, task, support or check-in from ``data`` (a dict); returns it.
    NurtureError naming the field when the input is bad, or the candidate is
    not (yet) a model to nurture."""
    if not isinstance(kind, str) or kind not in SECTIONS:
        raise NurtureError(
            "type",
            _(
                "${name} is one of: ${allowed}.",
                mapping={"name": "type", "allowed": ", ".join(SECTIONS)},
            ),
        )
    if not is_nurtured(candidate):
        raise NurtureError(
            None, _("Only a selected or honoured model has a nurture plan."), status=409
        )
    entry = _read(kind, data)
    entry.update(
        {
            "id": uuid.uuid4().hex[:12],
            "added": date.today(),
            "added_by": api.user.get_current().getId(),
        }
    )
    _stored(candidate, create=True)[SECTIONS[kind]].append(PersistentMapping(entry))
    candidate.reindexObject(idxs=list(INDEXES))
    return entry


# Answers ------------------------------------------------------------------


def as_json(entry):
    return {
        key: value.isoformat() if isinstance(value, date) else value for key, value in entry.items()
    }


def plan(candidate, today=None):
    """The plan as JSON (ISO dates)."""
    next_day = next_checkin(candidate)
    latest = latest_checkin(candidate)
    return {
        "@id": f"{candidate.absolute_url()}/@nurture",
        "nurtured": is_nurtured(candidate),
        "editable": is_nurtured(candidate) and may_edit(candidate),
        **{
            section: [as_json(e) for e in _entries(candidate, section)]
            for section in SECTIONS.values()
        },
        "status": latest["status"] if latest else None,
        "next_checkin": next_day.isoformat() if next_day else None,
        "overdue_working_days": overdue_days(candidate, today),
    }


def nurtured_brains(planned=False, **query):
    """Catalog brains of the selected and honoured candidates, whoever asks;
    ``due_by`` (a date) keeps those whose next check-in falls on or before it,
    ``planned`` those whose plan has anything written."""
    if planned:
        query["thidua_nurture_plan"] = True
    due_by = query.pop("due_by", None)
    if due_by is not None:
        query["thidua_next_checkin"] = {"query": due_by, "range": "max"}
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(
        portal_type="Candidate", review_state=NURTURED, **query
    )
