"""Report (Báo cáo): quarterly introductions, reviews and annual reports."""

from plone.app.textfield import RichText
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.supermodel import model
from thidua import _
from thidua.clusters.cluster import addressed_clusters_field
from thidua.clusters.cluster import ADDRESSED_WIDGET
from thidua.clusters.cluster import check_addressed
from thidua.content import limits
from thidua.content import rules
from thidua.content.publishing import ThiduaContainer
from thidua.content.validation import FieldInvalid
from thidua.vocabularies import REPORT_TYPES
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer
from zope.interface import invariant


class IReport(model.Schema):
    report_type = schema.Choice(
        title=_("Type of report"), vocabulary=REPORT_TYPES, default="quarterly"
    )
    year = rules.Year(title=_("Year"), min=rules.FIRST_YEAR)
    quarter = rules.Quarter(
        title=_("Quarter"),
        description=_("1 to 4; empty for other than quarterly reports."),
        min=1,
        max=4,
        required=False,
    )
    body = RichText(
        title=_("Report"),
        required=False,
        max_length=limits.RICH_TEXT,
    )

    directives.widget(
        "candidates",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["Candidate"]},
    )
    candidates = RelationList(
        title=_("Advanced models introduced"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
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
    # The administrative document (Decree 30/2020/NĐ-CP) that thidua.documents prints.
    model.fieldset(
        "document",
        label=_("Document"),
        fields=[
            "document_number",
            "place",
            "issued_date",
            "recipients",
            "signer_position",
            "signer",
        ],
    )
    document_number = schema.TextLine(
        title=_("Document number"),
        description=_("Number and symbol as printed, for example 25/BC-UBND."),
        required=False,
        max_length=limits.LINE,
    )
    place = schema.TextLine(
        title=_("Place"),
        description=_("Where it is issued, printed before the date: Gia Lai, ngày ..."),
        required=False,
        max_length=limits.LINE,
    )
    issued_date = schema.Date(title=_("Date issued"), required=False)
    recipients = schema.List(
        title=_("Recipients"),
        description=_("“Nơi nhận”: one recipient a line."),
        value_type=schema.TextLine(max_length=limits.LINE),
        max_length=limits.LIST_ITEMS,
        required=False,
        default=[],
    )
    signer_position = schema.TextLine(
        title=_("Signer's position"),
        description=_("Printed above the signature, for example CHỦ TỊCH."),
        required=False,
        max_length=limits.LINE,
    )
    signer = schema.TextLine(title=_("Signed by"), required=False, max_length=limits.LINE)

    directives.omitted("statistics")
    # thidua.reports: the figures frozen on submit.
    statistics = schema.Dict(
        title=_("Statistics"),
        description=_("Filled in when the report is submitted."),
        required=False,
        readonly=True,
    )

    @invariant
    def quarterly_has_quarter(data):
        if data.report_type == "quarterly" and not data.quarter:
            raise FieldInvalid(_("A quarterly report needs its quarter (1 to 4)."), "quarter")


@implementer(IReport)
class Report(ThiduaContainer):
    """A report."""
