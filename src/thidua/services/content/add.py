from plone.app.dexterity.behaviors.metadata import IBasic
from plone.restapi.services.content import add
from thidua import _
from thidua.content import limits
from thidua.services import params
from thidua.services.errors import error


# What plone.restapi reads from the body before the content's deserializer,
# with the most characters each may have (thidua's types hold their titles
# to a lower limit in their deserializer).
PROPERTIES = {
    "@type": limits.LINE,
    "id": limits.ID,
    "title": IBasic["title"].max_length,
    "UID": limits.LINE,
    "translation_of": limits.LINE,
    "language": limits.LINE,
}


class FolderPost(add.FolderPost):
    """plone.restapi's, which answers 500 to a body that is not a JSON object
    (``[]``, ``"x"``, ``null``, broken JSON) or whose ``@type`` or ``id`` is
    not text, and takes an id of any length: here each is a 400 naming what
    is wrong."""

    def reply(self):
        try:
            data = params.json_object(self.request)
            for name, max_length in PROPERTIES.items():
                params.text_field(data, name, max_length)
        except params.ParameterError as problem:
            return error(self.request, problem.status, problem.message, problem.field)
        if not data.get("@type"):
            return error(
                self.request, 400, _("The type of the new item (@type) is required."), "@type"
            )
        return super().reply()
