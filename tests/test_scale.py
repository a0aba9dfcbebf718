"""Issue 6: what keeps the public pages and the admin lists fast at scale, tested without
timing anything.

- The cache (visits/cache.py): pages, counts and facets are served from it until the
  published data changes; publishing, withdrawing, editing or deleting a record shows at
  once; a new day shows what became public overnight; languages are kept apart.
- The number of queries of every public page, export and admin list is bounded, and does not
  grow when the data is multiplied.
- The report list stops at MAX_PAGES pages and says so; every page is a fetch by id.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import transaction

from tests import factories
from tests.public_data import many_public_reports
from tests.staff import superuser
from visits import parameters
from visits.cache import published_data_changed
from visits.models import PublishedDataVersion, Report

D = datetime.date
TODAY = D(2025, 6, 15)


@pytest.fixture
def world(db, today):
    today(TODAY)
    state = factories.StateFactory(code="JS", name="Scalia")
    shown = factories.ReportFactory(visit__state=state, title="A report everyone can read")
    factories.VisitedPlaceFactory(visit=shown.visit)
    factories.ResponseFactory(report=shown)
    hidden = factories.ReportFactory(
        visit__state=state, title="A report nobody may read yet", confidential=True
    )
    return {"state": state, "shown": shown, "hidden": hidden}


PAGES = ["/", "/reports/", "/reports/?state=JS", "/states/JS/", "/reports/feed/"]


def texts(client, urls=PAGES, **headers):
    return {url: client.get(url, **headers).content.decode() for url in urls}


def publish(report, on=TODAY):
    report.publication_requested_on = on
    report.published_on = on
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


@pytest.mark.parametrize(
    "withdraw",
    [
        pytest.param(lambda r: setattr(r, "published_on", None) or r.save(), id="unpublished"),
        pytest.param(
            lambda r: setattr(r, "published_on", TODAY + datetime.timedelta(days=1)) or r.save(),
            id="publication-moved-to-tomorrow",
        ),
        pytest.param(lambda r: (r.responses.all().delete(), r.delete()), id="deleted"),
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


# Query counts: bounded, and the same with the data multiplied.


def multiply(world, times):
    """``times`` more public reports, each with a visit, places and a response, and refusals."""
    state = world["state"]
    for n in range(times):
        report = factories.ReportFactory(visit__state=state, title=f"Multiplied report {n}")
        factories.VisitedPlaceFactory(visit=report.visit)
        factories.VisitedPlaceFactory(visit=report.visit)
        factories.ResponseFactory(report=report)
        factories.CooperationRefusalFactory(state=state)


PUBLIC_URLS = [
    "/",
    "/reports/",
    "/reports/?state=JS&year=2024&place_type=prison&q=report",
    "/reports/?page=2",
    "/reports/{report}/",
    "/states/",
    "/states/JS/",
    "/non-cooperation/",
    "/non-cooperation/?by_year=1&include_empty=1",
    "/reports/feed/",
    "/reports/export.csv",
    "/reports/export.json?state=JS",
    "/non-cooperation/export.csv",
    "/non-cooperation/export.json",
]


def consume(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_queries_do_not_grow_with_the_data(
    client, world, url, django_assert_max_num_queries
):
    multiply(world, 30)
    url = url.format(report=world["shown"].pk)
    counts = []
    for extra in (0, 60):
        multiply(world, extra)
        cache.clear()  # uncached: the worst case
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url)
            assert response.status_code == 200
            consume(response)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_a_cached_page_costs_one_query(client, world, django_assert_num_queries):
    multiply(world, 5)
    for url in ["/", "/reports/", "/states/JS/", "/non-cooperation/"]:
        client.get(url)
        with django_assert_num_queries(1):  # the version of the published data
            assert client.get(url).status_code == 200


ADMIN_LISTS = [
    "state",
    "facility",
    "visit",
    "visitedplace",
    "report",
    "response",
    "cooperationrefusal",
    "publicstatement",
]


@pytest.mark.parametrize("model", ADMIN_LISTS)
def test_admin_lists_queries_do_not_grow_with_the_data(
    client, world, model, django_assert_max_num_queries
):
    client.force_login(superuser())
    multiply(world, 10)
    counts = []
    for extra in (0, 40):
        multiply(world, extra)
        with django_assert_max_num_queries(15) as captured:
            response = client.get(f"/admin/visits/{model}/")
            assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_admin_lists_count_up_to_a_cap(client, world, monkeypatch):
    from visits.admin.lists import CappedCountPaginator

    client.force_login(superuser())
    multiply(world, 12)
    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 10)
    text = client.get("/admin/visits/cooperationrefusal/").content.decode()
    assert "more than 10 refusals to co-operate" in text
    searched = client.get("/admin/visits/cooperationrefusal/?q=refused").content.decode()
    assert "more than 10 results" in searched and "10 results" not in searched.replace(
        "more than 10 results", ""
    )
    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 1000)
    assert (
        "12 refusals to co-operate"
        in client.get("/admin/visits/cooperationrefusal/").content.decode()
    )


def test_staff_refusal_export_queries_do_not_grow(world, django_assert_max_num_queries):
    """One row per refusal with its place: the place's name names its State, which must come
    with the same query (it cost one query per row, 75 s for 300,000 refusals)."""
    import io

    from django.core.management import call_command

    state = world["state"]
    counts = []
    for extra in (2, 30):
        for _ in range(extra):
            place = factories.FacilityFactory(state=state)
            factories.CooperationRefusalFactory(state=state, facility=place)
        out = io.StringIO()
        with django_assert_max_num_queries(10) as captured:
            call_command("export_noncooperation", "--detail", stdout=out)
        assert out.getvalue().count("\n") > extra
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
