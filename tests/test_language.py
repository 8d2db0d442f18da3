"""A Vietnamese site speaks Vietnamese on thidua's pages, Plone's own strings
included: the status messages, form errors, history, search, 404, login and
confirmation pages, fetched over HTTP as Anonymous and as a unit officer.
Plone's Vietnamese catalogue lacks these; thidua's plone.po, z3c.form.po and
plone.z3cform.po give them."""

from html.parser import HTMLParser
from plone import api
from thidua.chains.status import force_state
from thidua.testing import authenticator
from thidua.testing import logged_in

import pytest
import re
import requests
import transaction


HTML = {"Accept": "text/html"}

# English a Vietnamese user must not meet, and what they read instead.
ENGLISH = (
    "Info:",
    "Error:",
    "Item created",
    "Changes saved",
    "Edit cancelled",
    "There were some errors.",
    "The entered value is not a valid integer literal.",
    "No value",
    "Settings",
    "Short name",
    "Lead Image",
    "Summary",
    "Change Note",
    "Revert",
    "Compare",
    "Search results for",
    "Filter the results",
    "Sort by",
    "This page does not seem to exist",
    "We apologize for the inconvenience",
    "Trouble logging in?",
    "Get help",
    "Confirming User Action",
    "Confirm that you'd like to perform this action.",
    "Powered by Plone",
    "Toggle navigation",
)


class VisibleText(HTMLParser):
    """The text a reader sees: no script, style or svg; titles, placeholders
    and button values included."""

    HIDDEN = {"script", "style", "svg"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attrs = dict(attrs)
        for name in ("title", "placeholder", "aria-label"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible(response):
    parser = VisibleText()
    parser.feed(response.text)
    return "\n".join(parser.parts)


# Short words, looked for as a whole line of text (the byline's "by").
ENGLISH_WORDS = ("by", "Save", "Cancel", "What")


def english_in(text):
    lines = set(text.splitlines())
    return [phrase for phrase in ENGLISH if phrase in text] + [
        word for word in ENGLISH_WORDS if word in lines
    ]


@pytest.fixture
def site(http_world, functional_portal):
    api.portal.set_registry_record("plone.default_language", "vi")
    force_state(http_world.province_candidate, "public_notice")
    transaction.commit()
    return http_world


def anonymous_pages(portal, world):
    url = portal.absolute_url()
    get = requests.Session().get
    return {
        "home": get(url, headers=HTML),
        "units": get(f"{url}/@@don-vi", headers=HTML),
        "honour board": get(f"{url}/@@honour-board", headers=HTML),
        "unit": get(world.province.absolute_url(), headers=HTML),
        "candidate": get(world.province_candidate.absolute_url(), headers=HTML),
        "search": get(f"{url}/@@search", params={"SearchableText": "Nguyễn"}, headers=HTML),
        "404": get(f"{url}/nowhere", headers=HTML),
        "login": get(f"{url}/login", headers=HTML),
        "failed login": requests.post(
            f"{url}/login",
            data={"__ac_name": "nobody", "__ac_password": "wrong", "buttons.login": "Log in"},
            headers=HTML,
            timeout=60,
        ),
    }


def officer_pages(portal, world):
    session = logged_in(portal, world.users[("province", "UnitOfficer")])
    movement = world.province_movement.absolute_url()
    add = session.get(f"{movement}/++add++Candidate", headers=HTML)
    form = {
        "form.widgets.IBasic.title": "Trần Thị Thử",
        "form.widgets.kind:list": "individual",
        "form.widgets.kind-empty-marker": "1",
        "form.widgets.year": "năm ngoái",
        "form.buttons.save": "Lưu",
        "_authenticator": authenticator(add.text),
    }
    refused = session.post(f"{movement}/++add++Candidate", data=form, headers=HTML)
    created = session.post(
        f"{movement}/++add++Candidate", data={**form, "form.widgets.year": "2024"}, headers=HTML
    )
    item = created.url.removesuffix("/view")
    edit = session.get(f"{item}/edit", headers=HTML)
    token = authenticator(edit.text)
    saved = session.post(
        f"{item}/edit",
        data={**form, "form.widgets.year": "2024", "_authenticator": token},
        headers=HTML,
    )
    cancelled = session.post(
        f"{item}/edit", data={"form.buttons.cancel": "Hủy", "_authenticator": token}, headers=HTML
    )
    url = portal.absolute_url()
    return {
        "add form": add,
        "add refused": refused,
        "created": created,
        "edit form": edit,
        "saved": saved,
        "cancelled": cancelled,
        "history": session.get(f"{item}/@@historyview", headers=HTML),
        "worklist": session.get(f"{url}/@@viec-can-lam", headers=HTML),
        "candidate": session.get(world.province_candidate.absolute_url(), headers=HTML),
        "search": session.get(f"{url}/@@search", params={"SearchableText": "Thử"}, headers=HTML),
        "confirm": session.get(
            f"{url}/@@confirm-action",
            params={"original_url": f"{url}/@@viec-can-lam", "_authenticator": token},
            headers=HTML,
        ),
    }


def test_anonymous_reads_vietnamese(site, functional_portal):
    pages = anonymous_pages(functional_portal, site)
    assert pages["404"].status_code == 404
    found = {name: english_in(visible(page)) for name, page in pages.items()}
    assert {name: phrases for name, phrases in found.items() if phrases} == {}
    text = {name: visible(page) for name, page in pages.items()}
    assert "Kết quả tìm kiếm cho" in text["search"]
    assert "Trang này dường như không tồn tại" in text["404"]
    assert "Không đăng nhập được?" in text["login"]
    assert "Lỗi:" in text["failed login"]
    assert "Vận hành bởi Plone" in text["home"]


def test_unit_officer_reads_vietnamese(site, functional_portal):
    pages = officer_pages(functional_portal, site)
    assert pages["created"].url.endswith("/view"), pages["created"].url
    found = {name: english_in(visible(page)) for name, page in pages.items()}
    assert {name: phrases for name, phrases in found.items() if phrases} == {}
    text = {name: visible(page) for name, page in pages.items()}
    assert "Có lỗi, xin xem các trường được đánh dấu." in text["add refused"]
    assert "Giá trị đã nhập không phải là một số nguyên." in text["add refused"]
    assert "Thông tin:" in text["created"] and "Đã tạo mục mới" in text["created"]
    assert "Đã lưu các thay đổi" in text["saved"]
    assert "Đã hủy chỉnh sửa" in text["cancelled"]
    for label in ("Thiết lập", "Tên rút gọn", "Tóm tắt", "Ảnh đại diện", "Lưu", "Hủy"):
        assert label in text["edit form"], label
    for heading in ("Nhật ký", "So sánh", "Khôi phục", "Tạo mới"):
        assert heading in text["history"].splitlines(), heading
    assert "Xác nhận thao tác của người dùng." in text["confirm"]
    assert re.search(r"\b2\.024\b", text["edit form"]) is None
