"""Keep each model's ``thidua_reach`` (index and metadata) true when an
Activity or Adoption is added, modified, moved, removed or changes state.

Only that index of the models named is recomputed, those named now and those
named before a change (read from the ``thidua_models`` index before the
activity's own reindexing reaches the catalog). Plone calls the catalog's own
handlers first (they are registered for more general interfaces), so the
activity's (re|un)indexing is already queued here: the queue is processed
first, then the models' reach is read from an up-to-date catalog.
"""

from contextlib import contextmanager
from Products.CMFCore.indexing import processQueue
from Products.CMFCore.utils import getToolByName
from thidua.replication.content import named_models
from thidua.replication.reach import REACH_INDEX

import threading


_deferred = threading.local()


@contextmanager
def deferred(catalog):
    """Recompute each model's reach once, on leaving the block, rather than at
    every change inside it (the demo records dozens of activities at once)."""
    pending = getattr(_deferred, "uids", None)
    if pending is not None:  # already deferring: the outer block refreshes
        yield
        return
    _deferred.uids = set()
    try:
        yield
    finally:
        uids, _deferred.uids = _deferred.uids, None
        refresh(catalog, uids)


def _current(obj):
    return {model.UID() for model in named_models(obj)}


def _indexed(catalog, path):
    """The models the catalog has for the item at ``path`` (before a change)."""
    rid = catalog.getrid(path)
    if rid is None:
        return set()
    entry = catalog._catalog.getIndex("thidua_models").getEntryForObject(rid, default=())
    return set(entry or ())


def refresh(catalog, uids):
    """Recompute the reach of the candidates with these UIDs."""
    if not uids:
        return
    pending = getattr(_deferred, "uids", None)
    if pending is not None:
        pending.update(uids)
        return
    processQueue()
    for brain in catalog.unrestrictedSearchResults(portal_type="Candidate", UID=sorted(uids)):
        candidate = brain._unrestrictedGetObject()
        catalog.catalog_object(candidate, brain.getPath(), idxs=[REACH_INDEX], update_metadata=1)


def _catalog(obj):
    catalog = getToolByName(obj, "portal_catalog", None)
    if catalog is None or REACH_INDEX not in catalog.indexes():
        return None  # a site being removed, or before the 1006 upgrade
    return catalog


def moved(obj, event):
    """Added, moved (the adopting unit changes) or removed."""
    catalog = _catalog(event.newParent or event.oldParent)
    if catalog is None:
        return
    uids = _current(obj)
    if event.oldParent is not None:
        old_path = "/".join((*event.oldParent.getPhysicalPath(), event.oldName))
        uids |= _indexed(catalog, old_path)
    refresh(catalog, uids)


def modified(obj, event):
    catalog = _catalog(obj)
    if catalog is None:
        return
    old = _indexed(catalog, "/".join(obj.getPhysicalPath()))
    refresh(catalog, old | _current(obj))


def transitioned(obj, event):
    """The workflow tool reindexes the new state only after this event: do it
    now, so that the reach reads it."""
    catalog = _catalog(obj)
    if catalog is None:
        return
    obj.reindexObject(idxs=["review_state"])
    refresh(catalog, _current(obj))
