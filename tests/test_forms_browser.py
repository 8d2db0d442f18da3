"""A visitor fills the demo's nomination form in a real browser (Debian's
chromium, driven by Playwright)."""

from playwright.sync_api import sync_playwright
from plone import api
from plone.app.testing import applyProfile
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from thidua.forms import spam
from thidua.testing import recording_mailhost

import pytest
import transaction


@pytest.fixture
def demo(functional_portal):
    recording_mailhost(functional_portal)
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    applyProfile(functional_portal, "thidua:demo")
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    spam.forget()
    yield functional_portal
    spam.forget()


def test_a_visitor_fills_the_demo_nomination_form(demo):
    form = demo["bieu-mau"]["de-cu-nong-thon-moi"]
    movement = demo["brvt"]["kh-126-2021"]["nong-thon-moi"]
    before = set(movement.objectIds())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(locale="vi-VN")
        page.goto(form.absolute_url())
        page.fill('[name="form.widgets.ten"]', "Tổ hợp tác nuôi tôm Long Sơn")
        page.select_option('[name="form.widgets.loai:list"]', "collective")
        page.fill('[name="form.widgets.co_quan"]', "Xã Long Sơn")
        page.fill('[name="form.widgets.nam"]', "2024")
        page.fill('[name="form.widgets.thanh_tich"]', "Nuôi tôm sạch, tạo việc làm cho 40 hộ.")
        page.fill('[name="form.widgets.nguoi_gui"]', "Võ Thị G")
        page.fill('[name="form.widgets.thu_nguoi_gui"]', "g@example.vn")
        page.click('[name="form.buttons.submit"]')
        page.wait_for_load_state("networkidle")
        body = page.content()
        browser.close()
    assert "Cảm ơn bạn đã đề cử" in body
    transaction.begin()
    [new_id] = set(movement.objectIds()) - before
    candidate = movement[new_id]
    assert candidate.title == "Tổ hợp tác nuôi tôm Long Sơn"
    assert candidate.kind == "collective"
    assert candidate.year == 2024
    assert api.content.get_state(candidate) == "draft"
