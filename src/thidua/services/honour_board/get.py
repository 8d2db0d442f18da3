"""``@honour-board`` and ``?expand=honour-board``: the board of
thidua.honour_board in JSON."""

from plone.restapi.interfaces import IExpandableElement
from plone.restapi.services import Service
from thidua.honour_board import listing
from thidua.language import request_language
from thidua.services import params
from thidua.services.errors import error
from thidua.services.errors import error_body
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


@implementer(IExpandableElement)
@adapter(Interface, Interface)
class HonourBoard:
    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self, expand=False):
        url = f"{self.context.absolute_url()}/@honour-board"
        if not expand:
            return {"honour-board": {"@id": url}}
        language = request_language(self.request)
        return {"honour-board": listing(self.context, self.request, language)}


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
