"""Replication (thidua.replication) completed: the relations read both ways
with the reader's permissions, the rules an activity keeps (400 naming the
field), a model's reach from the catalog and its ``thidua_reach`` index kept
true, the honour board ordered by reach, the reach on the model's public
page without personal data nor internal items, the pages of an activity and
of a unit, and the 1006 upgrade step."""

from conftest import honour
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from thidua.chains.status import force_state
from thidua.replication.reach import reach
from thidua.replication.reach import score
from thidua.testing import PASSWORD
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.event import notify
from zope.intid.interfaces import IIntIds
from zope.lifecycleevent import ObjectModifiedEvent

import datetime
import html
import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
PERSONAL = ("0912345678", "001234567890")


def _relation(obj):
    return RelationValue(getUtility(IIntIds).getId(obj))


def _activity(unit, models, kind="site_visit", day=datetime.date(2025, 3, 14), **extra):
    return api.content.create(
        container=unit,
        type="Activity",
        title=extra.pop("title", f"Hoạt động {kind}"),
        activity_kind=kind,
        activity_date=day,
        models=[_relation(model) for model in models],
        **extra,
    )


def _adoption(unit, model, day=datetime.date(2025, 4, 1), **extra):
    return api.content.create(
        container=unit,
        type="Adoption",
        title=extra.pop("title", f"{unit.title} áp dụng mô hình"),
        adopted_model=_relation(model),
        adoption_date=day,
        **extra,
    )


def _indexed_reach(candidate):
    catalog = api.portal.get_tool("portal_catalog")
    [brain] = catalog.unrestrictedSearchResults(UID=candidate.UID())
    return brain.thidua_reach


@pytest.fixture
def models(world, portal):
    """The province's model honoured, the ward's selected."""
    honour(portal, world.province_candidate)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    force_state(world.ward_candidate, "selected")
    return world


class TestReachIndex:
    def test_follows_add_publish_adopt_modify_retract_delete(self, models, portal):
        province, ward = models.province_candidate, models.ward_candidate
        assert _indexed_reach(province) == 0
        visit = _activity(models.ward, [province], participants=40)
        assert _indexed_reach(province) == 0  # internal: not public reach
        api.content.transition(obj=visit, transition="publish")
        assert _indexed_reach(province) == 1
        ward_adoption = _adoption(models.ward, province)
        api.content.transition(obj=ward_adoption, transition="publish")
        assert _indexed_reach(province) == 2
        again = _adoption(models.ward, province, title="Áp dụng lần hai")
        api.content.transition(obj=again, transition="publish")
        assert _indexed_reach(province) == 2  # the same unit adopting twice counts once
        catalog = api.portal.get_tool("portal_catalog")
        assert [b.UID for b in catalog(thidua_reach=2)] == [province.UID()]
        # Modified: the visit now features the ward's model instead.
        visit.models = [_relation(ward)]
        notify(ObjectModifiedEvent(visit))
        assert (_indexed_reach(province), _indexed_reach(ward)) == (1, 1)
        api.content.transition(obj=visit, transition="retract", comment="Sai thông tin")
        assert _indexed_reach(ward) == 0
        api.content.delete(obj=ward_adoption)
        assert _indexed_reach(province) == 1
        api.content.delete(obj=again)
        assert _indexed_reach(province) == 0

    def test_moved_to_another_unit(self, models, portal):
        province = models.province_candidate
        first = _adoption(models.ward, province)
        second = _adoption(models.ward, province, title="Áp dụng lần hai")
        for adoption in (first, second):
            api.content.transition(obj=adoption, transition="publish")
        assert _indexed_reach(province) == 1
        api.content.move(source=second, target=models.province)
        assert _indexed_reach(province) == 2
        assert score(province.UID()) == 2


class TestReachFigures:
    def test_per_kind_participants_units_and_levels(self, models, portal):
        province = models.province_candidate
        visit = _activity(
            models.ward,
            [province],
            participants=40,
            participating_units=[_relation(models.province)],
        )
        article = _activity(models.province, [province], kind="article", outlet="Báo Gia Lai")
        _activity(models.ward, [province], kind="writing_contest", participants=500)
        for item in (visit, article, _adoption(models.ward, province, participants=12)):
            api.content.transition(obj=item, transition="publish")
        public = reach(province, public_only=True, language="vi")
        assert public["activities"]["site_visit"] == 1
        assert public["activities"]["article"] == 1
        assert public["activities"]["writing_contest"] == 0  # still internal
        assert public["activities_total"] == 2
        assert public["participants"] == 52
        assert public["adopting_units_total"] == 1
        assert [u["title"] for u in public["adopting_units"]] == ["Phường"]
        assert public["participating_units_total"] == 2
        assert {level["token"] for level in public["levels"]} == {"province", "commune"}
        everything = reach(province, public_only=False, language="en")
        assert everything["activities"]["writing_contest"] == 1
        assert everything["participants"] == 552


def post(url, user, body, language="vi"):
    headers = {**JSON, "Accept-Language": language}
    return requests.post(url, json=body, headers=headers, auth=(user, PASSWORD), timeout=30)


def get(url, user=None, **params):
    auth = (user, PASSWORD) if user else None
    return requests.get(url, headers=JSON, auth=auth, params=params, timeout=30)


@pytest.fixture
def http_models(http_world, functional_portal):
    honour(functional_portal, http_world.province_candidate)
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    force_state(http_world.ward_candidate, "selected")
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return http_world


def _body(world, **changes):
    body = {
        "@type": "Activity",
        "title": "Tham quan mô hình dân vận khéo",
        "activity_kind": "site_visit",
        "activity_date": "2025-03-14",
        "models": [world.province_candidate.UID()],
        "participants": 40,
    }
    body.update(changes)
    return body


class TestValidation:
    def test_models_must_be_selected_or_honoured(self, http_world, functional_portal):
        http_models = http_world  # the ward's candidate is a draft
        officer = http_models.users[("ward", "UnitOfficer")]
        for language, words in (("vi", "lựa chọn hoặc"), ("en", "selected or honoured")):
            body = _body(http_models, models=[http_models.ward_candidate.UID()])
            response = post(http_models.ward.absolute_url(), officer, body, language)
            assert response.status_code == 400, response.text
            error = response.json()["error"]
            assert error["field"] == "models"
            assert words in error["message"]

    def test_dates(self, http_models):
        officer = http_models.users[("ward", "UnitOfficer")]
        url = http_models.ward.absolute_url()
        far = (datetime.date.today() + datetime.timedelta(days=800)).isoformat()
        tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
        response = post(url, officer, _body(http_models, activity_date=far))
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "activity_date"
        # Scheduled next month: recorded.
        soon = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        assert post(url, officer, _body(http_models, activity_date=soon)).status_code == 201
        adoption = {
            "@type": "Adoption",
            "title": "Áp dụng",
            "adopted_model": http_models.province_candidate.UID(),
            "adoption_date": tomorrow,
        }
        response = post(url, officer, adoption, "en")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["field"] == "adoption_date" and "once it happened" in error["message"]
        draft_model = {**adoption, "adoption_date": "2025-01-02"}
        draft_model["adopted_model"] = http_models.ward_candidate.UID()
        assert post(url, officer, draft_model).status_code == 201  # selected: fine

    def test_contest_form_and_learning_movement(self, http_models):
        officer = http_models.users[("ward", "UnitOfficer")]
        url = http_models.ward.absolute_url()
        for field in ("contest_form", "learning_movement"):
            body = _body(http_models, **{field: http_models.ward_plan.UID()})
            response = post(url, officer, body)
            assert response.status_code == 400, response.text
            assert response.json()["error"]["field"] == field
        body = _body(
            http_models,
            activity_kind="learning_movement",
            learning_movement=http_models.ward_movement.UID(),
        )
        response = post(url, officer, body)
        assert response.status_code == 201, response.text
        assert response.json()["learning_movement"]["@id"].endswith("/movement")


class TestRestReach:
    def test_both_ways_with_permissions(self, http_models, functional_portal):
        officer = http_models.users[("ward", "UnitOfficer")]
        secretary = http_models.users[("ward", "CouncilSecretary")]
        url = http_models.ward.absolute_url()
        public = post(url, officer, _body(http_models, outlet="Báo Gia Lai")).json()
        post(public["@id"] + "/@workflow/publish", secretary, {})
        internal = post(url, officer, _body(http_models, title="Hội nghị nội bộ")).json()
        candidate = http_models.province_candidate.absolute_url()
        anonymous = get(candidate + "/@reach")
        assert anonymous.status_code == 200, anonymous.text
        data = anonymous.json()
        assert data["public_only"] is True
        assert [item["@id"] for item in data["items"]] == [public["@id"]]
        item = data["items"][0]
        assert item["outlet"] == "Báo Gia Lai" and item["kind"]["token"] == "site_visit"
        assert item["date"] == "2025-03-14" and item["unit"] == "Phường"
        assert data["activities"]["site_visit"] == 1 and data["participants"] == 40
        for number in PERSONAL:
            assert number not in anonymous.text
        staff = get(candidate + "/@reach", officer).json()
        assert {item["@id"] for item in staff["items"]} == {public["@id"], internal["@id"]}
        assert staff["activities"]["site_visit"] == 2
        # The other way: the activity names its model.
        activity = get(public["@id"]).json()
        assert [m["@id"] for m in activity["models"]] == [candidate]
        # A selected (not yet public) model's reach is for its staff only.
        selected = http_models.ward_candidate.absolute_url() + "/@reach"
        assert get(selected).status_code == 401
        assert get(selected, http_models.users[("ward", "CouncilMember")]).status_code == 200
        # Only a candidate has a reach.
        assert get(http_models.province_movement.absolute_url() + "/@reach").status_code == 404

    def test_honour_board_ordered_by_reach(self, http_world, functional_portal):
        http_models = http_world
        api.portal.set_registry_record("plone.default_language", "vi")
        older = honour(functional_portal, http_models.province_candidate)
        newer = honour(functional_portal, http_models.ward_candidate)
        setRoles(functional_portal, TEST_USER_ID, ["Manager"])
        older.honoured_date = datetime.date(2020, 1, 1)
        older.reindexObject()
        newer.honoured_date = datetime.date(2024, 1, 1)
        newer.reindexObject()
        adoption = _adoption(http_models.ward, older)
        api.content.transition(obj=adoption, transition="publish")
        transaction.commit()
        board = functional_portal.absolute_url() + "/@honour-board"
        default = get(board).json()
        assert [i["UID"] for i in default["items"]] == [newer.UID(), older.UID()]
        by_reach = get(board, sort_on="reach", b_size=1)
        assert by_reach.status_code == 200
        data = by_reach.json()
        assert [(i["UID"], i["reach"]) for i in data["items"]] == [(older.UID(), 1)]
        assert data["items_total"] == 2 and "batching" in data
        wrong = get(board, sort_on="getObjSize")
        assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "sort_on"
        # The Classic page orders the same way, and says so in its menu.
        page = requests.get(
            functional_portal.absolute_url() + "/@@honour-board",
            params={"sort_on": "reach"},
            timeout=30,
        )
        text = html.unescape(page.text)
        assert page.status_code == 200 and "Lan tỏa rộng nhất trước" in text
        first, second = (text.index(f'href="{c.absolute_url()}"') for c in (older, newer))
        assert first < second


class TestPages:
    def test_public_page_shows_public_reach_only(self, http_models, functional_portal):
        api.portal.set_registry_record("plone.default_language", "vi")
        setRoles(functional_portal, TEST_USER_ID, ["Manager"])
        model = http_models.province_candidate
        article = _activity(
            http_models.province,
            [model],
            kind="article",
            title="Bài viết về gương điển hình",
            outlet="Báo Gia Lai",
            link="https://baogialai.com.vn/bai-viet",
        )
        api.content.transition(obj=article, transition="publish")
        _activity(http_models.ward, [model], title="Hội nghị nội bộ chưa công khai")
        for unit in (http_models.ward, http_models.province):
            api.content.transition(obj=_adoption(unit, model), transition="publish")
        transaction.commit()
        page = requests.get(model.absolute_url(), timeout=30)
        assert page.status_code == 200
        text = html.unescape(page.text)
        assert "Nhân rộng điển hình" in text
        assert "Bài viết về gương điển hình" in text and "Báo Gia Lai" in text
        assert "Hội nghị nội bộ chưa công khai" not in text
        assert "2 đơn vị đã học tập, áp dụng" in text
        assert "Phường" in text and "Tỉnh" in text
        assert "14/03/2025" in text
        for number in PERSONAL:
            assert number not in text
        staff = requests.get(
            model.absolute_url(),
            auth=(http_models.users[("ward", "UnitOfficer")], PASSWORD),
            timeout=30,
        )
        assert "Hội nghị nội bộ chưa công khai" in staff.text
        assert "thidua-internal" in staff.text

    def test_activity_and_unit_pages(self, http_models, functional_portal):
        api.portal.set_registry_record("plone.default_language", "vi")
        setRoles(functional_portal, TEST_USER_ID, ["Manager"])
        model = http_models.province_candidate
        older = _activity(http_models.ward, [model], title="Tham quan năm trước")
        older.activity_date = datetime.date(2024, 5, 2)
        older.reindexObject()
        visit = _activity(
            http_models.ward,
            [model],
            title="Tham quan học tập",
            participants=35,
            outlet="Đài PT-TH",
        )
        for item in (older, visit):
            api.content.transition(obj=item, transition="publish")
        transaction.commit()
        page = html.unescape(requests.get(visit.absolute_url(), timeout=30).text)
        assert "Tham quan, học tập kinh nghiệm" in page or "Tham quan" in page
        assert "14/03/2025" in page and "Nguyễn Văn A" in page and "35" in page
        for technical in ("activity_kind", "activity_date", "participating_units", "models"):
            assert f">{technical}<" not in page and f"{technical}:" not in page
        unit = html.unescape(requests.get(http_models.ward.absolute_url(), timeout=30).text)
        unit = unit[unit.index('id="thidua-unit-replication"') :]
        assert unit.index("Tham quan học tập") < unit.index("Tham quan năm trước")


def test_the_upgrade_adds_the_reach(portal, world):
    from thidua.upgrades.replication import add_reach

    honour(portal, world.province_candidate)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    adoption = _adoption(world.ward, world.province_candidate)
    api.content.transition(obj=adoption, transition="publish")
    catalog = api.portal.get_tool("portal_catalog")
    catalog.delIndex("thidua_reach")
    catalog.delColumn("thidua_reach")
    catalog.delColumn("thidua_level")
    add_reach(api.portal.get_tool("portal_setup"))
    assert "thidua_reach" in catalog.indexes()
    assert _indexed_reach(world.province_candidate) == 1
    [unit] = catalog.unrestrictedSearchResults(UID=world.ward.UID())
    assert unit.thidua_level == "commune"


def test_the_forms_say_why_in_vietnamese(world, portal):
    """The fields themselves keep the rules, so the Classic forms show the
    message under the field as the API does."""
    from thidua.content.rules import RuleBroken
    from thidua.replication.content import IActivity
    from thidua.replication.content import IAdoption
    from zope.i18n import translate

    field = IActivity["models"].bind(world.ward)
    with pytest.raises(RuleBroken) as broken:
        field.validate([world.ward_candidate])  # a draft
    message = translate(broken.value.doc(), target_language="vi")
    assert message.startswith("Chỉ nhân rộng điển hình đã được Hội đồng lựa chọn hoặc tôn vinh")
    assert "Nguyễn Văn A" in message
    honour(portal, world.province_candidate)
    field.validate([world.province_candidate])
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(RuleBroken) as broken:
        IAdoption["adoption_date"].bind(world.ward).validate(tomorrow)
    assert "đến hôm nay" in translate(broken.value.doc(), target_language="vi")
