"""Candidate (điển hình tiên tiến): a collective, individual or household nominated
in a movement.

Personal data (birth date, gender, phone, email, identity number) is guarded by
its own permissions, which only the candidate's unit staff and council hold:
plone.autoform hides it from pages and forms, plone.restapi from its answers,
the class from Zope's own publishing paths (PersonalDataRoles; WebDAV and FTP
in publishing.py), and neither the catalog nor SearchableText ever sees it
(catalog/__init__.py).
"""

from AccessControl import getSecurityManager
from plone.app.textfield import RichText
from plone.autoform import directives
from plone.supermodel import model
from thidua import _
from thidua import permissions
from thidua.content import limits
from thidua.content import rules
from thidua.content.publishing import ThiduaContainer
from thidua.vocabularies import GENDERS
from thidua.vocabularies import KINDS
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer

import datetime


PERSONAL_DATA = ("birth_date", "gender", "phone", "email", "id_number")


class ICandidate(model.Schema):
    kind = schema.Choice(title=_("Kind"), vocabulary=KINDS, default="individual")
    organisation = schema.TextLine(
        title=_("Organisation"),
        description=_("Where the candidate works, or the collective's own agency."),
        required=False,
        max_length=limits.LINE,
    )
    field = schema.Choice(title=_("Field"), vocabulary="thidua.fields", required=False)
    achievements = RichText(
        title=_("Summary of achievements"),
        description=_("Required before the dossier can be submitted."),
        required=False,
        max_length=limits.RICH_TEXT,
    )
    initiatives = RichText(
        title=_("Initiatives"),
        required=False,
        max_length=limits.RICH_TEXT,
    )
    goals = RichText(
        title=_("Goals and nurturing plan"),
        required=False,
        max_length=limits.RICH_TEXT,
    )
    year = rules.Year(title=_("Year"), min=rules.FIRST_YEAR, required=False)
    quarter = rules.Quarter(
        title=_("Quarter"),
        description=_("1 to 4, or empty for a candidate not tied to a quarter."),
        min=1,
        max=4,
        required=False,
    )
    is_leader = schema.Bool(
        title=_("Leads a unit"),
        description=_("An individual who leads a unit is judged together with that unit."),
        default=False,
        required=False,
    )
    honour_form = schema.Choice(
        title=_("Form of honour"), vocabulary="thidua.honour_forms", required=False
    )
    honoured_date = schema.Date(title=_("Date honoured"), required=False)

    # Introduction to a higher unit's movement (thidua.introduce), written by
    # @introduce only: both items link to each other.
    directives.omitted("introduced_from", "introduced_to", "introductions")
    introduced_from = RelationChoice(
        title=_("Introduced from"),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
        readonly=True,
    )
    introduced_to = RelationList(
        title=_("Introduced to"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        required=False,
        readonly=True,
    )
    introductions = schema.List(
        title=_("Introductions"),
        description=_("When, where and by whom this candidate was introduced upward."),
        value_type=schema.Dict(key_type=schema.TextLine(), value_type=schema.TextLine()),
        required=False,
        readonly=True,
    )

    model.fieldset(
        "personal",
        label=_("Personal data"),
        fields=list(PERSONAL_DATA),
    )
    directives.read_permission(**dict.fromkeys(PERSONAL_DATA, "thidua.ViewPersonalData"))
    directives.write_permission(**dict.fromkeys(PERSONAL_DATA, "thidua.EditPersonalData"))
    birth_date = rules.BirthDate(
        title=_("Date of birth"),
        description=_("A day in the past; the oldest nominee is under 120."),
        required=False,
    )
    gender = schema.Choice(title=_("Gender"), vocabulary=GENDERS, required=False)
    phone = rules.PhoneNumber(
        title=_("Phone"),
        description=_("Mobile 09xx xxx xxx or landline 02xx xxxx xxx; +84 accepted."),
        required=False,
        max_length=limits.LINE,
    )
    email = rules.EmailAddress(title=_("Email"), required=False, max_length=limits.LINE)
    id_number = rules.IdentityNumber(
        title=_("Identity card number"),
        description=_("Citizen identity card (CCCD), 12 digits."),
        required=False,
    )


@implementer(ICandidate)
class Candidate(ThiduaContainer):
    """A candidate."""


class PersonalDataRoles:
    """The ``__roles__`` of a personal-data attribute, for Zope's own paths:
    URL traversal (which publishes a value with a docstring, a date, at
    ``<candidate>/birth_date``), restrictedTraverse and page templates.

    Zope checks the roles against the value itself, which has no place in the
    site: the local roles that give staff the permission would never count
    (a PermissionRole would refuse the staff too). So the permission
    is checked here, on the candidate, for the current user: public to whoever
    holds it, private to anyone else. During URL traversal the current user
    is still Anonymous (ZPublisher authenticates after traversing), so a URL
    never serves personal data: the API does."""

    def rolesForPermissionOn(self, candidate):
        if getSecurityManager().checkPermission(permissions.ViewPersonalData, candidate):
            return None
        return ()


# Set directly rather than declared: the names are not class attributes (a
# declaration would warn of a nonexistent method).
for attribute in PERSONAL_DATA:
    setattr(Candidate, f"{attribute}__roles__", PersonalDataRoles())


def record_honoured_date(candidate, event):
    """IAfterTransitionEvent: the day of the honour, unless the secretary entered
    the date of the decision already; the honour board sorts on it."""
    if event.new_state is None or event.new_state.getId() != "honoured":
        return
    if candidate.honoured_date is None:
        candidate.honoured_date = datetime.date.today()
        candidate.reindexObject(idxs=["thidua_honoured_date"])
