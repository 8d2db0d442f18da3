"""Chain diagrams: the committed DOT files are what the code draws now, and dot renders each."""

from pathlib import Path
from thidua.chains.diagram import label
from thidua.chains.diagram import quote
from thidua.chains.diagram import to_dot
from thidua.chains.diagram import to_svg
from thidua.chains.guards import GUARDS
from thidua.chains.loader import chain_files
from thidua.chains.loader import load_chain
from thidua.chains.titles import msgid

import pytest
import shutil


DOCS = Path(__file__).resolve().parents[1] / "docs" / "chains"
CHAINS = {path.stem: path for path in chain_files()}


def chain(path):
    return load_chain(path.read_text(encoding="utf-8"), path.name, GUARDS)


def test_every_chain_has_its_diagram():
    assert sorted(path.stem for path in DOCS.glob("*.dot")) == sorted(CHAINS)


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_committed_dot_is_current(name):
    """`make diagrams` was run after the last change to the chain file."""
    assert (DOCS / f"{name}.dot").read_text(encoding="utf-8") == to_dot(chain(CHAINS[name]))


def test_dot_shows_states_transitions_roles_guards_and_comments():
    dot = to_dot(chain(CHAINS["thidua_candidate_workflow"]))
    assert '"draft" [label="Draft\\n(draft)", penwidth=2];' in dot
    assert '_initial -> "draft";' in dot
    assert (
        '"draft" -> "submitted" [label="Submit (submit)\\n[UnitOfficer]\\n'
        'if dossier_complete(attachments=0)", '
        'tooltip="attachments = 0, basis: chosen by the unit"];'
    ) in dot
    assert '"under_review" -> "rejected" [label="Decline (reject)\\n[CouncilChair]\\n' in dot
    assert "comment required" in dot


def test_quoting():
    assert quote('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c d"'
    assert label("Đề nghị", "", '"x"') == '"Đề nghị\\n\\"x\\""'


@pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("name", sorted(CHAINS))
def test_renders_to_svg(name):
    loaded = chain(CHAINS[name])
    svg = to_svg(to_dot(loaded))
    assert "<svg" in svg and "</svg>" in svg
    for state in loaded["states"].values():
        assert f">{msgid(state['title'])}</text>" in svg  # the English title, as in docs/


@pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz's dot is not installed")
def test_awkward_titles_render():
    awkward = {
        "id": "thidua_x",
        "title": 'Quy trình "đặc biệt" \\ <b>',
        "initial_state": "a",
        "states": {"a": {"title": 'Nháp "1" \\'}},
        "transitions": {"t": {"title": "Gửi\\", "from": ["a"], "to": "a", "roles": ["R"]}},
    }
    svg = to_svg(to_dot(awkward))
    assert "Nháp &quot;1&quot; \\" in svg or 'Nháp "1" \\' in svg
    assert "<b>" not in svg


def test_tooltips_give_each_legal_parameter_its_basis():
    dot = to_dot(chain(CHAINS["thidua_candidate_workflow"]))
    assert 'tooltip="working_days = 10, basis: to be confirmed"];' in dot
    svg = (DOCS / "thidua_candidate_workflow.svg").read_text(encoding="utf-8")
    assert (
        'xlink:title="quorum = 2/3, basis: to be confirmed&#10;'
        'threshold = 1/2, basis: to be confirmed"'
    ) in svg
    assert 'xlink:title="attachments = 0, basis: chosen by the unit"' in svg


def test_a_chain_that_extends_another_is_drawn_merged():
    dot = (DOCS / "thidua_candidate_short_workflow.dot").read_text(encoding="utf-8")
    assert '"under_review" -> "selected"' in dot  # from the full chain
    assert "public_notice" not in dot
    assert '"submitted" -> "under_review" [label="Start review (start_review)\\n' in dot
