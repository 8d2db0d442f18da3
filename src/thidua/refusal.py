"""What thidua's own rules refuse, with the HTTP answer it deserves: the REST
endpoints turn a Refused into ``{"error": {...}}`` (services/errors.py)."""


class Refused(ValueError):
    def __init__(self, status, message, field=None):
        self.status, self.message, self.field = status, message, field
        super().__init__(message)
