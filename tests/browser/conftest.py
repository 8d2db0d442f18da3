"""What the browser tests share: Debian's Chromium driven by Playwright over
the functional layer's WSGI server, a context (own cookies) per person, and
``Walk.look``, which keeps a screenshot of each page (``$THIDUA_ARTIFACTS``,
else ``test-artifacts/browser/``) and its axe-core findings.

Playwright and axe are imported when a test asks for a browser: without
them or without Chromium the test is skipped (a failure under CI=true)."""

from pathlib import Path
from thidua.testing import PASSWORD

import json
import os
import pytest
import re


# Debian's chromium (.ci/run installs it): Playwright never downloads a browser here.
CHROMIUM = "/usr/bin/chromium"
BLOCKING_IMPACTS = {"serious", "critical"}
# TinyMCE (6 and later) names its editing area by an aria-label inside its
# frame (``iframe_aria_text``, set by thidua.accessibility) and gives the
# frame itself no title: axe's frame-title rule cannot see that name.
NOT_SCANNED = [[".tox-edit-area__iframe"]]
ARTIFACTS = Path(
    os.environ.get("THIDUA_ARTIFACTS")
    or Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
)
# The user guide is illustrated with pages of the walks: ``make guide`` (which
# sets THIDUA_GUIDE) writes the pages it shows into docs/guide/anh/.
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"


def guide_pictures():
    """The names of the pages the guide shows: ``anh/<name>.jpg`` in its pages."""
    return {
        name
        for page in GUIDE.glob("*.md")
        for name in re.findall(r"\(anh/([\w-]+)\.jpg\)", page.read_text(encoding="utf-8"))
    }


class Walk:
    """One browser for a test; a context (own cookies) per person. ``look``
    keeps each page's screenshot and its axe-core findings, named
    ``<prefix>NN-<name>``; a walk first removes its own prefix's old files
    (the story's files have no prefix, other tests' files keep theirs)."""

    def __init__(self, browser, portal_url, prefix=""):
        from axe_playwright_python.sync_playwright import Axe

        self.browser = browser
        self.portal_url = portal_url
        self.prefix = prefix
        self.axe = Axe()
        self.pages = 0
        self.findings = []
        self.names = set()
        self.for_guide = guide_pictures() if os.environ.get("THIDUA_GUIDE") else set()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for pattern in ("*.png", "*.axe.json"):
            for old in ARTIFACTS.glob(f"{prefix}[0-9][0-9]-{pattern}"):
                old.unlink()

    def person(self, user_id=None):
        context = self.browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if user_id is not None:
            page.goto(f"{self.portal_url}/login")
            page.fill("#__ac_name", user_id)
            page.fill("#__ac_password", PASSWORD)
            with page.expect_navigation():
                page.click('button[name="buttons.login"]')
        return page

    def look(self, page, name):
        """Screenshot and axe-core scan of the page as it stands."""
        page.wait_for_load_state("load")
        self.pages += 1
        stem = f"{self.prefix}{self.pages:02d}-{name}"
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        self.names.add(name)
        if name in self.for_guide:
            page.screenshot(path=str(GUIDE / "anh" / f"{name}.jpg"), type="jpeg", quality=70)
        violations = self.axe.run(page, context={"exclude": NOT_SCANNED}).response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        if violations:
            (ARTIFACTS / f"{stem}.axe.json").write_text(json.dumps(violations, indent=1))
        for violation in blocking:
            targets = [node["target"] for node in violation["nodes"]][:5]
            self.findings.append(f"{stem} {page.url}: {violation['id']} {targets}")
        return page

    def click(self, page, selector):
        """Click a button that posts a form, and wait for the page it leads to."""
        with page.expect_navigation():
            page.click(selector)
        return page

    def guide_pages_not_taken(self):
        """The pages the user guide shows that this walk did not take."""
        return guide_pictures() - self.names

    def assert_accessible(self):
        assert not self.findings, "axe-core serious or critical violations:\n" + "\n".join(
            self.findings
        )


@pytest.fixture
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    pytest.importorskip("axe_playwright_python.sync_playwright")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def walker(chromium, functional_portal):
    """``walker(prefix)``: a walk whose files are named with ``prefix``."""

    def walk(prefix=""):
        return Walk(chromium, functional_portal.absolute_url(), prefix)

    return walk


@pytest.fixture
def walk(walker):
    return walker()
