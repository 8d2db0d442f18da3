"""plone.restapi's content deserializer, keeping its validation errors whole,
refusing ids and layouts that would hide the site's pages (names.py), and
seeing a new item with the permissions its workflow will give it.

plone.restapi replaces each error by the string "ValidationError" and its
message by a translation into the site's language; thidua's error rendering
(services/errors.py) needs the errors themselves, to name the field an
invariant is about and to answer in the language the request asks for."""

from plone import api
from plone.restapi.deserializer import json_body
from plone.restapi.deserializer.dxcontent import DeserializeFromJson
from thidua.content.names import id_refusal
from thidua.content.names import layout_refusal
from zExceptions import BadRequest


class ThiduaDeserializeFromJson(DeserializeFromJson):
    def __call__(self, validate_all=False, data=None, create=False, mask_validation_errors=True):
        if data is None:
            data = json_body(self.request)
        self.check_names(data, create)
        if create:
            self.apply_initial_state()
        return super().__call__(
            validate_all=validate_all, data=data, create=create, mask_validation_errors=False
        )

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

    def apply_initial_state(self):
        """plone.restapi's add service deserializes a new item before adding it,
        when its workflow has not yet given it the permissions of its first
        state, so a field guarded by one of them (a Candidate's personal data,
        which a unit officer edits in ``draft``) was dropped without a word.
        The item gets those permissions now; adding it sets the same ones."""
        workflows = api.portal.get_tool("portal_workflow")
        for workflow in workflows.getWorkflowsFor(self.context):
            workflow.updateRoleMappingsFor(self.context)
