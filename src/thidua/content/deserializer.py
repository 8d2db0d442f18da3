"""plone.restapi's content deserializer for thidua's types, with the body
checked first, ids and layouts that would hide the site's pages refused
(names.py), a new item seen with the permissions its workflow will give it,
and its validation errors kept whole.

plone.restapi replaces each error by the string "ValidationError" and its
message by a translation into the site's language; thidua's error rendering
(services/errors.py) needs the errors themselves, to name the field an
invariant is about and to answer in the language the request asks for.

Before plone.restapi reads the body, each value is checked against what its
field takes as JSON (text, true or false, a token, a list...): plone.restapi
answers 500 to some wrong types (``{"achievements": 5}``) and takes others it
should not (``"is_leader": "yes"``). Text is held to the limits of
thidua.content.limits, with the characters it allows; a rich text to the mime
types thidua accepts. Every problem is a 400 naming its field."""

from plone.app.textfield.interfaces import IRichText
from plone.dexterity.utils import iterSchemata
from plone.namedfile.interfaces import INamedField
from plone.restapi.deserializer import json_body
from plone.restapi.deserializer.dxcontent import DeserializeFromJson
from plone.restapi.exceptions import DeserializationError
from thidua import _
from thidua.content import limits
from thidua.content.initial import apply_initial_state
from thidua.content.names import id_refusal
from thidua.content.names import layout_refusal
from thidua.content.validation import FieldInvalid
from z3c.relationfield.interfaces import IRelation
from zExceptions import BadRequest
from zope.schema import getFields
from zope.schema.interfaces import IBool
from zope.schema.interfaces import IChoice
from zope.schema.interfaces import ICollection
from zope.schema.interfaces import IDate
from zope.schema.interfaces import IDatetime
from zope.schema.interfaces import IInt
from zope.schema.interfaces import IText

import codecs


class ThiduaDeserializeFromJson(DeserializeFromJson):
    def __call__(self, validate_all=False, data=None, create=False, mask_validation_errors=True):
        if data is None:
            try:
                data = json_body(self.request)
            except DeserializationError:
                raise BadRequest([{"message": _("The body is a JSON object.")}]) from None
        problems = self.problems(data)
        if problems:
            raise BadRequest(problems)
        self.check_names(data, create)
        if create:
            apply_initial_state(self.context)
        return super().__call__(
            validate_all=validate_all, data=data, create=create, mask_validation_errors=False
        )

    def problems(self, data):
        """plone.restapi's problems (field, message, error) of ``data``'s values."""
        try:
            limits.check_writable(data)
        except limits.TextRefused as refused:
            return [problem(refused.field, refused.message)]
        found = []
        if "layout" in data:  # plone.restapi sets it as it comes
            message = wrong_text("layout", data["layout"] or None, limits.LINE)
            if message is not None:
                found.append(problem("layout", message))
        for schema in iterSchemata(self.context):
            for name, field in getFields(schema).items():
                if data.get(name) is None or field.readonly:
                    continue
                message = wrong_value(name, field, data[name])
                if message is not None:
                    found.append(problem(name, message))
        return found

    def check_names(self, data, create):
        """The id a POST gives (plone.restapi made the item with it already) or
        a PATCH changes (plone.shortname renames), and the layout."""
        problems = []
        new_id = data.get("id")
        if isinstance(new_id, str) and (create or new_id != self.context.getId()):
            refusal = id_refusal(self.context, new_id)
            if refusal is not None:
                problems.append({"field": "id", "message": refusal})
        layout = data.get("layout")
        if "layout" in data:
            refusal = layout_refusal(self.context, layout)
            if refusal is not None:
                problems.append({"field": "layout", "message": refusal})
        if problems:
            raise BadRequest(problems)


def problem(name, message):
    return {"field": name, "message": message, "error": FieldInvalid(message, name)}


def wrong_value(name, field, value):
    """What is wrong with JSON ``value`` for ``field``, or None."""
    mapping = {"field": name}
    if IRelation.providedBy(field):
        target = value.get("@id") if isinstance(value, dict) else value
        if not isinstance(target, (str, int)) or isinstance(target, bool):
            return _("${field} is an item's UID, path or address.", mapping=mapping)
        return wrong_text(name, str(target), limits.LINE)
    if INamedField.providedBy(field):
        return wrong_file(name, value)
    if IRichText.providedBy(field):
        return wrong_rich_text(name, field, value)
    if ICollection.providedBy(field):
        items = value if isinstance(value, list) else [value]
        if field.max_length is not None and len(items) > field.max_length:
            return _(
                "${field} has at most ${max} items.", mapping={**mapping, "max": field.max_length}
            )
        if field.value_type is None:
            return None
        messages = (wrong_value(name, field.value_type, item) for item in items)
        return next((message for message in messages if message is not None), None)
    if isinstance(value, str) and not IText.providedBy(field) and len(value) > limits.LINE:
        return limits.too_long(name, limits.LINE).message  # no token or date is as long
    if IChoice.providedBy(field):
        token = value.get("token") if isinstance(value, dict) else value
        if not isinstance(token, (str, int)) or isinstance(token, bool):
            return _("${field} is one of its choices, by its token.", mapping=mapping)
        return None
    if IBool.providedBy(field):
        if not isinstance(value, bool):
            return _("${field} is true or false.", mapping=mapping)
        return None
    if IInt.providedBy(field):
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            return _("${field} is a whole number.", mapping=mapping)
        return None
    if IDate.providedBy(field) or IDatetime.providedBy(field):
        if not isinstance(value, str):
            return _("${field} is a date, such as 2025-12-31.", mapping=mapping)
        return None
    if IText.providedBy(field):
        return wrong_text(name, value, limits.BEHAVIOR_FIELDS.get(name, field.max_length))
    return None


def wrong_text(name, value, max_length):
    if not isinstance(value, str):
        return _("${field} is text.", mapping={"field": name})
    if max_length is not None and len(value) > max_length:
        return limits.too_long(name, max_length).message
    return None


def wrong_rich_text(name, field, value):
    """A rich text is its text, or an object with the text in ``data`` and,
    optionally, its ``content-type`` and ``encoding``."""
    if not isinstance(value, dict):
        value = {"data": value}
    if not isinstance(value.get("data"), str):
        return _("${field} is text, or an object with the text in data.", mapping={"field": name})
    allowed = field.allowed_mime_types or limits.RICH_TEXT_MIME_TYPES
    if value.get("content-type", field.default_mime_type) not in allowed:
        return _(
            "${field} is written in one of: ${types}.",
            mapping={"field": name, "types": ", ".join(allowed)},
        )
    if not is_utf8(value.get("encoding", "utf-8")):
        return _("${field} is encoded in utf-8.", mapping={"field": name})
    return wrong_text(name, value["data"], field.max_length)


def wrong_file(name, value):
    """A file or image is an object with its ``data``, as plone.restapi reads
    it: text, in the ``encoding`` (base64) if one is given."""
    message = _(
        "${field} is an object with the file's data, filename, content-type and encoding.",
        mapping={"field": name},
    )
    if not isinstance(value, dict):
        return message
    texts = [value.get(key) for key in ("data", "filename", "content-type", "encoding")]
    if not all(text is None or isinstance(text, str) for text in texts):
        return message
    encoding = value.get("encoding")
    if encoding is not None and not is_codec(encoding):
        return message
    return None


def is_codec(encoding):
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def is_utf8(encoding):
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except (LookupError, TypeError):
        return False
