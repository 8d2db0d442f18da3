"""Cross-site writes on the REST API with the login cookie.

plone.restapi turns plone.protect's CSRF check off for its services (they
expect a token in the Authorization header, which a foreign page cannot
set), so a page on any site could make a visitor's browser POST, PATCH or
DELETE on the API with the visitor's login cookie: a ``text/plain`` body
needs no preflight, and only the cookie's SameSite=Lax stood in the way.

Checked on IPubAfterTraversal: the user is authenticated by then, and the
request is known to be a plone.rest API request on a thidua site (errors.py
marks it when it traverses the site), so Classic forms keep plone.protect's
own check and other sites are left alone. An unsafe request whose
credentials came from a cookie must come from a page of this site (its
Origin, or without one its Referer) or from an origin that thidua's CORS
settings allow with credentials (thidua.cors); else 403. Requests with an
Authorization header (portals and scripts, Basic or Bearer) carry no
ambient credentials and pass; so does one with neither Origin nor Referer,
which browsers always send on a cross-site POST: it is not a browser's."""

from plone import api
from thidua import _
from thidua.cors import ANY
from thidua.cors import normalise_origin
from thidua.cors import read_settings
from thidua.services.errors import IThiduaAPIRequest
from urllib.parse import urlsplit
from zExceptions import Forbidden


UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
DEFAULT_PORTS = {"http": 80, "https": 443}


def refuse_cross_site_cookie_writes(event):
    """IPubAfterTraversal."""
    request = event.request
    if not IThiduaAPIRequest.providedBy(request):
        return
    if request.get("REQUEST_METHOD", "GET").upper() not in UNSAFE_METHODS:
        return
    if not credentials_from_cookie(request):
        return
    origin = request_origin(request)
    if origin is None or origin == own_origin(request) or origin in credentialed_origins():
        return
    raise Forbidden(
        _(
            "This change was sent from a page of another site (${origin}). Make it "
            "on this site, or send the credentials in the Authorization header.",
            mapping={"origin": origin},
        )
    )


def credentials_from_cookie(request):
    """An authenticated user, no Authorization header, and a cookie that one
    of the site's credential plugins reads (plone.session's ``__ac``)."""
    if api.user.is_anonymous():
        return False
    if getattr(request, "_auth", None) or request.getHeader("Authorization"):
        return False
    return any(name in request.cookies for name in credential_cookies())


def credential_cookies():
    plugins = api.portal.get_tool("acl_users").objectValues()
    names = {getattr(plugin, "cookie_name", None) for plugin in plugins}
    return (names - {None, ""}) or {"__ac"}


def request_origin(request):
    """The origin of the page that sent the request, or None if it says none."""
    origin = request.getHeader("Origin")
    if origin:
        return origin_of(origin)
    referer = request.getHeader("Referer")
    return origin_of(referer) if referer else None


def origin_of(url):
    """scheme://host[:port], lower case, the scheme's default port left out;
    what is not a URL (``null``) is returned as it is, matching nothing."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.hostname:
        return normalise_origin(url)
    try:
        port = parts.port
    except ValueError:
        return normalise_origin(url)
    host = parts.hostname.lower()
    if port is not None and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    return f"{parts.scheme.lower()}://{host}"


def own_origin(request):
    """The origin the site is served at, virtual hosting included."""
    return origin_of(request["SERVER_URL"])


def credentialed_origins():
    settings = read_settings()
    if not settings["allow_credentials"]:
        return set()
    return {origin_of(o) for o in settings["allowed_origins"] or [] if o.strip() != ANY}
