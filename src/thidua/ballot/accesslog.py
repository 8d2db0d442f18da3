"""Ballot secrecy against the access log.

Zope names the authenticated user in ``REMOTE_USER`` and the access log
(Paste's translogger) writes it with the time, the address and the path of
every request: a ``POST …/@votes`` line would say which member voted when.
This filter sits between the translogger and Zope (zope.ini's pipeline) and,
for a ballot request only, takes the user and the address out of what the
log sees; every other request keeps them.
"""

import re


BALLOT = re.compile(r"/(?:@votes|@@ballot-submit|ballot-submit)/?$")


def is_ballot(environ):
    return environ.get("REQUEST_METHOD") == "POST" and bool(
        BALLOT.search(environ.get("PATH_INFO", ""))
    )


class BallotSecrecy:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not is_ballot(environ):
            return self.application(environ, start_response)

        def start_response_without_voter(status, headers, exc_info=None):
            # The translogger writes its line when the response starts.
            for key in ("REMOTE_USER", "REMOTE_ADDR", "HTTP_X_FORWARDED_FOR"):
                environ.pop(key, None)
            return start_response(status, headers, exc_info)

        return self.application(environ, start_response_without_voter)


def filter_factory(global_conf, **local_conf):
    """PasteDeploy's entry: ``use = call:thidua.ballot.accesslog:filter_factory``."""
    return BallotSecrecy
