from plone.restapi.services import Service
from thidua import _
from thidua import export
from thidua.language import request_language
from thidua.services import params
from thidua.services.errors import error

import json


class ExportGet(Service):
    """The file itself, not JSON; errors stay JSON like every other endpoint's."""

    def render(self):
        self.check_permission()
        try:
            file_format = params.choice(self.request, "format", set(export.FORMATS))
        except params.ParameterError as problem:
            return self.json(error(self.request, 400, problem.message, problem.field))
        if file_format is None:
            return self.json(error(self.request, 400, _("format is one of: csv, xlsx."), "format"))
        headers, table = export.iter_rows(self.context, request_language(self.request))
        name = f"{self.context.getId()}-candidates.{file_format}"
        if file_format == "xlsx":
            # An open file: Zope streams it (wsgi.file_wrapper) and closes it,
            # which deletes it; the workbook is never whole in memory.
            body = export.xlsx_file(headers, table, self.context.getId())
        else:
            body = export.to_csv(headers, table)
        response = self.request.response
        response.setHeader("Content-Type", export.FORMATS[file_format])
        response.setHeader("Content-Disposition", f'attachment; filename="{name}"')
        # Personal data may be inside: no shared cache keeps a copy.
        response.setHeader("Cache-Control", "private, no-store")
        return body

    def json(self, content):
        self.request.response.setHeader("Content-Type", "application/json")
        return json.dumps(content)
