"""Where the chains come from: the shipped files in workflows/ and the texts
stored through the web, and the checks that look across files (a file is the
chain it stands for, a content type follows one chain, a chain extends one
that exists).  Building the DCWorkflow definitions is compiler.py's part.
"""

from Products.CMFCore.utils import getToolByName
from thidua import _
from thidua.chains.guards import GUARDS
from thidua.chains.loader import chain_files
from thidua.chains.loader import ChainError
from thidua.chains.loader import line_of
from thidua.chains.loader import load_chain
from thidua.chains.storage import stored_chains


def known_roles(site):
    return set(site.valid_roles()) | {"Anonymous", "Authenticated", "Owner"}


def chain_sources(site, pending=None):
    """chain id -> {text, filename, shipped, replaced_by, date}, in install order.

    The shipped files (``<id>.yaml``), each unless the site stores a text of the
    same id through the web, then the chains added through the web.  ``shipped``
    is the shipped file's text (None for an added chain), ``replaced_by`` and
    ``date`` say who stored a text and when.  ``pending`` (id -> (text,
    filename)) counts as stored: it is how a change is checked before it is made.
    """
    sources = {}
    for path in chain_files():
        text = path.read_text(encoding="utf-8")
        sources[path.stem] = {
            "text": text,
            "filename": path.name,
            "shipped": text,
            "replaced_by": None,
            "date": None,
        }
    records = dict(sorted(stored_chains(site).items()))
    for chain_id, (text, filename) in (pending or {}).items():
        records[chain_id] = {"text": text, "filename": filename, "replaced_by": None, "date": None}
    for chain_id, record in records.items():
        shipped = sources.get(chain_id, {}).get("shipped")
        sources[chain_id] = {**record, "shipped": shipped}
    return sources


def texts(sources):
    """chain id -> (text, file name): where a chain finds the chain it extends."""
    return {chain_id: (source["text"], source["filename"]) for chain_id, source in sources.items()}


def read_chains(site, pending=None):
    """Every chain, validated; raises ChainError on the first bad one.

    A chain that extends another extends it as the site has it (replaced
    through the web or not).  Beyond each file's own checks: a file is the
    chain it stands for (a shipped
    file is named after its id, a replacement has the id of the chain it
    replaces), an added chain's id starts with ``thidua_``, and its ``types``
    exist and follow no other chain (a type follows one chain; pending chains
    are checked last, so the error names the file being changed).
    """
    roles = known_roles(site)
    chains = []
    sources = chain_sources(site, pending)
    for chain_id, source in sources.items():
        chain = load_chain(source["text"], source["filename"], GUARDS, roles, texts(sources))
        if chain["id"] != chain_id:
            raise ChainError(
                source["filename"],
                line_of(source["text"], ["id"]),
                "id",
                _(
                    "this file must be the chain '${chain}', not '${id}'",
                    mapping={"chain": chain_id, "id": chain["id"]},
                ),
            )
        if source["shipped"] is None and not chain_id.startswith("thidua_"):
            raise ChainError(
                source["filename"],
                line_of(source["text"], ["id"]),
                "id",
                _("the id of an added chain starts with 'thidua_'"),
            )
        chains.append((chain, source))
    type_ids = set(getToolByName(site, "portal_types").objectIds())
    follows = {}
    for chain, source in sorted(chains, key=lambda item: item[0]["id"] in (pending or {})):
        for index, type_id in enumerate(chain.get("types") or ()):
            problem = None
            # A shipped chain may name a type that a later upgrade adds (an older
            # site upgraded step by step): the binding waits for the type.
            if type_id not in type_ids and source["text"] != source["shipped"]:
                problem = _("no content type '${type}'", mapping={"type": type_id})
            elif follows.get(type_id, chain["id"]) != chain["id"]:
                problem = _(
                    "'${type}' already follows the chain '${chain}'",
                    mapping={"type": type_id, "chain": follows[type_id]},
                )
            if problem:
                raise ChainError(
                    source["filename"],
                    line_of(source["text"], ["types", index]),
                    f"types.{index}",
                    problem,
                )
            follows[type_id] = chain["id"]
    return [chain for chain, source in chains]
