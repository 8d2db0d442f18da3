"""One shape for every error the API answers on a thidua site, as plone.restapi's
services do: ``{"error": {"type", "message", "field"}}``, the message in the
request's language (``vi`` or ``en`` from Accept-Language, else the site's).
thidua's endpoints answer it themselves; ``ErrorHandling`` gives plone.restapi's
exceptions (a content POST or PATCH that fails validation, say) the same shape."""

from plone.rest.errors import ErrorHandling as RestErrorHandling
from plone.rest.interfaces import IAPIRequest
from thidua.interfaces import IThiduaLayer
from thidua.language import request_language
from zExceptions import BadRequest
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import alsoProvides
from zope.interface import Invalid
from zope.schema import ValidationError


TYPES = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict"}


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


class IThiduaAPIRequest(IAPIRequest):
    """A plone.restapi request on a site where thidua is installed."""


def mark_api_request(site, event):
    """IBeforeTraverseEvent of the site, after plone.browserlayer applied the
    layers: thidua's error rendering applies on thidua's sites only."""
    request = event.request
    if IAPIRequest.providedBy(request) and IThiduaLayer.providedBy(request):
        alsoProvides(request, IThiduaAPIRequest)


class ErrorHandling(RestErrorHandling):
    """plone.rest's rendering of an exception, made the same as thidua's own
    answers: ``error`` with type, message (translated) and field; plone.rest's
    top-level ``type`` and ``message`` kept for the clients that read them; no
    traceback, even for a Manager (the log keeps it)."""

    def render_exception(self, exception):
        result = super().render_exception(exception)
        if result is None:  # a redirect was sent
            return None
        result.pop("traceback", None)
        language = request_language(self.request)
        body = {"type": result["type"], "message": result["message"]}
        problems = exception.args[0] if exception.args else None
        if isinstance(exception, BadRequest) and isinstance(problems, list) and problems:
            errors = [_problem(problem, language) for problem in problems]
            body.update(errors[0])
            body["errors"] = errors
        elif exception.args and isinstance(exception.args[0], Message):
            body["message"] = translate(exception.args[0], target_language=language)
        result.update(body)
        result["error"] = body
        return result


def _problem(problem, language):
    """One of plone.restapi's validation problems, its message in ``language``."""
    if not isinstance(problem, dict):
        return {"message": str(problem)}
    error = problem.get("error")
    field = problem.get("field") or getattr(error, "field", None)
    if isinstance(error, ValidationError):
        message = error.doc()
    elif isinstance(error, Invalid) and error.args:
        message = error.args[0]
    else:
        message = problem.get("message") or ""
    message = translate(message, target_language=language)
    return {"field": field, "message": message} if field else {"message": message}
