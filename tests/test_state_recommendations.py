"""A State's page sums up the implementation of its public recommendations: their number by
public status, overall and by theme, in a table and in a chart drawn from the same numbers.
Nothing of an unpublished report counts, nor any assessment the public may not see; a later
public assessment replaces an earlier one; a recommendation under several themes counts under
each. The summary costs the same number of queries whatever the number of recommendations."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.factories import visit_between
from tests.reading import main_text, text_of
from visits import charts
from visits.models import Assessment, Theme
from visits.presentation import implementation_summary, public_statuses
from visits.views import recommendation_counts

D = datetime.date
TODAY = D(2025, 6, 15)
STATUSES = [
    "implemented",
    "partially_implemented",
    "in_progress",
    "not_implemented",
    "no_information",
    "no_longer_relevant",
    "not_assessed",
]
HEADINGS = [
    "Theme",
    "Implemented",
    "Partially implemented",
    "In progress",
    "Not implemented",
    "No information",
    "No longer relevant",
    "Not assessed",
    "Total",
]


def theme(code):
    return Theme.private_objects.get(code=code)


def later_report(state, start, **dates):
    """A public report on a periodic visit of ``state`` beginning on ``start``, adopted,
    transmitted and published in the weeks after it."""
    visit = visit_between(state, "periodic", start, start + datetime.timedelta(days=4))
    return factories.ReportFactory(visit=visit, **dates)


@pytest.fixture
def ruritania(db, today):
    """Eight public recommendations to Ruritania, and beside them what must not count. Each:
    its themes; its assessments in order; its public status.

    - a: prisons; in progress (response 1), implemented (response 2); implemented.
    - b: police custody and lawyer; partially implemented (response 1), not implemented (an
      unpublished response); partially implemented.
    - c: prisons; not implemented (a telephone call: staff only); not assessed.
    - d: no theme; no information (response 1); no information.
    - e: no theme; none; not assessed.
    - f: lawyer; not implemented (response 1); not implemented.
    - h: police custody; not implemented (response 1), no longer relevant (the later
      report); no longer relevant.
    - g, of the later report: prisons; none; not assessed.

    Not counted: a recommendation on women of an unpublished report of Ruritania, and one
    on juveniles to another State."""
    today(TODAY)
    state = factories.StateFactory(code="JR", name="Ruritania")
    report = factories.ReportFactory(visit__state=state)
    first = factories.ResponseFactory(
        report=report, received_on=D(2025, 1, 15), published_on=D(2025, 2, 1)
    )
    second = factories.ResponseFactory(
        report=report, received_on=D(2025, 4, 1), published_on=D(2025, 4, 15)
    )
    unpublished = factories.ResponseFactory(
        report=report, received_on=D(2025, 5, 2), published_on=None
    )
    later = later_report(
        state,
        D(2025, 1, 6),
        adopted_on=D(2025, 2, 3),
        transmitted_on=D(2025, 2, 17),
        response_due_on=D(2025, 8, 17),
        publication_requested_on=D(2025, 3, 3),
        published_on=D(2025, 3, 17),
    )

    def recommendation(*codes, of=report):
        return factories.RecommendationFactory(report=of, themes=[theme(code) for code in codes])

    def assess(rec, status, response=None, source="response", **fields):
        return factories.AssessmentFactory(
            recommendation=rec, source=source, response=response, status=status, **fields
        )

    a, b = recommendation("prisons"), recommendation("law_enforcement", "lawyer")
    assess(a, "in_progress", first)
    assess(a, "implemented", second)
    assess(b, "partially_implemented", first)
    assess(b, "not_implemented", unpublished)
    c = recommendation("prisons")
    Assessment.private_objects.create(
        recommendation=c,
        source="other",
        note="A telephone call",
        assessed_on=D(2025, 3, 1),
        status="not_implemented",
    )
    assess(recommendation(), "no_information", first)
    recommendation()  # e
    assess(recommendation("lawyer"), "not_implemented", first)
    h = recommendation("law_enforcement")
    assess(h, "not_implemented", first)
    assess(h, "no_longer_relevant", source="report", report=later, assessed_on=D(2025, 2, 17))
    recommendation("prisons", of=later)  # g

    confidential = factories.ReportFactory(visit__state=state, confidential=True)
    recommendation("women", of=confidential)
    elsewhere = factories.RecommendationFactory(themes=[theme("juveniles")])
    assess(elsewhere, "implemented", factories.ResponseFactory(report=elsewhere.report))
    return state


EXPECTED_BY_STATUS = {
    "implemented": 1,
    "partially_implemented": 1,
    "not_implemented": 1,
    "no_information": 1,
    "no_longer_relevant": 1,
    "not_assessed": 3,
}
# Rows of the table: the theme, its counts in the order of STATUSES, its total.
EXPECTED_ROWS = [
    ["Police custody (law enforcement)", "0", "1", "0", "0", "0", "1", "0", "2"],
    ["Access to a lawyer", "0", "1", "0", "1", "0", "0", "0", "2"],
    ["Prisons", "1", "0", "0", "0", "0", "0", "2", "3"],
    ["Other", "0", "0", "0", "0", "1", "0", "1", "2"],
]
EXPECTED_TOTAL_ROW = ["All recommendations", "1", "1", "0", "1", "1", "1", "3", "8"]


def page(client, state, language="en"):
    response = client.get(f"/states/{state.code}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def table_of(markup):
    """The summary's table: its headings, its rows and its total row, as lists of cell texts."""
    table = re.search(r'<table class="[^"]*implementation-numbers.*?</table>', markup, re.S)
    assert table, "no implementation table"

    def cells(row):
        return [text_of(cell) for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row, re.S)]

    rows = [cells(row) for row in re.findall(r"<tr>.*?</tr>", table.group(0), re.S)]
    return rows[0], rows[1:-1], rows[-1]


def chart_of(markup):
    """The chart's SVG."""
    svg = re.search(r'<svg class="chart-svg".*?</svg>', markup, re.S)
    assert svg, "no implementation chart"
    return svg.group(0)


def test_the_state_page_counts_public_recommendations_by_status_and_theme(client, ruritania):
    headings, rows, total = table_of(page(client, ruritania))
    assert headings == HEADINGS
    assert rows == EXPECTED_ROWS
    assert total == EXPECTED_TOTAL_ROW
    text = main_text(page(client, ruritania))
    assert "Implementation of the recommendations" in text
    assert "8 recommendations, comments and requests for information" in text


def test_the_counts_read_only_public_rows(ruritania, django_assert_num_queries):
    """What the chart and the table are drawn from: the women's recommendation of the
    unpublished report, the other State's, the staff-only and unpublished assessments count
    nowhere."""
    with django_assert_num_queries(3):
        counts = recommendation_counts(ruritania)
    assert counts["by_status"] == EXPECTED_BY_STATUS
    assert [t.code for t in counts["themes"]] == ["law_enforcement", "lawyer", "prisons"]
    ids = {t.code: t.pk for t in counts["themes"]}
    assert counts["by_theme"] == {
        (ids["law_enforcement"], "partially_implemented"): 1,
        (ids["law_enforcement"], "no_longer_relevant"): 1,
        (ids["lawyer"], "partially_implemented"): 1,
        (ids["lawyer"], "not_implemented"): 1,
        (ids["prisons"], "implemented"): 1,
        (ids["prisons"], "not_assessed"): 2,
        (None, "no_information"): 1,
        (None, "not_assessed"): 1,
    }


def test_the_chart_draws_the_numbers_of_the_table(client, ruritania):
    markup = page(client, ruritania)
    svg = chart_of(markup)
    assert 'role="img"' in svg
    assert (
        '<title id="implementation-chart-title">Public status of the recommendations to '
        "Ruritania, overall and by theme</title>" in svg
    )
    assert (
        '<desc id="implementation-chart-desc">Horizontal bars, one for all 8 recommendations '
        "and one per theme, each divided by public status in proportion to its count "
        "(implemented: 1, partially implemented: 1, not implemented: 1, no information: 1, no "
        "longer relevant: 1, not assessed: 3). The numbers are in the table below the "
        "chart.</desc>" in svg
    )
    _headings, rows, total = table_of(markup)
    labels = dict(zip(STATUSES, (h.lower() for h in HEADINGS[1:-1]), strict=True))
    from_table = {
        (row[0], labels[status]): int(count)
        for row in [*rows, total]
        for status, count in zip(STATUSES, row[1:-1], strict=True)
        if count != "0"
    }
    from_chart = {
        (row, status): int(count)
        for row, status, count, _total in re.findall(
            r"<rect [^>]*><title>(.+?), ([a-z ]+): (\d+) of (\d+)</title></rect>", svg
        )
    }
    assert from_chart == from_table
    bar_labels = re.findall(r'<text class="bar-label[^"]*"[^>]*>(.*?)</text>', svg)
    assert bar_labels == [f"{row[0]} ({row[-1]})" for row in [total, *rows]]
    legend = re.search(r'<ul class="chart-legend".*?</ul>', markup, re.S).group(0)
    assert text_of(legend) == (
        "Implemented Partially implemented Not implemented No information "
        "No longer relevant Not assessed"
    )


def test_no_summary_without_a_public_recommendation(client, ruritania):
    """A State whose only recommendation is of an unpublished report, and one with none."""
    # Codes of their own: the factory's sequence could give Ruritania's (JR), and its
    # get_or_create would then return Ruritania.
    secretive = factories.StateFactory(code="QS", name="Secretia")
    confidential = factories.ReportFactory(visit__state=secretive, confidential=True)
    factories.RecommendationFactory(report=confidential, themes=[theme("prisons")])
    factories.ReportFactory(visit__state=secretive)
    quiet = factories.StateFactory(code="QT", name="Quietia")
    for state in (secretive, quiet):
        markup = page(client, state)
        assert "Implementation of the recommendations" not in markup
        assert "chart-svg" not in markup and "implementation-numbers" not in markup


def test_the_hand_built_public_site_counts_nothing_confidential(client, public_site):
    """Ruritania's page of the crawler's data set: its unpublished report's recommendation
    and the staff-only and unpublished assessments do not count; Syldavia has only a
    recommendation of a report published tomorrow."""
    _headings, rows, total = table_of(page(client, public_site.ruritania))
    assert rows == [
        ["Prisons", "0", "1", "0", "0", "0", "0", "0", "1"],
        ["Other", "0", "0", "0", "0", "0", "0", "1", "1"],
    ]
    assert total == ["All recommendations", "0", "1", "0", "0", "0", "0", "1", "2"]
    assert "Implementation of the recommendations" not in page(client, public_site.syldavia)


def test_the_page_in_french_names_the_themes_in_french(client, ruritania):
    page(client, ruritania)  # the counts are cached in English first: they hold no name
    markup = page(client, ruritania, "fr")
    _headings, rows, total = table_of(markup)
    assert [row[0] for row in rows] == [
        "Garde à vue (forces de l'ordre)",
        "Accès à un avocat",
        "Prisons",
        "Autres",
    ]
    assert [row[1:] for row in rows] == [row[1:] for row in EXPECTED_ROWS]
    chart = text_of(chart_of(markup))
    assert "Accès à un avocat" in chart and "partiellement mise en œuvre" in chart
    legend = re.search(r'<ul class="chart-legend".*?</ul>', markup, re.S).group(0)
    assert "Non évaluée" in text_of(legend)
    assert [row[0] for row in table_of(page(client, ruritania))[1]] == [
        row[0] for row in EXPECTED_ROWS
    ]


def add_public_recommendations(state, count, themes):
    """``count`` more public recommendations to ``state`` on a report of their own, each
    under two of ``themes``, assessed from a published response."""
    report = factories.ReportFactory(visit__state=state)
    response = factories.ResponseFactory(report=report)
    for n in range(count):
        rec = factories.RecommendationFactory(
            report=report, themes=[themes[n % len(themes)], themes[(n + 1) % len(themes)]]
        )
        status = STATUSES[n % 6]
        factories.AssessmentFactory(recommendation=rec, response=response, status=status)


def queries_of(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_summary_costs_the_same_queries_with_more_recommendations_and_themes(client, ruritania):
    themes = list(Theme.private_objects.order_by("position"))
    url = f"/states/{ruritania.code}/"
    counts = [queries_of(client, url)]
    add_public_recommendations(ruritania, 12, themes[:4])
    counts.append(queries_of(client, url))
    add_public_recommendations(ruritania, 24, themes)
    counts.append(queries_of(client, url))
    assert counts == [counts[0]] * 3
    _headings, rows, total = table_of(page(client, ruritania))
    assert len(rows) == len(themes) + 1  # every theme and "Other"
    assert total[-1] == "44"


def test_the_counts_are_cached_until_the_published_data_changes(client, ruritania, settings):
    settings.PUBLIC_PAGE_CACHE = False
    page(client, ruritania)
    with CaptureQueriesContext(connection) as captured:
        page(client, ruritania)
    assert not any("visits_recommendation" in query["sql"] for query in captured)

    add_public_recommendations(ruritania, 1, [theme("women")])
    _headings, rows, total = table_of(page(client, ruritania))
    assert rows[-2] == ["Women deprived of liberty", "1", "0", "0", "0", "0", "0", "0", "1"]
    assert total[-1] == "9"


# The shaping, as units.


def test_public_statuses_in_their_order():
    assert [status for status, _label in public_statuses()] == STATUSES


class FakeTheme:
    def __init__(self, pk, name):
        self.pk, self.name, self.code = pk, name, f"theme{pk}"


def test_the_summary_lists_themes_in_the_order_given_and_other_last():
    summary = implementation_summary(
        {"implemented": 2, "not_assessed": 1},
        {
            (None, "not_assessed"): 1,
            (7, "implemented"): 2,
            (3, "implemented"): 1,
            (3, "not_assessed"): 1,
        },
        [FakeTheme(7, "Seventh"), FakeTheme(3, "Third"), FakeTheme(9, "Uncounted")],
    )
    assert [(row["name"], row["code"], row["counts"], row["total"]) for row in summary["rows"]] == [
        ("Seventh", "theme7", [2, 0, 0, 0, 0, 0, 0], 2),
        ("Third", "theme3", [1, 0, 0, 0, 0, 0, 1], 2),
        ("Other", "", [0, 0, 0, 0, 0, 0, 1], 1),
    ]
    # Each count with the status it counts, for the table's links to the list.
    assert summary["rows"][1]["cells"][0] == ("implemented", 1)
    assert summary["rows"][1]["cells"][-1] == ("not_assessed", 1)
    assert summary["totals"] == [2, 0, 0, 0, 0, 0, 1]
    assert summary["total"] == 3


def test_no_summary_and_no_chart_of_nothing():
    assert implementation_summary({}, {}, []) is None
    assert charts.implementation_chart(None) is None


def test_the_chart_divides_each_bar_in_proportion():
    summary = implementation_summary(
        {"implemented": 1, "not_implemented": 2, "not_assessed": 997},
        {(1, "implemented"): 1, (1, "not_implemented"): 2, (None, "not_assessed"): 997},
        [FakeTheme(1, "Prisons")],
    )
    chart = charts.implementation_chart(summary)
    overall, prisons, other = chart["bars"]
    assert (overall.name, overall.total, overall.overall) == ("All recommendations", 1000, True)
    assert [(bar.name, bar.total) for bar in (prisons, other)] == [("Prisons", 3), ("Other", 997)]
    left, right = chart["ticks"][0][1], chart["ticks"][-1][1]
    assert [label for label, _x in chart["ticks"]] == ["0%", "25%", "50%", "75%", "100%"]
    for bar in chart["bars"]:
        x = left
        for segment in bar.segments:  # side by side, from the left edge to the right one
            assert segment.x == pytest.approx(x, abs=0.02)
            x = segment.x + segment.width
        assert x == pytest.approx(right, abs=0.02)
    assert [(s.status, s.count, s.show_count) for s in overall.segments] == [
        ("implemented", 1, False),  # 0.68 px wide: the count does not fit
        ("not_implemented", 2, False),
        ("not_assessed", 997, True),
    ]
    assert [(s.count, s.show_count) for s in prisons.segments] == [(1, True), (2, True)]
    assert prisons.segments[1].width == pytest.approx(2 * prisons.segments[0].width, abs=0.02)
    assert overall.segments[0].title == "All recommendations, implemented: 1 of 1000"
    # Bars one under another, the axis under the last one.
    assert overall.y < prisons.y < other.y < chart["bottom"] < chart["tick_y"] < chart["height"]
    assert chart["legend"] == [
        ("implemented", "implemented"),
        ("not_implemented", "not implemented"),
        ("not_assessed", "not assessed"),
    ]


def test_each_count_links_to_the_list_of_exactly_those_recommendations(client, ruritania):
    """The table's counts are links to /recommendations/ filtered by the State, the theme
    (when the row is a theme) and the status: the list shows as many as the count says."""
    table = re.search(
        r'<table class="[^"]*implementation-numbers.*?</table>', page(client, ruritania), re.S
    ).group(0)
    links = re.findall(r'<a href="(/recommendations/\?[^"]+)">(\d+)</a>', table)
    assert links
    assert any("theme=" in href for href, _count in links)
    assert any("theme=" not in href for href, _count in links)
    for href, count in links:
        href = href.replace("&amp;", "&")
        assert f"state={ruritania.code}" in href
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.context["page"].paginator.count == int(count), href
