"""The children of a Unit, Plan or Movement below its body, with their states:
what the current user may see, from the catalog; on a Movement, for staff, its
candidates counted by state against its quotas (thidua.dashboard)."""

from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from thidua import permissions
from thidua.content.movement import IMovement
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
        self.rows = [self.row(brain) for brain in brains]
        self.counts = None
        if IMovement.providedBy(self.context) and api.user.has_permission(
            permissions.ViewDashboard, obj=self.context
        ):
            self.counts = self.count_rows(movement_summary(self.context))

    def _state_title(self, state, portal_type):
        if not state:
            return ""
        workflows = api.portal.get_tool("portal_workflow")
        title = workflows.getTitleForStateOnType(state, portal_type)
        return translate(title, domain="plone", context=self.request)

    def row(self, brain):
        type_info = api.portal.get_tool("portal_types").getTypeInfo(brain.portal_type)
        return {
            "url": brain.getURL(),
            "title": brain.Title,
            "type_title": translate(type_info.Title(), context=self.request),
            "state": brain.review_state or "",
            "state_title": self._state_title(brain.review_state, brain.portal_type),
        }

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
        return self.index() if self.rows or self.counts else ""
