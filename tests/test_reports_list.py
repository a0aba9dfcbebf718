"""The public report list /reports/ (README, "The public site"): each filter's effect, the
facet counts, search on both databases, pagination, bad input and the query count, on the
hand-built data set of tests/public_data.py (7 public reports, 4 confidential ones)."""

import re

import pytest
from django.db import connection
from django.http import QueryDict

from tests.public_data import many_public_reports
from tests.reading import body_of, links_in, main_text, report_ids_in
from visits.filters import ReportFilter, facet_counts
from visits.models import Report

pytestmark = pytest.mark.django_db

PARSED = 4 if connection.vendor == "postgresql" else 0
NEWEST = ["r4", "r2", "r3", "r1", "r5", "r6", "r7"]


def listed(client, query=""):
    """The ids of the reports /reports/?<query> lists, in its order."""
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 200, response.content.decode()[:2000]
    return report_ids_in(response.content.decode())


def pks(world, names):
    return [getattr(world, name).pk for name in names]


def facets(query=""):
    filterset = ReportFilter(QueryDict(query), queryset=Report.public_objects.all())
    assert filterset.is_valid(), filterset.errors
    return facet_counts(filterset)


def test_the_list_shows_the_public_reports_newest_publication_first(public_site, client):
    response = client.get("/reports/")
    assert report_ids_in(response.content.decode()) == pks(public_site, NEWEST)
    assert "7 published reports" in main_text(response.content.decode())


@pytest.mark.parametrize(
    "query, expected",
    [
        ("state=JA", ["r2", "r1"]),
        ("state=ja", ["r2", "r1"]),
        ("state=Ru", ["r6"]),
        ("state=JA&state=jb", ["r4", "r2", "r3", "r1"]),
        ("visit_type=ad_hoc", ["r4", "r2", "r7"]),
        ("visit_type=periodic", ["r3", "r1", "r5", "r6"]),
        ("place_type=police", ["r4", "r1", "r7"]),
        ("place_type=prison", ["r3", "r1"]),
        ("place_type=immigration", ["r2"]),
        ("place_type=other", ["r6"]),
        ("place_type=social_care", ["r3"]),
        ("year=2021", ["r5", "r6"]),
        ("year=2024", ["r4", "r2"]),
        ("year=2025", []),  # only the report of the visit still in progress
        ("published_after=2024-06-20", ["r4", "r2", "r3"]),
        ("published_before=2022-02-17", ["r5", "r6", "r7"]),
        ("published_after=2022-01-01&published_before=2024-06-20", ["r3", "r1", "r5"]),
        ("published_after=2025-06-16", []),  # the report published tomorrow
        ("language=fr", ["r4", "r2"]),
        ("language=en", ["r3", "r1", "r5", "r6", "r7"]),
        ("state=JA&language=fr", ["r2"]),
        ("state=JB&visit_type=periodic&place_type=prison&year=2023&language=en", ["r3"]),
    ],
)
def test_each_filter_lists_exactly_the_public_reports_it_selects(
    public_site, client, query, expected
):
    assert listed(client, query) == pks(public_site, expected)


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("newest", NEWEST),
        ("oldest", ["r7", "r6", "r5", "r1", "r3", "r2", "r4"]),
        ("visit", ["r4", "r2", "r3", "r1", "r6", "r5", "r7"]),
        ("state", ["r5", "r7", "r2", "r1", "r6", "r4", "r3"]),  # then newest first
        ("relevance", NEWEST),  # without a search, newest first
    ],
)
def test_each_sort_orders_the_list(public_site, client, sort, expected):
    assert listed(client, f"sort={sort}") == pks(public_site, expected)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=overcrowding", ["r1"]),  # summary; every confidential report says it too
        ("q=OVERCROWDING", ["r1"]),
        ("q=Syldavian", ["r3"]),  # title
        ("q=r%C3%A9tention", ["r2"]),  # summary, in French
        ("q=CPT%2FInf+%282024%29+30", ["r3"]),  # reference
        ("q=police+custody", ["r1", "r7"]),  # every word, in any of the three
        ("q=police+custody&state=JC", ["r7"]),
        ("q=police+Zenda", []),
        ("q=nowhere", []),
        ("q=CONFIDENTIAL-REPORT-SUMMARY", []),
        ("q=+", NEWEST),
    ],
)
def test_search_finds_words_in_reference_title_or_summary_of_public_reports(
    public_site, client, query, expected
):
    assert listed(client, query) == pks(public_site, expected)


def test_search_sorted_by_relevance_ranks_on_postgresql_and_falls_back_to_newest(
    public_site, client
):
    # r7 says "police" three times, r1 once.
    ranked = listed(client, "q=police+custody&sort=relevance")
    if connection.vendor == "postgresql":
        assert ranked == pks(public_site, ["r7", "r1"])
    else:
        assert ranked == pks(public_site, ["r1", "r7"])


def test_facet_counts_count_each_choice_of_the_public_reports(public_site):
    assert facets() == {
        "state": {"JA": 2, "JB": 2, "JC": 2, "RU": 1},
        "visit_type": {"periodic": 4, "ad_hoc": 3},
        "place_type": {
            "prison": 2,
            "police": 3,
            "immigration": 1,
            "psychiatric": 1,
            "social_care": 1,
            "juvenile": 1,
            "military": 1,
            "other": 1,
        },
        "year": {2020: 1, 2021: 2, 2022: 1, 2023: 1, 2024: 2},
        "language": {"en": 5, "fr": 2},
    }


def test_a_confidential_report_never_adds_to_a_count(public_site):
    # Ruritania has three reports, one never published; Syldavia one published tomorrow;
    # Borduria one of a visit still in progress (2025); Russia one in French never published.
    assert Report.private_objects.filter(state__code__in=["JA", "JB", "JC", "RU"]).count() == 11
    counts = facets()
    assert counts["state"] == {"JA": 2, "JB": 2, "JC": 2, "RU": 1}
    assert 2025 not in counts["year"]
    assert counts["language"]["fr"] == 2


def test_facet_counts_apply_the_other_filters_but_not_their_own(public_site):
    assert facets("state=JA") == {
        "state": {"JA": 2, "JB": 2, "JC": 2, "RU": 1},
        "visit_type": {"periodic": 1, "ad_hoc": 1},
        "place_type": {"prison": 1, "police": 1, "immigration": 1},
        "year": {2022: 1, 2024: 1},
        "language": {"en": 1, "fr": 1},
    }
    assert facets("q=overcrowding") == {
        "state": {"JA": 1},
        "visit_type": {"periodic": 1},
        "place_type": {"prison": 1, "police": 1},
        "year": {2022: 1},
        "language": {"en": 1},
    }


def shown_count(markup, label):
    """The count shown next to a filter choice: "Ruritania (2)", tags allowed between."""
    match = re.search(re.escape(label) + r"\s*(?:<[^>]*>\s*)*\((\d+)\)", markup)
    assert match, f"no count next to {label!r}"
    return int(match.group(1))


def test_the_filter_panel_shows_the_counts(public_site, client):
    markup = client.get("/reports/?language=en").content.decode()
    assert shown_count(markup, "Ruritania") == 1
    assert shown_count(markup, "Syldavia") == 1
    assert shown_count(markup, "Borduria") == 2
    assert shown_count(markup, "Russia") == 1
    assert shown_count(markup, "periodic visit") == 4
    assert shown_count(markup, "ad hoc visit") == 1
    assert shown_count(markup, "French") == 2  # the language filter ignores itself


@pytest.fixture
def forty_public_reports(public_site):
    """The 7 reports of the data set and 33 on Vulgaria (JV), published in 2019."""
    return public_site, many_public_reports(33)


def test_the_list_has_25_reports_a_page(forty_public_reports, client):
    w, vulgaria = forty_public_reports
    everything = [*w.public_order, *reversed(vulgaria)]
    assert listed(client) == [r.pk for r in everything[:25]]
    assert listed(client, "page=2") == [r.pk for r in everything[25:]]
    assert client.get("/reports/?page=3").status_code == 404


def test_the_pages_keep_the_filters(forty_public_reports, client):
    _w, vulgaria = forty_public_reports
    markup = client.get("/reports/?state=jv").content.decode()
    assert "?state=jv&page=2" in links_in(markup)
    assert listed(client, "state=jv&page=2") == [r.pk for r in reversed(vulgaria[:8])]


def test_a_page_past_the_end_answers_404(public_site, client):
    assert client.get("/reports/?page=2").status_code == 404
    assert client.get("/reports/?state=JA&page=2").status_code == 404
    assert client.get("/reports/?page=99999999999999999999").status_code == 404
    # An empty list still has its first page.
    assert listed(client, "q=nowhere&page=1") == []


@pytest.mark.parametrize(
    "parameter, query",
    [
        ("state", "state=XX"),
        ("state", "state=JA&state=XX"),
        ("state", "state=JAP"),
        ("visit_type", "visit_type=surprise"),
        ("place_type", "place_type=jail"),
        ("year", "year=abc"),
        ("year", "year=1800"),
        ("year", "year=2024.5"),
        ("published_after", "published_after=2024-13-45"),
        ("published_before", "published_before=yesterday"),
        ("language", "language=xx"),
        ("language", "language=english"),
        ("q", "q=%00"),
        ("q", "q=" + "x" * 201),
        ("sort", "sort=password"),
        ("page", "page=abc"),
        ("page", "page=0"),
        ("page", "page=-1"),
    ],
)
def test_a_bad_value_answers_400_naming_the_parameter(public_site, client, parameter, query):
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 400
    text = main_text(response.content.decode())
    assert re.search(rf"\b{parameter}\b", text), text
    others = {"state", "visit_type", "place_type", "year", "language", "q", "sort", "page"}
    others |= {"published_after", "published_before"}
    assert [name for name in others - {parameter} if re.search(rf"\b{name}\b", text)] == []


@pytest.mark.parametrize("number", ["%C2%B2", "0", "-1", "1.5", "01", "%EF%BC%91"])
def test_a_page_number_that_is_not_a_plain_whole_number_answers_400(public_site, client, number):
    response = client.get(f"/reports/?page={number}")
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/reports/export.csv", "/reports/feed/"])
def test_the_csv_export_and_the_feed_answer_400_naming_the_parameter(public_site, client, url):
    response = client.get(f"{url}?year=abc")
    assert response.status_code == 400
    assert re.search(r"\byear\b", main_text(response.content.decode()))


@pytest.mark.parametrize(
    "parameter, query",
    [
        ("state", "state=XX"),
        ("year", "year=abc"),
        ("published_after", "published_after=2024-13-45"),
        ("sort", "sort=password"),
    ],
)
def test_the_json_export_answers_400_with_a_json_body_naming_the_parameter(
    public_site, client, parameter, query
):
    response = client.get(f"/reports/export.json?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert list(errors) == [parameter]
    assert errors[parameter] and all(isinstance(message, str) for message in errors[parameter])


def test_an_unknown_parameter_is_ignored(public_site, client):
    assert listed(client, "utm_source=newsletter&colour=blue") == pks(public_site, NEWEST)
    assert listed(client, "state=JA&colour=blue") == pks(public_site, ["r2", "r1"])


HOSTILE_VALUES = [
    "",
    " ",
    "\x00",
    "JA\x00",
    "\u00b2",
    "\u221e",
    "ʼ",
    "%",
    "_",
    "\\",
    "'; DROP TABLE visits_report; --",
    '"',
    "<script>alert(1)</script>",
    "!!!",
    "&",
    "|",
    ":*",
    "<->",
    "((",
    "-1",
    "1e5",
    "NaN",
    "Infinity",
    "9" * 40,
    "2024-02-30",
    "0000-00-00",
    "x" * 300,
]
PARAMETERS = ["state", "visit_type", "place_type", "year", "published_after"]
PARAMETERS += ["published_before", "language", "q", "sort"]


@pytest.mark.parametrize("url", ["/reports/", "/reports/export.json", "/reports/feed/"])
def test_no_input_gives_a_server_error(public_site, client, url):
    answers = {}
    for value in HOSTILE_VALUES:
        for parameters in (
            dict.fromkeys(PARAMETERS, value),
            {"q": value},
            {"q": value, "sort": "relevance"},
            {"state": value},
        ):
            response = client.get(url, parameters)
            body_of(response)
            answers[(value, tuple(parameters))] = response.status_code
    assert {key: status for key, status in answers.items() if status not in (200, 400)} == {}


# /reports/ runs the same queries whatever the number of rows and the page: the version of
# the published data (visits/cache.py), the count, the page's reports (each with its visits
# and its versions' languages), one per facet (five), and the States of the filter panel,
# which stay cached from one page to the next.
LIST_QUERIES = 9


@pytest.mark.parametrize("count", [5, 60])
def test_the_list_query_count_does_not_grow_with_rows_or_pages(
    db, client, count, django_assert_num_queries
):
    many_public_reports(count)
    for query, shown, queries in [
        ("", min(count, 25), LIST_QUERIES),
        ("state=JV&place_type=prison&year=2017", min(count, 25), LIST_QUERIES - 1),
        # Searched: the matching reports found once (their metadata, their pages), and the
        # snippets of the page's reports (none has a version).
        # On PostgreSQL, first the word parsed in each configuration searched (four).
        *([("page=2&q=Vulgaria", 25, LIST_QUERIES + 2 + PARSED)] if count > 25 else []),
    ]:
        with django_assert_num_queries(queries):
            response = client.get(f"/reports/?{query}")
        assert len(report_ids_in(response.content.decode())) == shown
