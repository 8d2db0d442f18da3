"""The working-day calendar: weekends, Vietnamese public holidays (lunar Tết
included) and the days an administrator adds or makes working days."""

from datetime import date
from plone import api
from plone.app.testing import setRoles
from plone.registry.interfaces import IRegistry
from thidua import workdays
from thidua.testing import authenticator
from thidua.workdays import is_working_day
from thidua.workdays import working_day_after
from thidua.workdays import working_days_between
from zope.component import getUtility
from zope.interface import Invalid

import html
import pytest
import requests
import transaction


ADMIN = ("lich-admin", "secret-pw")


def test_weekends_are_not_working_days():
    assert is_working_day(date(2026, 12, 4))  # a Friday
    assert not is_working_day(date(2026, 12, 5))  # Saturday
    assert not is_working_day(date(2026, 12, 6))  # Sunday


def test_tet_2026_is_off():
    # Tết Bính Ngọ: Monday 16 to Friday 20 February 2026 are days off, so from
    # Friday 13 February the next working day is Monday 23 February.
    for day in range(16, 21):
        assert not is_working_day(date(2026, 2, day))
    assert working_day_after(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_national_day():
    assert not is_working_day(date(2026, 9, 2))
    assert not is_working_day(date(2026, 9, 1))
    assert is_working_day(date(2026, 9, 3))


def test_tet_2025_and_an_ordinary_week():
    # Tết 2025: 25 January (Saturday) to 2 February (Sunday) off.
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1
    assert working_days_between(date(2025, 3, 7), date(2025, 3, 14)) == 5


def test_counting_and_adding_agree():
    # Friday 27 November 2026: ten working days later is Friday 11 December.
    assert working_day_after(date(2026, 11, 27), 10) == date(2026, 12, 11)
    assert working_days_between(date(2026, 11, 27), date(2026, 12, 11)) == 10
    # 30 April and 1 May are days off: Wednesday 29 April, then Monday 4 May.
    assert working_day_after(date(2026, 4, 29), 1) == date(2026, 5, 4)
    assert working_day_after(date(2026, 12, 4), 10) == date(2026, 12, 18)
    assert working_day_after(date(2026, 12, 4), 0) == date(2026, 12, 4)


def test_parse_day():
    assert workdays.parse_day("02/01/2026|Nghỉ bù") == (date(2026, 1, 2), "Nghỉ bù")
    assert workdays.parse_day(" 2026-01-02 ") == (date(2026, 1, 2), "")
    assert workdays.parse_day("  ") is None
    with pytest.raises(Invalid):
        workdays.parse_day("31/02/2026")


@pytest.fixture
def calendar(portal):
    registry = getUtility(IRegistry)
    registry[f"{workdays.PREFIX}.days_off"] = ["07/12/2026|Nghỉ theo quyết định của tỉnh"]
    registry[f"{workdays.PREFIX}.working_days"] = ["12/12/2026|Làm bù"]
    return registry


def test_an_added_day_off_and_a_make_up_saturday(calendar):
    assert not is_working_day(date(2026, 12, 7))  # a Monday made a day off
    assert is_working_day(date(2026, 12, 12))  # a Saturday made a working day
    # Friday 4 → Monday 7 is off → Tuesday 8 is the first working day.
    assert working_day_after(date(2026, 12, 4), 1) == date(2026, 12, 8)
    # Friday 11 → Saturday 12 is worked.
    assert working_day_after(date(2026, 12, 11), 1) == date(2026, 12, 12)
    assert working_days_between(date(2026, 12, 4), date(2026, 12, 14)) == 6


def test_days_off_lists_the_year(calendar):
    days = workdays.days_off(2026)
    assert (date(2026, 2, 17), "Tết Nguyên Đán", False) in days
    assert (date(2026, 12, 7), "Nghỉ theo quyết định của tỉnh", False) in days
    assert (date(2026, 12, 12), "Làm bù", True) in days
    assert days == sorted(days)
    english = workdays.days_off(2026, language="en")
    assert (date(2026, 2, 17), "Lunar New Year", False) in english


def saved_days(portal):
    """The record as the server saved it (the registry's own read is cached
    for the test's request)."""
    transaction.begin()
    return portal.portal_registry.records[f"{workdays.PREFIX}.days_off"].value


def test_the_control_panel_edits_the_calendar(functional_portal):
    """An administrator adds a day off and a make-up day in the control panel;
    a bad date is refused with a message naming it, and nothing is saved."""
    api.user.create(email="lich@example.vn", username=ADMIN[0], password=ADMIN[1])
    setRoles(functional_portal, ADMIN[0], ["Member", "Site Administrator"])
    api.portal.set_registry_record("plone.default_language", "vi")  # a Vietnamese site
    transaction.commit()
    url = f"{functional_portal.absolute_url()}/@@thidua-settings"
    page = requests.get(url, auth=ADMIN, timeout=30).text
    assert "Lịch làm việc" in page
    assert "Tết Nguyên Đán" in page  # this year's holidays are listed
    form = {
        "form.widgets.IWorkingCalendar.days_off": "07/12/2026|Nghỉ\n32/12/2026",
        "form.widgets.IWorkingCalendar.working_days": "",
        "form.buttons.save": "Lưu",
        "_authenticator": authenticator(page),
    }
    refused = requests.post(url, data=form, auth=ADMIN, timeout=30).text
    assert "“32/12/2026” không phải là một ngày" in html.unescape(refused)
    assert not saved_days(functional_portal)
    form["form.widgets.IWorkingCalendar.days_off"] = "07/12/2026|Nghỉ"
    form["form.widgets.IWorkingCalendar.working_days"] = "12/12/2026|Làm bù"
    saved = requests.post(url, data=form, auth=ADMIN, timeout=30)
    assert saved.status_code == 200
    assert saved_days(functional_portal) == ["07/12/2026|Nghỉ"]
    assert not is_working_day(date(2026, 12, 7))
    assert is_working_day(date(2026, 12, 12))
