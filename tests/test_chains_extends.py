"""Chains that extend chains, and the legal basis of each legal parameter:
merged and checked as one file is, each problem named in the file that wrote it."""

from plone import api
from thidua.chains import compiler
from thidua.chains.guards import GUARDS
from thidua.chains.loader import chain_files
from thidua.chains.loader import ChainError
from thidua.chains.loader import check_chain
from thidua.chains.loader import load_chain
from thidua.chains.loader import shipped_sources
from thidua.chains.storage import stored_chains
from zope.i18n import translate

import pytest


SHIPPED = {path.stem: path.read_text(encoding="utf-8") for path in chain_files()}
FULL = "thidua_candidate_workflow"
SHORT = "thidua_candidate_short_workflow"
ROLES = {"UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair", "Reader", "Owner"}
ROLES |= {"Anonymous"}
# A chain that extends the full candidate chain: adds a state and a transition,
# changes a transition key by key, replaces a state outright.
CHILD = """\
id: thidua_candidate_child_workflow
extends: thidua_candidate_workflow
title: A child chain
remove_states: [withdrawn]
remove_transitions: [withdraw, reopen]
states:
  archived:
    title: Archived
  honoured:
    title: Honoured, on the board
transitions:
  archive:
    title: Archive
    from: [rejected]
    to: archived
    roles: [CouncilSecretary]
  honour:
    roles: [CouncilChair, CouncilSecretary]
"""


def check(text, sources=None, filename="child.yaml"):
    return check_chain(text, filename, GUARDS, ROLES, sources)


def refused(text, sources=None):
    with pytest.raises(ChainError) as raised:
        check(text, sources)
    return raised.value


def line(text, words):
    """The line of ``text`` on which ``words`` stand (1-based)."""
    return text[: text.index(words)].count("\n") + 1


def test_the_short_chain_is_the_full_one_without_the_public_notice():
    full, short = (load_chain(SHIPPED[name], name, GUARDS, ROLES) for name in (FULL, SHORT))
    assert short["extends"] == FULL
    assert set(full["states"]) - set(short["states"]) == {"public_notice"}
    assert set(full["transitions"]) - set(short["transitions"]) == {"publish_notice"}
    assert short["transitions"]["start_review"]["from"] == ["submitted"]
    assert short["transitions"]["start_review"]["guards"] == []
    assert short["transitions"]["select"] == full["transitions"]["select"]
    assert short["replaced_states"] == {"public_notice": "submitted"}
    assert "types" not in short  # a type follows one chain: the full one keeps Candidate
    assert len(SHIPPED[SHORT].splitlines()) < 40


def test_a_child_adds_changes_and_replaces():
    chain, warnings = check(CHILD)
    assert warnings == []
    assert chain["title"] == "A child chain"
    assert chain["initial_state"] == "draft"  # taken from the parent
    assert list(chain["states"])[-1] == "archived"
    assert "withdrawn" not in chain["states"]
    assert {"withdraw", "reopen"}.isdisjoint(chain["transitions"])
    honoured = chain["states"]["honoured"]
    assert honoured["title"] == "Honoured, on the board"
    assert honoured["permissions"]["view"] == ["Anonymous"]  # the other keys kept
    honour = chain["transitions"]["honour"]
    assert honour["roles"] == ["CouncilChair", "CouncilSecretary"]
    assert (honour["from"], honour["to"]) == (["selected"], "honoured")
    assert "types" not in chain


def test_a_state_removed_and_given_anew_is_replaced_outright():
    text = CHILD.replace("remove_states: [withdrawn]", "remove_states: [withdrawn, honoured]")
    text = text.replace("    title: Honoured, on the board", "    title: Honoured, quietly")
    chain, _warnings = check(text)
    assert chain["states"]["honoured"] == {"title": "Honoured, quietly"}


def test_a_removed_state_still_used_by_a_transition_is_named():
    text = CHILD.replace("remove_transitions: [withdraw, reopen]", "remove_transitions: [reopen]")
    error = refused(text)
    assert (error.filename, error.field) == ("child.yaml", "remove_states.0")
    assert error.line == line(text, "remove_states:")
    assert "'withdrawn'" in str(error) and "'withdraw'" in str(error)


def test_an_error_in_the_merged_chain_is_named_in_the_file_that_wrote_it():
    # A child's own mistake is named in the child.
    error = refused(CHILD.replace("    to: archived", "    to: attic"))
    assert (error.filename, error.field) == ("child.yaml", "transitions.archive.to")
    assert error.line == line(CHILD, "    to: archived")
    # A new transition lacking a required key.
    error = refused(CHILD.replace("    to: archived\n", ""))
    assert (error.filename, error.field) == ("child.yaml", "transitions.archive")
    assert "'to' is a required property" in translate(error.message)


def test_an_error_of_the_parent_part_names_the_parent_file():
    parent = SHIPPED[FULL].replace("initial_state: draft", "initial_state: withdrawn")
    sources = {**shipped_sources(), FULL: (parent, "full.yaml")}
    error = refused(CHILD, sources)
    assert (error.filename, error.field) == ("full.yaml", "initial_state")
    assert error.line == line(parent, "initial_state:")


def test_unknown_parent_and_unknown_removals():
    error = refused(CHILD.replace("extends: thidua_candidate_workflow", "extends: thidua_nope"))
    assert (error.field, error.line) == ("extends", 2)
    assert "There is no chain 'thidua_nope' to extend" in str(error)
    error = refused(CHILD.replace("[withdrawn]", "[attic]"))
    assert error.field == "remove_states.0"
    assert "'attic' is not in the chain 'thidua_candidate_workflow'" in str(error)
    error = refused(SHIPPED["thidua_plan_workflow"].replace("types:", "remove_states: [x]\ntypes:"))
    assert "'extends' is a dependency of 'remove_states'" in translate(error.message)


def test_chains_extending_each_other_in_a_circle():
    one = "id: thidua_one\nextends: thidua_two\n"
    two = "id: thidua_two\nextends: thidua_one\n"
    sources = {"thidua_one": (one, "one.yaml"), "thidua_two": (two, "two.yaml")}
    error = refused(one, sources)
    assert (error.filename, error.field, error.line) == ("two.yaml", "extends", 2)
    assert "in a circle: thidua_one → thidua_two → thidua_one" in str(error)
    error = refused("id: thidua_self\nextends: thidua_self\n", {"thidua_self": ("", "self.yaml")})
    assert "in a circle: thidua_self → thidua_self" in str(error)


def test_messages_in_vietnamese(portal):
    error = refused("id: thidua_self\nextends: thidua_self\n", {"thidua_self": ("", "s.yaml")})
    assert translate(error.message, target_language="vi") == (
        "Các quy trình kế thừa lẫn nhau thành vòng: thidua_self → thidua_self."
    )
    error = refused(CHILD.replace("extends: thidua_candidate_workflow", "extends: thidua_nope"))
    assert translate(error.message, target_language="vi").startswith(
        "Không có quy trình 'thidua_nope' để kế thừa"
    )


def test_shipped_legal_parameters_carry_their_basis():
    for name, text in SHIPPED.items():
        _chain, warnings = check(text, filename=name)
        assert warnings == [], name


def test_a_legal_parameter_without_basis_is_a_warning():
    text = SHIPPED[FULL].replace(
        "notice_period: {working_days: 10, basis: to be confirmed}",
        "notice_period: {working_days: 10}",
    )
    chain, [warning] = check(text)
    assert chain["transitions"]["start_review"]["guards"] == [
        {"notice_period": {"working_days": 10}}
    ]
    assert warning.field == "transitions.start_review.guards.0.notice_period"
    assert warning.line == line(text, "notice_period: {working_days: 10}")
    assert "working_days of notice_period has no basis" in str(warning)


def test_a_basis_per_parameter():
    old = "ballot: {quorum: 2/3, threshold: 1/2, outcome: passed, basis: to be confirmed}"
    new = "ballot: {quorum: 2/3, threshold: 1/2, outcome: passed, basis: {quorum: Quy chế}}"
    chain, [warning] = check(SHIPPED[FULL].replace(old, new))
    assert "threshold of ballot has no basis" in str(warning)
    assert warning.field == "transitions.select.guards.0.ballot"
    error = refused(SHIPPED[FULL].replace(old, new.replace("quorum: Quy", "outcome: Quy")))
    assert "basis: 'outcome' is not a legal parameter of ballot" in translate(error.message)
    error = refused(SHIPPED[FULL].replace(old, new.replace("{quorum: Quy chế}", "''")))
    assert error.field == "transitions.select.guards.0.ballot.basis"


def test_a_child_inherits_the_basis_and_its_warnings_name_its_own_lines():
    text = CHILD + "  start_review:\n    guards:\n      - notice_period: {working_days: 5}\n"
    chain, [warning] = check(text)
    assert (warning.filename, warning.field) == (
        "child.yaml",
        "transitions.start_review.guards.0.notice_period",
    )
    assert warning.line == line(text, "notice_period: {working_days: 5}")
    assert chain["transitions"]["select"]["guards"][0]["ballot"]["basis"] == "to be confirmed"


def test_a_chain_added_through_the_web_may_extend_a_shipped_one(portal):
    compiler.add_chain(portal, CHILD, "child.yaml", "admin")
    workflows = api.portal.get_tool("portal_workflow")
    workflow = workflows["thidua_candidate_child_workflow"]
    full = set(workflows[FULL].states.objectIds())
    assert set(workflow.states.objectIds()) == (full - {"withdrawn"}) | {"archived"}
    assert workflow.transitions["honour"].getGuard().roles == (
        "CouncilChair",
        "CouncilSecretary",
        "Manager",
        "Site Administrator",
    )


def test_a_parent_replaced_so_that_a_child_breaks_is_refused(portal):
    compiler.add_chain(portal, CHILD, "child.yaml", "admin")
    workflows = api.portal.get_tool("portal_workflow")
    before = workflows.getWorkflowById(FULL).thidua_chain
    broken = SHIPPED[FULL].replace(
        '  honour:\n    title: {vi: "Tôn vinh", en: Honour}\n', "  glorify:\n    title: Honour\n"
    )
    with pytest.raises(ChainError) as raised:
        compiler.replace_chain(portal, FULL, broken, "full.yaml", "admin")
    assert raised.value.filename == "child.yaml"
    assert raised.value.field == "transitions.honour"
    assert workflows.getWorkflowById(FULL).thidua_chain == before
    assert set(stored_chains(portal)) == {"thidua_candidate_child_workflow"}


def test_a_replaced_or_restored_parent_changes_its_children(portal):
    compiler.add_chain(portal, CHILD, "child.yaml", "admin")
    workflows = api.portal.get_tool("portal_workflow")
    child = "thidua_candidate_child_workflow"
    retitled = SHIPPED[FULL].replace(
        '    title: {vi: "Đang xét chọn", en: Under review}\n', "    title: Being read\n"
    )
    compiler.replace_chain(portal, FULL, retitled, "full.yaml", "admin")
    assert workflows[child].states["under_review"].title == "Being read"
    compiler.restore_chain(portal, FULL)
    assert workflows[child].states["under_review"].title == "Under review"


def test_a_restore_that_would_break_a_child_is_refused(portal):
    glorify = (
        "  glorify:\n    title: Glorify\n    from: [honoured]\n    to: honoured\n"
        "    roles: [CouncilChair]\n"
    )
    compiler.replace_chain(portal, FULL, SHIPPED[FULL] + glorify, "full.yaml", "admin")
    # The child changes a transition only the replaced parent has.
    compiler.add_chain(
        portal, CHILD + "  glorify:\n    roles: [CouncilSecretary]\n", "child.yaml", "admin"
    )
    with pytest.raises(ChainError) as raised:
        compiler.restore_chain(portal, FULL)
    assert (raised.value.filename, raised.value.field) == ("child.yaml", "transitions.glorify")
    assert FULL in stored_chains(portal)
