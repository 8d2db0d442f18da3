"""The public feeds (thidua.feeds): Atom, RSS 2.0 and JSON Feed 1.1 of the
honoured models and the public replication activities below the site, a Unit,
a Plan or a Movement, parsed back; nothing that is not public, nor any personal
data, even when a member of the staff asks; scoped; cached like the honour
board; announced in the head of the honour board and the home page."""

from conftest import honour
from plone import api
from plone.app.testing import applyProfile
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from thidua.testing import PASSWORD

import feedparser
import json
import lxml.html
import pytest
import requests
import transaction
import xml.etree.ElementTree as ET


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
ATOM = "{http://www.w3.org/2005/Atom}"
PERSONAL = ("0912345678", "001234567890", "nguyenvana@example.vn")


def post(url, user, body):
    return requests.post(url, json=body, headers=JSON, auth=(user, PASSWORD), timeout=30)


def add_activity(world, key, title, kind, models, publish, participants=None):
    unit = world.province if key == "province" else world.ward
    secretary = world.users[(key, "CouncilSecretary")]
    response = post(
        unit.absolute_url(),
        secretary,
        {
            "@type": "Activity",
            "title": title,
            "activity_kind": kind,
            "activity_date": "2025-03-14",
            "models": [model.UID() for model in models],
            "participants": participants,
            "participants_note": "Ông Trần Văn B, điện thoại 0987654321",
        },
    )
    assert response.status_code == 201, response.text
    url = response.json()["@id"]
    if publish:
        assert post(f"{url}/@workflow/publish", secretary, {}).status_code == 200
    return url


@pytest.fixture
def news(http_world, functional_portal):
    """Both units' models honoured (the province's with personal data), a
    draft beside them; a public site visit by the ward and a public article by
    the province naming the ward's model, an internal article, a public
    adoption."""
    world = http_world
    world.portal_url = functional_portal.absolute_url()
    world.province_candidate.email = "nguyenvana@example.vn"
    honour(functional_portal, world.province_candidate)
    honour(functional_portal, world.ward_candidate)
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    api.content.create(
        container=world.province_movement, type="Candidate", title="Hồ sơ nháp", kind="individual"
    )
    setRoles(functional_portal, TEST_USER_ID, ["Member"])
    transaction.commit()
    add_activity(
        world,
        "ward",
        "Tham quan mô hình dân vận khéo",
        "site_visit",
        [world.province_candidate],
        True,
        40,
    )
    add_activity(
        world,
        "province",
        "Bài viết về mô hình của phường",
        "article",
        [world.ward_candidate],
        True,
    )
    add_activity(
        world,
        "province",
        "Bài viết nội bộ chưa duyệt",
        "article",
        [world.province_candidate],
        False,
    )
    response = post(
        world.ward.absolute_url(),
        world.users[("ward", "CouncilSecretary")],
        {
            "@type": "Adoption",
            "title": "Phường áp dụng mô hình của tỉnh",
            "adopted_model": world.province_candidate.UID(),
            "adoption_date": "2025-04-01",
            "participants": 12,
        },
    )
    assert response.status_code == 201, response.text
    post(
        f"{response.json()['@id']}/@workflow/publish", world.users[("ward", "CouncilSecretary")], {}
    )
    transaction.begin()
    return world


def fetch(url, user=None):
    auth = (user, PASSWORD) if user else None
    response = requests.get(url, auth=auth, timeout=30)
    assert response.status_code == 200, response.text
    return response


def parse(text):
    """The feed as XML, read back with the standard library (it is this
    server's own answer, the thing under test)."""
    return ET.fromstring(text.encode("utf-8"))  # noqa: S314


def atom_titles(text):
    root = parse(text)
    assert root.tag == f"{ATOM}feed"
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def rss_titles(text):
    root = parse(text)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return [item.findtext("title") for item in root.iter("item")]


def json_titles(text):
    feed = json.loads(text)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    return [item["title"] for item in feed["items"]]


PUBLIC = {
    "Nguyễn Văn A",
    "Tham quan mô hình dân vận khéo",
    "Bài viết về mô hình của phường",
    "Phường áp dụng mô hình của tỉnh",
}


@pytest.mark.parametrize(
    "name, media, titles",
    [
        ("@@feed.atom", "application/atom+xml", atom_titles),
        ("@@feed.rss", "application/rss+xml", rss_titles),
        ("@@feed.json", "application/feed+json", json_titles),
    ],
)
@pytest.mark.parametrize("asker", [None, ("province", "CouncilSecretary")])
def test_each_feed_lists_what_is_public_and_nothing_else(news, name, media, titles, asker):
    user = news.users[asker] if asker else None
    response = fetch(f"{news.province.absolute_url()}/{name}", user)
    assert response.headers["Content-Type"].startswith(media)
    found = titles(response.text)
    # both models are named "Nguyễn Văn A"
    assert found.count("Nguyễn Văn A") == 2
    assert set(found) == PUBLIC
    assert "Bài viết nội bộ chưa duyệt" not in response.text
    assert "Hồ sơ nháp" not in response.text
    for secret in (*PERSONAL, "0987654321", "Trần Văn B"):
        assert secret not in response.text


@pytest.mark.parametrize("name", ["@@feed.atom", "@@feed.rss"])
def test_feedparser_reads_them_without_complaint(news, name):
    parsed = feedparser.parse(fetch(f"{news.portal_url}/{name}").text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.language == "vi"
    assert len(parsed.entries) == 5
    visit = next(e for e in parsed.entries if e.title == "Tham quan mô hình dân vận khéo")
    assert "Hình thức: Tham quan, học tập kinh nghiệm" in visit.summary
    assert "Số người tham gia: 40" in visit.summary


def test_newest_first_and_the_text_in_vietnamese(news):
    feed = fetch(f"{news.province.absolute_url()}/@@feed.json").json()
    dates = [item["date_published"] for item in feed["items"]]
    assert dates == sorted(dates, reverse=True)
    assert feed["language"] == "vi"
    assert feed["title"].startswith("Điển hình tiên tiến")
    visit = next(i for i in feed["items"] if i["title"] == "Tham quan mô hình dân vận khéo")
    assert "Đơn vị tổ chức: Phường" in visit["content_text"]
    assert "Nguyễn Văn A" in visit["content_text"]
    assert visit["_thidua"] == {"type": "activity", "kind": "site_visit", "unit": "Phường"}


def test_the_kinds_apart(news):
    url = f"{news.province.absolute_url()}/@@feed.json"
    models = fetch(f"{url}?kind=models").json()
    assert {item["_thidua"]["type"] for item in models["items"]} == {"model"}
    assert models["feed_url"] == f"{url}?kind=models"
    activities = fetch(f"{url}?kind=activities").json()
    assert {item["_thidua"]["type"] for item in activities["items"]} == {"activity"}
    response = requests.get(f"{url}?kind=people", timeout=30)
    assert response.status_code == 400
    assert "kind" in response.text


def test_per_movement_and_per_plan(news):
    movement = fetch(f"{news.province_movement.absolute_url()}/@@feed.json").json()
    # the province's model and what names it; not the ward's model nor the article about it
    assert {item["title"] for item in movement["items"]} == {
        "Nguyễn Văn A",
        "Tham quan mô hình dân vận khéo",
        "Phường áp dụng mô hình của tỉnh",
    }
    urls = {item["url"] for item in movement["items"]}
    assert news.province_candidate.absolute_url() in urls
    assert news.ward_candidate.absolute_url() not in urls
    plan = fetch(f"{news.ward_plan.absolute_url()}/@@feed.atom").text
    # the article the province wrote about the ward's model counts for the ward's plan
    assert set(atom_titles(plan)) == {"Nguyễn Văn A", "Bài viết về mô hình của phường"}


def test_the_rest_endpoint_answers_the_json_feed(news):
    response = requests.get(
        f"{news.ward_movement.absolute_url()}/@feed",
        headers={"Accept": "application/json"},
        auth=(news.users[("ward", "CouncilSecretary")], PASSWORD),
        timeout=30,
    )
    assert response.status_code == 200
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{news.ward_movement.absolute_url()}/@feed"
    # the ward's model, honoured today, then the province's article about it (2025)
    assert [item["url"] for item in feed["items"]][0] == news.ward_candidate.absolute_url()
    assert [item["title"] for item in feed["items"]][1:] == ["Bài viết về mô hình của phường"]
    assert "Hồ sơ nháp" not in response.text
    bad = requests.get(
        f"{news.portal_url}/@feed?kind=x", headers={"Accept": "application/json"}, timeout=30
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["field"] == "kind"


@pytest.mark.parametrize("path", ["", "/tinh/@@honour-board"])
def test_pages_announce_the_feeds_in_their_head(news, path):
    page = requests.get(f"{news.portal_url}{path}", timeout=30)
    html = lxml.html.fromstring(page.text)
    links = {
        link.get("type"): link.get("href")
        for link in html.xpath("//head/link[@rel='alternate']")
        if "feed" in (link.get("href") or "")
    }
    base = news.portal_url + (path.replace("/@@honour-board", "") if path else "")
    assert links == {
        "application/atom+xml": f"{base}/@@feed.atom",
        "application/rss+xml": f"{base}/@@feed.rss",
        "application/feed+json": f"{base}/@@feed.json",
    }


@pytest.fixture
def caching_on(news, functional_portal):
    applyProfile(functional_portal, "plone.app.caching:default")
    applyProfile(functional_portal, "plone.app.caching:with-caching-proxy")
    api.portal.set_registry_record("plone.caching.interfaces.ICacheSettings.enabled", True)
    transaction.commit()
    return news


@pytest.mark.parametrize(
    "path, accept",
    [
        ("@@feed.atom", "application/atom+xml"),
        ("@@feed.rss", "application/rss+xml"),
        ("@@feed.json", "application/feed+json"),
        ("@feed", "application/json"),
    ],
)
def test_cached_like_the_honour_board(caching_on, path, accept):
    response = requests.get(
        f"{caching_on.province.absolute_url()}/{path}", headers={"Accept": accept}, timeout=30
    )
    assert response.status_code == 200
    assert response.headers["X-Cache-Rule"] == "plone.content.dynamic"
    assert response.headers["X-Cache-Operation"]
    assert "Cache-Control" in response.headers


def test_read_from_the_catalog_without_loading_objects(world, portal, monkeypatch):
    """A feed never wakes a candidate nor an activity: it stays cheap however many."""
    from plone.app.testing import login
    from plone.app.testing import TEST_USER_NAME
    from Products.ZCatalog.CatalogBrains import AbstractCatalogBrain
    from thidua import feeds
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    import datetime

    honour(portal, world.province_candidate)
    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, TEST_USER_NAME)
    visit = api.content.create(
        container=world.ward,
        type="Activity",
        title="Tham quan mô hình",
        activity_kind="site_visit",
        activity_date=datetime.date(2025, 3, 14),
        models=[RelationValue(getUtility(IIntIds).getId(world.province_candidate))],
    )
    api.content.transition(obj=visit, transition="publish")

    def refuse(*args):
        raise AssertionError("a feed loaded an object")

    monkeypatch.setattr(AbstractCatalogBrain, "getObject", refuse)
    monkeypatch.setattr(AbstractCatalogBrain, "_unrestrictedGetObject", refuse)
    feed = feeds.json_feed(world.province_movement, None, "http://example.vn/@feed")
    assert [item["title"] for item in feed["items"]] == ["Nguyễn Văn A", "Tham quan mô hình"]
    visit_item = feed["items"][1]
    assert "Nguyễn Văn A" in visit_item["content_text"]
    assert atom_titles(feeds.atom(world.province, None, "http://example.vn/@@feed.atom").decode())
    assert rss_titles(feeds.rss(world.province, None, "http://example.vn/@@feed.rss").decode())
