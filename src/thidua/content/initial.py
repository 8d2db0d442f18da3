"""A new item, before it is added, seen with the permissions its workflow's
first state will give it: who may write its fields is known only then.

plone.restapi's add service deserializes a new item before adding it, and the
Classic add form builds its fields on the container: either way a field
guarded by a permission of the first state (a Candidate's personal data, which
a unit officer edits in ``draft``) would be dropped without a word."""

from plone import api
from plone.dexterity.interfaces import IDexterityFTI
from zope.component import createObject
from zope.component import getUtility


def apply_initial_state(item):
    """Give ``item`` the permissions of its first state; adding it sets the same."""
    workflows = api.portal.get_tool("portal_workflow")
    for workflow in workflows.getWorkflowsFor(item):
        workflow.updateRoleMappingsFor(item)


def unsaved_item(container, portal_type):
    """An item of ``portal_type`` in ``container``'s acquisition context, not
    added to it, with the permissions of its first state."""
    fti = getUtility(IDexterityFTI, name=portal_type)
    item = createObject(fti.factory)
    item.portal_type = portal_type
    item = item.__of__(container)
    apply_initial_state(item)
    return item
