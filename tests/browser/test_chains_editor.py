"""The chains panel's form editor in headless Chromium, as a Manager uses it
(issue 12, item 4): a guard's parameter changed, previewed, saved and shown
by the panel; a value that is not a number refused with its message in
Vietnamese. Screenshots ``chains-NN-*.png``, each page scanned with axe-core."""

from Acquisition import aq_base
from plone import api
from plone.app.testing import setRoles
from thidua.testing import PASSWORD

import pytest
import transaction


CHAIN = "thidua_candidate_workflow"
NOTICE_DAYS = "guard.start_review.0.working_days"
MANAGER = "chains-manager"


@pytest.fixture
def manager(functional_portal):
    api.portal.set_registry_record("plone.default_language", "vi")
    api.user.create(email="chains@example.vn", username=MANAGER, password=PASSWORD)
    setRoles(functional_portal, MANAGER, ["Member", "Manager"])
    transaction.commit()
    return MANAGER


def notice_days():
    """The working days of the public notice in the chain the site runs."""
    transaction.begin()
    workflow = api.portal.get_tool("portal_workflow").getWorkflowById(CHAIN)
    chain = aq_base(workflow).thidua_chain
    [guard] = chain["transitions"]["start_review"]["guards"]
    return guard["notice_period"]["working_days"]


def editor(page):
    """The chain's form editor, opened."""
    section = page.locator(f"section#chain-{CHAIN}")
    details = section.locator("details.chain-form-editor")
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()
    return section.locator("form.chain-form")


def test_a_manager_changes_a_chain_with_the_form(manager, walker):
    walk = walker("chains-")
    assert notice_days() == 10
    page = walk.person(manager)
    page.goto(f"{walk.portal_url}/@@thidua-chains")
    walk.look(page, "panel")
    assert "Quy trình xét duyệt" in page.locator("#content h1").inner_text()

    form = editor(page)
    assert form.locator(f'[name="{NOTICE_DAYS}"]').input_value() == "10"
    form.locator(f'[name="{NOTICE_DAYS}"]').fill("mười")
    walk.click(page, f'section#chain-{CHAIN} form.chain-form button[value="form-save"]')
    walk.look(page, "refused")
    refused = page.locator("#chain-error").inner_text()
    assert "Tệp không hợp lệ nên không được chấp nhận; chưa có gì thay đổi." in refused
    assert "mười không phải là một số nguyên (số ngày hoặc số tệp)." in refused
    assert "transitions.start_review.guards.0.notice_period.working_days" in refused
    assert notice_days() == 10

    # The field keeps what was sent: corrected, previewed, then saved.
    form = editor(page)
    assert form.locator(f'[name="{NOTICE_DAYS}"]').input_value() == "mười"
    form.locator(f'[name="{NOTICE_DAYS}"]').fill("15")
    walk.click(page, f'section#chain-{CHAIN} form.chain-form button[value="form-preview"]')
    walk.look(page, "preview")
    preview = page.locator(f"section#chain-{CHAIN} .chain-preview")
    assert "Xem trước: thay đổi đã qua mọi bước kiểm tra; chưa được lưu." in preview.inner_text()
    assert preview.locator("svg").count() == 1
    assert "working_days: 15" in preview.locator(".chain-preview-text").text_content()
    assert notice_days() == 10  # a preview saves nothing

    walk.click(page, f'section#chain-{CHAIN} form.chain-form button[value="form-save"]')
    walk.look(page, "saved")
    assert f"Đã sửa quy trình {CHAIN}" in page.locator("#global_statusmessage").inner_text()
    assert notice_days() == 15
    # The panel shows the change: the legal parameters and the form.
    rows = page.locator(f"section#chain-{CHAIN} table.chain-legal tbody tr")
    legal = rows.filter(has_text="start_review").filter(has_text="working_days")
    assert legal.locator("td").nth(3).inner_text() == "15"
    assert editor(page).locator(f'[name="{NOTICE_DAYS}"]').input_value() == "15"
    source = page.locator(f"section#chain-{CHAIN} .chain-source").inner_text()
    assert f"do {MANAGER} thay thế qua giao diện web" in source
    walk.assert_accessible()
