"""What is read from the catalog's indexes, kept between requests while the
catalog is unchanged.

Plone's own caches follow the catalog's counter (the sitemap, plone.app.caching's
ETags): every change of the catalog changes it. The transaction that last
changed it names the committed state of the catalog as no other state does,
so a result read from that state is right for every request that sees it. A
transaction that changed the catalog itself neither reads nor keeps a result.
"""

from Acquisition import aq_base

import collections
import threading


def catalog_state(catalog):
    """What names the catalog's committed state, or None when this
    transaction changed it (or it never counted a change)."""
    counter = getattr(aq_base(catalog), "_counter", None)
    if counter is None or counter._p_jar is None:
        return None
    counter._p_activate()
    if counter._p_changed:
        return None
    return (counter._p_jar.db().database_name, catalog.getPhysicalPath(), counter._p_serial)


class Kept:
    """At most ``size`` results, the least recently asked dropped first.

    The caller processes the catalog's indexing queue first (what the request
    changed is still queued: a search would index it, reading the indexes does
    not) and keeps nothing that differs by user unless the key names the user."""

    def __init__(self, size):
        self.size = size
        self.results = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, catalog, key, compute):
        """The result of ``compute()`` for ``key`` in the catalog's present state."""
        state = catalog_state(catalog)
        if state is None:
            return compute()
        key = (state, key)
        with self.lock:
            if key in self.results:
                self.results.move_to_end(key)
                return self.results[key]
        result = compute()
        with self.lock:
            self.results[key] = result
            while len(self.results) > self.size:
                self.results.popitem(last=False)
        return result

    def clear(self):
        with self.lock:
            self.results.clear()
