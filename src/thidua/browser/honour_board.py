"""``@@honour-board``: the public gallery of the honoured models below a site,
Unit, Plan or Movement: the listing of thidua.honour_board, as the
``@honour-board`` endpoint gives it."""

from datetime import date
from Products.Five.browser import BrowserView
from thidua.honour_board import listing
from thidua.language import request_language
from thidua.services import params
from thidua.vocabularies import KINDS
from zope.i18n import translate


class HonourBoardView(BrowserView):
    error = None

    def __call__(self):
        try:
            self.board = listing(self.context, self.request, request_language(self.request))
        except params.ParameterError as problem:
            self.request.response.setStatus(400)
            self.error = translate(problem.message, context=self.request)
            self.board = {"items": [], "items_total": 0}
        return self.index()

    def kinds(self):
        return [(term.value, term.title) for term in KINDS]

    def day(self, iso_date):
        """The listing's ISO date as pages show dates: dd/mm/yyyy."""
        return date.fromisoformat(iso_date[:10]).strftime("%d/%m/%Y") if iso_date else ""

    def selected(self, name):
        return self.request.form.get(name) or ""
