"""The public portal: what a citizen reads on the site's home page and on a
candidate's page. Everything here is read as the current user (the catalog
filters what they may not see) and nothing names personal data.

- ``newest_honoured``: the first entries of the honour board (thidua.honour_board);
- ``units``: the units, each under the unit above it;
- ``plans_in_force``: issued plans, not yet closed;
- ``candidate_facts``: the public facts of a candidate, dates as dd/mm/yyyy;
- ``ensure_home``: the home page as the site's view and the tabs that reach
  the units and the honour board (install and upgrade).
"""

from plone import api
from Products.CMFCore.ActionInformation import Action
from thidua import _
from thidua.deadlines import item_deadlines
from thidua.deadlines import NOTICE_STATE
from thidua.honour_board import item
from thidua.honour_board import query
from thidua.vocabularies import KINDS
from thidua.vocabularies import registry_titles
from types import SimpleNamespace
from zope.i18n import translate


HOME_VIEW = "thidua-home"
UNITS_VIEW = "don-vi"
NEWEST = 6
TABS = (
    ("thidua-units", _("Units"), f"string:${{portal_url}}/@@{UNITS_VIEW}"),
    ("thidua-honour-board", _("Honour board"), "string:${portal_url}/@@honour-board"),
)


def day(value):
    """A date as Vietnamese pages write it: dd/mm/yyyy ("" for none)."""
    if value is None or not hasattr(value, "strftime"):
        return ""
    return value.strftime("%d/%m/%Y")


def _titles(language):
    return {
        "kind": {t.value: translate(t.title, target_language=language) for t in KINDS},
        "field": registry_titles("fields", language),
        "honour_form": registry_titles("honour_forms", language),
    }


def newest_honoured(portal, language, count=NEWEST):
    """The newest honoured models, as the honour board lists them, with their
    honour date written dd/mm/yyyy."""
    unfiltered = SimpleNamespace(form={})  # a request without the board's filters
    brains = api.portal.get_tool("portal_catalog")(**query(portal, unfiltered))[:count]
    titles = _titles(language)
    found = []
    for brain in brains:
        entry = item(brain, titles)
        entry["honoured_day"] = day(brain.thidua_honoured_date)
        found.append(entry)
    return found


def units():
    """The units the user may see, each after the unit above it, with its depth."""
    brains = api.portal.get_tool("portal_catalog")(portal_type="Unit", sort_on="path")
    depth_of_top = min((len(b.getPath().split("/")) for b in brains), default=0)
    return [
        {
            "url": brain.getURL(),
            "title": brain.Title,
            "depth": len(brain.getPath().split("/")) - depth_of_top,
        }
        for brain in brains
    ]


def plans_in_force():
    """Issued plans, not yet closed: a plan stays in force past its period
    until its final review closes it. The latest period first."""
    brains = api.portal.get_tool("portal_catalog")(portal_type="Plan", review_state="issued")
    plans = []
    for brain in brains:
        plan = brain.getObject()
        start, end = plan.period_start, plan.period_end
        plans.append(
            {
                "url": brain.getURL(),
                "title": brain.Title,
                "number": plan.document_number or "",
                "period": f"{start}–{end}" if start and end else "",
                "issued": day(plan.issued_date),
                "unit": brain.unit_title or "",
                "end": end or 0,
            }
        )
    return sorted(plans, key=lambda plan: -plan["end"])


def _parent_of_type(obj, portal_type):
    for parent in obj.aq_chain:
        if getattr(parent, "portal_type", None) == portal_type:
            return parent
    return None


def candidate_facts(candidate, language):
    """What the public page of a candidate shows: no personal data, no
    technical field, dates dd/mm/yyyy, the year as written (no separator)."""
    titles = _titles(language)
    movement = _parent_of_type(candidate, "Movement")
    unit = _parent_of_type(candidate, "Unit")
    state = api.content.get_state(candidate, default=None)
    notice_end = None
    if state == NOTICE_STATE:
        notice_end = next(
            (due for kind, due in item_deadlines(candidate, state) if kind == "notice_end"),
            None,
        )
    achievements = getattr(candidate, "achievements", None)
    return {
        "kind": titles["kind"].get(candidate.kind, ""),
        "organisation": candidate.organisation or "",
        "field": titles["field"].get(candidate.field, "") if candidate.field else "",
        "movement": {"title": movement.Title(), "url": movement.absolute_url()}
        if movement
        else None,
        "unit": {"title": unit.Title(), "url": unit.absolute_url()} if unit else None,
        "year": str(candidate.year) if candidate.year else "",
        "achievements": achievements.output if achievements else "",
        "honour_form": titles["honour_form"].get(candidate.honour_form, "")
        if candidate.honour_form
        else "",
        "honoured_date": day(candidate.honoured_date),
        "in_notice": state == NOTICE_STATE,
        "notice_end": day(notice_end),
        "image": bool(getattr(candidate, "image", None)),
    }


def ensure_home(context=None):
    """The home page as the site's view, and the tabs to the units and the
    honour board, added once: an administrator's later changes stay."""
    portal = api.portal.get()
    portal.setLayout(HOME_VIEW)
    tabs = api.portal.get_tool("portal_actions").portal_tabs
    for action_id, title, url in TABS:
        if action_id in tabs.objectIds():
            continue
        action = Action(
            action_id,
            title=str(title),
            i18n_domain="thidua",
            url_expr=url,
            available_expr="",
            permissions=("View",),
            visible=True,
        )
        tabs._setObject(action_id, action)
