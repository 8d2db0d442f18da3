"""Reading query parameters: a bad one is a 400 naming it, never a 500."""

from thidua import _


MAX_BATCH_SIZE = 100
DEFAULT_BATCH_SIZE = 25


class ParameterError(ValueError):
    def __init__(self, field, message):
        self.status, self.field, self.message = 400, field, message
        super().__init__(message)


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
