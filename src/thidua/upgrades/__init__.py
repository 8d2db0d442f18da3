"""Upgrade steps: what a site made by an earlier version of thidua:default needs."""

from plone import api


def index_introductions(context):
    """1001: the new ``thidua_introduced_by`` index and column, for every candidate."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Candidate"):
        brain._unrestrictedGetObject().reindexObject(idxs=["thidua_introduced_by"])
