"""Spam defences of the public forms: a honeypot field and a rate limit per
address.

The rate limit counts in this process's memory (a dict behind a lock): a
restart forgets it, and each Zope instance of a cluster counts on its own,
which is enough to hold off a burst from one address."""

from thidua import _

import threading
import time


# At most this many accepted submissions per address and form kind in the window.
LIMIT = 5
WINDOW = 3600  # seconds

_lock = threading.Lock()
_accepted = {}

TOO_MANY = _(
    "Too many submissions from your address. Please try again later.",
)
SPAM = _("Your submission could not be accepted.")


def client_address(request):
    """The submitter's address as Zope sees it: ``getClientAddr`` trusts
    X-Forwarded-For only from the proxies zope.conf names."""
    return request.getClientAddr() or "unknown"


def honeypot_filled(value):
    """The honeypot field is hidden from people; only robots fill it."""
    return bool(str(value or "").strip())


def over_limit(kind, address, now=None):
    """Whether ``address`` has had ``LIMIT`` submissions of ``kind`` accepted
    within the window."""
    now = time.time() if now is None else now
    with _lock:
        recent = [at for at in _accepted.get((kind, address), ()) if now - at < WINDOW]
        _accepted[(kind, address)] = recent
        return len(recent) >= LIMIT


def count(kind, address, now=None):
    """Record one accepted submission of ``kind`` from ``address``."""
    with _lock:
        _accepted.setdefault((kind, address), []).append(time.time() if now is None else now)


def forget():
    """Forget every count (tests, and an administrator's restart)."""
    with _lock:
        _accepted.clear()


def guard(value, **kwargs):
    """An easyform field validator (``thidua.spam``) for a form's honeypot
    field, for forms without the candidate action (the writing contest, say):
    refuses a filled honeypot, then a burst from one address. Counted once a
    request, however often easyform validates it."""
    from zope.globalrequest import getRequest

    if honeypot_filled(value):
        return SPAM
    request = getRequest()
    if request is None or request.get("REQUEST_METHOD") != "POST":
        return None
    kind = f"form:{request.get('ACTUAL_URL', '')}"
    address = client_address(request)
    if getattr(request, "_thidua_spam_counted", False):
        return None
    if over_limit(kind, address):
        return TOO_MANY
    request._thidua_spam_counted = True
    count(kind, address)
    return None
