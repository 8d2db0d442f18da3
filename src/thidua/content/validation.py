"""An invariant's error that names the field at fault, so that forms and the
API (services/errors.py) can point at it."""

from zope.interface import Invalid


class FieldInvalid(Invalid):
    def __init__(self, message, field):
        super().__init__(message)
        self.field = field
