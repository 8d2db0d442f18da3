"""Downloads of thidua.documents: ``@@report-docx`` and ``@@report-xlsx`` on a
Report (the staff of its unit: the zcml's permission), ``@@giay-khen`` on an
honoured Candidate; ``@@thidua-certificate`` where an administrator replaces
the certificate's template."""

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.statusmessages.interfaces import IStatusMessage
from thidua import _
from thidua import documents
from thidua import export
from thidua.documents import certificate
from thidua.language import request_language
from thidua.language import site_language
from zope.i18n import translate


def send(request, body, content_type, filename):
    response = request.response
    response.setHeader("Content-Type", content_type)
    response.setHeader("Content-Disposition", export.content_disposition(filename))
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


class Certificate(BrowserView):
    """``@@giay-khen``: only an honoured candidate has a certificate."""

    def __call__(self):
        if api.content.get_state(self.context, default=None) != "honoured":
            message = _("Only an honoured candidate has a certificate.")
            self.request.response.setStatus(400)
            self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return translate(message, context=self.request)
        # A certificate outlives the request: in the site's language, as its template.
        body = certificate.certificate_docx(self.context, site_language())
        filename = f"Giấy khen - {' '.join(self.context.Title().split())[:120]}.docx"
        return send(self.request, body, documents.DOCX, filename)


class CertificateTemplate(BrowserView):
    """The control panel page where an administrator replaces the certificate's
    template, downloads the current one, or goes back to the shipped one."""

    fields = sorted(certificate.FIELDS)

    def __call__(self):
        if self.request.get("download"):
            found = certificate.stored()
            name = found["filename"] if found else "giay-khen.docx"
            return send(self.request, certificate.template_bytes(), documents.DOCX, name)
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.save()
            self.request.response.redirect(f"{self.context.absolute_url()}/@@{self.__name__}")
            return ""
        return self.index()

    def save(self):
        messages = IStatusMessage(self.request)
        if self.request.form.get("form.buttons.reset"):
            certificate.reset_template()
            messages.add(_("The shipped template is used again."), type="info")
            return
        upload = self.request.form.get("template")
        data = upload.read() if hasattr(upload, "read") else b""
        try:
            certificate.set_template(data, getattr(upload, "filename", None))
        except certificate.CertificateTemplateError as problem:
            messages.add(problem.message, type="error")
            return
        messages.add(_("The new template is used for every certificate."), type="info")

    def current(self):
        return certificate.stored()
