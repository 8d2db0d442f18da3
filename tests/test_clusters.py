"""Emulation clusters and blocs (Cụm, Khối thi đua; issue 15, item 3): a
Cluster in the unit that organises it, members across the unit tree and a head
among them; plans addressed to clusters; seed 004's quarterly rotation naming
blocs, counted in the quarterly cycle (dashboard, @deadlines)."""

from datetime import date
from plone import api
from plone.app.testing import applyProfile
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from thidua import clusters
from thidua.chains.status import force_state
from thidua.content.plan import IPlan
from thidua.content.plan import RotationInvalid
from thidua.dashboard import dashboard
from thidua.deadlines import deadlines
from thidua.introduce import introduce
from thidua.testing import logged_in
from thidua.testing import PASSWORD
from thidua.testing import send
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds

import datetime
import lxml.html
import pytest
import requests
import transaction


THIS_YEAR = datetime.date.today().year


def relation(obj):
    return RelationValue(getUtility(IIntIds).getId(obj))


def grow(world, portal):
    """Under the province a department (SO-VH) and, under the ward, a
    neighbourhood group (TDP-1): a bloc KHOI-1 of the ward and the group, two
    tiers apart, headed by the ward."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    world.department = api.content.create(
        container=world.province,
        type="Unit",
        id="so",
        title="Sở Văn hóa",
        code="SO-VH",
        level="department",
    )
    world.group = api.content.create(
        container=world.ward,
        type="Unit",
        id="tdp",
        title="Tổ dân phố 1",
        code="TDP-1",
        level="agency",
    )
    world.bloc = api.content.create(
        container=world.province,
        type="Cluster",
        id="khoi-1",
        title="Khối phường, xã",
        cluster_kind="bloc",
        code="KHOI-1",
        member_units=[relation(world.ward), relation(world.group)],
        head_unit=relation(world.ward),
    )
    setRoles(portal, TEST_USER_ID, ["Member"])
    return world


@pytest.fixture
def grown(world, portal):
    return grow(world, portal)


def introduce_from(world, portal, unit, year, quarter):
    """``unit`` introduces a selected model of its own into the province's movement."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    plan = api.content.create(
        container=unit, type="Plan", title="Kế hoạch", period_start=2021, period_end=2030
    )
    movement = api.content.create(container=plan, type="Movement", title="Phong trào")
    model = api.content.create(
        container=movement,
        type="Candidate",
        title="Gương",
        kind="individual",
        year=year,
        quarter=quarter,
    )
    force_state(model, "selected")
    introduce(model, api.content.get_uuid(world.province_movement))
    setRoles(portal, TEST_USER_ID, ["Member"])


def statuses(result, code):
    [row] = [unit for unit in result["quarterly"]["units"] if unit["code"] == code]
    return {quarter: cell["status"] for quarter, cell in row["quarters"].items()}


class TestCluster:
    def test_members_head_and_addressed_plans(self, grown, portal):
        assert clusters.members(grown.bloc) == [grown.ward, grown.group]
        assert clusters.head(grown.bloc) == grown.ward
        assert clusters.clusters_of(grown.province) == [grown.bloc]
        setRoles(portal, TEST_USER_ID, ["Manager"])
        grown.province_plan.addressed_clusters = [relation(grown.bloc)]
        from zope.event import notify
        from zope.lifecycleevent import ObjectModifiedEvent

        notify(ObjectModifiedEvent(grown.province_plan))
        assert clusters.cluster_units(grown.province_plan) == [grown.ward, grown.group]
        assert clusters.addressed_to(grown.bloc) == [grown.province_plan]

    def test_no_workflow_and_no_sharing(self, grown, portal):
        workflows = api.portal.get_tool("portal_workflow")
        assert workflows.getChainForPortalType("Cluster") == ()
        secretary = api.user.get(grown.users[("province", "CouncilSecretary")])
        officer = api.user.get(grown.users[("province", "UnitOfficer")])
        for permission in ("Modify portal content", "Delete objects"):
            assert api.user.has_permission(permission, user=secretary, obj=grown.bloc)
            assert not api.user.has_permission(permission, user=officer, obj=grown.bloc)
        assert not api.user.has_permission(
            "Sharing page: Delegate roles", user=secretary, obj=grown.bloc
        )


class TestRotation:
    def test_a_bloc_stands_for_its_members_across_tiers(self, grown, portal):
        """Seed 004: the bloc introduces in quarter 1, the department in quarter 2;
        the neighbourhood group, two tiers down and named only through the bloc,
        is counted: late, on time, and the ward (introducing nothing) missing."""
        grown.province_plan.quarterly_rotation = ["khoi-1 | Khối trưởng Khối phường", "SO-VH"]
        past, future = THIS_YEAR - 1, THIS_YEAR + 1
        introduce_from(grown, portal, grown.group, past, 1)
        introduce_from(grown, portal, grown.group, future, 1)
        result = dashboard(grown.province, year=past)
        quarterly = result["quarterly"]
        assert quarterly["rotation"] == {"1": ["PHUONG", "TDP-1"], "2": ["SO-VH"], "3": [], "4": []}
        assert quarterly["rotation_clusters"] == {"1": ["KHOI-1"], "2": [], "3": [], "4": []}
        assert [unit["code"] for unit in quarterly["units"]] == ["PHUONG", "SO-VH", "TDP-1"]
        assert statuses(result, "TDP-1") == {
            "1": "late",
            "2": "not_due",
            "3": "not_due",
            "4": "not_due",
        }
        assert statuses(result, "PHUONG")["1"] == "missing"
        assert statuses(result, "SO-VH") == {
            "1": "not_due",
            "2": "missing",
            "3": "not_due",
            "4": "not_due",
        }
        upcoming = dashboard(grown.province, year=future)
        assert statuses(upcoming, "TDP-1")["1"] == "on_time"
        assert statuses(upcoming, "PHUONG")["1"] == "pending"

    def test_deadlines_name_the_units_of_the_bloc(self, grown, portal):
        grown.province_plan.quarterly_rotation = ["KHOI-1"]
        grown.province_plan.period_end = 2100
        today = date(THIS_YEAR + 1, 2, 20)
        result = deadlines(grown.province, within=250, today=today)
        due = [
            (i["title"], i["quarter"]) for i in result["upcoming"] if i["kind"] == "introduction"
        ]
        assert sorted(due) == [("Phường", 1), ("Tổ dân phố 1", 1)]
        [group] = [i for i in result["upcoming"] if i.get("title") == "Tổ dân phố 1"]
        assert group["unit"]["title"] == "Tổ dân phố 1"

    def test_the_rotation_accepts_cluster_codes(self, grown, portal):
        field = IPlan["quarterly_rotation"].bind(grown.province_plan)
        field.validate(["KHOI-1, SO-VH | Khối", "phuong"])
        with pytest.raises(RotationInvalid) as refused:
            field.validate(["KHOI-9"])
        mapping = refused.value.doc().mapping
        assert mapping["code"] == "KHOI-9"
        assert mapping["clusters"] == "KHOI-1"
        assert mapping["known"] == "PHUONG, SO-VH"


def test_the_upgrade_adds_the_type_to_an_existing_site(portal, world):
    from thidua.upgrades import v1006

    setRoles(portal, TEST_USER_ID, ["Manager"])
    types = api.portal.get_tool("portal_types")
    types.manage_delObjects(["Cluster"])
    unit_type = types["Unit"]
    unit_type.allowed_content_types = tuple(
        t for t in unit_type.allowed_content_types if t != "Cluster"
    )
    portal.manage_permission("thidua: Add Cluster", [], acquire=False)
    api.portal.get_tool("portal_workflow").setChainForPortalTypes(["Cluster"], ("(Default)",))
    v1006.upgrade(api.portal.get_tool("portal_setup"))
    assert "Cluster" in types.objectIds()
    assert "Cluster" in types["Unit"].allowed_content_types
    assert api.portal.get_tool("portal_workflow").getChainForPortalType("Cluster") == ()
    roles = {r["name"] for r in portal.rolesOfPermission("thidua: Add Cluster") if r["selected"]}
    assert roles == {"Manager", "Site Administrator", "CouncilSecretary"}
    setRoles(portal, TEST_USER_ID, ["Member"])
    secretary = world.users[("province", "CouncilSecretary")]
    with api.env.adopt_user(username=secretary):
        cluster = api.content.create(
            container=world.province,
            type="Cluster",
            title="Cụm 1",
            code="CUM-1",
            cluster_kind="cluster",
            member_units=[relation(world.ward)],
        )
    assert cluster.portal_type == "Cluster"


def test_the_demo_has_two_blocs_named_by_its_rotation(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    applyProfile(portal, "thidua:demo")
    [condao] = api.content.find(portal_type="Unit", unit_code="CONDAO")
    condao = condao.getObject()
    blocs = clusters.clusters_of(condao)
    assert [bloc.code for bloc in blocs] == ["KHOI-VHXH", "KHOI-TRUONGHOC"]
    assert {bloc.cluster_kind for bloc in blocs} == {"bloc"}
    assert all(clusters.head(bloc) in clusters.members(bloc) for bloc in blocs)
    [plan] = [item for item in condao.objectValues() if item.portal_type == "Plan"]
    assert clusters.addressed_clusters(plan) == blocs
    quarterly = dashboard(plan, year=2024)["quarterly"]
    assert quarterly["rotation_clusters"]["1"] == ["KHOI-VHXH"]
    assert quarterly["rotation"]["2"] == ["CONDAO-PGDDT"]
    assert set(quarterly["rotation"]["1"]) == {"CONDAO-PVHTT", "CONDAO-TTVHTT", "CONDAO-PNV"}
    IPlan["quarterly_rotation"].bind(plan).validate(plan.quarterly_rotation)
    setRoles(portal, TEST_USER_ID, ["Member"])


# Over HTTP ------------------------------------------------------------------


@pytest.fixture
def http_grown(http_world, functional_portal):
    grow(http_world, functional_portal)
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    http_world.other = api.content.create(
        container=functional_portal,
        type="Unit",
        id="khac",
        title="Tỉnh khác",
        code="KHAC",
        level="province",
    )
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return http_world


def who(world, role):
    return (world.users[("province", role)], PASSWORD)


def body(world, **changes):
    return {
        "@type": "Cluster",
        "title": "Khối sở, ban, ngành",
        "cluster_kind": "bloc",
        "code": "KHOI-SBN",
        "member_units": [world.department.UID(), world.group.UID()],
        "head_unit": world.department.UID(),
        **changes,
    }


class TestOverTheAPI:
    def test_the_secretary_creates_reads_and_edits_a_cluster(self, http_grown):
        url = http_grown.province.absolute_url()
        secretary = who(http_grown, "CouncilSecretary")
        created = send("POST", url, body(http_grown, head_rotation="Luân phiên"), auth=secretary)
        assert created.status_code == 201, created.text
        item = created.json()
        assert item["code"] == "KHOI-SBN"
        assert item["cluster_kind"]["token"] == "bloc"
        assert [m["title"] for m in item["member_units"]] == ["Sở Văn hóa", "Tổ dân phố 1"]
        assert item["head_unit"]["title"] == "Sở Văn hóa"
        assert item["review_state"] in (None, "")
        read = requests.get(item["@id"], headers={"Accept": "application/json"}, timeout=30)
        assert read.status_code == 200  # public, as its unit is
        patched = send("PATCH", item["@id"], {"head_unit": http_grown.group.UID()}, auth=secretary)
        assert patched.status_code == 204, patched.text
        transaction.begin()
        cluster = http_grown.province["khoi-so-ban-nganh"]
        assert clusters.head(cluster) == http_grown.group

    def test_an_officer_and_anonymous_may_not_write(self, http_grown):
        url = http_grown.province.absolute_url()
        officer = send("POST", url, body(http_grown), auth=who(http_grown, "UnitOfficer"))
        assert officer.status_code in (401, 403)
        anonymous = send("POST", url, body(http_grown), auth=None)
        assert anonymous.status_code == 401
        ward_secretary = (http_grown.users[("ward", "CouncilSecretary")], PASSWORD)
        bloc = http_grown.bloc.absolute_url()
        assert send("PATCH", bloc, {"title": "X"}, auth=ward_secretary).status_code in (401, 403)
        assert send("PATCH", bloc, {"title": "X"}, auth=None).status_code == 401

    @pytest.mark.parametrize(
        ("changes", "field", "words"),
        [
            ({"code": "PHUONG"}, "code", "là mã của một đơn vị"),
            ({"code": "khoi-1"}, "code", "đã dùng mã"),
            ({"code": "KHOI 1|2"}, "code", "chữ cái"),
            ({"cluster_kind": "group"}, "cluster_kind", None),
            ({"member_units": []}, "member_units", None),
            ("other", "member_units", "không phải là đơn vị trực thuộc"),
            ("head", "head_unit", "phải là một trong các đơn vị thành viên"),
        ],
    )
    def test_bad_values_are_400_naming_the_field(self, http_grown, changes, field, words):
        if changes == "other":
            changes = {"member_units": [http_grown.other.UID()], "head_unit": None}
        elif changes == "head":
            changes = {"head_unit": http_grown.ward.UID()}
        url = http_grown.province.absolute_url()
        secretary = who(http_grown, "CouncilSecretary")
        refused = send("POST", url, body(http_grown, **changes), auth=secretary)
        assert refused.status_code == 400, refused.text
        error = refused.json()["error"]
        assert error["field"] == field
        if words:
            assert words in error["message"]

    def test_messages_in_english(self, http_grown):
        url = http_grown.province.absolute_url()
        secretary = who(http_grown, "CouncilSecretary")
        refused = send(
            "POST",
            url,
            body(http_grown, head_unit=http_grown.ward.UID()),
            auth=secretary,
            language="en",
        )
        assert refused.json()["error"]["message"] == (
            "The head unit (Phường) must be one of the member units."
        )

    def test_a_plan_addressed_to_the_bloc_and_its_rotation(self, http_grown):
        secretary = who(http_grown, "CouncilSecretary")
        url = http_grown.province_plan.absolute_url()
        saved = send(
            "PATCH",
            url,
            {
                "addressed_clusters": [http_grown.bloc.UID()],
                "quarterly_rotation": ["KHOI-1 | Khối phường, xã"],
            },
            auth=secretary,
        )
        assert saved.status_code == 204, saved.text
        read = send("GET", url, None, auth=secretary).json()
        assert [c["title"] for c in read["addressed_clusters"]] == ["Khối phường, xã"]
        refused = send("PATCH", url, {"quarterly_rotation": ["KHOI-9"]}, auth=secretary)
        assert refused.status_code == 400
        assert "KHOI-1" in refused.json()["error"]["message"]
        # A ward's plan may not be addressed to a cluster it is not under... the
        # ward is under the province: allowed; the other province's unit is not.
        ward_plan = http_grown.ward_plan.absolute_url()
        allowed = send("PATCH", ward_plan, {"addressed_clusters": [http_grown.bloc.UID()]})
        assert allowed.status_code == 204, allowed.text
        setRoles(http_grown.province.aq_parent, TEST_USER_ID, ["Manager"])
        elsewhere = api.content.create(
            container=http_grown.other,
            type="Cluster",
            title="Cụm khác",
            code="CUM-KHAC",
            member_units=[],
        )
        transaction.commit()
        wrong = send("PATCH", url, {"addressed_clusters": [elsewhere.UID()]})
        assert wrong.status_code == 400
        assert wrong.json()["error"]["field"] == "addressed_clusters"


class TestPages:
    def test_the_cluster_page_for_anonymous_in_vietnamese(self, http_grown, functional_portal):
        api.portal.set_registry_record("plone.default_language", "vi")
        setRoles(functional_portal, TEST_USER_ID, ["Manager"])
        http_grown.province_plan.addressed_clusters = [relation(http_grown.bloc)]
        http_grown.province_plan.document_number = "12/KH-UBND"
        http_grown.province_plan.issued_date = date(2021, 2, 1)
        http_grown.province_plan.quarterly_rotation = ["", "KHOI-1"]
        from zope.event import notify
        from zope.lifecycleevent import ObjectModifiedEvent

        notify(ObjectModifiedEvent(http_grown.province_plan))
        # A draft report addressed to the bloc: its unit's staff see it, visitors do not.
        api.content.create(
            container=http_grown.province_plan,
            type="Report",
            title="Báo cáo nháp gửi khối",
            year=2021,
            addressed_clusters=[relation(http_grown.bloc)],
        )
        setRoles(functional_portal, TEST_USER_ID, ["Member"])
        transaction.commit()
        page = requests.get(http_grown.bloc.absolute_url(), timeout=30)
        assert "Báo cáo nháp gửi khối" not in page.text
        secretary = logged_in(functional_portal, http_grown.users[("province", "CouncilSecretary")])
        assert "Báo cáo nháp gửi khối" in secretary.get(http_grown.bloc.absolute_url()).text
        assert page.status_code == 200
        html = lxml.html.fromstring(page.text)
        text = html.text_content()
        assert "Đơn vị thành viên" in text
        members = html.get_element_by_id("thidua-cluster-members")
        rows = members.cssselect("tbody tr")
        assert [row.get("data-code") for row in rows] == ["PHUONG", "TDP-1"]
        assert rows[0].cssselect(".thidua-head-badge")
        assert not rows[1].cssselect(".thidua-head-badge")
        assert rows[1].cssselect("a")[0].get("href") == http_grown.group.absolute_url()
        assert html.get_element_by_id("thidua-cluster-kind").text_content() == "Khối thi đua"
        addressed = html.get_element_by_id("thidua-cluster-addressed").text_content()
        assert "12/KH-UBND" in addressed and "01/02/2021" in addressed
        assert "quý" in html.get_element_by_id("thidua-cluster-quarters").text_content()
        unit_page = lxml.html.fromstring(
            requests.get(http_grown.province.absolute_url(), timeout=30).text
        )
        section = unit_page.get_element_by_id("thidua-unit-clusters")
        assert "Cụm, khối thi đua" in section.text_content()
        assert section.cssselect("a")[0].get("href") == http_grown.bloc.absolute_url()
        plan_page = lxml.html.fromstring(
            requests.get(http_grown.province_plan.absolute_url(), timeout=30).text
        )
        addressed_to = plan_page.get_element_by_id("thidua-addressed-clusters").text_content()
        assert "Khối phường, xã" in addressed_to and "Tổ dân phố 1" in addressed_to


class TestClassicForms:
    def test_the_secretary_adds_a_bloc_in_the_add_form(self, http_grown, functional_portal):
        api.portal.set_registry_record("plone.default_language", "vi")
        transaction.commit()
        secretary = who(http_grown, "CouncilSecretary")
        url = f"{http_grown.province.absolute_url()}/++add++Cluster"
        page = requests.get(url, auth=secretary, timeout=30)
        assert page.status_code == 200, page.status_code
        form = next(f for f in lxml.html.fromstring(page.text).forms if "++add++" in f.action)
        data = dict(form.form_values())
        data.update(
            {
                "form.widgets.IBasic.title": "Khối sở, ban, ngành",
                "form.widgets.cluster_kind:list": "bloc",
                "form.widgets.code": "KHOI-SBN",
                "form.widgets.member_units": http_grown.department.UID(),
                "form.widgets.head_unit": http_grown.ward.UID(),
                "form.buttons.save": "Lưu",
            }
        )
        refused = requests.post(url, data=data, auth=secretary, timeout=30)
        assert "phải là một trong các đơn vị thành viên" in refused.text
        data["form.widgets.head_unit"] = http_grown.department.UID()
        added = requests.post(url, data=data, auth=secretary, timeout=30)
        assert added.status_code == 200
        transaction.begin()
        cluster = http_grown.province["khoi-so-ban-nganh"]
        assert clusters.head(cluster) == http_grown.department
        assert clusters.members(cluster) == [http_grown.department]


def test_the_openapi_document_describes_the_cluster(http_grown):
    """A Cluster's and a Plan's GET (addressed to it) and a dashboard whose
    rotation names it validate against the document's components."""
    from test_openapi import check
    from test_openapi import component
    from thidua.services.openapi.get import document

    spec = document()
    secretary = who(http_grown, "CouncilSecretary")
    plan = http_grown.province_plan.absolute_url()
    saved = send(
        "PATCH",
        plan,
        {"addressed_clusters": [http_grown.bloc.UID()], "quarterly_rotation": ["KHOI-1"]},
        auth=secretary,
    )
    assert saved.status_code == 204, saved.text
    for url, name in ((http_grown.bloc.absolute_url(), "Cluster"), (plan, "Plan")):
        for auth in (None, secretary):
            answer = check(spec, send("GET", url, None, auth=auth), "/{path}")
            assert answer.json()["@type"] == name
            component(spec, name, answer.json())
    board = check(
        spec, send("GET", f"{plan}/@dashboard", None, auth=secretary), "/{path}/@dashboard"
    )
    assert board.json()["quarterly"]["rotation_clusters"]["1"] == ["KHOI-1"]
