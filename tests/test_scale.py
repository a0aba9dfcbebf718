"""What keeps the public pages and the admin lists fast at scale, tested without timing
anything (docs/decisions.md).

- The cache (visits/cache.py): pages, counts and facets are served from it until the
  published data changes; publishing, withdrawing, editing or deleting a record shows at
  once; a new day shows what became public overnight; languages are kept apart.
- Every public page, export and admin list costs an exact number of queries, written down,
  the same when everything it shows is doubled: one query per row shown would fail.
- The report list stops at MAX_PAGES pages and says so; every page is a fetch by id.
"""

import csv
import datetime
import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.public_data import many_public_reports
from tests.reading import body_of
from visits import parameters
from visits.cache import published_data_changed
from visits.models import Assessment, CooperationRefusal, PublishedDataVersion, Report, Theme
from visits.search import _tsquery

D = datetime.date
TODAY = D(2025, 6, 15)


@pytest.fixture
def world(db, today):
    today(TODAY)
    state = factories.StateFactory(code="JS", name="Scalia")
    shown = factories.ReportFactory(visit__state=state, title="A report everyone can read")
    factories.VisitedPlaceFactory(visit=shown.visit)
    recommendation = assessed(shown, factories.ResponseFactory(report=shown))
    hidden = factories.ReportFactory(
        visit__state=state, title="A report nobody may read yet", confidential=True
    )
    return {"state": state, "shown": shown, "hidden": hidden, "recommendation": recommendation}


PAGES = ["/", "/reports/", "/reports/?state=JS", "/states/JS/", "/reports/feed/"]


def texts(client, urls=PAGES, **headers):
    return {url: client.get(url, **headers).content.decode() for url in urls}


def publish(report, on=TODAY):
    report.publication_requested_on = on
    report.published_on, report.publication_ground = on, "state_request"
    report.save()


def test_a_report_published_appears_at_once_on_every_page(client, world):
    before = texts(client)
    assert not any("nobody may read" in text for text in before.values())
    assert client.get(f"/reports/{world['hidden'].pk}/").status_code == 404

    publish(world["hidden"])

    after = texts(client)
    assert all("nobody may read" in text for text in after.values()), [
        url for url, text in after.items() if "nobody may read" not in text
    ]
    assert client.get(f"/reports/{world['hidden'].pk}/").status_code == 200


def delete_with_what_it_holds(report):
    """What protects a report from deletion goes first: assessments, recommendations,
    responses."""
    Assessment.private_objects.filter(recommendation__report=report).delete()
    report.recommendations.all().delete()
    report.responses.all().delete()
    report.delete()


@pytest.mark.parametrize(
    "withdraw",
    [
        pytest.param(lambda r: setattr(r, "published_on", None) or r.save(), id="unpublished"),
        pytest.param(
            lambda r: setattr(r, "published_on", TODAY + datetime.timedelta(days=1)) or r.save(),
            id="publication-moved-to-tomorrow",
        ),
        pytest.param(lambda r: delete_with_what_it_holds(r), id="deleted"),
    ],
)
def test_a_report_withdrawn_disappears_at_once_from_every_page(client, world, withdraw):
    report = world["shown"]
    url = f"/reports/{report.pk}/"
    before = texts(client, [*PAGES, url])
    assert all("everyone can read" in text for text in before.values())

    withdraw(Report.private_objects.get(pk=report.pk))

    after = texts(client)
    assert not any("everyone can read" in text for text in after.values())
    assert client.get(url).status_code == 404


def test_a_change_to_a_related_record_shows_at_once(client, world):
    """Not only reports: the State's name is on the list, the home page and the State page."""
    texts(client)
    state = world["state"]
    state.name = "Scalia Renamed"
    state.save()
    assert all("Scalia Renamed" in text for text in texts(client).values())


def test_pages_are_served_from_the_cache_until_the_data_changes(client, world):
    """An update that sends no signal (as a bulk load would) is not seen until something says
    the published data changed: the pages really come from the cache."""
    report = world["shown"]
    first = texts(client)
    Report.private_objects.filter(pk=report.pk).update(
        title="A title changed behind the cache's back"
    )
    assert texts(client) == first

    published_data_changed()

    assert all("behind the cache" in text for text in texts(client).values())


def test_what_became_public_overnight_shows_the_next_day(client, world, today):
    report = world["hidden"]
    report.publication_requested_on = TODAY
    report.published_on = TODAY + datetime.timedelta(days=1)
    report.publication_ground = "state_request"
    report.save()
    assert not any("nobody may read" in text for text in texts(client).values())

    today(TODAY + datetime.timedelta(days=1))  # no save in between

    assert all("nobody may read" in text for text in texts(client).values())


def test_languages_are_cached_apart(client, world):
    english = client.get("/reports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get("/reports/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Published reports" in english
    assert "Rapports publiés" in french and "Published reports" not in french


def test_the_version_changes_with_the_change_and_not_without_it(world):
    """The token is written in the writer's transaction: a change rolled back leaves it."""
    token = PublishedDataVersion.objects.get().token
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(world["hidden"])
        assert PublishedDataVersion.objects.get().token != token
        raise RuntimeError("roll back")
    assert PublishedDataVersion.objects.get().token == token

    publish(Report.private_objects.get(pk=world["hidden"].pk))
    assert PublishedDataVersion.objects.get().token != token


def test_a_missing_version_row_is_made_again(client, world):
    PublishedDataVersion.objects.all().delete()
    assert "everyone can read" in client.get("/reports/").content.decode()
    assert PublishedDataVersion.objects.count() == 1


def test_caching_off_still_answers_the_same(client, world, settings):
    cached = client.get("/reports/?state=JS").content
    cache.clear()
    settings.PUBLIC_CACHE_SECONDS = 0
    assert client.get("/reports/?state=JS").content == cached


def test_errors_are_not_cached(client, world):
    assert client.get("/reports/?year=abc").status_code == 400
    assert client.get("/reports/?year=2024").status_code == 200
    assert client.get("/reports/?year=abc").status_code == 400


# The list stops at MAX_PAGES pages; every page is a fetch by id, in the list's order.


def ids_in(text):
    return [int(pk) for pk in re.findall(r'href="/reports/(\d+)/"', text)]


def test_the_list_stops_at_max_pages_and_says_so(client, db, today, monkeypatch):
    today(TODAY)
    monkeypatch.setattr(parameters, "MAX_PAGES", 2)
    reports = many_public_reports(60)
    newest_first = [report.pk for report in reversed(reports)]

    first = client.get("/reports/").content.decode()
    second = client.get("/reports/?page=2").content.decode()
    assert "60 published reports" in first
    assert ids_in(first)[:25] == newest_first[:25]
    assert ids_in(second)[:25] == newest_first[25:50]
    assert "Page 2 of 2" in second and "2 pages deep at most" in second

    beyond = client.get("/reports/?page=3")
    assert beyond.status_code == 404
    assert "2 pages deep at most" in beyond.content.decode()
    assert client.get("/reports/?page=4").status_code == 404


def test_every_sort_gives_its_order_page_after_page(client, db, today):
    today(TODAY)
    reports = many_public_reports(30)
    oldest = [report.pk for report in reports]
    pages = [
        ids_in(client.get(f"/reports/?sort=oldest&page={n}").content.decode())[:25] for n in (1, 2)
    ]
    assert pages[0] + pages[1][:5] == oldest


# Query counts: exact, and the same with the data doubled.


def multiply(world, times):
    """``times`` more of everything the measured pages show. Each time: a State of its own
    with a public report (a place visited, a response), a statement and a disclosed refusal;
    on Scalia a public report with two places, a response and a recommendation that repeats
    one of the shown report, a statement and a refusal; on the shown report one more place
    visited, one more published response and one more recommendation (under a theme, assessed
    from it)."""
    state, shown = world["state"], world["shown"]
    for _ in range(times):
        n = world["multiplied"] = world.get("multiplied", 0) + 1
        other = factories.StateFactory(name=f"Multiplied State {n}")
        report = factories.ReportFactory(visit__state=other)
        factories.VisitedPlaceFactory(visit=report.visit)
        factories.ResponseFactory(report=report)
        factories.PublicStatementFactory(state=other)
        factories.CooperationRefusalFactory(state=other)

        report = factories.ReportFactory(visit__state=state, title=f"Multiplied report {n}")
        factories.VisitedPlaceFactory(visit=report.visit)
        factories.VisitedPlaceFactory(visit=report.visit)
        factories.ResponseFactory(report=report)
        factories.RecommendationFactory(report=report, repeats=world["recommendation"])
        factories.PublicStatementFactory(state=state, issued_on=D(2020, 1, 1) + timedelta(n))
        factories.CooperationRefusalFactory(state=state)

        factories.VisitedPlaceFactory(visit=shown.visit)
        assessed(shown, factories.ResponseFactory(report=shown))


def assessed(report, response):
    """One more recommendation of ``report``, filed under a theme, assessed from
    ``response``."""
    theme = Theme.private_objects.order_by("?").first()
    recommendation = factories.RecommendationFactory(report=report, themes=[theme])
    factories.AssessmentFactory(
        recommendation=recommendation, response=response, assessed_on=response.received_on
    )
    return recommendation


def queries_of(client, url):
    """The number of queries ``url`` costs, uncached (the worst case), its body read whole."""
    cache.clear()
    _tsquery.cache_clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
        body_of(response)
    return len(captured)


# What each page costs: the same with 15 and with 30 of everything it shows (more than a
# page of reports either way), so that one query per row shown would fail. The cache's
# version row is one of them. A list of reports reads each report's visits and versions'
# languages in the same query; a report page its visits, their places, its versions, its
# responses and theirs in one query each; a State page its statements' versions, and its
# recommendations by status, by theme and status, and those themes. The list of
# recommendations, uncached, counts each facet in its own query (two for the themes, two for
# the statuses of the whole list), then reads its page's rows, their assessments, their
# themes and their links in one query each.
# On PostgreSQL a search first has the database parse its words, once per process and
# configuration searched (visits.search._tsquery): the metadata's and the pages' three for
# the report list, the pages' three inside one report, the text's for recommendations.
PARSED = (
    {"reports": 4, "report": 3, "recommendations": 1}
    if connection.vendor == "postgresql"
    else {"reports": 0, "report": 0, "recommendations": 0}
)
PUBLIC_QUERIES = {
    "/": 7,
    "/reports/": 9,
    # Three more: the matching reports found once (their metadata, their pages) and the
    # snippets of the page's reports.
    "/reports/?state=JS&year=2024&place_type=prison&q=report": 12 + PARSED["reports"],
    "/reports/{report}/search/?q=report": 3 + PARSED["report"],
    "/reports/?page=2": 9,
    "/reports/{report}/": 9,
    "/states/": 3,
    "/states/JS/": 13,
    "/non-cooperation/": 10,
    "/non-cooperation/?by_year=1&include_empty=1": 10,
    "/reports/feed/": 3,
    "/recommendations/": 17,
    "/recommendations/?state=JS&theme=prisons&status=not_assessed&q=improve": 13
    + PARSED["recommendations"],
    "/recommendations/{recommendation}/": 7,
    "/recommendations/export.csv?state=JS": 5,
    "/recommendations/export.json": 5,
    # On PostgreSQL the rows are written by one COPY, after a SET LOCAL DateStyle and a
    # query of the States' names, which COPY writes (visits/exports.py); elsewhere by one
    # streamed query.
    "/reports/export.csv": 7 if connection.vendor == "postgresql" else 5,
    "/reports/export.json?state=JS": 5,
    "/non-cooperation/export.csv": 9,
    "/non-cooperation/export.json": 9,
}


def twice(world, measure):
    """``measure()`` with 15 of everything ``multiply()`` adds, then with 30."""
    counts = []
    for times in (15, 15):
        multiply(world, times)
        counts.append(measure())
    return counts


def test_public_pages_cost_a_fixed_number_of_queries(client, world):
    recommendation = world["recommendation"].pk
    urls = {
        url: url.format(report=world["shown"].pk, recommendation=recommendation)
        for url in PUBLIC_QUERIES
    }
    counts = twice(world, lambda: {url: queries_of(client, urls[url]) for url in urls})
    assert counts == [PUBLIC_QUERIES, PUBLIC_QUERIES]


def test_a_cached_page_costs_one_query(client, world, django_assert_num_queries):
    multiply(world, 5)
    for url in ["/", "/reports/", "/states/JS/", "/non-cooperation/"]:
        client.get(url)
        with django_assert_num_queries(1):  # the version of the published data
            assert client.get(url).status_code == 200


# What each admin list costs (the session, the user, the list, its count, its filters...),
# the same with 15 and with 30 of each model.
ADMIN_QUERIES = {
    "state": 4,
    "facility": 5,
    "visit": 7,
    "visitedplace": 4,
    "report": 7,
    "response": 6,
    "cooperationrefusal": 7,
    "publicstatement": 7,
}


def test_admin_lists_cost_a_fixed_number_of_queries(superuser_client, world):
    lists = {model: f"/admin/visits/{model}/" for model in ADMIN_QUERIES}
    counts = twice(world, lambda: {m: queries_of(superuser_client, lists[m]) for m in lists})
    assert counts == [ADMIN_QUERIES, ADMIN_QUERIES]


def test_admin_lists_count_up_to_a_cap(superuser_client, world, monkeypatch):
    from visits.admin.lists import CappedCountPaginator

    multiply(world, 6)
    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 10)
    text = superuser_client.get("/admin/visits/cooperationrefusal/").content.decode()
    assert "more than 10 refusals to co-operate" in text
    searched = superuser_client.get("/admin/visits/cooperationrefusal/?q=refused").content.decode()
    assert "more than 10 results" in searched and "10 results" not in searched.replace(
        "more than 10 results", ""
    )
    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 1000)
    assert (
        "12 refusals to co-operate"
        in superuser_client.get("/admin/visits/cooperationrefusal/").content.decode()
    )


def test_staff_refusal_export_costs_a_fixed_number_of_queries(world):
    """One row per refusal with its place: the place's name names its State, which comes with
    the same query."""
    state = world["state"]
    counts = []
    for extra in (15, 15):
        for _ in range(extra):
            place = factories.FacilityFactory(state=state)
            factories.CooperationRefusalFactory(state=state, facility=place)
        out = io.StringIO()
        with CaptureQueriesContext(connection) as captured:
            call_command("export_noncooperation", "--detail", stdout=out)
        rows = list(csv.reader(io.StringIO(out.getvalue())))
        assert len(rows) == 3 + CooperationRefusal.private_objects.count()  # notice, title, columns
        counts.append(len(captured))
    assert counts == [2, 2]  # the States, then the refusals with their places
