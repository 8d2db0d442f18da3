"""``@@honour-board``: the public gallery of the honoured models below a site,
Unit, Plan or Movement; the same listing as the ``@honour-board`` endpoint."""

from plone import api
from Products.Five.browser import BrowserView
from thidua.services import params
from thidua.services.honour_board.get import HonourBoard
from thidua.vocabularies import KINDS
from zope.i18n import translate


class HonourBoardView(BrowserView):
    error = None

    def __call__(self):
        language = api.portal.get_current_language() or "vi"
        try:
            self.board = HonourBoard(self.context, self.request).listing(language)
        except params.ParameterError as problem:
            self.request.response.setStatus(400)
            self.error = translate(problem.message, context=self.request)
            self.board = {"items": [], "items_total": 0}
        return self.index()

    def kinds(self):
        return [(term.value, term.title) for term in KINDS]

    def selected(self, name):
        return self.request.form.get(name) or ""
