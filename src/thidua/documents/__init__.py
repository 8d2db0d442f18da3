"""A Report as a Vietnamese administrative document (DOCX, laid out after
Decree 30/2020/NĐ-CP) and its tables as XLSX or CSV.

The layout: a two-column head (the issuing bodies and the number and symbol on
the left; the national motto, Quốc hiệu and Tiêu ngữ, then place and date on
the right), the kind of document and its title, the body, the statistics'
tables (thidua.reports), then "Nơi nhận" (recipients) beside the signature
block (the signer's position and name). The Decree prescribes the Vietnamese
wording of the motto, "Số:", "ngày ... tháng ... năm" and "Nơi nhận", so they
are not translated; the tables' titles follow the request's language.
"""

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from thidua import _
from thidua.content.unit import parent_unit
from thidua.content.unit import unit_of
from thidua.dashboard import KINDS
from thidua.dashboard import STATUS_TITLES
from thidua.export import safe_cell
from thidua.export import to_csv
from thidua.export import to_xlsx
from thidua.reports import statistics
from thidua.vocabularies import KINDS as KIND_TERMS
from zope.i18n import translate

import datetime
import io
import lxml.html


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {
    "docx": DOCX,
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
FONT = "Times New Roman"
BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")


def dated(place, day):
    """ "Gia Lai, ngày 05 tháng 12 năm 2026" (Decree 30: days below 10 with a zero)."""
    words = f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    return f"{place}, {words}" if place else words.capitalize()


def filename(report, extension):
    title = " ".join((report.Title() or report.getId()).split())[:120]
    return f"{title}.{extension}"


def body_paragraphs(report):
    """The report's rich text as plain paragraphs."""
    body = getattr(report, "body", None)
    if body is None or not body.output:
        return []
    tree = lxml.html.fragment_fromstring(body.output, create_parent="div")
    texts = [" ".join(block.text_content().split()) for block in tree.iter(*BLOCKS)] or [
        " ".join(tree.text_content().split())
    ]
    return [text for text in texts if text]


def tables(report, language):
    """(title, headers, rows) of each table of the report's statistics."""
    figures = statistics(report)
    if not figures:
        return []

    def tr(message):
        return translate(message, target_language=language)

    kinds = {term.value: tr(term.title) for term in KIND_TERMS}
    result = []
    rows = []
    for movement in figures["movements"]:
        for kind in KINDS:
            counts = movement["kinds"][kind]
            if counts["quota"] or counts["total"]:
                rows.append(
                    [
                        movement["title"],
                        kinds[kind],
                        counts["quota"],
                        counts["total"],
                        counts["achieved"],
                    ]
                )
    result.append(
        (
            tr(_("Candidates per movement and kind, against the quotas")),
            [tr(_("Movement")), tr(_("Kind")), tr(_("Quota")), tr(_("Candidates"))]
            + [tr(_("Selected or honoured"))],
            rows,
        )
    )
    quarterly = figures["quarterly"]
    if quarterly["units"]:
        result.append(
            (
                tr(_("Introductions per sub-unit and quarter, ${year}", mapping=quarterly)),
                [tr(_("Sub-unit"))]
                + [tr(_("Quarter ${quarter}", mapping={"quarter": q})) for q in range(1, 5)],
                [
                    [unit["title"]]
                    + [
                        f"{unit['quarters'][str(q)]['introduced']}: "
                        + tr(STATUS_TITLES[unit["quarters"][str(q)]["status"]])
                        for q in range(1, 5)
                    ]
                    for unit in quarterly["units"]
                ],
            )
        )
    subplans = figures["subplans"]
    if subplans["units"]:
        result.append(
            (
                tr(_("Sub-plans")),
                [tr(_("Sub-unit")), tr(_("Own plan issued on")), tr(_("Status"))],
                [
                    [
                        unit["title"],
                        day_text(unit["issued"]),
                        tr(STATUS_TITLES[unit["status"]])
                        + (f" ({tr(_('Flagged'))})" if unit["flagged"] else ""),
                    ]
                    for unit in subplans["units"]
                ],
            )
        )
    if figures["introduced"] is not None:
        result.append(
            (
                tr(
                    _(
                        "Models introduced in quarter ${quarter}/${year}",
                        mapping={"quarter": figures["quarter"], "year": figures["year"]},
                    )
                ),
                [tr(_("Name")), tr(_("Kind")), tr(_("Introduced by")), tr(_("Introduced on"))],
                [
                    [
                        item["title"],
                        kinds.get(item["kind"], item["kind"]),
                        item["unit"],
                        day_text(item["introduced"]),
                    ]
                    for item in figures["introduced"]
                ],
            )
        )
    return [
        (title, headers, [[safe_cell(value) for value in row] for row in rows])
        for title, headers, rows in result
    ]


def day_text(iso):
    return datetime.date.fromisoformat(iso[:10]).strftime("%d/%m/%Y") if iso else ""


def _paragraph(container, text="", bold=False, italic=False, size=13, align=None, upper=False):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text.upper() if upper else text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _cell(table, row, column):
    cell = table.cell(row, column)
    # A new cell holds one empty paragraph: write into it rather than below it.
    cell._element.remove(cell.paragraphs[0]._element)
    return cell


def report_docx(report, language):
    """The report as DOCX bytes."""
    unit = unit_of(report)
    higher = parent_unit(unit) if unit is not None else None
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    center = WD_ALIGN_PARAGRAPH.CENTER

    head = document.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = _cell(head, 0, 0), _cell(head, 0, 1)
    if higher is not None:
        _paragraph(left, higher.Title(), size=12, align=center, upper=True)
    _paragraph(left, unit.Title() if unit else "", bold=True, size=12, align=center, upper=True)
    _paragraph(left, f"Số: {report.document_number or '      '}", align=center)
    _paragraph(right, MOTTO[0], bold=True, size=12, align=center)
    _paragraph(right, MOTTO[1], bold=True, align=center)
    issued = report.issued_date or datetime.date.today()
    _paragraph(right, dated(report.place, issued), italic=True, align=center)

    _paragraph(document)
    _paragraph(document, "BÁO CÁO", bold=True, size=14, align=center)
    _paragraph(document, report.Title(), bold=True, size=14, align=center)
    _paragraph(document)
    for text in body_paragraphs(report):
        paragraph = _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Pt(28)
        paragraph.paragraph_format.space_after = Pt(6)

    for title, headers, rows in tables(report, language):
        _paragraph(document, title, bold=True)
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = str(header)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = "" if value is None else str(value)
        _paragraph(document)

    foot = document.add_table(rows=1, cols=2)
    left, right = _cell(foot, 0, 0), _cell(foot, 0, 1)
    _paragraph(left, "Nơi nhận:", bold=True, italic=True, size=12)
    recipients = list(report.recipients or [])
    for index, recipient in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ";"
        _paragraph(left, f"- {recipient}{end}", size=11)
    _paragraph(right, report.signer_position or "", bold=True, align=center, upper=True)
    for _blank in range(3):
        _paragraph(right, align=center)
    _paragraph(right, report.signer or "", bold=True, align=center)

    properties = document.core_properties
    properties.title = report.Title()
    properties.author = unit.Title() if unit else ""
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def report_xlsx(report, language):
    """The report's tables as XLSX bytes, one sheet each."""
    found = tables(report, language) or [("-", [], [])]
    (title, headers, rows), *others = found
    return to_xlsx(
        headers,
        rows,
        f"1. {title}",
        # Numbered; write_xlsx makes each title one Excel accepts (sheet_title).
        [(f"{index}. {other[0]}", other[1], other[2]) for index, other in enumerate(others, 2)],
    )


def report_csv(report, language):
    """The first table (candidates per movement and kind) as CSV."""
    found = tables(report, language)
    _title, headers, rows = found[0] if found else ("", [], [])
    return to_csv(headers, rows)


def render(report, file_format, language):
    """(bytes, content type, filename) of the report in ``file_format``."""
    produce = {"docx": report_docx, "xlsx": report_xlsx, "csv": report_csv}[file_format]
    return produce(report, language), FORMATS[file_format], filename(report, file_format)
