from plone import api
from plone.base import PloneMessageFactory as PMF
from plone.restapi.services.workflow.transition import WorkflowTransition
from Products.CMFCore.WorkflowCore import WorkflowException
from thidua import _
from thidua.chains.explain import role_may_take
from thidua.chains.guards import refusal
from thidua.content import limits
from thidua.services import params
from thidua.services.errors import error

import transaction


class ThiduaWorkflowTransition(WorkflowTransition):
    """plone.restapi answers a refused step with its own untranslated message
    ("No workflow provides the '${action_id}' action.") and a body that is not
    JSON with a 500; here both are 400s that say what is wrong, naming the field.

    plone.restapi also sets ``effective`` and reindexes before the workflow's
    guard runs, and takes a step to the state the item is already in as done:
    here the step is checked first (401/403 for who may not take it, 400 for a
    step this state does not offer), and any refusal dooms the transaction, so
    that the publisher aborts it and a refused step writes nothing."""

    refused = None

    def reply(self):
        result = self.checked_reply()
        if self.request.response.getStatus() >= 400:
            transaction.doom()
        return result

    def checked_reply(self):
        if self.transition is None:
            return super().reply()
        try:
            data = params.json_object(self.request)
            params.text_field(data, "comment", limits.COMMENT)
        except params.ParameterError as problem:
            return error(self.request, problem.status, problem.message, problem.field)
        refused = self.refusal()
        if refused is not None:
            return refused
        result = super().reply()
        if self.refused is None:
            return result
        refused = self.refused
        # DCWorkflow wraps what a transition's event subscriber raised.
        while refused.args and isinstance(refused.args[0], WorkflowException):
            refused = refused.args[0]
        message = getattr(refused, "message", None)
        if message is not None:  # thidua's own refusal (events.py), with its field
            return error(self.request, 400, message, getattr(refused, "field", None))
        return self.not_offered()

    def refusal(self):
        """The error answer for a step that this item's state does not offer,
        that the caller may not take, or that a guard of the chain blocks now
        (with the guard's reason); None for a step the caller may take."""
        workflows = self.wftool.getWorkflowsFor(self.context)
        if not workflows:
            return self.not_offered()
        workflow = workflows[0]
        state = workflow._getWorkflowStateOf(self.context)
        step = workflow.transitions.get(self.transition)
        if state is None or step is None:
            return self.not_offered()
        if self.transition not in state.transitions:
            if step.new_state_id == state.getId():
                return error(
                    self.request,
                    400,
                    _(
                        "This item is already in the state '${state}'.",
                        mapping={"state": PMF(state.title or state.getId())},
                    ),
                    "transition",
                )
            return self.not_offered()
        if not role_may_take(self.context, workflow, step):
            anonymous = api.user.is_anonymous()
            return error(
                self.request,
                401 if anonymous else 403,
                _(
                    "You may not take the step '${transition}' on this item.",
                    mapping={"transition": self.transition},
                ),
                "transition",
            )
        reason = refusal(self.context, workflow.getId(), self.transition)
        if reason is not None:
            return error(self.request, 400, reason, "transition")
        return None

    def not_offered(self):
        return error(
            self.request,
            400,
            _(
                "'${transition}' is not a step you can take on this item in its present state.",
                mapping={"transition": self.transition},
            ),
            "transition",
        )

    def recurse_transition(self, *args, **kwargs):
        try:
            return super().recurse_transition(*args, **kwargs)
        except WorkflowException as refused:
            self.refused = refused
            raise
