"""The CORS policy of a thidua site, from the control panel's records
(``thidua.cors``, the schema in __init__.py).

plone.rest looks up an ``ICORSPolicy`` for (context, request) when the request
reaches a service (plone.rest.service.Service.__call__), preflights included,
and when it renders an API error. Traversal has passed the site by then, so
plone.browserlayer has applied IThiduaLayer and the policy registered for it
is found; it reads the registry at every request, so a change applies at once.
"""

from plone.rest.interfaces import ICORSPolicy
from thidua.cors import ANY
from thidua.cors import normalise_origin
from thidua.cors import read_settings
from thidua.interfaces import IThiduaLayer
from zope.component import adapter
from zope.component import getSiteManager
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import providedBy
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Headers that carry who the caller is: never offered to ``*``.
CREDENTIAL_HEADERS = ("authorization", "cookie")


class Grant:
    """What one request's origin may do."""

    def __init__(self, origin, methods, headers, credentials):
        self.origin = origin  # the value of Access-Control-Allow-Origin
        self.methods = methods
        self.headers = headers
        self.credentials = credentials


@implementer(ICORSPolicy)
@adapter(Interface, IThiduaLayer)
class CORSPolicy:
    def __init__(self, context, request):
        self.context = context
        self.request = request
        self.settings = read_settings()
        self.origins = [normalise_origin(o) for o in self.settings["allowed_origins"] or []]

    def grant(self):
        origin = self.request.getHeader("Origin", None)
        if not origin:
            return None
        methods = [m.upper() for m in self.settings["allowed_methods"] or []]
        headers = list(self.settings["allowed_headers"] or [])
        if normalise_origin(origin) in self.origins:
            return Grant(origin, methods, headers, bool(self.settings["allow_credentials"]))
        if ANY in self.origins and not self.authorization():
            return Grant(
                ANY,
                [m for m in methods if m in SAFE_METHODS],
                [h for h in headers if h.lower() not in CREDENTIAL_HEADERS],
                False,
            )
        return None

    def authorization(self):
        """ZPublisher moves the Authorization header out of the headers into ``_auth``."""
        return getattr(self.request, "_auth", None) or self.request.getHeader("Authorization")

    def vary(self):
        """The answer depends on Origin when origins are named: shared caches must know."""
        if any(origin != ANY for origin in self.origins):
            response = self.request.response
            current = response.getHeader("Vary") or ""
            if "origin" not in current.lower():
                response.setHeader("Vary", f"{current}, Origin" if current else "Origin")

    def allow_origin(self, grant):
        response = self.request.response
        response.setHeader("Access-Control-Allow-Origin", grant.origin)
        if grant.credentials:
            response.setHeader("Access-Control-Allow-Credentials", "true")

    def process_simple_request(self):
        if not self.origins:
            return self.fallback("process_simple_request")
        self.vary()
        grant = self.grant()
        method = self.request.get("REQUEST_METHOD", "GET").upper()
        if grant is None or ("GET" if method == "HEAD" else method) not in grant.methods:
            return False
        self.allow_origin(grant)
        return True

    def process_preflight_request(self):
        if not self.origins:
            return self.fallback("process_preflight_request")
        self.vary()
        grant = self.grant()
        if grant is None:
            return False
        method = (self.request.getHeader("Access-Control-Request-Method", None) or "").upper()
        if method not in grant.methods:
            return False
        requested = self.request.getHeader("Access-Control-Request-Headers", None) or ""
        allowed = {h.lower() for h in grant.headers}
        if any(h.strip().lower() not in allowed for h in requested.split(",") if h.strip()):
            return False
        response = self.request.response
        self.allow_origin(grant)
        response.setHeader("Access-Control-Allow-Methods", ", ".join(grant.methods))
        if grant.headers:
            response.setHeader("Access-Control-Allow-Headers", ", ".join(grant.headers))
        if self.settings["max_age"]:
            response.setHeader("Access-Control-Max-Age", str(self.settings["max_age"]))
        response.setHeader("Content-Length", "0")
        response.setStatus(200)
        return True

    def fallback(self, method):
        """No origins here: a policy a deployment set in ZCML (``plone:CORSPolicy``
        for the default layer), which this adapter would otherwise hide, applies."""
        factory = getSiteManager().adapters.lookup(
            (providedBy(self.context), IDefaultBrowserLayer), ICORSPolicy
        )
        if factory is None or factory is type(self):
            return False
        return getattr(factory(self.context, self.request), method)()
