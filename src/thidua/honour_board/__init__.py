"""The honour board: the honoured candidates below a site, Unit, Plan or
Movement, newest honour first, filtered by the request's parameters.

Read from catalog metadata only: no object is loaded, and no personal data is
in the catalog. The ``@honour-board`` endpoint (services/honour_board) and the
Classic ``@@honour-board`` page (browser/honour_board.py) both show this listing.
"""

from BTrees.IIBTree import difference
from BTrees.IIBTree import IISet
from DateTime import DateTime
from plone import api
from plone.base.interfaces import IPloneSiteRoot
from plone.restapi.batching import HypermediaBatch
from Products.CMFCore.indexing import processQueue
from Products.CMFCore.utils import _getAuthenticatedUser
from Products.ZCTextIndex.ParseTree import ParseError
from thidua import _
from thidua.catalog import record_ids
from thidua.catalog.kept import Kept
from thidua.services import params
from thidua.vocabularies import KINDS
from thidua.vocabularies import registry_titles
from zope.i18n import translate
from ZTUtils.Lazy import LazyMap


HONOURED = "honoured"
# ``sort_on``: the newest honour first (default), or the widest reach first
# (index thidua_reach, see thidua.replication.reach.score), newest first among equals.
ORDERS = {
    "honoured_date": "thidua_honoured_date",
    "reach": ["thidua_reach", "thidua_honoured_date"],
}
# Filters after which the catalog sorts the board (see ``page``).
WALK_UNSUITED = {"thidua_year", "thidua_movement"}
SEARCH_SYNTAX = _(
    "SearchableText is words to search for; put brackets and the words AND, OR, NOT "
    "in double quotes."
)


def _term(token, titles):
    return None if not token else {"token": token, "title": titles.get(token, token)}


def _date(value):
    return value.strftime("%Y-%m-%d") if value is not None and hasattr(value, "strftime") else None


def _unit_uid(value):
    """A unit's UID, or the UID of the unit with that code."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(portal_type="Unit", unit_code=value) or catalog(portal_type="Unit", UID=value)
    return brains[0].UID if brains else "-"


def query(context, form):
    """The catalog query of the board below ``context``, filtered by ``form``;
    ``params.ParameterError`` names a filter that is not understood."""
    result = {
        "portal_type": "Candidate",
        "review_state": HONOURED,
        "sort_on": "thidua_honoured_date",
        "sort_order": "descending",
    }
    # The whole site needs no path: the path index's set of it is every record.
    if not IPloneSiteRoot.providedBy(context):
        result["path"] = "/".join(context.getPhysicalPath())
    order = params.choice(form, "sort_on", set(ORDERS)) or "honoured_date"
    result["sort_on"] = ORDERS[order]
    kind = params.choice(form, "kind", {term.value for term in KINDS})
    field = params.choice(form, "field", set(registry_titles("fields")))
    year = params.integer(form, "year", minimum=1945, maximum=2200)
    movement = params.text(form, "movement")
    unit = params.text(form, "unit")
    searchable = params.text(form, "SearchableText")
    for index, value in (
        ("thidua_kind", kind),
        ("thidua_field", field),
        ("thidua_year", year),
        ("thidua_movement", movement),
        ("thidua_unit", _unit_uid(unit) if unit else None),
        ("SearchableText", searchable),
    ):
        if value is not None:
            result[index] = value
    return result


def _reach(brain):
    value = getattr(brain, "thidua_reach", None)
    return value if isinstance(value, int) else 0


def item(brain, titles):
    url = brain.getURL()
    scales = getattr(brain, "image_scales", None) or {}
    return {
        "@id": url,
        "UID": brain.UID,
        "title": brain.Title,
        "description": brain.Description,
        "kind": _term(brain.thidua_kind, titles["kind"]),
        "organisation": brain.thidua_organisation,
        "field": _term(brain.thidua_field, titles["field"]),
        "movement": brain.movement_title,
        "unit": brain.unit_title,
        "year": brain.thidua_year,
        "honour_form": _term(brain.thidua_honour_form, titles["honour_form"]),
        "honoured_date": _date(brain.thidua_honoured_date),
        "image_url": f"{url}/@@images/image/preview" if scales.get("image") else None,
        "reach": _reach(brain),
    }


def page(catalog_query, start, size):
    """The brains of the board from ``start`` (``size`` of them) with the
    whole count: a pre-sliced sequence, as plone.batching reads it."""
    catalog = api.portal.get_tool("portal_catalog")
    if catalog_query["sort_on"] != ORDERS["honoured_date"]:
        # The catalog sorts only as far as the page asked for and returns that
        # page with the whole count: without the limit it sorts every match.
        return catalog(**catalog_query, b_start=start, b_size=size)
    unsorted = {k: v for k, v in catalog_query.items() if k not in ("sort_on", "sort_order")}
    found, count = matches(catalog, unsorted)
    # A year or a movement goes with the honour date: their matches sit in a
    # few old days, which the walk from the newest day reaches last.
    if not WALK_UNSUITED.intersection(catalog_query):
        walked = newest_first(catalog, found, count, start, size)
        if walked is not None:
            return walked
    return newest_sorted(catalog, found, start, size)


# The matches of recent board queries (see ``matches``): each a set of 4 bytes a match.
KEPT = Kept(32)


def matches(catalog, query):
    """(record ids as an IISet, how many of them have an honour date) of the
    unsorted ``query`` as the caller's catalog search finds it: the catalog
    adds the caller's roles and groups and, for whoever may not see inactive
    content, the effective-date range of now (left out when it would leave
    out nothing).

    The sets a board query intersects are as big as the board: at 100,000
    honoured candidates their intersections were most of a request. The result
    is kept between requests while the catalog is unchanged, as Plone's own
    caches use its counter (the sitemap, plone.app.caching's ETags): the key
    is the transaction that last changed the counter (an id no other state of
    the catalog shares), the query, the caller's roles and groups, and the
    minute, the effective-date index's precision. A transaction that changed
    the catalog itself neither reads nor keeps a result."""
    processQueue()
    full = dict(query)
    show_inactive = full.pop("show_inactive", None)
    if show_inactive is None:
        show_inactive = catalog.allow_inactive(full)
    user = _getAuthenticatedUser(catalog)
    full["allowedRolesAndUsers"] = catalog._listAllowedRolesAndUsers(user)
    minute = None
    if not show_inactive:
        now = DateTime()
        dates = catalog._catalog.getIndex("effectiveRange")
        minute = dates._convertDateTime(now)
        if _leaves_out(dates, minute):
            full["effectiveRange"] = now
        else:
            minute = None
    # The effective-date range is named by its minute, not its DateTime.
    key = (minute, repr(sorted(item for item in full.items() if item[0] != "effectiveRange")))
    return KEPT.get(catalog, key, lambda: _search(catalog, full))


def _leaves_out(dates, minute):
    """Whether the effective-date range of ``minute`` leaves any record out: a
    date of publication after it, or of expiry before it (DateRangeIndex's
    own reading). When none does, its union and intersection of sets as big as
    the catalog filter nothing: every Dexterity item is in the index."""
    later = any(since and since.maxKey() > minute for since in (dates._since_only, dates._since))
    return later or any(
        until and until.minKey() < minute for until in (dates._until_only, dates._until)
    )


def _search(catalog, full):
    found = IISet(record_ids(catalog.unrestrictedSearchResults(**full)))
    dated = catalog._catalog.getIndex(ORDERS["honoured_date"]).documentToKeyMap()
    return found, len(found) - len(difference(found, dated))


def newest_sorted(catalog, found, start, size):
    """The page of the record ids ``found`` newest honour first, sorted by the
    catalog as its search with ``sort_on`` and a batch does it."""
    records = catalog._catalog
    index = records.getIndex(ORDERS["honoured_date"])
    return records.sortResults(
        found, index, True, start + size, True, len(found), b_start=start, b_size=size
    )


def newest_first(catalog, found, count, start, size):
    """The page of the record ids ``found`` (``count`` of them with a date)
    newest honour first, as the catalog's sort gives it, or None when that
    sort is the cheaper.

    The catalog's sort with a limit reads the date of every match, in Python:
    a third of the board at 100,000 honoured candidates. Here the date index
    is walked from its newest day, and each of the day's candidates is looked
    up among the matches, until the page is full: a few days for the first
    pages. When the matches are a small part of the index (a narrow filter)
    the walk would pass over many candidates for each match: the catalog sorts
    instead, also when the walk passes over more candidates than there are
    matches. As in the catalog's sort, a match without a date is neither
    listed nor counted."""
    if not found:
        return None
    index = catalog._catalog.getIndex(ORDERS["honoured_date"])
    wanted = start + size
    if wanted * index.numObjects() > len(found) * len(found) // 4:
        return None
    listed, seen, steps = [], 0, 0
    days = index._index  # {day: record ids}, oldest first
    for key in reversed(days.keys()):
        day = days[key]
        for rid in (day,) if isinstance(day, int) else day:
            if rid in found:
                if seen >= start:
                    listed.append(rid)
                seen += 1
                if seen == wanted:
                    return _page(catalog, listed, count)
        steps += 1 if isinstance(day, int) else len(day)
        if steps > len(found):
            return None
    return _page(catalog, listed, count)


def _page(catalog, rids, count):
    # As the catalog returns a batch it was asked for: brains made as they are read.
    return LazyMap(catalog._catalog.__getitem__, rids, len(rids), actual_result_count=count)


def listing(context, request, language):
    """The batched board, titles of vocabulary terms in ``language``."""
    params.batch(request)
    catalog_query = query(context, request)
    start, size = int(request.form.get("b_start") or 0), int(request.form["b_size"])
    try:
        brains = page(catalog_query, start, size)
    except ParseError as problem:
        # ZCTextIndex's own query language: a lone bracket, AND, or no word at all.
        raise params.ParameterError("SearchableText", SEARCH_SYNTAX) from problem
    titles = {
        "kind": {t.value: translate(t.title, target_language=language) for t in KINDS},
        "field": registry_titles("fields", language),
        "honour_form": registry_titles("honour_forms", language),
    }
    batch = HypermediaBatch(request, brains)
    result = {
        "@id": batch.canonical_url,
        "items_total": batch.items_total,
        "items": [item(brain, titles) for brain in batch],
    }
    if batch.links:
        result["batching"] = batch.links
    return result
