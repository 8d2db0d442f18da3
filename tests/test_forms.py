"""Public forms (thidua.forms): the EasyForm action "Tạo hồ sơ điển hình",
submitted by Anonymous through the WSGI server as a browser posts the form."""

from email import message_from_bytes
from email.header import decode_header
from email.header import make_header
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import TEST_USER_ID
from thidua.delegation import group_id
from thidua.forms import spam
from thidua.testing import recording_mailhost
from thidua.testing import SENT

import base64
import pytest
import re
import requests
import transaction


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

FIELDS_MODEL = """<model xmlns="http://namespaces.plone.org/supermodel/schema"
       xmlns:easyform="http://namespaces.plone.org/supermodel/easyform">
  <schema>
    <field name="ten" type="zope.schema.TextLine"><title>Họ và tên</title></field>
    <field name="loai" type="zope.schema.Choice">
      <title>Loại</title><required>False</required>
      <values><element>individual</element><element>collective</element>
              <element>household</element><element>robot</element></values>
    </field>
    <field name="co_quan" type="zope.schema.TextLine">
      <title>Cơ quan</title><required>False</required></field>
    <field name="nam" type="zope.schema.Int"><title>Năm</title><required>False</required></field>
    <field name="thanh_tich" type="zope.schema.Text"><title>Thành tích</title></field>
    <field name="dien_thoai" type="zope.schema.TextLine">
      <title>Điện thoại</title><required>False</required></field>
    <field name="cccd" type="zope.schema.TextLine">
      <title>CCCD</title><required>False</required></field>
    <field name="thu" type="plone.schema.email.Email"><title>Thư điện tử</title></field>
    <field name="anh" type="plone.namedfile.field.NamedBlobImage">
      <title>Ảnh</title><required>False</required></field>
    <field name="ho_so" type="plone.namedfile.field.NamedBlobFile">
      <title>Hồ sơ</title><required>False</required></field>
    <field name="website" type="zope.schema.TextLine" easyform:THidden="True">
      <title>Website</title><required>False</required></field>
  </schema>
</model>"""

ACTIONS_MODEL = """<model xmlns="http://namespaces.plone.org/supermodel/schema">
  <schema>
    <field name="tao_ho_so" type="thidua.forms.action.CreateCandidate">
      <title>Tạo hồ sơ điển hình</title>
      <movement>{uid}</movement>
      <title_field>ten</title_field>
      <kind_field>loai</kind_field>
      <organisation_field>co_quan</organisation_field>
      <year_field>nam</year_field>
      <achievements_field>thanh_tich</achievements_field>
      <phone_field>dien_thoai</phone_field>
      <id_number_field>cccd</id_number_field>
      <email_field>thu</email_field>
      <photo_field>anh</photo_field>
      <attachments_fields><element>ho_so</element></attachments_fields>
      <submitter_email_field>thu</submitter_email_field>
      <honeypot_field>website</honeypot_field>
    </field>
  </schema>
</model>"""


@pytest.fixture
def portal(functional_portal):
    return functional_portal


@pytest.fixture
def world(http_world):
    return http_world


@pytest.fixture
def mailhost(portal):
    return recording_mailhost(portal)


@pytest.fixture(autouse=True)
def no_counts():
    spam.forget()
    yield
    spam.forget()


def make_form(portal, movement, form_id="de-cu", owner=None):
    """A public form whose action fills ``movement``, owned by ``owner`` (the
    site's owner by default)."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    folder = portal.get("bieu-mau") or api.content.create(
        container=portal, type="Folder", id="bieu-mau", title="Biểu mẫu"
    )
    for item in (folder, None):
        if item is not None and api.content.get_state(item, default=None) not in (
            None,
            "published",
        ):
            api.content.transition(obj=item, to_state="published")
    form = api.content.create(
        container=folder,
        type="EasyForm",
        id=form_id,
        title="Đề cử điển hình",
        fields_model=FIELDS_MODEL,
        actions_model=ACTIONS_MODEL.format(uid=movement.UID()),
    )
    if api.content.get_state(form, default=None) not in (None, "published"):
        api.content.transition(obj=form, to_state="published")
    users = portal.acl_users if owner else portal.getPhysicalRoot().acl_users
    form.changeOwnership(users.getUserById(owner or SITE_OWNER_NAME).__of__(users))
    setRoles(portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return form


@pytest.fixture
def form(portal, world, mailhost):
    return make_form(portal, world.province_movement)


def post(form, fields=None, files=None, session=None):
    """Anonymous posts the form as a browser does: the page first, then its fields."""
    session = session or requests.Session()
    page = session.get(form.absolute_url(), timeout=30)
    assert page.status_code == 200, page.text
    data = {
        "form.widgets.ten": "Hợp tác xã Tiến Bộ",
        "form.widgets.loai:list": "collective",
        "form.widgets.loai-empty-marker": "1",
        "form.widgets.co_quan": "Xã Tân Hải",
        "form.widgets.nam": "2024",
        "form.widgets.thanh_tich": "Ba năm liền dẫn đầu phong trào.\nMở rộng sản xuất.",
        "form.widgets.dien_thoai": "0912345678",
        "form.widgets.cccd": "001234567890",
        "form.widgets.thu": "nguoi.de.cu@example.vn",
        "form.widgets.website": "",
        "form.buttons.submit": "Gửi",
        **(fields or {}),
    }
    token = re.search(r'name="_authenticator"[^>]* value="([^"]+)"', page.text)
    if token:
        data["_authenticator"] = token.group(1)
    uploads = {
        "form.widgets.anh": ("anh.png", PNG, "image/png"),
        "form.widgets.ho_so": ("bien-ban.pdf", b"%PDF-1.4 bien ban", "application/pdf"),
    }
    uploads.update(files or {})
    return session.post(form.absolute_url(), data=data, files=uploads, timeout=60)


def candidates(movement):
    transaction.begin()
    return {
        item.getId(): item for item in movement.objectValues() if item.portal_type == "Candidate"
    }


def sent(mailhost=None):
    result = []
    for raw in SENT:
        message = message_from_bytes(raw if isinstance(raw, bytes) else raw.encode())
        subject = str(make_header(decode_header(message["Subject"])))
        body = message.get_payload(decode=True).decode(message.get_content_charset())
        result.append((message["To"], subject, body))
    return sorted(result)


def test_a_valid_submission_creates_a_draft_candidate_owned_by_the_unit(form, world, mailhost):
    before = set(candidates(world.province_movement))
    response = post(form)
    assert response.status_code == 200, response.text
    created = [c for key, c in candidates(world.province_movement).items() if key not in before]
    assert len(created) == 1, response.text
    candidate = created[0]
    assert candidate.title == "Hợp tác xã Tiến Bộ"
    assert candidate.kind == "collective"
    assert candidate.organisation == "Xã Tân Hải"
    assert candidate.year == 2024
    assert "Ba năm liền dẫn đầu phong trào.<br />Mở rộng sản xuất." in candidate.achievements.raw
    assert candidate.phone == "0912345678"
    assert candidate.id_number == "001234567890"
    assert candidate.email == "nguoi.de.cu@example.vn"
    assert candidate.image.data == PNG
    assert candidate.image.contentType == "image/png"
    files = [item for item in candidate.objectValues() if item.portal_type == "File"]
    assert [item.file.data for item in files] == [b"%PDF-1.4 bien ban"]
    assert api.content.get_state(candidate) == "draft"
    officers = group_id(world.province, "UnitOfficer")
    assert tuple(candidate.creators) == (officers,)
    assert "Owner" in dict(candidate.get_local_roles())[officers]
    assert all(principal != "Anonymous User" for principal, _ in candidate.get_local_roles())
    # Personal data is not searchable.
    catalog = api.portal.get_tool("portal_catalog")
    text = catalog.getIndexDataForUID("/".join(candidate.getPhysicalPath()))["SearchableText"]
    assert "0912345678" not in text
    assert "001234567890" not in text
    # The anonymous submitter cannot see it afterwards; the unit's officer edits it.
    response = requests.get(candidate.absolute_url(), timeout=30)
    assert "login" in response.url
    assert "Hợp tác xã Tiến Bộ" not in response.text
    officer = world.users[("province", "UnitOfficer")]
    with api.env.adopt_user(username=officer):
        assert api.user.has_permission("Modify portal content", obj=candidate)
    with api.env.adopt_user(username=world.users[("ward", "UnitOfficer")]):
        assert not api.user.has_permission("View", obj=candidate)
    mails = sent(mailhost)
    assert [to for to, _, _ in mails] == ["nguoi.de.cu@example.vn", f"{officer}@example.vn"]
    for _to, subject, body in mails:
        assert "Hợp tác xã Tiến Bộ" in subject
        assert "0912345678" not in body
        assert "001234567890" not in body
    assert candidate.absolute_url() not in mails[0][2]
    assert candidate.absolute_url() in mails[1][2]


@pytest.mark.parametrize(
    "fields, files, message",
    [
        # The form's own checks,
        ({"form.widgets.ten": ""}, None, "Required input is missing"),
        ({"form.widgets.thu": "not-an-address"}, None, "The specified email is not valid"),
        ({}, {"form.widgets.anh": ("anh.txt", b"not an image", "text/plain")}, "Invalid image"),
        # then the candidate's, shown on the form field that holds the value.
        ({"form.widgets.nam": "1800"}, None, "The year is between 1945 and"),
        ({"form.widgets.loai:list": "robot"}, None, "Constraint not satisfied"),
        (
            {"form.widgets.cccd": "12ab"},
            None,
            "The citizen identity number (CCCD) is exactly 12 digits",
        ),
    ],
)
def test_invalid_input_creates_nothing(form, world, mailhost, fields, files, message):
    before = set(candidates(world.province_movement))
    response = post(form, fields, files)
    assert response.status_code == 200
    assert set(candidates(world.province_movement)) == before
    assert SENT == []
    assert f'invalid-feedback">{message}' in response.text


def test_a_filled_honeypot_creates_nothing(form, world, mailhost):
    before = set(candidates(world.province_movement))
    response = post(form, {"form.widgets.website": "http://spam.example"})
    assert "Your submission could not be accepted" in response.text
    assert set(candidates(world.province_movement)) == before
    assert SENT == []


def test_a_burst_over_the_rate_limit_creates_no_more(form, world, mailhost):
    before = set(candidates(world.province_movement))
    for number in range(spam.LIMIT):
        post(form, {"form.widgets.ten": f"Điển hình {number}"})
    assert len(set(candidates(world.province_movement)) - before) == spam.LIMIT
    response = post(form, {"form.widgets.ten": "Một lần quá nhiều"})
    assert len(set(candidates(world.province_movement)) - before) == spam.LIMIT
    titles = {c.title for c in candidates(world.province_movement).values()}
    assert "Một lần quá nhiều" not in titles
    assert "Too many submissions from your address" in response.text


def test_a_closed_movement_takes_no_nomination(portal, form, world, mailhost):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.content.transition(obj=world.province_movement, transition="close")
    transaction.commit()
    before = set(candidates(world.province_movement))
    post(form)
    assert set(candidates(world.province_movement)) == before


def test_a_form_owned_by_another_unit_cannot_fill_the_movement(portal, world, mailhost):
    """Its owner may not register candidates there: nothing is created."""
    ward_officer = world.users[("ward", "UnitOfficer")]
    form = make_form(portal, world.province_movement, "lac-de", owner=ward_officer)
    before = set(candidates(world.province_movement))
    response = post(form)
    assert "This form does not accept nominations now" in response.text
    assert set(candidates(world.province_movement)) == before
    own = make_form(
        portal,
        world.province_movement,
        "de-cu-tinh",
        owner=world.users[("province", "UnitOfficer")],
    )
    post(own)
    assert len(set(candidates(world.province_movement)) - before) == 1


def test_anonymous_cannot_add_candidates_otherwise(form, world):
    response = requests.get(
        f"{world.province_movement.absolute_url()}/++add++Candidate", timeout=30
    )
    assert response.status_code in (401, 403) or "login" in response.url
    response = requests.post(
        world.province_movement.absolute_url(),
        json={"@type": "Candidate", "title": "Không được"},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code in (401, 403)


def test_upgrade_installs_easyform_on_existing_sites(integration):
    """Sites made before 1005 have no easyform; the 1005 upgrade installs it."""
    from plone.base.utils import get_installer
    from thidua.upgrades.easyform import install_easyform

    portal = integration["portal"]
    installer = get_installer(portal)
    installer.uninstall_product("collective.easyform")
    assert not installer.is_product_installed("collective.easyform")
    install_easyform(api.portal.get_tool("portal_setup"))
    assert installer.is_product_installed("collective.easyform")
    assert "EasyForm" in api.portal.get_tool("portal_types")


def settings(form):
    from collective.easyform.api import get_actions
    from thidua.forms.action import ICreateCandidate

    action = get_actions(form)["tao_ho_so"]
    return {name: getattr(action, name) for name in ICreateCandidate.names()}


def test_the_action_settings_survive_export_and_import(portal, form, world):
    """An administrator edits the actions (easyform re-serializes them), exports
    the form and imports it into another: the settings are all there."""
    from collective.easyform.api import get_actions
    from collective.easyform.api import set_actions
    from thidua.testing import ADMIN
    from thidua.testing import authenticator

    expected = settings(form)
    assert expected["movement"] == world.province_movement.UID()
    assert expected["attachments_fields"] == ["ho_so"]
    assert expected["honeypot_field"] == "website"
    set_actions(form, get_actions(form))
    assert settings(form) == expected
    setRoles(portal, TEST_USER_ID, ["Manager"])
    copy = api.content.create(container=form.__parent__, type="EasyForm", id="ban-sao", title="x")
    transaction.commit()
    session = requests.Session()
    session.auth = ADMIN
    archive = session.get(f"{form.absolute_url()}/@@export-easyform", timeout=30)
    assert archive.status_code == 200
    page = session.get(f"{copy.absolute_url()}/@@import-easyform", timeout=30)
    response = session.post(
        f"{copy.absolute_url()}/@@import-easyform",
        data={"form.buttons.import": "import", "_authenticator": authenticator(page.text)},
        files={"form.widgets.upload": ("form.tar.gz", archive.content, "application/x-gzip")},
        timeout=60,
    )
    assert response.status_code == 200
    transaction.begin()
    assert settings(copy) == expected


def test_forms_stay_readable_when_thidua_is_uninstalled(portal, form):
    from plone.base.utils import get_installer

    setRoles(portal, TEST_USER_ID, ["Manager"])
    get_installer(portal).uninstall_product("thidua")
    transaction.commit()
    response = requests.get(form.absolute_url(), timeout=30)
    assert response.status_code == 200
    assert "Họ và tên" in response.text
    assert settings(form)["movement"]


@pytest.fixture
def demo(portal, mailhost):
    from plone.app.testing import applyProfile

    setRoles(portal, TEST_USER_ID, ["Manager"])
    applyProfile(portal, "thidua:demo")
    setRoles(portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return portal


def test_the_demo_nomination_form_fills_a_movement_of_plan_126(demo):
    form = demo["bieu-mau"]["de-cu-nong-thon-moi"]
    movement = demo["brvt"]["kh-126-2021"]["nong-thon-moi"]
    before = set(candidates(movement))
    session = requests.Session()
    page = session.get(form.absolute_url(), timeout=30)
    assert "Gửi đề cử" in page.text
    response = session.post(
        form.absolute_url(),
        data={
            "form.widgets.ten": "Chi hội nông dân ấp Tân Phước",
            "form.widgets.loai:list": "collective",
            "form.widgets.loai-empty-marker": "1",
            "form.widgets.thanh_tich": "Hiến đất làm đường liên ấp.",
            "form.widgets.nguoi_gui": "Lê Văn C",
            "form.widgets.thu_nguoi_gui": "c@example.vn",
            "form.buttons.submit": "Gửi đề cử",
            "_authenticator": re.search(r'name="_authenticator" value="([^"]+)"', page.text)[1],
        },
        timeout=60,
    )
    assert response.status_code == 200
    [new] = [c for key, c in candidates(movement).items() if key not in before]
    assert new.title == "Chi hội nông dân ấp Tân Phước"
    assert api.content.get_state(new) == "draft"
    assert "BRVT-UnitOfficer" in dict(new.get_local_roles())
    assert "brvt-canbo@" in " ".join(to for to, _, _ in sent(None))


def test_the_demo_writing_contest_stores_and_exports_its_entries(demo):
    from collective.easyform.api import get_actions
    from thidua.testing import ADMIN

    form = demo["bieu-mau"]["cuoc-thi-viet"]
    session = requests.Session()
    page = session.get(form.absolute_url(), timeout=30)
    data = {
        "form.widgets.tac_gia": "Phạm Thị D",
        "form.widgets.thu": "d@example.vn",
        "form.widgets.nhan_vat": "Ông Nguyễn Văn E, người giữ rừng",
        "form.widgets.ten_bai": "Ba mươi năm giữ rừng",
        "form.widgets.bai_viet": "Mỗi sáng ông đi tuần quanh núi.",
        "form.widgets.website": "",
        "form.buttons.submit": "Gửi bài dự thi",
    }
    token = re.search(r'name="_authenticator" value="([^"]+)"', page.text)
    if token:
        data["_authenticator"] = token[1]
    assert session.post(form.absolute_url(), data=data, timeout=60).status_code == 200
    spammed = {**data, "form.widgets.website": "http://spam.example"}
    assert session.post(form.absolute_url(), data=spammed, timeout=60).status_code == 200
    transaction.begin()
    saver = get_actions(form)["bai_du_thi"]
    [row] = saver.getSavedFormInput()
    assert row["ten_bai"] == "Ba mươi năm giữ rừng"
    download = requests.get(
        f"{form.absolute_url()}/actions/bai_du_thi/@@data",
        params={"form.buttons.download": "1"},
        auth=ADMIN,
        timeout=60,
    )
    assert download.status_code == 200
    assert download.content.startswith(b"PK")  # xlsx
    anonymous = requests.get(
        f"{form.absolute_url()}/actions/bai_du_thi/@@data",
        params={"form.buttons.download": "1"},
        timeout=60,
    )
    assert not anonymous.content.startswith(b"PK")
