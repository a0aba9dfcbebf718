"""Fixtures shared by every test module: a fixed "today", the two hand-built data sets, and
test clients logged in as staff of each role."""

import datetime

import pytest
from django.utils import timezone, translation

from tests.staff import staff_user, superuser


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

    from visits.search import _tsquery

    cache.clear()
    _tsquery.cache_clear()  # a search's words, parsed by PostgreSQL once per process
    yield
    cache.clear()


@pytest.fixture
def today(time_machine):
    """Move the clock (time-machine) to noon of a day in the project's time zone, for the
    test and for the live server's thread: every rule asks ``timezone.localdate()``. Starts
    on 15 June 2025; returns a setter. The clock ticks on from noon: no test runs to midnight."""
    zone = timezone.get_default_timezone()

    def move_to(day):
        time_machine.move_to(datetime.datetime.combine(day, datetime.time(12), tzinfo=zone))
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


@pytest.fixture
def noncooperation_site(db, today):
    """The hand-built data set of tests/noncooperation_data.py, "today" on 15 June 2025."""
    from tests import noncooperation_data

    today(noncooperation_data.TODAY)
    return noncooperation_data.build()


@pytest.fixture
def editor_client(db, client, today):
    """The test client, logged in as a member of the Editors group."""
    client.force_login(staff_user("editor", "Editors"))
    return client


@pytest.fixture
def reader_client(db, client, today):
    """The test client, logged in as a member of the Readers group."""
    client.force_login(staff_user("reader", "Readers"))
    return client


@pytest.fixture
def superuser_client(db, client, today):
    """The test client, logged in as a superuser (every permission, no group)."""
    client.force_login(superuser())
    return client


@pytest.fixture
def one_of_each(db):
    """One record of every model, keyed by model, each pointing to the others where it can:
    every admin page has something to show."""
    from tests import factories
    from visits.models import Theme

    place = factories.VisitedPlaceFactory()
    response = factories.ResponseFactory(report__visit=place.visit)
    statement = factories.PublicStatementFactory(state=place.visit.state)
    refusal = factories.CooperationRefusalFactory(
        state=place.visit.state, visit=place.visit, public_statement=statement
    )
    document = factories.DocumentFactory(report=response.report)
    theme = Theme.private_objects.get(code="prisons")
    recommendation = factories.RecommendationFactory(report=response.report, themes=[theme])
    assessment = factories.AssessmentFactory(recommendation=recommendation, response=response)
    records = [place.visit.state, place.facility, place.visit, place, response.report]
    records += [document, response, refusal, statement, recommendation, assessment, theme]
    return {type(record): record for record in records}
