"""A Candidate's staff forms: the add form holds the personal data for those
who may write it, and each value that breaks a rule (content/rules.py) is
refused with a message saying what is expected, in the Classic forms and with
a 400 naming the field in the API."""

from plone import api
from thidua.content import rules
from thidua.content.candidate import PERSONAL_DATA
from thidua.testing import authenticator
from thidua.testing import logged_in
from thidua.testing import PASSWORD
from thidua.testing import send
from zope.i18n import translate

import datetime
import html
import pytest
import re
import transaction


TODAY = datetime.date.today()

GOOD = {
    "form.widgets.IBasic.title": "Chị Trần Thị E",
    "form.widgets.kind:list": "individual",
    "form.widgets.kind-empty-marker": "1",
    "form.widgets.organisation": "Trường Tiểu học Kim Đồng",
    "form.widgets.year": "2024",
    "form.widgets.birth_date": "1986-04-30",
    "form.widgets.gender:list": "female",
    "form.widgets.gender-empty-marker": "1",
    "form.widgets.phone": "+84 912 345 678",
    "form.widgets.email": "tranthie@kimdong.edu.vn",
    "form.widgets.id_number": "079186001234",
    "form.buttons.save": "Lưu",
}

# (field, a wrong value in the form, the same in JSON, the Vietnamese message's start)
WRONG = [
    ("birth_date", "2030-01-01", "2030-01-01", "Ngày sinh phải là một ngày đã qua"),
    ("birth_date", "1890-05-05", "1890-05-05", "Ngày sinh phải là một ngày đã qua"),
    ("phone", "abc", "abc", "Số điện thoại Việt Nam gồm 10 chữ số"),
    ("phone", "0112345678", "0112345678", "Số điện thoại Việt Nam gồm 10 chữ số"),
    ("id_number", "079186001", "079186001", "Số căn cước công dân (CCCD) gồm đúng 12 chữ số"),
    ("id_number", "07918600123x", "07918600123x", "Số căn cước công dân (CCCD) gồm đúng 12 chữ số"),
    ("email", "tranthie.kimdong", "tranthie.kimdong", "Địa chỉ email có dạng"),
    ("year", "1900", 1900, "Năm phải từ 1945 đến"),
    ("quarter", "5", 5, "Quý là 1, 2, 3 hoặc 4."),
]


@pytest.fixture
def officer(functional_portal, http_world):
    """The province's unit officer, logged in, on a Vietnamese site."""
    api.portal.set_registry_record("plone.default_language", "vi")
    transaction.commit()
    return logged_in(functional_portal, http_world.users[("province", "UnitOfficer")])


def add_form(session, movement):
    page = session.get(f"{movement.absolute_url()}/++add++Candidate", timeout=60)
    assert page.status_code == 200
    return page.text


def submit(session, movement, **values):
    page = add_form(session, movement)
    data = {**GOOD, "_authenticator": authenticator(page), **values}
    return session.post(
        f"{movement.absolute_url()}/++add++Candidate", data=data, allow_redirects=False, timeout=60
    )


def field_error(page, field):
    """The text of the error shown under ``field``, or None."""
    block = re.search(
        rf'id="formfield-form-widgets-{field}"(.*?)(id="formfield-|</form>)', page, re.S
    )
    assert block is not None, field
    error = re.search(r'class="invalid-feedback">(.*?)</div>', block.group(1), re.S)
    return html.unescape(error.group(1)).strip() if error else None


def test_the_add_form_has_the_personal_data_fieldset(officer, http_world):
    page = add_form(officer, http_world.province_movement)
    assert 'id="fieldsetlegend-personal"' in page
    assert "Thông tin cá nhân" in page
    for field in PERSONAL_DATA:
        assert f'name="form.widgets.{field}' in page


def test_adding_a_candidate_with_personal_data(officer, http_world):
    movement = http_world.province_movement
    response = submit(officer, movement)
    assert response.status_code == 302, field_errors_of(response.text)
    transaction.begin()
    [added] = [c for c in movement.objectValues() if c.title == "Chị Trần Thị E"]
    assert response.headers["Location"].startswith(added.absolute_url())
    assert (added.birth_date, added.gender) == (datetime.date(1986, 4, 30), "female")
    assert (added.phone, added.email) == ("+84 912 345 678", "tranthie@kimdong.edu.vn")
    assert added.id_number == "079186001234"
    assert api.content.get_state(added) == "draft"
    # Never searchable (catalog/__init__.py).
    catalog = api.portal.get_tool("portal_catalog")
    assert not catalog.unrestrictedSearchResults(SearchableText="079186001234")


def field_errors_of(page):
    return re.findall(r"invalid-feedback[^>]*>(.*?)</div>", page, re.S)


@pytest.mark.parametrize("field,form_value,json_value,message", WRONG)
def test_a_wrong_value_is_refused_by_the_add_form(
    officer, http_world, field, form_value, json_value, message
):
    movement = http_world.province_movement
    response = submit(officer, movement, **{f"form.widgets.{field}": form_value})
    assert response.status_code == 200  # the form again, not a new candidate
    assert field_error(response.text, field).startswith(message)
    transaction.begin()
    assert "Chị Trần Thị E" not in [c.title for c in movement.objectValues()]


@pytest.mark.parametrize("field,form_value,json_value,message", WRONG)
def test_a_wrong_value_is_refused_by_the_edit_form(
    officer, http_world, field, form_value, json_value, message
):
    candidate = http_world.province_candidate
    page = officer.get(f"{candidate.absolute_url()}/@@edit", timeout=60).text
    data = {
        "form.widgets.IBasic.title": candidate.title,
        "form.widgets.kind:list": "individual",
        "form.widgets.kind-empty-marker": "1",
        f"form.widgets.{field}": form_value,
        "form.buttons.save": "Lưu",
        "_authenticator": authenticator(page),
    }
    response = officer.post(f"{candidate.absolute_url()}/@@edit", data=data, timeout=60)
    assert field_error(response.text, field).startswith(message)


@pytest.mark.parametrize("field,form_value,json_value,message", WRONG)
def test_a_wrong_value_is_a_400_naming_the_field(
    http_world, field, form_value, json_value, message
):
    officer = (http_world.users[("province", "UnitOfficer")], PASSWORD)
    movement = http_world.province_movement.absolute_url()
    body = {"@type": "Candidate", "title": "Chị Trần Thị E", field: json_value}
    created = send("POST", movement, body, auth=officer)
    assert created.status_code == 400, created.text
    assert created.json()["error"]["field"] == field
    assert created.json()["error"]["message"].startswith(message)
    url = http_world.province_candidate.absolute_url()
    changed = send("PATCH", url, {field: json_value}, auth=officer, language="en")
    assert changed.status_code == 400, changed.text
    assert changed.json()["error"]["field"] == field
    assert changed.json()["error"]["message"] == english(field)


def english(field):
    """The English message of the rule ``field`` breaks."""
    problem = {
        "birth_date": rules.birth_date_problem,
        "phone": rules.phone_problem,
        "id_number": rules.id_number_problem,
        "email": rules.email_problem,
        "year": rules.year_problem,
        "quarter": rules.quarter_problem,
    }[field]
    wrong = {"birth_date": datetime.date(1800, 1, 1), "year": 1, "quarter": 9}.get(field, "x")
    return translate(problem(wrong), target_language="en")


@pytest.mark.parametrize(
    "phone",
    ["0912345678", "091 234 5678", "0912.345.678", "+84912345678", "84-912-345-678", "02838123456"],
)
def test_vietnamese_phone_numbers_pass(phone):
    assert rules.phone_problem(phone) is None


def test_a_birth_date_today_passes_and_tomorrow_does_not():
    # read the day now, not at import: a run that crosses midnight moved it
    today = rules.today()
    assert rules.birth_date_problem(today) is None
    assert rules.birth_date_problem(today + datetime.timedelta(days=1)) is not None
    assert rules.birth_date_problem(rules.earliest_birth_date()) is None
    day_before = rules.earliest_birth_date() - datetime.timedelta(days=1)
    assert rules.birth_date_problem(day_before) is not None


def test_the_registry_may_accept_the_old_nine_digit_cards(officer, http_world):
    officer_auth = (http_world.users[("province", "UnitOfficer")], PASSWORD)
    url = http_world.province_candidate.absolute_url()
    refused = send("PATCH", url, {"id_number": "079186001"}, auth=officer_auth)
    assert refused.status_code == 400
    api.portal.set_registry_record("thidua.identity.accept_old_identity_cards", True)
    transaction.commit()
    accepted = send("PATCH", url, {"id_number": "079186001"}, auth=officer_auth)
    assert accepted.status_code == 204, accepted.text
    refused = send("PATCH", url, {"id_number": "07918600"}, auth=officer_auth)
    assert refused.json()["error"]["message"].startswith("Số định danh gồm 12 chữ số")


def add_form_fields(portal, movement, request):
    """The names of the fields the Candidate add form offers, in-process."""
    from thidua.content.forms import CandidateAddForm

    request["AUTHENTICATED_USER"] = api.user.get_current()
    form = CandidateAddForm(movement, request, portal.portal_types.Candidate)
    form.update()
    return set(form.fields) | {name for group in form.groups for name in group.fields}


def test_personal_data_is_offered_only_to_who_may_write_it(portal, world, http_request):
    """The add form follows the chain's first state: when ``draft`` does not
    let the unit officer write personal data, the fieldset is not offered."""
    from plone.app.testing import login
    from thidua.permissions import EditPersonalData

    login(portal, world.users[("province", "UnitOfficer")])
    assert set(PERSONAL_DATA) <= add_form_fields(portal, world.province_movement, http_request)
    workflows = api.portal.get_tool("portal_workflow")
    [chain] = workflows.getWorkflowsFor(world.province_candidate)
    chain.states.draft.setPermission(EditPersonalData, 0, ("Manager", "Site Administrator"))
    fields = add_form_fields(portal, world.province_movement, http_request)
    assert "IBasic.title" in fields
    assert not set(PERSONAL_DATA) & fields


def test_upgrade_1005_adds_the_identity_record(portal, installer):
    """A site made before 1005 has no record: CCCD only once upgraded."""
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    del registry.records["thidua.identity.accept_old_identity_cards"]
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("thidua:default", "1004")
    installer.upgrade_product("thidua")
    assert registry["thidua.identity.accept_old_identity_cards"] is False
    assert rules.id_number_problem("079186001") is not None
    assert rules.id_number_problem("079186001234") is None


@pytest.mark.parametrize("body", [{"year": 1900}, {"year": TODAY.year + 6}, {"quarter": 0}])
def test_a_reports_year_and_quarter_follow_the_same_rules(portal, world, http_request, body):
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID
    from test_content import deserialize

    setRoles(portal, TEST_USER_ID, ["Manager"])
    report = api.content.create(
        container=world.province_plan, type="Report", title="Báo cáo", year=2024, quarter=1
    )
    [error] = deserialize(report, http_request, body)
    [field] = body
    assert error["field"] == field
    assert translate(error["error"].doc(), target_language="vi").startswith(
        "Năm phải từ 1945 đến" if field == "year" else "Quý là 1, 2, 3 hoặc 4."
    )
