from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from thidua import _
from thidua import ballot
from thidua import permissions
from thidua.services import params
from thidua.services.errors import error
from zExceptions import Unauthorized
from zope.interface import alsoProvides


class VotesPost(Service):
    """Cast a vote, recuse, or (the secretary) record a paper ballot's tally."""

    def reply(self):
        # A JSON API authenticated per request, as plone.restapi's own POSTs.
        alsoProvides(self.request, IDisableCSRFProtection)
        if api.user.is_anonymous():
            raise Unauthorized("Log in to vote.")
        try:
            data = params.json_object(self.request)
        except params.ParameterError as problem:
            return error(self.request, problem.status, problem.message, problem.field)
        user_id = api.user.get_current().getId()
        try:
            if "tally" in data:
                if not api.user.has_permission(permissions.RecordPaperBallot, obj=self.context):
                    return error(
                        self.request, 403, _("Only the council's secretary records a paper ballot.")
                    )
                ballot.record_paper(self.context, user_id, data["tally"], data.get("minutes"))
            elif data.get("recuse") is True:
                ballot.recuse(self.context, user_id, data.get("reason"))
            elif "vote" in data:
                ballot.cast(self.context, user_id, data["vote"])
            else:
                return error(
                    self.request,
                    400,
                    _("Send a vote (yes, no or abstain), or a recusal with its reason."),
                    "vote",
                )
        except ballot.BallotError as problem:
            return error(self.request, problem.status, problem.message, problem.field)
        self.request.response.setStatus(201)
        return ballot.tally(self.context)
