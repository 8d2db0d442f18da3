from plone import api
from plone.restapi.services import Service
from thidua import ballot
from thidua import permissions
from thidua.content.candidate import ICandidate
from thidua.services.expandable import ExpandableElement
from zope.component import adapter
from zope.interface import Interface


@adapter(ICandidate, Interface)
class Votes(ExpandableElement):
    """``?expand=votes`` on a candidate: the tally for whoever may see it, else the link."""

    name = "votes"

    def may_expand(self):
        return api.user.has_permission(permissions.ViewBallot, obj=self.context)

    def expanded(self):
        return {"@id": self.url, **tally(self.context)}


class VotesGet(Service):
    def reply(self):
        return tally(self.context)


def tally(candidate):
    """Counts of the current round and of the earlier ones; never a member's choice."""
    return ballot.summary(candidate, api.user.get_current().getId())
