"""Schemas of the replication types: Activity and Adoption."""

from plone import api
from plone.app.textfield import RichText
from plone.app.z3cform.widgets.contentbrowser import ContentBrowserFieldWidget
from plone.autoform import directives
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from thidua import _
from thidua.content import limits
from thidua.content import rules
from thidua.content.publishing import ThiduaContainer
from thidua.vocabularies import ACTIVITY_KINDS
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer

import datetime


# The states of a model that may be spread: chosen by the council, or honoured.
MODEL_STATES = ("selected", "honoured")
# What the catalog's ``thidua_activity_kind`` says of an Adoption (an Activity
# says its own kind).
ADOPTION = "adoption"
# An activity may be recorded once scheduled (a site visit next month, a
# writing contest announced for the autumn), at most this far ahead; an
# adoption is recorded once it happened, so never after today.
DAYS_AHEAD = 366
FIRST_DAY = datetime.date(rules.FIRST_YEAR, 1, 1)


def _target(value):
    """The object a relation field's value points to: forms and plone.restapi
    validate objects; a stored value is a RelationValue."""
    return getattr(value, "to_object", value)


def _portal_type(obj):
    return getattr(obj, "portal_type", None)


def models_problem(values):
    if not isinstance(values, (list, tuple)):
        return None
    for value in values:
        obj = _target(value)
        if obj is None:
            continue
        state = api.content.get_state(obj, default=None) if _portal_type(obj) else None
        if _portal_type(obj) != "Candidate" or state not in MODEL_STATES:
            return _(
                "Only advanced models that the council selected or honoured can be spread: "
                '"${title}" is not one.',
                mapping={"title": getattr(obj, "title", "") or str(obj)},
            )
    return None


def model_problem(value):
    return None if value is None else models_problem([value])


def contest_form_problem(value):
    obj = _target(value)
    if obj is None or _portal_type(obj) == "EasyForm":
        return None
    return _("The contest's form is one of the site's forms (the entry form of the contest).")


def learning_movement_problem(value):
    obj = _target(value)
    if obj is None or _portal_type(obj) == "Movement":
        return None
    return _("The movement to learn from the model is an emulation movement of a plan.")


def activity_date_problem(value):
    if not isinstance(value, datetime.date):
        return None
    last = rules.today() + datetime.timedelta(days=DAYS_AHEAD)
    if FIRST_DAY <= value <= last:
        return None
    return _(
        "The date of the activity is from ${first} to ${last} (an activity may be recorded "
        "once scheduled, up to a year ahead).",
        mapping={"first": FIRST_DAY.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")},
    )


def adoption_date_problem(value):
    if not isinstance(value, datetime.date):
        return None
    if FIRST_DAY <= value <= rules.today():
        return None
    return _(
        "A unit records an adoption once it happened: the date is from ${first} to today.",
        mapping={"first": FIRST_DAY.strftime("%d/%m/%Y")},
    )


class Models(rules.Ruled, RelationList):
    rule = staticmethod(models_problem)


class Model(rules.Ruled, RelationChoice):
    rule = staticmethod(model_problem)


class ContestForm(rules.Ruled, RelationChoice):
    rule = staticmethod(contest_form_problem)


class LearningMovement(rules.Ruled, RelationChoice):
    rule = staticmethod(learning_movement_problem)


class ActivityDate(rules.Ruled, schema.Date):
    rule = staticmethod(activity_date_problem)


class AdoptionDate(rules.Ruled, schema.Date):
    rule = staticmethod(adoption_date_problem)


# Plone's content browser for every relation, each offering only the items of
# its type to select (the older related-items widget fails axe-core's checks).


class IActivity(model.Schema):
    """What a unit did to spread one or more models; the unit it lives in organised it."""

    activity_kind = schema.Choice(title=_("Kind of activity"), vocabulary=ACTIVITY_KINDS)
    activity_date = ActivityDate(title=_("Date"))

    directives.widget(
        "models", ContentBrowserFieldWidget, pattern_options={"selectableTypes": ["Candidate"]}
    )
    models = Models(
        title=_("Advanced models featured"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        min_length=1,
    )

    directives.widget(
        "participating_units",
        ContentBrowserFieldWidget,
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

    directives.widget(
        "contest_form", ContentBrowserFieldWidget, pattern_options={"selectableTypes": ["EasyForm"]}
    )
    contest_form = ContestForm(
        title=_("Entry form of the writing contest"),
        description=_("For a writing contest: the site's form that receives the entries."),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )

    directives.widget(
        "learning_movement",
        ContentBrowserFieldWidget,
        pattern_options={"selectableTypes": ["Movement"]},
    )
    learning_movement = LearningMovement(
        title=_("Movement to learn from the model"),
        description=_("For a learning movement: the emulation movement launched for it."),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )


class IAdoption(model.Schema):
    """A unit took up a model's method: the unit it lives in is the adopting unit."""

    directives.widget(
        "adopted_model",
        ContentBrowserFieldWidget,
        pattern_options={"selectableTypes": ["Candidate"]},
    )
    adopted_model = Model(
        title=_("Advanced model adopted"),
        vocabulary="plone.app.vocabularies.Catalog",
    )
    adoption_date = AdoptionDate(title=_("Date adopted"))
    participants = schema.Int(title=_("Number of participants"), min=0, required=False)
    result = schema.Text(title=_("Result"), required=False, max_length=limits.DESCRIPTION)


def named_models(item):
    """The candidates an Activity or an Adoption names (broken relations left out)."""
    relations = getattr(item, "models", None)
    if relations is None:
        adopted = getattr(item, "adopted_model", None)
        relations = [adopted] if adopted is not None else []
    return [relation.to_object for relation in relations if relation.to_object is not None]


@implementer(IActivity)
class Activity(ThiduaContainer):
    pass


@implementer(IAdoption)
class Adoption(ThiduaContainer):
    pass
