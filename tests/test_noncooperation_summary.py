"""The non-cooperation summary as ``visits.noncooperation`` computes it: exact figures on the
hand-built data set of tests/noncooperation_data.py, public and staff, for a period, by year and
by kind; undisclosed refusals, and recommendations and assessments that are not public, never
count in public; the number of queries does not grow with the number of States, refusals,
reports and recommendations."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import noncooperation_data
from tests.noncooperation_data import (
    JA_BY_YEAR,
    PUBLIC_REFUSAL_COLUMNS,
    PUBLIC_TODAY,
    REFERENCE_ROWS,
    STAFF_REFUSAL_COLUMNS,
    STAFF_TODAY,
    TODAY,
    TOMORROW,
    statements,
    summary_row,
)
from visits import charts, noncooperation
from visits.models import Assessment, Recommendation
from visits.noncooperation import SUMMARY_COLUMNS, Filters

pytestmark = pytest.mark.django_db

D = datetime.date


def by_code(rows):
    return {row["state_code"]: row for row in rows}


def test_the_documented_columns_in_their_order():
    kinds = [
        "access_refused",
        "access_delayed",
        "interview_refused",
        "expert_refused",
        "information_withheld",
        "request_unanswered",
        "response_overdue",
        "reprisal",
        "recommendations_ignored",
        "article9_postponement",
        "other",
    ]
    assert [
        "state_code",
        "state",
        "year",
        "treaty_status",
        "denunciation_effective_on",
        *[f"refusals_{kind}" for kind in kinds],
        "refusals_total",
        "refusals_unresolved",
        "first_refusal_on",
        "last_refusal_on",
        "public_statements",
        "last_public_statement_on",
        "last_public_statement_precision",
        "responses_overdue",
        "reports_transmitted_unpublished",
        "reports_published",
        "median_days_visit_end_to_publication",
        "recommendations_repeated",
        "recommendations_not_implemented",
    ] == SUMMARY_COLUMNS


def test_public_summary_counts_disclosed_refusals_only(noncooperation_site):
    assert noncooperation.summary(Filters()) == PUBLIC_TODAY


def test_staff_summary_counts_every_refusal_statement_and_report(noncooperation_site):
    assert noncooperation.summary(Filters(), public=False) == STAFF_TODAY


def test_a_refusal_disclosed_tomorrow_counts_from_tomorrow(noncooperation_site, today):
    today(TOMORROW)
    rows = by_code(noncooperation.summary(Filters(states=("JA", "JB"))))
    assert rows["JA"]["refusals_information_withheld"] == 1
    assert rows["JA"]["refusals_total"] == 5
    assert rows["JA"]["refusals_unresolved"] == 3
    assert rows["JA"]["last_refusal_on"] == D(2025, 1, 15)
    assert rows["JA"]["public_statements"] == 2
    assert rows["JA"]["last_public_statement_on"] == TOMORROW
    # The report published tomorrow leaves the unpublished and joins the delays; its
    # recommendation that repeats jb4 counts, and its assessment of jb3 overrides the earlier
    # "not implemented".
    assert rows["JB"]["reports_transmitted_unpublished"] == 0
    assert rows["JB"]["reports_published"] == 3
    assert rows["JB"]["median_days_visit_end_to_publication"] == 206
    assert rows["JB"]["recommendations_repeated"] == 2
    assert rows["JB"]["recommendations_not_implemented"] == 2


@pytest.mark.parametrize(
    ("filters", "access_refused", "total"),
    [
        (Filters(), 2, 9),
        (Filters(kinds=("expert_refused", "recommendations_ignored")), 0, 0),
        (Filters(states=("JA", "JB", "JC"), by_year=True, include_empty=True), 2, 9),
        (Filters(since=D(2024, 6, 3), until=D(2024, 6, 3)), 0, 0),
        (Filters(since=D(2022, 9, 9), until=D(2022, 9, 9), states=("JC",)), 0, 0),
    ],
)
def test_undisclosed_refusals_never_count_in_public_whatever_the_filters(
    noncooperation_site, filters, access_refused, total
):
    """r4 (expert refused), r9 (recommendations ignored) and r13 (access refused) are never
    disclosed: of the nine public refusals, two are access refused (r1, r12)."""
    rows = noncooperation.summary(filters)
    assert sum(row["refusals_expert_refused"] for row in rows) == 0
    assert sum(row["refusals_recommendations_ignored"] for row in rows) == 0
    assert sum(row["refusals_access_refused"] for row in rows) == access_refused
    assert sum(row["refusals_total"] for row in rows) == total


def test_a_report_on_a_visit_not_completed_never_counts_in_public(noncooperation_site):
    rows = noncooperation.summary(Filters(states=("JA",), by_year=True))
    assert [row["year"] for row in rows] == [2024, 2022, 2023]
    staff = noncooperation.summary(Filters(states=("JA",), by_year=True, sort="year"), False)
    assert [(row["year"], row["responses_overdue"]) for row in staff] == [
        (2022, 0),
        (2023, 0),
        (2024, 1),
        (2025, 1),
    ]


def test_summary_by_year(noncooperation_site):
    rows = noncooperation.summary(Filters(states=("JA",), by_year=True, sort="year"))
    assert rows == [JA_BY_YEAR[2022], JA_BY_YEAR[2023], JA_BY_YEAR[2024]]


def test_staff_summary_by_year_dates_a_visit_in_progress_by_its_start(noncooperation_site):
    rows = noncooperation.summary(
        Filters(states=("JA",), by_year=True, sort="year", since=D(2025, 1, 1)), public=False
    )
    assert rows == [
        summary_row(
            "JA",
            "Ruritania",
            year=2025,
            kinds={"information_withheld": 1},
            refusals_total=1,
            refusals_unresolved=1,
            first_refusal_on=D(2025, 1, 15),
            last_refusal_on=D(2025, 1, 15),
            **statements(1, TOMORROW, "day"),
            responses_overdue=1,
            reports_transmitted_unpublished=1,
            recommendations_repeated=1,  # ja7, of the report on the visit in progress
        )
    ]


def test_summary_over_a_period(noncooperation_site):
    rows = noncooperation.summary(Filters(since=D(2024, 1, 1), until=D(2024, 12, 31)))
    assert rows == [
        summary_row(
            "JA",
            "Ruritania",
            kinds={"access_delayed": 1, "interview_refused": 1},
            refusals_total=2,
            refusals_unresolved=2,
            first_refusal_on=D(2024, 2, 14),
            last_refusal_on=D(2024, 5, 20),
            **statements(1, D(2024, 12, 5), "day"),
            responses_overdue=1,
            reports_transmitted_unpublished=1,
        ),
        summary_row(
            "JB",
            "Syldavia",
            treaty_status="denunciation_pending",
            denunciation_effective_on=D(2026, 3, 1),
            kinds={"response_overdue": 1},
            refusals_total=1,
            refusals_unresolved=1,
            first_refusal_on=D(2024, 9, 30),
            last_refusal_on=D(2024, 9, 30),
            reports_transmitted_unpublished=1,
        ),
        summary_row("AZ", "Azerbaijan", **statements(1, D(2024, 7, 3), "day")),
        summary_row("RU", "Russia", **statements(1, D(2024, 11, 1))),
    ]


# The recommendations' columns (tests/noncooperation_data.py, the table of recommendations).


def recommendations(rows):
    """{State code (and year): (repeated, not implemented)} of summary rows."""
    return {
        (row["state_code"], row["year"]) if row["year"] else row["state_code"]: (
            row["recommendations_repeated"],
            row["recommendations_not_implemented"],
        )
        for row in rows
        if row["state_code"].startswith("J")
    }


def test_recommendations_of_reports_not_public_never_count_in_public(noncooperation_site):
    """ja6 (unpublished report), ja7 (visit in progress), jb5 (published tomorrow) and jc3
    (unpublished) repeat earlier recommendations; only jb4, of a published report, counts."""
    assert recommendations(noncooperation.summary(Filters())) == {
        "JA": (0, 2),
        "JB": (1, 3),
        "JC": (0, 0),
    }
    assert recommendations(noncooperation.summary(Filters(), public=False)) == {
        "JA": (2, 5),
        "JB": (2, 2),
        "JC": (1, 2),
    }


def test_not_implemented_is_the_latest_public_assessment_in_public(noncooperation_site):
    """Of Ruritania's recommendations, ja1 and ja4 count: ja4's later assessment is from
    another source, so it never shows. ja2's (an unpublished response), ja3's later one and
    ja5's (another source) are not public."""
    rows = noncooperation.summary(Filters(states=("JA",), by_year=True))
    assert recommendations(rows) == {
        ("JA", 2022): (0, 2),
        ("JA", 2023): (0, 0),
        ("JA", 2024): (0, 0),
    }


def test_staff_count_the_latest_assessment_from_any_source(noncooperation_site):
    """ja1, ja2, ja3 (another source after the published response) and ja5 in 2022, ja6 in
    2024; not ja4, whose latest assessment (another source) says in progress."""
    rows = noncooperation.summary(Filters(states=("JA",), by_year=True, sort="year"), False)
    assert recommendations(rows) == {
        ("JA", 2022): (0, 4),
        ("JA", 2023): (0, 0),
        ("JA", 2024): (1, 1),
        ("JA", 2025): (1, 0),
    }


def test_an_assessment_counts_in_public_once_its_response_is_published(noncooperation_site):
    response = noncooperation_site.ra1_response
    response.published_on = D(2025, 6, 15)
    response.save()
    assert recommendations(noncooperation.summary(Filters(states=("JA",))))["JA"] == (0, 3)


def test_a_later_public_assessment_overrides_an_earlier_not_implemented(noncooperation_site):
    """jb2 was not implemented by rb1, then partially implemented by rb1's published
    response; jb3 is implemented by rb2, published tomorrow."""
    jb2_later = noncooperation_site.jb2.assessments.get(source="response")
    assert recommendations(noncooperation.summary(Filters(states=("JB",))))["JB"] == (1, 3)
    jb2_later.delete()
    assert recommendations(noncooperation.summary(Filters(states=("JB",))))["JB"] == (1, 4)
    assert recommendations(noncooperation.summary(Filters(states=("JB",)), False))["JB"] == (2, 3)


def public_assessments():
    """(recommendation's paragraph, source, day, status) of each public assessment."""
    return sorted(
        (a.recommendation.paragraph, a.source, a.assessed_on, a.status)
        for a in Assessment.public_objects.select_related("recommendation")
    )


def test_public_assessments_are_those_of_a_published_source(noncooperation_site, today):
    """Not those from an unpublished response (ja2's, jc1's) or report (jc2's; jb3's from rb2
    until tomorrow), nor from another source (ja3's, ja4's, ja5's, ja6's)."""
    no = "not_implemented"
    rb1_sent, ra1_answer, rb1_answer = D(2024, 3, 22), D(2023, 6, 1), D(2024, 12, 2)
    expected = [
        ("10", "response", ra1_answer, no),  # ja1
        ("12", "response", ra1_answer, "implemented"),  # ja3
        ("13", "response", ra1_answer, no),  # ja4
        ("30", "report", rb1_sent, no),  # jb1
        ("31", "report", rb1_sent, no),  # jb2
        ("31", "response", rb1_answer, "partially_implemented"),
        ("32", "report", rb1_sent, no),  # jb3
        ("40", "response", rb1_answer, no),  # jb4
    ]
    assert public_assessments() == expected
    today(TOMORROW)
    assert public_assessments() == sorted(
        [*expected, ("32", "report", D(2025, 3, 21), "implemented")]
    )


@pytest.mark.parametrize("day", [TODAY, TOMORROW])
def test_the_latest_assessments_counted_are_the_statuses_shown(noncooperation_site, today, day):
    """``latest_per_recommendation()``, which the summary counts, holds the assessment whose
    status a report's page shows (``with_status()``) for each recommendation assessed; for
    staff, the latest of each recommendation's assessments from any source."""
    today(day)
    shown = {
        recommendation.pk: recommendation.public_status
        for recommendation in Recommendation.public_objects.with_status()
    }
    counted = Assessment.public_objects.latest_per_recommendation()
    assert {a.recommendation_id: a.status for a in counted} == {
        pk: status for pk, status in shown.items() if status != "not_assessed"
    }
    every = Assessment.private_objects.order_by("recommendation", "assessed_on", "id")
    latest = {a.recommendation_id: a.pk for a in every}  # the last one of each wins
    staff = Assessment.private_objects.latest_per_recommendation()
    assert sorted(a.pk for a in staff) == sorted(latest.values())


def test_recommendations_by_the_day_their_reports_visit_ended(noncooperation_site):
    rows = noncooperation.summary(Filters(states=("JB",), by_year=True, sort="year"))
    assert rows[:2] == [noncooperation_data.JB_BY_YEAR[2021], noncooperation_data.JB_BY_YEAR[2023]]
    assert recommendations(rows) == {
        ("JB", 2021): (0, 2),
        ("JB", 2023): (1, 1),
        ("JB", 2024): (0, 0),
        ("JB", 2025): (0, 0),
    }
    staff = noncooperation.summary(Filters(by_year=True, until=D(2022, 12, 31)), public=False)
    assert recommendations(staff) == {
        ("JA", 2022): (0, 4),
        ("JB", 2021): (0, 1),  # jb3 is implemented, says rb2
        ("JC", 2021): (0, 2),
        ("JC", 2022): (1, 0),
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(since=D(2023, 1, 1)), {"JA": (0, 0), "JB": (1, 1)}),
        (Filters(until=D(2022, 12, 31)), {"JA": (0, 2), "JB": (0, 2), "JC": (0, 0)}),
        (Filters(since=D(2021, 6, 18), until=D(2021, 6, 18)), {"JB": (0, 2)}),
        (Filters(since=D(2022, 5, 20), until=D(2022, 5, 20)), {"JA": (0, 2)}),
    ],
)
def test_recommendations_over_a_period(noncooperation_site, filters, expected):
    """The period applies to the day the report's last visit ended: rb3's on 18 June 2021
    (jb1, jb3), rb1's on 15 September 2023 (jb4), ra1's on 20 May 2022 (ja1, ja4)."""
    assert recommendations(noncooperation.summary(filters)) == expected


def test_kinds_narrow_the_refusals_and_the_states_shown(noncooperation_site):
    rows = noncooperation.summary(Filters(kinds=("access_refused", "other")))
    jc, ja = PUBLIC_TODAY[2], PUBLIC_TODAY[0]
    assert rows == [
        jc,
        {
            **ja,
            "refusals_access_delayed": 0,
            "refusals_interview_refused": 0,
            "refusals_request_unanswered": 0,
            "refusals_total": 1,
            "refusals_unresolved": 0,
            "first_refusal_on": D(2023, 3, 6),
            "last_refusal_on": D(2023, 3, 6),
        },
    ]


def test_states_with_nothing_to_report_appear_with_zeros_when_asked(noncooperation_site):
    assert noncooperation.summary(Filters(states=("JD",))) == []
    rows = noncooperation.summary(Filters(states=("JD", "JA"), include_empty=True))
    assert rows == [PUBLIC_TODAY[0], summary_row("JD", "Elbonia")]
    rows = noncooperation.summary(
        Filters(
            states=("JD",),
            include_empty=True,
            by_year=True,
            since=D(2024, 1, 1),
            until=D(2025, 12, 31),
        )
    )
    assert rows == [
        summary_row("JD", "Elbonia", year=2024),
        summary_row("JD", "Elbonia", year=2025),
    ]
    every_state = noncooperation.summary(Filters(include_empty=True))
    assert len(every_state) == 10


def test_empty_years_are_those_the_convention_was_in_force_up_to_today(noncooperation_site):
    rows = noncooperation.summary(
        Filters(
            states=("JD",),
            include_empty=True,
            by_year=True,
            since=D(1, 1, 1),
            until=D(9999, 12, 31),
            sort="year",
        )
    )
    assert [row["year"] for row in rows] == list(range(1989, 2026))


@pytest.mark.parametrize(
    ("sort", "codes"),
    [
        ("-refusals_total", ["JA", "JB", "JC", "AZ", "BE", "BG", "GR", "RU", "TR"]),
        ("refusals_total", ["AZ", "BE", "BG", "GR", "RU", "TR", "JC", "JB", "JA"]),
        ("state", ["AZ", "BE", "JC", "BG", "GR", "JA", "RU", "JB", "TR"]),
        ("-state", ["TR", "JB", "RU", "JA", "GR", "BG", "JC", "BE", "AZ"]),
        ("state_code", ["AZ", "BE", "BG", "GR", "JA", "JB", "JC", "RU", "TR"]),
        # Empty values last, whichever the direction.
        (
            "median_days_visit_end_to_publication",
            ["JB", "JA", "JC", "AZ", "BE", "BG", "GR", "RU", "TR"],
        ),
        (
            "-median_days_visit_end_to_publication",
            ["JC", "JA", "JB", "AZ", "BE", "BG", "GR", "RU", "TR"],
        ),
        ("-last_refusal_on", ["JB", "JA", "JC", "AZ", "BE", "BG", "GR", "RU", "TR"]),
        ("-last_public_statement_on", ["JB", "JA", "RU", "AZ", "BG", "BE", "GR", "TR", "JC"]),
        ("treaty_status", ["AZ", "BE", "BG", "GR", "JA", "RU", "TR", "JB", "JC"]),
        ("-treaty_status", ["JC", "JB", "AZ", "BE", "BG", "GR", "JA", "RU", "TR"]),
        ("-recommendations_repeated", ["JB", "AZ", "BE", "JC", "BG", "GR", "JA", "RU", "TR"]),
        ("recommendations_repeated", ["AZ", "BE", "JC", "BG", "GR", "JA", "RU", "TR", "JB"]),
        (
            "-recommendations_not_implemented",
            ["JB", "JA", "AZ", "BE", "JC", "BG", "GR", "RU", "TR"],
        ),
        (
            "recommendations_not_implemented",
            ["AZ", "BE", "JC", "BG", "GR", "RU", "TR", "JA", "JB"],
        ),
    ],
)
def test_sorted_by_any_column(noncooperation_site, sort, codes):
    rows = noncooperation.summary(Filters(sort=sort))
    assert [row["state_code"] for row in rows] == codes


def test_reference_states_alone_when_no_refusal_is_recorded(db, today):
    today(TODAY)
    assert noncooperation.summary(Filters()) == REFERENCE_ROWS


def test_refusals_by_year_and_kind_for_the_chart(noncooperation_site):
    assert noncooperation.refusals_by_year_and_kind(Filters()) == {
        2021: {"other": 1},
        2022: {"access_refused": 1, "request_unanswered": 1},
        2023: {"access_refused": 1, "reprisal": 1},
        2024: {"access_delayed": 1, "interview_refused": 1, "response_overdue": 1},
        2025: {"article9_postponement": 1},
    }
    assert noncooperation.refusals_by_year_and_kind(Filters(states=("JC",)), public=False) == {
        2021: {"other": 1},
        2022: {"access_refused": 2},
    }


def test_chart_geometry(noncooperation_site):
    chart = charts.refusal_chart(noncooperation.refusals_by_year_and_kind(Filters()))
    assert [bar.year for bar in chart["bars"]] == [2021, 2022, 2023, 2024, 2025]
    assert [bar.total for bar in chart["bars"]] == [1, 2, 2, 3, 1]
    assert chart["total"] == 9
    assert [value for value, _y in chart["ticks"]] == [0, 1, 2, 3]
    assert [kind for kind, _label in chart["legend"]] == [
        "access_refused",
        "access_delayed",
        "interview_refused",
        "request_unanswered",
        "response_overdue",
        "reprisal",
        "article9_postponement",
        "other",
    ]
    # Segments stack from the baseline: each starts where the one below ends.
    bar_2024 = chart["bars"][3]
    baseline = chart["baseline"]
    for segment in bar_2024.segments:
        assert segment.y + segment.height == pytest.approx(baseline, abs=0.02)
        baseline = segment.y
    assert baseline == pytest.approx(chart["ticks"][-1][1], abs=0.02)
    assert chart["table"][1] == (2022, [1, 0, 0, 1, 0, 0, 0, 0], 2)
    assert chart["kind_totals"] == [2, 1, 1, 1, 1, 1, 1, 1]
    assert charts.refusal_chart({}) is None


def test_nice_steps():
    assert [charts.nice_step(n) for n in (1, 5, 6, 11, 23, 99, 480)] == [1, 1, 2, 5, 5, 20, 100]


def test_public_detail_rows_are_disclosed_refusals_without_notes(noncooperation_site):
    rows = list(noncooperation.refusal_rows(Filters()))
    assert [row["id"] for row in rows] == [
        noncooperation_site.r11.pk,
        noncooperation_site.r12.pk,
        noncooperation_site.r6.pk,
        noncooperation_site.r1.pk,
        noncooperation_site.r8.pk,
        noncooperation_site.r2.pk,
        noncooperation_site.r3.pk,
        noncooperation_site.r7.pk,
        noncooperation_site.r10.pk,
    ]
    assert all(list(row) == PUBLIC_REFUSAL_COLUMNS for row in rows)
    assert rows[3] == {
        "id": noncooperation_site.r1.pk,
        "state_code": "JA",
        "state": "Ruritania",
        "occurred_on": D(2023, 3, 6),
        "kind": "access_refused",
        "summary": "Refusal r1: access to a place refused.",
        "disclosed_on": D(2023, 9, 1),
        "resolved_on": D(2023, 3, 7),
        "public_statement_on": None,
    }


def test_staff_detail_rows_hold_every_refusal_and_its_notes(noncooperation_site):
    rows = list(noncooperation.refusal_rows(Filters(states=("JC",)), public=False))
    assert [(row["id"], row["internal_notes"], row["disclosed_on"]) for row in rows] == [
        (noncooperation_site.r11.pk, "INTERNAL-NOTE-R11", D(2021, 10, 1)),
        (noncooperation_site.r12.pk, "INTERNAL-NOTE-R12", D(2022, 12, 12)),
        (noncooperation_site.r13.pk, "INTERNAL-NOTE-R13", None),
    ]
    assert all(list(row) == STAFF_REFUSAL_COLUMNS for row in rows)


def test_detail_rows_are_fetched_in_chunks(noncooperation_site, monkeypatch):
    from django.db.models.query import QuerySet

    sizes = []
    iterator = QuerySet.iterator

    def recording(self, chunk_size=None):
        sizes.append(chunk_size)
        return iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", recording)
    rows = noncooperation.refusal_rows(Filters(), public=False)
    assert sizes == []  # nothing is read before the first row is asked for
    assert len(list(rows)) == 13
    assert sizes == [noncooperation.CHUNK]


def queries_for(filters, public):
    with CaptureQueriesContext(connection) as queries:
        noncooperation.summary(filters, public=public)
        noncooperation.refusals_by_year_and_kind(filters, public=public)
    return len(queries)


@pytest.mark.parametrize("public", [True, False], ids=["public", "staff"])
@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(by_year=True, include_empty=True),
        Filters(states=("JA", "KA", "KB"), kinds=("access_refused",), since=D(2019, 1, 1)),
    ],
    ids=["all", "by-year-with-empty", "filtered"],
)
def test_query_count_does_not_grow_with_states_refusals_reports_and_recommendations(
    noncooperation_site, django_assert_num_queries, public, filters
):
    before = queries_for(filters, public)
    assert before == 8
    noncooperation_data.many_states(20, refusals_each=6, reports_each=3)
    with django_assert_num_queries(8):
        noncooperation.summary(filters, public=public)
        noncooperation.refusals_by_year_and_kind(filters, public=public)
    assert len(noncooperation.summary(Filters(include_empty=True))) == 10 + 20


def test_a_repeat_of_an_unpublished_recommendation_counts_for_staff_only(db, today):
    """The public summary counts a repeat only when the repeated recommendation is public too:
    counting it would say that an unpublished report held such a recommendation."""
    from tests import factories

    today(D(2025, 6, 15))
    state = factories.StateFactory(code="JQ", name="Quasia")
    unpublished = factories.ReportFactory(
        visit=factories.visit_between(state, "periodic", D(2021, 3, 1), D(2021, 3, 5)),
        confidential=True,
        adopted_on=D(2021, 6, 1),
        transmitted_on=D(2021, 6, 10),
        response_due_on=D(2021, 12, 10),
    )
    earlier = factories.RecommendationFactory(report=unpublished, text="SECRET-EARLIER")
    published = factories.ReportFactory(
        visit=factories.visit_between(state, "periodic", D(2023, 3, 1), D(2023, 3, 5))
    )
    factories.RecommendationFactory(report=published, repeats=earlier)
    public = by_code(noncooperation.summary(Filters(states=("JQ",))))
    staff = by_code(noncooperation.summary(Filters(states=("JQ",)), public=False))
    assert public["JQ"]["recommendations_repeated"] == 0
    assert staff["JQ"]["recommendations_repeated"] == 1
    listed = Recommendation.public_objects.repeating()
    assert not listed.filter(report__state=state).exists()
