from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from thidua import _
from thidua import permissions
from thidua.introduce import introduce
from thidua.introduce import IntroduceError
from thidua.services import params
from thidua.services.errors import error
from zExceptions import Unauthorized
from zope.interface import alsoProvides


class IntroducePost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if api.user.is_anonymous():
            raise Unauthorized("Log in to introduce a candidate.")
        if not api.user.has_permission(permissions.IntroduceCandidate, obj=self.context):
            return error(
                self.request, 403, _("Only the council's secretary introduces a candidate upward.")
            )
        try:
            data = params.json_object(self.request)
        except params.ParameterError as problem:
            return error(self.request, problem.status, problem.message, problem.field)
        try:
            copy = introduce(self.context, data.get("target"))
        except IntroduceError as problem:
            return error(self.request, problem.status, problem.message, problem.field)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", copy.absolute_url())
        return {"@id": copy.absolute_url(), "UID": api.content.get_uuid(copy)}
