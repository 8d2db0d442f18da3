"""A chain drawn as SVG in Python, on any machine (no Graphviz).

A simple layered layout: each state sits in the row of its distance from the
initial state (steps forward), the states of a row side by side.  A step
forward is a straight arrow down, labelled at its middle; a step back (or
within a row) goes round the right of the drawing in a lane of its own.
Labels are placed where no other label or state is.  The drawing carries a
title and a description that lists every state and step, for screen readers;
each state and step has a tooltip (its id, roles, guards, legal parameters).
"""

from thidua import _
from thidua.chains.diagram import rule_text
from thidua.chains.loader import arguments
from thidua.chains.loader import legal_rules
from thidua.chains.titles import in_language
from xml.sax.saxutils import escape
from zope.i18n import translate


CHAR = 7.2  # average width of a character at FONT px, for the layout only
FONT = 13
SMALL = 11
BOX_HEIGHT = 46
ROW_GAP = 100
COLUMN_GAP = 48
MARGIN = 24
LANE_GAP = 26
LINE = 16  # the height of one line of a label


def _width(text, size=FONT):
    return len(text) * CHAR * size / FONT


def _rows(chain):
    """state id -> row: the fewest steps from the initial state; states that
    cannot be reached go in a last row."""
    rows = {chain["initial_state"]: 0}
    frontier = [chain["initial_state"]]
    while frontier:
        following = []
        for state_id in frontier:
            for transition in chain["transitions"].values():
                if state_id in transition["from"] and transition["to"] not in rows:
                    rows[transition["to"]] = rows[state_id] + 1
                    following.append(transition["to"])
        frontier = following
    last = max(rows.values()) + 1
    return {state_id: rows.get(state_id, last) for state_id in chain["states"]}


class _Labels:
    """Rectangles already taken, so that a label is put where nothing is."""

    def __init__(self):
        self.taken = []

    def take(self, x, y, width, height):
        self.taken.append((x, y, x + width, y + height))

    def free(self, x, y, width, height):
        return not any(
            x < right and x + width > left and y < bottom and y + height > top
            for left, top, right, bottom in self.taken
        )

    def place(self, x, y, width, height, step=LINE / 2, tries=24):
        """The top-left corner nearest (x, y), going down then up, where the
        rectangle is free; taken from then on."""
        for attempt in range(tries):
            offset = (attempt + 1) // 2 * step * (1 if attempt % 2 else -1)
            if self.free(x, y + offset, width, height):
                self.take(x, y + offset, width, height)
                return x, y + offset
        self.take(x, y, width, height)
        return x, y


def _tooltip_of_step(transition_id, transition, rules, say):
    lines = [transition_id, "[" + ", ".join(transition["roles"]) + "]"]
    for guard in transition.get("guards") or ():
        [(name, parameters)] = guard.items()
        written = ", ".join(f"{key}={value}" for key, value in arguments(parameters).items())
        lines.append(f"{name}({written})")
    if transition.get("comment_required"):
        lines.append(say(_("comment required")))
    lines.extend(rules.get(transition_id, ()))
    return "\n".join(lines)


def to_svg(chain, language="en", say=None):
    """The SVG text of a validated chain, titled in ``language``; ``say``
    translates thidua's messages (by default into ``language``)."""
    from thidua.chains.guards import GUARDS

    if say is None:

        def say(message):
            return translate(message, target_language=language)

    def title(value):
        return in_language(value, language)

    rules = {}
    for rule in legal_rules(chain, GUARDS):
        rules.setdefault(rule["transition"], []).append(rule_text(rule, say))

    rows = _rows(chain)
    row_count = max(rows.values()) + 1
    boxes = {}  # state id -> (x, y, width)
    row_widths = []
    for row in range(row_count):
        members = [state_id for state_id in chain["states"] if rows[state_id] == row]
        widths = [
            max(_width(title(chain["states"][s]["title"])), _width(f"({s})", SMALL)) + 28
            for s in members
        ]
        row_widths.append((members, widths))
    content_width = max(sum(widths) + COLUMN_GAP * (len(widths) - 1) for _, widths in row_widths)
    top = MARGIN + 2 * LINE + 12
    for row, (members, widths) in enumerate(row_widths):
        x = MARGIN + (content_width - sum(widths) - COLUMN_GAP * (len(widths) - 1)) / 2
        for state_id, width in zip(members, widths, strict=True):
            boxes[state_id] = (x, top + row * (BOX_HEIGHT + ROW_GAP), width)
            x += width + COLUMN_GAP

    # A step forward: one arrow per (from, to), labelled with its steps' titles.
    # A step back or within a row: one lane per step, right of the drawing,
    # the shorter spans nearer; each of its sources joins it.
    arrows, back = {}, {}
    for transition_id, transition in chain["transitions"].items():
        for source in transition["from"]:
            if rows[transition["to"]] > rows[source]:
                arrows.setdefault((source, transition["to"]), []).append(transition_id)
            else:
                back.setdefault(transition_id, []).append(source)
    lanes = sorted(
        back.items(),
        key=lambda item: max(rows[s] for s in item[1]) - rows[chain["transitions"][item[0]]["to"]],
    )
    ports = {}  # state id -> the lanes joined on its right side, in lane order
    for transition_id, sources in lanes:
        for state_id in {*sources, chain["transitions"][transition_id]["to"]}:
            ports.setdefault(state_id, []).append(transition_id)

    def port(state_id, transition_id):
        x, y, width = boxes[state_id]
        joined = ports[state_id]
        offset = (joined.index(transition_id) - (len(joined) - 1) / 2) * 8
        return x + width, y + BOX_HEIGHT / 2 + offset

    labels = _Labels()
    for x, y, width in boxes.values():
        labels.take(x - 4, y - 4, width + 8, BOX_HEIGHT + 8)

    edges, texts = [], []

    def draw(path, transition_ids, x, y, words):
        tooltip = "\n\n".join(
            _tooltip_of_step(t, chain["transitions"][t], rules, say) for t in transition_ids
        )
        edges.append(
            f'<g class="step"><title>{escape(tooltip)}</title>'
            f'<path d="{path}" fill="none" stroke="#555" stroke-width="1.4" '
            f'marker-end="url(#{chain["id"]}-arrow)"/></g>'
        )
        for index, word in enumerate(words):
            texts.append(
                f'<text x="{x + 4:.1f}" y="{y + (index + 1) * LINE - 4:.1f}" '
                f'font-size="{FONT - 1}">{escape(word)}</text>'
            )

    for (source, target), transition_ids in arrows.items():
        sx, sy, swidth = boxes[source]
        tx, ty, twidth = boxes[target]
        words = [title(chain["transitions"][t]["title"]) for t in transition_ids]
        height, width = LINE * len(words), max(_width(word) for word in words) + 8
        start = (sx + swidth / 2, sy + BOX_HEIGHT)
        end = (tx + twidth / 2, ty)
        path = f"M{start[0]:.1f},{start[1]:.1f} L{end[0]:.1f},{end[1]:.1f}"
        middle_x, middle_y = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        x, y = labels.place(middle_x - width / 2, middle_y - height / 2, width, height)
        draw(path, transition_ids, x, y, words)

    lane = MARGIN + content_width + LANE_GAP
    for transition_id, sources in lanes:
        target = chain["transitions"][transition_id]["to"]
        end_x, end_y = port(target, transition_id)
        segments = []
        for source in sources:
            start_x, start_y = port(source, transition_id)
            if source == target:
                start_y -= 4
            segments.append(f"M{start_x:.1f},{start_y:.1f} H{lane:.1f} V{end_y:.1f}")
        segments.append(f"M{lane:.1f},{end_y:.1f} H{end_x:.1f}")
        word = title(chain["transitions"][transition_id]["title"])
        width = _width(word) + 8
        span = [port(s, transition_id)[1] for s in sources] + [end_y]
        x, y = labels.place(lane + 4, (min(span) + max(span)) / 2 - LINE / 2, width, LINE)
        draw(" ".join(segments), [transition_id], x, y, [word])
        lane += LANE_GAP

    nodes = []
    for state_id, (x, y, width) in boxes.items():
        state = chain["states"][state_id]
        initial = state_id == chain["initial_state"]
        description = title(state.get("description")) or state_id
        nodes.append(
            f'<g class="state" id="{chain["id"]}-state-{escape(state_id)}">'
            f"<title>{escape(description)}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{BOX_HEIGHT}" '
            f'rx="8" fill="#f5f5f5" stroke="#333" stroke-width="{2.5 if initial else 1}"/>'
            f'<text x="{x + width / 2:.1f}" y="{y + 20:.1f}" text-anchor="middle" '
            f'font-size="{FONT}" font-weight="bold">{escape(title(state["title"]))}</text>'
            f'<text x="{x + width / 2:.1f}" y="{y + 37:.1f}" text-anchor="middle" '
            f'font-size="{SMALL}" fill="#555">({escape(state_id)})</text></g>'
        )

    rectangles = _rects(labels)
    right = max([lane, MARGIN + content_width] + [x + w for x, y, w, h in rectangles])
    last_row = top + (row_count - 1) * (BOX_HEIGHT + ROW_GAP) + BOX_HEIGHT
    bottom = max([last_row, *(y + h for x, y, w, h in rectangles)])
    width, height = right + MARGIN, bottom + MARGIN
    chain_title = title(chain["title"])
    summary = _description(chain, title, say)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-labelledby="{chain["id"]}-title {chain["id"]}-desc" '
        f'font-family="sans-serif" class="chain-svg">'
        f'<title id="{chain["id"]}-title">{escape(chain_title)}</title>'
        f'<desc id="{chain["id"]}-desc">{escape(summary)}</desc>'
        f'<defs><marker id="{chain["id"]}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555"/></marker></defs>'
        f'<rect width="100%" height="100%" fill="#fff"/>'
        f'<text x="{MARGIN}" y="{MARGIN + LINE}" font-size="{FONT + 3}" font-weight="bold">'
        f"{escape(chain_title)}</text>"
        f'<text x="{MARGIN}" y="{MARGIN + 2 * LINE + 2}" font-size="{SMALL}" fill="#555">'
        f"{escape(chain['id'])}</text>"
        + "".join(edges)
        + "".join(nodes)
        + '<g class="labels" paint-order="stroke" stroke="#fff" stroke-width="4" '
        'stroke-linejoin="round" fill="#111">' + "".join(texts) + "</g></svg>"
    )


def _rects(labels):
    return [(left, top, right - left, bottom - top) for left, top, right, bottom in labels.taken]


def _description(chain, title, say):
    """The chain in words: its states, then each step from where to where."""
    states = ", ".join(title(state["title"]) for state in chain["states"].values())
    steps = "; ".join(
        say(
            _(
                "${step}: ${sources} → ${target}",
                mapping={
                    "step": title(transition["title"]),
                    "sources": ", ".join(
                        title(chain["states"][source]["title"]) for source in transition["from"]
                    ),
                    "target": title(chain["states"][transition["to"]]["title"]),
                },
            )
        )
        for transition in chain["transitions"].values()
    )
    initial = title(chain["states"][chain["initial_state"]]["title"])
    return say(
        _(
            "States: ${states}. It starts in ${initial}. Steps: ${steps}.",
            mapping={"states": states, "initial": initial, "steps": steps},
        )
    )
