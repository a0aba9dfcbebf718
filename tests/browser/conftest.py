"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

One browser for the whole session; each test gets fresh browser contexts (no shared cookies).
The live server needs transactional database access: every test here is marked
``django_db(transaction=True, serialized_rollback=True)``, so that the reference data of the
migrations (the Editors group, the real States) is back for each test and for the tests after.

Without /usr/bin/chromium, the playwright package or axe-core these tests skip with the reason;
with CI=true they fail instead, so that CI never passes by skipping them.
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from tests import public_data
from tests.browser import axe
from tests.browser.pages import EDITOR_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason):
    """Skip locally; fail in CI (CI=true), where a missing browser is a broken set-up."""
    if in_ci():
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is missing: pip install -r requirements.txt")
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing: apt-get install -y chromium (Debian's chromium)")
    # Playwright's sync API keeps an event loop running in this thread. Django then takes the
    # test code for async code: it would refuse ORM calls (nothing here is really async), and
    # its connections, kept per asyncio context from now on, are new objects that lack the
    # snapshot serialized_rollback restores: hand it over to them.
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                if contents is not None:
                    connections[alias]._test_serialized_contents = contents
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
            # Those connections would otherwise stay open and keep PostgreSQL from dropping
            # the test database at the end.
            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, settings, tmp_path, today):
    """The live server, "today" on 15 June 2025 (time-machine moves the server thread's clock
    too), uploaded files under a temporary folder, and a fast password hasher for the logins."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return live_server


@pytest.fixture
def published(site):
    """The hand-built data set of tests/public_data.py, on the live server."""
    return public_data.build()


@pytest.fixture
def new_context(browser, site):
    """Opens browser contexts on the live server (``locale`` sets Accept-Language), closed
    after the test."""
    contexts = []

    def open_context(locale="en-GB", **options):
        context = browser.new_context(base_url=site.url, locale=locale, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def axe_page(new_context):
    """Opens a page for the accessibility checks, in a language (``locale``). The
    Content-Security-Policy is bypassed so that axe-core can be injected; test_csp.py checks
    the same pages without the bypass."""
    if not axe.AXE_SCRIPT.exists():
        where = axe.AXE_SCRIPT.relative_to(settings.BASE_DIR)
        skip_or_fail(f"{where} is missing: make test installs it with npm ci (needs npm)")

    def open_page(locale="en-GB"):
        return new_context(locale=locale, bypass_csp=True).new_page()

    return open_page


@pytest.fixture
def editor(site, monkeypatch):
    """A staff account in the Editors group, made as staff make one (create_staff_user)."""
    monkeypatch.setenv("STAFF_PASSWORD", EDITOR_PASSWORD)
    call_command("create_staff_user", "editor", "--group", "editors", stdout=io.StringIO())
    return "editor", EDITOR_PASSWORD


def pytest_terminal_summary(terminalreporter):
    summary = axe.session_summary()
    if summary:
        terminalreporter.write_line(summary)
