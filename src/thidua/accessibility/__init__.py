"""What makes thidua's Classic UI pages pass axe-core (tests/browser/) where the
fault is in Plone's own markup or styles: a small stylesheet of contrast fixes
(static/thidua.css, a Plone 6 bundle) and three settings of Plone's registry.
"""

from plone import api
from plone.base.interfaces.resources import IBundleRegistry
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

import json


BUNDLE = "thidua"
STYLESHEET = "++plone++thidua/thidua.css"


def bundles():
    registry = getUtility(IRegistry)
    return registry.collectionOfInterface(IBundleRegistry, prefix="plone.bundles", check=False)


def register_bundle():
    bundle = bundles().setdefault(BUNDLE)
    bundle.enabled = True
    bundle.csscompilation = STYLESHEET
    bundle.depends = "plone"


def remove_bundle():
    """At uninstall: the stylesheet goes with thidua's static resources."""
    if BUNDLE in bundles():
        del bundles()[BUNDLE]


def accessible_editor():
    """Rich text: HTML only, so no format menu without a label beside each
    editor; TinyMCE's frame gets a title and no resize handle lacking ARIA."""
    api.portal.set_registry_record("plone.allowed_types", ("text/html",))
    record = "plone.other_settings"
    settings = json.loads(api.portal.get_registry_record(record) or "{}")
    settings.update({"iframe_aria_text": "Vùng soạn thảo", "resize": False})
    api.portal.set_registry_record(record, json.dumps(settings, ensure_ascii=False))


def accessible_defaults(context):
    """Install step and upgrade step of the same name."""
    register_bundle()
    accessible_editor()
