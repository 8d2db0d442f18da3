"""The council's secret ballot on a candidate.

The council is every user who holds CouncilMember or CouncilChair on the
candidate's unit, directly or through a group. A round opens each time the
candidate enters a state whose exits are guarded by ``ballot`` (under review,
in the shipped chains), so a return for revision and a new review start a new
round.

Secrecy: a round keeps three counts and the set of members who took part,
never who chose what nor in which order they voted. Nothing here is indexed or
written to the workflow history, and the transaction that records a ballot
carries no user name (see ``anonymise_transaction``). README.md, "Secret
ballot", says what this does not protect against.
"""

from BTrees.OOBTree import OOTreeSet
from DateTime import DateTime
from fractions import Fraction
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from thidua import _
from thidua.chains.access import chain_for
from thidua.chains.access import chain_of
from thidua.content import limits
from thidua.content.unit import unit_of
from thidua.delegation import holders
from thidua.refusal import Refused
from zope.annotation.interfaces import IAnnotations

import transaction


ANNOTATION_KEY = "thidua.ballot"
COUNCIL_ROLES = ("CouncilMember", "CouncilChair")
CHOICES = ("yes", "no", "abstain")
DEFAULT_QUORUM = "2/3"
DEFAULT_THRESHOLD = "1/2"


class BallotError(Refused):
    """A ballot that cannot be recorded."""


def fraction(value):
    """``2/3``, ``0.5`` or ``1`` as a Fraction between 0 and 1; ValueError otherwise."""
    result = Fraction(str(value))
    if not 0 <= result <= 1:
        raise ValueError(f"{value} is not between 0 and 1")
    return result


class Round(Persistent):
    def __init__(self, number):
        self.number = number
        self.opened = DateTime()
        self.counts = PersistentMapping(dict.fromkeys(CHOICES, 0))
        # Who took part, kept sorted by id: the order of voting is not recorded.
        self.voters = OOTreeSet()
        self.recusals = PersistentMapping()
        self.paper = None


def rounds(candidate, create=False):
    annotations = IAnnotations(candidate)
    if ANNOTATION_KEY not in annotations and create:
        annotations[ANNOTATION_KEY] = PersistentList()
    return annotations.get(ANNOTATION_KEY, [])


def current_round(candidate):
    """The latest round, opening the first when a candidate under review has none
    (one that was under review before ballots existed)."""
    existing = rounds(candidate)
    if existing:
        return existing[-1]
    if is_voting(candidate):
        return open_round(candidate)
    return None


def open_round(candidate):
    history = rounds(candidate, create=True)
    new_round = Round(len(history) + 1)
    history.append(new_round)
    return new_round


def _ballot_guards(chain):
    for transition_id, transition in chain.get("transitions", {}).items():
        for guard in transition.get("guards") or []:
            if "ballot" in guard:
                yield transition_id, transition, guard["ballot"] or {}


def voting_states(chain):
    """States the council votes in: those left by a transition guarded by ``ballot``."""
    return {
        source for _id, transition, _p in _ballot_guards(chain) for source in transition["from"]
    }


def is_voting(candidate):
    chain = chain_for(candidate)
    state = api.portal.get_tool("portal_workflow").getInfoFor(candidate, "review_state", None)
    return state in voting_states(chain)


def rules(candidate):
    """Quorum and threshold of the chain's passing ``ballot`` guard."""
    chain = chain_for(candidate)
    for _id, _transition, parameters in _ballot_guards(chain):
        if parameters.get("outcome", "passed") == "passed":
            return (
                fraction(parameters.get("quorum", DEFAULT_QUORUM)),
                fraction(parameters.get("threshold", DEFAULT_THRESHOLD)),
            )
    return fraction(DEFAULT_QUORUM), fraction(DEFAULT_THRESHOLD)


def council(candidate):
    """User ids of the council of the candidate's unit."""
    unit = unit_of(candidate)
    return holders(unit, COUNCIL_ROLES) if unit is not None else set()


def tally(candidate, ballot_round=None, quorum=None, threshold=None):
    """What the council and the secretary may see: counts, never choices.

    ``quorum_met`` and ``threshold_met`` are measured against ``quorum`` and
    ``threshold`` when given (a guard's own), else the chain's passing rule."""
    ballot_round = ballot_round or current_round(candidate)
    members = council(candidate)
    if quorum is None or threshold is None:
        quorum, threshold = rules(candidate)
    quorum, threshold = fraction(quorum), fraction(threshold)
    if ballot_round is None:
        counts, voted, recusals, paper, number = dict.fromkeys(CHOICES, 0), 0, {}, None, 0
    else:
        counts = dict(ballot_round.paper["tally"] if ballot_round.paper else ballot_round.counts)
        voted = sum(counts.values())
        recusals = {m: r for m, r in ballot_round.recusals.items() if m in members}
        paper, number = ballot_round.paper, ballot_round.number
    base = len(members) - len(recusals)
    return {
        "round": number,
        "council_size": len(members),
        "base": base,
        **counts,
        "recused": len(recusals),
        "voted": voted,
        "quorum": str(quorum),
        "threshold": str(threshold),
        "quorum_met": base > 0 and voted >= quorum * base,
        "threshold_met": base > 0 and counts["yes"] > threshold * base,
        "open": ballot_round is not None and is_voting(candidate),
        "paper": None
        if paper is None
        else {
            "minutes": paper["minutes"],
            "recorded_by": paper["recorded_by"],
            "date": paper["date"].ISO8601(),
        },
        "recusals": [
            {"member": member, "reason": reason} for member, reason in sorted(recusals.items())
        ],
    }


def summary(candidate, user_id):
    """What ``GET @votes`` shows ``user_id``: the current round's tally, whether
    the user sits on the council and took part (never how), and the earlier rounds."""
    result = tally(candidate)
    current = current_round(candidate)
    result["you"] = {
        "member": user_id in council(candidate),
        "voted": current is not None and user_id in current.voters,
        "recused": current is not None and user_id in current.recusals,
    }
    earlier = list(rounds(candidate))[:-1]
    result["earlier_rounds"] = [
        {key: value for key, value in tally(candidate, r).items() if key != "open"} for r in earlier
    ]
    return result


def _open_round_for(candidate, user_id):
    if user_id not in council(candidate):
        raise BallotError(403, _("Only members of this unit's council vote."))
    if not is_voting(candidate):
        raise BallotError(400, _("The candidate is not under review: no ballot is open."), "state")
    ballot_round = current_round(candidate)
    if user_id in ballot_round.voters or user_id in ballot_round.recusals:
        raise BallotError(409, _("You have already taken part in this round."))
    if ballot_round.paper is not None:
        raise BallotError(409, _("This round was decided by a paper ballot."))
    return ballot_round


def cast(candidate, user_id, choice):
    if choice not in CHOICES:
        raise BallotError(400, _("A vote is one of: yes, no, abstain."), "vote")
    ballot_round = _open_round_for(candidate, user_id)
    ballot_round.counts[choice] += 1
    ballot_round.voters.add(user_id)
    anonymise_transaction()


def recuse(candidate, user_id, reason):
    reason = _text(reason, "reason", limits.REASON, _("A recusal needs a reason."))
    ballot_round = _open_round_for(candidate, user_id)
    ballot_round.recusals[user_id] = reason


def record_paper(candidate, user_id, counts, minutes):
    """The secretary records the tally of a ballot held on paper, with its minutes."""
    if not is_voting(candidate):
        raise BallotError(400, _("The candidate is not under review: no ballot is open."), "state")
    if not isinstance(counts, dict) or set(counts) - set(CHOICES):
        raise BallotError(400, _("The tally has the keys yes, no and abstain."), "tally")
    numbers = {choice: counts.get(choice, 0) for choice in CHOICES}
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers.values()):
        raise BallotError(400, _("The tally counts are whole numbers, 0 or more."), "tally")
    minutes = _text(
        minutes, "minutes", limits.MINUTES, _("A paper ballot needs the number of its minutes.")
    )
    ballot_round = current_round(candidate)
    if len(ballot_round.voters) or ballot_round.paper is not None:
        raise BallotError(409, _("This round already has ballots."))
    base = len(council(candidate)) - len(ballot_round.recusals)
    if sum(numbers.values()) > base:
        raise BallotError(
            400,
            _("More ballots than council members who may vote (${base}).", mapping={"base": base}),
            "tally",
        )
    ballot_round.paper = PersistentMapping(
        tally=numbers, minutes=minutes, recorded_by=user_id, date=DateTime()
    )


def _text(value, field, max_length, missing):
    """``value`` stripped: text within its limit (thidua.content.limits), not blank."""
    try:
        text = limits.check_text(value, field, max_length)
    except limits.TextRefused as problem:
        raise BallotError(400, problem.message, field) from None
    if text is None:
        raise BallotError(400, missing, field)
    return text


def anonymise_transaction():
    """The ZODB transaction of a vote names no user and no path: the Undo log and
    plone.restapi's ``@transactions`` would otherwise say who voted when."""
    current = transaction.get()
    current.user = ""
    current.description = "thidua: ballot"


def open_round_on_entry(candidate, event):
    """IAfterTransitionEvent: entering a voting state opens a new round."""
    if event.new_state is None or event.old_state is event.new_state:
        return
    chain = chain_of(event.workflow)
    if event.new_state.getId() in voting_states(chain):
        open_round(candidate)
