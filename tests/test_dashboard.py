"""``@dashboard``: counts against quotas, quarterly introductions on time or late."""

from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from thidua.chains.status import force_state
from thidua.dashboard import dashboard
from thidua.dashboard import quarter_status
from thidua.introduce import introduce

import datetime
import pytest
import requests
import transaction


JSON = {"Accept": "application/json"}
THIS_YEAR = datetime.date.today().year


def populate(world, portal):
    """Province movement: quotas 1/3/0, four more candidates in several states;
    the ward introduces two models upward, one for a quarter long past."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    movement = world.province_movement
    movement.quota_collective, movement.quota_individual, movement.quota_household = 1, 3, 0
    for title, kind, state in (
        ("Tập thể A", "collective", "selected"),
        ("Cá nhân B", "individual", "submitted"),
        ("Cá nhân C", "individual", "honoured"),
        ("Hộ D", "household", "draft"),
    ):
        force_state(
            api.content.create(container=movement, type="Candidate", title=title, kind=kind), state
        )
    ward_movement = world.ward_movement
    for title, year, quarter in (("Mới", THIS_YEAR + 1, 1), ("Muộn", THIS_YEAR - 1, 4)):
        model = api.content.create(
            container=ward_movement,
            type="Candidate",
            title=title,
            kind="individual",
            year=year,
            quarter=quarter,
        )
        force_state(model, "selected")
        introduce(model, api.content.get_uuid(movement))
    setRoles(portal, TEST_USER_ID, ["Member"])


class TestCounts:
    def test_by_movement_kind_and_state_against_quotas(self, world, portal):
        populate(world, portal)
        result = dashboard(world.province_plan)
        [row] = result["movements"]
        assert row["title"] == "Phong trào"
        individual = row["kinds"]["individual"]
        # world's own draft, B submitted, C honoured, and the two introduced (submitted)
        assert individual["states"] == {"draft": 1, "honoured": 1, "submitted": 3}
        assert (individual["quota"], individual["achieved"], individual["progress"]) == (
            3,
            1,
            0.333,
        )
        collective = row["kinds"]["collective"]
        assert (collective["achieved"], collective["progress"]) == (1, 1.0)
        assert row["kinds"]["household"]["progress"] is None  # no quota
        assert row["total"] == 7
        assert result["totals"]["states"]["submitted"] == 3
        # The unit's dashboard covers its plans but not its sub-units' movements.
        assert dashboard(world.province)["totals"]["total"] == 7

    def test_no_candidate_is_loaded(self, world, portal):
        """Counted from the catalog's indexes: every candidate stays a ghost, the
        selected and honoured ones too (the catalog knows whose nurture plan is
        off track, thidua.nurture)."""
        populate(world, portal)
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog.unrestrictedSearchResults(portal_type="Candidate")
        assert {"selected", "honoured"} & {brain.review_state for brain in brains}
        transaction.savepoint(optimistic=True)
        portal._p_jar.cacheMinimize()
        candidates = [brain._unrestrictedGetObject() for brain in brains]
        assert len(candidates) >= 7
        assert all(candidate._p_changed is None for candidate in candidates)
        result = dashboard(world.province)
        assert result["totals"]["total"] == 7
        assert all(candidate._p_changed is None for candidate in candidates)

    def test_quarterly_introductions_per_sub_unit(self, world, portal):
        populate(world, portal)
        ahead = dashboard(world.province, year=THIS_YEAR + 1)["quarterly"]
        [ward] = ahead["units"]
        assert (ward["code"], ahead["quota"], ahead["deadline_day"]) == ("PHUONG", 1, 5)
        assert ward["quarters"]["1"] == {
            "introduced": 1,
            "deadline": f"{THIS_YEAR + 1}-03-05",
            "status": "on_time",
        }
        assert ward["quarters"]["2"]["status"] == "pending"
        past = dashboard(world.province, year=THIS_YEAR - 1)["quarterly"]["units"][0]["quarters"]
        assert past["4"]["status"] == "late"
        assert past["1"]["status"] == "missing"


@pytest.mark.parametrize(
    "arrivals,quota,status",
    [
        ([datetime.date(2025, 3, 5)], 1, "on_time"),
        ([datetime.date(2025, 3, 6)], 1, "late"),
        ([datetime.date(2025, 1, 9), datetime.date(2025, 3, 9)], 2, "late"),
        ([], 1, "missing"),
        ([], 0, "on_time"),  # nothing was due: not missing
    ],
)
def test_quarter_status(arrivals, quota, status):
    assert (
        quarter_status(arrivals, quota, datetime.date(2025, 3, 5), datetime.date(2025, 4, 1))
        == status
    )


def test_pending_before_the_deadline():
    assert quarter_status([], 1, datetime.date(2025, 3, 5), datetime.date(2025, 3, 1)) == "pending"
    # Nothing to wait for with a quota of 0.
    assert quarter_status([], 0, datetime.date(2025, 3, 5), datetime.date(2025, 3, 1)) == "on_time"


class TestDashboardEndpoint:
    @pytest.fixture
    def populated(self, http_world, functional_portal):
        populate(http_world, functional_portal)
        transaction.commit()
        return http_world

    def get(self, obj, auth, **query):
        return requests.get(
            f"{obj.absolute_url()}/@dashboard", headers=JSON, auth=auth, params=query, timeout=30
        )

    def test_staff_of_the_unit_and_admin(self, populated):
        for role in ("UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"):
            response = self.get(
                populated.province_plan, (populated.users[("province", role)], "secret-pw")
            )
            assert response.status_code == 200, (role, response.text)
            assert response.json()["totals"]["total"] == 7
        admin = self.get(populated.province, (SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
        assert admin.status_code == 200

    def test_anonymous_and_other_units_are_refused(self, populated):
        assert self.get(populated.province, None).status_code == 401
        ward_officer = (populated.users[("ward", "UnitOfficer")], "secret-pw")
        assert self.get(populated.province, ward_officer).status_code in (401, 403)

    def test_the_parent_secretary_oversees_the_sub_unit(self, populated):
        secretary = (populated.users[("province", "CouncilSecretary")], "secret-pw")
        assert self.get(populated.ward, secretary).status_code == 200

    def test_a_bad_year_names_the_field(self, populated):
        officer = (populated.users[("province", "UnitOfficer")], "secret-pw")
        response = self.get(populated.province, officer, year="next")
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "year"

    def test_expand_gives_figures_to_staff_only(self, populated):
        officer = (populated.users[("province", "UnitOfficer")], "secret-pw")
        url = populated.province_plan.absolute_url()
        staff = requests.get(
            url, headers=JSON, auth=officer, params={"expand": "dashboard"}, timeout=30
        )
        assert staff.json()["@components"]["dashboard"]["totals"]["total"] == 7
        public = requests.get(url, headers=JSON, params={"expand": "dashboard"}, timeout=30)
        assert public.status_code == 200
        assert public.json()["@components"]["dashboard"] == {"@id": f"{url}/@dashboard"}


def test_counts_are_kept_while_the_catalog_is_unchanged(http_world, functional_portal, monkeypatch):
    """The counts are read from the indexes once while the catalog stays as it
    was committed, for every caller; a candidate moved since counts on the
    very next request, and a transaction that changed the catalog counts what
    it changed."""
    from thidua import dashboard as dashboards

    populate(http_world, functional_portal)
    transaction.commit()
    read = []
    counts = dashboards._counts
    monkeypatch.setattr(dashboards, "_counts", lambda *args: read.append(1) or counts(*args))

    def submitted(role):
        auth = (http_world.users[("province", role)], "secret-pw")
        response = requests.get(
            f"{http_world.province_plan.absolute_url()}/@dashboard",
            headers=JSON,
            auth=auth,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()["totals"]["states"].get("submitted", 0)

    assert submitted("CouncilSecretary") == 3
    assert submitted("UnitOfficer") == 3
    assert len(read) == 1
    # Moved by the secretary's next step, committed: the next request counts it.
    [moved] = api.content.find(portal_type="Candidate", Title="Cá nhân B")
    force_state(moved.getObject(), "public_notice")
    in_this_transaction = dashboard(http_world.province_plan)
    assert in_this_transaction["totals"]["states"]["submitted"] == 2
    assert len(read) == 2
    transaction.commit()
    assert submitted("CouncilSecretary") == 2
    assert submitted("CouncilChair") == 2
    assert len(read) == 3
