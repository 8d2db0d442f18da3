"""Plan (Kế hoạch): issued by a unit for a period, holds its movements and reports."""

from plone.app.textfield import RichText
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.interfaces import IDexterityContent
from plone.restapi.deserializer.dxfields import CollectionFieldDeserializer
from plone.restapi.interfaces import IFieldDeserializer
from plone.supermodel import model
from thidua import _
from thidua.clusters.cluster import addressed_clusters_field
from thidua.clusters.cluster import ADDRESSED_WIDGET
from thidua.clusters.cluster import check_addressed
from thidua.content import limits
from thidua.content.publishing import ThiduaContainer
from thidua.content.unit import IUnit
from thidua.content.unit import unit_of
from thidua.content.validation import FieldInvalid
from z3c.relationfield.schema import RelationChoice
from zope import schema
from zope.component import adapter
from zope.interface import implementer
from zope.interface import invariant
from zope.publisher.interfaces.browser import IBrowserRequest
from zope.schema.interfaces import IList
from zope.schema.interfaces import ValidationError


def rotation_codes(line):
    """The sub-unit codes a line of ``quarterly_rotation`` names (before ``|``)."""
    names = (line or "").partition("|")[0].replace(";", ",").split(",")
    return [name.strip().upper() for name in names if name.strip()]


def sub_unit_codes(unit):
    return {
        (sub_unit.code or "").upper(): sub_unit
        for sub_unit in unit.objectValues()
        if IUnit.providedBy(sub_unit)
    }


def rotation_names(unit):
    """{CODE: [units]} of what a rotation line of ``unit``'s plans may name:
    a sub-unit's code stands for the sub-unit, the code of a cluster or bloc
    that ``unit`` organises (thidua.clusters) for its member units."""
    from thidua import clusters

    names = {code: [sub_unit] for code, sub_unit in sub_unit_codes(unit).items()}
    for code, cluster in clusters.by_code(unit).items():
        names.setdefault(code, clusters.members(cluster))
    return names


def _named(plan):
    """[(quarter, [codes named that quarter])] and the names known to the plan's unit."""
    unit = unit_of(plan)
    known = rotation_names(unit) if unit is not None else {}
    lines = getattr(plan, "quarterly_rotation", None) or ()
    named = [
        (quarter, [code for code in rotation_codes(line) if code in known])
        for quarter, line in enumerate(lines, 1)
    ]
    return named, known


def rotation(plan):
    """Quarter (1-4) -> codes of the units that introduce that quarter, or
    None when the plan's rotation names none of its unit's sub-units or
    clusters (every sub-unit, every quarter). A cluster's code stands for its
    member units. A name that is neither is left out: the form and the API
    refuse one; an older free-text note names none."""
    named, known = _named(plan)
    quarters = {
        quarter: {(unit.code or "").upper() for code in codes for unit in known[code]}
        for quarter, codes in named
    }
    if not any(quarters.values()):
        return None
    return {quarter: quarters.get(quarter, set()) for quarter in range(1, 5)}


def rotation_clusters(plan):
    """Quarter -> the codes of the clusters and blocs the plan's rotation
    names that quarter, or None when it names none."""
    from thidua import clusters

    unit = unit_of(plan)
    cluster_codes = set(clusters.by_code(unit)) if unit is not None else set()
    named, _known = _named(plan)
    quarters = {quarter: sorted(set(codes) & cluster_codes) for quarter, codes in named}
    if not any(quarters.values()):
        return None
    return {quarter: quarters.get(quarter, []) for quarter in range(1, 5)}


def rotation_units(plan):
    """The units the plan's rotation names, sub-units and clusters' members,
    each once, in the order the lines name them."""
    named, known = _named(plan)
    found = []
    for _quarter, codes in named:
        for code in codes:
            for unit in known[code]:
                if unit not in found:
                    found.append(unit)
    return found


class RotationInvalid(ValidationError):
    """A line of the rotation that names no sub-unit of the plan's unit."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def doc(self):
        return self.message


class IQuarterlyRotationField(IList):
    """Marker of the quarterly rotation field."""


@implementer(IQuarterlyRotationField)
class QuarterlyRotation(schema.List):
    """Per quarter, the codes of the sub-units that introduce models. Bound to
    the plan (or, in the add form, to its unit: QuarterlyRotationDeserializer
    binds it over the API), it checks each code against the unit's sub-units."""

    def _validate(self, value):
        super()._validate(value)
        unit = unit_of(self.context) if self.context is not None else None
        if unit is None:
            return
        from thidua import clusters

        known = rotation_names(unit)
        cluster_codes = set(clusters.by_code(unit))
        for number, line in enumerate(value or (), 1):
            for code in rotation_codes(line):
                if code not in known:
                    raise RotationInvalid(
                        _(
                            "Line ${line}: “${code}” is not the code of a sub-unit of "
                            "${unit} nor of one of its clusters or blocs (sub-units: "
                            "${known}; clusters and blocs: ${clusters}). Write the codes "
                            "separated by commas, then | and a note if you wish.",
                            mapping={
                                "line": number,
                                "code": code,
                                "unit": unit.Title(),
                                "known": ", ".join(sorted(set(known) - cluster_codes)) or "-",
                                "clusters": ", ".join(sorted(cluster_codes)) or "-",
                            },
                        )
                    )


@implementer(IFieldDeserializer)
@adapter(IQuarterlyRotationField, IDexterityContent, IBrowserRequest)
class QuarterlyRotationDeserializer(CollectionFieldDeserializer):
    """plone.restapi validates unbound fields; bind this one to the plan."""

    def __init__(self, field, context, request):
        super().__init__(field.bind(context), context, request)

    def __call__(self, value):
        # plone.restapi reads an empty line as None: a quarter without sub-units.
        return [line or "" for line in super().__call__(value) or []]


class IPlan(model.Schema):
    document_number = schema.TextLine(
        title=_("Document number"),
        description=_("As printed on the plan, for example 1043/KH-UBND."),
        required=False,
        max_length=limits.LINE,
    )
    signer = schema.TextLine(title=_("Signed by"), required=False, max_length=limits.LINE)
    issued_date = schema.Date(title=_("Date issued"), required=False)
    period_start = schema.Int(title=_("First year of the period"), min=1945, max=2200)
    period_end = schema.Int(title=_("Last year of the period"), min=1945, max=2200)
    purpose = RichText(
        title=_("Purpose"),
        required=False,
        max_length=limits.RICH_TEXT,
    )
    requirements = RichText(
        title=_("Requirements"),
        required=False,
        max_length=limits.RICH_TEXT,
    )
    criteria = RichText(
        title=_("General criteria"),
        required=False,
        max_length=limits.RICH_TEXT,
    )

    directives.widget(
        "implements",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["Plan"]},
    )
    implements = RelationChoice(
        title=_("Implements the plan"),
        description=_("The plan of the level above that this plan carries out."),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )
    subplan_deadline = schema.Date(title=_("Deadline for the plans of lower units"), required=False)
    midterm_review_date = schema.Date(title=_("Mid-term review"), required=False)
    final_review_date = schema.Date(title=_("Final review"), required=False)
    quarterly_quota = schema.Int(
        title=_("Models to introduce each quarter"),
        description=_("How many advanced models each unit introduces every quarter."),
        default=1,
        min=0,
    )
    quarterly_deadline_day = schema.Int(
        title=_("Day of the quarter's last month by which introductions are due"),
        default=5,
        min=1,
        max=28,
    )
    quarterly_rotation = QuarterlyRotation(
        title=_("Who introduces in each quarter"),
        description=_(
            "Optional: line 1 is the first quarter, line 2 the second, and so on. On each "
            "line the codes of the sub-units, or of the unit's clusters and blocs (which "
            "stand for their member units), that introduce models that quarter, separated "
            "by commas, then | and a note if you wish: KHOI-VHXH, CONDAO-DBP | Khối văn "
            "hóa - xã hội. When no line names a sub-unit or a cluster, every sub-unit "
            "introduces every quarter."
        ),
        value_type=schema.TextLine(max_length=limits.LINE, required=False),
        max_length=4,
        required=False,
        default=[],
    )
    directives.widget(
        "addressed_clusters",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options=ADDRESSED_WIDGET,
    )
    addressed_clusters = addressed_clusters_field()
    invariant(check_addressed)

    @invariant
    def period_in_order(data):
        start, end = data.period_start, data.period_end
        if start is not None and end is not None and start > end:
            raise FieldInvalid(_("The period must not end before it starts."), "period_end")

    @invariant
    def milestones_inside_period(data):
        start, end = data.period_start, data.period_end
        if start is None or end is None:
            return
        for name in ("subplan_deadline", "midterm_review_date", "final_review_date"):
            value = getattr(data, name, None)
            if value is not None and not start <= value.year <= end:
                raise FieldInvalid(
                    _(
                        "${field} must fall inside the plan's period (${start}-${end}).",
                        mapping={"field": MILESTONE_TITLES[name], "start": start, "end": end},
                    ),
                    name,
                )


MILESTONE_TITLES = {
    "subplan_deadline": _("Deadline for the plans of lower units"),
    "midterm_review_date": _("Mid-term review"),
    "final_review_date": _("Final review"),
}


@implementer(IPlan)
class Plan(ThiduaContainer):
    """A plan."""
