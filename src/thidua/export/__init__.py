"""Candidates of a Unit, Plan or Movement as a spreadsheet (xlsx) or CSV.

Rows are the candidates the caller may view. The public columns come from
catalog metadata; the personal-data columns appear only for a caller who may
read personal data here, and each row's are filled only where the caller may
read that candidate's (the only case where a candidate is loaded).
"""

from openpyxl import Workbook
from plone import api
from thidua import _
from thidua import permissions
from thidua.content import limits
from thidua.content.candidate import PERSONAL_DATA
from thidua.content.unit import unit_of
from thidua.forms import feedback
from thidua.vocabularies import GENDERS
from thidua.vocabularies import KINDS
from thidua.vocabularies import registry_titles
from urllib.parse import quote
from zope.i18n import translate

import csv
import io
import re
import unicodedata


FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
PUBLIC_COLUMNS = (
    ("title", _("Name")),
    ("kind", _("Kind")),
    ("organisation", _("Organisation")),
    ("field", _("Field")),
    ("unit", _("Unit")),
    ("movement", _("Movement")),
    ("year", _("Year")),
    ("quarter", _("Quarter")),
    ("state", _("State")),
    ("honour_form", _("Form of honour")),
    ("honoured_date", _("Date honoured")),
    ("url", _("Address")),
)
FILE_NAME = _("List of candidates")
PERSONAL_COLUMNS = (
    ("birth_date", _("Date of birth")),
    ("gender", _("Gender")),
    ("phone", _("Phone")),
    ("email", _("Email")),
    ("id_number", _("Identity card number")),
    # Public-notice feedback (thidua.forms.feedback), staff-only as personal data is.
    ("feedback", _("Public feedback")),
)
# A cell a spreadsheet would run as a formula (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The most characters a spreadsheet cell holds (Excel's limit).
MAX_CELL = 32_767


def safe_cell(value):
    """A value a spreadsheet shows as it is: not run as a formula, writable
    (text an older version stored may hold a NUL or a lone surrogate, which
    csv's UTF-8 and openpyxl refuse) and within a cell's size."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = limits.writable(value)[:MAX_CELL]
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def _text(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def rows(context, language):
    """(headers, rows) of the candidates below ``context`` the caller may view."""
    # Asked of the unit: plans' and movements' chains grant personal data to nobody.
    personal = api.user.has_permission(permissions.ViewPersonalData, obj=unit_of(context))
    columns = PUBLIC_COLUMNS + (PERSONAL_COLUMNS if personal else ())
    headers = [translate(title, target_language=language) for _key, title in columns]
    kinds = {term.value: translate(term.title, target_language=language) for term in KINDS}
    genders = {term.value: translate(term.title, target_language=language) for term in GENDERS}
    fields = registry_titles("fields", language)
    forms = registry_titles("honour_forms", language)
    workflows = api.portal.get_tool("portal_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(
        portal_type="Candidate",
        path="/".join(context.getPhysicalPath()),
        sort_on="sortable_title",
    )
    result = []
    for brain in brains:
        row = [
            brain.Title,
            kinds.get(brain.thidua_kind, brain.thidua_kind),
            brain.thidua_organisation,
            fields.get(brain.thidua_field, brain.thidua_field),
            brain.unit_title,
            brain.movement_title,
            brain.thidua_year,
            brain.thidua_quarter,
            translate(
                workflows.getTitleForStateOnType(brain.review_state, "Candidate"),
                domain="plone",
                target_language=language,
            ),
            forms.get(brain.thidua_honour_form, brain.thidua_honour_form),
            _text(brain.thidua_honoured_date),
            brain.getURL(),
        ]
        if personal:
            candidate = brain.getObject()
            if api.user.has_permission(permissions.ViewPersonalData, obj=candidate):
                values = [getattr(candidate, name, None) for name in PERSONAL_DATA]
                values[1] = genders.get(values[1], values[1])
                row += [_text(value) for value in values]
                row.append(feedback_text(candidate))
            else:
                row += [None] * len(PERSONAL_COLUMNS)
        result.append([safe_cell(value) for value in row])
    return headers, result


def feedback_text(candidate):
    """The candidate's feedback in one cell, one entry a paragraph."""
    return "\n\n".join(
        f"{entry['date'][:10]} {entry['name']} <{entry['email']}>: {entry['text']}"
        for entry in feedback.entries(candidate)
    )


def to_xlsx(headers, table, title):
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for row in table:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def to_csv(headers, table):
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(headers)
    writer.writerows(table)
    # The byte order mark makes spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def document(context, file_format, language):
    """The bytes of the export of ``context`` in ``file_format`` (xlsx or csv):
    what ``@export`` and the ``@@xuat-danh-sach`` page send."""
    headers, table = rows(context, language)
    if file_format == "xlsx":
        return to_xlsx(headers, table, context.getId())
    return to_csv(headers, table)


def file_name(context, file_format, language):
    """A file name in the reader's language: "Danh sách hồ sơ - Kế hoạch 2021.xlsx"."""
    title = translate(FILE_NAME, target_language=language)
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', " ", f"{title} - {context.Title()}")
    return f"{' '.join(stem.split())[:150]}.{file_format}"


def content_disposition(name):
    """An attachment named ``name`` (RFC 6266): a plain ASCII ``filename`` for
    old clients, the UTF-8 name in ``filename*`` (RFC 5987) for the others."""
    ascii_name = (
        unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode("ascii")
        .replace("\\", "")
        .replace('"', "")
    )
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
