"""Replication in headless Chromium (issue 15, item 2): the ward's officer
records a site visit to learn from the province's honoured model through the
Classic add form, the ward's secretary makes it public from the chain panel,
and an anonymous visitor sees it in "Nhân rộng điển hình" on the model's
public page. Screenshots ``replication-NN-*.png``, each page scanned with
axe-core."""

from conftest import honour
from plone import api
from plone.app.testing import logout

import pytest
import transaction


TITLE = "Tham quan, học tập mô hình dân vận khéo"


@pytest.fixture
def model(http_world, functional_portal):
    api.portal.set_registry_record("plone.default_language", "vi")
    candidate = honour(functional_portal, http_world.province_candidate)
    logout()
    transaction.commit()
    return candidate


def choose_model(page, model):
    """Pick a model in Plone's content browser as a person does: open it,
    go down the columns from the province to the movement, click the model
    and select it."""
    field = page.locator("#formfield-form-widgets-models")
    field.locator(".content-browser-selected-items-wrapper a.btn").click()
    browser = page.locator(".content-browser").first
    path = model.getPhysicalPath()[2:]  # below the site
    for depth in range(1, len(path) + 1):
        where = "/" + "/".join(path[:depth])
        browser.locator(f'.contentItem:has(.item-title[title^="{where}:"])').click()
    browser.locator("button", has_text=model.title).click()
    assert model.title in field.inner_text()


def test_a_site_visit_is_recorded_published_and_seen(http_world, model, walker):
    walk = walker("replication-")
    ward = http_world.ward
    officer = walk.person(http_world.users[("ward", "UnitOfficer")])
    officer.goto(f"{ward.absolute_url()}/++add++Activity")
    officer.fill("#form-widgets-IBasic-title", TITLE)
    officer.select_option("#form-widgets-activity_kind", "site_visit")
    officer.fill("#form-widgets-activity_date", "2025-03-14")
    choose_model(officer, model)
    officer.fill("#form-widgets-participants", "40")
    officer.fill("#form-widgets-outlet", "Đài Phát thanh - Truyền hình tỉnh")
    walk.look(officer, "add-form")
    walk.click(officer, "#form-buttons-save")
    walk.look(officer, "added")
    page = officer.locator("#content").inner_text()
    assert TITLE in page and "14/03/2025" in page and model.title in page
    assert "Nội bộ" in page  # internal until the secretary makes it public
    transaction.begin()
    [visit] = [item for item in ward.objectValues() if item.title == TITLE]
    assert [relation.to_object for relation in visit.models] == [model]
    assert api.content.get_state(visit) == "internal"

    secretary = walk.person(http_world.users[("ward", "CouncilSecretary")])
    secretary.goto(visit.absolute_url())
    walk.look(secretary, "secretary-sees-the-visit")
    walk.click(secretary, "#chain-step-publish button")
    walk.look(secretary, "published")
    assert "Đã thực hiện" in secretary.locator("#global_statusmessage").inner_text()
    transaction.begin()
    assert api.content.get_state(visit) == "published"

    visitor = walk.person()
    visitor.goto(model.absolute_url())
    walk.look(visitor, "model-public-page")
    section = visitor.locator("#thidua-replication").inner_text()
    assert "Nhân rộng điển hình" in section
    assert TITLE in section and "14/03/2025" in section
    assert "Đài Phát thanh - Truyền hình tỉnh" in section
    assert "Tham quan, học tập kinh nghiệm" in section or "Tham quan" in section
    for number in ("0912345678", "001234567890"):
        assert number not in visitor.content()
    with visitor.expect_navigation():
        visitor.locator("#thidua-replication a", has_text=TITLE).click()
    walk.look(visitor, "visit-public-page")
    assert model.title in visitor.locator("#content").inner_text()
    walk.assert_accessible()
