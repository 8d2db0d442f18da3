"""Cluster (Cụm, khối thi đua): units grouped for emulation across the unit
tree, with a head unit (khối trưởng, cụm trưởng). It lives in the unit that
organises it (the province, say) and names units anywhere below that unit.

Its rules (a code unique among the unit's clusters and unlike any unit's code,
members under the organising unit, a head among the members) are invariants
naming their field (FieldInvalid), so the Classic forms show them under the
field and the API answers 400 naming it, as for the other types."""

from plone import api
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.supermodel import model
from plone.uuid.interfaces import IUUID
from thidua import _
from thidua.content import limits
from thidua.content.publishing import ThiduaContainer
from thidua.content.unit import IUnit
from thidua.content.unit import unit_of
from thidua.content.validation import FieldInvalid
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.globalrequest import getRequest
from zope.interface import implementer
from zope.interface import invariant
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

import Acquisition
import re


# A code is written in a plan's rotation, between commas and before "|".
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

KINDS = SimpleVocabulary(
    [
        SimpleTerm("cluster", "cluster", _("Emulation cluster (Cụm)")),
        SimpleTerm("bloc", "bloc", _("Emulation bloc (Khối)")),
    ]
)


@provider(IVocabularyFactory)
def cluster_kinds(context):
    return KINDS


UNITS_WIDGET = {"selectableTypes": ["Unit"]}


class ICluster(model.Schema):
    cluster_kind = schema.Choice(
        title=_("Cluster or bloc"),
        description=_(
            "A cluster (Cụm) groups units of one kind by area, such as districts; a bloc "
            "(Khối) groups units by their field, such as departments."
        ),
        vocabulary="thidua.cluster_kinds",
        default="bloc",
    )
    code = schema.ASCIILine(
        title=_("Code"),
        description=_(
            "A short code, such as KHOI-VHXH or CUM-1: a plan's quarterly rotation "
            "names the cluster by it. Unique among the unit's clusters and blocs, and "
            "different from every unit's code."
        ),
        max_length=limits.CODE,
    )
    directives.widget(
        "member_units",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options=UNITS_WIDGET,
    )
    member_units = RelationList(
        title=_("Member units"),
        description=_("The units in the cluster: any units under the organising unit."),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        max_length=limits.LIST_ITEMS,
        default=[],
    )
    directives.widget(
        "head_unit",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options=UNITS_WIDGET,
    )
    head_unit = RelationChoice(
        title=_("Head unit"),
        description=_("The unit that heads the cluster (Cụm trưởng, Khối trưởng): a member."),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )
    head_rotation = schema.Text(
        title=_("Rotation of the head"),
        description=_("Optional: how the head changes, for example each year in turn."),
        required=False,
        max_length=limits.DESCRIPTION,
    )

    @invariant
    def code_is_free(data):
        code = getattr(data, "code", None)
        if not code:
            return
        if not CODE.fullmatch(code):
            raise FieldInvalid(
                _(
                    "A code is letters, digits, dots, dashes and underscores, starting "
                    "with a letter or a digit, such as KHOI-VHXH."
                ),
                "code",
            )
        context = _context(data)
        organiser = unit_of(context) if context is not None else None
        own = IUUID(context, None) if _is_cluster(context) else None
        catalog = api.portal.get_tool("portal_catalog")
        unit_codes = {str(value).upper() for value in catalog.uniqueValuesFor("unit_code")}
        if code.upper() in unit_codes:
            raise FieldInvalid(
                _(
                    "${code} is the code of a unit: a plan's rotation names units and "
                    "clusters by their codes, so a cluster's code differs from every unit's.",
                    mapping={"code": code},
                ),
                "code",
            )
        for cluster in clusters_of(organiser):
            if IUUID(cluster, None) != own and (cluster.code or "").upper() == code.upper():
                raise FieldInvalid(
                    _(
                        "Another cluster or bloc of ${unit} already uses the code ${code}.",
                        mapping={"unit": organiser.Title(), "code": code},
                    ),
                    "code",
                )

    @invariant
    def members_under_the_unit(data):
        members = [_target(value) for value in getattr(data, "member_units", None) or []]
        if not members:
            raise FieldInvalid(_("A cluster or bloc has at least one member unit."), "member_units")
        context = _context(data)
        organiser = unit_of(context) if context is not None else None
        if organiser is None:
            return
        for member in members:
            if not IUnit.providedBy(member) or not _is_below(member, organiser):
                raise FieldInvalid(
                    _(
                        "${title} is not a unit under ${unit}: the members of a cluster "
                        "are units that ${unit} organises, at any level below it.",
                        mapping={"title": _title(member), "unit": organiser.Title()},
                    ),
                    "member_units",
                )

    @invariant
    def head_is_a_member(data):
        head = _target(getattr(data, "head_unit", None))
        if head is None:
            return
        members = [_target(value) for value in getattr(data, "member_units", None) or []]
        uids = {IUUID(member, None) for member in members if member is not None}
        if not IUnit.providedBy(head) or IUUID(head, None) not in uids:
            raise FieldInvalid(
                _(
                    "The head unit (${title}) must be one of the member units.",
                    mapping={"title": _title(head)},
                ),
                "head_unit",
            )


@implementer(ICluster)
class Cluster(ThiduaContainer):
    """A cluster or bloc of units; it holds nothing (its FTI allows no type)."""


def _is_cluster(obj):
    return getattr(obj, "portal_type", None) == "Cluster"


def _context(data):
    """Where the form or the API works: the cluster being edited or created,
    or, in an add form (which validates without content), the unit it is added to."""
    context = getattr(data, "__context__", None)
    if context is None:
        request = getRequest()
        published = request.get("PUBLISHED") if request is not None else None
        context = getattr(published, "context", None)
    return context if Acquisition.aq_chain(context) else None


def _target(value):
    """The object a relation value (or, before it is stored, the object itself) names."""
    if value is None:
        return None
    return getattr(value, "to_object", value) if hasattr(value, "to_object") else value


def _title(obj):
    return obj.Title() if hasattr(obj, "Title") else str(obj)


def _is_below(unit, organiser):
    path = unit.getPhysicalPath()
    top = organiser.getPhysicalPath()
    return len(path) > len(top) and path[: len(top)] == top


def clusters_of(unit):
    """The clusters and blocs ``unit`` organises, in their order in the unit."""
    if unit is None:
        return []
    return [item for item in unit.objectValues() if _is_cluster(item)]


# Plans and reports addressed to clusters ------------------------------------


def addressed_clusters_field():
    """The ``addressed_clusters`` field of a Plan or a Report."""
    return RelationList(
        title=_("Addressed to clusters and blocs"),
        description=_(
            "Optional: the emulation clusters or blocs this is addressed to, organised by "
            "this unit or a unit above it."
        ),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        required=False,
        max_length=limits.LIST_ITEMS,
        default=[],
    )


ADDRESSED_WIDGET = {"selectableTypes": ["Cluster"]}


def check_addressed(data):
    """Invariant of a Plan's or a Report's ``addressed_clusters``: clusters
    organised by its unit or a unit above it."""
    clusters = [_target(value) for value in getattr(data, "addressed_clusters", None) or []]
    context = _context(data)
    unit = unit_of(context) if context is not None else None
    if unit is None or not clusters:
        return
    organisers = {
        IUUID(item, None) for item in Acquisition.aq_chain(unit) if IUnit.providedBy(item)
    }
    for cluster in clusters:
        organiser = unit_of(cluster) if _is_cluster(cluster) else None
        if organiser is None or IUUID(organiser, None) not in organisers:
            raise FieldInvalid(
                _(
                    "${title} is not a cluster or bloc of ${unit} or of a unit above it.",
                    mapping={"title": _title(cluster), "unit": unit.Title()},
                ),
                "addressed_clusters",
            )


# Who writes a cluster -------------------------------------------------------

# A cluster follows no workflow: it is read by whoever reads its unit. Its
# writers are set on the item when it is added: the secretaries of the
# organising unit (their role comes from the unit's groups, acquired) and the
# administrators; nobody hands out local roles on it (delegation stays by unit).
WRITERS = ("Manager", "Site Administrator", "CouncilSecretary")
CLUSTER_PERMISSIONS = {
    "Modify portal content": WRITERS,
    "Delete objects": WRITERS,
    "Sharing page: Delegate roles": ("Manager", "Site Administrator"),
}


def set_permissions(cluster, event=None):
    for permission, roles in CLUSTER_PERMISSIONS.items():
        cluster.manage_permission(permission, list(roles), acquire=False)
