"""Reach in the numbers (issue 15, item 4): below a Unit, a Plan or a
Movement, per movement and per unit, the models nurtured, their check-ins on
time or late, the replication activities by kind, their participants, and the
adopting units.

What is counted: the models are the candidates below the context; an activity
or adoption counts when it names one of them, wherever it was organised. Each
figure is attributed to a unit: a model to the unit that put it forward (the
sub-unit that introduced it upward, else the unit it lives in), an activity to
the unit that organised it, an adoption to the adopting unit; the unit rows are
the context's unit and its direct sub-units (deeper units counted in theirs),
and one row (``UID`` null) for units outside it. The movement rows are the
movements of the context's plans, as ``@dashboard`` lists them: an activity
naming models of two movements counts in both rows, once in the totals.

Cost: nothing is loaded. The ``thidua_models`` keyword index gives, for each
model, the record ids of what names it; the models named are found with one
catalog query (UID and path), and each activity's kind, participants and unit
are read from its catalog record; a model's check-ins from its record's
``thidua_nurture_punctuality`` and ``thidua_next_checkin`` (thidua.nurture
keeps them current; the plan's text is indexed nowhere). Internal activities
count too: these figures are for the staff, and name nobody.
"""

from BTrees.IIBTree import multiunion
from plone import api
from Products.CMFCore.indexing import processQueue
from Products.ZCatalog.query import IndexQuery
from thidua import nurture
from thidua.content.movement import IMovement
from thidua.content.unit import IUnit
from thidua.content.unit import unit_of
from thidua.replication.content import ADOPTION
from thidua.vocabularies import ACTIVITY_KINDS

import datetime


KINDS = tuple(term.value for term in ACTIVITY_KINDS)
CHECKINS = ("on_time", "late", "overdue")
OTHER = None  # the key of the row of units outside the context's unit


def _path(obj):
    return "/".join(obj.getPhysicalPath())


class Counts:
    """The figures of one row; ``as_json`` answers them."""

    def __init__(self):
        self.nurtured = 0
        self.checkins = dict.fromkeys(CHECKINS, 0)
        self.activities = dict.fromkeys(KINDS, 0)
        self.participants = 0
        self.adoptions = 0
        self.adopting_units = set()

    def add_model(self, on_time, late, overdue):
        self.nurtured += 1
        self.checkins["on_time"] += on_time
        self.checkins["late"] += late
        self.checkins["overdue"] += overdue

    def add_record(self, record):
        self.participants += record["participants"]
        if record["kind"] == ADOPTION:
            self.adoptions += 1
            if record["unit"]:
                self.adopting_units.add(record["unit"])
        elif record["kind"] in self.activities:
            self.activities[record["kind"]] += 1

    def as_json(self):
        return {
            "nurtured": self.nurtured,
            "checkins": dict(self.checkins),
            "activities": dict(self.activities),
            "activities_total": sum(self.activities.values()),
            "participants": self.participants,
            "adoptions": self.adoptions,
            "adopting_units": len(self.adopting_units),
        }


def checkin_counts(brain, today):
    """(on time, late, overdue) of a model's check-ins from its catalog record
    (thidua.nurture.punctuality), or None when its plan is empty. ``overdue``
    is 1 while the next check-in is due and not held."""
    punctuality = brain.thidua_nurture_punctuality
    if punctuality is None:
        return None
    next_day = brain.thidua_next_checkin
    overdue = 1 if next_day is not None and next_day < today else 0
    return (*punctuality, overdue)


def _records(model_uids):
    """{model uid: record ids of the activities and adoptions naming it}, from
    the keyword index (its query API, as the catalog asks it)."""
    index = api.portal.get_tool("portal_catalog")._catalog.getIndex("thidua_models")
    found = {}
    for uid in model_uids:
        ids = index.query_index(IndexQuery({"thidua_models": uid}, "thidua_models"))
        if ids:
            found[uid] = ids
    return found


def _metadata(catalog, rid):
    data = catalog.getMetadataForRID(rid)
    return {
        "kind": data.get("thidua_activity_kind"),
        "participants": data.get("thidua_participants") or 0,
        "unit": data.get("thidua_unit"),
    }


def _movements(context):
    if IMovement.providedBy(context):
        return [context]
    from thidua.dashboard import _movements
    from thidua.dashboard import plans_of

    return _movements(plans_of(context))


class Rows:
    """The unit rows: a unit UID is rolled up into the context unit's own row
    or its direct sub-unit's, by the units' paths (one catalog query)."""

    def __init__(self, context):
        self.unit = unit_of(context)
        self.subs = (
            [item for item in self.unit.objectValues() if IUnit.providedBy(item)]
            if self.unit is not None
            else []
        )
        self.counts = {unit.UID(): Counts() for unit in [self.unit, *self.subs] if unit}
        self.counts[OTHER] = Counts()
        self.paths = {}

    def resolve(self, uids):
        """Learn the paths of these units (those not known yet)."""
        wanted = [uid for uid in set(uids) if uid and uid not in self.paths]
        if not wanted:
            return
        catalog = api.portal.get_tool("portal_catalog")
        for brain in catalog.unrestrictedSearchResults(portal_type="Unit", UID=wanted):
            self.paths[brain.UID] = brain.getPath()

    def row(self, unit_uid):
        """The Counts of the row where ``unit_uid`` is counted."""
        if unit_uid in self.counts:
            return self.counts[unit_uid]
        path = self.paths.get(unit_uid)
        if path is None or self.unit is None:
            return self.counts[OTHER]
        for sub in self.subs:
            sub_path = _path(sub)
            if path == sub_path or path.startswith(sub_path + "/"):
                return self.counts[sub.UID()]
        unit_path = _path(self.unit)
        if path.startswith(unit_path + "/"):
            return self.counts[self.unit.UID()]
        return self.counts[OTHER]

    def as_json(self):
        rows = []
        for unit in [self.unit, *self.subs]:
            if unit is not None:
                rows.append(
                    {
                        "@id": unit.absolute_url(),
                        "UID": unit.UID(),
                        "title": unit.Title(),
                        **self.counts[unit.UID()].as_json(),
                    }
                )
        other = self.counts[OTHER].as_json()
        if other["nurtured"] or other["activities_total"] or other["adoptions"]:
            rows.append({"@id": None, "UID": None, "title": None, **other})
        return rows


def cells(figures):
    """The figures of one row as the tables show them: nurtured, check-ins on
    time, late, overdue, one column per kind of activity, participants,
    adoptions, adopting units."""
    return [
        figures["nurtured"],
        figures["checkins"]["on_time"],
        figures["checkins"]["late"],
        figures["checkins"]["overdue"],
        *(figures["activities"].get(kind, 0) for kind in KINDS),
        figures["participants"],
        figures["adoptions"],
        figures["adopting_units"],
    ]


def counted(figures):
    """Whether anything was counted at all."""
    return any(cells(figures["totals"]))


def replication(context, today=None):
    """The figures below a Unit, a Plan or a Movement (see the module)."""
    today = today or datetime.date.today()
    processQueue()
    catalog = api.portal.get_tool("portal_catalog")
    scope = _path(context)
    movements = _movements(context)
    uids = [movement.UID() for movement in movements]
    by_movement = {uid: Counts() for uid in uids}
    rows = Rows(context)
    totals = Counts()

    def owner(brain):
        return brain.thidua_introduced_by or brain.thidua_unit

    # Models nurtured: the selected and honoured with a plan (their catalog
    # records; the index keeps the many models without a plan unread).
    nurtured = list(nurture.nurtured_brains(planned=True, path=scope))
    rows.resolve(owner(brain) for brain in nurtured)
    for brain in nurtured:
        figures = checkin_counts(brain, today)
        if figures is None:
            continue
        for counts in (totals, rows.row(owner(brain)), by_movement.get(brain.thidua_movement)):
            if counts is not None:
                counts.add_model(*figures)

    # Activities and adoptions naming the models below the context.
    index = catalog._catalog.getIndex("thidua_models")
    named = list(index.uniqueValues())
    models = (
        catalog.unrestrictedSearchResults(portal_type="Candidate", UID=named, path=scope)
        if named
        else []
    )
    records = _records([brain.UID for brain in models])
    movement_of = {brain.UID: brain.thidua_movement for brain in models}
    metadata = {}
    for rid in multiunion(list(records.values())) if records else ():
        metadata[rid] = _metadata(catalog._catalog, rid)
    rows.resolve(record["unit"] for record in metadata.values())
    for record in metadata.values():
        totals.add_record(record)
        rows.row(record["unit"]).add_record(record)
    for movement_uid, counts in by_movement.items():
        rids = [records[uid] for uid, of in movement_of.items() if of == movement_uid]
        for rid in multiunion(rids) if rids else ():
            counts.add_record(metadata[rid])

    return {
        "kinds": list(KINDS),
        "movements": [
            {
                "@id": movement.absolute_url(),
                "UID": uid,
                "title": movement.Title(),
                **by_movement[uid].as_json(),
            }
            for movement, uid in zip(movements, uids, strict=True)
        ],
        "units": rows.as_json(),
        "totals": totals.as_json(),
    }
