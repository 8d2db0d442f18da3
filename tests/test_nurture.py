"""Nurturing a selected or honoured model (thidua.nurture, ``@nurture``):
who reads and updates the plan, bad input, overdue check-ins in the
worklist and ``@deadlines``, the off-track flag on the dashboard."""

from conftest import honour
from datetime import date
from datetime import timedelta
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from thidua import nurture
from thidua import permissions
from thidua.chains.status import force_state
from thidua.dashboard import dashboard
from thidua.deadlines import deadlines
from thidua.testing import logged_in
from thidua.testing import PASSWORD
from thidua.worklist import worklist

import pytest
import re
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
TODAY = date.today()
CHECKIN = {
    "type": "checkin",
    "date": (TODAY - timedelta(days=60)).isoformat(),
    "by": "Tổ công tác Hội đồng",
    "findings": "Mô hình duy trì tốt, cần nhân rộng sang các tổ dân phố.",
    "status": "on_track",
    "next_date": (TODAY - timedelta(days=30)).isoformat(),
}


def select(portal, candidate):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    force_state(candidate, "selected")
    setRoles(portal, TEST_USER_ID, ["Member"])
    return candidate


def add_as_manager(portal, candidate, data):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    entry = nurture.add(candidate, data["type"], data)
    setRoles(portal, TEST_USER_ID, ["Member"])
    return entry


class TestPermissions:
    @pytest.mark.parametrize("role", ["UnitOfficer", "CouncilSecretary"])
    def test_officer_and_secretary_update(self, world, portal, role):
        candidate = select(portal, world.ward_candidate)
        login(portal, world.users[("ward", role)])
        assert nurture.may_view(candidate) and nurture.may_edit(candidate)

    @pytest.mark.parametrize("role", ["CouncilMember", "CouncilChair"])
    def test_members_of_the_council_read_only(self, world, portal, role):
        candidate = select(portal, world.ward_candidate)
        login(portal, world.users[("ward", role)])
        assert nurture.may_view(candidate)
        assert not nurture.may_edit(candidate)

    def test_another_unit_neither_reads_nor_updates(self, world, portal, honoured):
        login(portal, world.users[("ward", "UnitOfficer")])
        assert api.user.has_permission("View", obj=honoured)  # public
        assert not nurture.may_view(honoured)
        assert not nurture.may_edit(honoured)

    def test_anonymous_neither(self, world, portal, honoured):
        logout()
        assert api.user.has_permission("View", obj=honoured)
        assert not nurture.may_view(honoured)

    def test_only_a_selected_or_honoured_model_has_a_plan(self, world, portal):
        setRoles(portal, TEST_USER_ID, ["Manager"])
        with pytest.raises(nurture.NurtureError) as raised:
            nurture.add(world.ward_candidate, "goal", {"title": "x", "target_date": "2026-12-31"})
        assert raised.value.status == 409


class TestPlan:
    def test_entries_are_kept_and_never_searchable(self, world, portal, honoured):
        add_as_manager(
            portal,
            honoured,
            {"type": "goal", "title": "Nhân rộng mô hình", "target_date": "2026-12-31"},
        )
        add_as_manager(
            portal,
            honoured,
            {"type": "task", "title": "Báo cáo điển hình tại hội nghị", "responsible": "Sở Nội vụ"},
        )
        add_as_manager(
            portal,
            honoured,
            {"type": "support", "kind": "material", "description": "Kinh phí hỗ trợ"},
        )
        add_as_manager(portal, honoured, {**CHECKIN, "findings": "Phát hiện độc nhất zqxw"})
        honoured.reindexObject()
        result = nurture.plan(honoured)
        assert [g["title"] for g in result["goals"]] == ["Nhân rộng mô hình"]
        assert result["goals"][0]["target_date"] == "2026-12-31"
        assert result["tasks"][0]["responsible"] == "Sở Nội vụ"
        assert result["support"][0]["kind"] == "material"
        assert result["status"] == "on_track"
        assert result["next_checkin"] == CHECKIN["next_date"]
        assert result["overdue_working_days"] > 0
        catalog = api.portal.get_tool("portal_catalog")
        assert not catalog.unrestrictedSearchResults(SearchableText="zqxw")
        assert not catalog.unrestrictedSearchResults(SearchableText="Sở Nội vụ", UID=honoured.UID())

    @pytest.mark.parametrize(
        "data,field",
        [
            ({"type": "goal", "target_date": "2026-12-31"}, "title"),
            ({"type": "goal", "title": "x", "target_date": "31/12/2026"}, "target_date"),
            ({"type": "task", "title": "x"}, "responsible"),
            ({"type": "support", "kind": "money", "description": "x"}, "kind"),
            ({**CHECKIN, "status": "fine"}, "status"),
            ({**CHECKIN, "next_date": CHECKIN["date"]}, "next_date"),
            ({**CHECKIN, "findings": 42}, "findings"),
            ({"type": "plan"}, "type"),
            ({"type": ["goal"]}, "type"),
        ],
    )
    def test_bad_input_names_the_field(self, world, portal, honoured, data, field):
        with pytest.raises(nurture.NurtureError) as raised:
            add_as_manager(portal, honoured, data)
        assert (raised.value.status, raised.value.field) == (400, field)


class TestFollowUp:
    def test_an_overdue_checkin_waits_in_the_officers_worklist(self, world, portal, honoured):
        add_as_manager(portal, honoured, CHECKIN)
        login(portal, world.users[("province", "UnitOfficer")])
        rows = [
            row
            for row in worklist(world.users[("province", "UnitOfficer")])
            if row["group"] == "follow_up"
        ]
        assert [row["url"] for row in rows] == [honoured.absolute_url()]
        assert rows[0]["deadline"] == date.fromisoformat(CHECKIN["next_date"])
        login(portal, world.users[("ward", "UnitOfficer")])
        assert not [
            row
            for row in worklist(world.users[("ward", "UnitOfficer")])
            if row["group"] == "follow_up"
        ]

    def test_a_checkin_on_time_waits_nowhere(self, world, portal, honoured):
        add_as_manager(
            portal, honoured, {**CHECKIN, "next_date": (TODAY + timedelta(days=30)).isoformat()}
        )
        login(portal, world.users[("province", "UnitOfficer")])
        assert not [
            row
            for row in worklist(world.users[("province", "UnitOfficer")])
            if row["group"] == "follow_up"
        ]

    def test_deadlines_list_the_next_checkin(self, world, portal, honoured):
        add_as_manager(portal, honoured, CHECKIN)
        result = deadlines(world.province)
        [overdue] = [d for d in result["overdue"] if d["kind"] == "checkin"]
        assert overdue["@id"] == honoured.absolute_url()
        assert overdue["due"] == CHECKIN["next_date"]
        assert overdue["working_days"] < 0
        assert overdue["label"]

    def test_the_dashboard_flags_a_model_off_track(self, world, portal, honoured):
        add_as_manager(portal, honoured, CHECKIN)
        assert dashboard(world.province)["off_track"] == []
        add_as_manager(
            portal,
            honoured,
            {**CHECKIN, "date": TODAY.isoformat(), "status": "off_track", "next_date": None},
        )
        [flag] = dashboard(world.province)["off_track"]
        assert flag["@id"] == honoured.absolute_url()
        assert flag["checkin"] == TODAY.isoformat()

    def test_the_catalog_knows_the_latest_checkin(self, world, portal, honoured):
        catalog = api.portal.get_tool("portal_catalog")
        add_as_manager(portal, honoured, CHECKIN)
        [brain] = catalog.unrestrictedSearchResults(UID=honoured.UID())
        assert brain.thidua_nurture_status == "on_track"
        assert brain.thidua_next_checkin.isoformat() == CHECKIN["next_date"]
        assert brain.thidua_last_checkin.isoformat() == CHECKIN["date"]
        overdue = nurture.nurtured_brains(due_by=TODAY)
        assert [b.UID for b in overdue] == [honoured.UID()]
        later = {**CHECKIN, "date": TODAY.isoformat(), "status": "at_risk"}
        add_as_manager(
            portal, honoured, {**later, "next_date": (TODAY + timedelta(days=30)).isoformat()}
        )
        [brain] = catalog.unrestrictedSearchResults(UID=honoured.UID())
        assert brain.thidua_nurture_status == "at_risk"
        assert not nurture.nurtured_brains(due_by=TODAY)
        assert catalog.unrestrictedSearchResults(thidua_nurture_status="at_risk")


class TestREST:
    @pytest.fixture
    def http_selected(self, http_world, functional_portal):
        candidate = select(functional_portal, http_world.ward_candidate)
        transaction.commit()
        return candidate

    def post(self, candidate, user, data):
        return requests.post(
            f"{candidate.absolute_url()}/@nurture",
            headers=JSON,
            json=data,
            auth=(user, PASSWORD) if user else None,
            timeout=30,
        )

    def get(self, candidate, user):
        return requests.get(
            f"{candidate.absolute_url()}/@nurture",
            headers=JSON,
            auth=(user, PASSWORD) if user else None,
            timeout=30,
        )

    def test_the_secretary_adds_a_checkin_the_member_reads_it(self, http_world, http_selected):
        response = self.post(http_selected, http_world.users[("ward", "CouncilSecretary")], CHECKIN)
        assert response.status_code == 201, response.text
        assert response.json()["added"]["status"] == "on_track"
        plan = self.get(http_selected, http_world.users[("ward", "CouncilMember")])
        assert plan.status_code == 200
        assert plan.json()["checkins"][0]["findings"] == CHECKIN["findings"]
        assert plan.json()["editable"] is False

    def test_the_member_may_not_update(self, http_world, http_selected):
        response = self.post(http_selected, http_world.users[("ward", "CouncilMember")], CHECKIN)
        assert response.status_code == 403
        assert response.json()["error"]["type"] == "Forbidden"

    def test_another_unit_and_anonymous_are_refused(self, http_world, functional_portal):
        candidate = honour(functional_portal, http_world.province_candidate)
        transaction.commit()
        assert (
            self.get(candidate, http_world.users[("ward", "CouncilSecretary")]).status_code == 403
        )
        assert (
            self.post(candidate, http_world.users[("ward", "UnitOfficer")], CHECKIN).status_code
            == 403
        )
        assert self.get(candidate, None).status_code == 401
        assert self.post(candidate, None, CHECKIN).status_code == 401

    def test_a_draft_has_no_plan_to_update(self, http_world, functional_portal):
        draft = http_world.ward_candidate
        officer = http_world.users[("ward", "UnitOfficer")]
        response = self.post(draft, officer, CHECKIN)
        assert response.status_code == 409
        assert response.json()["error"]["type"] == "Conflict"
        plan = self.get(draft, officer).json()
        assert (plan["nurtured"], plan["editable"], plan["checkins"]) == (False, False, [])

    def test_bad_input_is_a_400_in_vietnamese(self, http_world, http_selected):
        response = requests.post(
            f"{http_selected.absolute_url()}/@nurture",
            headers={**JSON, "Accept-Language": "vi"},
            json={**CHECKIN, "date": "hôm qua"},
            auth=(http_world.users[("ward", "UnitOfficer")], PASSWORD),
            timeout=30,
        )
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["field"] == "date"
        assert error["message"] == "date là một ngày, viết theo dạng YYYY-MM-DD."


class TestPage:
    @pytest.fixture
    def http_model(self, http_world, functional_portal):
        api.portal.set_registry_record("plone.default_language", "vi")
        candidate = honour(functional_portal, http_world.province_candidate)
        add_as_manager(functional_portal, candidate, CHECKIN)
        logout()
        transaction.commit()
        return candidate

    def test_the_officer_adds_a_checkin_from_the_page(
        self, functional_portal, http_world, http_model
    ):
        officer = logged_in(functional_portal, http_world.users[("province", "UnitOfficer")])
        page = officer.get(http_model.absolute_url(), timeout=30).text
        assert 'id="thidua-nurture"' in page
        assert CHECKIN["findings"] in page
        assert date.fromisoformat(CHECKIN["next_date"]).strftime("%d/%m/%Y") in page
        token = re.search(r'name="_authenticator" value="([^"]+)"', page).group(1)
        form = {**CHECKIN, "date": TODAY.isoformat(), "status": "off_track", "next_date": ""}
        form["findings"] = "Chưa triển khai nhân rộng"
        response = officer.post(
            f"{http_model.absolute_url()}/@@nurture-add",
            data={"_authenticator": token, **form},
            timeout=30,
        )
        assert response.status_code == 200
        assert "Chưa triển khai nhân rộng" in response.text
        transaction.begin()
        assert nurture.latest_checkin(http_model)["status"] == "off_track"

    def test_bad_input_from_the_page_writes_nothing(
        self, functional_portal, http_world, http_model
    ):
        officer = logged_in(functional_portal, http_world.users[("province", "CouncilSecretary")])
        page = officer.get(http_model.absolute_url(), timeout=30).text
        token = re.search(r'name="_authenticator" value="([^"]+)"', page).group(1)
        response = officer.post(
            f"{http_model.absolute_url()}/@@nurture-add",
            data={"_authenticator": token, "type": "goal", "title": "x", "target_date": "mai"},
            timeout=30,
        )
        assert response.status_code == 200
        assert "YYYY-MM-DD" in response.text
        transaction.begin()
        assert nurture.plan(http_model)["goals"] == []

    def test_without_the_token_nothing_is_written(self, functional_portal, http_world, http_model):
        officer = logged_in(functional_portal, http_world.users[("province", "UnitOfficer")])
        response = officer.post(
            f"{http_model.absolute_url()}/@@nurture-add",
            data={"type": "goal", "title": "x", "target_date": "2026-12-31"},
            timeout=30,
        )
        assert response.status_code == 403
        transaction.begin()
        assert nurture.plan(http_model)["goals"] == []

    def test_the_member_reads_without_forms(self, functional_portal, http_world, http_model):
        member = logged_in(functional_portal, http_world.users[("province", "CouncilMember")])
        page = member.get(http_model.absolute_url(), timeout=30).text
        assert CHECKIN["findings"] in page
        assert "@@nurture-add" not in page
        # A valid token of the member's own: the refusal is the permission's.
        token = member.get(f"{http_model.absolute_url()}/@@authenticator/token", timeout=30)
        assert token.status_code == 200 and token.text
        response = member.post(
            f"{http_model.absolute_url()}/@@nurture-add",
            data={
                "_authenticator": token.text,
                "type": "goal",
                "title": "x",
                "target_date": "2026-12-31",
            },
            timeout=30,
            allow_redirects=False,
        )
        # Plone answers Unauthorized to a logged-in user with its login page.
        assert response.status_code == 302
        assert "require_login" in response.headers["Location"]
        transaction.begin()
        assert nurture.plan(http_model)["goals"] == []

    def test_the_worklist_page_shows_the_model_to_follow_up(
        self, functional_portal, http_world, http_model
    ):
        officer = logged_in(functional_portal, http_world.users[("province", "UnitOfficer")])
        page = officer.get(f"{functional_portal.absolute_url()}/@@viec-can-lam", timeout=30)
        assert page.status_code == 200
        [body] = re.findall(r'id="worklist-follow_up"(.*?)</section>', page.text, re.S)
        assert http_model.title in body
        assert "Cần theo dõi, bồi dưỡng" in page.text
        member = logged_in(functional_portal, http_world.users[("province", "CouncilMember")])
        page = member.get(f"{functional_portal.absolute_url()}/@@viec-can-lam", timeout=30)
        assert 'id="worklist-follow_up"' not in page.text

    def test_the_dashboard_page_flags_the_model_off_track(
        self, functional_portal, http_world, http_model
    ):
        add_as_manager(
            functional_portal,
            http_model,
            {
                **CHECKIN,
                "date": TODAY.isoformat(),
                "status": "off_track",
                "next_date": None,
                "corrections": "Bổ sung kinh phí",
            },
        )
        transaction.commit()
        secretary = logged_in(functional_portal, http_world.users[("province", "CouncilSecretary")])
        page = secretary.get(f"{http_world.province.absolute_url()}/@@bang-dieu-khien", timeout=60)
        assert page.status_code == 200
        assert 'id="thidua-dashboard-off-track"' in page.text
        assert "Bổ sung kinh phí" in page.text
        assert TODAY.strftime("%d/%m/%Y") in page.text

    def test_another_unit_and_anonymous_see_nothing(
        self, functional_portal, http_world, http_model
    ):
        other = logged_in(functional_portal, http_world.users[("ward", "UnitOfficer")])
        for session in (other, requests.Session()):
            page = session.get(http_model.absolute_url(), timeout=30)
            assert page.status_code == 200
            assert 'id="thidua-nurture"' not in page.text
            assert CHECKIN["findings"] not in page.text


def test_the_1006_upgrade_indexes_the_plans_of_an_existing_site(world, portal, honoured):
    from thidua.upgrades.nurture import index_checkins

    add_as_manager(portal, honoured, CHECKIN)
    catalog = api.portal.get_tool("portal_catalog")
    for index in nurture.INDEXES:
        catalog.delIndex(index)
    catalog.delColumn("thidua_nurture_status")
    index_checkins(api.portal.get_tool("portal_setup"))
    [brain] = catalog.unrestrictedSearchResults(thidua_nurture_status="on_track")
    assert honoured.UID() == brain.UID
    assert brain.thidua_nurture_status == "on_track"


def test_the_upgrade_grants_the_edit_permission(portal):
    from thidua.upgrades import v1005

    setRoles(portal, TEST_USER_ID, ["Manager"])
    portal.manage_permission(permissions.EditNurturePlan, ("Manager",), acquire=True)
    v1005.upgrade(api.portal.get_tool("portal_setup"))
    granted = {
        role["name"]
        for role in portal.rolesOfPermission(permissions.EditNurturePlan)
        if role["selected"]
    }
    assert granted == {"Manager", "Site Administrator", "UnitOfficer", "CouncilSecretary"}


def test_the_catalog_knows_which_models_have_a_plan(world, portal, honoured):
    """The reach figures read the catalog records of the models with a plan
    only: a model's entry in ``thidua_nurture_plan`` comes with its first entry."""
    catalog = api.portal.get_tool("portal_catalog")
    assert not catalog.unrestrictedSearchResults(UID=honoured.UID(), thidua_nurture_plan=True)
    add_as_manager(portal, honoured, CHECKIN)
    [brain] = nurture.nurtured_brains(planned=True, UID=honoured.UID())
    assert brain.thidua_nurture_punctuality == (1, 0)


def test_the_1007_upgrade_indexes_which_models_have_a_plan(world, portal, honoured):
    from thidua.upgrades import v1007

    add_as_manager(portal, honoured, CHECKIN)
    catalog = api.portal.get_tool("portal_catalog")
    catalog.delIndex("thidua_nurture_plan")
    v1007.upgrade(api.portal.get_tool("portal_setup"))
    [brain] = catalog.unrestrictedSearchResults(thidua_nurture_plan=True)
    assert honoured.UID() == brain.UID
