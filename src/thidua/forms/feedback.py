"""Public-notice feedback (góp ý): while a candidate is on public notice,
anyone may comment on it (``@@gop-y``).

Feedback is kept in the candidate's annotations: not a content item, so the
catalog, SearchableText and the public pages never see it. It is shown to
whoever may read the candidate's personal data (its unit's officers,
secretaries and council, thidua.ViewPersonalData): a comment may name people
as personal data does.
"""

from BTrees.OOBTree import OOBTree
from datetime import datetime
from plone import api
from thidua import permissions
from zope.annotation.interfaces import IAnnotations

import time


KEY = "thidua.feedback"
OPEN_STATE = "public_notice"


def is_open(candidate):
    """Whether the candidate takes feedback now: it is on public notice."""
    workflows = api.portal.get_tool("portal_workflow")
    return workflows.getInfoFor(candidate, "review_state", None) == OPEN_STATE


def may_read(candidate):
    return api.user.has_permission(permissions.ViewPersonalData, obj=candidate)


def add(candidate, text, name="", email=""):
    """Keep one piece of feedback with the candidate."""
    annotations = IAnnotations(candidate)
    if KEY not in annotations:
        annotations[KEY] = OOBTree()
    store = annotations[KEY]
    # A key per submission: two at once conflict on nothing but the bucket.
    key = f"{time.time():.6f}"
    while key in store:
        key += "0"
    store[key] = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "name": name,
        "email": email,
        "text": text,
    }
    return key


def entries(candidate):
    """The candidate's feedback, oldest first (whoever asks: check ``may_read``)."""
    store = IAnnotations(candidate).get(KEY)
    return [dict(value) for value in store.values()] if store else []


def count(candidate):
    store = IAnnotations(candidate).get(KEY)
    return len(store) if store else 0
