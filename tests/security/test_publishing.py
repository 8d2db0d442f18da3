"""Issue 9, findings 1 to 5: personal data and dossier files through every path
Zope publishes (attributes, WebDAV, FTP, views), @transactions, and a scan of
every publishable name of an honoured candidate. Over HTTP, on the real WSGI
server, as Anonymous and as another unit's officer."""

from AccessControl import Unauthorized
from AccessControl.ZopeGuards import guarded_getattr
from Acquisition import aq_base
from plone import api
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.namedfile.file import NamedBlobFile
from plone.namedfile.file import NamedBlobImage
from thidua.chains.status import force_state
from thidua.content.candidate import PERSONAL_DATA
from thidua.content.publishing import WEBDAV_METHODS
from thidua.delegation import group_id
from thidua.interfaces import IDossierFile
from urllib.parse import quote
from zope.component import getSiteManager
from zope.interface import providedBy
from zope.publisher.interfaces.browser import IBrowserRequest

import base64
import datetime
import pytest
import requests
import transaction


ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
JSON = {"Accept": "application/json", "Content-Type": "application/json"}
WORKLIST_ACTION = "thidua-worklist"
PHONE = "0912345678"  # conftest's
ID_NUMBER = "001234567890"  # conftest's
EMAIL = "nguyen.van.a@example.vn"
BIRTH_DATE = datetime.date(1979, 8, 23)
SECRETS = (PHONE, ID_NUMBER, EMAIL, "1979-08-23", "1979/08/23", "23/08/1979")
REFUSED = (401, 403, 404, 405)
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def leaked(text):
    return [secret for secret in SECRETS if secret in text]


def fill_personal_data(portal, candidate):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    candidate.birth_date = BIRTH_DATE
    candidate.email = EMAIL
    candidate.gender = "male"
    setRoles(portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    return candidate


@pytest.fixture
def exposed(http_honoured, functional_portal):
    """The honoured (public) candidate with every personal-data field set."""
    return fill_personal_data(functional_portal, http_honoured)


@pytest.fixture
def people(http_world):
    """Anonymous, and the officer of another unit (the ward's, under the province)."""
    return {
        "Anonymous": None,
        "ward officer": (http_world.users[("ward", "UnitOfficer")], "secret-pw"),
    }


def call(method, url, auth=None, **kwargs):
    return requests.request(method, url, auth=auth, allow_redirects=False, timeout=30, **kwargs)


def refused(response):
    """Refused: an error status, or Plone's redirect to its login form."""
    if response.status_code == 302:
        return "require_login" in response.headers.get("Location", "")
    return response.status_code in REFUSED


class TestPersonalDataAttributes:
    """Findings 1 and 2."""

    @pytest.mark.parametrize(
        "path",
        [
            *PERSONAL_DATA,
            "manage_DAVget",
            "manage_FTPget",
            "_data/manage_DAVget",
            "_data/manage_FTPget",
        ],
    )
    def test_refused_by_url_and_webdav(self, exposed, people, path):
        """Each attribute by URL, and the WebDAV and FTP bodies that print them."""
        for who, auth in people.items():
            response = call("GET", f"{exposed.absolute_url()}/{path}", auth=auth)
            assert refused(response), (who, path, response.status_code, response.text[:300])
            assert not leaked(response.text), (who, path)

    def test_never_by_url(self, exposed, http_world):
        """Zope traverses a URL before it knows the user: whoever holds the
        permission reads personal data through the API."""
        url = f"{exposed.absolute_url()}/birth_date"
        officer = (http_world.users[("province", "UnitOfficer")], "secret-pw")
        for auth in (officer, ADMIN):
            response = call("GET", url, auth=auth)
            assert refused(response), (auth, response.status_code)
        data = call("GET", exposed.absolute_url(), auth=officer, headers=JSON).json()
        assert data["birth_date"] == "1979-08-23"

    def test_webdav_and_ftp_bodies_refused_to_the_candidates_own_staff(self, exposed, http_world):
        """Nobody here works through WebDAV: refused to all but administrators."""
        officer = (http_world.users[("province", "UnitOfficer")], "secret-pw")
        for path in ("manage_DAVget", "_data/manage_FTPget"):
            response = call("GET", f"{exposed.absolute_url()}/{path}", auth=officer)
            assert refused(response), (path, response.status_code)
        administrator = call("GET", f"{exposed.absolute_url()}/manage_DAVget", auth=ADMIN)
        assert administrator.status_code == 200
        assert PHONE in administrator.text

    def test_in_process_paths(self, exposed, functional_portal, http_world):
        """restrictedTraverse (page templates' path expressions) and
        guarded_getattr (their Python expressions, RestrictedPython)."""
        logout()
        try:
            for name in PERSONAL_DATA:
                with pytest.raises(Unauthorized):
                    exposed.restrictedTraverse(name)
                with pytest.raises(Unauthorized):
                    guarded_getattr(exposed, name)
            for name in ("manage_DAVget", "manage_FTPget"):
                with pytest.raises(Unauthorized):
                    exposed.restrictedTraverse(name)
        finally:
            login(functional_portal, TEST_USER_NAME)
        # whoever holds the permission reads them the same ways
        login(functional_portal, http_world.users[("province", "UnitOfficer")])
        try:
            assert exposed.restrictedTraverse("birth_date") == BIRTH_DATE
            assert guarded_getattr(exposed, "phone") == PHONE
        finally:
            login(functional_portal, TEST_USER_NAME)

    def test_page_template(self, exposed, functional_portal):
        """Already refused before issue 9 (plone.dexterity's AttributeValidator
        applies the read permission to guarded attribute access); kept so."""
        from Products.PageTemplates.ZopePageTemplate import ZopePageTemplate

        template = ZopePageTemplate("leak", '<p tal:content="context/birth_date" />').__of__(
            exposed
        )
        logout()
        try:
            with pytest.raises(Unauthorized):
                template.pt_render(extra_context={"context": exposed})
        finally:
            login(functional_portal, TEST_USER_NAME)


class TestWebDAV:
    """Finding 3."""

    @pytest.mark.parametrize("path", ["", "/_data"])
    def test_propfind_on_a_draft_refused_and_nothing_written(
        self, http_world, functional_portal, people, path
    ):
        """PROPFIND answered the draft's title (a nominee's name) to any
        authenticated user, and its ETag was written on the candidate."""
        candidate = http_world.province_candidate
        database = functional_portal._p_jar.db()
        for who, auth in people.items():
            before = database.lastTransaction()
            response = call(
                "PROPFIND", f"{candidate.absolute_url()}{path}", auth=auth, headers={"Depth": "0"}
            )
            assert refused(response), (who, response.status_code, response.text[:300])
            assert candidate.title not in response.text
            assert database.lastTransaction() == before, who

    def test_propfind_on_a_public_container_lists_nothing(self, http_world, people):
        movement = http_world.province_movement  # launched: public
        for who, auth in people.items():
            response = call("PROPFIND", movement.absolute_url(), auth=auth, headers={"Depth": "1"})
            assert refused(response), (who, response.status_code)
            assert http_world.province_candidate.title not in response.text

    def test_propfind_on_the_site_walks_into_nothing(self, http_world, functional_portal, people):
        """A Depth: infinity PROPFIND of the site root answered every item's
        title, drafts included, to any user, and wrote the ETags of what it listed."""
        database = functional_portal._p_jar.db()
        for who, auth in people.items():
            before = database.lastTransaction()
            response = call(
                "PROPFIND",
                functional_portal.absolute_url(),
                auth=auth,
                headers={"Depth": "infinity"},
            )
            assert refused(response), (who, response.status_code)
            assert http_world.province_candidate.title not in response.text
            assert database.lastTransaction() == before, who

    def test_propfind_for_administrators(self, exposed):
        response = call("PROPFIND", exposed.absolute_url(), auth=ADMIN, headers={"Depth": "0"})
        assert response.status_code == 207


def add_dossier_file(portal, candidate, commit=True):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    item = api.content.create(
        container=candidate,
        type="File",
        id="cv",
        title="Sơ yếu lý lịch",
        file=NamedBlobFile(
            data=f"Nguyễn Văn A, điện thoại {PHONE}".encode(),
            filename="cv.txt",
            contentType="text/plain",
        ),
    )
    photo = api.content.create(
        container=candidate,
        type="Image",
        id="photo",
        title="Ảnh",
        image=NamedBlobImage(data=PIXEL, filename="photo.png"),
    )
    setRoles(portal, TEST_USER_ID, ["Member"])
    if commit:
        transaction.commit()
    return item, photo


class TestDossierFiles:
    """Finding 4."""

    def test_staff_only_until_a_secretary_marks_one_public(self, http_honoured, http_world):
        portal = api.portal.get()
        item, photo = add_dossier_file(portal, http_honoured)
        downloads = {
            item: f"{item.absolute_url()}/@@download/file",
            photo: f"{photo.absolute_url()}/@@images/image",
        }
        for obj, download in downloads.items():
            for url in (obj.absolute_url(), download):
                assert refused(call("GET", url)), url
        own_officer = (http_world.users[("province", "UnitOfficer")], "secret-pw")
        assert call("GET", downloads[item], auth=own_officer).status_code == 200
        # the public does not even learn the file is there
        listed = call("GET", f"{http_honoured.absolute_url()}/@dossier-public", headers=JSON)
        assert listed.json()["items"] == []

        other_officer = (http_world.users[("ward", "UnitOfficer")], "secret-pw")
        secretary = (http_world.users[("province", "CouncilSecretary")], "secret-pw")
        mark = f"{http_honoured.absolute_url()}/@dossier-public"
        response = call(
            "POST", mark, auth=other_officer, headers=JSON, json={"id": "cv", "public": True}
        )
        assert response.status_code == 403
        response = call(
            "POST", mark, auth=own_officer, headers=JSON, json={"id": "cv", "public": True}
        )
        assert response.status_code == 403
        assert (
            call("POST", mark, headers=JSON, json={"id": "cv", "public": True}).status_code == 401
        )
        response = call(
            "POST", mark, auth=secretary, headers=JSON, json={"id": "cv", "public": "yes"}
        )
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "public"
        response = call(
            "POST", mark, auth=secretary, headers=JSON, json={"id": "nope", "public": True}
        )
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "id"
        response = call(
            "POST", mark, auth=secretary, headers=JSON, json={"id": "cv", "public": True}
        )
        assert response.status_code == 200, response.text
        assert response.json()["public"] is True

        download = call("GET", downloads[item])
        assert download.status_code == 200
        assert refused(call("GET", downloads[photo]))
        assert [entry["id"] for entry in call("GET", mark, headers=JSON).json()["items"]] == ["cv"]
        # and back
        response = call(
            "POST", mark, auth=secretary, headers=JSON, json={"id": "cv", "public": False}
        )
        assert response.status_code == 200
        assert refused(call("GET", downloads[item]))

    def test_staff_only_in_every_state(self, http_world, functional_portal):
        """A draft's file, then the same file after each transition to honoured."""
        from conftest import honour

        candidate = http_world.province_candidate
        item, _photo = add_dossier_file(functional_portal, candidate)
        honour(functional_portal, candidate)
        transaction.commit()
        assert refused(call("GET", f"{item.absolute_url()}/@@download/file"))
        viewers = {role["name"] for role in item.rolesOfPermission("View") if role["selected"]}
        assert "Anonymous" not in viewers
        assert "UnitOfficer" in viewers
        assert not item.acquiredRolesAreUsedBy("View")

    def test_file_text_out_of_the_search(self, http_honoured, http_world):
        portal = api.portal.get()
        item, _photo = add_dossier_file(portal, http_honoured)
        secretary = (http_world.users[("province", "CouncilSecretary")], "secret-pw")
        call(
            "POST",
            f"{http_honoured.absolute_url()}/@dossier-public",
            auth=secretary,
            headers=JSON,
            json={"id": "cv", "public": True},
        )
        for auth in (None, ADMIN):
            found = requests.get(
                f"{portal.absolute_url()}/@search",
                params={"SearchableText": PHONE},
                headers=JSON,
                auth=auth,
                timeout=30,
            ).json()
            assert found["items_total"] == 0, found
        by_title = requests.get(
            f"{portal.absolute_url()}/@search",
            params={"SearchableText": "lý lịch"},
            headers=JSON,
            timeout=30,
        ).json()
        assert [entry["@id"] for entry in by_title["items"]] == [item.absolute_url()]


class TestTransactions:
    """Finding 5."""

    def test_members_may_not_read_them(self, http_world, functional_portal):
        api.user.create(email="member@example.vn", username="plain-member", password="secret-pw")
        transaction.commit()
        url = f"{functional_portal.absolute_url()}/@transactions"
        for auth in (
            ("plain-member", "secret-pw"),
            (http_world.users[("ward", "UnitOfficer")], "secret-pw"),
            None,
        ):
            response = call("GET", url, auth=auth, headers=JSON)
            assert response.status_code in (401, 403), (auth, response.status_code)
            assert "candidate" not in response.text
        response = call("GET", url, auth=ADMIN, headers=JSON)
        assert response.status_code == 200
        assert isinstance(response.json(), list)


# The scan: every name Zope might publish on an honoured candidate.


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def registries(registry):
    """The registry and its bases: the site's, then the stacked global ones of
    the test layers."""
    yield registry
    for base in registry.__bases__:
        yield from registries(base)


def registered_names(candidate):
    """Browser views, and plone.rest GET services as (media type, name), that
    are registered for the candidate (plone.rest names a service
    ``<method>_<type>_<subtype>_<name>``)."""
    provided = providedBy(candidate)
    views, services = set(), set()
    every = {id(r): r for r in registries(getSiteManager(candidate))}.values()
    for registration in (r for registry in every for r in registry.registeredAdapters()):
        required = registration.required
        if len(required) != 2 or not registration.name:
            continue
        if not provided.isOrExtends(required[0]) or not required[1].isOrExtends(IBrowserRequest):
            continue
        parts = registration.name.split("_", 3)
        if len(parts) == 4 and parts[0] in HTTP_METHODS:
            method, kind, subtype, name = parts
            if method == "GET":
                services.add((f"{kind}/{subtype}", name))
        else:
            views.add(registration.name)
    return views, services


def test_scan_every_publishable_name(exposed, people, functional_portal):
    """GET every attribute (dir(), class attributes included, '_' names too:
    Zope refuses them but _data is the exception), every WebDAV and FTP method
    (with its verb), every browser view and every REST GET service of an
    honoured candidate, as Anonymous and as another unit's officer: none of the
    candidate's personal data is in any answer."""
    names = set(dir(aq_base(exposed))) | set(WEBDAV_METHODS) | {"_data"}
    views, services = registered_names(exposed)
    assert {"view", "images", "download", "edit"} <= views, views
    assert {("application/json", "@workflow"), ("application/json", "")} <= services
    base = exposed.absolute_url()
    requests_to_make = [("GET", f"{base}/{name}", {}) for name in sorted(names)]
    requests_to_make += [("GET", f"{base}/_data/{name}", {}) for name in sorted(WEBDAV_METHODS)]
    requests_to_make += [("GET", f"{base}/@@{quote(name)}", {}) for name in sorted(views)]
    requests_to_make += [
        ("GET", f"{base}/{name}", {"headers": {"Accept": accept}})
        for accept, name in sorted(services)
    ]
    for verb in ("PROPFIND", "PROPPATCH", "LOCK", "UNLOCK", "MKCOL", "COPY", "MOVE", "OPTIONS"):
        for target in (base, f"{base}/_data"):
            requests_to_make.append((verb, target, {"headers": {"Depth": "1"}}))
    findings = []
    session = requests.Session()
    for who, auth in people.items():
        for method, url, kwargs in requests_to_make:
            response = session.request(
                method, url, auth=auth, allow_redirects=False, timeout=30, **kwargs
            )
            found = leaked(response.text)
            if found:
                findings.append((who, method, url, response.status_code, found))
    assert len(requests_to_make) > 500
    assert findings == [], "\n".join(map(str, findings))


# In-process: the places where a candidate's permissions are rewritten.


def viewers(item):
    return {role["name"] for role in item.rolesOfPermission("View") if role["selected"]}


def staff_of(candidate):
    from AccessControl.PermissionRole import rolesForPermissionOn

    return set(rolesForPermissionOn("thidua: View personal data", candidate))


class TestDossierFollowsTheCandidate:
    def test_after_each_transition(self, world, portal):
        from conftest import honour

        candidate = world.province_candidate
        setRoles(portal, TEST_USER_ID, ["Manager"])
        item = api.content.create(container=candidate, type="File", id="proof", title="Minh chứng")
        assert viewers(item) == staff_of(candidate)
        assert "CouncilMember" not in viewers(item)  # draft: no council yet
        honour(portal, candidate)
        assert viewers(item) == staff_of(candidate)
        assert "CouncilMember" in viewers(item)
        assert "Anonymous" not in viewers(item)

    def test_a_copied_candidate_and_an_introduced_one(self, world, portal):
        from thidua.introduce import introduce

        setRoles(portal, TEST_USER_ID, ["Manager"])
        candidate = world.ward_candidate
        api.content.create(container=candidate, type="File", id="proof", title="Minh chứng")
        force_state(candidate, "selected")
        copy = api.content.copy(source=candidate, target=world.province_movement, id="copied")
        assert api.content.get_state(copy) == "draft"
        assert viewers(copy["proof"]) == staff_of(copy)
        introduced = introduce(candidate, api.content.get_uuid(world.province_movement))
        assert api.content.get_state(introduced) == "submitted"
        assert viewers(introduced["proof"]) == staff_of(introduced)
        assert not introduced["proof"].acquiredRolesAreUsedBy("View")

    def test_moved_out_of_a_candidate_it_follows_its_container(self, world, portal):
        setRoles(portal, TEST_USER_ID, ["Manager"])
        item = api.content.create(
            container=world.province_candidate, type="File", id="proof", title="Minh chứng"
        )
        moved = api.content.move(source=item, target=world.province_movement)
        assert not IDossierFile.providedBy(moved)
        assert moved.acquiredRolesAreUsedBy("View")


def test_upgrade_from_1001(portal, installer, world):
    """A site made by 1001: Members list the transactions, and a dossier file
    acquires the candidate's View and has its text in SearchableText."""
    from conftest import honour
    from Products.CMFCore.permissions import AccessContentsInformation
    from Products.CMFCore.permissions import View
    from zope.interface import noLongerProvides

    candidate = honour(portal, world.province_candidate)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    item, _photo = add_dossier_file(portal, candidate, commit=False)
    noLongerProvides(item, IDossierFile)
    for permission in (View, AccessContentsInformation):
        item.manage_permission(permission, (), acquire=True)
    item.reindexObject()
    item.reindexObjectSecurity()
    portal.manage_permission(
        "List undoable changes", ["Manager", "Site Administrator", "Member"], acquire=True
    )
    portal.manage_permission("WebDAV access", ["Site Administrator"], acquire=True)
    # 1001 gave the parent's secretaries' group Reader on each sub-unit
    parent_secretaries = group_id(world.province, "CouncilSecretary")
    world.ward.manage_setLocalRoles(parent_secretaries, ["Reader", "Contributor"])
    # 1001 had no worklist in the personal bar
    user_actions = api.portal.get_tool("portal_actions").user
    user_actions.manage_delObjects([WORKLIST_ACTION])
    catalog = api.portal.get_tool("portal_catalog")
    assert len(catalog.unrestrictedSearchResults(SearchableText=PHONE)) == 1
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("thidua:default", "1001")
    assert installer.upgrade_info("thidua")["required"]
    installer.upgrade_product("thidua")
    assert setup.getLastVersionForProfile("thidua:default") == (
        setup.getVersionForProfile("thidua:default"),
    )
    assert len(catalog.unrestrictedSearchResults(SearchableText=PHONE)) == 0
    assert IDossierFile.providedBy(item)
    assert viewers(item) == staff_of(candidate)
    [brain] = catalog.unrestrictedSearchResults(UID=item.UID())
    assert "Anonymous" not in catalog.getIndexDataForRID(brain.getRID())["allowedRolesAndUsers"]
    assert world.ward.get_local_roles_for_userid(parent_secretaries) == ("Contributor",)
    assert WORKLIST_ACTION in user_actions.objectIds()
    secretary = world.users[("province", "CouncilSecretary")]
    assert "Reader" in api.user.get_roles(username=secretary, obj=world.ward)
    for permission in ("List undoable changes", "WebDAV access"):
        roles = {r["name"] for r in portal.rolesOfPermission(permission) if r["selected"]}
        assert roles == {"Manager", "Site Administrator"}
        assert not portal.acquiredRolesAreUsedBy(permission)
