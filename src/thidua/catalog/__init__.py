"""What the catalog knows of thidua's content: indexes and metadata for the
listings and dashboards (so they need no object loads), and SearchableText.

Personal data (content/candidate.py PERSONAL_DATA) goes into none of them.
"""

from plone.base.utils import safe_text
from plone.indexer import indexer
from Products.CMFCore.utils import getToolByName
from thidua import nurture
from thidua.content.candidate import ICandidate
from thidua.content.movement import IMovement
from thidua.content.plan import IPlan
from thidua.content.report import IReport
from thidua.content.unit import ancestor
from thidua.content.unit import IUnit
from thidua.content.unit import unit_of
from thidua.interfaces import IDossierFile


def _text(obj, richtext):
    if not getattr(richtext, "raw", None):
        return ""
    transforms = getToolByName(obj, "portal_transforms")
    data = transforms.convertTo("text/plain", safe_text(richtext.raw), mimetype=richtext.mimeType)
    return data.getData().strip() if data else ""


def _searchable(obj, *parts):
    words = [obj.getId(), obj.title, obj.description, *parts]
    return " ".join(safe_text(word) for word in words if word)


def record_ids(brains):
    """The catalog record ids of an unsorted search's ``brains``, as a list.
    ZTUtils' LazyMap keeps them as ``_seq``, no brain made: the ids in the
    order of the BTrees set the search returned (ascending), or for a text
    search (score, id) pairs by score. Anything else is asked brain by brain."""
    rids = getattr(brains, "_seq", None)
    if not isinstance(rids, list):
        return [brain.getRID() for brain in brains]
    if rids and isinstance(rids[0], tuple):
        return [rid for _score, rid in rids]
    return rids


@indexer(IUnit)
def unit_searchable_text(obj):
    return _searchable(obj, obj.code)


@indexer(IPlan)
def plan_searchable_text(obj):
    return _searchable(obj, obj.document_number, obj.signer, _text(obj, obj.purpose))


@indexer(IMovement)
def movement_searchable_text(obj):
    return _searchable(obj, obj.lead_agency, _text(obj, obj.criteria))


@indexer(ICandidate)
def candidate_searchable_text(obj):
    # Public words only: never birth date, gender, phone, email or identity number.
    return _searchable(
        obj, obj.organisation, _text(obj, obj.achievements), _text(obj, obj.initiatives)
    )


@indexer(IReport)
def report_searchable_text(obj):
    return _searchable(obj, _text(obj, obj.body))


@indexer(IUnit)
def unit_code(obj):
    return obj.code


@indexer(ICandidate)
def candidate_unit(obj):
    unit = unit_of(obj)
    return unit.UID() if unit is not None else None


@indexer(ICandidate)
def candidate_unit_title(obj):
    unit = unit_of(obj)
    return unit.title if unit is not None else None


@indexer(ICandidate)
def candidate_movement(obj):
    movement = ancestor(obj, IMovement)
    return movement.UID() if movement is not None else None


@indexer(ICandidate)
def candidate_movement_title(obj):
    movement = ancestor(obj, IMovement)
    return movement.title if movement is not None else None


@indexer(ICandidate)
def candidate_introduced_by(obj):
    """The UID of the unit that introduced this candidate upward (@introduce)."""
    relation = getattr(obj, "introduced_from", None)
    source = relation.to_object if relation is not None else None
    unit = unit_of(source) if source is not None else None
    return unit.UID() if unit is not None else None


@indexer(ICandidate)
def candidate_next_checkin(obj):
    return nurture.next_checkin(obj)


@indexer(ICandidate)
def candidate_last_checkin(obj):
    latest = nurture.latest_checkin(obj)
    return latest["date"] if latest else None


@indexer(ICandidate)
def candidate_nurture_punctuality(obj):
    return nurture.punctuality(obj)


@indexer(ICandidate)
def candidate_nurture_plan(obj):
    """True when anything is written in the plan; None (not indexed) otherwise."""
    return True if nurture.has_plan(obj) else None


@indexer(ICandidate)
def candidate_nurture_status(obj):
    latest = nurture.latest_checkin(obj)
    return latest["status"] if latest else None


def _candidate_attribute(name):
    """An indexer of a candidate's own ``name``: an indexer, not the bare
    attribute, so that files and photos inside a candidate never acquire it."""

    @indexer(ICandidate)
    def candidate_attribute(obj):
        return getattr(obj, name, None)

    return candidate_attribute


candidate_kind = _candidate_attribute("kind")
candidate_field = _candidate_attribute("field")
candidate_year = _candidate_attribute("year")
candidate_quarter = _candidate_attribute("quarter")
candidate_organisation = _candidate_attribute("organisation")
candidate_honour_form = _candidate_attribute("honour_form")
candidate_honoured_date = _candidate_attribute("honoured_date")


@indexer(IDossierFile)
def dossier_file_searchable_text(obj):
    # The title only, whether the file is public or not: the text of a CV or a
    # certificate holds personal data (plone.app.contenttypes indexes it all).
    return safe_text(obj.title) or ""
