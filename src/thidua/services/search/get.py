"""plone.restapi's ``@search`` with its parameters checked before it runs.

plone.restapi parses the query while it searches and lets what the catalog or
its own parsers raise through, as 500s: a SearchableText with no word the
index knows (an emoji), ``b_size=-5``, a date that is not one. Here each is a
400 naming the parameter; a query that passes is plone.restapi's own search."""

from DateTime.interfaces import DateTimeError
from plone.restapi.exceptions import QueryParsingError
from plone.restapi.interfaces import IZCatalogCompatibleQuery
from plone.restapi.search.utils import unflatten_dotted_dict
from plone.restapi.services.search import get
from Products.CMFCore.utils import getToolByName
from Products.ZCTextIndex.ParseTree import ParseError
from Products.ZCTextIndex.QueryParser import QueryParser
from Products.ZCTextIndex.ZCTextIndex import ZCTextIndex
from thidua import _
from thidua.services import params
from thidua.services.errors import error
from zope.component import getMultiAdapter


MAX_BATCH_SIZE = 10**6


class SearchGet(get.SearchGet):
    def reply(self):
        try:
            params.integer(self.request, "b_start", minimum=0, maximum=10**9)
            params.integer(self.request, "b_size", minimum=1, maximum=MAX_BATCH_SIZE)
            check_query(self.context, self.request)
        except params.ParameterError as problem:
            return error(self.request, problem.status, problem.message, problem.field)
        return super().reply()


def check_query(context, request):
    """Parse each index's part of the query as plone.restapi and the catalog
    will; ParameterError naming the first that cannot be."""
    query = unflatten_dotted_dict(request.form.copy())
    parser = getMultiAdapter((context, request), IZCatalogCompatibleQuery)
    catalog = getToolByName(context, "portal_catalog")
    indexes = {index.getId(): index for index in catalog.getIndexObjects()}
    for name, value in query.items():
        try:
            parsed = parser({name: value})[name]
        except (QueryParsingError, DateTimeError, ValueError, TypeError):
            raise params.ParameterError(
                name, _("${name} is not a query this index understands.", mapping={"name": name})
            ) from None
        if isinstance(indexes.get(name), ZCTextIndex):
            check_words(indexes[name], name, parsed)


def check_words(index, name, parsed):
    """The ZCTextIndex's own parse of the text, as plone.restapi cleans it."""
    text = parsed.get("query") if isinstance(parsed, dict) else parsed
    if not isinstance(text, str):
        raise params.ParameterError(
            name, _("${name} is given once, as text.", mapping={"name": name})
        )
    # as plone.restapi's SearchHandler.quote_chars
    text = text.replace("(", " ").replace(")", " ").strip()
    if not text or text == "*":
        return  # plone.restapi answers no result
    try:
        QueryParser(index.getLexicon()).parseQuery(text)
    except ParseError:
        raise params.ParameterError(
            name,
            _(
                "${name} has no word to search for, or uses AND, OR or NOT without one.",
                mapping={"name": name},
            ),
        ) from None
