"""Pages of the emulation clusters and blocs (thidua.clusters): a Cluster's
own page (members with the head marked, plans and reports addressed to it,
the quarters a plan's rotation gives it), the section listing a Unit's
clusters, and on a Plan's or Report's page the clusters it is addressed to.
What they show is organisational and public as their unit is; plans and
reports appear only as far as the reader may see them."""

from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from thidua import clusters
from thidua.clusters.cluster import KINDS
from thidua.content.plan import rotation_clusters
from thidua.content.unit import parent_unit
from thidua.content.unit import unit_of
from thidua.vocabularies import registry_titles
from zope.i18n import translate


def kind_title(cluster, request):
    kind = getattr(cluster, "cluster_kind", None)
    if kind not in KINDS:
        return ""
    return translate(KINDS.getTerm(kind).title, context=request)


def dmy(value):
    return value.strftime("%d/%m/%Y") if value else ""


def unit_row(unit, head=None, levels=None):
    parent = parent_unit(unit)
    return {
        "url": unit.absolute_url(),
        "title": unit.Title(),
        "code": unit.code,
        "level": (levels or {}).get(unit.level, unit.level or ""),
        "parent": parent.Title() if parent is not None else "",
        "head": head is not None and unit.UID() == head.UID(),
    }


def cluster_row(cluster, request):
    head = clusters.head(cluster)
    return {
        "url": cluster.absolute_url(),
        "title": cluster.Title(),
        "kind": kind_title(cluster, request),
        "code": cluster.code,
        "head": head.Title() if head is not None else "",
        "head_url": head.absolute_url() if head is not None else "",
        "members": len(clusters.members(cluster)),
        "member_titles": [unit.Title() for unit in clusters.members(cluster)],
    }


class ClusterView(BrowserView):
    """The page of a cluster or bloc."""

    index = ViewPageTemplateFile("cluster.pt")

    def __call__(self):
        return self.index()

    def kind(self):
        return kind_title(self.context, self.request)

    def organiser(self):
        unit = unit_of(self.context)
        return {"url": unit.absolute_url(), "title": unit.Title()} if unit is not None else None

    def head(self):
        head = clusters.head(self.context)
        return {"url": head.absolute_url(), "title": head.Title()} if head is not None else None

    def members(self):
        head = clusters.head(self.context)
        levels = registry_titles("unit_levels")
        return [unit_row(unit, head, levels) for unit in clusters.members(self.context)]

    def addressed(self):
        """The plans and reports addressed to the cluster that the reader may see."""
        workflows = api.portal.get_tool("portal_workflow")
        types = api.portal.get_tool("portal_types")
        rows = []
        for item in clusters.addressed_to(self.context):
            state = api.content.get_state(item, default=None)
            rows.append(
                {
                    "url": item.absolute_url(),
                    "title": item.Title(),
                    "type": translate(types.getTypeInfo(item).Title(), context=self.request),
                    "number": getattr(item, "document_number", None) or "",
                    "date": dmy(getattr(item, "issued_date", None)),
                    "state": translate(
                        workflows.getTitleForStateOnType(state, item.portal_type),
                        domain="plone",
                        context=self.request,
                    )
                    if state
                    else "",
                }
            )
        return rows

    def quarters(self):
        """The quarters in which the organising unit's plans (those the reader
        may see) give the introductions to this cluster (seed 004)."""
        unit = unit_of(self.context)
        code = (self.context.code or "").upper()
        rows = []
        if unit is None or not code:
            return rows
        for brain in api.content.find(context=unit, depth=1, portal_type="Plan"):
            plan = brain.getObject()
            turns = rotation_clusters(plan) or {}
            quarters = [quarter for quarter, codes in sorted(turns.items()) if code in codes]
            if quarters:
                rows.append(
                    {"url": plan.absolute_url(), "title": plan.Title(), "quarters": quarters}
                )
        return rows


class UnitClustersViewlet(ViewletBase):
    """On a Unit's page: the clusters and blocs it organises."""

    index = ViewPageTemplateFile("unit_clusters.pt")

    def update(self):
        super().update()
        self.rows = [cluster_row(cluster, self.request) for cluster in self.visible()]

    def visible(self):
        return [
            cluster
            for cluster in clusters.clusters_of(self.context)
            if api.user.has_permission("View", obj=cluster)
        ]

    def render(self):
        return self.index() if self.rows else ""


class AddressedClustersViewlet(ViewletBase):
    """On a Plan's or Report's page: the clusters it is addressed to and their units."""

    index = ViewPageTemplateFile("addressed_clusters.pt")

    def update(self):
        super().update()
        self.rows = [
            cluster_row(cluster, self.request)
            for cluster in clusters.addressed_clusters(self.context)
        ]

    def render(self):
        return self.index() if self.rows else ""
