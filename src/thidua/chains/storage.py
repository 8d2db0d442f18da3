"""Chain texts replaced or added through the web, kept in the ZODB.

Not in workflows/: an installed package is read-only, and several Zope
instances on RelStorage share the ZODB but not a filesystem.  They live in an
annotation of the site: chain id -> {text, filename, replaced_by, date}.
"""

from DateTime import DateTime
from persistent.mapping import PersistentMapping
from zope.annotation.interfaces import IAnnotations


KEY = "thidua.chains.through_the_web"


def stored_chains(site):
    """chain id -> {text, filename, replaced_by, date}; empty when none (nothing written)."""
    return IAnnotations(site).get(KEY, {})


def store_chain(site, chain_id, text, filename, user_id):
    annotations = IAnnotations(site)
    if KEY not in annotations:
        annotations[KEY] = PersistentMapping()
    annotations[KEY][chain_id] = {
        "text": text,
        "filename": filename,
        "replaced_by": user_id,
        "date": DateTime(),
    }


def forget_chain(site, chain_id):
    """Drop the stored text of ``chain_id``; the shipped file applies again."""
    stored = IAnnotations(site).get(KEY)
    if stored is not None and chain_id in stored:
        del stored[chain_id]
