"""``@@bang-dieu-khien`` ("Bảng điều khiển"): the staff dashboard of a Unit or
a Plan as a page, from the same functions as ``@dashboard`` and ``@deadlines``
(thidua.dashboard, thidua.deadlines); ``@@xuat-danh-sach`` downloads the same
export as ``@export`` (thidua.export).

The charts are SVG drawn on the server by pygal, inline in the page: no
script, nothing fetched elsewhere. Each has a table with the same figures
below it, the text alternative for whoever cannot see the chart."""

from plone import api
from plone.memoize.view import memoize
from Products.Five.browser import BrowserView
from thidua import _
from thidua import export
from thidua.browser import replication_rows
from thidua.dashboard import dashboard
from thidua.deadlines import deadlines
from thidua.language import plone_language
from thidua.services import params
from thidua.vocabularies import KINDS
from zope.i18n import translate

import datetime
import pygal


STATUSES = (
    ("on_time", _("On time")),
    ("late", _("Late")),
    ("missing", _("Missing, past the deadline")),
    ("pending", _("Not yet due")),
    ("not_due", _("Not their turn")),
)
# Green, amber, red, blue, grey: the statuses' colours, in their order.
STATUS_COLORS = ("#2e7d32", "#ef8f00", "#c62828", "#1565c0", "#9e9e9e")
SVG = "{http://www.w3.org/2000/svg}"


def day(value):
    """dd/mm/yyyy of an ISO date (the dashboard's JSON keeps ISO)."""
    if not value:
        return ""
    return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")


def svg(chart, title):
    """The chart as inline SVG: pygal's tooltip script left out (the page
    needs none), named for assistive technology by its title."""
    tree = chart.render_tree()
    for script in list(tree.iter("script", f"{SVG}script")):
        script.getparent().remove(script)
    tree.set("role", "img")
    tree.set("aria-label", title)
    tree.set("class", f"{tree.get('class', '')} thidua-chart img-fluid".strip())
    return pygal.etree.etree.tostring(tree, encoding="unicode")


def chart(kind, title, labels, series, colors=None):
    """A pygal chart of ``kind`` (``pygal.Bar``...): ``series`` is [(name, values)].
    Counts: the y axis in whole numbers."""
    counts = [[value or 0 for value in values] for _name, values in series]
    if issubclass(kind, pygal.StackedBar):
        top = max((sum(column) for column in zip(*counts, strict=True)), default=0)
    else:
        top = max((max(values, default=0) for values in counts), default=0)
    style = {"font_family": "sans-serif", "value_font_size": 14}
    if colors:
        style["colors"] = colors
    figure = kind(
        title=title,
        js=[],
        explicit_size=True,
        width=800,
        height=360,
        legend_at_bottom=True,
        print_values=True,
        print_zeroes=False,
        x_label_rotation=0 if len(labels) < 5 else 20,
        truncate_label=40,
        truncate_legend=30,
        y_labels=list(range(0, max(top, 1) + 1, max(1, (top + 9) // 10))),
        style=pygal.style.DefaultStyle(**style),
    )
    figure.x_labels = labels
    for name, values in series:
        figure.add(name, values)
    return figure


class DashboardView(BrowserView):
    def __call__(self):
        self.language = plone_language()
        self.error = None
        try:
            year = params.integer(self.request, "year", minimum=1945, maximum=2200)
        except params.ParameterError:
            self.request.response.setStatus(400)
            self.error = self.t(
                _("The year is a whole number from 1945 to 2200: this year is shown.")
            )
            year = None
        self.data = dashboard(self.context, year=year)
        self.due = deadlines(self.context, language=self.language)
        return self.index()

    def t(self, message):
        return translate(message, context=self.request)

    def state_title(self, state, portal_type):
        workflows = api.portal.get_tool("portal_workflow")
        title = workflows.getTitleForStateOnType(state, portal_type)
        return translate(title, domain="plone", context=self.request)

    # Movements -------------------------------------------------------------

    @memoize
    def movements(self):
        rows = []
        for movement in self.data["movements"]:
            states = {}
            for kind in movement["kinds"].values():
                for state, count in kind["states"].items():
                    states[state] = states.get(state, 0) + count
            rows.append(
                {
                    "url": movement["@id"],
                    "title": movement["title"],
                    "state_title": self.state_title(movement["review_state"], "Movement")
                    if movement["review_state"]
                    else "",
                    "total": movement["total"],
                    "kinds": [self.kind_row(term, movement["kinds"][term.value]) for term in KINDS],
                    "states": [
                        {"title": self.state_title(state, "Candidate"), "count": count}
                        for state, count in sorted(states.items())
                    ],
                    "by_state": states,
                }
            )
        return rows

    def kind_row(self, term, kind):
        quota = kind["quota"]
        return {
            "kind": term.value,
            "title": self.t(term.title),
            "quota": kind["quota"],
            "total": kind["total"],
            "achieved": kind["achieved"],
            "progress": f"{round(kind['achieved'] * 100 / quota)}%" if quota else "",
        }

    def totals(self):
        return [self.kind_row(term, self.data["totals"]["kinds"][term.value]) for term in KINDS]

    def chart_states(self):
        rows = self.movements()
        if not rows or not self.data["totals"]["total"]:
            return ""
        title = self.t(_("Candidates by state in each movement"))
        series = [
            (
                self.state_title(state, "Candidate"),
                [row["by_state"].get(state) or None for row in rows],
            )
            for state in sorted(self.data["totals"]["states"])
        ]
        labels = [row["title"] for row in rows]
        return svg(chart(pygal.StackedBar, title, labels, series), title)

    def chart_progress(self):
        totals = self.totals()
        if not any(row["quota"] or row["total"] for row in totals):
            return ""
        title = self.t(_("Progress against the quotas, by kind"))
        series = [
            (self.t(_("Quota")), [row["quota"] for row in totals]),
            (self.t(_("Candidates")), [row["total"] for row in totals]),
            (self.t(_("Selected or honoured")), [row["achieved"] for row in totals]),
        ]
        labels = [row["title"] for row in totals]
        return svg(chart(pygal.Bar, title, labels, series), title)

    # Quarterly introductions and sub-plans ---------------------------------

    def status_title(self, status):
        return self.t(dict(STATUSES)[status])

    def quarterly(self):
        quarterly = self.data["quarterly"]
        url = f"{self.context.absolute_url()}/@@bang-dieu-khien?year="
        return {
            "year": quarterly["year"],
            "previous": f"{url}{quarterly['year'] - 1}",
            "next": f"{url}{quarterly['year'] + 1}",
            "quota": quarterly["quota"],
            "deadlines": [
                day(quarterly["units"][0]["quarters"][str(q)]["deadline"])
                for q in range(1, 5)
                if quarterly["units"]
            ],
            "units": [
                {
                    "url": unit["@id"],
                    "title": unit["title"],
                    "quarters": [
                        {
                            "status": unit["quarters"][str(q)]["status"],
                            "title": self.status_title(unit["quarters"][str(q)]["status"]),
                            "introduced": unit["quarters"][str(q)]["introduced"],
                        }
                        for q in range(1, 5)
                    ],
                }
                for unit in quarterly["units"]
            ],
        }

    def chart_quarterly(self):
        units = self.data["quarterly"]["units"]
        if not units:
            return ""
        title = self.t(
            _(
                "Quarterly introductions of the sub-units in ${year}",
                mapping={"year": self.data["quarterly"]["year"]},
            )
        )
        labels = [self.t(_("Quarter ${quarter}", mapping={"quarter": q})) for q in range(1, 5)]
        series = [
            (
                self.t(name),
                [
                    sum(unit["quarters"][str(q)]["status"] == status for unit in units) or None
                    for q in range(1, 5)
                ],
            )
            for status, name in STATUSES
        ]
        return svg(chart(pygal.StackedBar, title, labels, series, STATUS_COLORS), title)

    def subplans(self):
        subplans = self.data["subplans"]
        return {
            "deadline": day(subplans["deadline"]),
            "units": [
                {
                    "url": unit["@id"],
                    "title": unit["title"],
                    "plan": unit["plan"],
                    "issued": day(unit["issued"]),
                    "status": unit["status"],
                    "title_status": self.status_title(unit["status"]),
                    "flagged": unit["flagged"],
                }
                for unit in subplans["units"]
            ],
        }

    def off_track(self):
        return [
            {
                "url": model["@id"],
                "title": model["title"],
                "unit": model["unit"],
                "checkin": day(model["checkin"]),
                "corrections": model["corrections"] or "",
            }
            for model in self.data["off_track"]
        ]

    # Reach: nurtured models, check-ins, replication ----------------------

    @memoize
    def replication(self):
        return replication_rows.rows(self.data.get("replication"), self.request)

    def activity_kinds(self):
        return replication_rows.kind_titles(self.request)

    # Deadlines -------------------------------------------------------------

    def deadline_rows(self, which):
        return [
            {
                "label": item["label"],
                "title": item["title"],
                "url": item["@id"],
                "unit": item["unit"]["title"],
                "due": day(item["due"]),
                "working_days": abs(item["working_days"]),
            }
            for item in self.due[which]
        ]

    # Downloads -------------------------------------------------------------

    def downloads(self):
        url = f"{self.context.absolute_url()}/@@xuat-danh-sach"
        return [
            {"format": file_format, "url": f"{url}?format={file_format}"}
            for file_format in ("xlsx", "csv")
        ]


class ExportView(BrowserView):
    """``@@xuat-danh-sach?format=xlsx|csv``: the file ``@export`` sends, named
    in the reader's language."""

    def __call__(self):
        file_format = self.request.form.get("format")
        response = self.request.response
        if file_format not in export.FORMATS:
            response.setStatus(400)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return self.t(_("The list downloads as csv or xlsx only."))
        language = plone_language()
        body = export.document(self.context, file_format, language)
        name = export.file_name(self.context, file_format, language)
        response.setHeader("Content-Type", export.FORMATS[file_format])
        response.setHeader("Content-Disposition", export.content_disposition(name))
        # Personal data may be inside: no shared cache keeps a copy.
        response.setHeader("Cache-Control", "private, no-store")
        return body

    def t(self, message):
        return translate(message, context=self.request)
