"""CORS for portals on other origins, set by a site administrator in the
Thi đua control panel (registry records ``thidua.cors.*``) instead of ZCML:
the records' schema, read by the policy (policy.py) and the CSRF check
(services/csrf.py).

Origins listed by name get the whole policy (the methods and headers chosen,
credentials if allowed). ``*`` lets any other origin read anonymously: safe
methods only, no Authorization header, never credentials (browsers refuse
``Access-Control-Allow-Origin: *`` with credentials anyway).

The schema stays in this module, ``thidua.cors``: the registry records of
existing sites keep a reference to ``thidua.cors.IThiduaCORSSettings`` in
their pickled fields.
"""

from plone.autoform import directives
from plone.registry.interfaces import IRegistry
from plone.supermodel import model
from thidua import _
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.component import queryUtility
from zope.interface import Invalid

import re


PREFIX = "thidua.cors"
ANY = "*"
METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PATCH", "PUT", "DELETE")
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
