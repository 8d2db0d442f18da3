"""Mail the responsible people before each deadline; escalate overdue appraisals.

    thidua-remind var/instance/etc/zope.conf [--site-id Plone] [--days 5] [--dry-run]
    python -m thidua.deadlines.remind var/instance/etc/zope.conf ...

For every Unit of the site, each deadline of thidua.deadlines due within
``--days`` working days (today included) is mailed to those holding its
responsible roles on its unit; an appraisal past its chain's limit is mailed
to the unit's secretaries and chair. What was sent is recorded on the item
(an annotation keyed by deadline, stage and recipient), so a second run sends
nothing twice: run it daily from cron. ``--dry-run`` lists what it would send
and sends and records nothing.
"""

from BTrees.OOBTree import OOBTree
from datetime import date
from plone import api
from thidua import _
from thidua.chains.notify import has_sender
from thidua.chains.notify import mail_after_commit
from thidua.chains.notify import recipients
from thidua.deadlines import collect
from thidua.language import site_language
from thidua.workdays import working_day_after
from urllib.parse import urlsplit
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate

import argparse
import logging
import os
import sys


logger = logging.getLogger("thidua.deadlines")
SENT = "thidua.deadlines.sent"
DEFAULT_DAYS = 5


def _sent(anchor, create=False):
    annotations = IAnnotations(anchor)
    if SENT not in annotations and create:
        annotations[SENT] = OOBTree()
    return annotations.get(SENT)


def _record_key(deadline, stage, user_id):
    return f"{deadline.key()}|{stage}|{user_id}"


def due_messages(site, days=DEFAULT_DAYS, today=None):
    """What to send today: (deadline, stage, user id, email), nothing already sent.
    ``stage`` is ``reminder`` (due within ``days`` working days) or ``overdue``
    (an appraisal past its limit, to the unit's secretaries and chair)."""
    today = today or date.today()
    horizon = working_day_after(today, days)
    catalog = api.portal.get_tool("portal_catalog")
    found = []
    for brain in catalog.unrestrictedSearchResults(portal_type="Unit", sort_on="path"):
        unit = brain._unrestrictedGetObject()
        for deadline in collect(unit, today):
            if today <= deadline.due <= horizon:
                stage, roles = "reminder", deadline.roles
            elif deadline.due < today and deadline.escalate:
                stage, roles = "overdue", deadline.escalate
            else:
                continue
            sent = _sent(deadline.anchor) or {}
            for user_id, email in recipients(deadline.unit, roles):
                if _record_key(deadline, stage, user_id) not in sent:
                    found.append((deadline, stage, user_id, email))
    return found


def compose(deadline, stage, today, language):
    """(subject, body): what falls due, on what, when, where; no personal data."""

    def tr(message):
        return translate(message, target_language=language)

    remaining = deadline.remaining(today)
    mapping = {
        "label": deadline.label(language),
        "title": deadline.title,
        "unit": deadline.unit.Title(),
        "due": deadline.due.strftime("%d/%m/%Y"),
        "days": abs(remaining),
        "url": deadline.url,
        "site": api.portal.get().Title(),
    }
    if stage == "overdue":
        subject = _("[${site}] Overdue: ${label}: ${title}", mapping=mapping)
        when = _("It was due on ${due}, ${days} working days ago.", mapping=mapping)
    else:
        subject = _("[${site}] Due on ${due}: ${label}: ${title}", mapping=mapping)
        when = _("It is due on ${due}, in ${days} working days.", mapping=mapping)
    lines = (
        _("${label}: ${title} (${unit}).", mapping=mapping),
        when,
        "",
        _("Open it: ${url}", mapping=mapping),
    )
    return tr(subject), "\n".join(tr(line) if line else "" for line in lines) + "\n"


def remind(site, days=DEFAULT_DAYS, today=None, dry_run=False):
    """Send (after the commit) and record what is due; the list of what was
    (or, in a dry run, would be) sent: dicts of deadline, stage, recipient."""
    today = today or date.today()
    if not dry_run and not has_sender():
        logger.warning("no sender address in the mail settings: no reminder sent")
        return []
    language = site_language()
    messages, listed = [], []
    for deadline, stage, user_id, email in due_messages(site, days, today):
        subject, body = compose(deadline, stage, today, language)
        listed.append(
            {
                "kind": deadline.kind,
                "stage": stage,
                "due": deadline.due.isoformat(),
                "title": deadline.title,
                "url": deadline.url,
                "to": user_id,
                "subject": subject,
            }
        )
        if dry_run:
            continue
        messages.append((user_id, email, subject, body))
        _sent(deadline.anchor, create=True)[_record_key(deadline, stage, user_id)] = (
            today.isoformat()
        )
    if messages:
        mail_after_commit(messages, queue=False)
    return listed


def serve_links_at(request, site, url):
    """Make the site's items answer ``absolute_url()`` under ``url``, as a
    virtual host would, instead of the script's placeholder host."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    request.setServerURL(parts.scheme, parts.hostname, port)
    request.other["VirtualRootPhysicalPath"] = site.getPhysicalPath()
    request._script = [part for part in parts.path.split("/") if part]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zope_conf", help="the instance's zope.conf")
    parser.add_argument("--site-id", default=os.environ.get("THIDUA_SITE_ID", "Plone"))
    parser.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        help=f"remind this many working days before a deadline ({DEFAULT_DAYS})",
    )
    parser.add_argument(
        "--url",
        default=os.environ.get("THIDUA_SITE_URL"),
        help="the site's public address, for the links in the mails "
        "(default: http://localhost:8080/<site id>)",
    )
    parser.add_argument("--dry-run", action="store_true", help="list, send nothing")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days is a whole number from 0")

    from thidua.deploy.create_site import open_app
    from zope.component.hooks import setSite

    import transaction

    app = open_app(args.zope_conf)
    site = app.get(args.site_id)
    if site is None:
        parser.error(f"no site '{args.site_id}' in this instance")
    setSite(site)
    serve_links_at(app.REQUEST, site, args.url or f"http://localhost:8080/{args.site_id}")
    listed = remind(site, days=args.days, dry_run=args.dry_run)
    if args.dry_run:
        transaction.abort()
    else:
        transaction.commit()
    for item in listed:
        print(f"{item['to']}\t{item['stage']}\t{item['due']}\t{item['subject']}")
    if not listed:
        print("nothing to send" if args.dry_run else "nothing sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
