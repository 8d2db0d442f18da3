"""The quarterly cycle of a plan (rotation, statuses), the sub-plans flag,
``@deadlines`` and the ``thidua-remind`` mails."""

from DateTime import DateTime
from datetime import date
from datetime import timedelta
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from test_chains import FULL
from test_chains import load
from test_notify import addresses
from test_notify import sent
from test_notify import to
from thidua.chains.loader import ChainError
from thidua.chains.status import force_state
from thidua.content.plan import IPlan
from thidua.content.plan import RotationInvalid
from thidua.dashboard import dashboard
from thidua.deadlines import deadlines
from thidua.deadlines import next_deadline
from thidua.deadlines.remind import main
from thidua.deadlines.remind import remind
from thidua.testing import ADMIN
from thidua.testing import mock_mailhost
from thidua.testing import PASSWORD
from thidua.testing import send
from thidua.workdays import working_day_after
from thidua.workdays import working_days_between
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.i18n import translate
from zope.intid.interfaces import IIntIds

import lxml.html
import pytest
import requests
import transaction


TODAY = date.today()
# A Monday with no holiday near: Q1's deadline, 5 March 2025, is 7 working days ahead.
MONDAY = date(2025, 2, 24)


@pytest.fixture
def mailhost(functional_portal):
    return mock_mailhost(functional_portal)


def as_manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])


def working_days_ago(count, today=TODAY):
    day = today
    while working_days_between(day, today) < count:
        day -= timedelta(days=1)
    return day


def backdate(obj, day):
    """The item's whole history happened on ``day``."""
    [workflow_id] = obj.workflow_history.keys()
    when = DateTime(day.isoformat() + " 09:00 GMT+7")
    obj.workflow_history[workflow_id] = tuple(
        {**entry, "time": when} for entry in obj.workflow_history[workflow_id]
    )


@pytest.mark.parametrize(
    "old,new,field,words",
    [
        ("  working_days: 25\n", "  working_days: 0\n", "appraisal_limit.working_days", "minimum"),
        (
            "  states: [submitted, public_notice, under_review]\n",
            "  states: [submitted, limbo]\n",
            "appraisal_limit.states.1",
            "no state 'limbo'",
        ),
    ],
)
def test_a_bad_appraisal_limit_names_its_line(old, new, field, words):
    text = FULL.read_text()
    bad = text.replace(old, new, 1)
    assert bad != text
    with pytest.raises(ChainError) as raised:
        load(bad)
    assert raised.value.field == field
    assert words in translate(raised.value.message)
    assert raised.value.line == bad[: bad.index(new)].count("\n") + 1


def quarters(world, year):
    [ward] = dashboard(world.province, year=year)["quarterly"]["units"]
    return {quarter: cell["status"] for quarter, cell in ward["quarters"].items()}


class TestQuarterlyCycle:
    def test_every_sub_unit_every_quarter_without_a_rotation(self, world, portal):
        assert quarters(world, 2024) == {
            "1": "missing",
            "2": "missing",
            "3": "missing",
            "4": "missing",
        }

    def test_the_rotation_gives_quarters_to_sub_units(self, world, portal):
        """Seed 004: the Phòng Giáo dục introduces in the second quarter only."""
        as_manager(portal)
        world.province_plan.quarterly_rotation = [
            "| Khối văn hóa - xã hội",
            "phuong | Khối trường học",
            "",
            "| Khối kinh tế",
        ]
        assert quarters(world, 2024) == {
            "1": "not_due",
            "2": "missing",
            "3": "not_due",
            "4": "not_due",
        }
        quarterly = dashboard(world.province, year=2024)["quarterly"]
        assert quarterly["rotation"] == {"1": [], "2": ["PHUONG"], "3": [], "4": []}

    def test_notes_alone_are_no_rotation(self, world, portal):
        world.province_plan.quarterly_rotation = ["| Khối văn hóa - xã hội", "| Khối trường học"]
        assert set(quarters(world, 2024).values()) == {"missing"}
        assert dashboard(world.province, year=2024)["quarterly"]["rotation"] is None

    def test_a_code_that_is_no_sub_unit_is_refused(self, world, portal):
        field = IPlan["quarterly_rotation"].bind(world.province_plan)
        field.validate(["PHUONG, phuong | note", "| Khối trường học"])
        with pytest.raises(RotationInvalid) as refused:
            field.validate(["PHUONG", "TINH | the unit itself is no sub-unit"])
        assert "TINH" in str(refused.value.doc().mapping["code"])
        assert refused.value.doc().mapping["line"] == 2


class TestSubPlans:
    def implement(self, world, portal, issued_date):
        as_manager(portal)
        intids = getUtility(IIntIds)
        world.ward_plan.implements = RelationValue(intids.getId(world.province_plan))
        world.ward_plan.issued_date = issued_date

    def ward(self, world, today=TODAY):
        [row] = dashboard(world.province_plan, today=today)["subplans"]["units"]
        return row["status"], row["flagged"]

    def test_no_deadline_no_rows(self, world, portal):
        assert dashboard(world.province_plan)["subplans"] == {"deadline": None, "units": []}

    def test_issued_by_the_deadline(self, world, portal):
        world.province_plan.subplan_deadline = date(2021, 12, 31)
        self.implement(world, portal, date(2021, 12, 20))
        assert self.ward(world) == ("on_time", False)

    def test_issued_late_is_flagged(self, world, portal):
        world.province_plan.subplan_deadline = date(2021, 12, 31)
        self.implement(world, portal, date(2022, 1, 3))
        assert self.ward(world) == ("late", True)

    def test_none_issued_is_flagged_after_the_deadline(self, world, portal):
        """The ward's plan implements no plan: it does not count."""
        world.province_plan.subplan_deadline = date(2021, 12, 31)
        assert self.ward(world) == ("missing", True)
        assert self.ward(world, today=date(2021, 12, 1)) == ("pending", False)

    def test_a_draft_plan_is_not_issued(self, world, portal):
        world.province_plan.subplan_deadline = date(2021, 12, 31)
        as_manager(portal)
        draft = api.content.create(
            container=world.ward,
            type="Plan",
            title="Kế hoạch dự thảo",
            period_start=2021,
            period_end=2025,
            issued_date=date(2021, 12, 20),
            implements=RelationValue(getUtility(IIntIds).getId(world.province_plan)),
        )
        assert api.content.get_state(draft) == "draft"
        assert self.ward(world) == ("missing", True)


def kinds(result, status):
    return [(item["kind"], item["title"]) for item in result[status]]


class TestDeadlines:
    def test_introductions_sub_plans_and_reviews(self, world, portal):
        plan = world.province_plan
        plan.subplan_deadline = date(2025, 3, 3)
        plan.midterm_review_date = date(2025, 2, 20)
        plan.final_review_date = date(2025, 12, 31)
        result = deadlines(world.province, today=MONDAY, language="en")
        assert kinds(result, "overdue") == [("review", "Kế hoạch")]
        assert kinds(result, "upcoming") == [("subplan", "Phường"), ("introduction", "Phường")]
        introduction = result["upcoming"][1]
        assert introduction["due"] == "2025-03-05"
        assert introduction["working_days"] == 7
        assert introduction["quarter"] == 1
        assert introduction["label"] == "Introduce advanced models for quarter 1"
        assert introduction["unit"]["title"] == "Phường"
        assert introduction["responsible"] == ["CouncilSecretary"]
        assert result["overdue"][0]["working_days"] == -2
        # Further than 20 working days: the final review and the other quarters.
        assert len(deadlines(world.province, within=250, today=MONDAY)["upcoming"]) == 6

    def test_a_submitted_report_ends_the_review(self, world, portal):
        world.province_plan.midterm_review_date = date(2025, 2, 20)
        as_manager(portal)
        report = api.content.create(
            container=world.province_plan, type="Report", title="Sơ kết", report_type="midterm"
        )
        force_state(report, "submitted")
        assert deadlines(world.province_plan, today=MONDAY)["overdue"] == []

    def test_the_rotation_leaves_out_the_quarters_of_others(self, world, portal):
        world.province_plan.quarterly_rotation = ["| Khối khác", "PHUONG"]
        result = deadlines(world.province, within=250, today=MONDAY)
        assert [item["quarter"] for item in result["upcoming"]] == [2]

    def test_appraisals_and_notices(self, world, portal):
        as_manager(portal)
        late = world.province_candidate
        force_state(late, "under_review")
        backdate(late, working_days_ago(30))
        noticed = api.content.create(
            container=world.province_movement, type="Candidate", title="Trần B", kind="individual"
        )
        force_state(noticed, "public_notice")
        result = deadlines(world.province_plan, within=250)
        [appraisal] = [item for item in result["overdue"] if item["kind"] == "appraisal"]
        assert appraisal["title"] == "Nguyễn Văn A"
        assert appraisal["working_days"] == -5
        assert appraisal["state"] == "under_review"
        upcoming = {item["kind"]: item for item in result["upcoming"] if item["title"] == "Trần B"}
        assert upcoming["notice_end"]["due"] == working_day_after(date.today(), 10).isoformat()
        assert upcoming["appraisal"]["due"] == working_day_after(date.today(), 25).isoformat()
        # The worklist shows the soonest: the notice's end.
        assert next_deadline(noticed) == working_day_after(date.today(), 10)
        # The short chain has the limit too, without a public notice.
        force_state(world.ward_candidate, "submitted")
        [ward] = deadlines(world.ward, within=250)["upcoming"]
        assert (ward["kind"], ward["due"]) == (
            "appraisal",
            working_day_after(date.today(), 25).isoformat(),
        )


class TestDeadlinesEndpoint:
    @pytest.fixture
    def dated(self, http_world, functional_portal):
        as_manager(functional_portal)
        force_state(http_world.province_candidate, "under_review")
        backdate(http_world.province_candidate, working_days_ago(40))
        transaction.commit()
        return http_world

    def get(self, obj, auth, **query):
        return requests.get(
            f"{obj.absolute_url()}/@deadlines",
            headers={"Accept": "application/json", "Accept-Language": "vi"},
            auth=auth,
            params=query,
            timeout=30,
        )

    def test_staff_see_the_deadlines(self, dated):
        for role in ("UnitOfficer", "CouncilSecretary", "CouncilChair"):
            response = self.get(dated.province, (dated.users[("province", role)], PASSWORD))
            assert response.status_code == 200, (role, response.text)
            [item] = [i for i in response.json()["overdue"] if i["kind"] == "appraisal"]
            assert item["title"] == "Nguyễn Văn A"
            assert item["label"] == "Thời hạn thẩm định"
        assert self.get(dated.province_plan, ADMIN).status_code == 200

    def test_anonymous_and_other_units_are_refused(self, dated):
        assert self.get(dated.province, None).status_code == 401
        outsider = (dated.users[("ward", "UnitOfficer")], PASSWORD)
        assert self.get(dated.province_plan, outsider).status_code in (401, 403)

    @pytest.mark.parametrize("within", ["soon", "-1", "251"])
    def test_a_bad_parameter_names_the_field(self, dated, within):
        response = self.get(dated.province, ADMIN, within=within)
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "within"


class TestRotationIsEdited:
    def test_over_the_api_a_bad_code_names_the_field(self, http_world):
        secretary = (http_world.users[("province", "CouncilSecretary")], PASSWORD)
        url = http_world.province_plan.absolute_url()
        refused = send("PATCH", url, {"quarterly_rotation": ["XA-KHAC"]}, auth=secretary)
        assert refused.status_code == 400, refused.text
        error = refused.json()["error"]
        assert error["field"] == "quarterly_rotation"
        assert "XA-KHAC" in error["message"] and "PHUONG" in error["message"]
        english = send(
            "PATCH", url, {"quarterly_rotation": ["XA-KHAC"]}, auth=secretary, language="en"
        )
        assert "is not the code of a sub-unit" in english.json()["error"]["message"]
        saved = send("PATCH", url, {"quarterly_rotation": ["", "PHUONG | Khối"]}, auth=secretary)
        assert saved.status_code == 204, saved.text
        transaction.begin()
        assert http_world.province_plan.quarterly_rotation == ["", "PHUONG | Khối"]

    def test_in_the_classic_edit_form(self, http_world, functional_portal):
        api.portal.set_registry_record("plone.default_language", "vi")
        transaction.commit()
        secretary = (http_world.users[("province", "CouncilSecretary")], PASSWORD)
        url = f"{http_world.province_plan.absolute_url()}/@@edit"
        page = requests.get(url, auth=secretary, timeout=30)
        assert page.status_code == 200
        form = next(f for f in lxml.html.fromstring(page.text).forms if "edit" in f.action)
        data = dict(form.form_values())
        data["form.widgets.quarterly_rotation"] = "XA-KHAC | sai"
        data["form.buttons.save"] = "Lưu"
        refused = requests.post(url, data=data, auth=secretary, timeout=30)
        assert "không phải là mã của một đơn vị cấp dưới" in refused.text
        transaction.begin()
        assert not http_world.province_plan.quarterly_rotation
        data["form.widgets.quarterly_rotation"] = "| Khối văn hóa\nPHUONG | Khối trường học"
        requests.post(url, data=data, auth=secretary, timeout=30)
        transaction.begin()
        assert http_world.province_plan.quarterly_rotation == [
            "| Khối văn hóa",
            "PHUONG | Khối trường học",
        ]


class TestReminders:
    @pytest.fixture
    def site(self, http_world, functional_portal, mailhost):
        """No introductions due; the province's mid-term review in 3 working days;
        its candidate 30 working days into its appraisal (25 allowed)."""
        as_manager(functional_portal)
        http_world.province_plan.quarterly_quota = 0
        http_world.ward_plan.quarterly_quota = 0
        http_world.province_plan.midterm_review_date = working_day_after(TODAY, 3)
        force_state(http_world.province_candidate, "under_review")
        backdate(http_world.province_candidate, working_days_ago(30))
        transaction.commit()
        mailhost.reset()
        return http_world

    def users(self, world, *roles):
        return [world.users[("province", role)] for role in roles]

    def test_sent_once_to_the_right_people(self, site, functional_portal, mailhost):
        listed = remind(functional_portal, days=5)
        transaction.commit()
        secretary, officer, chair = self.users(
            site, "CouncilSecretary", "UnitOfficer", "CouncilChair"
        )
        assert sorted((item["kind"], item["stage"], item["to"]) for item in listed) == [
            ("appraisal", "overdue", chair),
            ("appraisal", "overdue", secretary),
            ("review", "reminder", secretary),
            ("review", "reminder", officer),
        ]
        assert to(mailhost) == addresses(chair, secretary, secretary, officer)
        member = site.users[("province", "CouncilMember")]
        assert f"{member}@example.vn" not in to(mailhost)
        mailhost.reset()
        assert remind(functional_portal, days=5) == []
        transaction.commit()
        assert mailhost.messages == []

    def test_the_message(self, site, functional_portal, mailhost):
        api.portal.set_registry_record("plone.default_language", "vi")
        remind(functional_portal, days=5)
        transaction.commit()
        chair = site.users[("province", "CouncilChair")]
        [(recipient, subject, body)] = [m for m in sent(mailhost) if m[0].startswith(chair)]
        assert "Quá hạn" in subject and "Nguyễn Văn A" in subject
        assert "5 ngày làm việc" in body
        assert site.province_candidate.absolute_url() in body
        assert "0912345678" not in body  # no personal data

    def test_escalation_only_after_the_limit(self, site, functional_portal, mailhost):
        backdate(site.province_candidate, working_days_ago(23))  # due in 2 working days
        site.province_plan.midterm_review_date = None
        transaction.commit()
        listed = remind(functional_portal, days=5)
        transaction.commit()
        [secretary] = self.users(site, "CouncilSecretary")
        assert [(item["stage"], item["to"]) for item in listed] == [("reminder", secretary)]
        backdate(site.province_candidate, working_days_ago(10))  # due in 15: too early
        transaction.commit()
        assert remind(functional_portal, days=5) == []

    def test_a_dry_run_sends_and_records_nothing(self, site, functional_portal, mailhost):
        listed = remind(functional_portal, days=5, dry_run=True)
        transaction.commit()
        assert len(listed) == 4
        assert mailhost.messages == []
        assert len(remind(functional_portal, days=5)) == 4

    def test_the_script_refuses_a_bad_number_of_days(self, capsys):
        with pytest.raises(SystemExit):
            main(["zope.conf", "--days", "-1"])
        assert "--days" in capsys.readouterr().err
