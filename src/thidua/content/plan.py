"""Plan (Kế hoạch): issued by a unit for a period, holds its movements and reports."""

from plone.app.textfield import RichText
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.supermodel import model
from thidua import _
from thidua.content import limits
from thidua.content.publishing import ThiduaContainer
from thidua.content.validation import FieldInvalid
from z3c.relationfield.schema import RelationChoice
from zope import schema
from zope.interface import implementer
from zope.interface import invariant


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
    quarterly_rotation = schema.List(
        title=_("Who introduces in each quarter"),
        description=_(
            "Optional: line 1 names who introduces models in the first quarter, "
            "line 2 in the second, and so on."
        ),
        value_type=schema.TextLine(max_length=limits.LINE),
        max_length=4,
        required=False,
        default=[],
    )

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
