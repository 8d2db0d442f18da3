"""Chain diagrams drawn in Python (issue 12, item 4): valid SVG on any machine,
every state and step in it, titled for screen readers."""

from lxml import etree
from thidua.chains.guards import GUARDS
from thidua.chains.loader import chain_files
from thidua.chains.loader import load_chain
from thidua.chains.svg import to_svg
from thidua.chains.titles import in_language

import pytest


SVG = "{http://www.w3.org/2000/svg}"
CHAINS = {path.stem: path for path in chain_files()}


def parse(svg):
    """The SVG as an XML tree; a drawing that is not well-formed XML fails here."""
    return etree.fromstring(svg.encode("utf-8"), etree.XMLParser(resolve_entities=False))


def chain(name):
    path = CHAINS[name]
    return load_chain(path.read_text(encoding="utf-8"), path.name, GUARDS)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("name", sorted(CHAINS))
def test_every_state_and_step_is_drawn(name, language):
    loaded = chain(name)
    root = parse(to_svg(loaded, language))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title.text == in_language(loaded["title"], language)
    assert root.get("aria-labelledby") == f"{name}-title {name}-desc"
    states = {
        group.get("id"): group for group in root.iter(f"{SVG}g") if group.get("class") == "state"
    }
    assert set(states) == {f"{name}-state-{state_id}" for state_id in loaded["states"]}
    for state_id, state in loaded["states"].items():
        texts = [text.text for text in states[f"{name}-state-{state_id}"].iter(f"{SVG}text")]
        assert texts == [in_language(state["title"], language), f"({state_id})"]
    labels = {text.text for text in root.iter(f"{SVG}text")}
    for transition in loaded["transitions"].values():
        assert in_language(transition["title"], language) in labels
    description = root.find(f"{SVG}desc").text
    for state in loaded["states"].values():
        assert in_language(state["title"], language) in description


def test_steps_carry_their_roles_guards_and_basis():
    root = parse(to_svg(chain("thidua_candidate_workflow"), "en"))
    tooltips = [
        group.find(f"{SVG}title").text
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "step"
    ]
    [start] = [tip for tip in tooltips if tip.startswith("start_review")]
    assert start.split("\n") == [
        "start_review",
        "[CouncilSecretary]",
        "notice_period(working_days=10)",
        "working_days = 10, basis: to be confirmed",
    ]
    assert any("comment required" in tip for tip in tooltips)


def test_awkward_titles_are_escaped():
    awkward = {
        "id": "thidua_x",
        "title": 'Quy trình "đặc biệt" & <b>',
        "initial_state": "a",
        "states": {"a": {"title": "Nháp <1>"}, "b": {"title": {"vi": "Hai", "en": "Two"}}},
        "transitions": {
            "t": {"title": "Gửi & đi", "from": ["a"], "to": "b", "roles": ["R"]},
            "u": {"title": "Lại", "from": ["b", "a"], "to": "a", "roles": ["R"]},
        },
    }
    svg = to_svg(awkward, "vi")
    root = parse(svg)
    assert root.find(f"{SVG}title").text == 'Quy trình "đặc biệt" & <b>'
    assert "<b>" not in svg
    assert {"Nháp <1>", "Hai", "Gửi & đi", "Lại"} <= {t.text for t in root.iter(f"{SVG}text")}
