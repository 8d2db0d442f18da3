"""Errors the same everywhere on the API: 400 naming the field, in the request's
language, no traceback, never a 500 for bad input."""

from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from thidua.testing import send

import pytest


ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


def movement(**fields):
    return {
        "@type": "Movement",
        "title": "Phong trào mới",
        "start": "2024-01-01",
        "end": "2024-12-31",
        **fields,
    }


@pytest.mark.parametrize(
    "fields,field,vi,en",
    [
        ({"quota_collective": -1}, "quota_collective", "Giá trị quá nhỏ", "Value is too small"),
        (
            {"start": "2025-01-01", "end": "2024-01-01"},
            "end",
            "Ngày kết thúc phong trào không được trước ngày bắt đầu.",
            "The movement must not end before it starts.",
        ),
    ],
)
def test_a_bad_field_is_named_in_the_request_language(http_world, fields, field, vi, en):
    url = http_world.province_plan.absolute_url()
    secretary = (http_world.users[("province", "CouncilSecretary")], "secret-pw")
    for language, message in (("vi", vi), ("en", en)):
        response = send("POST", url, movement(**fields), auth=secretary, language=language)
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["error"]["type"] == "BadRequest"
        assert body["error"]["field"] == field
        assert body["error"]["message"] == message
        # plone.rest's own top-level keys stay for the clients that read them
        assert (body["type"], body["message"]) == ("BadRequest", message)
    assert "movement-moi" not in http_world.province_plan.objectIds()


def test_no_traceback_even_for_a_manager(http_world):
    response = send("POST", http_world.province_plan.absolute_url(), movement(quota_household=-5))
    assert response.status_code == 400
    assert "traceback" not in response.json()
    assert "Traceback" not in response.text


def test_an_invariant_names_its_field_on_patch(http_world):
    plan = http_world.province_plan
    response = send("PATCH", plan.absolute_url(), {"period_start": 2030}, language="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "period_end"
    assert error["message"] == "The period must not end before it starts."
    assert plan.period_start == 2021  # nothing was written


def test_every_problem_is_listed(http_world):
    response = send(
        "POST",
        http_world.province_plan.absolute_url(),
        movement(quota_collective=-1, quota_individual=-2),
        language="en",
    )
    fields = {problem["field"] for problem in response.json()["error"]["errors"]}
    assert fields == {"quota_collective", "quota_individual"}


def test_a_bad_vocabulary_value(http_world):
    response = send(
        "POST",
        http_world.province_movement.absolute_url(),
        {"@type": "Candidate", "title": "X", "kind": "robot"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "kind"


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("POST", "province_movement", {"@type": "Candidate", "title": "X", "year": "năm nay"}),
        ("POST", "province_movement", {"@type": "Candidate", "title": "X", "quarter": 9}),
        ("PATCH", "province_candidate", {"honoured_date": "not a date"}),
        ("PATCH", "province_candidate", {"id_number": "12ab"}),
        ("POST", "province_candidate/@votes", {"vote": ["yes"]}),
        ("POST", "province_candidate/@introduce", {"target": {"uid": 1}}),
        ("GET", "province/@honour-board?b_size=abc", None),
        ("GET", "province/@dashboard?year=1e9", None),
        ("GET", "province/@export?format=", None),
    ],
)
def test_bad_input_is_never_a_500(http_world, method, path, body):
    name, _, rest = path.partition("/")
    url = getattr(http_world, name).absolute_url() + (f"/{rest}" if rest else "")
    response = send(method, url, body)
    assert 400 <= response.status_code < 500, response.text
    assert "error" in response.json()
