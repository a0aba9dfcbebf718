import datetime

import pytest
from django.utils import translation

from visits import clock


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """LocaleMiddleware activates the request's language for the whole thread and never
    deactivates it: without this, the tests after a French request would run in French."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the version row of visits/cache.py is rolled back
    with the test's database, so a page cached by one test could match in the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today(monkeypatch):
    """Move "today" for every rule that asks visits.clock. Returns a setter."""

    def move_to(day):
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    move_to(datetime.date(2025, 6, 15))
    return move_to


@pytest.fixture
def public_site(db, today, settings, tmp_path):
    """The hand-built data set of tests/public_data.py, "today" on 15 June 2025, with report
    files saved under a temporary MEDIA_ROOT."""
    from tests import public_data

    settings.MEDIA_ROOT = tmp_path / "media"
    today(public_data.TODAY)
    return public_data.build()
