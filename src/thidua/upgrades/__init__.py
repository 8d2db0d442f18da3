"""Upgrade steps: what a site made by an earlier version of thidua:default needs."""

from plone import api
from plone.registry.interfaces import IRegistry
from thidua.content.plan import rotation_codes
from thidua.content.plan import sub_unit_codes
from thidua.content.unit import parent_unit
from thidua.content.unit import unit_of
from thidua.cors import IThiduaCORSSettings
from thidua.cors import PREFIX
from thidua.delegation import group_id
from thidua.delegation import OVERSIGHT_ROLE
from thidua.dossier import settle
from thidua.workdays import IWorkingCalendar
from thidua.workdays import PREFIX as WORKDAYS_PREFIX
from zope.component import getUtility


def index_introductions(context):
    """1001: the new ``thidua_introduced_by`` index and column, for every candidate."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Candidate"):
        brain._unrestrictedGetObject().reindexObject(idxs=["thidua_introduced_by"])


def add_cors_records(context):
    """1001: the CORS records, with their defaults (no CORS). Not the whole
    registry.xml, whose values would reset the administrator's lists."""
    getUtility(IRegistry).registerInterface(IThiduaCORSSettings, prefix=PREFIX)


def add_workdays_records(context):
    """1004: the working calendar's records, empty; not the whole registry.xml."""
    getUtility(IRegistry).registerInterface(IWorkingCalendar, prefix=WORKDAYS_PREFIX)


def rotation_notes(context):
    """1004: a plan's quarterly rotation names sub-units by their codes, before
    ``|`` and a note; a line written before, free text that names no sub-unit,
    becomes the note, so the next save of the plan is not refused."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Plan"):
        plan = brain._unrestrictedGetObject()
        lines = [line or "" for line in plan.quarterly_rotation or []]
        unit = unit_of(plan)
        known = sub_unit_codes(unit) if unit is not None else {}
        fixed = [
            line
            if "|" in line or not line.strip() or set(rotation_codes(line)) <= set(known)
            else f"| {line}"
            for line in lines
        ]
        if fixed != list(plan.quarterly_rotation or []):
            plan.quarterly_rotation = fixed


def protect_dossiers(context):
    """1002: the files and images already in candidates become staff-only
    dossier evidence, their text out of SearchableText."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type=["File", "Image"]):
        settle(brain._unrestrictedGetObject())


def follow_parent_secretaries(context):
    """1002: oversight now follows whoever holds CouncilSecretary on the parent
    unit (delegation.ParentSecretariesOversight). The Reader that each sub-unit
    gave the parent's secretaries' group goes (the group's other roles there
    stay), and the catalog learns who may now read each sub-unit's content."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Unit"):
        unit = brain._unrestrictedGetObject()
        parent = parent_unit(unit)
        if parent is None:
            continue
        group = group_id(parent, "CouncilSecretary")
        roles = [r for r in unit.get_local_roles_for_userid(group) if r != OVERSIGHT_ROLE]
        unit.manage_delLocalRoles([group])
        if roles:
            unit.manage_setLocalRoles(group, roles)
    catalog.manage_reindexIndex(ids=["allowedRolesAndUsers"])


def rebuild_chains(context):
    """The compiler now grants Review portal content to who may leave a state."""
    from thidua.chains.compiler import rebuild_all

    rebuild_all(api.portal.get())
