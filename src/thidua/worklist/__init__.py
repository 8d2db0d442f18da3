"""What waits for the current user: the items across all units on which they
may act now, grouped by the work they ask for (``@@viec-can-lam``).

The catalog gives the candidates, plans, movements and reports the user may
see in the states where work waits; DCWorkflow's ``getTransitionsFor`` (which
checks roles and guards) says what the user may do now; thidua.ballot says
who still has a vote to cast.
"""

from datetime import date
from datetime import timedelta
from plone import api
from thidua import _
from thidua import ballot
from thidua import nurture
from thidua.content.movement import IMovement
from thidua.content.unit import ancestor
from thidua.content.unit import unit_of
from thidua.deadlines import next_deadline
from thidua.forms import feedback
from thidua.workdays import working_days_between


PORTAL_TYPES = ("Candidate", "Plan", "Movement", "Report")
WAITING_STATES = ("draft", "submitted", "pending", "public_notice", "under_review", "selected")

# The groups in the order the page shows them, with their headings.
GROUPS = (
    ("appraise", _("To appraise")),
    ("put_to_vote", _("To put to the vote")),
    ("vote", _("To vote on")),
    ("decide", _("To decide")),
    ("returned", _("Returned to me")),
    ("follow_up", _("To follow up")),
)
DECIDING = frozenset({"select", "reject", "honour", "revoke", "issue"})


def group_of(state, transitions, may_vote=False, returned=False):
    """The group an item belongs to for a user, or None when nothing waits.

    ``transitions``: the ids the user may take now; ``may_vote``: the user has a
    vote to cast in the open round; ``returned``: a draft sent back for revision.
    Withdrawing is always possible to the officer and asks for no work."""
    actions = set(transitions) - {"withdraw"}
    if may_vote:
        return "vote"
    if actions & DECIDING:
        return "decide"
    if state in ("submitted", "pending") and actions:
        return "appraise"
    if state == "public_notice" and actions:
        return "put_to_vote"
    if state == "draft" and returned and transitions:
        return "returned"
    return None


def _history(obj):
    workflows = api.portal.get_tool("portal_workflow")
    for workflow in workflows.getWorkflowsFor(obj):
        return obj.workflow_history.get(workflow.getId(), ())
    return ()


def was_returned(obj):
    """The item's last transition sent it back for revision."""
    history = _history(obj)
    return bool(history) and history[-1].get("action") == "return_for_revision"


def waiting_since(obj):
    """The date of the item's last transition (its creation when none)."""
    history = _history(obj)
    return history[-1]["time"].asdatetime().date() if history else None


def _may_vote(obj, user_id):
    if not ballot.is_voting(obj):
        return False
    summary = ballot.summary(obj, user_id)
    you = summary["you"]
    return summary["paper"] is None and you["member"] and not (you["voted"] or you["recused"])


def entry(brain, user_id, today=None):
    """The worklist row of a catalog brain for ``user_id``, or None."""
    obj = brain.getObject()
    workflows = api.portal.get_tool("portal_workflow")
    transitions = [t["id"] for t in workflows.getTransitionsFor(obj)]
    state = brain.review_state
    may_vote = brain.portal_type == "Candidate" and _may_vote(obj, user_id)
    returned = state == "draft" and was_returned(obj)
    group = group_of(state, transitions, may_vote=may_vote, returned=returned)
    if group is None:
        return None
    since = waiting_since(obj)
    return {
        "group": group,
        "url": brain.getURL(),
        "title": brain.Title,
        "portal_type": brain.portal_type,
        "state": state,
        "state_title": workflows.getTitleForStateOnType(state, brain.portal_type),
        "unit": _title(unit_of(obj)),
        "movement": _title(ancestor(obj, IMovement)),
        "waiting_days": working_days_between(since, today or date.today()) if since else None,
        "deadline": next_deadline(obj, state),
        # Public-notice feedback, counted for those who may read it.
        "feedback": (
            feedback.count(obj)
            if brain.portal_type == "Candidate" and feedback.may_read(obj)
            else 0
        ),
    }


def _title(obj):
    return obj.Title() if obj is not None else ""


def follow_up(today=None):
    """The models whose next nurture check-in is overdue, for those who update
    their plan (thidua.nurture): the catalog finds them, only those are loaded."""
    today = today or date.today()
    brains = api.portal.get_tool("portal_catalog")(
        portal_type="Candidate",
        review_state=nurture.NURTURED,
        thidua_next_checkin={"query": today - timedelta(days=1), "range": "max"},
        sort_on="thidua_next_checkin",
    )
    rows = []
    workflows = api.portal.get_tool("portal_workflow")
    for brain in brains:
        overdue = working_days_between(brain.thidua_next_checkin, today)
        if not overdue or not nurture.may_edit(brain.getObject()):
            continue
        rows.append(
            {
                "group": "follow_up",
                "url": brain.getURL(),
                "title": brain.Title,
                "portal_type": brain.portal_type,
                "state": brain.review_state,
                "state_title": workflows.getTitleForStateOnType(brain.review_state, "Candidate"),
                "unit": brain.unit_title,
                "movement": brain.movement_title,
                "waiting_days": overdue,
                "deadline": brain.thidua_next_checkin,
                "feedback": 0,
            }
        )
    return rows


def worklist(user_id):
    """Every row of the user's worklist, grouped in GROUPS' order, oldest first."""
    brains = api.portal.get_tool("portal_catalog")(
        portal_type=PORTAL_TYPES, review_state=WAITING_STATES, sort_on="modified"
    )
    rows = [row for row in (entry(brain, user_id) for brain in brains) if row]
    rows += follow_up()
    order = {group: index for index, (group, _title) in enumerate(GROUPS)}
    return sorted(rows, key=lambda row: order[row["group"]])
