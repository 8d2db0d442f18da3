"""Through the real WSGI server: Sharing, pages and search as portals and people see them."""

from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from thidua.content.candidate import PERSONAL_DATA

import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


def url(obj):
    return obj.absolute_url()


class TestSharing:
    def test_delegates_and_grants_exactly_what_was_asked(self, http_world, functional_portal):
        unit = http_world.province
        api.user.create(email="new@example.vn", username="new-member", password="secret-pw")
        transaction.commit()
        response = requests.post(
            f"{url(unit)}/@sharing",
            headers=JSON,
            auth=ADMIN,
            json={
                "entries": [
                    {
                        "id": "new-member",
                        "type": "user",
                        "roles": {"CouncilMember": True, "UnitOfficer": True},
                    }
                ]
            },
            timeout=30,
        )
        assert response.status_code == 204, response.text
        shared = requests.get(
            f"{url(unit)}/@sharing?search=new-member", headers=JSON, auth=ADMIN, timeout=30
        ).json()
        [entry] = [e for e in shared["entries"] if e["id"] == "new-member"]
        granted = {role for role, on in entry["roles"].items() if on}
        assert granted == {"CouncilMember", "UnitOfficer"}
        offered = {role["id"] for role in shared["available_roles"]}
        assert {"UnitOfficer", "CouncilSecretary", "CouncilMember", "CouncilChair"} <= offered

    def test_a_council_member_may_not_delegate(self, http_world):
        member = (http_world.users[("province", "CouncilMember")], "secret-pw")
        response = requests.post(
            f"{url(http_world.province)}/@sharing",
            headers=JSON,
            auth=member,
            json={"entries": [{"id": member[0], "type": "user", "roles": {"CouncilChair": True}}]},
            timeout=30,
        )
        assert response.status_code in (401, 403)
        assert "CouncilChair" not in http_world.province.get_local_roles_for_userid(member[0])

    def test_groups_endpoint_delegates(self, http_world):
        group = "TINH-CouncilMember"
        api.user.create(email="g@example.vn", username="via-group", password="secret-pw")
        transaction.commit()
        response = requests.patch(
            f"{api.portal.get().absolute_url()}/@groups/{group}",
            headers=JSON,
            auth=ADMIN,
            json={"users": {"via-group": True}},
            timeout=30,
        )
        assert response.status_code == 204, response.text
        transaction.begin()
        assert "CouncilMember" in api.user.get_roles(username="via-group", obj=http_world.province)


class TestPersonalDataOverHTTP:
    def test_anonymous_page(self, http_honoured):
        page = requests.get(url(http_honoured), timeout=30)
        assert page.status_code == 200
        assert "Nguyễn Văn A" in page.text
        assert "0912345678" not in page.text
        assert "001234567890" not in page.text

    def test_anonymous_rest(self, http_honoured):
        data = requests.get(url(http_honoured), headers=JSON, timeout=30).json()
        assert data["title"] == "Nguyễn Văn A"
        assert not set(PERSONAL_DATA) & set(data)

    def test_anonymous_search_with_all_metadata(self, http_honoured):
        portal_url = api.portal.get().absolute_url()
        found = requests.get(
            f"{portal_url}/@search",
            params={"SearchableText": "Nguyễn", "metadata_fields": "_all"},
            headers=JSON,
            timeout=30,
        ).json()
        assert found["items_total"] >= 1
        text = str(found)
        assert "0912345678" not in text and "001234567890" not in text
        by_phone = requests.get(
            f"{portal_url}/@search",
            params={"SearchableText": "0912345678"},
            headers=JSON,
            timeout=30,
        ).json()
        assert by_phone["items_total"] == 0

    def test_officer_of_another_unit(self, http_honoured, http_world):
        officer = (http_world.users[("ward", "UnitOfficer")], "secret-pw")
        data = requests.get(url(http_honoured), headers=JSON, auth=officer, timeout=30).json()
        assert not set(PERSONAL_DATA) & set(data)
        page = requests.get(url(http_honoured), auth=officer, timeout=30).text
        assert "0912345678" not in page

    def test_own_officer_sees_it(self, http_honoured, http_world):
        officer = (http_world.users[("province", "UnitOfficer")], "secret-pw")
        data = requests.get(url(http_honoured), headers=JSON, auth=officer, timeout=30).json()
        assert data["phone"] == "0912345678"
