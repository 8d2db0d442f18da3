"""``@deadlines`` on a Unit or a Plan: what falls due, in working days (thidua.deadlines)."""

from plone.restapi.services import Service
from thidua.deadlines import deadlines
from thidua.deadlines import DEFAULT_WITHIN
from thidua.language import request_language
from thidua.services import params
from thidua.services.errors import error


class DeadlinesGet(Service):
    def reply(self):
        try:
            within = params.integer(
                self.request, "within", minimum=0, maximum=250, default=DEFAULT_WITHIN
            )
        except params.ParameterError as problem:
            return error(self.request, 400, problem.message, problem.field)
        return deadlines(self.context, within=within, language=request_language(self.request))
