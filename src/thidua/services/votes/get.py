from plone import api
from plone.restapi.services import Service
from thidua import ballot


class VotesGet(Service):
    """Counts of the current round and of the earlier ones; never a member's choice."""

    def reply(self):
        candidate = self.context
        result = ballot.tally(candidate)
        user_id = api.user.get_current().getId()
        current = ballot.current_round(candidate)
        result["you"] = {
            "member": user_id in ballot.council(candidate),
            "voted": current is not None and user_id in current.voters,
            "recused": current is not None and user_id in current.recusals,
        }
        earlier = list(ballot.rounds(candidate))[:-1]
        result["earlier_rounds"] = [
            {key: value for key, value in ballot.tally(candidate, r).items() if key != "open"}
            for r in earlier
        ]
        return result
