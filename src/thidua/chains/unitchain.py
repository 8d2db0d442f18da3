"""A candidate follows the chain its unit names in ``candidate_chain``."""

from plone.base.interfaces import IWorkflowChain
from Products.CMFCore.interfaces import IWorkflowTool
from thidua.content.candidate import ICandidate
from thidua.content.unit import DEFAULT_CHAIN
from thidua.content.unit import unit_of
from zope.component import adapter
from zope.interface import implementer


@implementer(IWorkflowChain)
@adapter(ICandidate, IWorkflowTool)
def candidate_chain(candidate, workflows):
    unit = unit_of(candidate)
    chain_id = getattr(unit, "candidate_chain", None) or DEFAULT_CHAIN
    if workflows.getWorkflowById(chain_id) is None:
        chain_id = DEFAULT_CHAIN
    return (chain_id,)
