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
