"""``@export``: xlsx and csv of a unit's, plan's or movement's candidates; personal
data only for those who may read it."""

from openpyxl import load_workbook
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID

import csv
import datetime
import io
import pytest
import requests
import tempfile
import transaction


def export(obj, auth, file_format="csv", language="vi", table=None):
    query = {"format": file_format} if file_format else {}
    if table:
        query["table"] = table
    return requests.get(
        f"{obj.absolute_url()}/@export",
        params=query,
        headers={"Accept": "application/json", "Accept-Language": language},
        auth=auth,
        timeout=30,
    )


def read_csv(response):
    assert response.status_code == 200, response.text
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def exported(http_world, functional_portal):
    """The province candidate submitted (the parent secretary's oversight starts
    there), plus one whose name a spreadsheet would take for a formula."""
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    api.content.transition(obj=http_world.ward_candidate, transition="submit")
    api.content.create(
        container=http_world.province_movement,
        type="Candidate",
        title='=HYPERLINK("http://evil.example")',
        kind="collective",
    )
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return http_world


def user(world, unit, role):
    return (world.users[(unit, role)], "secret-pw")


class TestExport:
    def test_the_officer_gets_personal_data(self, exported):
        table = read_csv(export(exported.province_plan, user(exported, "province", "UnitOfficer")))
        header, rows = table[0], table[1:]
        assert header[0] == "Tên"
        assert "Điện thoại" in header
        by_title = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
        assert by_title["Nguyễn Văn A"]["Điện thoại"] == "0912345678"
        assert by_title["Nguyễn Văn A"]["Số căn cước công dân"] == "001234567890"

    def test_a_formula_is_kept_as_text(self, exported):
        table = read_csv(export(exported.province, user(exported, "province", "UnitOfficer")))
        assert '\'=HYPERLINK("http://evil.example")' in [row[0] for row in table]

    def test_xlsx(self, exported):
        response = export(
            exported.province_movement,
            user(exported, "province", "CouncilSecretary"),
            "xlsx",
            language="en",
        )
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "private, no-store"
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("Name", "Kind", "Organisation")
        assert "Phone" in rows[0]
        assert {row[0] for row in rows[1:]} == {
            "Nguyễn Văn A",
            '\'=HYPERLINK("http://evil.example")',
        }
        assert all(cell is None or not str(cell).startswith("=") for row in rows for cell in row)

    def test_the_parent_secretary_oversees_without_personal_data(self, exported):
        response = export(exported.ward, user(exported, "province", "CouncilSecretary"))
        table = read_csv(response)
        assert "Điện thoại" not in table[0]
        assert [row[0] for row in table[1:]] == ["Nguyễn Văn A"]
        assert "0912345678" not in response.text

    def test_the_public_columns_are_the_same_with_personal_data_or_without(self, exported):
        # With personal data they are read from each candidate (loaded for it),
        # without from its catalog record: the same cells either way.
        overseer = read_csv(export(exported.ward, user(exported, "province", "CouncilSecretary")))
        officer = read_csv(export(exported.ward, user(exported, "ward", "UnitOfficer")))
        assert "Điện thoại" in officer[0]
        public = len(overseer[0])
        assert officer[0][:public] == overseer[0]
        assert [row[:public] for row in officer[1:]] == overseer[1:]
        assert all(
            overseer[1][column] for column in (0, 4, 5, 8, 11)
        )  # name, unit, movement, state, address

    def test_council_members_see_what_they_may_view(self, exported):
        # The province candidate is a draft: not the council's to read yet.
        table = read_csv(export(exported.province, user(exported, "province", "CouncilMember")))
        assert [row[0] for row in table[1:]] == []

    def test_admin(self, exported):
        table = read_csv(export(exported.province, (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)))
        assert len(table) == 1 + 3  # both units' candidates and the formula one

    def test_refused_to_anonymous_and_other_units(self, exported):
        assert export(exported.province, None).status_code == 401
        other = export(exported.province, user(exported, "ward", "UnitOfficer"))
        assert other.status_code in (401, 403)

    @pytest.mark.parametrize("file_format", ["pdf", None])
    def test_format_is_named(self, exported, file_format):
        response = export(exported.province, user(exported, "province", "UnitOfficer"), file_format)
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "format"


@pytest.fixture
def with_subplan_deadline(http_world, functional_portal):
    """Seed 001: sub-units issue their own plans by 31/12/2021; the ward did not."""
    http_world.province_plan.subplan_deadline = datetime.date(2021, 12, 31)
    transaction.commit()
    return http_world


class TestSubPlansInTheExport:
    """The sub-units flagged on the dashboard are flagged in the export too."""

    def test_a_second_sheet_flags_the_ward(self, with_subplan_deadline):
        world = with_subplan_deadline
        response = export(world.province, user(world, "province", "CouncilSecretary"), "xlsx")
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["tinh", "Kế hoạch cấp dưới"]
        rows = list(book["Kế hoạch cấp dưới"].iter_rows(values_only=True))
        assert rows[0][:5] == (
            "Đơn vị cấp dưới",
            "Mã đơn vị",
            "Ngày ban hành kế hoạch",
            "Tình trạng",
            "Bị nêu tên: chưa ban hành đúng hạn",
        )
        assert rows[1][:5] == ("Phường", "PHUONG", None, "Quá hạn, chưa có", "Bị nêu tên")

    def test_the_same_as_the_dashboard(self, with_subplan_deadline, functional_portal):
        from thidua.dashboard import dashboard

        world = with_subplan_deadline
        [flag] = dashboard(world.province_plan)["subplans"]["units"]
        response = export(
            world.province_plan,
            user(world, "province", "UnitOfficer"),
            "csv",
            language="en",
            table="subplans",
        )
        assert response.headers["Content-Disposition"] == 'attachment; filename="plan-subplans.csv"'
        table = read_csv(response)
        assert table[1] == ["Phường", "PHUONG", "", "Missing", "Flagged", ""]
        assert flag["status"] == "missing"

    def test_an_issued_sub_plan_is_not_flagged(self, with_subplan_deadline, functional_portal):
        from plone.app.testing import setRoles
        from z3c.relationfield import RelationValue
        from zope.component import getUtility
        from zope.intid.interfaces import IIntIds

        world = with_subplan_deadline
        setRoles(functional_portal, TEST_USER_ID, ["Manager"])
        world.ward_plan.implements = RelationValue(getUtility(IIntIds).getId(world.province_plan))
        world.ward_plan.issued_date = datetime.date(2021, 12, 20)
        transaction.commit()
        response = export(world.province, user(world, "province", "UnitOfficer"), table="subplans")
        [_header, row] = read_csv(response)
        assert row[:5] == ["Phường", "PHUONG", "2021-12-20", "Đúng hạn", ""]
        assert row[5] == world.ward_plan.absolute_url()

    def test_no_deadline_no_sheet(self, exported):
        response = export(exported.province, user(exported, "province", "UnitOfficer"), "xlsx")
        assert load_workbook(io.BytesIO(response.content)).sheetnames == ["tinh"]

    def test_a_movement_has_no_sub_plans(self, with_subplan_deadline):
        world = with_subplan_deadline
        response = export(
            world.province_movement, user(world, "province", "UnitOfficer"), table="subplans"
        )
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "table"


def test_personal_data_is_read_without_keeping_candidates_in_memory(world, portal):
    """Each candidate read for its personal data is a ghost again afterwards: a
    large export does not fill the connection's cache."""
    from plone.app.testing import login
    from thidua import export as exporting

    candidate = world.province_candidate
    transaction.savepoint(optimistic=True)
    login(portal, world.users[("province", "UnitOfficer")])
    headers, table = exporting.rows(world.province, "vi")
    assert "Điện thoại" in headers
    by_title = {row[0]: dict(zip(headers, row, strict=True)) for row in table}
    assert by_title["Nguyễn Văn A"]["Điện thoại"] == "0912345678"
    assert candidate._p_changed is None
    book = load_workbook(io.BytesIO(exporting.to_xlsx(headers, table, "tinh")), read_only=True)
    assert next(book.active.iter_rows(values_only=True))[0] == "Tên"


STATES = ("draft", "submitted", "public_notice", "under_review", "selected", "honoured")
STATES += ("rejected", "withdrawn")


def test_personal_cells_agree_with_each_candidates_permission(world, portal):
    """Whether a row's personal data is filled is decided once per movement and
    state from the chain's roles and the caller's roles there (a candidate is
    asked only when that cannot say, as for its owner): for every role of the
    unit, each row is filled exactly when the caller holds ``thidua: View
    personal data`` on that candidate."""
    from plone.app.testing import login
    from thidua import export as exporting
    from thidua import permissions
    from thidua.chains.status import force_state

    setRoles(portal, TEST_USER_ID, ["Manager"])
    member = world.users[("province", "CouncilMember")]
    candidates = []
    for state in STATES:
        for owned in (False, True):
            candidate = api.content.create(
                container=world.province_movement,
                type="Candidate",
                title=f"{state} {owned}",
                kind="individual",
                phone="0900000000",
            )
            # Its owner, or a reader given on its Sharing tab: a withdrawn
            # candidate shows its personal data to the one, not the other.
            candidate.manage_setLocalRoles(member, ["Owner" if owned else "Reader"])
            candidate.reindexObjectSecurity()
            force_state(candidate, state, comment="Lý do")
            candidates.append(candidate)
    by_url = {candidate.absolute_url(): candidate for candidate in candidates}
    compared, outcomes = 0, set()
    for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
        login(portal, world.users[("province", role)])
        headers, table = exporting.rows(world.province, "vi")
        if "Điện thoại" not in headers:
            continue
        phone, address = headers.index("Điện thoại"), headers.index("Địa chỉ")
        for row in table:
            candidate = by_url.get(row[address])
            if candidate is None:
                continue
            allowed = api.user.has_permission(permissions.ViewPersonalData, obj=candidate)
            assert (row[phone] == "0900000000") == allowed, (role, row[0])
            compared += 1
            outcomes.add(allowed)
    assert compared >= len(candidates)
    # Rows with and without personal data in one export were both compared.
    assert outcomes == {True, False}


class TestWorkbookWriter:
    """A workbook of ``ASIDE_ROWS`` rows or more is written by a process of its
    own while Zope's reads the rows: the same cells as written in Zope's."""

    @staticmethod
    def cells(content):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]

    @pytest.fixture
    def writers(self, monkeypatch):
        """The writer processes started, as Zope's process sees them."""
        from thidua.export import workbook

        started = []

        class Seen(workbook.Writer):
            def __init__(self, output):
                super().__init__(output)
                started.append(self)

            def send(self, messages):
                # Nothing is sent before the writer says it started.
                assert self.ready
                super().send(messages)

        monkeypatch.setattr(workbook, "Writer", Seen)
        return started

    def test_a_long_list_is_written_aside(self, with_subplan_deadline, writers, monkeypatch):
        from thidua import export as exporting

        officer = user(with_subplan_deadline, "province", "UnitOfficer")
        response = export(with_subplan_deadline.province, officer, "xlsx")
        assert response.status_code == 200, response.text
        here = self.cells(response.content)
        assert writers == []
        monkeypatch.setattr(exporting, "ASIDE_ROWS", 1)
        response = export(with_subplan_deadline.province, officer, "xlsx")
        assert response.status_code == 200, response.text
        assert len(writers) == 1
        assert writers[0].ready
        assert writers[0].process.returncode == 0
        assert self.cells(response.content) == here
        # The candidates with their personal data, and the sub-plans' sheet.
        assert [title for title, _rows in here] == ["tinh", "Kế hoạch cấp dưới"]
        assert "0912345678" in [cell for row in here[0][1] for cell in row]

    @pytest.mark.parametrize(
        ("python", "said"),
        [
            ("/nonexistent/python", "No such file"),
            ("/bin/false", "it ended"),
            ("/bin/cat", "it said"),  # the script's text, not that it started
            ("silent", "nothing in 1 s"),
        ],
    )
    def test_written_here_when_the_writer_does_not_start(
        self, python, said, writers, monkeypatch, caplog, tmp_path
    ):
        """The rows already read, and the rest, are written here (a writer that
        never says it started is waited for once the rows are read)."""
        from thidua.export import workbook

        if python == "silent":
            python = tmp_path / "silent"
            python.write_text("#!/bin/sh\nexec sleep 30\n")
            python.chmod(0o755)
        monkeypatch.setattr(workbook, "PYTHON", str(python))
        monkeypatch.setattr(workbook, "START_SECONDS", 1)
        monkeypatch.setattr(workbook, "BATCH", 2)
        headers = ["Tên", "Năm", "Ghi chú"]
        # More than the pipe holds (1 MiB): nothing is sent before the writer says it started.
        rows = [["Nguyễn Văn A", 2021, None], ["=1+1", 1.5, "x" * 1000]] * 800
        with tempfile.TemporaryFile() as output:
            workbook.write_aside(headers, iter(rows), "tinh", output, [("hai", ["a"], [[1]])])
            assert "did not start" in caplog.text
            assert said in caplog.text
            assert writers[0].process is None or writers[0].process.returncode is not None
            output.seek(0)
            cells = self.cells(output.read())
        assert cells == [
            ("tinh", [tuple(headers), *(tuple(row) for row in rows)]),
            ("hai", [("a",), (1,)]),
        ]

    def test_a_writer_failing_on_the_way_is_an_error(self):
        from thidua.export import workbook

        with tempfile.TemporaryFile() as output, pytest.raises(RuntimeError) as failed:
            # Bytes are no cell XlsxWriter writes.
            workbook.write_aside(["Tên"], [["a"], [b"\x00"]], "tinh", output)
        assert "workbook's writer ended with 1" in str(failed.value)
        assert "TypeError" in str(failed.value)

    def test_the_writer_is_stopped_when_the_rows_fail(self, writers):
        from thidua.export import workbook

        def rows():
            yield ["a"]
            raise ValueError("a candidate could not be read")

        with tempfile.TemporaryFile() as output:
            with pytest.raises(ValueError, match="could not be read"):
                workbook.write_aside(["Tên"], rows(), "tinh", output)
            assert writers[0].process.returncode is not None
            assert output.read() == b""
