"""An xlsx workbook written row by row; a long list in a process of its own.

Writing a cell is pure Python (XlsxWriter), as is reading a candidate from
the ZODB: in one process an export of 10,000 rows did one after the other.
``write_aside`` starts this file as a script (by its path: it imports nothing
of Zope's or thidua's) and sends it the sheets and rows through a pipe as
``marshal`` messages, which carry only plain values and run no code; it
writes the workbook into the export's temporary file while Zope's process
reads the next candidates, on the machine's other core.
"""

import itertools
import logging
import marshal
import os
import subprocess
import sys
import tempfile
import xlsxwriter


logger = logging.getLogger(__name__)

# XlsxWriter's reading of strings turned off: a cell holds the text as it is
# (not a formula, a link or a number); rows go to a temporary file as they come.
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
# Rows sent in one message: small enough to keep both processes busy.
BATCH = 250
# What the writer says once it has imported XlsxWriter and may be sent rows.
READY = b"ready\n"
# The writer's interpreter: this one.
PYTHON = sys.executable
# The longest the writer may take after the last row (a closed pipe ends it sooner).
FINISH_SECONDS = 600


def sheet_title(title):
    """A sheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip("' ")
    return cleaned[:31] or "-"


def add_sheet(book, title, headers):
    sheet = book.add_worksheet(sheet_title(title))
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, headers)
    return sheet


def write_rows(sheet, rows, first):
    """Write ``rows`` from row number ``first``; the number after the last."""
    # Text and numbers written as what they are, without write_row's guess at
    # each cell's type; an empty cell not written at all (the constant-memory
    # writer's cost is per cell).
    text, number, other = sheet.write_string, sheet.write_number, sheet.write
    row_number = first
    for row in rows:
        for column, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    text(row_number, column, value)
            elif kind is int or kind is float:
                number(row_number, column, value)
            elif value is not None:
                other(row_number, column, value)
        row_number += 1
    return row_number


def write_xlsx(headers, table, title, output, sheets=()):
    """Write into the binary file ``output``, row by row, a workbook of one
    sheet of ``headers`` and ``table``, then one per (title, headers, table)
    of ``sheets``."""
    book = xlsxwriter.Workbook(output, XLSX_OPTIONS)
    for sheet_name, sheet_headers, sheet_table in ((title, headers, table), *sheets):
        write_rows(add_sheet(book, sheet_name, sheet_headers), sheet_table, 1)
    book.close()


def write_aside(headers, table, title, output, sheets=()):
    """As ``write_xlsx``, by a writer process of its own into ``output`` (a
    temporary file). False, nothing of ``table`` read, when the writer could
    not start; an error when it failed on the way."""
    started = start(output)
    if started is None:
        return False
    writer, errors = started
    try:
        try:
            for sheet_name, sheet_headers, sheet_table in ((title, headers, table), *sheets):
                send(writer, ("sheet", (sheet_name, list(sheet_headers))))
                rows = iter(sheet_table)
                while batch := list(itertools.islice(rows, BATCH)):
                    send(writer, ("rows", batch))
            writer.stdin.close()
            code = writer.wait(FINISH_SECONDS)
        except BrokenPipeError:
            # The writer ended before its last row: what it said is the error.
            code = writer.wait(FINISH_SECONDS) or "its input closed"
        except BaseException:
            writer.kill()
            writer.wait()
            raise
        if code != 0:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip()[-2000:]
            raise RuntimeError(f"The workbook's writer ended with {code}: {said}")
    finally:
        errors.close()
    return True


def start(output):
    """(the writer process, ready for rows, writing into ``output``; the
    file of its errors), or None (logged) when it could not be started."""
    # This interpreter and its path: an instance's scripts may set the path
    # themselves (buildout), where a bare interpreter would not find XlsxWriter.
    path = os.pathsep.join(entry for entry in sys.path if isinstance(entry, str) and entry)
    # Its errors to a file: a pipe nobody reads while rows are sent could fill.
    errors = tempfile.TemporaryFile()  # noqa: SIM115  closed by write_aside
    try:
        writer = subprocess.Popen(  # noqa: S603  this interpreter, this file
            [PYTHON, os.path.abspath(__file__), str(output.fileno())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            pass_fds=(output.fileno(),),
            env={**os.environ, "PYTHONPATH": path},
        )
    except OSError:
        errors.close()
        logger.warning("The workbook's writer could not start: written in this process.")
        return None
    if writer.stdout.read(len(READY)) != READY:
        writer.kill()
        writer.wait()
        errors.seek(0)
        logger.warning(
            "The workbook's writer did not start (%s): written in this process.",
            errors.read().decode("utf-8", "replace").strip()[-500:],
        )
        errors.close()
        return None
    writer.stdout.close()
    return writer, errors


def send(writer, message):
    try:
        payload = marshal.dumps(message)
    except ValueError:
        # A value marshal does not carry (none of the exports' own): as text.
        kind, values = message
        payload = marshal.dumps((kind, _plain(values)))
    writer.stdin.write(payload)


def _plain(value):
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return str(value)


def main(fd):
    """The writer: a workbook into file descriptor ``fd`` from the messages on
    standard input, until it is closed."""
    with os.fdopen(fd, "wb") as output:
        book = xlsxwriter.Workbook(output, XLSX_OPTIONS)
        sys.stdout.buffer.write(READY)
        sys.stdout.buffer.flush()
        messages = sys.stdin.buffer
        sheet, next_row = None, 1
        while True:
            try:
                # From the process that started this one; marshal builds values, runs nothing.
                kind, payload = marshal.load(messages)  # noqa: S302
            except EOFError:
                break
            if kind == "sheet":
                sheet, next_row = add_sheet(book, *payload), 1
            else:
                next_row = write_rows(sheet, payload, next_row)
        book.close()


if __name__ == "__main__":
    main(int(sys.argv[1]))
