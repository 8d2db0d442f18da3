"""Issue 9, findings 10 to 13: bad input answers 400 naming the field, in the
request's language, never 500, and what is stored stays writable.

Over HTTP on the functional layer, as portals and people send it. The last
test feeds every thidua endpoint and the content POST and PATCH of the five
types malformed, oversized, deeply nested, non-UTF-8 and wrongly typed input,
as an administrator and as a unit officer. tests/test_openapi.py runs
schemathesis on the documented operations; this one sends what no schema
describes: broken bytes, wrong types for each field, lone surrogates.
"""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.dexterity.utils import iterSchemataForType
from thidua.chains.status import force_state
from thidua.content import limits
from thidua.testing import authenticator
from thidua.testing import send
from zope.schema import getFieldsInOrder

import io
import openpyxl
import pytest
import requests
import time
import transaction


ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
TYPES = ("Unit", "Plan", "Movement", "Candidate", "Report")


def refused(response, field, status=400):
    """The answer is thidua's error naming ``field``; its message."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    error = response.json()["error"]
    assert error["field"] == field, error
    return error["message"]


def in_both_languages(method, url, body, field, auth=ADMIN):
    """(vi, en) messages of the refusal, which differ: both are translated."""
    messages = [
        refused(send(method, url, body, auth=auth, language=language), field)
        for language in ("vi", "en")
    ]
    assert messages[0] != messages[1], messages
    return messages


def officer(world, unit="province"):
    return (world.users[(unit, "UnitOfficer")], "secret-pw")


def new_candidate(**fields):
    return {"@type": "Candidate", "title": "Nguyễn Thị B", "kind": "individual", **fields}


# Finding 13: a unit over the API.


def test_a_unit_is_created_over_the_api_then_a_plan_in_it(http_world, functional_portal):
    site = functional_portal.absolute_url()
    unit = {"@type": "Unit", "title": "Tỉnh Gia Lai", "code": "GIALAI", "level": "province"}
    created = send("POST", site, unit)
    assert created.status_code == 201, created.text
    unit_url = created.json()["@id"]
    assert refused(send("POST", site, {**unit, "title": "Khác"}), "code")
    assert refused(send("POST", site, {**unit, "code": "TINH"}), "code")
    # Saving the unit with its own code is no clash.
    assert send("PATCH", unit_url, {"code": "GIALAI", "title": "Gia Lai"}).status_code == 204
    plan = send(
        "POST",
        unit_url,
        {"@type": "Plan", "title": "Kế hoạch 2026", "period_start": 2026, "period_end": 2030},
    )
    assert plan.status_code == 201, plan.text
    assert plan.json()["parent"]["@id"] == unit_url


# Finding 10: limits.


def test_a_20_million_character_organisation_is_refused(http_world):
    movement = http_world.province_movement.absolute_url()
    response = send("POST", movement, new_candidate(organisation="x" * 20_000_000))
    assert "500" in refused(response, "organisation")
    transaction.begin()
    assert len(http_world.province_movement.objectIds()) == 1


@pytest.mark.parametrize(
    "where,body,field,limit",
    [
        ("movement", new_candidate(title="A" * 301), "title", 300),
        ("movement", new_candidate(description="A" * 2001), "description", 2000),
        ("movement", new_candidate(organisation="A" * 501), "organisation", 500),
        ("movement", new_candidate(achievements="<p>" + "A" * 100_000 + "</p>"), "achievements", 0),
        (
            "movement",
            new_candidate(achievements={"data": "A" * 100_001, "content-type": "text/plain"}),
            "achievements",
            100_000,
        ),
        ("candidate", {"goals": "A" * 100_001}, "goals", 100_000),
        ("candidate", {"image_caption": "A" * 501}, "image_caption", 500),
        ("plan", {"@type": "Movement", "title": "P", "lead_agency": "A" * 501}, "lead_agency", 0),
        (
            "plan",
            {"@type": "Movement", "title": "P", "coordinating_agencies": ["A" * 501]},
            "coordinating_agencies",
            0,
        ),
        (
            "plan",
            {"@type": "Movement", "title": "P", "coordinating_agencies": ["A"] * 101},
            "coordinating_agencies",
            0,
        ),
        ("plan_itself", {"signer": "A" * 501}, "signer", 500),
        ("plan_itself", {"purpose": "A" * 100_001}, "purpose", 100_000),
        ("unit", {"code": "A" * 101}, "code", 0),
    ],
)
def test_text_longer_than_its_limit_is_refused(http_world, where, body, field, limit):
    urls = {
        "movement": http_world.province_movement,
        "candidate": http_world.province_candidate,
        "plan": http_world.province_plan,
        "plan_itself": http_world.province_plan,
        "unit": http_world.province,
    }
    method = "POST" if "@type" in body else "PATCH"
    vi, en = in_both_languages(method, urls[where].absolute_url(), body, field)
    if limit:
        assert str(limit) in vi and str(limit) in en


def test_classic_forms_hold_title_and_description_to_the_limits(http_world):
    candidate = http_world.province_candidate
    for form, fields, label in (
        (
            f"{candidate.absolute_url()}/@@edit",
            {"form.widgets.IBasic.title": "A" * 301},
            ("Title is at most", "Tiêu đề dài tối đa"),
        ),
        (
            f"{http_world.province_movement.absolute_url()}/++add++Candidate",
            {"form.widgets.IBasic.title": "B", "form.widgets.IBasic.description": "A" * 2001},
            ("Summary is at most", "Mô tả dài tối đa"),
        ),
    ):
        page = requests.get(form, auth=ADMIN, timeout=30)
        token = authenticator(page.text)
        data = {"_authenticator": token, "form.buttons.save": "Save", **fields}
        answer = requests.post(form, data=data, auth=ADMIN, timeout=30)
        assert answer.status_code == 200
        # under the field, named by its label (the test site speaks English)
        assert any(message in answer.text for message in label), form
    transaction.begin()
    assert candidate.title == "Nguyễn Văn A"
    assert list(http_world.province_movement.objectIds()) == ["candidate"]


def test_endpoint_text_has_limits(http_world):
    candidate = http_world.province_candidate
    force_state(candidate, "under_review")
    transaction.commit()
    url = f"{candidate.absolute_url()}/@votes"
    member = (http_world.users[("province", "CouncilMember")], "secret-pw")
    secretary = (http_world.users[("province", "CouncilSecretary")], "secret-pw")
    long_reason = {"recuse": True, "reason": "A" * (limits.REASON + 1)}
    in_both_languages("POST", url, long_reason, "reason", auth=member)
    long_minutes = {"tally": {"yes": 1}, "minutes": "1" * (limits.MINUTES + 1)}
    in_both_languages("POST", url, long_minutes, "minutes", auth=secretary)
    in_both_languages("POST", url, {"recuse": True, "reason": "ốm\x00"}, "reason", auth=member)
    # Within the limits, both are recorded.
    recused = send("POST", url, {"recuse": True, "reason": "A" * limits.REASON}, auth=member)
    assert recused.status_code == 201, recused.text
    assert recused.json()["recusals"][0]["reason"] == "A" * limits.REASON


# Finding 11: text that cannot be stored, and the export of what was.


@pytest.mark.parametrize(
    "body,field",
    [
        (new_candidate(title="x\udfffy"), "title"),
        (new_candidate(title="x\x00y"), "title"),
        (new_candidate(organisation="a\x1bb"), "organisation"),
        (new_candidate(achievements={"data": "<p>\ud800</p>"}), "achievements"),
        (new_candidate(description="\x07"), "description"),
    ],
)
def test_unwritable_text_is_refused_at_the_door(http_world, body, field):
    url = http_world.province_movement.absolute_url()
    in_both_languages("POST", url, body, field)
    in_both_languages("PATCH", http_world.province_candidate.absolute_url(), body, field)


def test_raw_surrogate_bytes_are_refused(http_world):
    # json.loads reads the bytes of a UTF-8-encoded surrogate as one.
    body = b'{"title": "x\xed\xbf\xbfy"}'
    url = http_world.province_candidate.absolute_url()
    refused(send("PATCH", url, data=body), "title")


def test_tab_newline_and_vietnamese_are_text(http_world):
    url = http_world.province_candidate.absolute_url()
    title = "Trần Thị Ánh\tHồng"
    assert send("PATCH", url, {"title": title, "description": "a\r\nb"}).status_code == 204
    transaction.begin()
    assert http_world.province_candidate.title == title


def test_export_writes_what_an_older_version_stored(http_world, functional_portal):
    candidate = http_world.province_candidate
    candidate.title = "x\udfffy\x00z"
    candidate.organisation = "Sở\x0b Nội vụ"
    candidate.reindexObject()
    transaction.commit()
    staff = officer(http_world)
    url = f"{http_world.province.absolute_url()}/@export"
    accept = {"Accept": "application/json"}
    csv = requests.get(url, params={"format": "csv"}, auth=staff, headers=accept, timeout=30)
    assert csv.status_code == 200, csv.text[:300]
    text = csv.content.decode("utf-8")
    assert "x\ufffdy\ufffdz" in text and "Sở\ufffd Nội vụ" in text
    xlsx = requests.get(url, params={"format": "xlsx"}, auth=staff, headers=accept, timeout=30)
    assert xlsx.status_code == 200, xlsx.text[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert "x\ufffdy\ufffdz" in [row[0] for row in sheet.iter_rows(values_only=True)]


# Finding 12: 400s, not 500s, and what should not have been accepted.

MALFORMED = (
    b"{",
    b"[]",
    b'"x"',
    b"123",
    b"null",
    b'{"title": "\xff\xfe"}',
    b'{"@type":',
    b"",
    '\ufeff{"@type":'.encode(),
    b"[" * 10_000 + b"]" * 10_000,
    b'{"a": ' * 5_000 + b"1" + b"}" * 5_000,
)


@pytest.mark.parametrize("body", MALFORMED, ids=lambda body: repr(body[:12]))
def test_a_malformed_body_is_a_400(http_world, body):
    movement = http_world.province_movement.absolute_url()
    for method, url in (
        ("POST", movement),
        ("PATCH", http_world.province_candidate.absolute_url()),
    ):
        response = send(method, url, data=body)
        if body == b"":  # nothing to change, nothing to create
            if method == "PATCH":
                assert response.status_code == 204
            else:
                refused(response, "@type")
            continue
        assert response.status_code == 400, (method, body[:20], response.text[:300])
        assert response.json()["error"]["message"] in (
            "Nội dung yêu cầu phải là một đối tượng JSON.",
            "Nội dung yêu cầu lồng sâu quá 100 cấp.",
        )


def test_a_body_with_a_byte_order_mark_is_read(http_world):
    """RFC 8259 lets a parser ignore it, as Python's json does with bytes."""
    body = '\ufeff{"@type": "Candidate", "title": "BOM"}'.encode()
    response = send("POST", http_world.province_movement.absolute_url(), data=body)
    assert response.status_code == 201, response.text[:300]


def test_a_deeply_nested_body_is_a_400_before_anyone_reads_it(http_world, functional_portal):
    """plone.restapi's JWT plugin reads every JSON body on every request."""
    nested = b"[" * 10_000 + b"]" * 10_000
    site = functional_portal.absolute_url()
    for method, url in (
        ("POST", f"{site}/@login"),
        ("POST", f"{http_world.province_candidate.absolute_url()}/@votes"),
        ("PATCH", http_world.province_candidate.absolute_url()),
    ):
        response = send(method, url, data=nested, auth=None)
        assert response.status_code == 400, (method, url, response.text[:300])
    # A browser's form on the same site is not refused for it.
    page = requests.get(site, data=nested, headers={"Content-Type": "text/plain"}, timeout=30)
    assert page.status_code == 200


@pytest.mark.parametrize(
    "body,field",
    [
        ({"achievements": 5}, "achievements"),
        ({"achievements": {"data": 5}}, "achievements"),
        ({"achievements": {"data": "<p>x</p>", "content-type": 5}}, "achievements"),
        (
            {"achievements": {"data": "<p>x</p>", "content-type": "application/x-evil"}},
            "achievements",
        ),
        ({"achievements": {"data": "<p>x</p>", "encoding": "rot13"}}, "achievements"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "1850-01-01"}, "birth_date"),
        ({"is_leader": "yes"}, "is_leader"),
        ({"is_leader": 1}, "is_leader"),
        ({"year": True}, "year"),
        ({"organisation": 5}, "organisation"),
        ({"field": {"a": 1}}, "field"),
        ({"kind": ["individual"]}, "kind"),
        ({"title": ["x"]}, "title"),
    ],
)
def test_a_wrong_value_is_a_400_naming_the_field(http_world, body, field):
    in_both_languages("PATCH", http_world.province_candidate.absolute_url(), body, field)


def test_right_values_are_still_accepted(http_world):
    url = http_world.province_candidate.absolute_url()
    body = {
        "birth_date": "1985-06-30",
        "is_leader": True,
        "year": 2024,
        "achievements": {"data": "# Thành tích", "content-type": "text/x-web-markdown"},
        "initiatives": "<p>Sáng kiến</p>",
        "kind": {"token": "individual"},
    }
    response = send("PATCH", url, body, headers={"Prefer": "return=representation"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["birth_date"], answer["is_leader"]) == ("1985-06-30", True)
    assert answer["achievements"]["content-type"] == "text/x-web-markdown"


@pytest.mark.parametrize(
    "query,parameter",
    [
        ({"SearchableText": "😀"}, "SearchableText"),
        ({"SearchableText": "😀 🎉"}, "SearchableText"),
        ({"SearchableText": "AND"}, "SearchableText"),
        ({"b_size": "-5"}, "b_size"),
        ({"b_start": "-1"}, "b_start"),
        ({"b_size": "x"}, "b_size"),
        ({"effective.query": "notadate", "effective.range": "min"}, "effective"),
        ({"created.query": "2024-13-45", "created.range": "max"}, "created"),
    ],
)
def test_search_refuses_bad_parameters(http_world, functional_portal, query, parameter):
    url = f"{functional_portal.absolute_url()}/@search"
    messages = []
    for language in ("vi", "en"):
        response = requests.get(
            url,
            params=query,
            headers={"Accept": "application/json", "Accept-Language": language},
            timeout=30,
        )
        messages.append(refused(response, parameter))
    assert messages[0] != messages[1]


def test_search_still_finds(http_world, functional_portal):
    url = f"{functional_portal.absolute_url()}/@search"
    for query in (
        {"SearchableText": "Phong trào"},
        {"SearchableText": "Phong trào 😀"},
        {"created.query": "2020-01-01", "created.range": "min", "b_size": "1000"},
        {"portal_type": "Unit", "sort_on": "sortable_title"},
    ):
        response = requests.get(
            url, params=query, headers={"Accept": "application/json"}, auth=ADMIN, timeout=30
        )
        assert response.status_code == 200, (query, response.text[:300])
        assert response.json()["items_total"] >= 1, query


# The fuzz: every endpoint and every field, as an administrator and an officer.

# Values no field accepts, then values that some accept.
NEVER_VALID = ("x\udfffy", "\x00", "A" * 200_001, [[[[["deep"]]]]])
WRONG_VALUES = NEVER_VALID + (
    5,
    -1,
    10**30,
    1.5,
    True,
    "x",
    "2999-99-99",
    ["x", 5],
    {"a": 1},
    {"data": 5},
    {"token": ["x"]},
)
JUNK_BODIES = (b"{", b"[1]", b'"x"', b"null", b"\xff\xfe\x00", b"[" * 3000 + b"]" * 3000)
JUNK_QUERIES = (
    {"b_size": "-5"},
    {"b_start": "x"},
    {"format": "\x00"},
    {"year": "9" * 400},
    {"SearchableText": "😀"},
    {"field": ["a", "b"]},
    {"q": "A" * 20_000},
)


def fields_of(portal_type):
    return {
        name
        for schema in iterSchemataForType(portal_type)
        for name, field in getFieldsInOrder(schema)
        if not field.readonly
    }


def test_fuzz_finds_no_server_error(http_world, functional_portal):
    started = time.monotonic()
    world = http_world
    site = functional_portal.absolute_url()
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    report = api.content.create(
        container=world.province_plan, type="Report", title="Báo cáo", year=2024, quarter=1
    )
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    # (type, container, an existing item of the type), for each unit's staff.
    items = (
        ("Unit", functional_portal, world.ward),
        ("Plan", world.province, world.province_plan),
        ("Movement", world.province_plan, world.province_movement),
        ("Candidate", world.province_movement, world.province_candidate),
        ("Report", world.province_plan, report),
    )
    users = (ADMIN, officer(world))
    server_errors = []
    calls = 0

    def call(method, url, auth, must_refuse=True, **kwargs):
        nonlocal calls
        calls += 1
        try:
            if "params" in kwargs:
                response = requests.request(
                    method,
                    url,
                    auth=auth,
                    timeout=60,
                    headers={"Accept": "application/json"},
                    **kwargs,
                )
            else:
                response = send(method, url, auth=auth, **kwargs)
        except requests.ConnectionError as broken:
            server_errors.append(f"{broken} {method} {url} {str(kwargs)[:200]}")
            return
        if response.status_code >= 500 or (must_refuse and response.status_code < 400):
            server_errors.append(
                f"{response.status_code} {method} {url} {str(kwargs)[:200]}: {response.text[:300]}"
            )

    for portal_type, container, item in items:
        for field in sorted(fields_of(portal_type) | {"@type", "id", "UID", "layout"}):
            for value in WRONG_VALUES:
                never = value in NEVER_VALID
                body = {"@type": portal_type, "title": "Mục", field: value}
                call("POST", container.absolute_url(), users[calls % 2], never, body=body)
                if field == "id":
                    continue  # a PATCH of the id renames the item
                # A PATCH ignores @type and UID.
                never = never and field not in ("@type", "UID")
                call("PATCH", item.absolute_url(), users[calls % 2], never, body={field: value})
        for data in JUNK_BODIES:
            for auth in users:
                call("POST", container.absolute_url(), auth, data=data)
                call("PATCH", item.absolute_url(), auth, data=data)
        transaction.begin()  # a 2xx above would have been a failure: nothing to undo

    # Under review, so that @votes reads votes, recusals and paper ballots.
    force_state(world.province_candidate, "under_review")
    transaction.commit()
    candidate = world.province_candidate.absolute_url()
    council = (
        (world.users[("province", "CouncilMember")], "secret-pw"),
        (world.users[("province", "CouncilSecretary")], "secret-pw"),
    )
    endpoint_bodies = (
        [{"vote": value} for value in WRONG_VALUES]
        + [{"recuse": True, "reason": value} for value in WRONG_VALUES]
        + [{"tally": value, "minutes": "1"} for value in WRONG_VALUES]
        + [{"tally": {"yes": 1}, "minutes": value} for value in WRONG_VALUES]
        + [{"target": value} for value in WRONG_VALUES]
        + [{"comment": value} for value in WRONG_VALUES if not isinstance(value, dict)]
    )
    for auth in users + council:
        for endpoint in ("@votes", "@introduce", "@workflow/select", "@workflow/nothing"):
            for body in endpoint_bodies:
                call("POST", f"{candidate}/{endpoint}", auth, False, body=body)
            for data in JUNK_BODIES:
                call("POST", f"{candidate}/{endpoint}", auth, data=data)
        for where, endpoint in (
            (site, "@honour-board"),
            (world.province.absolute_url(), "@honour-board"),
            (world.province.absolute_url(), "@dashboard"),
            (world.province_plan.absolute_url(), "@export"),
            (site, "@openapi"),
            (site, "@search"),
        ):
            for query in JUNK_QUERIES:
                call("GET", f"{where}/{endpoint}", auth, False, params=query)
    # Query strings that are not UTF-8, and a header that lies about the body.
    for where in (f"{site}/@honour-board", f"{world.province.absolute_url()}/@dashboard"):
        call("GET", f"{where}?year=%ff%fe&kind=%ed%bf%bf", ADMIN, False, params={})

    elapsed = time.monotonic() - started
    print(f"input fuzz: {calls} calls in {elapsed:.0f} s")
    assert calls > 2000
    assert not server_errors, "\n".join(error[:300] for error in server_errors[:60])
