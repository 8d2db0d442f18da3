"""Upgrade steps of thidua:default."""

from plone.registry.interfaces import IRegistry
from thidua.cors import IThiduaCORSSettings
from thidua.cors import PREFIX
from zope.component import getUtility


def add_cors_records(context):
    """1000 -> 1001: the CORS records, with their defaults (no CORS). Not the
    whole registry.xml, whose values would reset the administrator's lists."""
    getUtility(IRegistry).registerInterface(IThiduaCORSSettings, prefix=PREFIX)
