"""How thidua's own fields write numbers and dates on its pages, on thidua's
layer: a year as "2023", where the Vietnamese locale's number format groups
the thousands ("2.023"), and a date as dd/mm/yyyy in every language (the
English locale would write "5/10/23"). Fields of other schemas keep
z3c.form's and plone.app.z3cform's locale formatting."""

from plone.app.z3cform.widgets.datetime import DateFieldWidget
from plone.app.z3cform.widgets.datetime import DateWidget
from thidua.interfaces import IThiduaLayer
from z3c.form.converter import IntegerDataConverter
from z3c.form.interfaces import IDataConverter
from z3c.form.interfaces import IFieldWidget
from z3c.form.interfaces import ITextWidget
from z3c.form.widget import FieldWidget
from zope.component import adapter
from zope.component import getMultiAdapter
from zope.interface import implementer
from zope.schema.interfaces import IDate
from zope.schema.interfaces import IInt


def _ours(field, request):
    schema = getattr(field, "interface", None)
    module = getattr(schema, "__module__", "") or ""
    return IThiduaLayer.providedBy(request) and module.startswith("thidua.")


@adapter(IInt, ITextWidget)
class PlainIntegerDataConverter(IntegerDataConverter):
    def toWidgetValue(self, value):
        if not _ours(self.field, self.widget.request) or value == self.field.missing_value:
            return super().toWidgetValue(value)
        return str(value)

    def toFieldValue(self, value):
        text = value.strip() if isinstance(value, str) else value
        if _ours(self.field, self.widget.request) and text and text.lstrip("-").isdigit():
            return int(text)
        return super().toFieldValue(value)


class DayWidget(DateWidget):
    """plone.app.z3cform's date widget, shown as dd/mm/yyyy."""

    def render(self):
        if self.mode != "display" or not self.value:
            return super().render()
        converter = getMultiAdapter((self.field, self), IDataConverter)
        value = converter.toFieldValue(self.value)
        return "" if value is self.field.missing_value else value.strftime("%d/%m/%Y")


@adapter(IDate, IThiduaLayer)
@implementer(IFieldWidget)
def DayFieldWidget(field, request):
    if _ours(field, request):
        return FieldWidget(field, DayWidget(request))
    return DateFieldWidget(field, request)
