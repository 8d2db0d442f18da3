"""Schemas of the replication types: Activity and Adoption."""

from plone.app.textfield import RichText
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from thidua import _
from thidua.content import limits
from thidua.content.publishing import ThiduaContainer
from thidua.vocabularies import ACTIVITY_KINDS
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer


def _candidates_widget(field):
    directives.widget(
        field,
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["Candidate"]},
    )


class IActivity(model.Schema):
    """What a unit did to spread one or more models; the unit it lives in organised it."""

    activity_kind = schema.Choice(title=_("Kind of activity"), vocabulary=ACTIVITY_KINDS)
    activity_date = schema.Date(title=_("Date"))

    _candidates_widget("models")
    models = RelationList(
        title=_("Advanced models featured"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        min_length=1,
    )

    directives.widget(
        "participating_units",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["Unit"]},
    )
    participating_units = RelationList(
        title=_("Units that took part"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        required=False,
        default=[],
    )
    participants = schema.Int(title=_("Number of participants"), min=0, required=False)
    participants_note = schema.Text(
        title=_("Who took part"),
        description=_("Groups and positions, not people's personal data."),
        required=False,
        max_length=limits.DESCRIPTION,
    )
    outlet = schema.TextLine(
        title=_("Outlet"),
        description=_("The newspaper, radio, television or web page that carried it."),
        required=False,
        max_length=limits.LINE,
    )
    link = schema.URI(title=_("Link"), required=False)
    body = RichText(title=_("Content and results"), required=False, max_length=limits.RICH_TEXT)
    evidence = NamedBlobFile(
        title=_("Evidence"),
        description=_("Minutes, programme, article, compiled material."),
        required=False,
    )


class IAdoption(model.Schema):
    """A unit took up a model's method: the unit it lives in is the adopting unit."""

    _candidates_widget("adopted_model")
    adopted_model = RelationChoice(
        title=_("Advanced model adopted"),
        vocabulary="plone.app.vocabularies.Catalog",
    )
    adoption_date = schema.Date(title=_("Date adopted"))
    participants = schema.Int(title=_("Number of participants"), min=0, required=False)
    result = schema.Text(title=_("Result"), required=False, max_length=limits.DESCRIPTION)


@implementer(IActivity)
class Activity(ThiduaContainer):
    pass


@implementer(IAdoption)
class Adoption(ThiduaContainer):
    pass
