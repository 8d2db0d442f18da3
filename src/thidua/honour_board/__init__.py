"""The honour board: the honoured candidates below a site, Unit, Plan or
Movement, newest honour first, filtered by the request's parameters.

Read from catalog metadata only: no object is loaded, and no personal data is
in the catalog. The ``@honour-board`` endpoint (services/honour_board) and the
Classic ``@@honour-board`` page (browser/honour_board.py) both show this listing.
"""

from plone import api
from plone.restapi.batching import HypermediaBatch
from Products.ZCTextIndex.ParseTree import ParseError
from thidua import _
from thidua.services import params
from thidua.vocabularies import KINDS
from thidua.vocabularies import registry_titles
from zope.i18n import translate


HONOURED = "honoured"
# ``sort_on``: the newest honour first (default), or the widest reach first
# (index thidua_reach, see thidua.replication.reach.score), newest first among equals.
ORDERS = {
    "honoured_date": "thidua_honoured_date",
    "reach": ["thidua_reach", "thidua_honoured_date"],
}
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
        "path": "/".join(context.getPhysicalPath()),
        "sort_on": "thidua_honoured_date",
        "sort_order": "descending",
    }
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


def listing(context, request, language):
    """The batched board, titles of vocabulary terms in ``language``."""
    params.batch(request)
    catalog_query = query(context, request)
    # The catalog sorts only as far as the page asked for and returns that page
    # with the whole count (plone.batching reads it as a pre-sliced sequence):
    # without it every request sorts every honoured candidate.
    catalog_query["b_start"] = int(request.form.get("b_start") or 0)
    catalog_query["b_size"] = int(request.form["b_size"])
    try:
        brains = api.portal.get_tool("portal_catalog")(**catalog_query)
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
