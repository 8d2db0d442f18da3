"""The chain panel on a Candidate, Plan, Movement or Report page, and the form
that takes a step: what the user may do now, a comment box where the chain
requires one, and the steps a guard blocks with its reason (chains/explain.py).
"""

from plone import api
from plone.app.content.browser.content_status_modify import (
    ContentStatusModifyView as BaseContentStatusModifyView,
)
from plone.app.layout.viewlets.common import ViewletBase
from plone.base import PloneMessageFactory as PMF
from plone.protect import CheckAuthenticator
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from thidua import _
from thidua import permissions
from thidua.chains.explain import explain
from thidua.chains.explain import steps
from thidua.content import limits
from thidua.content.candidate import ICandidate
from thidua.forms import feedback

import transaction


def refusal_message(refused):
    """The message of thidua's refusal (chains/events.py) in a WorkflowException."""
    # DCWorkflow wraps what a transition's event subscriber raised.
    while refused.args and isinstance(refused.args[0], WorkflowException):
        refused = refused.args[0]
    return getattr(refused, "message", None) or str(refused)


class ChainPanelViewlet(ViewletBase):
    index = ViewPageTemplateFile("chain_panel.pt")

    def update(self):
        super().update()
        self.steps = [] if api.user.is_anonymous() else steps(self.context)

    def possible(self):
        return [step for step in self.steps if step["possible"]]

    def blocked(self):
        return [step for step in self.steps if not step["possible"]]

    def feedback_count(self):
        """How many public-notice opinions the candidate has, for those who may
        read them (the unit's staff and council): the list is below the body."""
        if not ICandidate.providedBy(self.context):
            return 0
        if not api.user.has_permission(permissions.ViewPersonalData, obj=self.context):
            return 0
        return feedback.count(self.context)

    def render(self):
        return self.index() if self.steps else ""


class ChainStepView(BrowserView):
    """GET: the form of one step (the state menu links here for a step that
    needs a comment). POST: take the step, then back to the item with a status
    message; a refusal says why and writes nothing."""

    index = ViewPageTemplateFile("chain_step.pt")

    def __call__(self):
        self.transition = self.request.form.get("transition", "")
        self.step = next((s for s in steps(self.context) if s["id"] == self.transition), None)
        if self.request.method != "POST":
            return self.index()
        CheckAuthenticator(self.request)
        refused = self.take()
        if refused is not None:
            transaction.doom()
            IStatusMessage(self.request).add(refused, type="error")
        return self.request.response.redirect(self.context.absolute_url())

    def take(self):
        """Take the step; the message that refuses it, or None when it was taken."""
        possible, reason = explain(self.context, self.transition)
        if not possible:
            return reason or _(
                "'${transition}' is not a step you can take on this item in its present state.",
                mapping={"transition": self.transition},
            )
        title = PMF(self.step["title"])
        try:
            comment = limits.check_text(self.request.form.get("comment"), "comment", limits.COMMENT)
        except limits.TextRefused as problem:
            return problem.message
        if self.step["comment_required"] and not comment:
            return _("'${transition}' needs a comment saying why.", mapping={"transition": title})
        try:
            api.portal.get_tool("portal_workflow").doActionFor(
                self.context, self.transition, comment=comment or ""
            )
        except WorkflowException as problem:
            return refusal_message(problem)
        IStatusMessage(self.request).add(_("Done: '${transition}'.", mapping={"transition": title}))
        return None


class ContentStatusModifyView(BaseContentStatusModifyView):
    """Plone's own, with a refused step (a comment the chain requires, say) as
    a status message on the comment form instead of a 500; nothing is written."""

    def __call__(self, workflow_action=None, comment="", *args, **kwargs):
        try:
            return super().__call__(workflow_action, comment, *args, **kwargs)
        except WorkflowException as problem:
            transaction.doom()
            IStatusMessage(self.request).add(refusal_message(problem), type="error")
            return self.request.response.redirect(
                f"{self.context.absolute_url()}/content_status_history"
            )
