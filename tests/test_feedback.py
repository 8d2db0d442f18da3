"""Public-notice feedback (``@@gop-y``): posted by Anonymous through the WSGI
server, kept with the candidate, shown to its unit's staff only."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from thidua.chains.status import force_state
from thidua.forms import feedback
from thidua.forms import spam
from thidua.testing import authenticator
from thidua.testing import logged_in
from thidua.testing import PASSWORD

import csv
import io
import pytest
import re
import requests
import transaction


@pytest.fixture(autouse=True)
def no_counts():
    spam.forget()
    yield
    spam.forget()


@pytest.fixture
def candidate(http_world, functional_portal):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    force_state(http_world.province_candidate, "public_notice")
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return http_world.province_candidate


def send(candidate, text="Hộ này chưa hoàn thành nghĩa vụ thuế năm 2023.", **fields):
    session = requests.Session()
    page = session.get(f"{candidate.absolute_url()}/@@gop-y", timeout=30)
    assert page.status_code == 200, page.text
    data = {
        "form.widgets.text": text,
        "form.widgets.name": "Trần Thị B",
        "form.widgets.email": "b@example.vn",
        "form.widgets.website": "",
        "form.buttons.send": "Gửi",
        "_authenticator": authenticator(page.text),
        **fields,
    }
    return session.post(f"{candidate.absolute_url()}/@@gop-y", data=data, timeout=30)


def stored(candidate):
    transaction.begin()
    return feedback.entries(candidate)


def test_anonymous_sends_feedback_kept_with_the_candidate(candidate):
    response = send(candidate)
    assert response.status_code == 200
    assert response.url == candidate.absolute_url()
    [entry] = stored(candidate)
    assert entry["text"] == "Hộ này chưa hoàn thành nghĩa vụ thuế năm 2023."
    assert entry["name"] == "Trần Thị B"
    assert entry["email"] == "b@example.vn"
    # Not in the catalog's text.
    catalog = api.portal.get_tool("portal_catalog")
    text = catalog.getIndexDataForUID("/".join(candidate.getPhysicalPath()))["SearchableText"]
    assert "nghĩa vụ thuế" not in text


def test_feedback_without_the_token_is_refused(candidate):
    response = requests.post(
        f"{candidate.absolute_url()}/@@gop-y",
        data={"form.widgets.text": "Không có mã", "form.buttons.send": "Gửi"},
        timeout=30,
    )
    assert response.status_code == 403
    assert stored(candidate) == []


def test_hidden_from_anonymous_and_other_units_shown_to_the_secretary(candidate, http_world):
    send(candidate)
    page = requests.get(candidate.absolute_url(), timeout=30)
    assert page.status_code == 200
    assert "nghĩa vụ thuế" not in page.text
    other = logged_in(api.portal.get(), http_world.users[("ward", "CouncilSecretary")], PASSWORD)
    page = other.get(candidate.absolute_url(), timeout=30)
    assert page.status_code == 200
    assert "nghĩa vụ thuế" not in page.text
    assert "thidua-feedback" not in page.text
    secretary = logged_in(
        api.portal.get(), http_world.users[("province", "CouncilSecretary")], PASSWORD
    )
    page = secretary.get(candidate.absolute_url(), timeout=30)
    assert 'id="thidua-feedback"' in page.text
    # The chain panel counts the opinions and leads to them.
    panel = page.text.split('id="thidua-chain-panel"')[1].split("</section>")[0]
    assert re.search(r'href="#thidua-feedback"[^>]*>\s*Public feedback: 1', panel), panel
    assert "Hộ này chưa hoàn thành nghĩa vụ thuế năm 2023." in page.text
    assert "Trần Thị B" in page.text
    worklist = secretary.get(f"{api.portal.get().absolute_url()}/@@viec-can-lam", timeout=30)
    assert 'thidua-feedback-count">1' in worklist.text.replace("\n", "").replace("  ", "")


def test_the_export_carries_feedback_for_staff_only(candidate, http_world):
    send(candidate)
    url = f"{http_world.province_plan.absolute_url()}/@export"
    officer = (http_world.users[("province", "UnitOfficer")], PASSWORD)
    accept = {"Accept": "application/json", "Accept-Language": "vi"}
    response = requests.get(url, params={"format": "csv"}, auth=officer, headers=accept, timeout=30)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = rows[0].index("Góp ý công khai")
    [row] = [row for row in rows[1:] if row[0] == candidate.title]
    assert "Trần Thị B <b@example.vn>: Hộ này chưa hoàn thành nghĩa vụ thuế" in row[column]
    overseer = (http_world.users[("ward", "UnitOfficer")], PASSWORD)
    response = requests.get(
        url, params={"format": "csv"}, auth=overseer, headers=accept, timeout=30
    )
    assert response.status_code == 401
    secretary = (http_world.users[("province", "CouncilSecretary")], PASSWORD)
    response = requests.get(
        url, params={"format": "csv"}, auth=secretary, headers=accept, timeout=30
    )
    assert "nghĩa vụ thuế" in response.content.decode("utf-8-sig")


def test_a_filled_honeypot_stores_nothing(candidate):
    response = send(candidate, **{"form.widgets.website": "http://spam.example"})
    assert response.status_code == 200
    assert stored(candidate) == []


def test_a_burst_over_the_rate_limit_stores_no_more(candidate):
    for number in range(spam.LIMIT + 2):
        send(candidate, text=f"Ý kiến {number}")
    assert len(stored(candidate)) == spam.LIMIT


def test_no_feedback_outside_public_notice(http_world, functional_portal):
    """An honoured candidate is public, but takes no feedback."""
    candidate = http_world.province_candidate
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    force_state(candidate, "honoured")
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    session = requests.Session()
    page = session.get(f"{candidate.absolute_url()}/@@gop-y", timeout=30)
    assert page.status_code == 200
    assert "does not take feedback now" in page.text
    assert "form.buttons.send" not in page.text
    response = session.post(
        f"{candidate.absolute_url()}/@@gop-y",
        data={
            "form.widgets.text": "Muộn rồi",
            "form.buttons.send": "Gửi",
            "_authenticator": authenticator(page.text),
        },
        timeout=30,
    )
    assert response.status_code == 200
    assert stored(candidate) == []
