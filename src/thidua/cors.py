"""CORS for portals on other origins, set by a site administrator in the
Thi đua control panel (registry records ``thidua.cors.*``) instead of ZCML.

plone.rest looks up an ``ICORSPolicy`` for (context, request) when the request
reaches a service (plone.rest.service.Service.__call__), preflights included,
and when it renders an API error. Traversal has passed the site by then, so
plone.browserlayer has applied IThiduaLayer and the policy registered for it
is found; it reads the registry at every request, so a change applies at once.

Origins listed by name get the whole policy (the methods and headers chosen,
credentials if allowed). ``*`` lets any other origin read anonymously: safe
methods only, no Authorization header, never credentials (browsers refuse
``Access-Control-Allow-Origin: *`` with credentials anyway).
"""

from plone.autoform import directives
from plone.registry.interfaces import IRegistry
from plone.rest.interfaces import ICORSPolicy
from plone.supermodel import model
from thidua import _
from thidua.interfaces import IThiduaLayer
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.component import adapter
from zope.component import getSiteManager
from zope.component import queryUtility
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import providedBy
from zope.publisher.interfaces.browser import IDefaultBrowserLayer

import re


PREFIX = "thidua.cors"
ANY = "*"
METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PATCH", "PUT", "DELETE")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Headers that carry who the caller is: never offered to ``*``.
CREDENTIAL_HEADERS = ("authorization", "cookie")
ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")
HEADER = re.compile(r"^[A-Za-z0-9-]+$")


def normalise_origin(value):
    return (value or "").strip().rstrip("/").lower()


def _origins_valid(values):
    if any(normalise_origin(v) != ANY and not ORIGIN.match(normalise_origin(v)) for v in values):
        raise Invalid(
            _("Each line is * or an origin: scheme, host and port, without a path or a slash.")
        )
    return True


def _headers_valid(values):
    if any(not HEADER.match(value.strip()) for value in values):
        raise Invalid(_("Each line is one header name: letters, digits and -."))
    return True


class IThiduaCORSSettings(model.Schema):
    """Records ``thidua.cors.*``: the fieldset of the Thi đua control panel."""

    model.fieldset(
        "cors",
        label=_("Other portals (CORS)"),
        description=_(
            "Web pages on these origins may read the REST API from the visitor's browser. "
            "Servers and scripts need no CORS."
        ),
        fields=[
            "allowed_origins",
            "allowed_methods",
            "allowed_headers",
            "allow_credentials",
            "max_age",
        ],
    )

    allowed_origins = schema.List(
        title=_("Allowed origins"),
        description=_(
            "One per line, such as https://congthongtin.example.gov.vn. Empty: no CORS. "
            "* lets any other origin read without logging in (GET only)."
        ),
        value_type=schema.TextLine(),
        required=False,
        default=[],
        constraint=_origins_valid,
    )
    directives.widget("allowed_methods", CheckBoxFieldWidget)
    allowed_methods = schema.List(
        title=_("Allowed methods"),
        description=_(
            "For the origins listed by name. Add POST or PATCH only for a portal that "
            "writes through the API."
        ),
        value_type=schema.Choice(values=METHODS),
        required=False,
        default=["GET", "OPTIONS"],
    )
    allowed_headers = schema.List(
        title=_("Allowed request headers"),
        description=_("One per line. Authorization is never offered to *."),
        value_type=schema.TextLine(),
        required=False,
        default=["Accept", "Authorization", "Content-Type", "Accept-Language"],
        constraint=_headers_valid,
    )
    allow_credentials = schema.Bool(
        title=_("Send cookies and logins from the listed origins"),
        description=_(
            "Only for portals that log users in to this site through their browser; never for *."
        ),
        required=False,
        default=False,
    )
    max_age = schema.Int(
        title=_("Preflight cache (seconds)"),
        description=_("How long browsers may reuse the answer to a preflight request."),
        required=False,
        min=0,
        max=86400,
        default=3600,
    )


def read_settings():
    """The records as a dict; a site without them (not yet upgraded) has no CORS."""
    registry = queryUtility(IRegistry)
    names = schema.getFieldNames(IThiduaCORSSettings)
    if registry is None:
        return dict.fromkeys(names)
    return {name: registry.get(f"{PREFIX}.{name}") for name in names}


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
