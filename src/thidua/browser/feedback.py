"""Public-notice feedback (thidua.forms.feedback): the public form
``@@gop-y`` on a candidate on public notice, and the staff-only viewlet that
lists what came in."""

from plone.app.layout.viewlets.common import ViewletBase
from plone.protect import CheckAuthenticator
from plone.schema import Email
from plone.z3cform.layout import wrap_form
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from Products.statusmessages.interfaces import IStatusMessage
from thidua import _
from thidua.content import limits
from thidua.forms import feedback
from thidua.forms import spam
from z3c.form import button
from z3c.form import field
from z3c.form import form
from z3c.form.interfaces import HIDDEN_MODE
from zope import schema
from zope.interface import Interface


class IFeedback(Interface):
    text = schema.Text(
        title=_("Your feedback"),
        description=_(
            "The nomination is on public notice. Your feedback goes to the council only; "
            "it is not published."
        ),
        max_length=limits.COMMENT,
    )
    name = schema.TextLine(title=_("Your name"), required=False, max_length=limits.LINE)
    email = Email(title=_("Your email"), required=False, max_length=limits.LINE)
    # The honeypot: hidden from people, filled by robots.
    website = schema.TextLine(title=_("Leave this empty"), required=False)


class FeedbackForm(form.Form):
    fields = field.Fields(IFeedback)
    fields["website"].mode = HIDDEN_MODE
    ignoreContext = True
    enableCSRFProtection = True
    label = _("Feedback on this nomination")

    def update(self):
        if not feedback.is_open(self.context):
            self.fields = field.Fields()
            self.buttons = self.buttons.omit("send")
        super().update()
        if not feedback.is_open(self.context):
            self.status = _("This nomination does not take feedback now.")

    @button.buttonAndHandler(_("Send"), name="send")
    def handle_send(self, action):
        CheckAuthenticator(self.request)
        if not feedback.is_open(self.context):
            return
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        address = spam.client_address(self.request)
        if spam.honeypot_filled(data.get("website")):
            self.status = spam.SPAM
            return
        if spam.over_limit("feedback", address):
            self.status = spam.TOO_MANY
            return
        feedback.add(
            self.context,
            data["text"].strip(),
            name=(data.get("name") or "").strip(),
            email=data.get("email") or "",
        )
        spam.count("feedback", address)
        IStatusMessage(self.request).add(_("Thank you: your feedback was sent to the council."))
        self.request.response.redirect(self.context.absolute_url())


FeedbackView = wrap_form(FeedbackForm)


class FeedbackViewlet(ViewletBase):
    """Shown to those who may read the candidate's personal data (the zcml
    registration's permission): its unit's officers, secretaries and council."""

    index = ViewPageTemplateFile("feedback.pt")

    def update(self):
        super().update()
        self.entries = feedback.entries(self.context)
        self.open = feedback.is_open(self.context)

    def day(self, iso):
        return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"

    def render(self):
        return self.index() if self.entries or self.open else ""
