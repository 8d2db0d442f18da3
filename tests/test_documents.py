"""thidua.documents: a Report as DOCX after Decree 30/2020/NĐ-CP and its tables
as XLSX and CSV (@@report-docx, @@report-xlsx, @export on a Report), opened
again with python-docx and openpyxl."""

from docx import Document
from openpyxl import load_workbook
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from thidua.chains.status import force_state
from thidua.documents import dated
from thidua.export import content_disposition
from thidua.testing import PASSWORD

import datetime
import io
import pytest
import requests
import transaction


def user(world, unit="province", role="UnitOfficer"):
    return (world.users[(unit, role)], PASSWORD)


def all_text(document):
    """Every paragraph's text, those inside tables (the head, the foot) included."""
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [paragraph.text for paragraph in cell.paragraphs]
    return texts


@pytest.fixture
def report(http_world, functional_portal):
    world = http_world
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    api.portal.set_registry_record("plone.default_language", "vi")
    world.province_movement.quota_individual = 3
    honoured = api.content.create(
        container=world.province_movement, type="Candidate", title="Trần Thị B", kind="individual"
    )
    force_state(honoured, "honoured")
    world.report = api.content.create(
        container=world.province_plan,
        type="Report",
        title="Sơ kết 3 năm phong trào",
        report_type="midterm",
        year=2026,
        body=RichTextValue("<p>Phong trào được triển khai rộng khắp.</p><p>Kết quả tốt.</p>"),
        document_number="25/BC-UBND",
        place="Gia Lai",
        issued_date=datetime.date(2026, 3, 5),
        recipients=["UBND tỉnh", "Ban Thi đua - Khen thưởng tỉnh", "Lưu: VT"],
        signer_position="Chủ tịch",
        signer="Nguyễn Văn Chủ",
    )
    api.content.transition(obj=world.report, transition="submit")
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return world


def get(url, auth, **params):
    return requests.get(
        url, params=params, headers={"Accept": "application/json"}, auth=auth, timeout=30
    )


class TestDocx:
    def test_laid_out_after_decree_30(self, report):
        response = requests.get(
            f"{report.report.absolute_url()}/@@report-docx", auth=user(report), timeout=30
        )
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        document = Document(io.BytesIO(response.content))
        head, *_tables, foot = document.tables
        left, right = ([p.text for p in cell.paragraphs] for cell in head.rows[0].cells)
        assert left == ["TỈNH", "Số: 25/BC-UBND"]
        assert right == [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Gia Lai, ngày 05 tháng 03 năm 2026",
        ]
        texts = [paragraph.text for paragraph in document.paragraphs]
        assert "BÁO CÁO" in texts
        assert "Sơ kết 3 năm phong trào" in texts
        assert "Phong trào được triển khai rộng khắp." in texts
        recipients, signature = ([p.text for p in cell.paragraphs] for cell in foot.rows[0].cells)
        assert recipients == [
            "Nơi nhận:",
            "- UBND tỉnh;",
            "- Ban Thi đua - Khen thưởng tỉnh;",
            "- Lưu: VT.",
        ]
        assert signature[0] == "CHỦ TỊCH"
        assert signature[-1] == "Nguyễn Văn Chủ"

    def test_with_the_statistics_tables(self, report):
        response = requests.get(
            f"{report.report.absolute_url()}/@@report-docx", auth=user(report), timeout=30
        )
        document = Document(io.BytesIO(response.content))
        movements = document.tables[1]
        rows = [[cell.text for cell in row.cells] for row in movements.rows]
        assert rows[0] == ["Phong trào thi đua", "Đối tượng", "Chỉ tiêu", "Số hồ sơ"] + [
            "Đã chọn hoặc tôn vinh"
        ]
        assert rows[1] == ["Phong trào", "Cá nhân", "3", "2", "1"]
        assert "Phường" in all_text(document)

    def test_the_filename_is_vietnamese_without_breaking_the_header(self, report):
        response = requests.get(
            f"{report.report.absolute_url()}/@@report-docx", auth=user(report), timeout=30
        )
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith('attachment; filename="So ket 3 nam phong trao.docx"')
        assert "filename*=UTF-8''S%C6%A1%20k%E1%BA%BFt%203%20n%C4%83m" in disposition
        assert response.headers["Cache-Control"] == "private, no-store"

    def test_no_name_breaks_the_header(self):
        header = content_disposition('a"; x=1\r\nSet-Cookie: b.docx')
        assert "\r" not in header and "\n" not in header
        assert header.count('"') == 2
        assert header.endswith("filename*=UTF-8''a%22%3B%20x%3D1%0D%0ASet-Cookie%3A%20b.docx")

    def test_dated(self):
        assert dated("Hà Nội", datetime.date(2026, 9, 2)) == "Hà Nội, ngày 02 tháng 09 năm 2026"
        assert dated(None, datetime.date(2026, 12, 25)) == "Ngày 25 tháng 12 năm 2026"


class TestXlsxAndExport:
    def test_report_xlsx(self, report):
        response = requests.get(
            f"{report.report.absolute_url()}/@@report-xlsx", auth=user(report), timeout=30
        )
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        first = list(book.worksheets[0].iter_rows(values_only=True))
        assert first[1] == ("Phong trào", "Cá nhân", 3, 2, 1)
        assert book.sheetnames[0].startswith("1. Hồ sơ theo phong trào")
        quarters = list(book.worksheets[1].iter_rows(values_only=True))
        assert quarters[1][0] == "Phường"

    @pytest.mark.parametrize("file_format", ["docx", "xlsx", "csv"])
    def test_export_on_a_report(self, report, file_format):
        response = get(f"{report.report.absolute_url()}/@export", user(report), format=file_format)
        assert response.status_code == 200, response.text
        assert f".{file_format}" in response.headers["Content-Disposition"]
        if file_format == "docx":
            assert "Số: 25/BC-UBND" in all_text(Document(io.BytesIO(response.content)))
        elif file_format == "xlsx":
            sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
            assert list(sheet.iter_rows(values_only=True))[1][0] == "Phong trào"
        else:
            assert "Phong trào,Cá nhân,3,2,1" in response.content.decode("utf-8-sig")

    @pytest.mark.parametrize("query", [{}, {"format": "pdf"}])
    def test_the_format_is_named(self, report, query):
        response = get(f"{report.report.absolute_url()}/@export", user(report), **query)
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "format"

    @pytest.mark.parametrize("view", ["@@report-docx", "@@report-xlsx", "@export?format=docx"])
    def test_refused_outside_the_unit(self, report, view):
        url = f"{report.report.absolute_url()}/{view}"
        anonymous = requests.get(url, headers={"Accept": "application/json"}, timeout=30)
        assert anonymous.status_code == 401 or "require_login" in anonymous.url
        other = requests.get(
            url,
            headers={"Accept": "application/json"},
            auth=user(report, "ward"),
            timeout=30,
        )
        assert other.status_code in (401, 403)
        assert b"25/BC-UBND" not in other.content


def certificate_text(content):
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs)


@pytest.fixture
def honoured_candidate(http_world, functional_portal):
    """A model whose name tries markup and template code: it stays text."""
    world = http_world
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    api.portal.set_registry_record("plone.default_language", "vi")
    world.model = api.content.create(
        container=world.province_movement,
        type="Candidate",
        title='Lê <w:t>"Bình"</w:t> & {{ 7*7 }}',
        kind="individual",
        organisation="Trường Tiểu học Côn Đảo",
        honour_form="bang_khen_chu_tich_tinh",
    )
    force_state(world.model, "honoured")
    world.model.honoured_date = datetime.date(2026, 9, 2)
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return world


def template_with(*lines):
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


class TestCertificate:
    def url(self, world):
        return f"{world.model.absolute_url()}/@@giay-khen"

    def test_the_name_and_the_honour(self, honoured_candidate):
        world = honoured_candidate
        response = requests.get(self.url(world), auth=user(world), timeout=30)
        assert response.status_code == 200, response.text
        text = certificate_text(response.content)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "GIẤY KHEN" in text
        assert 'Lê <w:t>"Bình"</w:t> & {{ 7*7 }}' in text  # as written: neither XML nor code
        assert "49" not in text
        assert "Hình thức khen thưởng: Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in text
        assert "Ngày 02 tháng 09 năm 2026" in text
        assert "Trường Tiểu học Côn Đảo" in text
        assert (
            "filename*=UTF-8''Gi%E1%BA%A5y%20khen%20-%20L%C3%AA"
            in (response.headers["Content-Disposition"])
        )

    def test_only_for_an_honoured_candidate(self, honoured_candidate):
        response = requests.get(
            f"{honoured_candidate.province_candidate.absolute_url()}/@@giay-khen",
            auth=user(honoured_candidate),
            timeout=30,
        )
        assert response.status_code == 400
        assert "tôn vinh" in response.text

    def test_only_for_the_staff(self, honoured_candidate):
        world = honoured_candidate
        for auth in (user(world, "ward"), None):
            refused = requests.get(self.url(world), auth=auth, allow_redirects=False, timeout=30)
            assert refused.status_code in (302, 401, 403)
            assert "require_login" in refused.headers.get("Location", "require_login")
            assert "Bình" not in refused.text


class TestCertificateTemplate:
    def panel(self, portal, auth=None):
        from thidua.testing import ADMIN

        session = requests.Session()
        session.auth = auth or ADMIN
        url = f"{portal.absolute_url()}/@@thidua-certificate"
        return session, url

    def upload(self, portal, data, filename="mau.docx"):
        from thidua.testing import authenticator

        session, url = self.panel(portal)
        page = session.get(url, timeout=30)
        assert page.status_code == 200
        return session.post(
            url,
            data={"_authenticator": authenticator(page.text), "form.buttons.save": "1"},
            files={"template": (filename, data)},
            timeout=30,
        )

    def test_an_administrator_replaces_it(self, honoured_candidate, functional_portal):
        world = honoured_candidate
        replaced = self.upload(
            functional_portal, template_with("CHỨNG NHẬN {{ name }}", "Năm {{ year }}")
        )
        assert replaced.status_code == 200
        assert "mau.docx" in replaced.text
        response = requests.get(
            f"{world.model.absolute_url()}/@@giay-khen", auth=user(world), timeout=30
        )
        text = certificate_text(response.content)
        assert 'CHỨNG NHẬN Lê <w:t>"Bình"</w:t> & {{ 7*7 }}' in text
        assert "Năm 2026" in text
        assert "GIẤY KHEN" not in text

    @pytest.mark.parametrize(
        "data",
        [
            b"not a docx",
            template_with("{{ name.__class__.__mro__ }}"),
            template_with("{{ name }"),
        ],
    )
    def test_a_bad_template_is_refused(self, honoured_candidate, functional_portal, data):
        from thidua.documents.certificate import stored

        refused = self.upload(functional_portal, data)
        assert refused.status_code == 200
        assert "alert-danger" in refused.text or "error" in refused.text
        transaction.begin()
        assert stored(functional_portal) is None

    def test_the_panel_needs_an_administrator(self, http_world, functional_portal):
        session, url = self.panel(
            functional_portal, auth=user(http_world, "province", "CouncilChair")
        )
        for method in ("get", "post"):
            refused = session.request(method, url, allow_redirects=False, timeout=30)
            assert refused.status_code in (302, 401, 403)
            assert "require_login" in refused.headers.get("Location", "require_login")

    def test_a_post_without_the_token_is_refused(self, http_world, functional_portal):
        from thidua.documents.certificate import stored

        session, url = self.panel(functional_portal)
        response = session.post(
            url, files={"template": ("x.docx", template_with("{{ name }}"))}, timeout=30
        )
        assert response.status_code == 403
        transaction.begin()
        assert stored(functional_portal) is None


def test_upgrade_1005_adds_the_certificate_configlet(portal, installer):
    panel = api.portal.get_tool("portal_controlpanel")
    panel.unregisterConfiglet("thidua-certificate")
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("thidua:default", "1004")
    installer.upgrade_product("thidua")
    [configlet] = [a for a in panel.listActions() if a.getId() == "thidua-certificate"]
    assert configlet.permissions == ("thidua: Manage settings",)
    assert "@@thidua-certificate" in configlet.action.text


def test_the_edit_form_has_the_document_fields(report):
    from thidua.testing import ADMIN

    page = requests.get(f"{report.report.absolute_url()}/edit", auth=ADMIN, timeout=30)
    assert page.status_code == 200
    for name in ("document_number", "place", "issued_date", "recipients", "signer_position"):
        assert f"form.widgets.{name}" in page.text
    assert "Ban Thi đua - Khen thưởng tỉnh" in page.text
