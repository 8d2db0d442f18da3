"""The chain a live workflow was built from.

compiler.py keeps the whole chain (the parsed file) on the DCWorkflow
definition it builds, as ``thidua_chain``: guards, required comments,
notifications, ballots and migrations read it from there. This module is the
only one that knows the attribute.
"""

from plone import api


ATTRIBUTE = "thidua_chain"


def attach_chain(workflow, chain):
    """Keep ``chain`` on the DCWorkflow definition built from it."""
    setattr(workflow, ATTRIBUTE, chain)


def chain_of(workflow):
    """The chain ``workflow`` was built from; empty for a workflow that is not
    a thidua chain (or for no workflow at all)."""
    return getattr(workflow, ATTRIBUTE, None) or {}


def chain_for(item):
    """The chain ``item`` follows; empty when it follows none of thidua's."""
    workflows = api.portal.get_tool("portal_workflow").getWorkflowsFor(item)
    return chain_of(workflows[0]) if workflows else {}
