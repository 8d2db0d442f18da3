"""An xlsx workbook written row by row; a long list in a process of its own.

Writing a cell is pure Python (XlsxWriter), as is reading a candidate from
the ZODB: in one process an export of 10,000 rows did one after the other.
``write_aside`` starts this file as a script (by its path: it imports nothing
of Zope's or thidua's) and sends it the sheets and rows through a pipe as
``marshal`` messages, which carry only plain values and run no code; it
writes the workbook into the export's temporary file while Zope's process
reads the next candidates, on the machine's other core.
"""

import contextlib
import itertools
import logging
import marshal
import os
import select
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
# Rows in one message: small enough to keep both processes busy.
BATCH = 250
# What the writer says once it has imported XlsxWriter and opened the workbook.
READY = b"ready\n"
# The writer's interpreter: this one.
PYTHON = sys.executable
# The pipe's size asked of Linux (its most, unless raised): the rows read while
# the writer starts (about 0.1 s) are sent at once when it has.
PIPE_BYTES = 1 << 20
# The longest the writer may take to start, and after the last row.
START_SECONDS = 30
FINISH_SECONDS = 600


def sheet_title(title):
    """A sheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip("' ")
    return cleaned[:31] or "-"


def messages(headers, table, title, sheets=()):
    """The workbook of a sheet of ``headers`` and ``table``, then one per
    (title, headers, table) of ``sheets``, as messages: ("sheet", (title,
    headers)), then ("rows", rows) a batch at a time."""
    for sheet_name, sheet_headers, sheet_table in ((title, headers, table), *sheets):
        yield "sheet", (sheet_name, list(sheet_headers))
        rows = iter(sheet_table)
        while batch := list(itertools.islice(rows, BATCH)):
            yield "rows", batch


class Book:
    """A workbook written into a binary file, message by message."""

    def __init__(self, output):
        self.book = xlsxwriter.Workbook(output, XLSX_OPTIONS)
        self.sheet, self.next_row = None, 1

    def take(self, message):
        kind, payload = message
        if kind == "sheet":
            title, headers = payload
            self.sheet, self.next_row = self.book.add_worksheet(sheet_title(title)), 1
            self.sheet.freeze_panes(1, 0)
            self.sheet.write_row(0, 0, headers)
        else:
            self.write_rows(payload)

    def write_rows(self, rows):
        # Text and numbers written as what they are, without write_row's guess
        # at each cell's type; an empty cell not written at all (the
        # constant-memory writer's cost is per cell).
        sheet = self.sheet
        text, number, other = sheet.write_string, sheet.write_number, sheet.write
        row_number = self.next_row
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
        self.next_row = row_number

    def close(self):
        self.book.close()


def write_xlsx(headers, table, title, output, sheets=()):
    """Write into the binary file ``output``, row by row, a workbook of one
    sheet of ``headers`` and ``table``, then one per (title, headers, table)
    of ``sheets``."""
    book = Book(output)
    for message in messages(headers, table, title, sheets):
        book.take(message)
    book.close()


def write_aside(headers, table, title, output, sheets=()):
    """As ``write_xlsx``, by a writer process of its own into ``output`` (an
    empty temporary file) while the rows are read here. A writer that could
    not start leaves the workbook to this process (logged); one that failed
    after it started is an error."""
    stream = messages(headers, table, title, sheets)
    writer = Writer(output)
    # Read while the writer starts; sent once it says it started, written here if it never does.
    waiting = []
    try:
        for message in stream:
            waiting.append(message)
            if writer.started(0):
                writer.send(waiting)
            elif writer.failed:
                break
        else:
            if writer.started(START_SECONDS):
                writer.send(waiting)
                writer.finish()
                return
        stream = itertools.chain(waiting, stream)
    except BaseException:
        writer.stop()
        raise
    finally:
        writer.close()
    logger.warning(
        "The workbook's writer did not start (%s): written in this process.", writer.said
    )
    output.seek(0)
    output.truncate()
    book = Book(output)
    for message in stream:
        book.take(message)
    book.close()


class Writer:
    """The writer process, as Zope's process sees it."""

    def __init__(self, output):
        # This interpreter and its path: an instance's scripts may set the path
        # themselves (buildout), where a bare interpreter would not find XlsxWriter.
        path = os.pathsep.join(entry for entry in sys.path if isinstance(entry, str) and entry)
        # Its errors into a file: a pipe nobody reads while rows are sent could fill.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115  closed by close()
        self.ready, self.failed, self.said = False, False, ""
        try:
            self.process = subprocess.Popen(  # noqa: S603  this interpreter, this file
                [PYTHON, os.path.abspath(__file__), str(output.fileno())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
                pass_fds=(output.fileno(),),
                env={**os.environ, "PYTHONPATH": path},
            )
        except OSError as error:
            self.process, self.failed, self.said = None, True, str(error)
            return
        with contextlib.suppress(ImportError, AttributeError, OSError):
            import fcntl

            fcntl.fcntl(self.process.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)

    def started(self, seconds):
        """Whether the writer said it started, waiting at most ``seconds``;
        ``failed`` once it never will."""
        if self.ready or self.failed:
            return self.ready
        stdout = self.process.stdout.fileno()
        if select.select([stdout], [], [], seconds)[0]:
            said = os.read(stdout, len(READY))
            self.ready = said == READY
            if not self.ready:
                beginning = f"it said {said!r}" if said else "it ended"
                self.failed, self.said = True, f"{beginning}; {self.error_text()}"
        elif seconds:
            self.failed, self.said = True, f"nothing in {seconds} s"
        return self.ready

    def send(self, messages):
        """Send ``messages`` (a list, emptied) to the writer, which started. The
        cells are plain values (text, numbers, None), as ``safe_cell`` gives them."""
        for message in messages:
            try:
                self.process.stdin.write(marshal.dumps(message))
            except BrokenPipeError:
                raise RuntimeError(self.failure()) from None
        messages.clear()

    def finish(self):
        """After the last message: once the writer wrote the workbook; an
        error when it failed."""
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            raise RuntimeError(self.failure()) from None
        if self.process.wait(FINISH_SECONDS) != 0:
            raise RuntimeError(self.failure())

    def failure(self):
        code = self.process.wait(FINISH_SECONDS)
        return f"The workbook's writer ended with {code}: {self.error_text()}"

    def error_text(self):
        self.errors.seek(0)
        return self.errors.read().decode("utf-8", "replace").strip()[-2000:]

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()

    def close(self):
        if self.process is not None:
            self.stop()
            self.process.wait()
            # Rows still buffered for a writer that is gone are dropped, not sent.
            for pipe in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    pipe.close()
        self.errors.close()


def main(fd):
    """The writer: a workbook into file descriptor ``fd`` from the messages on
    standard input, until it is closed."""
    with os.fdopen(fd, "wb") as output:
        book = Book(output)
        sys.stdout.buffer.write(READY)
        sys.stdout.buffer.flush()
        incoming = sys.stdin.buffer
        while True:
            try:
                # From the process that started this one; marshal builds values, runs nothing.
                message = marshal.load(incoming)  # noqa: S302
            except EOFError:
                break
            book.take(message)
        book.close()


if __name__ == "__main__":
    main(int(sys.argv[1]))
