"""``statistics`` of a Report in plone.restapi's serialization: the frozen
figures, or the live ones of a draft for the staff (thidua.reports.statistics)."""

from plone.restapi.interfaces import IFieldSerializer
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.serializer.dxfields import DefaultFieldSerializer
from thidua.content.report import IReport
from thidua.interfaces import IThiduaLayer
from thidua.reports import statistics
from zope.component import adapter
from zope.interface import implementer
from zope.schema.interfaces import IDict


@adapter(IDict, IReport, IThiduaLayer)
@implementer(IFieldSerializer)
class StatisticsSerializer(DefaultFieldSerializer):
    def __call__(self):
        if self.field.__name__ != "statistics":
            return super().__call__()
        return json_compatible(statistics(self.context))
