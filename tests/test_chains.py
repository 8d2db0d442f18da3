"""Chain files: validated with file, line and field; re-import updates the live workflow."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from thidua.chains import compiler
from thidua.chains.access import chain_of
from thidua.chains.guards import GUARDS
from thidua.chains.loader import chain_files
from thidua.chains.loader import ChainError
from thidua.chains.loader import load_chain
from zope.i18n import translate

import copy
import pytest


FULL = next(p for p in chain_files() if p.name == "thidua_candidate_workflow.yaml")


def load(text):
    return load_chain(
        text,
        "bad.yaml",
        GUARDS,
        {
            "UnitOfficer",
            "CouncilSecretary",
            "CouncilMember",
            "CouncilChair",
            "Reader",
            "Owner",
            "Anonymous",
        },
    )


def test_shipped_chains_are_valid():
    ids = {load(path.read_text())["id"] for path in chain_files()}
    assert ids == {
        "thidua_candidate_workflow",
        "thidua_candidate_short_workflow",
        "thidua_activity_workflow",
        "thidua_plan_workflow",
        "thidua_movement_workflow",
        "thidua_report_workflow",
    }


@pytest.mark.parametrize(
    "old,new,field,words",
    [
        (
            "    to: submitted\n",
            "    to: nowhere\n",
            "transitions.submit.to",
            "no state 'nowhere'",
        ),
        (
            "      - dossier_complete: {attachments: 0, basis: chosen by the unit}",
            "      - crystal_ball: {}",
            "transitions.submit.guards.0",
            "unknown guard 'crystal_ball'",
        ),
        (
            "    roles: [UnitOfficer]\n    guards:",
            "    roles: [Janitor]\n    guards:",
            "transitions.submit.roles.0",
            "unknown role 'Janitor'",
        ),
        (
            "      personal_data: [UnitOfficer, CouncilSecretary, CouncilMember, CouncilChair,"
            " Owner]\n  under_review",
            "      personal_data: [Anonymous]\n  under_review",
            "states.public_notice.permissions.personal_data",
            "never granted to Anonymous",
        ),
        ("initial_state: draft", "initial_state: 7", "initial_state", "is not of type 'string'"),
        (
            "ballot: {quorum: 2/3, threshold: 1/2, outcome: passed, basis: to be confirmed}",
            "ballot: {quorum: 3/2, threshold: 1/2, outcome: passed, basis: to be confirmed}",
            "transitions.select.guards.0.ballot",
            "quorum is a fraction between 0 and 1",
        ),
        (
            "dossier_complete: {attachments: 0, basis: chosen by the unit}",
            "dossier_complete: {files: 2}",
            "transitions.submit.guards.0.dossier_complete",
            "unexpected keyword argument 'files'",
        ),
    ],
)
def test_bad_file_names_file_line_and_field(old, new, field, words):
    text = FULL.read_text()
    assert old in text
    bad = text.replace(old, new, 1)
    line = bad[: bad.index(new)].count("\n") + 1  # the error is on the line changed
    with pytest.raises(ChainError) as raised:
        load(bad)
    error = raised.value
    assert (error.filename, error.field) == ("bad.yaml", field)
    assert words in translate(error.message)
    assert error.line == line
    assert str(error).startswith(f"bad.yaml, line {line}, {field}: ")


def test_yaml_syntax_error_has_its_line():
    with pytest.raises(ChainError) as raised:
        load("id: x\ntitle: [unclosed\n")
    assert raised.value.line == 3


def test_reimport_moves_items_out_of_a_removed_state(world, portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    candidate = world.province_candidate
    api.content.transition(obj=candidate, transition="submit")
    api.content.transition(obj=candidate, transition="publish_notice")
    chain = copy.deepcopy(
        chain_of(api.portal.get_tool("portal_workflow")["thidua_candidate_workflow"])
    )
    del chain["states"]["public_notice"]
    for transition in chain["transitions"].values():
        transition["from"] = [s for s in transition["from"] if s != "public_notice"]
    chain["transitions"] = {
        tid: t
        for tid, t in chain["transitions"].items()
        if t["to"] != "public_notice" and t["from"]
    }
    chain["replaced_states"] = {"public_notice": "submitted"}
    updated = compiler.install(chain)
    setRoles(portal, TEST_USER_ID, ["Member"])
    assert updated >= 1
    assert api.content.get_state(candidate) == "submitted"
    history = candidate.workflow_history["thidua_candidate_workflow"]
    assert "removed from the chain" in history[-1]["comments"]
    assert [e["review_state"] for e in history][-3:] == ["submitted", "public_notice", "submitted"]


def test_comment_required(world, portal):
    from Products.CMFCore.WorkflowCore import WorkflowException

    setRoles(portal, TEST_USER_ID, ["Manager"])
    candidate = world.province_candidate
    workflows = api.portal.get_tool("portal_workflow")
    workflows.doActionFor(candidate, "submit")
    with pytest.raises(WorkflowException, match="needs a comment"):
        workflows.doActionFor(candidate, "return_for_revision")
    workflows.doActionFor(candidate, "return_for_revision", comment="Bổ sung minh chứng")
    setRoles(portal, TEST_USER_ID, ["Member"])
    assert api.content.get_state(candidate) == "draft"
    assert workflows.getInfoFor(candidate, "comments") == "Bổ sung minh chứng"
