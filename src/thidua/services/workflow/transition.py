from plone.restapi.services.workflow.transition import WorkflowTransition
from Products.CMFCore.WorkflowCore import WorkflowException
from thidua import _
from thidua.services import params
from thidua.services.errors import error


class ThiduaWorkflowTransition(WorkflowTransition):
    """plone.restapi answers a refused step with its own untranslated message
    ("No workflow provides the '${action_id}' action.") and a body that is not
    JSON with a 500; here both are 400s that say what is wrong, naming the field."""

    refused = None

    def reply(self):
        if self.transition is not None:
            try:
                params.json_object(self.request)
            except params.ParameterError as problem:
                return error(self.request, problem.status, problem.message, problem.field)
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
