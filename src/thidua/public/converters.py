"""Years and other counts of thidua's forms written as numbers are written:
"2023", where the Vietnamese locale's number format would group the thousands
("2.023"). On thidua's layer, for the integer fields of thidua's own schemas;
any other integer field keeps z3c.form's locale formatting."""

from thidua.interfaces import IThiduaLayer
from z3c.form.converter import IntegerDataConverter
from z3c.form.interfaces import ITextWidget
from zope.component import adapter
from zope.schema.interfaces import IInt


def _ours(field, widget):
    schema = getattr(field, "interface", None)
    module = getattr(schema, "__module__", "") or ""
    return IThiduaLayer.providedBy(widget.request) and module.startswith("thidua.")


@adapter(IInt, ITextWidget)
class PlainIntegerDataConverter(IntegerDataConverter):
    def toWidgetValue(self, value):
        if not _ours(self.field, self.widget) or value == self.field.missing_value:
            return super().toWidgetValue(value)
        return str(value)

    def toFieldValue(self, value):
        text = value.strip() if isinstance(value, str) else value
        if _ours(self.field, self.widget) and text and text.lstrip("-").isdigit():
            return int(text)
        return super().toFieldValue(value)
