"""The process's time zone, applied once at start.

thidua's zope.conf names the site's zone (``TZ Asia/Ho_Chi_Minh`` in
``<environment>``), which Zope's config handler puts in ``os.environ``
after the interpreter has read its time zone (UTC on a server). Nothing
applied it until the first ``strptime`` of the process (the first PATCH of a
date field): Python's ``_strptime`` calls ``time.tzset()`` when first used,
and from then on the event log, ``date.today()`` and ``DateTime()`` moved
from UTC to +07:00 in the middle of the process. Applying it when the
process starts makes it the zone of the whole process, as zope.conf means.
Stored values do not change: Date fields are naive, DateTime values carry
their zone."""

import os
import time


def apply_process_time_zone(event):
    """IProcessStarting, notified by Zope's starter after the configuration."""
    if os.environ.get("TZ"):
        time.tzset()
