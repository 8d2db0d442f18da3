from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from thidua import _
from thidua import nurture
from thidua.services import params
from thidua.services.errors import error
from zExceptions import Unauthorized
from zope.interface import alsoProvides


class NurtureGet(Service):
    def reply(self):
        if api.user.is_anonymous():
            raise Unauthorized("Log in to read a nurture plan.")
        if not nurture.may_view(self.context):
            return error(
                self.request, 403, _("Only the staff of the unit and its council read this plan.")
            )
        return nurture.plan(self.context)


class NurturePost(Service):
    """``{"type": "goal" | "task" | "support" | "checkin", ...its fields}``."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if api.user.is_anonymous():
            raise Unauthorized("Log in to update a nurture plan.")
        if not nurture.may_edit(self.context):
            return error(
                self.request,
                403,
                _("Only the unit's officer and the council's secretary update this plan."),
            )
        try:
            data = params.json_object(self.request)
            entry = nurture.add(self.context, data.get("type"), data)
        except params.ParameterError as problem:
            return error(self.request, problem.status, problem.message, problem.field)
        except nurture.NurtureError as problem:
            return error(self.request, problem.status, problem.message, problem.field)
        self.request.response.setStatus(201)
        return {**nurture.plan(self.context), "added": nurture.as_json(entry)}
