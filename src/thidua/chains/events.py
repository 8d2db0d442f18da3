"""What DCWorkflow cannot express in a definition: required comments."""

from Products.CMFCore.WorkflowCore import WorkflowException
from thidua import _
from zope.i18n import translate


def require_comment(obj, event):
    """Refuse a transition that the chain says needs a comment, when it has none."""
    if event.transition is None:
        return
    chain = getattr(event.workflow, "thidua_chain", None) or {}
    transition = chain.get("transitions", {}).get(event.transition.getId(), {})
    comment = (event.kwargs or {}).get("comment") or ""
    if transition.get("comment_required") and not comment.strip():
        raise WorkflowException(
            translate(
                _(
                    "'${transition}' needs a comment saying why.",
                    mapping={"transition": transition["title"]},
                ),
                context=getattr(obj, "REQUEST", None),
            )
        )
