"""Mail the holders of the next step's role when an item moves along its chain.

A chain's transition names the roles to tell (``notify``); the people are
those holding one of them on the item's Unit, given to them directly or
through a group (units block inherited local roles, so nothing else counts).
The actor is not told of their own step. Messages are plain text in the
site's language and never carry a candidate's personal data.
"""

from email.utils import formataddr
from email.utils import parseaddr
from plone import api
from thidua import _
from thidua.chains.access import chain_of
from thidua.content.unit import unit_of
from thidua.delegation import holders
from thidua.delegation import user
from thidua.language import site_language
from zope.i18n import translate

import logging
import transaction


logger = logging.getLogger("thidua.chains")


def recipients(obj, roles, actor_id=None):
    """(user id, email) of everyone holding one of ``roles`` locally on the
    item's unit, the actor and users without an email left out."""
    unit = unit_of(obj)
    if unit is None or not roles:
        return []
    found = {}
    for user_id in sorted(holders(unit, roles) - {actor_id}):
        email = (user(user_id).getProperty("email", "") or "").strip()
        if email:
            found[user_id] = email
    # One message per address, even when two accounts share it.
    unique = {}
    for user_id, email in sorted(found.items()):
        unique.setdefault(email.lower(), (user_id, email))
    return sorted(unique.values())


def _name(user_id):
    found = user(user_id) if user_id else None
    return (found and found.getProperty("fullname", "")) or user_id or ""


def compose(obj, step, state, actor_id, comment, language):
    """(subject, body) of the message, translated into ``language``.

    Only the title, the address, the step, the actor, the comment and the new
    state: never a field of the item itself, so no personal data."""

    def tr(message, domain=None):
        if domain:
            return translate(message, domain=domain, target_language=language)
        return translate(message, target_language=language)

    mapping = {
        "title": obj.Title(),
        "url": obj.absolute_url(),
        # Workflow titles are translated in the plone domain; a Message keeps its own.
        "transition": tr(step, domain="plone"),
        "state": tr(state, domain="plone"),
        "actor": _name(actor_id),
        "comment": comment.strip() or tr(_("(no comment)")),
    }
    site = api.portal.get().Title()
    subject = tr(_("[${site}] ${transition}: ${title}", mapping={**mapping, "site": site}))
    # One message per line: i18ndude does not extract a msgid with newlines.
    lines = (
        _("${actor} did '${transition}' on '${title}'.", mapping=mapping),
        "",
        _("New state: ${state}", mapping=mapping),
        _("Comment: ${comment}", mapping=mapping),
        "",
        _("Open it: ${url}", mapping=mapping),
    )
    body = "\n".join(tr(line) if line else "" for line in lines) + "\n"
    return subject, body


def notify_next_step(obj, event):
    """IAfterTransitionEvent: mail the roles the chain's transition names."""
    if event.transition is None:
        return
    chain = chain_of(event.workflow)
    roles = chain.get("transitions", {}).get(event.transition.getId(), {}).get("notify")
    if not roles:
        return
    status = event.status or {}
    tell(
        obj,
        roles,
        event.transition.title or event.transition.getId(),
        event.new_state.title or event.new_state.getId(),
        status.get("actor") or api.user.get_current().getId(),
        (event.kwargs or {}).get("comment") or status.get("comments") or "",
    )


def tell(obj, roles, step, state, actor_id, comment=""):
    """Mail everyone holding one of ``roles`` on the item's unit that ``actor_id``
    took ``step`` on ``obj``, which is now in ``state`` (titles)."""
    people = recipients(obj, roles, actor_id)
    if not people:
        return
    if not has_sender():
        logger.warning(
            "no sender address in the mail settings: nobody told of '%s' on %s",
            step,
            obj.absolute_url(),
        )
        return
    language = site_language()
    subject, body = compose(obj, step, state, actor_id, comment, language)
    mail_after_commit([(user_id, email, subject, body) for user_id, email in people])


def has_sender():
    """Plone sends nothing without the site's sender address."""
    return bool(api.portal.get_registry_record("plone.email_from_address", default=None))


def mail_after_commit(messages, queue=True):
    """Send ``messages`` ((user id, email, subject, body)) through the site's
    MailHost once the transaction is committed: a mail server that is down or
    refuses must not undo the work (the MailHost's own delivery would fail the
    commit), and work that is rolled back or retried tells nobody twice.

    A MailHost with its queue on (``make start`` turns it on) takes them into
    its maildir with the transaction, and its own thread delivers them, retrying
    while the server is down: the step waits for no SMTP conversation, and a
    rolled-back step queues nothing. ``queue=False``: delivered by this process
    after the commit all the same (a command run by cron, which would exit
    before a queue's thread sends anything)."""
    mailhost = api.portal.get_tool("MailHost")
    if queue and getattr(mailhost, "smtp_queue", False):
        _queue(mailhost, _sender(), _charset(), messages)
        return
    transaction.get().addAfterCommitHook(_deliver, args=(mailhost, _sender(), _charset(), messages))


def _queue(mailhost, sender, charset, messages):
    """Into the MailHost's queue (zope.sendmail's ``QueuedMailDelivery``), in
    this transaction; what cannot even be queued is logged in one line."""
    failed, problem = [], None
    for user_id, email, subject, body in messages:
        try:
            mailhost.send(body, mto=email, mfrom=sender, subject=subject, charset=charset)
        except Exception as error:
            failed.append(user_id)
            problem = problem or error
    if failed:
        _log_failures(failed, messages[0][2], problem)


def _sender():
    """The site's sender, formatted as plone.api's send_email does."""
    address = api.portal.get_registry_record("plone.email_from_address")
    sender = formataddr((api.portal.get_registry_record("plone.email_from_name") or "", address))
    return sender if parseaddr(sender)[1] == address else address


def _charset():
    return api.portal.get_registry_record("plone.email_charset", default=None) or "utf-8"


def _deliver(committed, mailhost, sender, charset, messages):
    """After-commit hook: one message per recipient; the failures of a step are
    logged in one line (a mail server that is down fails every recipient, and a
    line with a traceback each filled the log at every step)."""
    if not committed:
        return
    failed, problem = [], None
    for user_id, email, subject, body in messages:
        try:
            mailhost.send(
                body, mto=email, mfrom=sender, subject=subject, charset=charset, immediate=True
            )
        except Exception as error:
            failed.append(user_id)
            problem = problem or error
    if failed:
        _log_failures(failed, messages[0][2], problem)


def _log_failures(user_ids, subject, problem):
    logger.error(
        "could not mail %s (%s): %s: %s",
        ", ".join(user_ids),
        subject,
        type(problem).__name__,
        problem,
    )
