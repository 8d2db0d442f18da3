"""A bloc's page in headless Chromium, as an anonymous visitor: in Vietnamese,
its members with links and the head marked, reached from its unit's page; the
pages have no serious or critical axe-core violation."""

from plone import api
from plone.app.testing import logout
from test_clusters import grow

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


def blocking(page, selector):
    result = axe_playwright.Axe().run(page, context={"include": [[selector]]})
    assert result.response["passes"]  # the section was scanned
    return [v["id"] for v in result.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def test_anonymous_reads_a_bloc_from_its_unit(http_world, functional_portal):
    api.portal.set_registry_record("plone.default_language", "vi")
    world = grow(http_world, functional_portal)
    world.province_plan.quarterly_rotation = ["", "KHOI-1 | Khối phường, xã"]
    logout()
    transaction.commit()
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_context(locale="vi-VN").new_page()
            page.goto(world.province.absolute_url())
            section = page.locator("#thidua-unit-clusters")
            assert "Cụm, khối thi đua" in section.inner_text()
            assert "Khối thi đua" in section.inner_text()
            assert blocking(page, "#thidua-unit-clusters") == []
            with page.expect_navigation():
                section.get_by_role("link", name="Khối phường, xã").click()
            assert page.url.rstrip("/") == world.bloc.absolute_url()
            article = page.locator("#thidua-cluster")
            assert "Đơn vị thành viên" in article.inner_text()
            head = page.locator("#thidua-cluster-members tr[data-code='PHUONG']")
            assert "Đơn vị trưởng cụm, khối" in head.inner_text()
            quarters = page.locator("#thidua-cluster-quarters").inner_text()
            assert "giới thiệu điển hình trong quý 2" in quarters
            assert blocking(page, "#thidua-cluster") == []
            with page.expect_navigation():
                page.locator("#thidua-cluster-members").get_by_role(
                    "link", name="Tổ dân phố 1"
                ).click()
            assert page.url.rstrip("/") == world.group.absolute_url()
        finally:
            browser.close()
