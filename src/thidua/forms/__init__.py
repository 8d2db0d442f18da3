"""Public forms built with collective.easyform: the "Tạo hồ sơ điển hình"
action (action.py), its spam defences (spam.py) and the public-notice
feedback on candidates (feedback.py)."""

from plone import api
from thidua.vocabularies import KINDS
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


@provider(IVocabularyFactory)
def movements(context):
    """The movements the current user sees, by UID, titled with their plan
    and unit: the choice of the action's target."""
    catalog = api.portal.get_tool("portal_catalog")
    terms = []
    for brain in catalog(portal_type="Movement", sort_on="sortable_title"):
        parent = brain.getPath().split("/")[-2]
        terms.append(SimpleTerm(brain.UID, brain.UID, f"{brain.Title} ({parent})"))
    return SimpleVocabulary(terms)


@provider(IVocabularyFactory)
def kinds(context):
    """Collective, individual, household: for a form's choice of kind."""
    return KINDS
