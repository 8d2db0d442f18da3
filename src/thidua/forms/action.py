"""The EasyForm action "Tạo hồ sơ điển hình": each valid submission of the form
becomes a draft Candidate in the chosen movement, as the movement's unit would
register it.

An administrator adds the action to a form, picks the movement and says which
form field fills which field of the candidate. The settings live in the
form's actions model (XML) like easyform's own actions, so they travel with
the form's export and import.

The candidate is created with the rights of the unit's officers group, not
the submitter's: its creator and Owner is that group, so the officers edit
it and the anonymous submitter never sees it again. Nothing else is granted
to anybody: the action runs only inside easyform's submit handler, after the
form has validated its own fields.
"""

from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from AccessControl.users import UnrestrictedUser
from collective.easyform.actions import Action
from collective.easyform.actions import ActionFactory
from collective.easyform.api import get_context
from collective.easyform.config import FORM_ERROR_MARKER
from collective.easyform.interfaces import IAction
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from plone.namedfile.file import NamedBlobImage
from plone.supermodel.exportimport import BaseHandler
from thidua import _
from thidua import permissions
from thidua.chains.notify import has_sender
from thidua.chains.notify import mail_after_commit
from thidua.chains.notify import recipients
from thidua.content.candidate import ICandidate
from thidua.content.candidate import PERSONAL_DATA
from thidua.content.unit import unit_of
from thidua.delegation import group_id
from thidua.forms import spam
from thidua.language import site_language
from zope import schema
from zope.i18n import translate
from zope.interface import implementer
from zope.interface import Invalid
from zope.schema.interfaces import ValidationError

import datetime
import html


# Candidate fields a form field may fill, in the order of the settings form.
MAPPED = (
    "title",
    "kind",
    "organisation",
    "year",
    "field",
    "achievements",
    *PERSONAL_DATA,
)


def _field_choice(title, description=None):
    return schema.Choice(
        title=title,
        description=description,
        vocabulary="easyform.Fields",
        required=False,
    )


class ICreateCandidate(IAction):
    """Create a draft candidate in a movement from each submission."""

    movement = schema.Choice(
        title=_("Movement"),
        description=_("The launched movement in which each submission becomes a draft candidate."),
        vocabulary="thidua.forms.movements",
        required=True,
    )
    title_field = _field_choice(_("Name of the candidate"))
    kind_field = _field_choice(
        _("Kind"), _("Its values: collective, individual or household. Empty: individual.")
    )
    organisation_field = _field_choice(_("Organisation"))
    year_field = _field_choice(_("Year"))
    field_field = _field_choice(_("Field"))
    achievements_field = _field_choice(_("Summary of achievements"))
    birth_date_field = _field_choice(_("Date of birth"))
    gender_field = _field_choice(_("Gender"))
    phone_field = _field_choice(_("Phone"))
    email_field = _field_choice(_("Email"))
    id_number_field = _field_choice(_("Identity card number"))
    photo_field = _field_choice(_("Photo"), _("An image: it becomes the candidate's image."))
    attachments_fields = schema.List(
        title=_("Attachments"),
        description=_("File fields whose uploads are attached to the candidate's dossier."),
        value_type=schema.Choice(vocabulary="easyform.Fields"),
        required=False,
        default=[],
    )
    submitter_email_field = _field_choice(
        _("Submitter's email"), _("The address that receives the confirmation.")
    )
    honeypot_field = _field_choice(
        _("Honeypot field"),
        _("A hidden field people leave empty: a submission that fills it is refused."),
    )


@implementer(ICreateCandidate)
class CreateCandidate(Action):
    __doc__ = ICreateCandidate.__doc__

    def __init__(self, **kw):
        for name, field in ICreateCandidate.namesAndDescriptions():
            setattr(self, name, kw.pop(name, field.default))
        super().__init__(**kw)

    def onSuccess(self, fields, request):
        """Errors for easyform to show ({form field or FORM_ERROR_MARKER:
        message}), or None once the candidate exists."""
        if self.honeypot_field and spam.honeypot_filled(fields.get(self.honeypot_field)):
            return {FORM_ERROR_MARKER: _tr(spam.SPAM)}
        address = spam.client_address(request)
        if spam.over_limit("nomination", address):
            return {FORM_ERROR_MARKER: _tr(spam.TOO_MANY)}
        movement = launched_movement(self.movement)
        if movement is None or not owner_may_nominate(get_context(self), movement):
            return {FORM_ERROR_MARKER: _tr(_("This form does not accept nominations now."))}
        values, errors = self.candidate_values(fields, movement)
        if errors:
            return errors
        candidate = create_candidate(movement, values, self.uploads(fields))
        spam.count("nomination", address)
        self.tell(candidate, fields)
        return None

    def candidate_values(self, fields, movement):
        """The candidate's field values from the form's, each validated by the
        candidate's schema; errors keyed by the form field that holds it."""
        values, errors = {}, {}
        for name in MAPPED:
            form_field = getattr(self, f"{name}_field", None)
            if not form_field:
                continue
            raw = fields.get(form_field)
            if raw in (None, "", [], ()):
                continue
            try:
                values[name] = _convert(name, raw, movement)
            except (ValidationError, Invalid, ValueError) as error:
                errors[form_field] = _message(error)
        if not str(values.get("title") or "").strip() and self.title_field not in errors:
            errors[self.title_field or FORM_ERROR_MARKER] = _tr(
                _("The name of the candidate is required.")
            )
        photo = fields.get(self.photo_field) if self.photo_field else None
        if photo and not (getattr(photo, "contentType", "") or "").startswith("image/"):
            errors[self.photo_field] = _tr(_("The photo must be an image."))
        return values, errors

    def uploads(self, fields):
        """(photo, [files]) among the submitted values."""
        photo = fields.get(self.photo_field) if self.photo_field else None
        files = [fields.get(name) for name in self.attachments_fields or ()]
        return photo, [item for item in files if getattr(item, "data", None)]

    def tell(self, candidate, fields):
        """The submitter's confirmation and the officers' notice, after commit.
        Neither carries personal data: only the name of the candidate."""
        if not has_sender():
            return
        language = site_language()
        mapping = {
            "title": candidate.Title(),
            "movement": candidate.__parent__.Title(),
            "site": api.portal.get().Title(),
        }
        messages = []
        submitter = str(fields.get(self.submitter_email_field) or "").strip()
        if submitter and "\n" not in submitter and "\r" not in submitter:
            subject = _("[${site}] Nomination received: ${title}", mapping=mapping)
            body = _(
                "Your nomination of '${title}' in '${movement}' was received; "
                "the unit will review it.",
                mapping=mapping,
            )
            messages.append(
                (submitter, submitter, _tr(subject, language), _tr(body, language) + "\n")
            )
        officers = recipients(candidate, ["UnitOfficer"])
        if officers:
            mapping["url"] = candidate.absolute_url()
            subject = _("[${site}] New public nomination: ${title}", mapping=mapping)
            body = _(
                "A public nomination of '${title}' in '${movement}' is waiting as a draft: ${url}",
                mapping=mapping,
            )
            for user_id, email in officers:
                messages.append(
                    (user_id, email, _tr(subject, language), _tr(body, language) + "\n")
                )
        if messages:
            mail_after_commit(messages)


def _tr(message, language=None):
    return translate(message, target_language=language or site_language())


def _message(error):
    doc = error.doc() if hasattr(error, "doc") else str(error)
    return _tr(doc) if doc else _tr(_("This value is not valid."))


def _convert(name, raw, movement):
    """A form value as the candidate's field ``name`` takes it, validated."""
    if name == "title":
        value = str(raw).strip()
        schema.TextLine(max_length=255).validate(value)
        return value
    field = ICandidate[name].bind(movement)
    if name == "achievements":
        text = getattr(raw, "raw", None) or str(raw)
        value = RichTextValue(
            html.escape(text).replace("\n", "<br />"), "text/html", "text/x-html-safe"
        )
    elif name == "year":
        value = int(raw)
    elif name == "birth_date" and isinstance(raw, datetime.datetime):
        value = raw.date()
    elif name == "birth_date" and isinstance(raw, str):
        value = datetime.datetime.strptime(raw.strip(), "%d/%m/%Y").date()
    elif name == "id_number":
        value = str(raw).strip()
    elif isinstance(raw, (list, tuple, set)):
        value = next(iter(raw))
    else:
        value = str(raw).strip() if isinstance(raw, str) else raw
    field.validate(value)
    return value


def launched_movement(uid):
    """The movement of ``uid`` if it is launched (taking nominations), else None.
    Looked up unrestricted: the submitter may not see the movement."""
    if not uid:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(UID=uid, portal_type="Movement")
    if not brains:
        return None
    movement = brains[0]._unrestrictedGetObject()
    state = api.portal.get_tool("portal_workflow").getInfoFor(movement, "review_state", None)
    return movement if state == "launched" else None


def owner_may_nominate(form, movement):
    """Whether the form's owner may register candidates in ``movement``: who
    may edit a form's actions cannot aim it at another unit's movement."""
    owner = form.getOwner()
    return owner is not None and bool(owner.has_permission(permissions.AddCandidate, movement))


def create_candidate(movement, values, uploads):
    """A draft candidate in ``movement`` created as its unit's officers group:
    that group is its creator and Owner."""
    unit = unit_of(movement)
    officers = group_id(unit, "UnitOfficer")
    acting = UnrestrictedUser(officers, "", ("Manager",), ()).__of__(
        api.portal.get_tool("acl_users")
    )
    previous = getSecurityManager()
    newSecurityManager(None, acting)
    try:
        candidate = api.content.create(
            container=movement, type="Candidate", title=values.pop("title"), safe_id=True
        )
        candidate.setCreators((officers,))
        candidate.manage_setLocalRoles(officers, ["Owner"])
        strangers = [who for who, _roles in candidate.get_local_roles() if who != officers]
        if strangers:
            candidate.manage_delLocalRoles(strangers)
        for name, value in values.items():
            setattr(candidate, name, value)
        photo, files = uploads
        if photo is not None:
            candidate.image = NamedBlobImage(
                data=photo.data, filename=photo.filename, contentType=photo.contentType
            )
        for upload in files:
            api.content.create(
                container=candidate,
                type="File",
                title=upload.filename,
                file=NamedBlobFile(
                    data=upload.data, filename=upload.filename, contentType=upload.contentType
                ),
                safe_id=True,
            )
        candidate.reindexObject()
        candidate.reindexObjectSecurity()
    finally:
        setSecurityManager(previous)
    return candidate


CreateCandidateAction = ActionFactory(
    CreateCandidate,
    _("Create candidate"),
    "cmf.ManagePortal",
)
CreateCandidateHandler = BaseHandler(CreateCandidate)
