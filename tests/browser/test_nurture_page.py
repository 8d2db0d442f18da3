"""A model's nurture plan in headless Chromium: the officer adds a check-in
from the candidate's page, sees it in the plan, and the section has no
serious or critical axe-core violation."""

from conftest import honour
from plone import api
from plone.app.testing import logout
from thidua import nurture
from thidua.testing import PASSWORD

import datetime
import os
import pytest
import transaction


playwright = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

CHROMIUM = "/usr/bin/chromium"
BLOCKING_IMPACTS = {"serious", "critical"}

pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK), reason=f"{CHROMIUM} is missing (apt-get install chromium)"
)


def test_the_officer_records_a_checkin_from_the_page(http_world, functional_portal):
    api.portal.set_registry_record("plone.default_language", "vi")
    candidate = honour(functional_portal, http_world.province_candidate)
    logout()
    transaction.commit()
    today = datetime.date.today()
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_context(locale="vi-VN").new_page()
            page.goto(f"{functional_portal.absolute_url()}/login")
            page.fill("#__ac_name", http_world.users[("province", "UnitOfficer")])
            page.fill("#__ac_password", PASSWORD)
            with page.expect_navigation():
                page.click('button[name="buttons.login"]')
            page.goto(candidate.absolute_url())
            page.locator("#thidua-nurture summary", has_text="Thêm lần kiểm tra").click()
            page.fill("#nurture-checkin-date", today.isoformat())
            page.fill("#nurture-checkin-by", "Thường trực Hội đồng")
            page.fill("#nurture-checkin-findings", "Mô hình lan tỏa tốt ở hai xã.")
            page.select_option("#nurture-checkin-status", "at_risk")
            page.fill("#nurture-checkin-next", (today + datetime.timedelta(days=90)).isoformat())
            with page.expect_navigation():
                page.locator("form:has(#nurture-checkin-date) button").click()
            section = page.locator("#thidua-nurture").inner_text()
            assert "Mô hình lan tỏa tốt ở hai xã." in section
            assert "Có nguy cơ chệch hướng" in section
            assert today.strftime("%d/%m/%Y") in section
            assert "Đã cập nhật kế hoạch bồi dưỡng." in page.content()
            result = axe_playwright.Axe().run(page, context={"include": [["#thidua-nurture"]]})
            blocking = [
                v["id"] for v in result.response["violations"] if v["impact"] in BLOCKING_IMPACTS
            ]
            assert blocking == []
            assert result.response["passes"]  # the section was scanned
        finally:
            browser.close()
    transaction.begin()
    assert nurture.latest_checkin(candidate)["status"] == "at_risk"
