"""The rows of the reach tables (thidua.replication.figures) on the dashboard
page and on a report's page: one per movement and one per unit, with a total."""

from thidua import _
from thidua.replication.figures import cells
from thidua.vocabularies import ACTIVITY_KINDS
from zope.i18n import translate


OTHER_UNITS = _("Units outside this one")


def kind_titles(request):
    """The column titles of the activity kinds, in the vocabulary's order."""
    return [translate(term.title, context=request) for term in ACTIVITY_KINDS]


def rows(figures, request):
    """{"movements": [...], "units": [...], "totals": [...]}: each row is
    {"title", "url", "cells"}; None without figures. The movements with
    something to count come first (a unit runs dozens of movements, and most
    have no model nurtured or spread yet), each group in the plans' order."""
    if not figures:
        return None

    def row(item):
        title = item["title"] or translate(OTHER_UNITS, context=request)
        return {"title": title, "url": item["@id"], "cells": cells(item)}

    return {
        "movements": sorted(
            (row(item) for item in figures["movements"]), key=lambda r: not any(r["cells"])
        ),
        "units": [row(item) for item in figures["units"]],
        "totals": cells(figures["totals"]),
    }
