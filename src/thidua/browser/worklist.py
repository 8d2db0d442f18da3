"""``@@viec-can-lam`` ("Việc cần làm"): the current user's units, with their
dashboards, and worklist across all units, grouped and batched; the rows come
from thidua.worklist. Staff land here after logging in (login.py)."""

from plone import api
from plone.batching import Batch
from Products.Five.browser import BrowserView
from thidua import permissions
from thidua import worklist
from thidua.delegation import staff_units
from zExceptions import Unauthorized


class WorklistView(BrowserView):
    page_size = 30

    def __call__(self):
        if api.user.is_anonymous():
            raise Unauthorized("Log in to see your worklist.")
        user = api.user.get_current()
        rows = worklist.worklist(user.getId())
        start = self.request.form.get("b_start", "0")
        self.batch = Batch(rows, self.page_size, int(start) if str(start).isdigit() else 0)
        return self.index()

    def units(self):
        """The units whose council or staff the user is in, each with its
        dashboard where the user may see it."""
        return [
            {
                "title": unit.Title(),
                "url": unit.absolute_url(),
                "dashboard": f"{unit.absolute_url()}/@@bang-dieu-khien"
                if api.user.has_permission(permissions.ViewDashboard, obj=unit)
                else None,
            }
            for unit in staff_units(api.user.get_current())
        ]

    def groups(self):
        """The groups with rows on this page of the batch, in their order."""
        rows = list(self.batch)
        return [
            {"id": group, "title": title, "rows": [r for r in rows if r["group"] == group]}
            for group, title in worklist.GROUPS
            if any(r["group"] == group for r in rows)
        ]

    def day(self, value):
        return value.strftime("%d/%m/%Y") if value else ""
