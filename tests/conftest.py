import datetime

import pytest

from visits import clock


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
