"""``GET @feed``: the public feed of thidua.feeds as a JSON Feed 1.1 object."""

from plone.restapi.services import Service
from thidua import feeds
from thidua.feeds.views import feed_url
from thidua.feeds.views import kind_of
from thidua.services import params
from thidua.services.errors import error


class FeedGet(Service):
    def reply(self):
        try:
            kind = kind_of(self.request)
        except params.ParameterError as problem:
            return error(self.request, 400, problem.message, problem.field)
        return feeds.json_feed(self.context, kind, feed_url(self.context, self.request, "@feed"))
