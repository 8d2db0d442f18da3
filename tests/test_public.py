"""The public portal through the real WSGI server: the home page, the tabs
that reach the units and the honour board, and a candidate's page made for
citizens (no personal data, no technical field, dates dd/mm/yyyy, years
without a thousands separator)."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobImage
from thidua.chains.status import force_state
from thidua.deadlines import item_deadlines
from thidua.public import ensure_home
from thidua.public import HOME_VIEW
from thidua.testing import logged_in

import base64
import datetime
import html
import pytest
import re
import requests
import transaction


PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PERSONAL = ("0912345678", "001234567890", "0987654321", "079123456789")
TECHNICAL = ("Settings", "Short name", "Lead Image", "Lead image", "Cài đặt", ">Yes<", ">No<")


@pytest.fixture
def site(http_world, functional_portal):
    """A Vietnamese site: an honoured model of 2023 with its photo, one in
    public notice, the province's plan in force, the ward's closed."""
    api.portal.set_registry_record("plone.default_language", "vi")
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    world = http_world
    world.province_plan.document_number = "1043/KH-UBND"
    world.province_plan.issued_date = datetime.date(2021, 3, 9)
    world.province_plan.reindexObject()
    honoured = api.content.create(
        container=world.province_movement,
        type="Candidate",
        id="lqd",
        title="Trường THPT Lê Quý Đôn",
        kind="collective",
        organisation="Sở Giáo dục",
        year=2023,
        honour_form="bang_khen_chu_tich_tinh",
        honoured_date=datetime.date(2023, 5, 10),
        phone="0987654321",
        id_number="079123456789",
        achievements=RichTextValue("<p>Mười năm liền đạt chuẩn quốc gia.</p>"),
        image=NamedBlobImage(data=PIXEL, filename="portrait.png"),
        image_caption="Ảnh chụp năm 2023",
    )
    force_state(honoured, "honoured")
    force_state(world.province_candidate, "public_notice")
    force_state(world.ward_plan, "closed")
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    world.honoured = honoured
    return world


def page(url, session=None, **params):
    response = (session or requests).get(url, params=params, timeout=60)
    assert response.status_code == 200, response.text[:500]
    return html.unescape(response.text)


class TestHome:
    def test_is_the_site_view(self, site, functional_portal):
        assert functional_portal.getLayout() == HOME_VIEW
        text = page(functional_portal.absolute_url())
        assert "Điển hình tiên tiến mới được tôn vinh" in text
        assert "Trường THPT Lê Quý Đôn" in text
        assert "10/05/2023" in text
        assert "2023-05-10" not in text

    def test_units_plans_and_search(self, site, functional_portal):
        text = page(functional_portal.absolute_url())
        units = text.split('class="list-unstyled thidua-units"')[1].split("</ul>")[0]
        assert re.findall(r">([^<]+)</a>", units) == ["Tỉnh", "Phường"]
        plans = text.split('id="thidua-home-plans"')[1].split("</section>")[0]
        assert "Kế hoạch" in plans and "1043/KH-UBND" in plans
        assert "ban hành ngày 09/03/2021" in " ".join(re.sub(r"<[^>]+>", "", plans).split())
        # The ward's plan is closed: no longer in force.
        assert plans.count("<li") == 1
        assert f'action="{functional_portal.absolute_url()}/@@search"' in text
        assert 'name="SearchableText"' in text

    def test_no_personal_data(self, site, functional_portal):
        text = page(functional_portal.absolute_url())
        assert not [value for value in PERSONAL if value in text]


class TestNavigation:
    def test_tabs_reach_the_units_and_the_honour_board(self, site, functional_portal):
        text = page(functional_portal.absolute_url())
        nav = text.split('id="portal-globalnav"')[1].split("</nav>")[0]
        url = functional_portal.absolute_url()
        assert re.search(rf'href="{url}/@@don-vi"[^>]*>\s*(<span>)?Đơn vị', nav), nav
        assert re.search(rf'href="{url}/@@honour-board"[^>]*>\s*(<span>)?Bảng vàng', nav), nav
        units = page(f"{url}/@@don-vi")
        assert f'href="{site.ward.absolute_url()}"' in units
        assert f'href="{site.province.absolute_url()}/@@honour-board"' in units
        board = page(f"{url}/@@honour-board")
        assert "Trường THPT Lê Quý Đôn" in board and "10/05/2023" in board

    def test_upgrade_restores_the_home_and_the_tabs(self, functional_portal):
        from thidua.upgrades import v1005

        tabs = functional_portal.portal_actions.portal_tabs
        tabs.manage_delObjects(["thidua-units", "thidua-honour-board"])
        functional_portal.setLayout("listing_view")
        v1005.upgrade(functional_portal.portal_setup)
        assert functional_portal.getLayout() == HOME_VIEW
        assert {"thidua-units", "thidua-honour-board"} <= set(tabs.objectIds())
        # Run again, nothing doubles and a renamed tab keeps its title.
        tabs["thidua-units"].title = "Các đơn vị"
        ensure_home(None)
        assert tabs["thidua-units"].title == "Các đơn vị"


class TestCandidatePage:
    def test_what_a_citizen_reads(self, site):
        text = page(site.honoured.absolute_url())
        assert "Trường THPT Lê Quý Đôn" in text
        for label, value in (
            ("Đối tượng", "Tập thể"),
            ("Cơ quan, đơn vị", "Sở Giáo dục"),
            ("Phong trào thi đua", "Phong trào"),
            ("Năm", "2023"),
            ("Ngày khen thưởng", "10/05/2023"),
        ):
            assert re.search(rf"<dt[^>]*>{label}</dt>\s*<dd[^>]*>(<a[^>]*>)?{value}<", text), label
        assert "Mười năm liền đạt chuẩn quốc gia." in text
        assert "Bằng khen" in text
        assert "2.023" not in text and "2023-05-10" not in text
        # The photo once in the page's content (the navigation portlet's
        # thumbnail aside), without its caption or any label of the field.
        content = text.split('id="portal-column-content"')[1].split('<aside id="portal-column-')[0]
        assert content.count("<img") == 1
        assert "@@images/image/preview" in content
        assert "Ảnh chụp năm 2023" not in text

    def test_no_personal_data_or_technical_field(self, site, functional_portal):
        officer = logged_in(functional_portal, site.users[("province", "UnitOfficer")])
        for session in (None, officer):
            for candidate in (site.honoured, site.province_candidate):
                text = page(candidate.absolute_url(), session=session)
                assert not [word for word in TECHNICAL if word in text], candidate
                if session is None:
                    assert not [value for value in PERSONAL if value in text], candidate
                    assert "thidua-personal-data" not in text

    def test_staff_read_the_personal_data_in_a_section_of_their_own(self, site, functional_portal):
        officer = logged_in(functional_portal, site.users[("province", "UnitOfficer")])
        text = page(site.honoured.absolute_url(), session=officer)
        section = text.split('class="thidua-personal-data')[1].split("</section>")[0]
        assert "0987654321" in section and "079123456789" in section
        assert "Thông tin cá nhân" in section

    def test_staff_keep_their_chain_panel(self, site, functional_portal):
        officer = logged_in(functional_portal, site.users[("province", "CouncilSecretary")])
        staff = page(site.province_candidate.absolute_url(), session=officer)
        assert "thidua-chain-panel" in staff
        assert "thidua-chain-panel" not in page(site.province_candidate.absolute_url())

    def test_public_notice_says_until_when_and_where_to_comment(self, site):
        text = page(site.province_candidate.absolute_url())
        end = dict(item_deadlines(site.province_candidate))["notice_end"]
        words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text))
        assert f"Nhận ý kiến đến hết ngày {end:%d/%m/%Y}." in words
        assert "thidua-opinion" in text
        assert "thidua-notice" not in page(site.honoured.absolute_url())


class TestYears:
    def test_year_fields_have_no_thousands_separator(self, site):
        auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        edit = requests.get(f"{site.honoured.absolute_url()}/edit", auth=auth, timeout=60)
        assert edit.status_code == 200
        assert re.search(r'name="form.widgets.year"[^>]*value="2023"', edit.text) or re.search(
            r'value="2023"[^>]*name="form.widgets.year"', edit.text
        )
        plan = requests.get(f"{site.province_plan.absolute_url()}/edit", auth=auth, timeout=60)
        assert "2.021" not in plan.text and 'value="2021"' in plan.text
        assert "2.021" not in page(site.province_plan.absolute_url())


class TestDates:
    @pytest.mark.parametrize("language", ["vi", "en"])
    def test_dates_of_thidua_fields_are_dd_mm_yyyy(self, site, functional_portal, language):
        api.portal.set_registry_record("plone.default_language", language)
        transaction.commit()
        text = page(site.province_plan.absolute_url())
        assert "09/03/2021" in text
        assert "3/9/21" not in text and "2021-03-09" not in text


def test_the_notice_links_to_the_feedback_form(world, portal):
    """During the notice, the page leads to the feedback form ``@@gop-y``."""
    from thidua.interfaces import IThiduaLayer
    from zope.component import getMultiAdapter
    from zope.interface import alsoProvides

    setRoles(portal, TEST_USER_ID, ["Manager"])
    force_state(world.province_candidate, "public_notice")
    request = portal.REQUEST
    alsoProvides(request, IThiduaLayer)
    candidate = world.province_candidate
    page = getMultiAdapter((candidate, request), name="view")()
    feedback = page.split('class="mb-0 thidua-opinion"')[1].split("</p>")[0]
    assert f'href="{candidate.absolute_url()}/@@gop-y"' in feedback
