"""examples/honour_board_client.py against the functional layer's WSGI server."""

from pathlib import Path
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobImage
from thidua.chains.status import force_state

import base64
import datetime
import pytest
import re
import transaction


CLIENT = Path(__file__).resolve().parents[1] / "examples" / "honour_board_client.py"
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SCRIPT_TITLE = '<script>alert("x")</script> Tổ & Đội'
MODELS = [
    # title, kind, field, year, honoured date
    ("Trường THPT Lê Quý Đôn", "collective", "education", 2023, "2023-05-10"),
    ("Bác sĩ Trần Thị B", "individual", "health", 2024, "2024-03-01"),
    ("Hộ ông Lê Văn C", "household", "new_countryside", 2024, "2024-01-15"),
    (SCRIPT_TITLE, "collective", "defence_security", 2022, "2022-11-20"),
    ("Chị Phạm Thị D", "individual", "education", 2024, "2024-09-02"),
]


@pytest.fixture
def board(http_world, functional_portal):
    """Five honoured models in the province's movement, one with a photo; the
    draft candidate of the world stays off the board."""
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    for title, kind, field, year, honoured in MODELS:
        candidate = api.content.create(
            container=http_world.province_movement,
            type="Candidate",
            title=title,
            description=f"Tóm tắt <b>{kind}</b>",
            kind=kind,
            field=field,
            year=year,
            organisation="UBND xã",
            honour_form="bang_khen_chu_tich_tinh",
            honoured_date=datetime.date.fromisoformat(honoured),
            phone="0987654321",
        )
        if title.startswith("Bác sĩ"):
            candidate.image = NamedBlobImage(data=PIXEL, filename="portrait.png")
        force_state(candidate, "honoured")
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return http_world.province.absolute_url()


def run_client(run_python, *args):
    result = run_python(str(CLIENT), *args, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def models(page):
    return re.findall(r"<h2><a href=\"[^\"]+\">(.*?)</a></h2>", page)


def test_the_whole_board_over_several_pages(board, run_python, tmp_path):
    output = tmp_path / "bang-vang.html"
    stdout = run_client(run_python, board, str(output), "--page-size", "2")
    assert "5 models from 3 pages" in stdout
    page = output.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in page
    assert "<h1>Bảng vàng điển hình tiên tiến: Tỉnh</h1>" in page
    assert "Tổng số: 5 điển hình tiên tiến." in page
    # Newest honour first, every page read once.
    assert models(page) == [
        "Chị Phạm Thị D",
        "Bác sĩ Trần Thị B",
        "Hộ ông Lê Văn C",
        "Trường THPT Lê Quý Đôn",
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tổ &amp; Đội",
    ]
    # Read in Vietnamese: the vocabularies' Vietnamese titles.
    for label, value in (
        ("Loại", "Cá nhân"),
        ("Cơ quan, đơn vị công tác", "UBND xã"),
        ("Phong trào thi đua", "Phong trào"),
        ("Đơn vị", "Tỉnh"),
        ("Năm", "2024"),
        ("Hình thức khen thưởng", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
        ("Ngày tôn vinh", "01/03/2024"),
    ):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page
    assert "<dt>Lĩnh vực</dt><dd>Y tế, chăm sóc sức khỏe Nhân dân, y đức</dd>" in page
    assert "<strong>Tóm tắt:</strong> Tóm tắt &lt;b&gt;individual&lt;/b&gt;" in page
    # Self-contained: the one photo (its preview scale) is inside the page.
    [photo] = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="Ảnh: Bác sĩ', page)
    assert base64.b64decode(photo).startswith(b"\x89PNG")
    assert page.count("<img ") == 1
    # Escaped everywhere: the only <script> would be the title's, and it is text.
    assert "<script" not in page
    assert "0987654321" not in page
    assert "Nguyễn Văn A" not in page  # the draft candidate


def test_filters(board, run_python, tmp_path):
    output = tmp_path / "tap-the.html"
    stdout = run_client(run_python, board, str(output), "--kind", "individual", "--year", "2024")
    assert "2 models from 1 pages" in stdout
    page = output.read_text(encoding="utf-8")
    assert models(page) == ["Chị Phạm Thị D", "Bác sĩ Trần Thị B"]


def test_an_empty_board_and_a_bad_address(http_world, run_python, tmp_path):
    output = tmp_path / "trong.html"
    run_client(run_python, http_world.ward.absolute_url(), str(output))
    assert "Chưa có điển hình tiên tiến nào được tôn vinh." in output.read_text(encoding="utf-8")
    missing = run_python(
        str(CLIENT), f"{http_world.ward.absolute_url()}/nowhere", str(tmp_path / "x.html")
    )
    assert missing.returncode == 1
    assert "HTTP 404" in missing.stderr
    assert not (tmp_path / "x.html").exists()
