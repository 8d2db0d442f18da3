"""Emulation clusters and blocs (Cụm, Khối thi đua): groups of units across
the unit tree with a head unit (seed 001: the reviews of the clusters and
blocs; seed 004: "Khối trưởng Khối các cơ quan..." introduces in a quarter).

- A ``Cluster`` (cluster.py) lives in the unit that organises it and names
  member units anywhere below that unit, one of them its head. It follows no
  workflow and holds no local roles: who reads it is who reads its unit, who
  writes it is who may add plans there (``thidua: Add Cluster``); delegation
  stays by unit.
- A Plan or a Report may be addressed to clusters (``addressed_clusters``):
  ``cluster_units`` gives their member units.
- A line of a plan's ``quarterly_rotation`` may give a cluster's code, which
  stands for its member units (thidua.content.plan.rotation): the quarterly
  cycle (dashboard, @deadlines) counts those units, at whatever level below
  the plan's unit they are.
"""

from plone import api
from thidua.clusters.cluster import clusters_of  # noqa: F401
from thidua.clusters.cluster import ICluster  # noqa: F401
from thidua.content.unit import IUnit


def _resolved(relation):
    return getattr(relation, "to_object", None)


def members(cluster):
    """The member units of ``cluster`` (broken relations left out)."""
    found = []
    for relation in getattr(cluster, "member_units", None) or []:
        unit = _resolved(relation)
        if unit is not None and IUnit.providedBy(unit) and unit not in found:
            found.append(unit)
    return found


def head(cluster):
    """The head unit of ``cluster``, or None."""
    unit = _resolved(getattr(cluster, "head_unit", None))
    return unit if unit is not None and IUnit.providedBy(unit) else None


def addressed_clusters(obj):
    """The clusters a Plan or a Report is addressed to."""
    found = []
    for relation in getattr(obj, "addressed_clusters", None) or []:
        cluster = _resolved(relation)
        if cluster is not None and ICluster.providedBy(cluster) and cluster not in found:
            found.append(cluster)
    return found


def cluster_units(plan):
    """The member units of the clusters ``plan`` (or a Report) is addressed
    to, each once, in the clusters' order."""
    found = []
    for cluster in addressed_clusters(plan):
        for unit in members(cluster):
            if unit not in found:
                found.append(unit)
    return found


def by_code(unit):
    """{CODE: cluster} of the clusters ``unit`` organises (codes upper-cased,
    as a rotation line reads them)."""
    return {(c.code or "").upper(): c for c in clusters_of(unit) if c.code}


def addressed_to(cluster):
    """The plans and reports addressed to ``cluster`` that the current user may see."""
    relations = api.relation.get(target=cluster, relationship="addressed_clusters")
    found = []
    for relation in relations:
        source = relation.from_object
        if source is not None and source not in found:
            found.append(source)
    return found
