"""Which language thidua writes a text in.

- ``request_language(request)``: what the caller reads. The API answers in
  ``vi`` or ``en`` from Accept-Language, else in the site's language (a
  default Plone site does not negotiate from the header); a Classic page in
  the language Plone chose for it, so that its terms match the page around them.
- ``site_language()``: texts that outlive the request (mails, comments in the
  workflow history): the site's language.
"""

from plone import api
from plone.rest.interfaces import IAPIRequest


LANGUAGES = ("vi", "en")


def site_language():
    return api.portal.get_default_language() or "vi"


def plone_language():
    """The language Plone negotiated for the current request (Classic pages,
    vocabulary terms)."""
    return api.portal.get_current_language() or "vi"


def request_language(request):
    if not IAPIRequest.providedBy(request):
        return plone_language()
    for part in (request.getHeader("Accept-Language") or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return site_language()
