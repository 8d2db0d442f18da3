"""A chain drawn as a Graphviz diagram: DOT text written here by hand (no
dependency), SVG from the ``dot`` program when the machine has it.

``python -m thidua.chains.diagram docs/chains`` (``make diagrams``) writes
``<id>.dot`` and ``<id>.svg`` for every chain file in workflows/, a chain
that extends another drawn merged.  An edge whose guards have legal parameters
carries each with its basis in its tooltip.
"""

from pathlib import Path
from thidua import _
from thidua.chains.loader import arguments
from thidua.chains.loader import basis_label
from thidua.chains.loader import legal_rules
from thidua.chains.titles import in_language
from zope.i18n import translate

import shutil
import subprocess
import sys


def quote(text):
    """A DOT double-quoted string; a line break in ``text`` becomes a space."""
    text = " ".join(str(text).split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label(*lines):
    """A quoted label of several centred lines (DOT's ``\\n`` escape)."""
    return '"' + "\\n".join(quote(line)[1:-1] for line in lines if line) + '"'


def _guard(guard):
    [(name, parameters)] = guard.items()
    written = ", ".join(f"{key}={value}" for key, value in arguments(parameters).items())
    return f"{name}({written})"


def rule_text(rule, say=translate):
    """A legal parameter with its basis, e.g. "quorum = 2/3, basis: to be confirmed"."""
    mapping = {"parameter": rule["parameter"], "value": rule["value"]}
    if rule["basis"] is None:
        return say(_("${parameter} = ${value}, no basis given", mapping=mapping))
    basis = say(basis_label(rule["basis"]))
    return say(_("${parameter} = ${value}, basis: ${basis}", mapping={**mapping, "basis": basis}))


def to_dot(chain, say=translate, language="en"):
    """The DOT text of a validated chain: states titled with title and id, the
    initial state marked, one edge per source of each transition.  ``say``
    translates the tooltips, titles are in ``language`` (English by default,
    for the files in docs/)."""
    from thidua.chains.guards import GUARDS

    rules = {}
    for rule in legal_rules(chain, GUARDS):
        rules.setdefault(rule["transition"], []).append(rule_text(rule, say))
    lines = [
        f"digraph {quote(chain['id'])} {{",
        f"  label={label(in_language(chain['title'], language), chain['id'])};",
        "  labelloc=t;",
        '  node [shape=box, style="rounded,filled", fillcolor="#f5f5f5", fontsize=11];',
        "  edge [fontsize=9];",
        '  _initial [shape=circle, style=filled, fillcolor=black, label="", width=0.2];',
    ]
    for state_id, state in chain["states"].items():
        text = label(in_language(state["title"], language), f"({state_id})")
        initial = ", penwidth=2" if state_id == chain["initial_state"] else ""
        lines.append(f"  {quote(state_id)} [label={text}{initial}];")
    lines.append(f"  _initial -> {quote(chain['initial_state'])};")
    for transition_id, transition in chain["transitions"].items():
        guards = [_guard(guard) for guard in transition.get("guards") or ()]
        text = label(
            f"{in_language(transition['title'], language)} ({transition_id})",
            "[" + ", ".join(transition["roles"]) + "]",
            "if " + ", ".join(guards) if guards else "",
            "comment required" if transition.get("comment_required") else "",
        )
        if transition_id in rules:
            text += f", tooltip={label(*rules[transition_id])}"
        for source in transition["from"]:
            lines.append(f"  {quote(source)} -> {quote(transition['to'])} [label={text}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(dot_text):
    """The SVG drawing of ``dot_text``, or None when Graphviz is not installed."""
    program = shutil.which("dot")
    if program is None:
        return None
    result = subprocess.run(
        [program, "-Tsvg"],
        input=dot_text,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def write_diagrams(folder):
    """``<id>.dot`` (and ``<id>.svg`` when dot is installed) for every chain file."""
    from thidua.chains.guards import GUARDS
    from thidua.chains.loader import chain_files
    from thidua.chains.loader import load_chain

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path in chain_files():
        chain = load_chain(path.read_text(encoding="utf-8"), path.name, GUARDS)
        dot_text = to_dot(chain)
        (folder / f"{chain['id']}.dot").write_text(dot_text, encoding="utf-8")
        written.append(folder / f"{chain['id']}.dot")
        svg = to_svg(dot_text)
        if svg is not None:
            (folder / f"{chain['id']}.svg").write_text(svg, encoding="utf-8")
            written.append(folder / f"{chain['id']}.svg")
    return written


if __name__ == "__main__":
    if not shutil.which("dot"):
        sys.exit("Graphviz's dot is not installed (Debian: apt-get install graphviz)")
    for path in write_diagrams(sys.argv[1] if len(sys.argv) > 1 else "docs/chains"):
        print(path)
