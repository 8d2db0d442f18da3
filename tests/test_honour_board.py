"""``@honour-board``: public, batched, filtered, from catalog metadata only."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobImage
from Products.ZCatalog.CatalogBrains import AbstractCatalogBrain
from thidua.chains.status import force_state

import base64
import datetime
import pytest
import re
import requests
import transaction


JSON = {"Accept": "application/json"}
# A 1x1 PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
ITEM_KEYS = {
    "@id",
    "UID",
    "title",
    "description",
    "kind",
    "organisation",
    "field",
    "movement",
    "unit",
    "year",
    "honour_form",
    "honoured_date",
    "image_url",
    "reach",  # the model's reach (thidua.replication.reach.score)
}


def make_board(world, portal):
    """Five honoured candidates over two units, one selected (not yet public)."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    specs = [
        ("province", "Trường THPT Lê Quý Đôn", "collective", "education", 2023, "2023-05-10"),
        ("province", "Bác sĩ Trần Thị B", "individual", "health", 2024, "2024-03-01"),
        ("province", "Hộ ông Lê Văn C", "household", "new_countryside", 2024, None),
        ("ward", "Tổ dân phố 3", "collective", "defence_security", 2022, "2022-11-20"),
        ("ward", "Chị Phạm Thị D", "individual", "education", 2024, "2024-09-02"),
    ]
    board = []
    for unit, title, kind, field, year, honoured in specs:
        candidate = api.content.create(
            container=getattr(world, f"{unit}_movement"),
            type="Candidate",
            title=title,
            description=f"Tóm tắt: {title}",
            kind=kind,
            field=field,
            year=year,
            organisation="UBND",
            honour_form="bang_khen_chu_tich_tinh",
            honoured_date=datetime.date.fromisoformat(honoured) if honoured else None,
            phone="0987654321",
            id_number="079123456789",
            achievements=RichTextValue("<p>Thành tích</p>"),
        )
        force_state(candidate, "honoured")
        board.append(candidate)
    board[1].image = NamedBlobImage(data=PIXEL, filename="portrait.png")
    board[1].reindexObject()
    force_state(world.province_candidate, "selected")
    setRoles(portal, TEST_USER_ID, ["Member"])
    return board


@pytest.fixture
def board(http_world, functional_portal):
    honoured = make_board(http_world, functional_portal)
    transaction.commit()
    return honoured


def get(obj, auth=None, language="vi", **query):
    return requests.get(
        f"{obj.absolute_url()}/@honour-board",
        headers={**JSON, "Accept-Language": language},
        params=query,
        auth=auth,
        timeout=30,
    )


def titles(response):
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


class TestHonourBoard:
    def test_anonymous_reads_every_honoured_model_newest_first(self, board, functional_portal):
        response = get(functional_portal)
        body = response.json()
        assert body["items_total"] == 5
        # The one without a date of its own was honoured today, so it comes first.
        assert titles(response) == [
            "Hộ ông Lê Văn C",
            "Chị Phạm Thị D",
            "Bác sĩ Trần Thị B",
            "Trường THPT Lê Quý Đôn",
            "Tổ dân phố 3",
        ]
        first = body["items"][0]
        assert set(first) == ITEM_KEYS
        assert first["honoured_date"] == datetime.date.today().isoformat()
        doctor = body["items"][2]
        assert doctor["kind"] == {"token": "individual", "title": "Cá nhân"}
        assert doctor["field"]["token"] == "health"
        assert (doctor["unit"], doctor["movement"], doctor["year"]) == ("Tỉnh", "Phong trào", 2024)
        assert doctor["image_url"].endswith("/@@images/image/preview")
        assert requests.get(doctor["image_url"], timeout=30).status_code == 200
        assert body["items"][3]["image_url"] is None
        assert "Accept-Language" in response.headers["Vary"]
        english = get(functional_portal, language="en").json()["items"][2]
        assert english["kind"] == {"token": "individual", "title": "Individual"}
        assert english["field"]["title"] == "Health care and medical ethics"

    def test_no_personal_data_for_anyone(self, board, functional_portal, http_world):
        for auth in (
            None,
            (http_world.users[("province", "UnitOfficer")], "secret-pw"),
            (SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
        ):
            response = get(functional_portal, auth=auth)
            assert "0987654321" not in response.text
            assert "079123456789" not in response.text
            assert all(set(item) == ITEM_KEYS for item in response.json()["items"])

    def test_the_same_board_for_every_role(self, board, functional_portal, http_world):
        expected = titles(get(functional_portal))
        for user in (
            ("province", "UnitOfficer"),
            ("ward", "UnitOfficer"),
            ("province", "CouncilMember"),
            ("province", "CouncilChair"),
        ):
            auth = (http_world.users[user], "secret-pw")
            assert titles(get(functional_portal, auth=auth)) == expected
        admin = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        assert titles(get(functional_portal, auth=admin)) == expected

    def test_below_a_unit_plan_or_movement(self, board, http_world):
        ward = ["Chị Phạm Thị D", "Tổ dân phố 3"]
        assert titles(get(http_world.ward)) == ward
        assert titles(get(http_world.ward_plan)) == ward
        assert titles(get(http_world.ward_movement)) == ward
        # The province unit holds the ward: its board shows both.
        assert len(titles(get(http_world.province))) == 5

    @pytest.mark.parametrize(
        "query,expected",
        [
            ({"kind": "collective"}, ["Trường THPT Lê Quý Đôn", "Tổ dân phố 3"]),
            ({"field": "education"}, ["Chị Phạm Thị D", "Trường THPT Lê Quý Đôn"]),
            ({"year": "2024"}, ["Hộ ông Lê Văn C", "Chị Phạm Thị D", "Bác sĩ Trần Thị B"]),
            ({"unit": "PHUONG"}, ["Chị Phạm Thị D", "Tổ dân phố 3"]),
            ({"SearchableText": "Quý Đôn"}, ["Trường THPT Lê Quý Đôn"]),
            ({"kind": "individual", "year": "2024"}, ["Chị Phạm Thị D", "Bác sĩ Trần Thị B"]),
            ({"year": "1999"}, []),
            ({"SearchableText": "Xuân"}, []),
            ({"kind": "household", "field": "health"}, []),
        ],
    )
    def test_filters(self, board, functional_portal, query, expected):
        assert titles(get(functional_portal, **query)) == expected

    def test_movement_and_unit_filters_take_uids(self, board, functional_portal, http_world):
        movement = api.content.get_uuid(http_world.ward_movement)
        unit = api.content.get_uuid(http_world.ward)
        assert len(titles(get(functional_portal, movement=movement))) == 2
        assert len(titles(get(functional_portal, unit=unit))) == 2
        assert titles(get(functional_portal, unit="NOWHERE")) == []

    def test_batching(self, board, functional_portal):
        page = get(functional_portal, b_size="2", b_start="2").json()
        assert page["items_total"] == 5
        assert [item["title"] for item in page["items"]] == [
            "Bác sĩ Trần Thị B",
            "Trường THPT Lê Quý Đôn",
        ]
        assert {"@id", "first", "last", "next", "prev"} <= set(page["batching"])
        assert "b_start=4" in page["batching"]["next"]

    @pytest.mark.parametrize(
        "query,field",
        [
            ({"kind": "robot"}, "kind"),
            ({"year": "last"}, "year"),
            ({"field": "astrology"}, "field"),
            ({"b_size": "1000"}, "b_size"),
            ({"b_start": "-1"}, "b_start"),
            # ZCTextIndex's query language refuses these: a 400, not a 500
            ({"SearchableText": "Lê ("}, "SearchableText"),
            ({"SearchableText": "AND"}, "SearchableText"),
            ({"SearchableText": "*"}, "SearchableText"),
        ],
    )
    def test_bad_parameters_name_the_field(self, board, functional_portal, query, field):
        response = get(functional_portal, **query)
        assert response.status_code == 400
        assert response.json()["error"]["field"] == field

    def test_expand_on_content(self, board, http_world):
        response = requests.get(
            http_world.ward.absolute_url(),
            headers=JSON,
            params={"expand": "honour-board"},
            timeout=30,
        )
        assert response.status_code == 200
        expanded = response.json()["@components"]["honour-board"]
        assert expanded["items_total"] == 2


def test_served_from_catalog_metadata_without_loading_objects(world, portal, monkeypatch):
    """The board never wakes a candidate: a listing of 100,000 stays cheap."""
    from thidua.services.honour_board.get import HonourBoard

    make_board(world, portal)

    def refuse(*args):
        raise AssertionError("the honour board loaded an object")

    monkeypatch.setattr(AbstractCatalogBrain, "getObject", refuse)
    monkeypatch.setattr(AbstractCatalogBrain, "_unrestrictedGetObject", refuse)
    request = portal.REQUEST
    result = HonourBoard(portal, request)(expand=True)["honour-board"]
    assert result["items_total"] == 5


class TestHonourBoardPage:
    """``@@honour-board``, the public page portals link to."""

    def page(self, obj, **query):
        return requests.get(f"{obj.absolute_url()}/@@honour-board", params=query, timeout=30)

    def test_anonymous_sees_the_gallery_without_personal_data(self, board, functional_portal):
        response = self.page(functional_portal)
        assert response.status_code == 200
        for candidate in board:
            assert candidate.title in response.text
        assert "0987654321" not in response.text
        assert "079123456789" not in response.text
        assert "/@@images/image/preview" in response.text

    def test_filters_and_batches(self, board, http_world):
        response = self.page(http_world.province, kind="collective")
        assert "Tổ dân phố 3" in response.text
        assert "Bác sĩ Trần Thị B" not in response.text
        paged = self.page(http_world.province, b_size="2")
        assert "b_start=2" in paged.text

    def test_a_bad_filter_is_said_on_the_page(self, board, functional_portal):
        response = self.page(functional_portal, year="năm ngoái")
        assert response.status_code == 400
        # The filter form always holds "year": the alert must name it and its range.
        alert = re.search(r'<div class="alert alert-warning"[^>]*>(.*?)</div>', response.text, re.S)
        assert alert is not None
        assert all(word in alert.group(1) for word in ("year", "1945", "2200"))
        # and the page lists nobody rather than an unfiltered board.
        assert not any(candidate.title in response.text for candidate in board)


def test_the_page_sorts_only_its_page_and_loads_no_candidate(board, functional_portal, monkeypatch):
    """The Classic page, five a page and text-searched, asks the catalog to sort
    only as far as its page (ZCatalog's sort limit from b_start and b_size), and
    renders from catalog metadata: every candidate stays a ghost."""
    from Products.ZCatalog.Catalog import Catalog

    portal = functional_portal
    limits = []
    sort_results = Catalog.sortResults

    def recording(self, rs, sort_index, *args, **kwargs):
        limits.append(kwargs.get("limit", args[1] if len(args) > 1 else None))
        return sort_results(self, rs, sort_index, *args, **kwargs)

    monkeypatch.setattr(Catalog, "sortResults", recording)
    catalog = api.portal.get_tool("portal_catalog")
    candidates = [
        brain._unrestrictedGetObject()
        for brain in catalog.unrestrictedSearchResults(portal_type="Candidate")
    ]
    request = portal.REQUEST
    forms = (
        {"b_size": "5"},
        {"b_size": "5", "b_start": "5"},
        {"b_size": "5", "SearchableText": "Thị"},
    )
    for form in forms:
        portal._p_jar.cacheMinimize()
        assert all(candidate._p_changed is None for candidate in candidates)
        limits.clear()
        request.form.clear()
        request.form.update(form)
        html = portal.restrictedTraverse("@@honour-board")()
        assert limits == [int(form.get("b_start", 0)) + 5], form
        assert all(candidate._p_changed is None for candidate in candidates), form
    assert board[1].title in html
    assert board[0].title not in html


def test_the_newest_first_walk_pages_as_the_catalog_sorts(world, portal):
    """Where the matches are many, the board walks the date index from its
    newest day instead of having the catalog read every match's date: the
    pages, their order by date and the count are the catalog's own, a match
    without a date neither listed nor counted, and a narrow filter left to the
    catalog's sort."""
    from thidua import honour_board

    setRoles(portal, TEST_USER_ID, ["Manager"])
    days = [1, 5, 5, 9, 12, 12, 12, 20, 3, 28, 17, 8, None]
    for number, day in enumerate(days):
        candidate = api.content.create(
            container=world.province_movement,
            type="Candidate",
            title=f"Điển hình {number}",
            kind="collective" if number % 4 else "household",
            honoured_date=datetime.date(2024, 4, day) if day else None,
        )
        force_state(candidate, "honoured")
        if day is None:
            candidate.honoured_date = None
            candidate.reindexObject()
    # Dated but not honoured: in the date index, not on the board.
    later = api.content.create(
        container=world.province_movement,
        type="Candidate",
        title="Chưa vinh danh",
        honoured_date=datetime.date(2024, 5, 1),
    )
    force_state(later, "selected")
    catalog = api.portal.get_tool("portal_catalog")
    request = portal.REQUEST
    request.form.clear()
    wide = honour_board.query(portal, request)
    unsorted = {k: v for k, v in wide.items() if k not in ("sort_on", "sort_order")}
    assert honour_board.newest_first(catalog, *honour_board.matches(catalog, unsorted), 0, 2)
    request.form.update({"kind": "household"})
    narrow = honour_board.query(portal, request)
    unsorted = {k: v for k, v in narrow.items() if k not in ("sort_on", "sort_order")}
    found, count = honour_board.matches(catalog, unsorted)
    assert honour_board.newest_first(catalog, found, count, 0, 2) is None
    for catalog_query in (wide, narrow):
        for start in range(0, 16, 2):
            ours = honour_board.page(dict(catalog_query), start, 2)
            theirs = catalog(**catalog_query, b_start=start, b_size=2)
            assert [b.thidua_honoured_date for b in ours] == [
                b.thidua_honoured_date for b in theirs
            ], start
            assert ours.actual_result_count == theirs.actual_result_count
    first = honour_board.page(dict(wide), 0, 3)
    assert [b.thidua_honoured_date.day for b in first] == [28, 20, 17]
    assert first.actual_result_count == len(days) - 1


def test_matches_are_kept_while_the_catalog_is_unchanged(
    board, functional_portal, http_world, monkeypatch
):
    """The board's matches are kept between requests while the catalog stays
    as it was committed: the same set twice, and a model honoured since is on
    the very next request. Whoever may see expired content gets their own; a
    model leaves the board the minute it expires, and one published for a
    later day comes on it that day."""
    from DateTime import DateTime
    from thidua import honour_board

    catalog = api.portal.get_tool("portal_catalog")
    query = {"portal_type": "Candidate", "review_state": "honoured"}
    kept = honour_board.matches(catalog, query)
    assert honour_board.matches(catalog, query) is kept
    assert kept[1] == 5
    assert get(functional_portal).json()["items_total"] == 5

    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    force_state(http_world.province_candidate, "honoured")
    # A transaction that changed the catalog reads what it changed, and keeps nothing.
    changed = honour_board.matches(catalog, query)
    assert changed is not kept and changed[1] == 6
    assert honour_board.matches(catalog, query) is not changed
    expired = board[0]
    expired.expiration_date = DateTime() - 1
    expired.reindexObject()
    transaction.commit()

    assert get(functional_portal).json()["items_total"] == 5  # one more, one expired
    owner = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    assert get(functional_portal, auth=owner).json()["items_total"] == 6
    assert expired.title not in titles(get(functional_portal))
    assert expired.title in titles(get(functional_portal, auth=owner))
    assert http_world.province_candidate.title in titles(get(functional_portal))

    soon, coming = board[1], board[2]
    soon.expiration_date = DateTime() + 1
    soon.reindexObject()
    coming.effective_date = DateTime() + 3
    coming.reindexObject()
    transaction.commit()
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    coming_rid = catalog.getrid("/".join(coming.getPhysicalPath()))
    today = honour_board.matches(catalog, query)
    assert honour_board.matches(catalog, query) is today
    assert coming_rid not in today[0]
    monkeypatch.setattr(honour_board, "DateTime", lambda: DateTime() + 2)
    assert honour_board.matches(catalog, query)[1] == today[1] - 1
    monkeypatch.setattr(honour_board, "DateTime", lambda: DateTime() + 4)
    later = honour_board.matches(catalog, query)
    assert coming_rid in later[0] and later[1] == today[1]
