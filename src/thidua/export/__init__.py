"""Candidates of a Unit, Plan or Movement as a spreadsheet (xlsx) or CSV.

Rows are the candidates the caller may view. The public columns come from
catalog metadata; the personal-data columns appear only for a caller who may
read personal data here, and each row's are filled only where the caller may
read that candidate's (the only case where a candidate is loaded: it is
turned back into a ghost once read, so a large export keeps memory flat). The
xlsx is written row by row (openpyxl's write-only workbook) into a temporary
file the response streams.
"""

from openpyxl import Workbook
from plone import api
from thidua import _
from thidua import permissions
from thidua.content import limits
from thidua.content.candidate import PERSONAL_DATA
from thidua.content.unit import unit_of
from thidua.vocabularies import GENDERS
from thidua.vocabularies import KINDS
from thidua.vocabularies import registry_titles
from zope.i18n import translate

import csv
import io
import tempfile


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
PERSONAL_COLUMNS = (
    ("birth_date", _("Date of birth")),
    ("gender", _("Gender")),
    ("phone", _("Phone")),
    ("email", _("Email")),
    ("id_number", _("Identity card number")),
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
    headers, table = iter_rows(context, language)
    return headers, list(table)


def iter_rows(context, language):
    """(headers, an iterator of rows): as ``rows``, one row at a time."""
    # Asked of the unit: plans' and movements' chains grant personal data to nobody.
    personal = api.user.has_permission(permissions.ViewPersonalData, obj=unit_of(context))
    columns = PUBLIC_COLUMNS + (PERSONAL_COLUMNS if personal else ())
    headers = [translate(title, target_language=language) for _key, title in columns]
    return headers, _rows(context, language, personal)


def _rows(context, language, personal):
    kinds = {term.value: translate(term.title, target_language=language) for term in KINDS}
    genders = {term.value: translate(term.title, target_language=language) for term in GENDERS}
    fields = registry_titles("fields", language)
    forms = registry_titles("honour_forms", language)
    workflows = api.portal.get_tool("portal_workflow")
    states = {}
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(
        portal_type="Candidate",
        path="/".join(context.getPhysicalPath()),
        sort_on="sortable_title",
    )
    for brain in brains:
        if brain.review_state not in states:
            states[brain.review_state] = translate(
                workflows.getTitleForStateOnType(brain.review_state, "Candidate"),
                domain="plone",
                target_language=language,
            )
        row = [
            brain.Title,
            kinds.get(brain.thidua_kind, brain.thidua_kind),
            brain.thidua_organisation,
            fields.get(brain.thidua_field, brain.thidua_field),
            brain.unit_title,
            brain.movement_title,
            brain.thidua_year,
            brain.thidua_quarter,
            states[brain.review_state],
            forms.get(brain.thidua_honour_form, brain.thidua_honour_form),
            _text(brain.thidua_honoured_date),
            brain.getURL(),
        ]
        if personal:
            # The search above already kept only what the caller may view, and the
            # personal data is checked on the candidate itself: no second, checked
            # traversal of its path.
            row += _personal(brain._unrestrictedGetObject(), genders)
        yield [safe_cell(value) for value in row]


def _personal(candidate, genders):
    """The personal-data cells of one candidate, empty where the caller may not
    read them; the candidate is a ghost again afterwards (unless it was changed
    in this transaction), so the connection's cache does not grow row by row."""
    if api.user.has_permission(permissions.ViewPersonalData, obj=candidate):
        values = [getattr(candidate, name, None) for name in PERSONAL_DATA]
        values[1] = genders.get(values[1], values[1])
        cells = [_text(value) for value in values]
    else:
        cells = [None] * len(PERSONAL_COLUMNS)
    if not candidate._p_changed:
        candidate._p_deactivate()
    return cells


def write_xlsx(headers, table, title, output):
    """Write the workbook into the binary file ``output``, row by row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    sheet.append(headers)
    for row in table:
        sheet.append(row)
    book.save(output)


def xlsx_file(headers, table, title):
    """The workbook in an unnamed temporary file, positioned at its start."""
    # Not a with block: the response streams the file and closes it.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        write_xlsx(headers, table, title, output)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def to_xlsx(headers, table, title):
    output = io.BytesIO()
    write_xlsx(headers, table, title, output)
    return output.getvalue()


def to_csv(headers, table):
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(headers)
    writer.writerows(table)
    # The byte order mark makes spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + output.getvalue()).encode("utf-8")
