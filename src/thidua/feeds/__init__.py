"""Public feeds (issue 15, item 5): the newly honoured models and the public
replication activities below the site, a Unit, a Plan or a Movement, newest
first, for the province's news pages to pick up: Atom 1.0 and RSS 2.0 (drawn
by feedgen), JSON Feed 1.1.

- ``kind``: ``models`` (honoured candidates, newest honour first),
  ``activities`` (public activities and adoptions, newest first by their
  date), or both (the default), merged by date; ``LIMIT`` items.
- Scope: below the context. An activity counts when it names a model below
  the context; on a Unit also when a unit below it organised it or adopted the
  model. On the site, every public one.
- Public only, whoever asks: the feeds are cached and shared, so the catalog
  is asked as Anonymous would be (``allowedRolesAndUsers`` = Anonymous and
  ``effectiveRange`` now), even for a member of the staff. An internal
  activity, a candidate not honoured or not public, a draft: never in a feed;
  the models an activity names are named only when public too.
- Catalog metadata only, as the honour board: no object is loaded and no
  personal data is in the catalog (no birth date, phone, e-mail, identity
  number; participants are a count). The models an activity names are read
  from the ``thidua_models`` index's reverse map.
- The entries' text is Vietnamese (the site's readers and its news pages),
  whatever the reader's language, so that one cached copy serves everyone.
"""

from DateTime import DateTime
from feedgen.feed import FeedGenerator
from plone import api
from thidua import _
from thidua.content.unit import IUnit
from thidua.replication.content import ADOPTION
from thidua.vocabularies import ACTIVITY_KINDS
from thidua.vocabularies import KINDS as CANDIDATE_KINDS
from thidua.vocabularies import registry_titles
from zope.i18n import translate

import datetime
import json


LANGUAGE = "vi"
LIMIT = 30
KINDS = ("models", "activities")
# Vietnam keeps one offset all year: the naive dates of the honours and the
# activities are days there.
VIETNAM = datetime.timezone(datetime.timedelta(hours=7), "ICT")
JSON_FEED = "https://jsonfeed.org/version/1.1"
MEDIA_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
TITLES = {
    None: _("Advanced models and replication activities: ${title}"),
    "models": _("Newly honoured advanced models: ${title}"),
    "activities": _("Replication activities of the advanced models: ${title}"),
}
DESCRIPTION = _(
    "The advanced models newly honoured and the public activities that spread them, newest first."
)
ADOPTED = _("Adoption of a model")


def vi(message, **mapping):
    """``message`` in Vietnamese (its ``mapping`` given here, if any)."""
    if mapping:
        message = _(message, mapping=mapping)
    return translate(message, target_language=LANGUAGE)


def _path(obj):
    return "/".join(obj.getPhysicalPath())


def public_search(**query):
    """Catalog brains as Anonymous finds them, whoever asks."""
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(
        allowedRolesAndUsers=["Anonymous"], effectiveRange=DateTime(), **query
    )


def _day(value):
    """A date of the catalog's metadata as a moment (midnight in Vietnam)."""
    if value is None:
        return None
    if isinstance(value, DateTime):
        return value.asdatetime()
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=VIETNAM)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=VIETNAM)
    return None


def _line(label, value):
    return None if value in (None, "") else f"{vi(label)}: {value}"


def _summary(lines, description):
    text = "; ".join(line for line in lines if line)
    text = f"{text}." if text else ""
    return f"{text}\n\n{description}".strip() if description else text


# Models -------------------------------------------------------------------


def model_entries(context, limit=LIMIT):
    brains = public_search(
        portal_type="Candidate",
        review_state="honoured",
        path=_path(context),
        sort_on="thidua_honoured_date",
        sort_order="descending",
        sort_limit=limit,
    )[:limit]
    kinds = {t.value: vi(t.title) for t in CANDIDATE_KINDS}
    forms = registry_titles("honour_forms", LANGUAGE)
    fields = registry_titles("fields", LANGUAGE)
    entries = []
    for brain in brains:
        url = brain.getURL()
        kind = kinds.get(brain.thidua_kind, brain.thidua_kind)
        honoured = brain.thidua_honoured_date
        form = forms.get(brain.thidua_honour_form, brain.thidua_honour_form)
        lines = [
            _line(_("Kind"), kind),
            _line(_("Honour form"), form),
            _line(_("Honoured on"), honoured.strftime("%d/%m/%Y") if honoured else None),
            _line(_("Organisation"), brain.thidua_organisation),
            _line(_("Field"), fields.get(brain.thidua_field, brain.thidua_field)),
            _line(_("Movement"), brain.movement_title),
            _line(_("Unit"), brain.unit_title),
        ]
        scales = getattr(brain, "image_scales", None) or {}
        entries.append(
            {
                "type": "model",
                "id": url,
                "url": url,
                "title": brain.Title,
                "summary": _summary(lines, brain.Description),
                "published": _day(honoured) or brain.effective.asdatetime(),
                "updated": brain.modified.asdatetime(),
                "kind": brain.thidua_kind,
                "category": vi(_("Honoured advanced model")),
                "tags": [tag for tag in (kind, form, brain.unit_title) if tag],
                "unit": brain.unit_title,
                "external_url": None,
                "image": f"{url}/@@images/image/preview" if scales.get("image") else None,
            }
        )
    return entries


# Activities -----------------------------------------------------------------


def _named_below(context):
    """The UIDs of the candidates below ``context`` that an activity or an
    adoption names (whatever their state: the activity is what must be public)."""
    catalog = api.portal.get_tool("portal_catalog")
    named = list(catalog._catalog.getIndex("thidua_models").uniqueValues())
    if not named:
        return []
    brains = catalog.unrestrictedSearchResults(
        portal_type="Candidate", UID=named, path=_path(context)
    )
    return [brain.UID for brain in brains]


def activity_brains(context, limit=LIMIT):
    query = {
        "portal_type": ["Activity", "Adoption"],
        "review_state": "published",
        "sort_on": "thidua_activity_date",
        "sort_order": "descending",
        "sort_limit": limit,
    }
    if context.portal_type == "Plone Site":
        return list(public_search(**query)[:limit])
    found = {}
    models = _named_below(context)
    if models:
        for brain in public_search(thidua_models=models, **query)[:limit]:
            found[brain.getRID()] = brain
    if IUnit.providedBy(context):
        for brain in public_search(path=_path(context), **query)[:limit]:
            found[brain.getRID()] = brain
    brains = sorted(
        found.values(),
        key=lambda b: (_day(b.thidua_activity_date) or _day(b.created), b.getRID()),
        reverse=True,
    )
    return brains[:limit]


def _public_titles(uids):
    if not uids:
        return {}
    return {brain.UID: brain.Title for brain in public_search(UID=list(uids))}


def activity_entries(context, limit=LIMIT):
    brains = activity_brains(context, limit)
    index = api.portal.get_tool("portal_catalog")._catalog.getIndex("thidua_models")
    named = {}
    for brain in brains:
        uids = index._unindex.get(brain.getRID()) or ()
        named[brain.getRID()] = [uids] if isinstance(uids, str) else list(uids)
    titles = _public_titles({uid for uids in named.values() for uid in uids})
    kinds = {t.value: vi(t.title) for t in ACTIVITY_KINDS}
    kinds[ADOPTION] = vi(ADOPTED)
    entries = []
    for brain in brains:
        url = brain.getURL()
        kind = kinds.get(brain.thidua_activity_kind, brain.thidua_activity_kind)
        day = brain.thidua_activity_date
        models = [titles[uid] for uid in named[brain.getRID()] if uid in titles]
        adoption = brain.thidua_activity_kind == ADOPTION
        lines = [
            _line(_("Kind of activity"), kind),
            _line(_("Date"), day.strftime("%d/%m/%Y") if day else None),
            _line(_("Adopting unit") if adoption else _("Organising unit"), brain.unit_title),
            _line(_("Advanced models featured"), ", ".join(models)),
            _line(_("Number of participants"), brain.thidua_participants),
        ]
        entries.append(
            {
                "type": "activity",
                "id": url,
                "url": url,
                "title": brain.Title,
                "summary": _summary(lines, brain.Description),
                "published": _day(day) or brain.created.asdatetime(),
                "updated": brain.modified.asdatetime(),
                "kind": brain.thidua_activity_kind,
                "category": kind,
                "tags": [tag for tag in (kind, brain.unit_title, *models) if tag],
                "unit": brain.unit_title,
                "external_url": None,
                "image": None,
            }
        )
    return entries


# The feed -----------------------------------------------------------------


def entries(context, kind=None, limit=LIMIT):
    """The feed's entries, newest first (``kind``: models, activities or None for both)."""
    found = []
    if kind in (None, "models"):
        found += model_entries(context, limit)
    if kind in (None, "activities"):
        found += activity_entries(context, limit)
    found.sort(key=lambda entry: (entry["published"], entry["updated"]), reverse=True)
    return found[:limit]


def home_page(context):
    """The page a reader of the feed goes to: the honour board below the context."""
    return f"{context.absolute_url()}/@@honour-board"


def feed_title(context, kind):
    return vi(TITLES[kind], title=context.Title())


def _updated(context, found):
    if found:
        return max(entry["updated"] for entry in found)
    return DateTime(context.modified()).asdatetime()


def _author(context):
    return api.portal.get().Title() or context.Title()


def _generator(context, kind, self_url):
    found = entries(context, kind)
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(feed_title(context, kind))
    feed.subtitle(vi(DESCRIPTION))
    feed.link(href=home_page(context), rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.language(LANGUAGE)
    feed.author({"name": _author(context)})
    feed.generator("thidua")
    feed.updated(_updated(context, found))
    for entry in found:
        item = feed.add_entry(order="append")
        item.id(entry["id"])
        item.guid(entry["id"], permalink=True)
        item.title(entry["title"])
        item.link(href=entry["url"])
        item.summary(entry["summary"] or entry["title"])
        item.published(entry["published"])
        item.updated(entry["updated"])
        item.category(term=entry["kind"] or entry["type"], label=entry["category"])
    return feed


def atom(context, kind, self_url):
    return _generator(context, kind, self_url).atom_str(pretty=True)


def rss(context, kind, self_url):
    return _generator(context, kind, self_url).rss_str(pretty=True)


def json_feed(context, kind, self_url):
    """The feed as a JSON Feed 1.1 object."""
    found = entries(context, kind)
    items = []
    for entry in found:
        item = {
            "id": entry["id"],
            "url": entry["url"],
            "title": entry["title"],
            "content_text": entry["summary"] or entry["title"],
            "summary": entry["summary"],
            "date_published": entry["published"].isoformat(),
            "date_modified": entry["updated"].isoformat(),
            "tags": entry["tags"],
            "language": LANGUAGE,
            "_thidua": {"type": entry["type"], "kind": entry["kind"], "unit": entry["unit"]},
        }
        if entry["image"]:
            item["image"] = entry["image"]
        items.append(item)
    return {
        "version": JSON_FEED,
        "title": feed_title(context, kind),
        "home_page_url": home_page(context),
        "feed_url": self_url,
        "description": vi(DESCRIPTION),
        "language": LANGUAGE,
        "authors": [{"name": _author(context)}],
        "items": items,
    }


def json_text(context, kind, self_url):
    return json.dumps(json_feed(context, kind, self_url), ensure_ascii=False, indent=1)
