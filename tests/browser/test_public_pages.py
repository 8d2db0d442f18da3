"""The public portal in headless Chromium, as a citizen meets it (issue 12):
the home page (newest honoured models, units, plans in force, a search) and
its tabs to the units and the honour board; the public page of an honoured
candidate; a candidate on public notice, whose feedback form an anonymous
visitor fills and sends, and whose unit's secretary then reads it.

Each page is kept as a screenshot ``public-NN-*.png`` beside the story's and
scanned with axe-core: none may have a serious or critical violation."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobImage
from thidua.chains.status import force_state
from thidua.deadlines import item_deadlines
from thidua.forms import feedback
from thidua.forms import spam

import datetime
import io
import pytest
import transaction


HONOURED = "Trường THPT Lê Quý Đôn"
IN_NOTICE = "Nguyễn Văn A"  # the world's province candidate
# Personal data of the two candidates (tests/conftest.py's world and the site below).
PERSONAL = ("0912345678", "001234567890", "0987654321", "079123456789")
# What Dexterity's generic view showed: technical fields (and English yes/no).
TECHNICAL_LABELS = ("Settings", "Short name", "Lead Image", "Cài đặt", "Ảnh chụp năm 2023")
FEEDBACK = "Đơn vị này chưa hoàn thành chỉ tiêu nộp ngân sách năm 2023."


def portrait():
    """A small readable portrait: a face on a gold ground (no real person)."""
    from PIL import Image
    from PIL import ImageDraw

    image = Image.new("RGB", (240, 300), (250, 215, 90))
    draw = ImageDraw.Draw(image)
    draw.ellipse((70, 50, 170, 160), fill=(120, 70, 40))
    draw.rectangle((50, 170, 190, 300), fill=(30, 60, 140))
    data = io.BytesIO()
    image.save(data, "PNG")
    return NamedBlobImage(data.getvalue(), filename="chan-dung.png", contentType="image/png")


@pytest.fixture
def site(http_world, functional_portal):
    """A Vietnamese site: an honoured model of 2023 with its portrait, the
    province's candidate on public notice, the province's plan in force and
    the ward's closed."""
    spam.forget()
    api.portal.set_registry_record("plone.default_language", "vi")
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    world = http_world
    world.province_plan.document_number = "1043/KH-UBND"
    world.province_plan.issued_date = datetime.date(2021, 3, 9)
    world.province_plan.reindexObject()
    world.ward_plan.title = "Kế hoạch của phường"
    world.ward_plan.reindexObject()
    world.honoured = api.content.create(
        container=world.province_movement,
        type="Candidate",
        id="lqd",
        title=HONOURED,
        kind="collective",
        organisation="Sở Giáo dục và Đào tạo",
        year=2023,
        honour_form="bang_khen_chu_tich_tinh",
        honoured_date=datetime.date(2023, 5, 10),
        phone="0987654321",
        id_number="079123456789",
        achievements=RichTextValue("<p>Mười năm liền đạt chuẩn quốc gia.</p>"),
        image=portrait(),
        image_caption="Ảnh chụp năm 2023",
    )
    force_state(world.honoured, "honoured")
    force_state(world.province_candidate, "public_notice")
    force_state(world.ward_plan, "closed")
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    yield world
    spam.forget()


def text_of(page, selector):
    return page.locator(selector).inner_text()


def open_link(page, selector, name):
    with page.expect_navigation():
        page.locator(selector).get_by_role("link", name=name, exact=True).first.click()
    return page


def test_the_home_page_leads_a_visitor_everywhere(site, walker):
    walk = walker("public-home-")
    visitor = walk.person()
    visitor.goto(walk.portal_url)
    walk.look(visitor, "home")

    honoured = text_of(visitor, ".thidua-home-honoured")
    assert "Điển hình tiên tiến mới được tôn vinh" in honoured
    assert HONOURED in honoured
    assert "10/05/2023" in honoured
    assert IN_NOTICE not in honoured  # on notice, not honoured
    units = text_of(visitor, ".thidua-home-units")
    assert "Tỉnh" in units and "Phường" in units
    plans = text_of(visitor, ".thidua-home-plans")
    assert "Kế hoạch" in plans and "1043/KH-UBND" in plans and "09/03/2021" in plans
    assert "Kế hoạch của phường" not in plans  # closed
    for value in PERSONAL:
        assert value not in visitor.content()

    # The search box finds the honoured model.
    visitor.fill("#thidua-home-search", "Lê Quý Đôn")
    with visitor.expect_navigation():
        visitor.locator(".thidua-home-search button[type=submit]").click()
    visitor.locator("#search-results .searchResults").wait_for()
    walk.look(visitor, "search-results")
    assert HONOURED in text_of(visitor, "#search-results")

    # The tabs reach the units and the honour board.
    open_link(visitor, "#portal-globalnav", "Đơn vị")
    walk.look(visitor, "units")
    assert visitor.url.endswith("/@@don-vi")
    listed = text_of(visitor, "#content")
    assert "Tỉnh" in listed and "Phường" in listed
    open_link(visitor, "#content", "Phường")
    walk.look(visitor, "unit-ward")
    assert visitor.url.rstrip("/").endswith("/tinh/phuong")

    open_link(visitor, "#portal-globalnav", "Bảng vàng")
    walk.look(visitor, "honour-board")
    assert HONOURED in text_of(visitor, ".honour-board")
    open_link(visitor, ".honour-board", HONOURED)
    assert visitor.url.rstrip("/").removesuffix("/view").endswith("/lqd")
    walk.assert_accessible()


def test_the_public_page_of_an_honoured_model(site, walker):
    walk = walker("public-candidate-")
    visitor = walk.person()
    visitor.goto(site.honoured.absolute_url())
    walk.look(visitor, "honoured")

    assert text_of(visitor, "#content h1") == HONOURED
    photo = visitor.locator("img.thidua-portrait")
    assert photo.get_attribute("alt") == HONOURED
    assert photo.evaluate("image => image.complete && image.naturalWidth") > 0
    assert visitor.locator("#content img").count() == 1  # the photo once, no lead image
    facts = text_of(visitor, ".thidua-candidate")
    for shown in (
        "Tập thể",  # the kind, in Vietnamese
        "Sở Giáo dục và Đào tạo",
        "Phong trào",  # the movement
        "Tỉnh",  # the unit
        "2023",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "10/05/2023",
    ):
        assert shown in facts
    assert "2.023" not in facts
    assert "Mười năm liền đạt chuẩn quốc gia." in text_of(visitor, ".thidua-achievements")
    content = text_of(visitor, "#content")
    for label in TECHNICAL_LABELS:
        assert label not in content
    assert not {"Yes", "No"} & set(content.split())
    for value in PERSONAL:
        assert value not in visitor.content()
    assert visitor.locator(".thidua-notice").count() == 0  # no notice once honoured
    walk.assert_accessible()


def test_a_visitor_gives_feedback_during_the_notice_and_the_staff_read_it(site, walker):
    walk = walker("public-feedback-")
    candidate = site.province_candidate
    last_day = dict(item_deadlines(candidate))["notice_end"]
    visitor = walk.person()
    visitor.goto(candidate.absolute_url())
    walk.look(visitor, "candidate-on-notice")
    notice = " ".join(text_of(visitor, ".thidua-notice").split())
    assert "Hồ sơ đề nghị đang được công khai để lấy ý kiến." in notice
    assert f"Nhận ý kiến đến hết ngày {last_day:%d/%m/%Y}." in notice
    for value in PERSONAL:
        assert value not in visitor.content()

    open_link(visitor, ".thidua-notice", "Góp ý")
    assert visitor.url.endswith("/@@gop-y")
    walk.look(visitor, "feedback-form")
    visitor.fill("#form-widgets-text", FEEDBACK)
    visitor.fill("#form-widgets-name", "Trần Thị B")
    visitor.fill("#form-widgets-email", "b@example.vn")
    walk.click(visitor, "#form-buttons-send")
    walk.look(visitor, "feedback-sent")
    assert "Cảm ơn bạn: góp ý đã được gửi đến Hội đồng." in text_of(
        visitor, "#global_statusmessage"
    )
    assert FEEDBACK not in visitor.content()  # never published

    # The unit's secretary reads it on the candidate's page.
    secretary = walk.person(site.users[("province", "CouncilSecretary")])
    secretary.goto(candidate.absolute_url())
    walk.look(secretary, "secretary-reads-feedback")
    received = text_of(secretary, "#thidua-feedback")
    assert "Góp ý công khai (1)" in received
    assert FEEDBACK in received and "Trần Thị B" in received and "b@example.vn" in received
    assert datetime.date.today().strftime("%d/%m/%Y") in received
    transaction.begin()
    assert [entry["text"] for entry in feedback.entries(candidate)] == [FEEDBACK]
    walk.assert_accessible()
