"""The council's secret ballot on a candidate's page: the ``thidua.ballot``
viewlet shows what ``GET @votes`` shows the visitor, and ``@@ballot-submit``
takes the panel's forms through the same thidua.ballot functions as
``POST @votes``."""

from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from thidua import _
from thidua import ballot
from thidua import permissions
from zExceptions import Unauthorized
from zope.i18n import translate

import transaction


class BallotViewlet(ViewletBase):
    """Shown to ``thidua: View ballot`` (the zcml registration) once a round exists."""

    def update(self):
        super().update()
        self.summary = None
        if ballot.rounds(self.context) or ballot.is_voting(self.context):
            user_id = api.user.get_current().getId()
            self.summary = ballot.summary(self.context, user_id)

    def render(self):
        return self.index() if self.summary else ""

    def may_vote(self):
        you, summary = self.summary["you"], self.summary
        return (
            summary["open"]
            and summary["paper"] is None
            and you["member"]
            and not (you["voted"] or you["recused"])
        )

    def may_record_paper(self):
        summary = self.summary
        return (
            summary["open"]
            and summary["paper"] is None
            and summary["voted"] == 0
            and api.user.has_permission(permissions.RecordPaperBallot, obj=self.context)
        )

    def choices(self):
        titles = {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}
        return [{"id": choice, "title": titles[choice]} for choice in ballot.CHOICES]


def _whole_number(value):
    """A form's count as an int; anything else as given, for thidua.ballot to refuse."""
    value = (value or "").strip() or "0"
    return int(value) if value.isdigit() else value


class BallotSubmit(BrowserView):
    """POST target of the panel's forms: vote, recuse or record a paper tally."""

    def __call__(self):
        if self.request.method != "POST":
            return self.request.response.redirect(self.context.absolute_url())
        CheckAuthenticator(self.request)
        if api.user.is_anonymous():
            raise Unauthorized("Log in to vote.")
        user_id = api.user.get_current().getId()
        form = self.request.form
        action = form.get("action")
        try:
            if action == "paper":
                if not api.user.has_permission(permissions.RecordPaperBallot, obj=self.context):
                    raise ballot.BallotError(
                        403, _("Only the council's secretary records a paper ballot.")
                    )
                counts = {choice: _whole_number(form.get(choice)) for choice in ballot.CHOICES}
                ballot.record_paper(self.context, user_id, counts, form.get("minutes"))
                message = _("The paper ballot is recorded.")
            elif action == "recuse":
                ballot.recuse(self.context, user_id, form.get("reason"))
                message = _("Your recusal is recorded.")
            else:
                ballot.cast(self.context, user_id, form.get("vote"))
                message = _("Your vote is recorded.")
        except ballot.BallotError as problem:
            transaction.doom()  # a refusal writes nothing
            self.say(problem.message, "error")
        else:
            self.say(message, "info")
        # Back to the top of the page, where Plone shows the status message.
        return self.request.response.redirect(self.context.absolute_url())

    def say(self, message, kind):
        text = translate(message, context=self.request)
        api.portal.show_message(text, request=self.request, type=kind)
