"""Vocabularies.

The lists an administrator keeps (unit levels, fields of work, honour forms)
live in the registry and are edited in the Thi đua control panel, one entry per
line as ``id|Vietnamese title|English title``.  The fixed lists (kinds,
genders, report types) are code because portals depend on their values.
"""

from plone import api
from plone.base.utils import safe_text
from thidua import _
from thidua.chains.access import chain_of
from thidua.chains.titles import in_language
from thidua.language import plone_language
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


def parse_entry(line):
    """``id|Vietnamese|English`` -> (id, vi, en); the titles default to the id."""
    parts = [part.strip() for part in safe_text(line).split("|")]
    token = parts[0]
    vi = parts[1] if len(parts) > 1 and parts[1] else token
    en = parts[2] if len(parts) > 2 and parts[2] else vi
    return token, vi, en


def registry_titles(name, language=None):
    """token -> title of a registry list, in ``language`` (default: the current one)."""
    entries = api.portal.get_registry_record(f"thidua.{name}", default=None) or []
    english = (language or plone_language()).startswith("en")
    titles = {}
    for line in entries:
        token, vi, en = parse_entry(line)
        if token:
            titles[token] = en if english else vi
    return titles


def registry_vocabulary(name):
    return SimpleVocabulary(
        [SimpleTerm(token, token, title) for token, title in registry_titles(name).items()]
    )


@provider(IVocabularyFactory)
def unit_levels(context):
    return registry_vocabulary("unit_levels")


@provider(IVocabularyFactory)
def fields(context):
    return registry_vocabulary("fields")


@provider(IVocabularyFactory)
def honour_forms(context):
    return registry_vocabulary("honour_forms")


def fixed(*items):
    return SimpleVocabulary([SimpleTerm(value, value, title) for value, title in items])


KINDS = fixed(
    ("collective", _("Collective")),
    ("individual", _("Individual")),
    ("household", _("Household")),
)
GENDERS = fixed(("female", _("Female")), ("male", _("Male")))
REPORT_TYPES = fixed(
    ("quarterly", _("Quarterly")),
    ("midterm", _("Mid-term review")),
    ("final", _("Final review")),
    ("annual", _("Annual")),
)
# What spreads a model (thidua.replication); issue 15 and seed 001, III.4.
ACTIVITY_KINDS = fixed(
    ("experience_report", _("Experience report at a meeting or review")),
    ("site_visit", _("Site visit")),
    ("article", _("Article or broadcast")),
    ("material", _("Compiled material")),
    ("learning_movement", _("Movement to learn from the model")),
    ("writing_contest", _("Writing contest")),
)


@provider(IVocabularyFactory)
def activity_kinds(context):
    return ACTIVITY_KINDS


@provider(IVocabularyFactory)
def candidate_chains(context):
    """The candidate workflows an administrator may give a unit, titled in the
    reader's language (as the chain file writes it)."""
    workflows = api.portal.get_tool("portal_workflow")
    language = plone_language()
    return SimpleVocabulary(
        [
            SimpleTerm(wf_id, wf_id, _chain_title(workflows[wf_id], language))
            for wf_id in sorted(workflows.objectIds())
            if wf_id.startswith("thidua_candidate")
        ]
    )


def _chain_title(workflow, language):
    title = chain_of(workflow).get("title") or workflow.title
    return in_language(title, language) if title else workflow.getId()
