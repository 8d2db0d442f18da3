"""``@honour-board`` and ``?expand=honour-board``: the board of
thidua.honour_board in JSON."""

from plone.restapi.services import Service
from thidua.honour_board import listing
from thidua.language import request_language
from thidua.services import params
from thidua.services.errors import error
from thidua.services.errors import error_body
from thidua.services.expandable import ExpandableElement
from zope.component import adapter
from zope.interface import Interface


@adapter(Interface, Interface)
class HonourBoard(ExpandableElement):
    name = "honour-board"

    def expanded(self):
        return listing(self.context, self.request, request_language(self.request))


class ExpandableHonourBoard(HonourBoard):
    """``?expand=honour-board`` on content: a bad filter must not break the content GET."""

    def __call__(self, expand=False):
        try:
            return super().__call__(expand)
        except params.ParameterError as problem:
            body = error_body(self.request, 400, problem.message, problem.field)
            return {self.name: {"@id": self.url, **body}}


class HonourBoardGet(Service):
    def reply(self):
        # The titles follow Accept-Language: a shared cache must keep one copy per
        # language, beside what the CORS policy already varies on (Origin).
        response = self.request.response
        vary = [v.strip() for v in (response.getHeader("Vary") or "").split(",") if v.strip()]
        extra = [name for name in ("Accept", "Accept-Language") if name not in vary]
        response.setHeader("Vary", ", ".join(vary + extra))
        try:
            return listing(self.context, self.request, request_language(self.request))
        except params.ParameterError as problem:
            return error(self.request, 400, problem.message, problem.field)
