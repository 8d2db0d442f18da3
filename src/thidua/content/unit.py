"""Unit (Đơn vị): an organisational unit with its own council; units nest."""

from plone import api
from plone.dexterity.interfaces import IDexterityContent
from plone.restapi.deserializer.dxfields import DefaultFieldDeserializer
from plone.restapi.interfaces import IFieldDeserializer
from plone.schema import Email
from plone.supermodel import model
from plone.uuid.interfaces import IUUID
from thidua import _
from thidua.content import limits
from thidua.content.publishing import ThiduaContainer
from zope import schema
from zope.component import adapter
from zope.interface import implementer
from zope.publisher.interfaces.browser import IBrowserRequest
from zope.schema.interfaces import IASCIILine
from zope.schema.interfaces import ValidationError

import Acquisition


DEFAULT_CHAIN = "thidua_candidate_workflow"


class CodeNotUnique(ValidationError):
    __doc__ = _("Another unit already uses this code.")


class IUnitCodeField(IASCIILine):
    """Marker of the unit code field."""


@implementer(IUnitCodeField)
class UnitCode(schema.ASCIILine):
    """A unit's code: unique in the site, it names the unit's delegation groups.

    Bound to the unit being edited (``UnitCodeDeserializer`` below), it does not
    clash with itself.
    """

    def _validate(self, value):
        super()._validate(value)
        # A unit being created over the API has no UUID yet: it clashes with all.
        own_uid = IUUID(self.context, None) if _is_unit(self.context) else None
        catalog = api.portal.get_tool("portal_catalog")
        for brain in catalog.unrestrictedSearchResults(portal_type="Unit", unit_code=value):
            if own_uid != brain.UID:
                raise CodeNotUnique(value)


def _is_unit(obj):
    return getattr(obj, "portal_type", None) == "Unit"


class IUnit(model.Schema):
    code = UnitCode(
        title=_("Code"),
        description=_(
            "A short code, unique in the site, such as GIALAI or BRVT-CONDAO. "
            "It names the unit's delegation groups."
        ),
        constraint=lambda value: bool(value.strip()),
        max_length=limits.CODE,
    )
    level = schema.Choice(
        title=_("Level"),
        description=_("The administrative level of the unit."),
        vocabulary="thidua.unit_levels",
    )
    email = Email(
        title=_("Email"),
        description=_("The address of the unit's emulation and commendation office."),
        required=False,
        max_length=limits.LINE,
    )
    candidate_chain = schema.Choice(
        title=_("Approval chain for candidates"),
        description=_("The workflow that the candidates nominated in this unit follow."),
        vocabulary="thidua.candidate_chains",
        default=DEFAULT_CHAIN,
    )


@implementer(IUnit)
class Unit(ThiduaContainer):
    """A unit; it blocks local roles from its parent, so that each unit is its
    own scope (see thidua.delegation)."""

    __ac_local_roles_block__ = True


@implementer(IFieldDeserializer)
@adapter(IUnitCodeField, IDexterityContent, IBrowserRequest)
class UnitCodeDeserializer(DefaultFieldDeserializer):
    """plone.restapi validates unbound fields; bind this one to the unit being
    edited so that saving a unit with its own code is not a clash."""

    def __init__(self, field, context, request):
        super().__init__(field.bind(context), context, request)


# Where content sits among units: candidates, movements and plans belong to the
# nearest unit above them; units nest, each under its parent unit.


def unit_of(obj):
    """The nearest Unit at or above ``obj``, or None."""
    for item in Acquisition.aq_chain(obj):
        if IUnit.providedBy(item):
            return item
    return None


def parent_unit(unit):
    """The unit directly above ``unit``, or None for a top unit."""
    parent = Acquisition.aq_parent(Acquisition.aq_inner(unit))
    return parent if _is_unit(parent) else None


def higher_units(unit):
    """The units above ``unit``, nearest first."""
    parent = Acquisition.aq_parent(Acquisition.aq_inner(unit))
    return [item for item in Acquisition.aq_chain(parent) if IUnit.providedBy(item)]


def ancestor(obj, interface):
    """The nearest item above ``obj`` providing ``interface`` (a candidate's
    movement, say), or None."""
    for item in Acquisition.aq_chain(Acquisition.aq_inner(obj))[1:]:
        if interface.providedBy(item):
            return item
    return None
