"""thidua's plone.po, written from the chain files.

Plone translates workflow, state and transition titles in its own ``plone``
domain; the titles and descriptions of the shipped chains are written in both
languages in workflows/*.yaml, and the part of
``locales/{vi,en}/LC_MESSAGES/plone.po`` below ``MARKER`` is generated from
them (``make i18n`` runs ``python -m thidua.chains.catalogue``).  A test fails
when the committed catalogues are not what the files say.
"""

from pathlib import Path

import json


LOCALES = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("vi", "en")
MARKER = (
    "# Below: the titles and descriptions of workflows/*.yaml, written by\n"
    "# `python -m thidua.chains.catalogue` (make i18n). Edit the chain files, not this.\n"
)


def _texts(chain):
    """(comment, value) of every title and description of a chain, in file order."""
    yield f"{chain['id']} title", chain["title"]
    yield f"{chain['id']} description", chain.get("description")
    for part, kind in (("states", "state"), ("transitions", "transition")):
        for entry_id, entry in chain[part].items():
            yield f"{kind} {entry_id} title", entry["title"]
            yield f"{kind} {entry_id} description", entry.get("description")


def messages():
    """English msgid -> {"vi": ..., "comment": ..., "files": [...]} from the shipped
    chains (merged with what they extend); raises ValueError when two files give
    one English text two Vietnamese ones."""
    from thidua.chains.guards import GUARDS
    from thidua.chains.loader import chain_files
    from thidua.chains.loader import load_chain

    found = {}
    for path in chain_files():
        chain = load_chain(path.read_text(encoding="utf-8"), path.name, GUARDS)
        for comment, value in _texts(chain):
            if not isinstance(value, dict) or not value["en"]:
                continue  # a plain string is left to Plone's own catalogue
            entry = found.setdefault(value["en"], {"vi": value["vi"], "comment": comment})
            if entry["vi"] != value["vi"]:
                raise ValueError(
                    f"{path.name}: '{value['en']}' is '{entry['vi']}' in another chain "
                    f"and '{value['vi']}' here: one English text, one translation"
                )
            entry.setdefault("files", [])
            if path.name not in entry["files"]:
                entry["files"].append(path.name)
    return found


def _quote(text):
    return json.dumps(text, ensure_ascii=False)


def generated(language):
    """The generated part of ``language``'s plone.po."""
    entries = []
    for english, entry in messages().items():
        references = "".join(f"#: ../../../workflows/{name}\n" for name in sorted(entry["files"]))
        translation = entry["vi"] if language == "vi" else english
        entries.append(
            f"#. {entry['comment']}\n{references}"
            f"msgid {_quote(english)}\nmsgstr {_quote(translation)}\n"
        )
    return MARKER + "\n" + "\n".join(entries)


def catalogue_path(language):
    return LOCALES / language / "LC_MESSAGES" / "plone.po"


def written_part(language):
    """(the hand-written part, the generated part) of the committed catalogue."""
    text = catalogue_path(language).read_text(encoding="utf-8")
    head, marker, tail = text.partition(MARKER)
    return head, marker + tail


def write():
    for language in LANGUAGES:
        head = written_part(language)[0]
        catalogue_path(language).write_text(head + generated(language), encoding="utf-8")
        print(catalogue_path(language))


if __name__ == "__main__":
    write()
