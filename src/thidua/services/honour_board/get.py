from plone import api
from plone.restapi.batching import HypermediaBatch
from plone.restapi.interfaces import IExpandableElement
from plone.restapi.services import Service
from Products.ZCTextIndex.ParseTree import ParseError
from thidua import _
from thidua.services import params
from thidua.services.errors import error
from thidua.services.errors import error_body
from thidua.services.errors import request_language
from thidua.vocabularies import KINDS
from thidua.vocabularies import registry_titles
from zope.component import adapter
from zope.i18n import translate
from zope.interface import implementer
from zope.interface import Interface


HONOURED = "honoured"
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


@implementer(IExpandableElement)
@adapter(Interface, Interface)
class HonourBoard:
    """The honoured candidates below the context, newest honour first, read
    from catalog metadata only: no object is loaded, no personal data is there."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def query(self):
        query = {
            "portal_type": "Candidate",
            "review_state": HONOURED,
            "path": "/".join(self.context.getPhysicalPath()),
            "sort_on": "thidua_honoured_date",
            "sort_order": "descending",
        }
        form = self.request
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
                query[index] = value
        return query

    def item(self, brain, titles):
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
        }

    def __call__(self, expand=False):
        url = f"{self.context.absolute_url()}/@honour-board"
        if not expand:
            return {"honour-board": {"@id": url}}
        return {"honour-board": self.listing(request_language(self.request))}

    def listing(self, language):
        """The batched board, titles of vocabulary terms in ``language``."""
        params.batch(self.request)
        try:
            brains = api.portal.get_tool("portal_catalog")(**self.query())
        except ParseError as problem:
            # ZCTextIndex's own query language: a lone bracket, AND, or no word at all.
            raise params.ParameterError("SearchableText", SEARCH_SYNTAX) from problem
        titles = {
            "kind": {t.value: translate(t.title, target_language=language) for t in KINDS},
            "field": registry_titles("fields", language),
            "honour_form": registry_titles("honour_forms", language),
        }
        batch = HypermediaBatch(self.request, brains)
        result = {
            "@id": batch.canonical_url,
            "items_total": batch.items_total,
            "items": [self.item(brain, titles) for brain in batch],
        }
        if batch.links:
            result["batching"] = batch.links
        return result


class ExpandableHonourBoard(HonourBoard):
    """``?expand=honour-board`` on content: a bad filter must not break the content GET."""

    def __call__(self, expand=False):
        try:
            return super().__call__(expand)
        except params.ParameterError as problem:
            body = error_body(self.request, 400, problem.message, problem.field)
            return {"honour-board": {"@id": f"{self.context.absolute_url()}/@honour-board", **body}}


class HonourBoardGet(Service):
    def reply(self):
        try:
            return HonourBoard(self.context, self.request)(expand=True)["honour-board"]
        except params.ParameterError as problem:
            return error(self.request, 400, problem.message, problem.field)
