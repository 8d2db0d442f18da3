"""A chain's titles and descriptions, in Vietnamese and English.

A chain file writes a title (or a description) as ``{vi: ..., en: ...}``, or
as a plain string, which is then the same in both languages.  The DCWorkflow
definition keeps the English text: it is the msgid under which Plone
translates workflow, state and transition titles (plone domain), and
catalogue.py writes thidua's plone.po from the files, so that the file stays
the one source of both texts.
"""

from zope.i18n import translate


def msgid(value):
    """The English text of a title or description: what the live workflow keeps."""
    if isinstance(value, dict):
        return value["en"]
    return value or ""


def in_language(value, language):
    """``value`` in ``language``: the file's own text, else (a plain string)
    what Plone's plone domain makes of it."""
    if isinstance(value, dict):
        return value.get(language) or value["en"]
    if not value:
        return ""
    return translate(value, domain="plone", target_language=language)
