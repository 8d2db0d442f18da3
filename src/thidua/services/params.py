"""Reading query parameters: a bad one is a 400 naming it, never a 500."""

from plone.restapi.deserializer import json_body
from thidua import _
from thidua.refusal import Refused


MAX_BATCH_SIZE = 100
DEFAULT_BATCH_SIZE = 25


class ParameterError(Refused):
    def __init__(self, field, message):
        super().__init__(400, message, field)


def json_object(request):
    """The request's body, which must be a JSON object."""
    try:
        data = json_body(request)
    except Exception:  # noqa: BLE001 - any unreadable body is the caller's error
        data = None
    if not isinstance(data, dict):
        raise ParameterError(None, _("The body is a JSON object."))
    return data


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
