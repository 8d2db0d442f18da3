"""The reach of a model (sức lan tỏa): what its activities and adoptions add up
to, read from the catalog only (no object is loaded, no personal data is in
the catalog).

- ``activities(candidate, public_only)``: the activities and adoptions naming
  the model, newest first, as the reader may see them (``public_only`` keeps the
  published ones only, whoever asks);
- ``reach(candidate, public_only)``: activities per kind, participants, the
  units that adopted the model (distinct), the units that took part (the
  organising units and those named as taking part) and the levels of those
  units;
- ``score(uid)``: the number the honour board sorts on (index ``thidua_reach``):
  the model's public activities plus the distinct units that adopted it
  publicly. Both count: an activity spreads the model, an adoption shows it
  took root somewhere else.
"""

from plone import api
from Products.ZCatalog.query import IndexQuery
from Products.ZCatalog.ZCatalog import ZCatalog
from thidua import _
from thidua.replication.content import ADOPTION
from thidua.vocabularies import ACTIVITY_KINDS
from thidua.vocabularies import registry_titles
from zope.i18n import translate


PUBLISHED = "published"
REACH_INDEX = "thidua_reach"


def _catalog():
    return api.portal.get_tool("portal_catalog")


def _brains(uid, public_only, indexing=False):
    query = {"thidua_models": uid, "portal_type": ["Activity", "Adoption"]}
    if public_only:
        query["review_state"] = PUBLISHED
    query["sort_on"] = "thidua_activity_date"
    query["sort_order"] = "descending"
    catalog = _catalog()
    if indexing:
        # Called while a candidate is being catalogued: ZCatalog's own search,
        # unrestricted, which does not process Plone's indexing queue (doing
        # so would catalogue objects inside a catalogue operation).
        return ZCatalog.searchResults(catalog, query)
    return catalog(**query)


def score(uid):
    """Public activities plus distinct units that adopted the model publicly."""
    # Asked at every reindex of every candidate (metadata): most name nothing,
    # which the models index says without a search.
    index = _catalog()._catalog.getIndex("thidua_models")
    if not index.query_index(IndexQuery({"thidua_models": uid}, "thidua_models")):
        return 0
    brains = _brains(uid, public_only=True, indexing=True)
    activities = sum(1 for brain in brains if brain.portal_type == "Activity")
    adopters = {brain.thidua_unit for brain in brains if brain.portal_type == "Adoption"}
    return activities + len(adopters - {None})


def _count(value):
    return value if isinstance(value, int) and value > 0 else 0


def _units(uids):
    """Catalog entries of the units with these UIDs the reader may see, by UID."""
    if not uids:
        return {}
    brains = _catalog()(portal_type="Unit", UID=sorted(uids))
    return {brain.UID: brain for brain in brains}


def _unit_entry(brain, levels):
    level = getattr(brain, "thidua_level", None)
    level = level if isinstance(level, str) else None
    return {
        "@id": brain.getURL(),
        "title": brain.Title,
        "level": None if not level else {"token": level, "title": levels.get(level, level)},
    }


def activity_entry(brain, kinds):
    """One activity or adoption as pages and the API list it."""
    kind = brain.thidua_activity_kind
    return {
        "@id": brain.getURL(),
        "UID": brain.UID,
        "type": brain.portal_type,
        "title": brain.Title,
        "kind": {"token": kind, "title": kinds.get(kind, kind)} if kind else None,
        "date": brain.thidua_activity_date,
        "unit": brain.unit_title,
        "participants": _count(brain.thidua_participants),
        "outlet": _text(getattr(brain, "thidua_outlet", None)),
        "link": _text(getattr(brain, "thidua_link", None)),
        "review_state": brain.review_state,
        "public": brain.review_state == PUBLISHED,
    }


def _text(value):
    return value if isinstance(value, str) and value else None


def kind_titles(language):
    titles = {t.value: translate(t.title, target_language=language) for t in ACTIVITY_KINDS}
    titles[ADOPTION] = translate(_("Adopted the model"), target_language=language)
    return titles


def activities(candidate, public_only, language):
    kinds = kind_titles(language)
    return [activity_entry(brain, kinds) for brain in _brains(candidate.UID(), public_only)]


def reach(candidate, public_only=True, language=None):
    """The figures of ``candidate``'s reach, as the current user may see them."""
    brains = _brains(candidate.UID(), public_only)
    per_kind = {term.value: 0 for term in ACTIVITY_KINDS}
    participants = 0
    adopting = set()
    taking_part = set()
    for brain in brains:
        participants += _count(brain.thidua_participants)
        if brain.portal_type == "Adoption":
            if brain.thidua_unit:
                adopting.add(brain.thidua_unit)
            continue
        kind = brain.thidua_activity_kind
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if brain.thidua_unit:
            taking_part.add(brain.thidua_unit)
        taking_part.update(getattr(brain, "thidua_participating_units", None) or ())
    units = _units(adopting | taking_part)
    levels_titles = registry_titles("unit_levels", language)
    reached = {}
    for uid in adopting | taking_part:
        level = getattr(units.get(uid), "thidua_level", None)
        if isinstance(level, str) and level:
            reached[level] = reached.get(level, 0) + 1
    level_order = list(levels_titles)

    def by_title(uids):
        entries = [_unit_entry(units[uid], levels_titles) for uid in uids if uid in units]
        return sorted(entries, key=lambda entry: entry["title"])

    return {
        "activities": per_kind,
        "activities_total": sum(per_kind.values()),
        "participants": participants,
        "adopting_units_total": len(adopting),
        "adopting_units": by_title(adopting),
        "participating_units_total": len(taking_part),
        "participating_units": by_title(taking_part),
        "levels": [
            {"token": level, "title": levels_titles.get(level, level), "units": count}
            for level, count in sorted(
                reached.items(),
                key=lambda item: (
                    level_order.index(item[0]) if item[0] in level_order else len(level_order)
                ),
            )
        ],
    }
