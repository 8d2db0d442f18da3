"""The working-day calendar that every guard, deadline and page counts with.

A working day is Monday to Friday, minus Vietnamese public holidays (the
``holidays`` package, lunar Tết included, with the days off given in place of
a holiday that falls on a weekend), minus the days off an administrator adds,
plus the make-up working days (ngày làm bù) the government sets: it moves days
every year, later than any package can know. Both lists live in the registry
(``thidua.workdays``) and are edited in the Thi đua control panel.
"""

from datetime import date
from datetime import datetime
from datetime import timedelta
from plone.registry.interfaces import IRegistry
from plone.supermodel import model
from thidua import _
from zope import schema
from zope.component import queryUtility
from zope.interface import Invalid

import functools
import holidays


PREFIX = "thidua.workdays"


def parse_day(line):
    """``(date, reason)`` from ``dd/mm/yyyy`` (or ``yyyy-mm-dd``), optionally
    followed by ``|`` and the reason; ``None`` for a blank line."""
    text, _sep, reason = line.partition("|")
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date(), reason.strip()
        except ValueError:
            continue
    raise Invalid(
        _(
            "“${line}” is not a date: write dd/mm/yyyy, then | and the reason if you wish.",
            mapping={"line": line.strip()},
        )
    )


def _days_valid(lines):
    seen = set()
    for line in lines or ():
        parsed = parse_day(line)
        if parsed is None:
            continue
        if parsed[0] in seen:
            raise Invalid(
                _("${day} is listed twice.", mapping={"day": parsed[0].strftime("%d/%m/%Y")})
            )
        seen.add(parsed[0])
    return True


HOW = _("One day per line: dd/mm/yyyy, then | and the reason, e.g. 02/01/2026|Nghỉ bù Tết.")


class IWorkingCalendar(model.Schema):
    """Records ``thidua.workdays.*``: what an administrator changes in the
    calendar of public holidays; a fieldset of the Thi đua control panel."""

    model.fieldset(
        "workdays",
        label=_("Working calendar"),
        description=_(
            "Deadlines and notice periods count working days: Monday to Friday without "
            "the public holidays, with the changes below."
        ),
        fields=["days_off", "working_days"],
    )

    days_off = schema.List(
        title=_("Added days off"),
        description=HOW,
        value_type=schema.TextLine(),
        required=False,
        default=[],
        constraint=_days_valid,
    )
    working_days = schema.List(
        title=_("Make-up working days"),
        description=_("Weekend days that are working days (ngày làm bù). One per line, as above."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
        constraint=_days_valid,
    )


def _listed(name):
    registry = queryUtility(IRegistry)
    if registry is None:
        return {}
    days = {}
    for line in registry.get(f"{PREFIX}.{name}", None) or ():
        try:
            parsed = parse_day(line)
        except Invalid:  # the control panel refuses these; an old record may hold one
            continue
        if parsed:
            days[parsed[0]] = parsed[1]
    return days


@functools.lru_cache(maxsize=64)
def _national_holidays(first_year, last_year, language):
    """{date: name} of Viet Nam's public holidays in those years. Built once per
    process and range: building it took a few milliseconds at every guard check
    and worklist row (and the first one imports the package's data, 0.5 s). A
    plain dict, so that no lookup can change what other callers share."""
    years = range(first_year, last_year + 1)
    return dict(holidays.country_holidays("VN", years=years, language=language))


def warm_up(event=None):
    """IProcessStarting: build this year's and last year's calendar in both
    languages before the first request, whose first notice-period guard (the
    chain's start_review, the worklist) would otherwise pay for loading the
    holidays package's data for Viet Nam and its translations (0.5-2 s)."""
    this_year = date.today().year
    for language in ("vi", "en_US"):
        _national_holidays(this_year - 1, this_year, language)
        _national_holidays(this_year, this_year, language)


class Calendar:
    """The working days between two dates, read once from the holidays package
    and the registry."""

    def __init__(self, start, end, language="vi"):
        language = "vi" if language == "vi" else "en_US"
        self.holidays = _national_holidays(start.year, end.year, language)
        self.added = _listed("days_off")
        self.make_up = _listed("working_days")

    def is_working_day(self, day):
        if day in self.make_up:
            return True
        return day.weekday() < 5 and day not in self.holidays and day not in self.added


def is_working_day(day):
    return Calendar(day, day).is_working_day(day)


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end``."""
    calendar = Calendar(start, end)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def working_day_after(start, count):
    """The day on which ``count`` working days after ``start`` have passed
    (``start`` itself when ``count`` is 0)."""
    calendar = Calendar(start, start + timedelta(days=count * 2 + 60))
    day = start
    while count > 0:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


def days_off(year, language="vi"):
    """Every public holiday and added day off of ``year`` and every make-up
    working day, sorted, as ``(date, reason, working)``: for the control panel."""
    calendar = Calendar(date(year, 1, 1), date(year, 12, 31), language)
    days = [(day, str(name), False) for day, name in calendar.holidays.items()]
    days += [(day, reason, False) for day, reason in calendar.added.items() if day.year == year]
    days += [(day, reason, True) for day, reason in calendar.make_up.items() if day.year == year]
    return sorted(days)
