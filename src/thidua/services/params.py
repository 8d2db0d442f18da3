"""Reading query parameters and JSON bodies: a bad one is a 400 naming it,
never a 500."""

from plone.rest.interfaces import IAPIRequest
from plone.restapi.deserializer import json_body
from thidua import _
from thidua.content import limits
from thidua.interfaces import IThiduaLayer
from thidua.refusal import Refused
from zExceptions import BadRequest

import json


MAX_BATCH_SIZE = 100
DEFAULT_BATCH_SIZE = 25
# Deeper than any body a client of the API sends; far from Python's recursion
# limit, which plone.restapi's readers (json.loads, the blocks) would reach.
MAX_JSON_DEPTH = 100
# Bodies that are forms, whatever the Accept header: ZPublisher reads them.
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


class ParameterError(Refused):
    def __init__(self, field, message):
        super().__init__(400, message, field)


def json_object(request):
    """The request's body, which must be a JSON object whose text can be stored."""
    try:
        data = json_body(request)
    except Exception:  # noqa: BLE001 - any unreadable body is the caller's error
        data = None
    if not isinstance(data, dict):
        raise ParameterError(None, _("The body is a JSON object."))
    try:
        limits.check_writable(data)
    except limits.TextRefused as problem:
        raise ParameterError(problem.field, problem.message) from None
    return data


def text_field(data, name, max_length):
    """``data[name]`` stripped, text of at most ``max_length`` characters that
    can be stored (thidua.content.limits); ParameterError naming it otherwise."""
    try:
        return limits.check_text(data.get(name), name, max_length)
    except limits.TextRefused as problem:
        raise ParameterError(problem.field, problem.message) from None


def json_depth(body):
    """How deep JSON ``body`` nests, or None when it is not JSON at all."""
    try:
        data = json.loads(body)
    except RecursionError:
        return MAX_JSON_DEPTH + 1
    except ValueError:
        return None
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, depth)
            items = value.values() if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
    return deepest


def refuse_deep_json(site, event):
    """IBeforeTraverseEvent of the site, before any reader of the body: a JSON
    body nested deeper than MAX_JSON_DEPTH is a 400. plone.restapi's JWT plugin
    parses every ``application/json`` body to look for a login, and its
    services parse theirs: too deep a body is a RecursionError, a 500, in both."""
    request = event.request
    if not IThiduaLayer.providedBy(request):
        return
    content_type = (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "application/json" and (
        not IAPIRequest.providedBy(request) or content_type in FORMS
    ):
        return
    body = request.get("BODY")
    if body and (json_depth(body) or 0) > MAX_JSON_DEPTH:
        raise BadRequest(
            [
                {
                    "message": _(
                        "The body nests deeper than ${depth} levels.",
                        mapping={"depth": MAX_JSON_DEPTH},
                    )
                }
            ]
        )


def text(request, name):
    value = request.form.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParameterError(name, _("${name} is given once, as text.", mapping={"name": name}))
    return value.strip() or None


def integer(request, name, minimum=None, maximum=None, default=None):
    value = text(request, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if (
        number is None
        or (minimum is not None and number < minimum)
        or (maximum is not None and number > maximum)
    ):
        raise ParameterError(
            name,
            _(
                "${name} is a whole number from ${minimum} to ${maximum}.",
                mapping={"name": name, "minimum": minimum, "maximum": maximum},
            ),
        )
    return number


def choice(request, name, allowed):
    value = text(request, name)
    if value is not None and value not in allowed:
        raise ParameterError(
            name,
            _(
                "${name} is one of: ${allowed}.",
                mapping={"name": name, "allowed": ", ".join(sorted(allowed))},
            ),
        )
    return value


def batch(request):
    """``b_start`` and ``b_size``, checked before plone.restapi's batching reads them."""
    integer(request, "b_start", minimum=0, maximum=10**9)
    integer(request, "b_size", minimum=1, maximum=MAX_BATCH_SIZE)
    if "b_size" not in request.form:
        request.form["b_size"] = str(DEFAULT_BATCH_SIZE)
