"""The rules a candidate's values keep, in one place: each rule is a function
that returns the message saying what is expected, or None; each field of the
schema that follows a rule raises ``RuleBroken`` with that message, so the
Classic forms show it under the field and the API answers 400 naming the field
(content/deserializer.py, services/errors.py) with the same words."""

from plone.registry.interfaces import IRegistry
from plone.schema import Email
from plone.supermodel import model
from thidua import _
from zope import schema
from zope.component import queryUtility
from zope.schema.interfaces import ValidationError

import datetime
import re


# The oldest person nominated is younger than this.
OLDEST_AGE = 120
FIRST_YEAR = 1945  # the first emulation movements of the Republic
YEARS_AHEAD = 5  # a plan looks this far ahead at most

# 10 digits from 03, 05, 07, 08, 09 (mobile) or 11 from 02 (landline), +84
# or 84 in place of the leading 0; spaces, dots and dashes between digits.
MOBILE = re.compile(r"0[35789]\d{8}")
LANDLINE = re.compile(r"02\d{9}")
SEPARATORS = re.compile(r"[\s.\-]")
EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")

IDENTITY_PREFIX = "thidua.identity"


class IIdentitySettings(model.Schema):
    """Records ``thidua.identity.*``: a fieldset of the Thi đua control panel."""

    model.fieldset(
        "identity",
        label=_("Identity numbers"),
        fields=["accept_old_identity_cards"],
    )

    accept_old_identity_cards = schema.Bool(
        title=_("Accept old identity card numbers (CMND, 9 digits)"),
        description=_(
            "Off: a candidate's identity number is the citizen identity card's (CCCD), "
            "12 digits. On: the old identity card's 9 digits are accepted too."
        ),
        default=False,
        required=False,
    )


class RuleBroken(ValidationError):
    """A value that breaks one of the rules: ``doc()`` is the rule's message."""

    def __init__(self, message, value=None):
        super().__init__(message, value)
        self.message = message

    def doc(self):
        return self.message


def today():
    return datetime.date.today()


def earliest_birth_date():
    now = today()
    try:
        return now.replace(year=now.year - OLDEST_AGE)
    except ValueError:  # 29 February
        return now.replace(year=now.year - OLDEST_AGE, day=28)


def birth_date_problem(value):
    if not isinstance(value, datetime.date):
        return None
    earliest = earliest_birth_date()
    if earliest <= value <= today():
        return None
    return _(
        "A date of birth is a day in the past, from ${earliest} (${age} years ago) to today.",
        mapping={"earliest": earliest.strftime("%d/%m/%Y"), "age": OLDEST_AGE},
    )


def phone_problem(value):
    if not isinstance(value, str):
        return None
    digits = SEPARATORS.sub("", value)
    for international in ("+84", "84"):
        if digits.startswith(international) and len(digits) > 10:
            digits = "0" + digits[len(international) :]
            break
    if MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits):
        return None
    return _(
        "A Vietnamese phone number: 10 digits starting with 03, 05, 07, 08 or 09 "
        "(mobile) or 11 digits starting with 02 (landline); +84 may stand for the "
        "first 0, and spaces, dots or dashes may separate the digits."
    )


def old_identity_cards_accepted():
    registry = queryUtility(IRegistry)
    if registry is None:
        return False
    settings = registry.forInterface(IIdentitySettings, prefix=IDENTITY_PREFIX, check=False)
    return bool(getattr(settings, "accept_old_identity_cards", False))


def id_number_problem(value):
    if not isinstance(value, str):
        return None
    lengths = (12, 9) if old_identity_cards_accepted() else (12,)
    if value.isascii() and value.isdigit() and len(value) in lengths:
        return None
    if len(lengths) == 2:
        return _(
            "The identity number is 12 digits (citizen identity card, CCCD) or 9 digits "
            "(old identity card, CMND), with no space or letter."
        )
    return _("The citizen identity number (CCCD) is exactly 12 digits, with no space or letter.")


def email_problem(value):
    if not isinstance(value, str) or EMAIL.fullmatch(value):
        return None
    return _("An email address such as ten@donvi.gov.vn: a name, one @, then a domain with a dot.")


def last_year():
    return today().year + YEARS_AHEAD


def year_problem(value):
    if not isinstance(value, int) or FIRST_YEAR <= value <= last_year():
        return None
    return _(
        "The year is between ${first} and ${last}.",
        mapping={"first": str(FIRST_YEAR), "last": str(last_year())},
    )


def quarter_problem(value):
    if not isinstance(value, int) or 1 <= value <= 4:
        return None
    return _("The quarter is 1, 2, 3 or 4.")


class Ruled:
    """A field that keeps ``rule``: checked before the field's own checks, so
    the rule's message is the one shown rather than zope.schema's."""

    rule = None

    def _validate(self, value):
        message = type(self).rule(value)
        if message is not None:
            raise RuleBroken(message, value).with_field_and_value(self, value)
        super()._validate(value)


class BirthDate(Ruled, schema.Date):
    rule = staticmethod(birth_date_problem)


class PhoneNumber(Ruled, schema.TextLine):
    rule = staticmethod(phone_problem)


class IdentityNumber(Ruled, schema.ASCIILine):
    rule = staticmethod(id_number_problem)


class EmailAddress(Ruled, Email):
    rule = staticmethod(email_problem)


class Year(Ruled, schema.Int):
    rule = staticmethod(year_problem)


class Quarter(Ruled, schema.Int):
    rule = staticmethod(quarter_problem)
