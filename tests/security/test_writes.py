"""Issue 9: writes that should not happen, over HTTP on the functional layer
(findings 6, 7, 8, 9, 14, 15, 16, and the comment case of 12)."""

from pathlib import Path
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from thidua.chains.status import force_state
from thidua.testing import logged_in
from thidua.testing import PASSWORD
from zope.annotation.interfaces import IAnnotations

import Acquisition
import datetime
import os
import pytest
import re
import requests
import thidua.deploy
import time
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


def url(obj):
    return obj.absolute_url()


def as_user(world, unit, role):
    return (world.users[(unit, role)], PASSWORD)


def last_transaction(portal):
    transaction.begin()
    return portal._p_jar.db().lastTransaction()


def state(obj):
    transaction.begin()
    return api.content.get_state(obj)


class TestRefusedStepsWriteNothing:
    """Finding 6: plone.restapi sets ``effective`` and reindexes before the guard
    runs; a refused step must be aborted, not answered 400 on top of a write."""

    def step(self, obj, transition, auth=None, **body):
        return requests.post(
            f"{url(obj)}/@workflow/{transition}", headers=JSON, auth=auth, json=body, timeout=30
        )

    def test_anonymous_honour_of_an_honoured_candidate(self, http_honoured, functional_portal):
        child = api.content.create(
            container=http_honoured, type="File", id="evidence", title="Evidence"
        )
        transaction.commit()
        before = last_transaction(functional_portal)
        response = self.step(http_honoured, "honour", include_children=True)
        assert response.status_code == 400, response.text
        assert response.json()["error"]["field"] == "transition"
        assert last_transaction(functional_portal) == before
        assert child.EffectiveDate() == "None"

    def test_a_step_the_caller_may_not_take(self, http_world, functional_portal):
        candidate = http_world.province_candidate
        before = last_transaction(functional_portal)
        secretary = as_user(http_world, "province", "CouncilSecretary")
        response = self.step(candidate, "submit", auth=secretary)
        assert response.status_code == 403, response.text
        assert response.json()["error"]["type"] == "Forbidden"
        assert last_transaction(functional_portal) == before
        assert candidate.EffectiveDate() == "None"
        assert state(candidate) == "draft"

    def test_anonymous_is_asked_to_log_in(self, http_honoured, functional_portal):
        before = last_transaction(functional_portal)
        response = self.step(http_honoured, "revoke")
        assert response.status_code == 401, response.text
        assert last_transaction(functional_portal) == before

    def test_a_guard_that_fails(self, http_world, functional_portal):
        candidate = http_world.province_candidate
        candidate.achievements = None
        transaction.commit()
        before = last_transaction(functional_portal)
        officer = as_user(http_world, "province", "UnitOfficer")
        response = self.step(candidate, "submit", auth=officer)
        assert response.status_code == 400, response.text
        assert last_transaction(functional_portal) == before
        assert candidate.EffectiveDate() == "None"
        assert state(candidate) == "draft"

    def test_a_step_this_state_does_not_offer(self, http_world, functional_portal):
        before = last_transaction(functional_portal)
        officer = as_user(http_world, "province", "UnitOfficer")
        response = self.step(http_world.province_candidate, "honour", auth=officer)
        assert response.status_code == 400, response.text
        assert response.json()["error"]["field"] == "transition"
        assert last_transaction(functional_portal) == before

    def test_a_step_to_the_present_state(self, http_world, functional_portal):
        candidate = http_world.province_candidate
        officer = as_user(http_world, "province", "UnitOfficer")
        assert self.step(candidate, "submit", auth=officer).status_code == 200
        before = last_transaction(functional_portal)
        response = self.step(candidate, "submit", auth=officer)
        assert response.status_code == 400, response.text
        assert last_transaction(functional_portal) == before

    def test_a_step_taken(self, http_world):
        candidate = http_world.province_candidate
        officer = as_user(http_world, "province", "UnitOfficer")
        response = self.step(candidate, "submit", auth=officer, comment="Hồ sơ đủ.")
        assert response.status_code == 200, response.text
        assert state(candidate) == "submitted"
        assert candidate.EffectiveDate() != "None"

    def test_a_comment_that_is_not_text(self, http_world, functional_portal):
        """Finding 12: ``.strip()`` on a dict was a 500."""
        before = last_transaction(functional_portal)
        officer = as_user(http_world, "province", "UnitOfficer")
        response = self.step(
            http_world.province_candidate, "submit", auth=officer, comment={"a": 1}
        )
        assert response.status_code == 400, response.text
        assert response.json()["error"]["field"] == "comment"
        response = self.step(
            http_world.province_candidate, "submit", auth=officer, comment="x" * 2001
        )
        assert response.status_code == 400, response.text
        assert response.json()["error"]["field"] == "comment"
        assert last_transaction(functional_portal) == before
        assert state(http_world.province_candidate) == "draft"


class TestPersonalDataOnCreate:
    """Finding 9: the officer's POST dropped personal data without a word."""

    def test_the_officer_creates_a_candidate_with_personal_data(self, http_world):
        officer = as_user(http_world, "province", "UnitOfficer")
        response = requests.post(
            url(http_world.province_movement),
            headers=JSON,
            auth=officer,
            json={
                "@type": "Candidate",
                "title": "Trần Thị B",
                "kind": "individual",
                "phone": "0987654321",
                "id_number": "079123456789",
                "birth_date": "1980-02-03",
                "gender": "female",
            },
            timeout=30,
        )
        assert response.status_code == 201, response.text
        created = requests.get(
            response.json()["@id"], headers=JSON, auth=officer, timeout=30
        ).json()
        assert created["phone"] == "0987654321"
        assert created["id_number"] == "079123456789"
        assert created["birth_date"] == "1980-02-03"
        assert created["gender"]["token"] == "female"
        transaction.begin()
        candidate = http_world.province_movement[response.json()["id"]]
        assert candidate.phone == "0987654321"
        assert api.content.get_state(candidate) == "draft"


class TestReservedNames:
    """Finding 8: a candidate named ``index_html`` replaced the movement's
    public page; a layout of ``manage_main`` was stored."""

    def create(self, container, auth, **fields):
        return requests.post(url(container), headers=JSON, auth=auth, json=fields, timeout=30)

    @pytest.mark.parametrize(
        "reserved", ["index_html", "view", "folder_contents", "@@edit", "Title"]
    )
    def test_reserved_ids_are_refused(self, http_world, reserved):
        officer = as_user(http_world, "province", "UnitOfficer")
        movement = http_world.province_movement
        response = self.create(
            movement, officer, **{"@type": "Candidate", "id": reserved, "title": "Lê Văn C"}
        )
        assert response.status_code == 400, response.text
        assert response.json()["error"]["field"] == "id"
        assert reserved in response.json()["error"]["message"]
        transaction.begin()
        assert reserved not in movement.objectIds()
        assert requests.get(url(movement), timeout=30).url == url(movement)

    def test_a_file_in_a_candidate_too(self, http_world):
        officer = as_user(http_world, "province", "UnitOfficer")
        candidate = http_world.province_candidate
        response = self.create(
            candidate, officer, **{"@type": "File", "id": "index_html", "title": "Minh chứng"}
        )
        assert response.status_code == 400, response.text
        assert response.json()["error"]["field"] == "id"

    def test_a_rename_to_a_reserved_id(self, http_world):
        officer = as_user(http_world, "province", "UnitOfficer")
        candidate = http_world.province_candidate
        response = requests.patch(
            url(candidate), headers=JSON, auth=officer, json={"id": "index_html"}, timeout=30
        )
        assert response.status_code == 400, response.text
        assert response.json()["error"]["field"] == "id"
        transaction.begin()
        assert "index_html" not in http_world.province_movement.objectIds()

    def test_a_plain_id_is_kept(self, http_world):
        officer = as_user(http_world, "province", "UnitOfficer")
        movement = http_world.province_movement
        response = self.create(
            movement, officer, **{"@type": "Candidate", "id": "le-van-c", "title": "Lê Văn C"}
        )
        assert response.status_code == 201, response.text
        assert response.json()["id"] == "le-van-c"

    @pytest.mark.parametrize("layout", ["manage_main", "folder_contents", 5])
    def test_a_layout_outside_the_types_list(self, http_world, layout):
        officer = as_user(http_world, "province", "UnitOfficer")
        candidate = http_world.province_candidate
        response = requests.patch(
            url(candidate),
            headers={**JSON, "Accept-Language": "vi"},
            auth=officer,
            json={"layout": layout},
            timeout=30,
        )
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["field"] == "layout"
        # a layout that is not text is refused by its JSON type first
        assert ("Kiểu hiển thị" if isinstance(layout, str) else "văn bản") in error["message"]
        transaction.begin()
        assert candidate.getLayout() == "view"

    def test_the_types_own_layout(self, http_world):
        officer = as_user(http_world, "province", "UnitOfficer")
        candidate = http_world.province_candidate
        response = requests.patch(
            url(candidate), headers=JSON, auth=officer, json={"layout": "view"}, timeout=30
        )
        assert response.status_code == 204, response.text


@pytest.fixture
def zope_conf_time_zone(monkeypatch):
    """The process as thidua's zope.conf starts it: Zope's config handler puts
    ``TZ`` in ``os.environ`` (``<environment>``), then the starter notifies
    ProcessStarting."""
    from zope.event import notify
    from zope.processlifetime import ProcessStarting

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    notify(ProcessStarting())
    yield
    monkeypatch.undo()
    time.tzset()


class TestProcessTimeZone:
    """Finding 16: the C library read ``TZ`` only at the first ``mktime``, which
    the first PATCH of a date made: the event log moved from UTC to +07:00."""

    def test_a_date_patch_leaves_the_process_time_zone_alone(self, http_world, zope_conf_time_zone):
        before = (time.localtime().tm_gmtoff, time.tzname, os.environ.get("TZ"))
        officer = as_user(http_world, "province", "UnitOfficer")
        response = requests.patch(
            url(http_world.province_candidate),
            headers=JSON,
            auth=officer,
            json={"birth_date": "1975-04-30", "honoured_date": "2024-09-02"},
            timeout=30,
        )
        assert response.status_code == 204, response.text
        after = (time.localtime().tm_gmtoff, time.tzname, os.environ.get("TZ"))
        assert after == before
        assert before[0] == 7 * 3600  # the zone zope.conf names, from the start
        transaction.begin()
        assert http_world.province_candidate.birth_date == datetime.date(1975, 4, 30)

    def test_zope_starts_in_the_zone_its_configuration_names(self, tmp_path, run_python):
        """The real start: Zope reads thidua's zope.conf, then a first strptime."""
        from thidua.deploy.instance import write_instance

        zope_conf = write_instance(tmp_path / "var", port=0)
        script = (
            "import datetime, sys, time\n"
            "from Zope2.Startup.run import make_wsgi_app\n"
            "make_wsgi_app({}, sys.argv[1])\n"
            "started = time.localtime().tm_gmtoff\n"
            "datetime.datetime.strptime('2024-09-02', '%Y-%m-%d')\n"
            "print(started, time.localtime().tm_gmtoff)\n"
        )
        result = run_python("-c", script, str(zope_conf), env={"TZ": "UTC"}, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        started, after_strptime = result.stdout.split()[-2:]
        assert (started, after_strptime) == ("25200", "25200")


def configured_retries():
    template = Path(thidua.deploy.__file__).parent / "templates" / "zope.conf"
    return int(re.search(r"^max-conflict-retries (\d+)$", template.read_text(), re.M).group(1))


FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ")
MIDDLE = ("Văn", "Thị", "Đức", "Minh")
GIVEN = ("An", "Bình", "Chi")
NAMES = [f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN]


class TestConcurrentCreates:
    """Finding 15: 3 of 140 concurrent creates in one movement answered 500
    ConflictError after Zope's retries (plone.folder's order list)."""

    CREATES = 120

    def test_a_create_writes_nothing_on_the_movement(self, http_world):
        """Only the folder's BTree buckets and counter, which ZODB merges."""
        movement = Acquisition.aq_base(http_world.province_movement)
        movement._p_activate()
        serial, modified = movement._p_serial, movement.modified()
        officer = as_user(http_world, "province", "UnitOfficer")
        response = requests.post(
            url(http_world.province_movement),
            headers=JSON,
            auth=officer,
            json={"@type": "Candidate", "title": "Đỗ Thị D", "kind": "individual"},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        transaction.begin()
        movement._p_activate()
        assert (movement._p_serial, movement.modified()) == (serial, modified)
        assert "plone.folder.ordered.order" not in IAnnotations(movement)

    def test_a_change_of_its_fields_still_modifies_it(self, http_world):
        movement = http_world.province_movement
        modified = movement.modified()
        response = requests.patch(
            url(movement), headers=JSON, auth=ADMIN, json={"lead_agency": "Sở Nội vụ"}, timeout=30
        )
        assert response.status_code == 204, response.text
        transaction.begin()
        assert movement.modified() > modified

    def test_every_create_succeeds(self, http_world, monkeypatch):
        """With the retries thidua's zope.conf gives: a conflict in the catalog's
        full-text index (a new word in two creates at once) needs a retry."""
        from ZPublisher.HTTPRequest import HTTPRequest

        monkeypatch.setattr(HTTPRequest, "retry_max_count", configured_retries())
        from concurrent.futures import ThreadPoolExecutor

        officer = as_user(http_world, "province", "UnitOfficer")
        movement = http_world.province_movement

        def create(number):
            with requests.Session() as session:
                return session.post(
                    url(movement),
                    headers=JSON,
                    auth=officer,
                    json={
                        "@type": "Candidate",
                        "title": NAMES[number % len(NAMES)],
                        "kind": "individual",
                        "organisation": "Sở Giáo dục",
                    },
                    timeout=60,
                ).status_code

        # A site in use: the catalog already knows the names and the creator.
        for number in range(len(NAMES)):
            assert create(number) == 201
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(create, range(self.CREATES)))
        assert statuses.count(201) == self.CREATES, sorted(set(statuses))
        transaction.begin()
        expected = 1 + len(NAMES) + self.CREATES
        assert len(movement.objectIds()) == expected
        assert len(api.content.find(context=movement, portal_type="Candidate")) == expected


class TestOversightHoweverDelegated:
    """Finding 14: a CouncilSecretary of the province given on its Sharing tab
    could not read a commune's submitted candidates; one in the group could."""

    def share(self, unit, user_id, roles):
        response = requests.post(
            f"{url(unit)}/@sharing",
            headers=JSON,
            auth=ADMIN,
            json={"entries": [{"id": user_id, "type": "user", "roles": roles}]},
            timeout=30,
        )
        assert response.status_code == 204, response.text

    def search(self, credentials, **query):
        response = requests.get(
            f"{api.portal.get().absolute_url()}/@search",
            params={"portal_type": "Candidate", **query},
            headers=JSON,
            auth=credentials,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return {item["@id"] for item in response.json()["items"]}

    @pytest.fixture
    def submitted(self, http_world):
        officer = as_user(http_world, "ward", "UnitOfficer")
        candidate = http_world.ward_candidate
        response = requests.post(
            f"{url(candidate)}/@workflow/submit", headers=JSON, auth=officer, json={}, timeout=30
        )
        assert response.status_code == 200, response.text
        for user_id in ("shared-secretary", "shared-member"):
            api.user.create(email=f"{user_id}@example.vn", username=user_id, password=PASSWORD)
        transaction.commit()
        return candidate

    def test_a_secretary_given_on_the_sharing_tab(self, http_world, submitted):
        self.share(http_world.province, "shared-secretary", {"CouncilSecretary": True})
        secretary = ("shared-secretary", PASSWORD)
        assert requests.get(url(submitted), headers=JSON, auth=secretary, timeout=30).ok
        assert url(submitted) in self.search(secretary)
        # Read-only oversight: the parent's secretary does not act for the commune.
        response = requests.post(
            f"{url(submitted)}/@workflow/start_review", headers=JSON, auth=secretary, timeout=30
        )
        assert response.status_code in (401, 403)

    def test_the_same_as_through_the_group(self, http_world, submitted):
        secretary = as_user(http_world, "province", "CouncilSecretary")
        assert requests.get(url(submitted), headers=JSON, auth=secretary, timeout=30).ok
        assert url(submitted) in self.search(secretary)

    def test_another_role_on_the_province_gives_nothing(self, http_world, submitted):
        self.share(http_world.province, "shared-member", {"CouncilMember": True})
        member = ("shared-member", PASSWORD)
        response = requests.get(url(submitted), headers=JSON, auth=member, timeout=30)
        assert response.status_code == 401
        assert url(submitted) not in self.search(member)

    def test_the_oversight_ends_with_the_role(self, http_world, submitted):
        self.share(http_world.province, "shared-secretary", {"CouncilSecretary": True})
        self.share(http_world.province, "shared-secretary", {"CouncilSecretary": False})
        secretary = ("shared-secretary", PASSWORD)
        response = requests.get(url(submitted), headers=JSON, auth=secretary, timeout=30)
        assert response.status_code == 401
        assert url(submitted) not in self.search(secretary)

    def test_the_draft_stays_the_communes(self, http_world):
        api.user.create(email="s@example.vn", username="shared-secretary", password=PASSWORD)
        transaction.commit()
        self.share(http_world.province, "shared-secretary", {"CouncilSecretary": True})
        secretary = ("shared-secretary", PASSWORD)
        draft = http_world.ward_candidate
        assert requests.get(url(draft), headers=JSON, auth=secretary, timeout=30).status_code == 401
        assert url(draft) not in self.search(secretary)


EVIL = "https://evil.example"


class TestCrossSiteCookieWrites:
    """Finding 7: a page on another site made the visitor's browser write
    through the API with the login cookie (``text/plain``, no preflight)."""

    @pytest.fixture
    def browser(self, http_world, functional_portal):
        """The officer logged in through the site's login form."""
        session = logged_in(functional_portal, http_world.users[("province", "UnitOfficer")])
        yield session
        session.close()

    @pytest.fixture
    def under_review(self, http_world, functional_portal):
        from plone.app.testing import login
        from plone.app.testing import logout
        from plone.app.testing import setRoles
        from plone.app.testing import TEST_USER_ID
        from plone.app.testing import TEST_USER_NAME

        candidate = http_world.province_candidate
        setRoles(functional_portal, TEST_USER_ID, ["Manager"])
        login(functional_portal, TEST_USER_NAME)
        force_state(candidate, "under_review")
        logout()
        transaction.commit()
        return candidate

    def test_a_vote_from_another_site(self, http_world, functional_portal, under_review):
        member = logged_in(functional_portal, http_world.users[("province", "CouncilMember")])
        before = last_transaction(functional_portal)
        response = member.post(
            f"{url(under_review)}/@votes",
            headers={"Accept": "application/json", "Content-Type": "text/plain", "Origin": EVIL},
            data='{"vote": "no"}',
            timeout=30,
        )
        assert response.status_code == 403, response.text
        assert last_transaction(functional_portal) == before
        own_page = functional_portal.absolute_url().split("/plone")[0]
        response = member.post(
            f"{url(under_review)}/@votes",
            headers={**JSON, "Origin": own_page},
            json={"vote": "yes"},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        member.close()

    def withdraw(self, session, candidate, **headers):
        return session.post(
            f"{url(candidate)}/@workflow/withdraw",
            headers={"Accept": "application/json", "Content-Type": "text/plain", **headers},
            data='{"comment": "Rút hồ sơ"}',
            timeout=30,
        )

    def test_a_withdraw_from_another_site(self, browser, http_world, functional_portal):
        candidate = http_world.province_candidate
        before = last_transaction(functional_portal)
        response = self.withdraw(browser, candidate, Origin=EVIL, **{"Accept-Language": "vi"})
        assert response.status_code == 403, response.text
        error = response.json()["error"]
        assert error["type"] == "Forbidden"
        assert "trang của một hệ thống khác" in error["message"]
        assert last_transaction(functional_portal) == before
        assert state(candidate) == "draft"
        english = self.withdraw(browser, candidate, Origin=EVIL, **{"Accept-Language": "en"})
        assert "sent from a page of another site" in english.json()["error"]["message"]

    def test_a_create_from_another_site_by_its_referer(self, browser, http_world):
        movement = http_world.province_movement
        response = browser.post(
            url(movement),
            headers={
                "Accept": "application/json",
                "Content-Type": "text/plain",
                "Referer": f"{EVIL}/trap.html",
            },
            data='{"@type": "Candidate", "title": "Giả mạo"}',
            timeout=30,
        )
        assert response.status_code == 403, response.text
        transaction.begin()
        assert [c.title for c in movement.objectValues()] == ["Nguyễn Văn A"]

    @pytest.mark.parametrize("method", ["patch", "delete"])
    def test_other_unsafe_methods(self, browser, http_world, method):
        candidate = http_world.province_candidate
        response = getattr(browser, method)(
            url(candidate),
            headers={"Accept": "application/json", "Content-Type": "text/plain", "Origin": "null"},
            data='{"title": "Bị sửa"}',
            timeout=30,
        )
        assert response.status_code == 403, response.text
        transaction.begin()
        assert http_world.province_movement["candidate"].title == "Nguyễn Văn A"

    def test_from_a_page_of_the_site(self, browser, http_world, functional_portal):
        origin = functional_portal.absolute_url().split("/plone")[0]
        response = self.withdraw(browser, http_world.province_candidate, Origin=origin)
        assert response.status_code == 200, response.text
        assert state(http_world.province_candidate) == "withdrawn"

    def test_without_origin_or_referer(self, browser, http_world):
        response = self.withdraw(browser, http_world.province_candidate)
        assert response.status_code == 200, response.text

    def test_a_portal_with_the_authorization_header(self, http_world):
        officer = as_user(http_world, "province", "UnitOfficer")
        response = requests.post(
            f"{url(http_world.province_candidate)}/@workflow/withdraw",
            headers={**JSON, "Origin": EVIL},
            auth=officer,
            json={},
            timeout=30,
        )
        assert response.status_code == 200, response.text

    def test_reading_is_not_refused(self, browser, http_world):
        response = browser.get(
            url(http_world.province_candidate),
            headers={"Accept": "application/json", "Origin": EVIL},
            timeout=30,
        )
        assert response.status_code == 200, response.text

    @pytest.mark.parametrize("credentials, status", [(True, 200), (False, 403)])
    def test_an_origin_the_cors_settings_allow(self, browser, http_world, credentials, status):
        portal_origin = "https://congthongtin.example.gov.vn"
        api.portal.set_registry_record("thidua.cors.allowed_origins", [portal_origin])
        api.portal.set_registry_record("thidua.cors.allow_credentials", credentials)
        transaction.commit()
        response = self.withdraw(browser, http_world.province_candidate, Origin=portal_origin)
        assert response.status_code == status, response.text

    def test_classic_forms_keep_plone_protect(self, browser, http_world):
        candidate = http_world.province_candidate
        response = browser.post(
            f"{url(candidate)}/content_status_modify",
            data={"workflow_action": "withdraw"},
            timeout=30,
        )
        assert response.status_code in (200, 403)
        assert state(candidate) == "draft"
