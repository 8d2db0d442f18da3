"""How much text thidua stores, and which characters, in one place.

Every limit counts characters (not bytes). They are generous for the real
documents (a plan's purpose, a candidate's achievements) and keep one write
from bloating the catalog and the database:

- 300: the title of a Unit, Plan, Movement, Candidate or Report (``TITLE``);
- 2,000: the description, its summary (``DESCRIPTION``);
- 500: a one-line text (``LINE``): organisation, phone, email, lead agency,
  each coordinating agency, document number, signer, each line of a plan's
  quarterly rotation, the caption of an image, and a content POST's
  ``@type``, ``UID``, ``language`` and ``translation_of``;
- 100: a unit's code (``CODE``), an item's id, the last part of its address
  (``ID``), the coordinating agencies of a movement (``LIST_ITEMS``);
- 100,000: a rich text (``RICH_TEXT``): achievements, initiatives, goals,
  criteria, purpose, requirements, a report's body;
- 2,000: a workflow comment (``COMMENT``, for ``@workflow``) and the reason
  of a recusal (``REASON``, ``@votes``);
- 500: the number of a paper ballot's minutes (``MINUTES``, ``@votes``).

The schemas (content/*.py) carry the limits as ``max_length``, so that the
Classic forms and plone.restapi both enforce them; the title and description
come from the ``plone.basic`` behavior and are checked by thidua's content
deserializer (content/deserializer.py) and the Classic forms' validator
(content/forms.py).

Text must also be writable as it is stored and exported (csv, xlsx, XML): a
lone surrogate (U+D800 to U+DFFF) and a control character other than tab, line
feed and carriage return are refused wherever a JSON body thidua reads carries
them, the keys included. What an older version stored is made writable on
export (``writable``).
"""

from thidua import _
from thidua.refusal import Refused

import re


TITLE = 300
DESCRIPTION = 2_000
LINE = 500
CODE = 100
ID = 100
RICH_TEXT = 100_000
LIST_ITEMS = 100
COMMENT = 2_000
REASON = 2_000
MINUTES = 500

# Fields of plone's behaviors on thidua's types, which have no max_length.
BEHAVIOR_FIELDS = {"title": TITLE, "description": DESCRIPTION, "image_caption": LINE, "id": ID}

# What a rich text field accepts as its ``content-type``.
RICH_TEXT_MIME_TYPES = ("text/html", "text/plain", "text/x-web-markdown")

UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class TextRefused(Refused):
    def __init__(self, message, field):
        super().__init__(400, message, field)


def check_text(value, field, max_length):
    """``value`` stripped if it is text ``field`` may hold, else TextRefused;
    ``None`` for nothing or blank text."""
    if value is not None and not isinstance(value, str):
        raise TextRefused(_("${field} is text.", mapping={"field": field}), field)
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > max_length:
        raise too_long(field, max_length)
    if UNWRITABLE.search(value):
        raise unwritable(field)
    return value


def too_long(field, max_length):
    return TextRefused(
        _(
            "${field} is at most ${max} characters long.",
            mapping={"field": field, "max": max_length},
        ),
        field,
    )


def unwritable(field):
    return TextRefused(
        _(
            "${field} contains a character that cannot be stored "
            "(a control character or a broken one).",
            mapping={"field": field},
        ),
        field,
    )


def check_writable(data):
    """Refuse the first text inside JSON ``data`` that cannot be stored, naming
    the top-level key it is under. A loop, not recursion: the body may be
    nested as deep as the JSON parser allows."""
    if isinstance(data, dict):
        pending = [(key, key) for key in data] + list(data.items())
    else:
        pending = [(None, data)]
    while pending:
        field, value = pending.pop()
        if isinstance(value, str):
            if UNWRITABLE.search(value):
                raise unwritable(field or "body")
        elif isinstance(value, dict):
            pending.extend((field, key) for key in value)
            pending.extend((field, item) for item in value.values())
        elif isinstance(value, list):
            pending.extend((field, item) for item in value)


def writable(value):
    """``value`` with what cannot be stored replaced by U+FFFD, for text an
    older version let in."""
    if isinstance(value, str):
        return UNWRITABLE.sub("\ufffd", value)
    return value
