"""``@export`` on a Unit, Plan or Movement: its candidates as xlsx or csv; on a
Unit or Plan the sub-plans and the reach tables too (more sheets, or
``table=subplans``, ``table=replication``).
On a Report: the document as docx, its tables as xlsx or csv (thidua.documents,
as ``@@report-docx`` and ``@@report-xlsx``)."""

from plone.restapi.services import Service
from thidua import _
from thidua import documents
from thidua import export
from thidua.content.movement import IMovement
from thidua.content.report import IReport
from thidua.language import request_language
from thidua.services import params
from thidua.services.errors import error

import json


TABLES = ("candidates", "subplans", "replication")


class ExportGet(Service):
    """The file itself, not JSON; errors stay JSON like every other endpoint's."""

    def render(self):
        self.check_permission()
        if IReport.providedBy(self.context):
            return self.report()
        has_subplans = not IMovement.providedBy(self.context)
        try:
            file_format = params.choice(self.request, "format", set(export.FORMATS))
            table_name = params.choice(
                self.request, "table", set(TABLES if has_subplans else TABLES[:1])
            )
        except params.ParameterError as problem:
            return self.json(error(self.request, 400, problem.message, problem.field))
        if file_format is None:
            return self.json(error(self.request, 400, _("format is one of: csv, xlsx."), "format"))
        table_name = table_name or "candidates"
        language = request_language(self.request)
        body = export.document(self.context, file_format, language, table_name)
        name = f"{self.context.getId()}-{table_name}.{file_format}"
        return self.send(body, export.FORMATS[file_format], f'attachment; filename="{name}"')

    def report(self):
        try:
            file_format = params.choice(self.request, "format", set(documents.FORMATS))
        except params.ParameterError as problem:
            return self.json(error(self.request, 400, problem.message, problem.field))
        if file_format is None:
            return self.json(
                error(self.request, 400, _("format is one of: csv, docx, xlsx."), "format")
            )
        body, content_type, filename = documents.render(
            self.context, file_format, request_language(self.request)
        )
        return self.send(body, content_type, export.content_disposition(filename))

    def send(self, body, content_type, disposition):
        response = self.request.response
        response.setHeader("Content-Type", content_type)
        response.setHeader("Content-Disposition", disposition)
        # Personal data may be inside: no shared cache keeps a copy.
        response.setHeader("Cache-Control", "private, no-store")
        return body

    def json(self, content):
        self.request.response.setHeader("Content-Type", "application/json")
        return json.dumps(content)
