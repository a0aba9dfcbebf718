"""/non-cooperation/: the summary table with its filters and sort, the chart of
refusals by year and kind drawn as inline SVG with its numbers in a table, in English and
French; the figures agree with the exports; nothing confidential is ever shown."""

import datetime
import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests import noncooperation_data
from tests.noncooperation_data import PUBLIC_TODAY, TOMORROW
from tests.reading import body_of, date_forms, links_in, main_text, text_of

pytestmark = pytest.mark.django_db

D = datetime.date
NBSP = "\u00a0"


def page(client, query="", language="en"):
    response = client.get(f"/non-cooperation/?{query}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def table(markup, caption_id):
    """{State code: [cell texts]} of the table captioned ``caption_id``, in page order."""
    match = re.search(rf'<caption id="{caption_id}">.*?</table>', markup, re.S)
    assert match, caption_id
    rows = {}
    for code, cells in re.findall(
        r'<th scope="row"><a href="/states/(\w\w)/">.*?</a></th>(.*?)</tr>', match.group(0), re.S
    ):
        rows[code] = [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
    return rows


def headings(markup, caption_id):
    match = re.search(rf'<caption id="{caption_id}">.*?</thead>', markup, re.S)
    return [text_of(cell) for cell in re.findall(r"<th [^>]*>(.*?)</th>", match.group(0), re.S)]


# Status, refusals (all, unresolved, first, latest), statements (count, latest), reports
# (responses overdue, transmitted and not published, published, median days),
# recommendations (repeated, not implemented).
SUMMARY_EN = {
    "JA": [
        "party",
        "4",
        "2",
        "10 Oct. 2022",
        "20 May 2024",
        "1",
        "5 Dec. 2024",
        "1",
        "1",
        "1",
        "327",
        "0",
        "2",
    ],
    "JB": [
        "denunciation pending (takes effect on 1 March 2026)",
        *["3", "1", "11 Nov. 2023", "4 April 2025", "1", "March 2025", "0", "1", "2", "226.5"],
        *["1", "3"],
    ],
    "JC": [
        "former party (since 1 June 2023)",
        *["2", "2", "12 April 2021", "8 Aug. 2022", "0", "–", "1", "1", "1", "328", "0", "0"],
    ],
    "AZ": ["party", "0", "0", "–", "–", "1", "3 July 2024", "0", "0", "0", "–", "0", "0"],
    "BE": ["party", "0", "0", "–", "–", "1", "13 July 2017", "0", "0", "0", "–", "0", "0"],
    "BG": ["party", "0", "0", "–", "–", "2", "4 Nov. 2021", "0", "0", "0", "–", "0", "0"],
    "GR": ["party", "0", "0", "–", "–", "1", "15 March 2011", "0", "0", "0", "–", "0", "0"],
    "RU": ["party", "0", "0", "–", "–", "5", "Nov. 2024", "0", "0", "0", "–", "0", "0"],
    "TR": ["party", "0", "0", "–", "–", "2", "Dec. 1996", "0", "0", "0", "–", "0", "0"],
}


def test_summary_table_shows_the_expected_figures_most_refusals_first(noncooperation_site, client):
    markup = page(client)
    assert table(markup, "summary-caption") == SUMMARY_EN
    assert list(table(markup, "summary-caption")) == [row["state_code"] for row in PUBLIC_TODAY]
    assert headings(markup, "summary-caption") == [
        "State",
        "Status today",
        "Refusals to co-operate",
        "Public statements",
        "Reports on completed visits",
        "Recommendations",
        "All refusals ▼",
        "Unresolved",
        "First",
        "Latest",
        "Public statements",
        "Latest statement",
        "Responses overdue",
        "Transmitted, not published",
        "Published reports",
        "Median days to publication",
        "Repeated",
        "Not implemented",
    ]


def test_refusals_by_kind_table_has_a_column_for_each_kind_that_occurs(noncooperation_site, client):
    markup = page(client)
    assert headings(markup, "kinds-caption") == [
        "State",
        "Access to a place refused",
        "Access to a place delayed",
        "Private interviews refused",
        "Request for information unanswered",
        "Response to a report overdue",
        "Reprisals against persons met",
        "Visit postponed (Article 9)",
        "Other",
        "All refusals ▼",
    ]
    rows = table(markup, "kinds-caption")
    assert rows["JA"] == ["1", "1", "1", "1", "0", "0", "0", "0", "4"]
    assert rows["JB"] == ["0", "0", "0", "0", "1", "1", "1", "0", "3"]
    assert rows["JC"] == ["1", "0", "0", "0", "0", "0", "0", "1", "2"]
    # The kinds asked for have their column even when nothing matches.
    markup = page(client, "kind=expert_refused&include_empty=1&state=JA")
    assert headings(markup, "kinds-caption") == [
        "State",
        "Expert refused (Article 14(3))",
        "All refusals ▼",
    ]
    assert table(markup, "kinds-caption") == {"JA": ["0", "0"]}


def test_page_and_exports_agree(noncooperation_site, client):
    """The page's figures are the CSV's, row for row, in the same order."""
    for query in ["", "sort=state", "since=2024-01-01&until=2024-12-31", "kind=access_refused"]:
        rows = table(page(client, query), "summary-caption")
        text = body_of(client.get(f"/non-cooperation/export.csv?{query}")).decode()
        exported = [line.split(",") for line in text.splitlines()[2:]]
        assert list(rows) == [line[0] for line in exported], query
        for line in exported:
            code, total, unresolved = line[0], line[16], line[17]
            assert rows[code][1:3] == [total, unresolved], (query, code)
            overdue, unpublished, published = line[23], line[24], line[25]
            assert rows[code][7:10] == [overdue, unpublished, published], (query, code)
            repeated, not_implemented = line[27], line[28]
            assert rows[code][11:13] == [repeated, not_implemented], (query, code)


def test_by_year_adds_a_year_column(noncooperation_site, client):
    markup = page(client, "by_year=1&state=JA&sort=year")
    assert headings(markup, "summary-caption")[:3] == ["State", "Year ▲", "Status today"]
    match = re.search(r'<caption id="summary-caption">.*?</table>', markup, re.S)
    years = re.findall(r'</a></th>\s*<td class="">(\d{4})</td>', match.group(0))
    assert years == ["2022", "2023", "2024"]


def test_states_with_nothing_to_report_appear_when_asked(noncooperation_site, client):
    assert "JD" not in table(page(client), "summary-caption")
    markup = page(client, "include_empty=1&state=JD")
    assert table(markup, "summary-caption") == {
        "JD": ["party", "0", "0", "–", "–", "0", "–", "0", "0", "0", "–", "0", "0"]
    }
    markup = page(client, "state=JD")
    assert "No State has anything to report for these filters." in markup
    assert 'href="?state=JD&amp;include_empty=1"' in markup


def test_column_headings_link_to_their_sort(noncooperation_site, client):
    markup = page(client, "state=JA&state=JB")
    assert '<a href="?state=JA&amp;state=JB&amp;sort=state">State</a>' in markup
    assert '<a href="?state=JA&amp;state=JB&amp;sort=-refusals_unresolved">Unresolved</a>' in markup
    # The current sort is marked, and its heading reverses it.
    assert (
        '<th scope="col" class="num" aria-sort="descending">'
        '<a href="?state=JA&amp;state=JB&amp;sort=refusals_total">All refusals</a>'
    ) in markup
    markup = page(client, "sort=state")
    assert '<th scope="col" rowspan="2" aria-sort="ascending"><a href="?sort=-state">' in markup
    assert list(table(markup, "summary-caption")) == [
        "AZ", "BE", "JC", "BG", "GR", "JA", "RU", "JB", "TR"
    ]  # fmt: skip


def test_recommendations_columns_sort_like_the_others(noncooperation_site, client):
    markup = page(client, "sort=-recommendations_not_implemented")
    assert list(table(markup, "summary-caption"))[:3] == ["JB", "JA", "AZ"]
    assert (
        '<th scope="col" class="num" aria-sort="descending">'
        '<a href="?sort=recommendations_not_implemented">Not implemented</a>'
    ) in markup
    assert '<a href="?sort=-recommendations_repeated">Repeated</a>' in markup
    markup = page(client, "sort=recommendations_repeated")
    assert list(table(markup, "summary-caption"))[-1] == "JB"


def test_recommendations_of_a_report_published_tomorrow_show_from_tomorrow(
    noncooperation_site, client, today
):
    """jb5 repeats jb4; rb2's assessment of jb3 (implemented) overrides rb1's."""
    assert table(page(client, "state=JB"), "summary-caption")["JB"][11:] == ["1", "3"]
    today(TOMORROW)
    assert table(page(client, "state=JB"), "summary-caption")["JB"][11:] == ["2", "2"]


def test_filters_show_what_is_selected(noncooperation_site, client):
    markup = page(client, "state=ja&kind=reprisal&since=2020-01-01&by_year=1&sort=state")
    assert '<input type="checkbox" name="state" value="JA" id="id_state_JA" checked>' in markup
    assert '<input type="checkbox" name="state" value="JB" id="id_state_JB">' in markup
    assert (
        '<input type="checkbox" name="kind" value="reprisal" id="id_kind_reprisal" checked>'
        in markup
    )
    assert '<input type="date" name="since" id="id_since" value="2020-01-01">' in markup
    assert '<input type="date" name="until" id="id_until" value="">' in markup
    assert 'name="by_year" value="1" id="id_by_year" checked>' in markup
    assert 'name="include_empty" value="1" id="id_include_empty">' in markup
    assert '<input type="hidden" name="sort" value="state">' in markup
    assert (
        'name="sort"' not in page(client, "state=JA").split('class="filters')[1].split("</form>")[0]
    )
    # The download links keep the filters.
    assert (
        'href="/non-cooperation/export.csv?state=ja&amp;kind=reprisal&amp;since=2020-01-01'
        '&amp;by_year=1&amp;sort=state"'
    ) in markup


def test_chart_is_inline_svg_with_a_text_alternative_and_its_numbers(noncooperation_site, client):
    markup = page(client)
    svg = re.search(r"<svg class=\"chart-svg\".*?</svg>", markup, re.S).group(0)
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in svg
    assert (
        '<title id="chart-title">Disclosed refusals to co-operate by year and kind</title>' in svg
    )
    assert (
        '<desc id="chart-desc">Stacked bars, one per year from 2021 to 2025, one colour per kind '
        "of refusal: 9 refusals in all, the most in 2024 (3). The numbers are in the table below "
        "the chart.</desc>"
    ) in svg
    assert len(re.findall(r"<rect class=\"kind-", svg)) == 9
    assert "<title>2024, access to a place delayed: 1</title>" in svg
    assert [int(year) for year in re.findall(r'text-anchor="middle">(\d{4})</text>', svg)] == [
        2021,
        2022,
        2023,
        2024,
        2025,
    ]
    assert "<script" not in markup
    legend = re.search(r'<ul class="chart-legend".*?</ul>', markup, re.S).group(0)
    assert text_of(legend) == (
        "Access to a place refused Access to a place delayed Private interviews refused "
        "Request for information unanswered Response to a report overdue Reprisals against "
        "persons met Visit postponed (Article 9) Other"
    )
    numbers = re.search(r'<caption id="chart-table-caption">.*?</table>', markup, re.S).group(0)
    assert text_of(numbers).endswith(
        "2021 0 0 0 0 0 0 0 1 1 2022 1 0 0 1 0 0 0 0 2 2023 1 0 0 0 0 1 0 0 2 "
        "2024 0 1 1 0 1 0 0 0 3 2025 0 0 0 0 0 0 1 0 1 All years 2 1 1 1 1 1 1 1 9"
    )


def test_chart_takes_the_filters_and_says_when_there_is_nothing(noncooperation_site, client):
    markup = page(client, "state=JC")
    assert "one per year from 2021 to 2022" in markup
    markup = page(client, "kind=expert_refused")
    assert '<svg class="chart-svg"' not in markup
    assert "No disclosed refusal matches these filters." in markup


def test_a_refusal_disclosed_tomorrow_shows_from_tomorrow(noncooperation_site, client, today):
    assert table(page(client, "state=JA"), "summary-caption")["JA"][1:3] == ["4", "2"]
    today(TOMORROW)
    assert table(page(client, "state=JA"), "summary-caption")["JA"][1:3] == ["5", "3"]


SUMMARY_FR_JB = [
    "dénonciation en cours (prend effet le 1 mars 2026)",
    *["3", "1", "11 nov. 2023", "4 avr. 2025", "1", "mars 2025", "0", "1", "2", "226,5"],
    *["1", "3"],
]


def test_page_in_french(noncooperation_site, client):
    markup = page(client, language="fr")
    assert '<html lang="fr">' in markup
    assert "<h1>Non-coopération des États</h1>" in markup
    assert table(markup, "summary-caption")["JB"] == SUMMARY_FR_JB
    assert table(markup, "summary-caption")["JC"][0] == "ancien État partie (depuis le 1 juin 2023)"
    french = headings(markup, "summary-caption")
    assert french[:7] == [
        "État",
        "Statut à ce jour",
        "Refus de coopérer",
        "Déclarations publiques",
        "Rapports sur des visites achevées",
        "Recommandations",
        "Tous les refus ▼",
    ]
    assert f"Télécharger ce résumé{NBSP}:" in markup
    text = main_text(markup)
    assert "Refus rendus publics, par année et par type" in text
    assert "Accès à un lieu refusé" in text
    assert "Access to a place refused" not in text
    assert "Stacked bars" not in markup


def test_bad_parameter_is_explained_in_french(noncooperation_site, client):
    response = client.get("/non-cooperation/?kind=torture", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "torture n'est pas un type de refus connu." in text_of(response.content.decode())


def test_navigation_and_home_page_link_to_the_summary(noncooperation_site, client):
    home = client.get("/").content.decode()
    assert home.count('href="/non-cooperation/"') == 2  # the navigation and the home page
    assert '<a href="/non-cooperation/" aria-current="page">Non-cooperation</a>' in page(client)


def test_page_query_count_does_not_grow_with_states_and_refusals(
    noncooperation_site, client, django_assert_num_queries
):
    # The version of the published data (visits/cache.py), the State choices of the form,
    # the summary's seven queries and the chart's one.
    with django_assert_num_queries(10):
        page(client, "by_year=1&include_empty=1")
    noncooperation_data.many_states(20, refusals_each=6, reports_each=3)
    with django_assert_num_queries(10):
        markup = page(client, "by_year=1&include_empty=1")
    assert "Multiplied 19" in markup


# Nothing confidential, anywhere: in both languages, the summary and its exports with filters
# that aim at the secrets, and every link of the unfiltered page (sorts, exports).

SECRET_QUERIES = [
    "",
    "include_empty=1&by_year=1",
    "kind=expert_refused&kind=recommendations_ignored&kind=information_withheld",
    "state=JA&since=2024-06-03&until=2024-06-03",
    "state=JC&since=2022-09-09&until=2022-09-09&include_empty=1",
    "since=2025-06-01&by_year=1&include_empty=1",
]


def crawl(client, language):
    """{url: (status, body)}: each secret query on the page and both exports, then every
    link of the first page that stays on the summary."""
    urls = [
        f"/non-cooperation/{path}?{query}"
        for query in SECRET_QUERIES
        for path in ("", "export.csv", "export.json")
    ]
    answers = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        answers[url] = (response.status_code, body_of(response).decode())
    for link in links_in(answers[urls[0]][1]):
        target = urlsplit(urljoin(f"http://testserver{urls[0]}", link))
        if target.netloc == "testserver" and target.path.startswith("/non-cooperation/"):
            url = target.path + (f"?{target.query}" if target.query else "")
            if url not in answers:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                answers[url] = (response.status_code, body_of(response).decode())
    return answers


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_internal_note_or_undisclosed_refusal_in_any_public_answer(
    noncooperation_site, client, language
):
    answers = crawl(client, language)
    # The secret queries; then 22 sorts (14 columns of the summary, 8 of the kinds), the
    # summary and its two exports without a query.
    assert len(answers) == 18 + 25
    assert {status for status, _body in answers.values()} == {200}
    secret_dates = set().union(*map(date_forms, noncooperation_site.secret_dates))
    leaks = []
    for url, (_status, body) in answers.items():
        # A date the reader typed is written back in the filters and links: not a leak.
        asked = set().union(*map(date_forms, map(D.fromisoformat, ISO_DATE.findall(url))))
        leaks += [(url, marker) for marker in noncooperation_site.markers if marker in body]
        leaks += [(url, day) for day in secret_dates - asked if day in body]
    assert len(noncooperation_site.markers) == 35  # with 4 recommendations' texts, 4 notes
    assert leaks == []


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
