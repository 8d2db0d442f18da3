"""The honour certificate (giấy khen) of an honoured Candidate, as DOCX.

It is rendered with docxtpl from a template an administrator may replace
(the "Giấy khen" control panel page): the template is stored on the site (an
annotation), the shipped one is built here with python-docx. The template's
placeholders ({{ name }}, {{ honour }}, ... see ``FIELDS``) are filled by
Jinja2 in a sandbox with autoescaping: an uploaded template cannot reach
Python objects, and a candidate's name is text in the document, never markup
nor template code.
"""

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment
from persistent.mapping import PersistentMapping
from plone import api
from thidua import _
from thidua.content.movement import IMovement
from thidua.content.plan import IPlan
from thidua.content.unit import ancestor
from thidua.content.unit import parent_unit
from thidua.content.unit import unit_of
from thidua.documents import dated
from thidua.documents import FONT
from thidua.documents import MOTTO
from thidua.vocabularies import registry_titles
from zope.annotation.interfaces import IAnnotations

import datetime
import io
import jinja2
import zipfile


ANNOTATION_KEY = "thidua.documents.certificate_template"
MAX_TEMPLATE_SIZE = 5 * 1024 * 1024
# What a template may use, with an example each (also the check of an upload).
FIELDS = {
    "name": "Nguyễn Văn A",
    "kind": "individual",
    "organisation": "Trường Tiểu học Côn Đảo",
    "honour": "Giấy khen",
    "movement": "Phong trào thi đua yêu nước",
    "plan": "Kế hoạch 126/KH-UBND",
    "unit": "Huyện Côn Đảo",
    "higher_unit": "Tỉnh Bà Rịa - Vũng Tàu",
    "year": 2026,
    "honoured_date": "05/12/2026",
    "date_line": "Ngày 05 tháng 12 năm 2026",
    "motto": MOTTO[0],
    "slogan": MOTTO[1],
}


class CertificateTemplateError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _line(document, text, size=14, bold=False, italic=False):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def default_template():
    """The shipped template: each placeholder alone in its run, as docxtpl needs."""
    document = Document()
    document.styles["Normal"].font.name = FONT
    _line(document, "{{ motto }}", 13, bold=True)
    _line(document, "{{ slogan }}", 14, bold=True)
    _line(document, "")
    _line(document, "{{ higher_unit|upper }}", 13)
    _line(document, "{{ unit|upper }}", 14, bold=True)
    _line(document, "TẶNG", 16, bold=True)
    _line(document, "GIẤY KHEN", 32, bold=True)
    _line(document, "{{ name }}", 22, bold=True)
    _line(document, "{{ organisation }}", 14, italic=True)
    _line(document, "Đã có thành tích xuất sắc trong {{ movement }}", 14)
    _line(document, "Hình thức khen thưởng: {{ honour }}", 14)
    _line(document, "")
    _line(document, "{{ date_line }}", 14, italic=True)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def stored(site=None):
    """The administrator's template (a mapping: data, filename, date), or None."""
    site = site or api.portal.get()
    return IAnnotations(site).get(ANNOTATION_KEY)


def template_bytes(site=None):
    found = stored(site)
    return bytes(found["data"]) if found else default_template()


def _render(template, context):
    document = DocxTemplate(io.BytesIO(template))
    environment = SandboxedEnvironment(autoescape=True)
    document.render(context, jinja_env=environment, autoescape=True)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def check_template(data):
    """Refuse what is no DOCX docxtpl can fill with ``FIELDS``."""
    if not data:
        raise CertificateTemplateError(_("Choose a .docx file."))
    if len(data) > MAX_TEMPLATE_SIZE:
        raise CertificateTemplateError(_("The template is larger than 5 MB."))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise CertificateTemplateError(_("The template is not a .docx file."))
    try:
        _render(data, FIELDS)
    except jinja2.TemplateError as problem:
        raise CertificateTemplateError(
            _(
                "The template's placeholders cannot be filled: ${reason}",
                mapping={"reason": str(problem)[:300]},
            )
        ) from None
    except Exception:  # noqa: BLE001 - any unreadable file is the uploader's error
        raise CertificateTemplateError(_("The template is not a .docx file.")) from None


def set_template(data, filename, site=None):
    check_template(data)
    site = site or api.portal.get()
    IAnnotations(site)[ANNOTATION_KEY] = PersistentMapping(
        data=bytes(data),
        filename=filename or "giay-khen.docx",
        date=datetime.datetime.now().replace(microsecond=0).isoformat(),
        by=api.user.get_current().getId(),
    )


def reset_template(site=None):
    annotations = IAnnotations(site or api.portal.get())
    annotations.pop(ANNOTATION_KEY, None)


def context_of(candidate, language):
    unit = unit_of(candidate)
    higher = parent_unit(unit) if unit is not None else None
    movement = ancestor(candidate, IMovement)
    plan = ancestor(candidate, IPlan)
    honoured = candidate.honoured_date or datetime.date.today()
    forms = registry_titles("honour_forms", language)
    return {
        "name": candidate.Title(),
        "kind": candidate.kind,
        "organisation": candidate.organisation or "",
        "honour": forms.get(candidate.honour_form, candidate.honour_form or ""),
        "movement": movement.Title() if movement is not None else "",
        "plan": plan.Title() if plan is not None else "",
        "unit": unit.Title() if unit is not None else "",
        "higher_unit": higher.Title() if higher is not None else "",
        "year": honoured.year,
        "honoured_date": honoured.strftime("%d/%m/%Y"),
        "date_line": dated(None, honoured),
        "motto": MOTTO[0],
        "slogan": MOTTO[1],
    }


def certificate_docx(candidate, language):
    """The certificate of an honoured ``candidate`` as DOCX bytes."""
    return _render(template_bytes(), context_of(candidate, language))
