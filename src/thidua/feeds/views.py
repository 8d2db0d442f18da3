"""``@@feed.atom``, ``@@feed.rss``, ``@@feed.json`` on the site, a Unit, a
Plan or a Movement (thidua.feeds), and the ``<link rel="alternate">`` that lets
feed readers find them on the honour board and the home page."""

from plone.app.layout.viewlets.common import ViewletBase
from Products.Five.browser import BrowserView
from thidua import _
from thidua import feeds
from thidua.services import params
from zope.i18n import translate


FORMATS = (
    ("atom", _("Atom feed of the advanced models and their replication")),
    ("rss", _("RSS feed of the advanced models and their replication")),
    ("json", _("JSON feed of the advanced models and their replication")),
)


def kind_of(request):
    """``?kind=models|activities``, or None for both; ParameterError else."""
    return params.choice(request, "kind", set(feeds.KINDS))


def feed_url(context, request, name):
    """The stable address of the feed, with its ``kind`` when one was asked for."""
    kind = request.form.get("kind")
    url = f"{context.absolute_url()}/{name}"
    return f"{url}?kind={kind}" if kind in feeds.KINDS else url


class FeedView(BrowserView):
    format = None
    render = None

    def __call__(self):
        response = self.request.response
        try:
            kind = kind_of(self.request)
        except params.ParameterError as problem:
            response.setStatus(400)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return translate(problem.message, context=self.request)
        self_url = feed_url(self.context, self.request, f"@@feed.{self.format}")
        body = type(self).render(self.context, kind, self_url)
        response.setHeader("Content-Type", feeds.MEDIA_TYPES[self.format])
        return body


class AtomFeed(FeedView):
    format = "atom"
    render = staticmethod(feeds.atom)


class RssFeed(FeedView):
    format = "rss"
    render = staticmethod(feeds.rss)


class JsonFeed(FeedView):
    format = "json"
    render = staticmethod(feeds.json_text)


class FeedLinksViewlet(ViewletBase):
    """In the head of the honour board and of the home page: the feeds of
    what the page shows, for feed readers and news pages to discover."""

    def pages(self):
        from thidua.browser.honour_board import HonourBoardView
        from thidua.browser.public import HomeView

        return (HonourBoardView, HomeView)

    def render(self):
        if not isinstance(self.view, self.pages()):
            return ""
        url = self.context.absolute_url()
        links = []
        for name, title in FORMATS:
            media = feeds.MEDIA_TYPES[name].split(";")[0]
            label = translate(title, context=self.request)
            links.append(
                f'<link rel="alternate" type="{media}" title="{label}" '
                f'href="{url}/@@feed.{name}" />'
            )
        return "\n".join(links)
