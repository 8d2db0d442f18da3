"""Downloads of thidua.documents: ``@@report-docx`` and ``@@report-xlsx`` on a
Report (the staff of its unit: the zcml's permission), ``@@giay-khen`` on an
honoured Candidate."""

from Products.Five.browser import BrowserView
from thidua import documents
from thidua.language import request_language


def send(request, body, content_type, filename):
    response = request.response
    response.setHeader("Content-Type", content_type)
    response.setHeader("Content-Disposition", documents.content_disposition(filename))
    # Drafts and names of people: no shared cache keeps a copy.
    response.setHeader("Cache-Control", "private, no-store")
    return body


class ReportDocument(BrowserView):
    file_format = None

    def __call__(self):
        body, content_type, filename = documents.render(
            self.context, self.file_format, request_language(self.request)
        )
        return send(self.request, body, content_type, filename)


class ReportDocx(ReportDocument):
    file_format = "docx"


class ReportXlsx(ReportDocument):
    file_format = "xlsx"
