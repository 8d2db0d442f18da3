"""Chains replaced or added through the web: kept in the site, checked as the
shipped files are, in force across re-imports until the shipped file is restored."""

from Acquisition import aq_base
from plone import api
from thidua.chains import compiler
from thidua.chains.loader import chain_files
from thidua.chains.loader import ChainError
from thidua.chains.storage import stored_chains
from zope.component import getUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory

import pytest
import re


SHIPPED = {path.stem: path.read_text(encoding="utf-8") for path in chain_files()}
# The short chain's title, in both languages: replaced whole by a plain one.
SHORT_TITLE = re.search(
    r"^title:\n(?:  .*\n)+", SHIPPED["thidua_candidate_short_workflow"], re.M
).group()
PLAN = "thidua_plan_workflow"
PLAN_TITLE = 'title: {vi: "Kế hoạch", en: Plan}\n'
RETITLED = SHIPPED[PLAN].replace(PLAN_TITLE, "title: Plan, retitled\n", 1)
THIRD = (
    SHIPPED["thidua_candidate_short_workflow"]
    .replace("id: thidua_candidate_short_workflow", "id: thidua_candidate_third_workflow")
    .replace(SHORT_TITLE, "title: A third chain\n")
)


def live(chain_id):
    """The live definition itself, not a wrapper of it (so ``is`` compares)."""
    return aq_base(api.portal.get_tool("portal_workflow").getWorkflowById(chain_id))


def test_replacement_is_installed_stored_and_survives_reimport(portal):
    compiler.replace_chain(portal, PLAN, RETITLED, "plan.yaml", "admin")
    assert live(PLAN).title == "Plan, retitled"
    record = stored_chains(portal)[PLAN]
    assert (record["text"], record["filename"], record["replaced_by"]) == (
        RETITLED,
        "plan.yaml",
        "admin",
    )
    compiler.install_all(portal)
    assert live(PLAN).title == "Plan, retitled"
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-thidua:default", "thidua-chains")
    assert live(PLAN).title == "Plan, retitled"


def test_restore_brings_back_the_shipped_file(portal):
    compiler.replace_chain(portal, PLAN, RETITLED, "plan.yaml", "admin")
    compiler.restore_chain(portal, PLAN)
    assert live(PLAN).title == "Plan"
    assert PLAN not in stored_chains(portal)


@pytest.mark.parametrize(
    "text,field,words",
    [
        (
            SHIPPED[PLAN].replace("    to: pending", "    to: nowhere", 1),
            "transitions.submit.to",
            "no state",
        ),
        (SHIPPED["thidua_report_workflow"], "id", "must be the chain 'thidua_plan_workflow'"),
        (
            SHIPPED[PLAN].replace("types: [Plan]", "types: [Plan, Movement]"),
            "types.1",
            "already follows",
        ),
        (
            SHIPPED[PLAN].replace("types: [Plan]", "types: [Spaceship]"),
            "types.0",
            "no content type",
        ),
    ],
    ids=["bad-state", "other-chain", "type-taken", "unknown-type"],
)
def test_a_refused_replacement_changes_nothing(portal, text, field, words):
    before = live(PLAN)
    with pytest.raises(ChainError) as raised:
        compiler.replace_chain(portal, PLAN, text, "plan.yaml", "admin")
    assert raised.value.field == field
    assert words in translate(raised.value.message)
    assert live(PLAN) is before
    assert PLAN not in stored_chains(portal)


def test_an_added_candidate_chain_is_offered_to_units(portal):
    assert compiler.add_chain(portal, THIRD, "third.yaml", "admin") == (
        "thidua_candidate_third_workflow"
    )
    vocabulary = getUtility(IVocabularyFactory, "thidua.candidate_chains")(portal)
    assert "thidua_candidate_third_workflow" in vocabulary
    assert vocabulary.getTerm("thidua_candidate_third_workflow").title == "A third chain"
    compiler.install_all(portal)
    assert live("thidua_candidate_third_workflow").title == "A third chain"
    with pytest.raises(ValueError):
        compiler.restore_chain(portal, "thidua_candidate_third_workflow")


@pytest.mark.parametrize(
    "text,words",
    [
        (SHIPPED[PLAN], "exists already"),
        (THIRD.replace("thidua_candidate_third_workflow", "my_chain"), "starts with 'thidua_'"),
        (THIRD + "types: [Candidate]\n", "already follows"),
    ],
    ids=["exists", "not-thidua", "type-taken"],
)
def test_a_refused_new_chain_changes_nothing(portal, text, words):
    ids = set(api.portal.get_tool("portal_workflow").objectIds())
    with pytest.raises(ChainError, match=words):
        compiler.add_chain(portal, text, "third.yaml", "admin")
    assert set(api.portal.get_tool("portal_workflow").objectIds()) == ids
    assert dict(stored_chains(portal)) == {}


def test_a_type_dropped_by_a_restore_goes_back_to_the_default(portal):
    workflows = api.portal.get_tool("portal_workflow")
    wider = SHIPPED[PLAN].replace("types: [Plan]", "types: [Plan, Document]")
    compiler.replace_chain(portal, PLAN, wider, "plan.yaml", "admin")
    assert workflows.getChainFor("Document") == (PLAN,)
    compiler.restore_chain(portal, PLAN)
    assert workflows.getChainFor("Document") != (PLAN,)
