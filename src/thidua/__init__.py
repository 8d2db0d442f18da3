"""thidua: the work of Vietnam's Emulation and Commendation Councils on Plone."""

from zope.i18nmessageid import MessageFactory


_ = MessageFactory("thidua")
