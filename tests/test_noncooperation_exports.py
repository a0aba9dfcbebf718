"""/non-cooperation/export.csv and export.json (README, "The non-cooperation summary"): the
summary the page shows, with documented stable columns, ISO dates, UTF-8 and a heading naming
the period and the day the file was made; public data only; bad parameters answer 400 naming the
parameter."""

import csv
import datetime
import io
import json

import pytest

from tests import noncooperation_data
from tests.noncooperation_data import (
    JA_BY_YEAR,
    JB_BY_YEAR,
    JC_BY_YEAR,
    KIND_COLUMNS,
    PUBLIC_TODAY,
    as_text,
    statements,
    summary_row,
)
from tests.reading import body_of
from visits.noncooperation import SUMMARY_COLUMNS

pytestmark = pytest.mark.django_db

D = datetime.date
HEADING = [
    "Non-cooperation summary by State (public data only)",
    "period: the first record to the latest record",
    "made on: 2025-06-15",
]


def as_json(row):
    return {
        column: value.isoformat() if hasattr(value, "isoformat") else value
        for column, value in row.items()
    }


def csv_export(client, query=""):
    """(heading, columns, rows) of /non-cooperation/export.csv?<query>."""
    response = client.get(f"/non-cooperation/export.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="non-cooperation.csv"'
    text = body_of(response).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text[1:])))
    heading, columns, *values = lines
    return heading, columns, [dict(zip(columns, line, strict=True)) for line in values]


def json_export(client, query=""):
    response = client.get(f"/non-cooperation/export.json?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(body_of(response))


def test_csv_parses_back_to_the_expected_figures(noncooperation_site, client):
    heading, columns, rows = csv_export(client)
    assert heading == HEADING
    assert columns == SUMMARY_COLUMNS
    assert rows == [as_text(row) for row in PUBLIC_TODAY]
    assert rows[1]["median_days_visit_end_to_publication"] == "226.5"
    assert rows[1]["denunciation_effective_on"] == "2026-03-01"
    assert rows[-1]["state"] == "Türkiye"


def test_csv_and_json_carry_the_recommendations_columns(noncooperation_site, client):
    _heading, columns, rows = csv_export(client, "sort=-recommendations_not_implemented")
    assert columns[-2:] == ["recommendations_repeated", "recommendations_not_implemented"]
    figures = [
        (row["state_code"], row["recommendations_repeated"], row["recommendations_not_implemented"])
        for row in rows[:3]
    ]
    assert figures == [("JB", "1", "3"), ("JA", "0", "2"), ("AZ", "0", "0")]
    data = json_export(client, "sort=-recommendations_repeated&by_year=1&state=JB")
    assert data["columns"][-2:] == ["recommendations_repeated", "recommendations_not_implemented"]
    assert [
        (row["year"], row["recommendations_repeated"], row["recommendations_not_implemented"])
        for row in data["summary"]
    ] == [(2023, 1, 1), (2021, 0, 2), (2024, 0, 0), (2025, 0, 0)]


def test_json_holds_the_same_figures_and_says_what_it_holds(noncooperation_site, client):
    data = json_export(client)
    assert list(data) == [
        "generated_on",
        "title",
        "confidential",
        "period",
        "parameters",
        "columns",
        "summary",
    ]
    assert data["generated_on"] == "2025-06-15"
    assert data["title"] == "Non-cooperation summary by State (public data only)"
    assert data["confidential"] is False
    assert data["period"] == {"since": None, "until": None}
    assert data["parameters"] == {"sort": "-refusals_total"}
    assert data["columns"] == SUMMARY_COLUMNS
    assert data["summary"] == [as_json(row) for row in PUBLIC_TODAY]
    assert data["summary"][1]["median_days_visit_end_to_publication"] == 226.5
    assert data["summary"][0]["refusals_total"] == 4


def test_filters_are_named_in_the_heading_and_the_parameters(noncooperation_site, client):
    query = "state=ja&state=JB&kind=access_delayed&since=2024-01-01&until=2024-12-31&by_year=1"
    heading, _columns, rows = csv_export(client, query)
    assert heading == [
        "Non-cooperation summary by State and year (public data only)",
        "period: 2024-01-01 to 2024-12-31",
        "made on: 2025-06-15",
        "States: JA, JB",
        "kinds: access_delayed",
    ]
    assert rows == [
        as_text(
            summary_row(
                "JA",
                "Ruritania",
                year=2024,
                kinds={"access_delayed": 1},
                refusals_total=1,
                refusals_unresolved=1,
                first_refusal_on=D(2024, 2, 14),
                last_refusal_on=D(2024, 2, 14),
                **statements(1, D(2024, 12, 5), "day"),
                responses_overdue=1,
                reports_transmitted_unpublished=1,
            )
        )
    ]
    data = json_export(client, query)
    assert data["title"] == "Non-cooperation summary by State and year (public data only)"
    assert data["period"] == {"since": "2024-01-01", "until": "2024-12-31"}
    assert data["parameters"] == {
        "state": ["JA", "JB"],
        "kind": ["access_delayed"],
        "since": "2024-01-01",
        "until": "2024-12-31",
        "by_year": True,
        "sort": "state",
    }


# The rows of PUBLIC_TODAY by State, with Elbonia's empty one.
ROW = {row["state_code"]: row for row in PUBLIC_TODAY}
ROW["JD"] = summary_row("JD", "Elbonia")


def rows_of(codes):
    return [ROW[code] for code in codes.split()]


# The rows by year up to 2022.
UNTIL_2022_BY_YEAR = [
    summary_row("BE", "Belgium", year=2017, **statements(1, D(2017, 7, 13), "day")),
    JC_BY_YEAR[2021],
    JC_BY_YEAR[2022],
    summary_row("BG", "Bulgaria", year=2015, **statements(1, D(2015, 3, 26), "day")),
    summary_row("BG", "Bulgaria", year=2021, **statements(1, D(2021, 11, 4), "day")),
    summary_row("GR", "Greece", year=2011, **statements(1, D(2011, 3, 15), "day")),
    JA_BY_YEAR[2022],
    *[
        summary_row("RU", "Russia", year=day.year, **statements(1, day))
        for day in [D(2001, 7, 1), D(2003, 7, 1), D(2007, 3, 1), D(2019, 3, 1)]
    ],
    JB_BY_YEAR[2021],
    summary_row("TR", "Türkiye", year=1992, **statements(1, D(1992, 12, 1))),
    summary_row("TR", "Türkiye", year=1996, **statements(1, D(1996, 12, 1))),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", PUBLIC_TODAY),
        ("include_empty=1", rows_of("JA JB JC AZ BE BG JD GR RU TR")),
        ("sort=state", rows_of("AZ BE JC BG GR JA RU JB TR")),
        ("sort=-median_days_visit_end_to_publication", rows_of("JC JA JB AZ BE BG GR RU TR")),
        (
            "kind=ACCESS_REFUSED&kind=other",
            [
                ROW["JC"],
                {  # Ruritania's row with r1 alone of its refusals
                    **ROW["JA"],
                    **dict.fromkeys(KIND_COLUMNS, 0),
                    "refusals_access_refused": 1,
                    "refusals_total": 1,
                    "refusals_unresolved": 0,
                    "first_refusal_on": D(2023, 3, 6),
                    "last_refusal_on": D(2023, 3, 6),
                },
            ],
        ),
        (
            "since=2023-01-01",
            [
                {
                    **ROW["JA"],
                    "refusals_request_unanswered": 0,
                    "refusals_total": 3,
                    "first_refusal_on": D(2023, 3, 6),
                    "reports_published": 0,
                    "median_days_visit_end_to_publication": None,
                    "recommendations_not_implemented": 0,
                },
                {
                    **ROW["JB"],
                    "reports_published": 1,
                    "median_days_visit_end_to_publication": 279,
                    "recommendations_not_implemented": 1,
                },
                ROW["AZ"],
                {**ROW["RU"], "public_statements": 1},
            ],
        ),
        ("until=2022-12-31&by_year=true", UNTIL_2022_BY_YEAR),
        ("state=jc&include_empty=on&by_year=yes", [JC_BY_YEAR[2021], JC_BY_YEAR[2022]]),
    ],
)
def test_csv_and_json_give_the_summary_of_their_parameters(
    noncooperation_site, client, query, expected
):
    _heading, _columns, rows = csv_export(client, query)
    assert rows == [as_text(row) for row in expected]
    assert json_export(client, query)["summary"] == [as_json(row) for row in expected]


def test_exports_never_count_undisclosed_refusals(noncooperation_site, client):
    _heading, _columns, rows = csv_export(
        client, "kind=expert_refused&kind=recommendations_ignored"
    )
    assert rows == []
    _heading, _columns, rows = csv_export(client, "state=JC&since=2022-09-09&until=2022-09-09")
    assert rows == []
    data = json_export(client, "state=JA&kind=information_withheld")
    assert data["summary"] == []


def test_a_refusal_disclosed_tomorrow_is_exported_from_tomorrow(noncooperation_site, client, today):
    query = "state=JA&kind=information_withheld"
    assert csv_export(client, query)[2] == []
    today(noncooperation_data.TOMORROW)
    (row,) = csv_export(client, query)[2]
    assert (row["refusals_information_withheld"], row["refusals_total"]) == ("1", "1")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("state=ZZ", "state"),
        ("state=RUX", "state"),
        ("state=JPN", "state"),  # Japan's alpha-3 code: no such State here
        ("kind=torture", "kind"),
        ("since=2024-02-30", "since"),
        ("since=15/06/2025", "since"),
        ("until=yesterday", "until"),
        ("since=2025-01-01&until=2024-12-31", "until"),
        ("sort=bogus", "sort"),
        ("sort=-internal_notes", "sort"),
        ("include_empty=maybe", "include_empty"),
        ("by_year=2", "by_year"),
    ],
)
def test_bad_values_answer_400_naming_the_parameter(noncooperation_site, client, query, parameter):
    page = client.get(f"/non-cooperation/?{query}")
    assert page.status_code == 400
    assert f"<code>{parameter}</code>" in page.content.decode()
    assert 'href="/non-cooperation/"' in page.content.decode()
    listing = client.get(f"/non-cooperation/export.csv?{query}")
    assert listing.status_code == 400
    assert f"<code>{parameter}</code>" in listing.content.decode()
    response = client.get(f"/non-cooperation/export.json?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["errors"]) == [parameter]


def test_unknown_parameters_are_ignored(noncooperation_site, client):
    assert csv_export(client, "colour=red&page=3")[2] == [as_text(row) for row in PUBLIC_TODAY]


def test_several_bad_parameters_are_all_named(noncooperation_site, client):
    response = client.get("/non-cooperation/export.json?state=ZZ&since=x&kind=y")
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "state": ["ZZ is not the code of a State we know."],
            "kind": ["y is not a kind of refusal we know."],
            "since": ["Enter a date as YYYY-MM-DD."],
        }
    }


@pytest.mark.parametrize("url", ["/non-cooperation/export.csv", "/non-cooperation/export.json"])
def test_export_query_count_does_not_grow_with_states_refusals_and_recommendations(
    noncooperation_site, client, django_assert_num_queries, url
):
    # The State choices of the form, the published data's version (the summary is cached
    # until it changes), then the summary's seven queries.
    with django_assert_num_queries(9):
        body_of(client.get(f"{url}?by_year=1&include_empty=1"))
    noncooperation_data.many_states(20, refusals_each=6, reports_each=3)
    with django_assert_num_queries(9):
        body = body_of(client.get(f"{url}?by_year=1&include_empty=1"))
    assert b"Multiplied 19" in body


def test_by_year_keeps_each_states_years_together_unless_sorted_otherwise(
    noncooperation_site, client
):
    rows = csv_export(client, "by_year=1&state=JA&state=JC")[2]
    assert [(row["state_code"], row["year"]) for row in rows] == [
        ("JC", "2021"),
        ("JC", "2022"),
        ("JA", "2022"),
        ("JA", "2023"),
        ("JA", "2024"),
    ]
    rows = csv_export(client, "by_year=1&state=JA&state=JC&sort=-refusals_total")[2]
    assert [(row["state_code"], row["year"]) for row in rows][:2] == [
        ("JA", "2024"),
        ("JC", "2021"),
    ]
