"""What the catalog knows of activities and adoptions, so that a model's reach
and the dashboards are catalog queries: the models named (their UIDs, a
keyword index read both ways), the kind, the date, the participants and the
unit (organising or adopting). Participants are a count, never names."""

from plone.indexer import indexer
from thidua.catalog import _searchable
from thidua.catalog import _text
from thidua.content.candidate import ICandidate
from thidua.content.unit import IUnit
from thidua.content.unit import unit_of
from thidua.replication.content import ADOPTION
from thidua.replication.content import IActivity
from thidua.replication.content import IAdoption
from thidua.replication.content import named_models
from thidua.replication.reach import score


def _uids(relations):
    return [relation.to_object.UID() for relation in relations or () if relation.to_object]


def _models(obj):
    return [model.UID() for model in named_models(obj)]


activity_models = indexer(IActivity)(_models)
adoption_models = indexer(IAdoption)(_models)


@indexer(IActivity)
def activity_kind(obj):
    return obj.activity_kind


@indexer(IAdoption)
def adoption_kind(obj):
    return ADOPTION


@indexer(IActivity)
def activity_date(obj):
    return obj.activity_date


@indexer(IAdoption)
def adoption_date(obj):
    return obj.adoption_date


@indexer(IActivity)
def activity_participants(obj):
    return obj.participants


@indexer(IAdoption)
def adoption_participants(obj):
    return obj.participants


def _unit_uid(obj):
    unit = unit_of(obj)
    return unit.UID() if unit is not None else None


def _unit_title(obj):
    unit = unit_of(obj)
    return unit.title if unit is not None else None


activity_unit = indexer(IActivity)(_unit_uid)
adoption_unit = indexer(IAdoption)(_unit_uid)
activity_unit_title = indexer(IActivity)(_unit_title)
adoption_unit_title = indexer(IAdoption)(_unit_title)


@indexer(IActivity)
def activity_searchable_text(obj):
    return _searchable(obj, obj.outlet, _text(obj, obj.body))


@indexer(IAdoption)
def adoption_searchable_text(obj):
    return _searchable(obj, obj.result)


@indexer(IActivity)
def activity_participating_units(obj):
    """Metadata: the UIDs of the units named as taking part."""
    return _uids(obj.participating_units)


@indexer(IActivity)
def activity_outlet(obj):
    return obj.outlet or None


@indexer(IActivity)
def activity_link(obj):
    return obj.link or None


@indexer(IUnit)
def unit_level(obj):
    """Metadata: a unit's level, so that the levels a model reached are read
    from the catalog."""
    return obj.level or None


@indexer(ICandidate)
def candidate_reach(obj):
    """The honour board's order by reach (reach.score)."""
    return score(obj.UID())
