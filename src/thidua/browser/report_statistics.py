"""The statistics of a Report as tables on its page (thidua.reports): frozen
since its submission, or live figures in a draft, marked as such."""

from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from thidua.browser import replication_rows
from thidua.dashboard import KINDS
from thidua.dashboard import STATUS_TITLES
from thidua.reports import statistics
from thidua.vocabularies import KINDS as KIND_TERMS

import datetime


def day(iso):
    """An ISO date or datetime as dd/mm/yyyy."""
    return datetime.datetime.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


class ReportStatisticsViewlet(ViewletBase):
    def update(self):
        super().update()
        self.figures = statistics(self.context)

    def render(self):
        return self.index() if self.figures else ""

    def taken(self):
        return day(self.figures["taken"])

    def _state(self, state):
        workflows = api.portal.get_tool("portal_workflow")
        return workflows.getTitleForStateOnType(state, "Candidate")

    def kind_titles(self):
        return {term.value: term.title for term in KIND_TERMS}

    def movement_rows(self):
        titles = self.kind_titles()
        rows = []
        for movement in self.figures["movements"]:
            for kind in KINDS:
                figures = movement["kinds"][kind]
                if not (figures["quota"] or figures["total"]):
                    continue
                rows.append(
                    {
                        "movement": movement["title"],
                        "kind": titles[kind],
                        "quota": figures["quota"],
                        "total": figures["total"],
                        "achieved": figures["achieved"],
                        "states": [
                            {"title": self._state(state), "count": count}
                            for state, count in figures["states"].items()
                        ],
                    }
                )
        return rows

    def totals(self):
        titles = self.kind_titles()
        return [{"kind": titles[kind], **self.figures["totals"]["kinds"][kind]} for kind in KINDS]

    def quarter_rows(self):
        return [
            {
                "title": unit["title"],
                "quarters": [
                    {
                        "introduced": unit["quarters"][str(quarter)]["introduced"],
                        "status": STATUS_TITLES[unit["quarters"][str(quarter)]["status"]],
                    }
                    for quarter in range(1, 5)
                ],
            }
            for unit in self.figures["quarterly"]["units"]
        ]

    def subplan_rows(self):
        return [
            {
                "title": unit["title"],
                "issued": day(unit["issued"]),
                "status": STATUS_TITLES[unit["status"]],
                "flagged": unit["flagged"],
            }
            for unit in self.figures["subplans"]["units"]
        ]

    def subplan_deadline(self):
        return day(self.figures["subplans"]["deadline"])

    def replication(self):
        """The reach tables of a mid-term or final report; None for the others
        and for a report frozen before these figures were counted."""
        return replication_rows.rows(self.figures.get("replication"), self.request)

    def activity_kinds(self):
        return replication_rows.kind_titles(self.request)

    def introduced_rows(self):
        titles = self.kind_titles()
        return [
            {**item, "kind": titles.get(item["kind"], item["kind"]), "day": day(item["introduced"])}
            for item in self.figures["introduced"] or []
        ]
