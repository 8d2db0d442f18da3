"""1005: the identity numbers' record (thidua.content.rules), with its default:
CCCD only. Not the whole registry.xml, whose values would reset the lists."""

from plone.registry.interfaces import IRegistry
from thidua.content.rules import IDENTITY_PREFIX
from thidua.content.rules import IIdentitySettings
from zope.component import getUtility


def add_identity_record(context):
    getUtility(IRegistry).registerInterface(IIdentitySettings, prefix=IDENTITY_PREFIX)
