"""What DCWorkflow cannot express in a definition: required comments."""

from plone.base import PloneMessageFactory as PMF
from Products.CMFCore.WorkflowCore import WorkflowException
from thidua import _
from thidua.chains.access import chain_of
from thidua.chains.titles import msgid
from zope.i18n import translate


def require_comment(obj, event):
    """Refuse a transition that the chain says needs a comment, when it has none."""
    if event.transition is None:
        return
    chain = chain_of(event.workflow)
    transition = chain.get("transitions", {}).get(event.transition.getId(), {})
    comment = (event.kwargs or {}).get("comment") or ""
    if transition.get("comment_required") and not comment.strip():
        request = getattr(obj, "REQUEST", None)
        message = _(
            "'${transition}' needs a comment saying why.",
            mapping={"transition": PMF(msgid(transition["title"]))},
        )
        refused = WorkflowException(translate(message, context=request))
        # For the API, which answers in the language the request asks for.
        refused.message, refused.field = message, "comment"
        raise refused
