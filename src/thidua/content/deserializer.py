"""plone.restapi's content deserializer, keeping its validation errors whole.

plone.restapi replaces each error by the string "ValidationError" and its
message by a translation into the site's language; thidua's error rendering
(services/errors.py) needs the errors themselves, to name the field an
invariant is about and to answer in the language the request asks for."""

from plone.restapi.deserializer.dxcontent import DeserializeFromJson


class ThiduaDeserializeFromJson(DeserializeFromJson):
    def __call__(self, validate_all=False, data=None, create=False, mask_validation_errors=True):
        return super().__call__(
            validate_all=validate_all, data=data, create=create, mask_validation_errors=False
        )
