"""One shape for every error a thidua endpoint answers, as plone.restapi's own:
``{"error": {"type", "message", "field"}}``, the message in the request's
language (``vi`` or ``en`` from Accept-Language, else the site's)."""

from plone import api
from zope.i18n import translate


LANGUAGES = ("vi", "en")
TYPES = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict"}


def request_language(request):
    for part in (request.getHeader("Accept-Language") or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return api.portal.get_default_language() or "vi"


def error(request, status, message, field=None):
    """Set ``status`` on the response and return the error body."""
    request.response.setStatus(status)
    return error_body(request, status, message, field)


def error_body(request, status, message, field=None):
    body = {
        "type": TYPES.get(status, "Error"),
        "message": translate(message, target_language=request_language(request)),
    }
    if field:
        body["field"] = field
    return {"error": body}
