"""A model's nurture plan on its page (thidua.nurture): the ``thidua.nurture``
viewlet shows what ``GET @nurture`` answers, and ``@@nurture-add`` takes its
forms through the same ``thidua.nurture.add`` as ``POST @nurture``."""

from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from thidua import _
from thidua import nurture
from thidua.browser.dashboard import day
from zExceptions import Unauthorized
from zope.i18n import translate

import transaction


class NurtureViewlet(ViewletBase):
    """Shown to ``thidua: View dashboard`` (the zcml registration) on a
    selected or honoured model."""

    def update(self):
        super().update()
        self.plan = nurture.plan(self.context) if nurture.is_nurtured(self.context) else None

    def render(self):
        return self.index() if self.plan else ""

    def day(self, value):
        return day(value)

    def status_title(self, status):
        return nurture.STATUS_TITLES.get(status, "")

    def support_title(self, kind):
        return nurture.SUPPORT_TITLES.get(kind, "")

    def statuses(self):
        return [{"id": s, "title": nurture.STATUS_TITLES[s]} for s in nurture.STATUSES]

    def support_kinds(self):
        return [{"id": k, "title": nurture.SUPPORT_TITLES[k]} for k in nurture.SUPPORT_KINDS]


class NurtureAdd(BrowserView):
    """POST target of the viewlet's forms: one goal, task, support or check-in."""

    def __call__(self):
        if self.request.method != "POST":
            return self.request.response.redirect(self.context.absolute_url())
        CheckAuthenticator(self.request)
        if api.user.is_anonymous():
            raise Unauthorized("Log in to update a nurture plan.")
        if not nurture.may_edit(self.context):
            raise Unauthorized("Not allowed to update this nurture plan.")
        form = self.request.form
        try:
            kind = form.get("type")
            nurture.add(self.context, kind, {key: form.get(key) for key in form})
        except nurture.NurtureError as problem:
            transaction.doom()  # a refusal writes nothing
            self.say(problem.message, "error")
        else:
            self.say(_("The nurture plan is updated."), "info")
        return self.request.response.redirect(self.context.absolute_url() + "#thidua-nurture")

    def say(self, message, kind):
        text = translate(message, context=self.request)
        api.portal.show_message(text, request=self.request, type=kind)
