"""The Classic add forms refuse, as any page does, a type the user may not
add (Plone's own answer is a 500, ValueError "Subobject type disallowed")."""

from thidua.testing import ADMIN
from thidua.testing import logged_in

import pytest
import requests


@pytest.mark.parametrize(
    ("where", "portal_type", "role"),
    [
        ("province", "Plan", "UnitOfficer"),
        ("province", "Cluster", "UnitOfficer"),
        ("province", "Unit", "CouncilSecretary"),
        ("province_movement", "Candidate", "CouncilMember"),
    ],
)
def test_a_role_that_may_not_add_is_refused(
    http_world, functional_portal, where, portal_type, role
):
    session = logged_in(functional_portal, http_world.users[("province", role)])
    url = f"{getattr(http_world, where).absolute_url()}/++add++{portal_type}"
    response = session.get(url, timeout=30)
    # Plone sends a logged-in user to its "insufficient privileges" page
    assert response.history and response.history[0].status_code == 302
    assert response.url.endswith("/insufficient-privileges"), response.url
    assert "ValueError" not in response.text


def test_anonymous_is_sent_to_log_in(http_world):
    url = f"{http_world.province.absolute_url()}/++add++Plan"
    response = requests.get(url, timeout=30, allow_redirects=False)
    assert response.status_code in (302, 401, 403)


def test_a_type_the_container_never_holds_is_not_found(http_world, functional_portal):
    session = logged_in(functional_portal, *ADMIN)
    response = session.get(f"{http_world.province_movement.absolute_url()}/++add++Unit", timeout=30)
    assert response.status_code == 404


def test_who_may_add_gets_the_form(http_world, functional_portal):
    session = logged_in(functional_portal, http_world.users[("province", "CouncilSecretary")])
    response = session.get(f"{http_world.province.absolute_url()}/++add++Plan", timeout=30)
    assert response.status_code == 200
    assert 'name="form.buttons.save"' in response.text
