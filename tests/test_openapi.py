"""thidua's OpenAPI document (src/thidua/openapi/thidua.openapi.yaml) is valid
OpenAPI 3.1, served at ``<site>/@openapi``, describes every service thidua
registers, and is true: live answers of every endpoint and the content GETs
validate against it, and schemathesis finds no 5xx answer."""

from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.base.interfaces import IPloneSiteRoot
from plone.namedfile.file import NamedBlobImage
from referencing import Registry
from referencing import Resource
from referencing.jsonschema import DRAFT202012
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance
from schemathesis.specs.openapi.checks import response_headers_conformance
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.checks import status_code_conformance
from schemathesis.specs.openapi.definitions import OPENAPI_31
from thidua.chains.status import force_state
from thidua.content.candidate import ICandidate
from thidua.content.movement import IMovement
from thidua.content.plan import IPlan
from thidua.content.report import IReport
from thidua.content.unit import IUnit
from thidua.services.openapi.get import DOCUMENT
from thidua.services.openapi.get import document
from urllib.parse import quote
from zope.component import getGlobalSiteManager

import base64
import copy
import datetime
import json
import pytest
import requests
import schemathesis
import time
import transaction


ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
JSON = {"Accept": "application/json"}
SPEC_URI = "urn:thidua:openapi"
# A 1x1 PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
CONTEXTS = {
    IPloneSiteRoot: "site",
    IUnit: "Unit",
    IPlan: "Plan",
    IMovement: "Movement",
    ICandidate: "Candidate",
    IReport: "Report",
}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# plone.restapi's own endpoints, which thidua checks the input of before they
# run (services/search): their contract is plone.restapi's, not described here.
RESTAPI_OWN = {("get", "@search")}


@pytest.fixture(scope="module")
def spec():
    return document()


def operations(spec):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def pointer(*segments):
    """A JSON pointer into the document, escaped, as a URI fragment."""
    escaped = (str(s).replace("~", "~0").replace("/", "~1") for s in segments)
    return quote("/" + "/".join(escaped), safe="/~")


def validator(spec, fragment):
    """Validate against the schema at ``fragment`` of the document, whose
    ``#/components/...`` references resolve inside the document itself."""
    registry = Registry().with_resource(SPEC_URI, Resource(spec, specification=DRAFT202012))
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{fragment}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def response_object(spec, path, method, status):
    """(the response object, its JSON pointer), the ``$ref`` to components followed."""
    responses = spec["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not document {status}"
    response = responses[str(status)]
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[1]
        return spec["components"]["responses"][name], ("components", "responses", name)
    return response, ("paths", path, method, "responses", str(status))


def check(spec, response, path, method="get"):
    """The live ``response`` has a status the document names for ``method path``,
    one of its media types and, for JSON, a body its schema accepts."""
    described, where = response_object(spec, path, method, response.status_code)
    content = described.get("content", {})
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    assert media_type in content, (path, response.status_code, media_type, list(content))
    if media_type == "application/json":
        schema = validator(spec, pointer(*where, "content", media_type, "schema"))
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in schema.iter_errors(response.json())
        ]
        assert not errors, (method.upper(), path, response.status_code, errors, response.text)
    return response


def component(spec, name, instance):
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(spec, pointer("components", "schemas", name)).iter_errors(instance)
    ]
    assert not errors, (name, errors)


class TestTheDocument:
    def test_is_valid_openapi_3_1(self, spec):
        # The OpenAPI 3.1 meta-schema as schemathesis ships it, applied with the
        # pinned jsonschema's Draft 2020-12 (the dialect of OpenAPI 3.1).
        meta = Draft202012Validator(OPENAPI_31)
        assert [e.message for e in meta.iter_errors(spec)] == []
        # and it bites: a parameter in the body (OpenAPI 2) and a missing info
        broken = copy.deepcopy(spec)
        broken["paths"]["/@honour-board"]["get"]["parameters"].append({"name": "x", "in": "body"})
        assert list(meta.iter_errors(broken))
        untitled = {key: value for key, value in spec.items() if key != "info"}
        assert list(meta.iter_errors(untitled))
        assert spec["openapi"] == "3.1.0"

    def test_every_schema_is_draft_2020_12_and_every_reference_resolves(self, spec):
        # The meta-schema does not look inside Schema Objects: check them here.
        registry = Registry().with_resource(SPEC_URI, Resource(spec, specification=DRAFT202012))
        resolver = registry.resolver(SPEC_URI)
        seen = 0

        def walk(node, trail):
            nonlocal seen
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    resolver.lookup(node["$ref"])  # raises if it leads nowhere
                named = len(trail) == 3 and trail[:2] == ("components", "schemas")
                if named or trail[-1:] == ("schema",):
                    Draft202012Validator.check_schema(node)
                    seen += 1
                for key, value in node.items():
                    walk(value, (*trail, key))
            elif isinstance(node, list):
                for value in node:
                    walk(value, trail)

        walk(spec, ())
        assert seen > 30

    def test_the_yaml_says_what_json_can_say(self, spec):
        """No YAML-only values (dates, integer keys, yes/no booleans as keys):
        the document served as JSON is the one in the repository."""
        assert json.loads(json.dumps(spec)) == spec
        assert DOCUMENT.name == "thidua.openapi.yaml"

    def test_the_domain_types_are_components(self, spec):
        assert {"Unit", "Plan", "Movement", "Candidate", "Report"} <= set(
            spec["components"]["schemas"]
        )

    def test_every_service_thidua_registers_is_described(self, spec, portal):
        """plone.rest registers a service as a named adapter of (context, layer)
        whose factory subclasses the service's class: every one from thidua's
        modules must be in the document, on the same types."""
        registered = {}
        for registration in getGlobalSiteManager().registeredAdapters():
            factory = registration.factory
            service = factory.__bases__[0] if isinstance(factory, type) else None
            if (
                service is None
                or not hasattr(factory, "method")
                or "_@" not in registration.name
                or not service.__module__.startswith("thidua.")
            ):
                continue
            name = "@" + registration.name.split("_@", 1)[1]
            if (factory.method.lower(), name) in RESTAPI_OWN:
                continue
            context = CONTEXTS[registration.required[0]]
            registered.setdefault((factory.method.lower(), name), set()).add(context)
        assert registered, "no thidua service found: the registry scan is broken"
        described = {}
        for path, method, operation in operations(spec):
            if "x-thidua-on" not in operation:
                continue  # plone.restapi's own
            name = next(part for part in reversed(path.split("/")) if part.startswith("@"))
            on = set(operation["x-thidua-on"])
            assert (path == f"/{name}") == (on == {"site"}), (path, on)
            described.setdefault((method, name), set()).update(on)
        assert registered == described

    def test_every_operation_is_unique_and_tagged(self, spec):
        ids = [operation["operationId"] for _p, _m, operation in operations(spec)]
        assert len(ids) == len(set(ids))
        tags = {tag["name"] for tag in spec["tags"]}
        for _path, _method, operation in operations(spec):
            assert set(operation["tags"]) <= tags


@pytest.fixture
def live(http_world, functional_portal):
    """The http world with an honoured candidate (with image), a candidate under
    review (voting open), a selected ward candidate, a report and a draft plan."""
    world = http_world
    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    honoured = api.content.create(
        container=world.province_movement,
        type="Candidate",
        title="Trường THPT Lê Quý Đôn",
        kind="collective",
        field="education",
        year=2024,
        organisation="Sở Giáo dục",
        honour_form="bang_khen_chu_tich_tinh",
        birth_date=datetime.date(1980, 1, 2),
        phone="0987654321",
        id_number="079123456789",
        achievements=RichTextValue("<p>Thành tích</p>", "text/html", "text/html"),
    )
    honoured.image = NamedBlobImage(
        data=PIXEL,
        filename="portrait.png",
    )
    force_state(honoured, "honoured")
    setRoles(portal, TEST_USER_ID, ["Manager"])
    force_state(world.province_candidate, "under_review")
    force_state(world.ward_candidate, "selected")
    world.report = api.content.create(
        container=world.province_plan,
        type="Report",
        title="Báo cáo quý 1",
        year=2024,
        quarter=1,
        body=RichTextValue("<p>Nội dung</p>"),
    )
    world.draft_plan = api.content.create(
        container=world.province,
        type="Plan",
        id="draft",
        title="Dự thảo",
        period_start=2026,
        period_end=2030,
    )
    world.honoured = honoured
    setRoles(portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return world


def user(world, unit, role):
    return (world.users[(unit, role)], "secret-pw")


def get(obj, endpoint="", auth=None, **query):
    url = obj.absolute_url() + (f"/{endpoint}" if endpoint else "")
    return requests.get(url, headers=JSON, params=query, auth=auth, timeout=30)


def post(obj, endpoint, body, auth=None, data=None):
    return requests.post(
        f"{obj.absolute_url()}/{endpoint}",
        headers={**JSON, "Content-Type": "application/json"},
        json=body if data is None else None,
        data=data,
        auth=auth,
        timeout=30,
    )


class TestLiveAnswers:
    def test_openapi_is_served_with_the_site_as_server(self, spec, functional_portal):
        response = check(spec, get(functional_portal, "@openapi"), "/@openapi")
        served = response.json()
        assert served["servers"] == [
            {"url": functional_portal.absolute_url(), "description": functional_portal.Title()}
        ]
        assert {**served, "servers": spec["servers"]} == spec

    def test_honour_board(self, spec, live, functional_portal):
        board = check(spec, get(functional_portal, "@honour-board"), "/@honour-board").json()
        [item] = board["items"]
        assert item["image_url"] and item["kind"]["token"] == "collective"
        for where in (live.province, live.province_plan, live.province_movement):
            check(spec, get(where, "@honour-board", b_size=1), "/{path}/@honour-board")
        for query in (
            {"b_size": 1000},
            {"kind": "robot"},
            {"year": "x"},
            {"b_start": "-1"},
            {"SearchableText": "("},
        ):
            response = check(
                spec, get(functional_portal, "@honour-board", **query), "/@honour-board"
            )
            assert response.status_code == 400
            assert response.json()["error"]["field"] == next(iter(query))
        assert (
            check(spec, get(live.draft_plan, "@honour-board"), "/{path}/@honour-board").status_code
            == 401
        )
        assert (
            check(
                spec, get(live.province_candidate, "@honour-board"), "/{path}/@honour-board"
            ).status_code
            == 404
        )

    def test_feed(self, spec, live, functional_portal):
        feed = check(spec, get(functional_portal, "@feed"), "/@feed").json()
        assert feed["items"] and feed["language"] == "vi"
        staff = user(live, "province", "CouncilSecretary")
        for where in (live.province, live.province_plan, live.province_movement):
            for query in ({}, {"kind": "models"}, {"kind": "activities"}):
                response = check(spec, get(where, "@feed", auth=staff, **query), "/{path}/@feed")
                assert response.status_code == 200
        response = check(spec, get(live.province, "@feed", kind="people"), "/{path}/@feed")
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "kind"
        assert check(spec, get(live.draft_plan, "@feed"), "/{path}/@feed").status_code == 401
        assert (
            check(spec, get(live.province_candidate, "@feed"), "/{path}/@feed").status_code == 404
        )

    def test_batching_is_described(self, spec, live, functional_portal):
        setRoles(functional_portal, TEST_USER_ID, ["Manager"])
        force_state(
            api.content.create(
                container=live.province_movement,
                type="Candidate",
                title="Hộ ông C",
                kind="household",
            ),
            "honoured",
        )
        transaction.commit()
        board = check(spec, get(functional_portal, "@honour-board", b_size=1), "/@honour-board")
        assert set(board.json()["batching"]) >= {"first", "last", "next"}

    def test_votes(self, spec, live):
        candidate = live.province_candidate
        member = user(live, "province", "CouncilMember")
        path = "/{path}/@votes"
        assert check(spec, get(candidate, "@votes", auth=member), path).status_code == 200
        assert check(spec, get(candidate, "@votes"), path).status_code == 401
        cases = [
            (member, {"vote": "maybe"}, 400),
            (member, None, 400),  # not JSON
            (member, {"vote": "yes"}, 201),
            (member, {"vote": "no"}, 409),
            (ADMIN, {"vote": "yes"}, 403),  # a Manager is not the council
            (None, {"vote": "yes"}, 401),
            (
                user(live, "province", "CouncilSecretary"),
                {"tally": {"yes": 1}, "minutes": "1"},
                409,
            ),
            (user(live, "province", "UnitOfficer"), {"tally": {"yes": 1}, "minutes": "1"}, 403),
            (member, {"recuse": True, "reason": 5}, 400),
        ]
        for auth, body, status in cases:
            data = "not json" if body is None else None
            response = check(spec, post(candidate, "@votes", body, auth, data), path, "post")
            assert response.status_code == status, (body, response.text)
        votes = check(spec, get(candidate, "@votes", auth=member), path).json()
        assert (votes["yes"], votes["you"]["voted"]) == (1, True)
        draft = check(
            spec,
            post(live.honoured, "@votes", {"vote": "yes"}, member),
            path,
            "post",
        )
        assert (draft.status_code, draft.json()["error"]["field"]) == (400, "state")
        assert (
            check(
                spec, post(live.province_plan, "@votes", {"vote": "yes"}, member), path, "post"
            ).status_code
            == 404
        )

    def test_introduce(self, spec, live):
        path = "/{path}/@introduce"
        secretary = user(live, "ward", "CouncilSecretary")
        target = {"target": api.content.get_uuid(live.province_movement)}
        candidate = live.ward_candidate
        for auth, body, status in (
            (None, target, 401),
            (user(live, "ward", "CouncilMember"), target, 403),
            (secretary, {"target": "nothing"}, 400),
            (secretary, [], 400),
            (secretary, target, 201),
            (secretary, target, 409),
        ):
            response = check(spec, post(candidate, "@introduce", body, auth), path, "post")
            assert response.status_code == status, (body, response.text)

    def test_reach(self, spec, live, functional_portal):
        path = "/{path}/@reach"
        officer = user(live, "ward", "UnitOfficer")
        body = {
            "@type": "Activity",
            "title": "Bài viết về mô hình",
            "activity_kind": "article",
            "activity_date": "2025-03-14",
            "models": [live.honoured.UID()],
            "outlet": "Báo Gia Lai",
            "link": "https://baogialai.com.vn/bai-viet",
        }
        created = post(live.ward, "", body, officer)
        assert created.status_code == 201, created.text
        secretary = user(live, "ward", "CouncilSecretary")
        post(
            live.ward,
            "",
            {
                **body,
                "@type": "Adoption",
                "adopted_model": live.honoured.UID(),
                "adoption_date": "2025-04-01",
            },
            officer,
        )
        published = requests.post(
            created.json()["@id"] + "/@workflow/publish", headers=JSON, auth=secretary, timeout=30
        )
        assert published.status_code == 200, published.text
        for auth in (None, officer):
            reach = check(spec, get(live.honoured, "@reach", auth=auth), path).json()
            assert reach["activities"]["article"] == 1
        assert check(spec, get(live.draft_plan, "@reach"), path).status_code in (401, 404)
        board = check(
            spec, get(functional_portal, "@honour-board", sort_on="reach"), "/@honour-board"
        ).json()
        assert board["items"][0]["reach"] == 1

    def test_nurture(self, spec, live):
        path = "/{path}/@nurture"
        candidate = live.ward_candidate  # selected
        officer = user(live, "ward", "UnitOfficer")
        checkin = {
            "type": "checkin",
            "date": "2026-03-02",
            "by": "Thường trực Hội đồng",
            "findings": "Mô hình duy trì tốt.",
            "status": "on_track",
            "next_date": "2026-06-01",
        }
        for auth, body, status in (
            (None, checkin, 401),
            (user(live, "ward", "CouncilMember"), checkin, 403),
            (officer, {**checkin, "status": "fine"}, 400),
            (officer, [], 400),
            (officer, checkin, 201),
        ):
            response = check(spec, post(candidate, "@nurture", body, auth), path, "post")
            assert response.status_code == status, (body, response.text)
        member = user(live, "ward", "CouncilMember")
        assert check(spec, get(candidate, "@nurture", auth=member), path).status_code == 200
        assert check(spec, get(candidate, "@nurture"), path).status_code == 401

    def test_workflow(self, spec, live):
        path = "/{path}/@workflow/{transition}"
        candidate = live.ward_candidate  # selected
        officer = user(live, "ward", "UnitOfficer")
        chair = user(live, "ward", "CouncilChair")
        for auth, transition, body, status in (
            (None, "honour", {}, 401),
            (officer, "honour", {}, 403),
            (chair, "honour", [], 400),
            (chair, "honour", {"comment": "Quyết định số 12/QĐ"}, 200),
            (chair, "revoke", {}, 400),
        ):
            response = post(candidate, f"@workflow/{transition}", body, auth)
            check(spec, response, path, "post")
            assert response.status_code == status, (transition, response.text)

    def test_dashboard(self, spec, live):
        path = "/{path}/@dashboard"
        staff = user(live, "province", "CouncilSecretary")
        for where in (live.province, live.province_plan):
            assert check(spec, get(where, "@dashboard", auth=staff), path).status_code == 200
        assert (
            check(spec, get(live.province, "@dashboard", auth=staff, year="x"), path).status_code
            == 400
        )
        assert check(spec, get(live.province, "@dashboard"), path).status_code == 401
        assert (
            check(spec, get(live.province_movement, "@dashboard", auth=staff), path).status_code
            == 404
        )

    def test_export(self, spec, live):
        path = "/{path}/@export"
        staff = user(live, "province", "UnitOfficer")
        for where in (live.province, live.province_plan, live.province_movement):
            for file_format in ("csv", "xlsx"):
                response = check(spec, get(where, "@export", auth=staff, format=file_format), path)
                assert response.status_code == 200
        for query in ({}, {"format": "docx"}):
            response = check(spec, get(live.province, "@export", auth=staff, **query), path)
            assert response.status_code == 400
        assert check(spec, get(live.province, "@export", format="csv"), path).status_code == 401

    def test_content_gets_validate_against_the_components(self, spec, live, functional_portal):
        officer = user(live, "province", "UnitOfficer")
        for name, obj in (
            ("Unit", live.province),
            ("Unit", live.ward),
            ("Plan", live.province_plan),
            ("Movement", live.province_movement),
            ("Candidate", live.province_candidate),
            ("Candidate", live.honoured),
            ("Report", live.report),
        ):
            body = check(spec, get(obj, auth=officer), "/{path}").json()
            assert body["@type"] == name
            component(spec, name, body)
        # Personal data: there for the unit's staff, absent for anyone else.
        staff_view = get(live.honoured, auth=officer).json()
        public_view = check(spec, get(live.honoured), "/{path}").json()
        component(spec, "Candidate", public_view)
        personal = {"birth_date", "gender", "phone", "email", "id_number"}
        assert personal <= set(staff_view)
        assert not personal & set(public_view)
        assert check(spec, get(live.province_candidate), "/{path}").status_code == 401
        missing = requests.get(
            f"{functional_portal.absolute_url()}/nothing-here", headers=JSON, timeout=30
        )
        assert check(spec, missing, "/{path}").status_code == 404


# schemathesis: every operation of the document, bounded, on the live server.
MAX_EXAMPLES = 50


def where_to_call(world, portal):
    """The items to put for ``{path}``, by operation: the types it is on."""
    site = "/".join(portal.getPhysicalPath())

    def path(obj):
        return "/".join(obj.getPhysicalPath())[len(site) + 1 :]

    on = {
        "site": [],
        "Unit": [world.province, world.ward],
        "Plan": [world.province_plan, world.ward_plan],
        "Movement": [world.province_movement, world.ward_movement],
        "Candidate": [world.province_candidate, world.ward_candidate],
        "Report": [world.report],
    }
    everything = [path(obj) for objects in on.values() for obj in objects]
    result = {}
    for operation_path, _method, operation in operations(document()):
        if "{path}" not in operation_path:
            result[operation["operationId"]] = [None]
        elif "x-thidua-on" in operation:
            result[operation["operationId"]] = [
                path(obj) for kind in operation["x-thidua-on"] for obj in on[kind]
            ]
        else:
            result[operation["operationId"]] = everything
    return result


def test_schemathesis_finds_no_server_error(http_world, functional_portal):
    """Positive and negative data for every operation, as a council member and as
    the administrator; any 5xx answer, or one the document does not describe,
    fails with the curl that reproduces it."""
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    http_world.report = api.content.create(
        container=http_world.province_plan,
        type="Report",
        title="Báo cáo năm",
        year=2024,
        report_type="annual",
    )
    force_state(http_world.province_candidate, "under_review")
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()

    # The document as the site serves it, every operation (from_url would
    # leave @openapi out, the address it read the document from).
    site = functional_portal.absolute_url()
    served = requests.get(f"{site}/@openapi", headers=JSON, timeout=30)
    schema = schemathesis.openapi.from_dict(served.json())
    where = where_to_call(http_world, functional_portal)
    users = (user(http_world, "province", "CouncilMember"), ADMIN)
    session = requests.Session()
    session.headers.update(JSON)
    # No 5xx is the point; the answers must also be the ones the document
    # describes: status, media type, body and headers.
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        response_headers_conformance,
    ]
    failures, calls = [], 0
    started = time.monotonic()

    statuses = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        paths = where[operation.definition.raw["operationId"]]
        # Negative data needs something that can be wrong: a query or a body.
        has_input = len(operation.query) or len(operation.body)
        modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if has_input else [])
        for mode in modes:

            @settings(
                max_examples=MAX_EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(
                case=operation.as_strategy(generation_mode=mode),
                path=st.sampled_from(paths),
                auth=st.sampled_from(users),
            )
            def call(case, path, auth):
                nonlocal calls
                if path is not None:
                    case.path_parameters = {**(case.path_parameters or {}), "path": path}
                response = case.call(base_url=site, session=session, auth=auth, timeout=30)
                calls += 1
                statuses.setdefault(case.operation.label, set()).add(response.status_code)
                try:
                    case.validate_response(response, checks=checks)
                except FailureGroup as group:
                    titles = ", ".join(failure.title for failure in group.exceptions)
                    failures.append(
                        f"{titles}: {response.status_code} {case.as_curl_command()}\n"
                        f"{response.text[:500]}"
                    )

            call()

    elapsed = time.monotonic() - started
    print(f"schemathesis: {calls} calls in {elapsed:.0f} s; {statuses}")
    # Every operation ran, and reached its endpoint (not only 404s).
    assert len(statuses) == len(list(operations(document())))
    assert not [label for label, seen in statuses.items() if seen <= {404}], statuses
    assert calls > 100
    assert not failures, "\n\n".join(failures)
