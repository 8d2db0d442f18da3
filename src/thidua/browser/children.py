"""The children of a Unit, Plan or Movement below its body, with their states:
what the current user may see, from the catalog. For staff (who may see the
dashboard): each movement's candidates counted against its quotas
(thidua.dashboard), a Unit's movements in its plans too, and the links to the
dashboard page and the downloads."""

from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from thidua import _
from thidua import permissions
from thidua.content.movement import IMovement
from thidua.content.unit import IUnit
from thidua.dashboard import movement_summary
from thidua.vocabularies import KINDS
from zope.i18n import translate


class ChildrenViewlet(ViewletBase):
    index = ViewPageTemplateFile("children.pt")

    def update(self):
        super().update()
        brains = api.content.find(
            context=self.context, depth=1, sort_on=["portal_type", "sortable_title"]
        )
        self.staff = api.user.has_permission(permissions.ViewDashboard, obj=self.context)
        self.rows = [self.row(brain) for brain in brains]
        self.counts = None
        self.movements = []
        if IMovement.providedBy(self.context) and self.staff:
            self.counts = self.count_rows(movement_summary(self.context))
        if IUnit.providedBy(self.context):
            # The movements of the unit's own plans, not of its sub-units'.
            movements = api.content.find(
                context=self.context, depth=2, portal_type="Movement", sort_on="sortable_title"
            )
            self.movements = [self.row(brain) for brain in movements]
        self.dashboard_url = None
        if self.staff and not IMovement.providedBy(self.context):
            self.dashboard_url = f"{self.context.absolute_url()}/@@bang-dieu-khien"

    def _state_title(self, state, portal_type):
        if not state:
            return ""
        workflows = api.portal.get_tool("portal_workflow")
        title = workflows.getTitleForStateOnType(state, portal_type)
        return translate(title, domain="plone", context=self.request)

    def row(self, brain):
        type_info = api.portal.get_tool("portal_types").getTypeInfo(brain.portal_type)
        row = {
            "url": brain.getURL(),
            "title": brain.Title,
            "type_title": translate(type_info.Title(), context=self.request),
            "state": brain.review_state or "",
            "state_title": self._state_title(brain.review_state, brain.portal_type),
            "total": "",
            "quotas": [],
        }
        if brain.portal_type == "Movement" and self.staff:
            summary = movement_summary(brain._unrestrictedGetObject())
            row["total"] = summary["total"]
            row["quotas"] = [
                {
                    "title": translate(term.title, context=self.request),
                    "achieved": summary["kinds"][term.value]["achieved"],
                    "quota": summary["kinds"][term.value]["quota"],
                }
                for term in KINDS
                if summary["kinds"][term.value]["quota"] or summary["kinds"][term.value]["total"]
            ]
        return row

    def tables(self):
        """The children, and on a Unit the movements of its plans."""
        tables = (
            ("thidua-children-table", _("Contents and their states"), self.rows),
            ("thidua-unit-movements", _("Movements of its plans"), self.movements),
        )
        return [
            {"id": table_id, "heading": translate(heading, context=self.request), "rows": rows}
            for table_id, heading, rows in tables
            if rows
        ]

    def downloads(self):
        if not self.staff:
            return []
        url = f"{self.context.absolute_url()}/@@xuat-danh-sach"
        return [
            {"format": file_format, "url": f"{url}?format={file_format}"}
            for file_format in ("xlsx", "csv")
        ]

    def count_rows(self, summary):
        """One row per kind with a quota or a candidate: quota, total, achieved
        and the candidates in each state."""
        rows = []
        for term in KINDS:
            kind = summary["kinds"][term.value]
            if not kind["quota"] and not kind["total"]:
                continue
            states = [
                {"title": self._state_title(state, "Candidate"), "count": count}
                for state, count in kind["states"].items()
            ]
            rows.append(
                {
                    "kind": term.value,
                    "title": translate(term.title, context=self.request),
                    "quota": kind["quota"],
                    "total": kind["total"],
                    "achieved": kind["achieved"],
                    "states": states,
                }
            )
        return rows

    def render(self):
        return self.index() if self.rows or self.counts or self.staff else ""
