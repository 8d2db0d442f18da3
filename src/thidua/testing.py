"""Test layers: Plone with plone.restapi and thidua installed.

pytest fixtures are made from these layers in tests/conftest.py with
pytest-plone's ``fixtures_factory``.
"""

from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing.utils import MockMailHost
from plone.testing.zope import WSGI_SERVER_FIXTURE
from Products.MailHost.MailHost import _mungeHeaders

import json
import plone.restapi
import re
import requests
import thidua


class ThiduaLayer(PloneSandboxLayer):
    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=thidua)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "thidua:default")


THIDUA_FIXTURE = ThiduaLayer()

THIDUA_INTEGRATION_TESTING = IntegrationTesting(
    bases=(THIDUA_FIXTURE,), name="ThiduaLayer:IntegrationTesting"
)

# A real WSGI server on localhost, for tests that speak HTTP.
THIDUA_FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(THIDUA_FIXTURE, WSGI_SERVER_FIXTURE), name="ThiduaLayer:FunctionalTesting"
)


ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


def send(method, url, body=None, data=None, auth=ADMIN, language="vi", headers=None):
    """A JSON call through the WSGI server, as a portal makes it, asking for
    answers in ``language``: ``body`` as JSON, or ``data`` as the raw bytes."""
    return requests.request(
        method,
        url,
        headers={
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Accept-Language": language,
            **(headers or {}),
        },
        data=json.dumps(body) if data is None else data,
        auth=auth,
        timeout=60,
    )


# The password of the users the tests' world creates (tests/conftest.py).
PASSWORD = "secret-pw"  # noqa: S105 - a test fixture's password


def logged_in(portal, user_id, password=PASSWORD):
    """A browser's session logged in through the site's login form: the ``__ac`` cookie."""
    session = requests.Session()
    response = session.post(
        f"{portal.absolute_url()}/login",
        data={"__ac_name": user_id, "__ac_password": password, "buttons.login": "Log in"},
        allow_redirects=False,
        timeout=30,
    )
    assert "__ac" in session.cookies, response.text
    return session


def authenticator(page):
    """plone.protect's CSRF token in a page's form."""
    return re.search(r'name="_authenticator"[^>]* value="([^"]+)"', page).group(1)


def mock_mailhost(portal, factory=None):
    """Plone's MockMailHost in place of the site's MailHost, with a sender
    address, committed: what plone.app.testing's MOCK_MAILHOST_FIXTURE does for
    a whole layer, for one test. ``factory``: another class of mail host
    (``RecordingMailHost``)."""
    from plone import api
    from Products.MailHost.interfaces import IMailHost

    import transaction

    api.portal.set_registry_record("plone.email_from_address", "thidua@localhost")
    api.portal.set_registry_record("plone.email_from_name", "Thi đua")
    portal.MailHost = mock = (factory or MockMailHost)("MailHost")
    sm = portal.getSiteManager()
    sm.unregisterUtility(provided=IMailHost)
    sm.registerUtility(mock, provided=IMailHost)
    transaction.commit()
    return mock


# Real instances in subprocesses (tests of deployment: several instances,
# backups, crashes), started from thidua.deploy's own configuration.


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_folder(prefix):
    """A temporary folder that Debian's ``postgres`` user can reach (pytest's
    own is root's only): a local PostgreSQL may live in it."""
    import pathlib
    import tempfile

    folder = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


def subprocess_env():
    """The environment of a subprocess that sees the packages this run sees."""
    import os
    import sys

    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


def create_site(zope_conf, *args):
    import subprocess
    import sys

    created = subprocess.run(
        [sys.executable, "-m", "thidua.deploy.create_site", str(zope_conf), *args],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert created.returncode == 0, created.stderr[-3000:]


def start_instance(zope_conf):
    """runwsgi on the instance's zope.ini; the caller waits with ``wait_until_up``."""
    import pathlib
    import subprocess
    import sys

    runwsgi = pathlib.Path(sys.executable).parent / "runwsgi"
    return subprocess.Popen(
        [str(runwsgi), str(pathlib.Path(zope_conf).with_name("zope.ini"))], env=subprocess_env()
    )


def wait_until_up(url, process, seconds=240):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the instance stopped"
        try:
            if requests.get(url, timeout=60).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(1)
    raise AssertionError(f"{url} did not answer in {seconds} s")
# What a RecordingMailHost sent, in whichever thread.
SENT = []


class RecordingMailHost(MockMailHost):
    """A mock mail host for mails sent by the WSGI server's thread after its
    commit, when MockMailHost's persistent list can no longer change: the
    messages go to ``SENT``."""

    def _send(self, mfrom, mto, message_text, immediate=False):
        SENT.append(message_text)

    def send(self, message_text, mto=None, mfrom=None, subject=None, **kw):
        kw.pop("immediate", None)
        kw.pop("encode", None)
        text, mto, mfrom = _mungeHeaders(message_text, mto, mfrom, subject, **kw)
        SENT.append(text)


def recording_mailhost(portal):
    """``RecordingMailHost`` in place of the site's MailHost, ``SENT`` emptied."""
    SENT.clear()
    return mock_mailhost(portal, RecordingMailHost)
