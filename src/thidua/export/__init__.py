"""Candidates of a Unit, Plan or Movement as a spreadsheet (xlsx) or CSV;
of a Unit or Plan also its sub-units' own plans against ``subplan_deadline``,
flagged as on the dashboard (a second sheet, or ``table=subplans`` in CSV),
and the reach of its models per unit (thidua.replication.figures: a sheet
when anything was counted, or ``table=replication`` in CSV).

Rows are the candidates the caller may view. The personal-data columns
appear only for a caller who may read personal data here, and each row's are
filled only where the caller may read that candidate's. Without them the rows
come from catalog metadata, no candidate loaded; with them every candidate is
loaded anyway, and its public columns are read from it. Whether the caller
may read a candidate's is decided once per folder (movement) and state from
the chain's roles and the caller's roles there (``PersonalAccess``), else
asked of the candidate (its own local roles could decide: an owner); each
candidate is a ghost again after its row.
"""

from AccessControl import getSecurityManager
from Acquisition import aq_base
from Acquisition import aq_parent
from plone import api
from thidua import _
from thidua import permissions
from thidua.catalog import record_ids
from thidua.chains.unitchain import candidate_chain
from thidua.content import limits
from thidua.content.candidate import PERSONAL_DATA
from thidua.content.movement import IMovement
from thidua.content.unit import ancestor
from thidua.content.unit import unit_of
from thidua.dashboard import current_plan
from thidua.dashboard import plans_of
from thidua.dashboard import STATUS_TITLES
from thidua.dashboard import subplans
from thidua.export.workbook import write_aside
from thidua.export.workbook import write_xlsx
from thidua.forms import feedback
from thidua.replication.figures import cells
from thidua.replication.figures import counted
from thidua.replication.figures import replication
from thidua.vocabularies import ACTIVITY_KINDS
from thidua.vocabularies import GENDERS
from thidua.vocabularies import KINDS
from thidua.vocabularies import registry_titles
from urllib.parse import quote
from zope.i18n import translate
from ZPublisher.BaseRequest import quote as quote_id

import csv
import datetime
import io
import re
import tempfile
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
SUBPLAN_COLUMNS = (
    _("Sub-unit"),
    _("Code"),
    _("Own plan issued on"),
    _("Status"),
    _("Flagged: not issued by the deadline"),
    _("Address of its plan"),
)
# The rows from which a workbook is written by a process of its own: starting
# it takes about 0.1 s, which 1,000 rows did not win back (0.23-0.26 s against
# 0.21 in Zope's process); 10,000 rows took 1.4-1.5 s against 2.0.
ASIDE_ROWS = 2500
# A cell a spreadsheet would run as a formula (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The most characters a spreadsheet cell holds (Excel's limit).
MAX_CELL = 32_767


def safe_cell(value):
    """A value a spreadsheet shows as it is: not run as a formula, writable
    (text an older version stored may hold a NUL or a lone surrogate, which
    csv's UTF-8 refuses) and within a cell's size."""
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
    """(headers, the rows one at a time): as ``rows``; ``len()`` of the rows
    is what the catalog found (a row fewer for a candidate removed since)."""
    # Asked of the unit: plans' and movements' chains grant personal data to nobody.
    personal = api.user.has_permission(permissions.ViewPersonalData, obj=unit_of(context))
    columns = PUBLIC_COLUMNS + (PERSONAL_COLUMNS if personal else ())
    headers = [translate(title, target_language=language) for _key, title in columns]
    titles = Titles(language)
    catalog = api.portal.get_tool("portal_catalog")
    # A staff list: the candidates the caller may view, whatever their
    # publication dates (candidates have none of their own; @workflow may set
    # one). Without show_inactive, a user lacking "Access inactive portal
    # content" had the effective-date index read a set per publication time
    # (1,659 of them for 2,000 rows at 20,000 candidates).
    query = {
        "portal_type": "Candidate",
        "path": "/".join(context.getPhysicalPath()),
        "show_inactive": True,
    }
    if personal:
        brains = catalog(**query)
        return headers, Found(_object_rows(catalog, brains, titles), len(brains))
    brains = catalog(**query, sort_on="sortable_title")
    return headers, Found(_metadata_rows(brains, titles), len(brains))


class Found:
    """Rows one at a time, and how many the search found."""

    def __init__(self, rows, count):
        self.rows, self.count = rows, count

    def __iter__(self):
        return self.rows

    def __len__(self):
        return self.count


def _metadata_rows(brains, titles):
    for brain in brains:
        row = titles.row(
            brain.Title,
            brain.thidua_kind,
            brain.thidua_organisation,
            brain.thidua_field,
            brain.unit_title,
            brain.movement_title,
            brain.thidua_year,
            brain.thidua_quarter,
            brain.review_state,
            brain.thidua_honour_form,
            brain.thidua_honoured_date,
            brain.getURL(),
        )
        yield [safe_cell(value) for value in row]


class Titles:
    """The titles of the terms in the rows, in ``language``."""

    def __init__(self, language):
        self.language = language
        self.kinds = {term.value: translate(term.title, target_language=language) for term in KINDS}
        self.genders = {
            term.value: translate(term.title, target_language=language) for term in GENDERS
        }
        self.fields = registry_titles("fields", language)
        self.forms = registry_titles("honour_forms", language)
        self.workflows = api.portal.get_tool("portal_workflow")
        self.states = {}

    def state(self, state_id):
        if state_id not in self.states:
            self.states[state_id] = translate(
                self.workflows.getTitleForStateOnType(state_id, "Candidate"),
                domain="plone",
                target_language=self.language,
            )
        return self.states[state_id]

    def row(self, title, kind, organisation, field, unit, movement, year, quarter, state,
            honour_form, honoured_date, url):  # fmt: skip
        return [
            title,
            self.kinds.get(kind, kind),
            organisation,
            self.fields.get(field, field),
            unit,
            movement,
            year,
            quarter,
            self.state(state),
            self.forms.get(honour_form, honour_form),
            _text(honoured_date),
            url,
        ]


def _object_rows(catalog, brains, titles):
    """The rows with personal data: every candidate is loaded for it, so its
    public columns are read from it too, not from its catalog record. A
    record holds every metadata column (five DateTimes among them, slow to
    unpickle) and the records of a movement's candidates are spread over the
    catalog's buckets: reading them was a third of an export. The catalog
    gives the candidates the caller may view (its search, not sorted), their
    order by title and their state (its indexes)."""
    access = PersonalAccess()
    fields = Fields()
    places = {}
    for rid, state in _by_title(catalog, brains):
        candidate_path = catalog.getpath(rid)
        candidate = access.candidate(candidate_path)
        if candidate is None:
            continue
        folder, _slash, candidate_id = candidate_path.rpartition("/")
        if folder not in places:
            unit, movement = unit_of(candidate), ancestor(candidate, IMovement)
            places[folder] = (
                getattr(unit, "title", None),
                getattr(movement, "title", None),
                aq_parent(candidate).absolute_url(),
            )
        unit_title, movement_title, folder_url = places[folder]
        values = fields(candidate)
        row = titles.row(
            values["title"],
            values["kind"],
            values["organisation"],
            values["field"],
            unit_title,
            movement_title,
            values["year"],
            values["quarter"],
            state,
            values["honour_form"],
            values["honoured_date"],
            # As absolute_url() gives it, without walking the candidate's parents.
            f"{folder_url}/{quote_id(candidate_id)}",
        )
        # The search above already kept only what the caller may view: no
        # second, checked traversal of the candidate's path.
        row += _personal(candidate, values, access(folder, state), titles.genders)
        yield [safe_cell(value) for value in row]


class Fields:
    """A candidate's fields for a row, read from its state at once. A field
    never set is read as an attribute once per export (Dexterity answers its
    schema default, the same for every candidate): through ``__getattr__``
    for every row it was a sixth of the rows' time."""

    NAMES = (
        "title",
        "kind",
        "organisation",
        "field",
        "year",
        "quarter",
        "honour_form",
        "honoured_date",
        *PERSONAL_DATA,
    )

    def __init__(self):
        self.defaults = {}

    def __call__(self, candidate):
        candidate._p_activate()
        state = aq_base(candidate).__dict__
        values = {}
        for name in self.NAMES:
            if name in state:
                values[name] = state[name]
            else:
                if name not in self.defaults:
                    self.defaults[name] = getattr(candidate, name, None)
                values[name] = self.defaults[name]
        return values


def _by_title(catalog, brains):
    """(record id, state) of the catalog's ``brains`` (unsorted, none made
    yet), by title as ``sort_on="sortable_title"`` orders them."""
    rids = record_ids(brains)
    indexes = catalog._catalog
    titles = indexes.getIndex("sortable_title").documentToKeyMap()
    states = indexes.getIndex("review_state").documentToKeyMap()
    return [
        (rid, states.get(rid)) for rid in sorted(rids, key=lambda rid: (titles.get(rid, ""), rid))
    ]


class PersonalAccess:
    """Whether the caller may read a candidate's personal data, decided once
    per folder and state where the caller's roles on the folder settle it.

    The chain sets ``thidua: View personal data`` on a candidate from its
    state alone (not acquired), and a candidate adds local roles to its
    folder's but never blocks them: whoever holds one of the state's roles on
    the folder holds it on every candidate of the folder in that state. Any
    other case (a role the caller could hold on the candidate only, as its
    Owner; a state whose setting is acquired) is asked of the candidate."""

    def __init__(self):
        self.user = getSecurityManager().getUser()
        self.portal = api.portal.get()
        self.workflows = api.portal.get_tool("portal_workflow")
        self.decided = {}
        self.folders = {}

    def folder(self, path):
        if path not in self.folders:
            self.folders[path] = self.portal.unrestrictedTraverse(path, None)
        return self.folders[path]

    def candidate(self, path):
        """The candidate at ``path``, from its folder (traversed once per folder)."""
        folder_path, _slash, item_id = path.rpartition("/")
        folder = self.folder(folder_path)
        candidate = folder._getOb(item_id, None) if folder is not None else None
        return candidate if candidate is not None else self.portal.unrestrictedTraverse(path, None)

    def __call__(self, folder_path, state_id):
        """True when the caller may read the personal data of every candidate
        in the folder and state, None when the candidate decides."""
        key = (folder_path, state_id)
        if key not in self.decided:
            self.decided[key] = self.decide(folder_path, state_id)
        return self.decided[key]

    def decide(self, folder_path, state_id):
        folder = self.folder(folder_path)
        if folder is None:
            return None
        [chain_id] = candidate_chain(folder, self.workflows)
        workflow = self.workflows.getWorkflowById(chain_id)
        state = workflow.states.get(state_id) if workflow is not None else None
        if state is None:
            return None
        roles = (state.permission_roles or {}).get(permissions.ViewPersonalData)
        if not isinstance(roles, tuple):
            # Unmanaged, or acquired (a list): the candidate's own setting decides.
            return None
        return True if self.user.allowed(folder, roles) else None


def _personal(candidate, values, allowed, genders):
    """The personal-data cells of one candidate (its ``values`` read by
    ``Fields``; its public-notice feedback last), empty where the caller may
    not read them (``allowed`` None: the candidate is asked), and the
    candidate a ghost again afterwards (unless it was changed in this
    transaction), so the connection's cache does not grow row by row."""
    allowed = allowed or api.user.has_permission(permissions.ViewPersonalData, obj=candidate)
    if allowed:
        personal = [values[name] for name in PERSONAL_DATA]
        personal[1] = genders.get(personal[1], personal[1])
        cells = [_text(value) for value in personal] + [feedback_text(candidate)]
    else:
        cells = [None] * len(PERSONAL_COLUMNS)
    _ghost(candidate)
    return cells


def _own_annotations(candidate):
    """The candidate's own annotations, or None: read from its state rather
    than through ``IAnnotations``, whose adaptation asks the candidate for
    ``__conform__`` and so loads its folder's tree of dossier files."""
    return aq_base(candidate).__dict__.get("__annotations__")


def _ghost(candidate):
    """The candidate, and its annotations read for the feedback, ghosts again
    (what this transaction changed stays as it is)."""
    annotations = _own_annotations(candidate)
    if getattr(annotations, "_p_changed", None) is False:
        store = annotations.get(feedback.KEY)
        if getattr(store, "_p_changed", None) is False:
            store._p_deactivate()
        annotations._p_deactivate()
    if candidate._p_changed is False:
        candidate._p_deactivate()


def feedback_text(candidate):
    """The candidate's feedback in one cell, one entry a paragraph."""
    annotations = _own_annotations(candidate)
    store = annotations.get(feedback.KEY) if annotations is not None else None
    entries = [dict(value) for value in store.values()] if store else []
    return "\n\n".join(
        f"{entry['date'][:10]} {entry['name']} <{entry['email']}>: {entry['text']}"
        for entry in entries
    )


def subplan_rows(context, language, today=None):
    """(headers, rows) of the sub-units of a Unit's or Plan's current plan and
    their own plans, from the dashboard's ``subplans``; no rows when the plan
    has no ``subplan_deadline``."""
    today = today or datetime.date.today()
    found = subplans(current_plan(plans_of(context), today.year), today)
    headers = [translate(title, target_language=language) for title in SUBPLAN_COLUMNS]
    flag = translate(_("Flagged"), target_language=language)
    table = [
        [
            safe_cell(value)
            for value in (
                row["title"],
                row["code"],
                row["issued"],
                translate(STATUS_TITLES[row["status"]], target_language=language),
                flag if row["flagged"] else None,
                row["plan"],
            )
        ]
        for row in found["units"]
    ]
    return headers, table


REPLICATION_COLUMNS = (
    _("Models nurtured"),
    _("Check-ins on time"),
    _("Check-ins late"),
    _("Check-in overdue"),
)
REPLICATION_TAIL = (_("Participants"), _("Adoptions"), _("Adopting units"))


def replication_rows(context, language, today=None, figures=None):
    """(headers, rows) of the reach of the models below a Unit or Plan: one
    row per unit, as on the dashboard, then the totals."""
    figures = figures or replication(context, today=today)
    headers = [
        translate(title, target_language=language)
        for title in (
            _("Unit"),
            *REPLICATION_COLUMNS,
            *(term.title for term in ACTIVITY_KINDS),
            *REPLICATION_TAIL,
        )
    ]
    other = translate(_("Units outside this one"), target_language=language)
    table = [[safe_cell(row["title"] or other), *cells(row)] for row in figures["units"]]
    table.append([translate(_("Total"), target_language=language), *cells(figures["totals"])])
    return headers, table


def xlsx_file(headers, table, title, sheets=()):
    """The workbook in an unnamed temporary file, positioned at its start; a
    table of ``ASIDE_ROWS`` rows or more written by a process of its own
    (``workbook.write_aside``) while its rows are read here."""
    # Not a with block: the response streams the file and closes it.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        if len(table) >= ASIDE_ROWS:
            write_aside(headers, table, title, output, sheets)
        else:
            write_xlsx(headers, table, title, output, sheets)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def to_xlsx(headers, table, title, sheets=()):
    output = io.BytesIO()
    write_xlsx(headers, table, title, output, sheets)
    return output.getvalue()


def to_csv(headers, table):
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(headers)
    writer.writerows(table)
    # The byte order mark makes spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def csv_file(headers, table):
    """``to_csv``'s bytes, written row by row into an unnamed temporary file,
    positioned at its start: a large export is never whole in memory."""
    # Not a with block: the response streams the file and closes it.
    output = tempfile.TemporaryFile(suffix=".csv")  # noqa: SIM115
    try:
        text = io.TextIOWrapper(output, encoding="utf-8", newline="")
        text.write("\ufeff")
        writer = csv.writer(text)
        writer.writerow(headers)
        writer.writerows(table)
        text.flush()
        text.detach()
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def document(context, file_format, language, table_name="candidates"):
    """The export of ``context`` in ``file_format`` (xlsx or csv), what
    ``@export`` and the ``@@xuat-danh-sach`` page send: an open temporary file
    that Zope streams and closes (neither format is ever whole in memory).
    ``table_name`` "subplans" is the sub-plans table alone; the candidates'
    workbook of a Unit or Plan carries it as a second sheet."""
    if table_name == "subplans":
        headers, table = subplan_rows(context, language)
    elif table_name == "replication":
        headers, table = replication_rows(context, language)
    else:
        headers, table = iter_rows(context, language)
    if file_format != "xlsx":
        return csv_file(headers, table)
    sheets = []
    if table_name == "candidates" and not IMovement.providedBy(context):
        sub_headers, sub_table = subplan_rows(context, language)
        if sub_table:
            title = translate(_("Sub-plans"), target_language=language)
            sheets.append((title, sub_headers, sub_table))
        figures = replication(context)
        if counted(figures):
            title = translate(_("Replication"), target_language=language)
            sheets.append((title, *replication_rows(context, language, figures=figures)))
    return xlsx_file(headers, table, context.getId(), sheets)


def file_name(context, file_format, language):
    """A file name in the reader's language: "Danh sách hồ sơ - Kế hoạch 2021.xlsx"."""
    title = translate(FILE_NAME, target_language=language)
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', " ", f"{title} - {context.Title()}")
    return f"{' '.join(stem.split())[:150]}.{file_format}"


def content_disposition(name):
    """An attachment named ``name`` (RFC 6266 and 5987): an ASCII fallback for
    old clients and the UTF-8 name, percent-encoded, so no byte of the name
    (a quote, a line break) can break the header."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = (
        "".join(
            char if char.isascii() and (char.isalnum() or char in ".-_ ") else ""
            for char in ascii_name
            if not unicodedata.combining(char)
        ).strip()
        or "document"
    )
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
