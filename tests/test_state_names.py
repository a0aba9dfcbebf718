"""A State's name follows the interface's language (CLDR's names through django-countries);
the stored name is kept for a code CLDR does not list (Kosovo under XK) and for a demo State.
A State's code is read in either ISO form, alpha-2 or alpha-3, in any case."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from tests import factories
from tests.reading import body_of, report_ids_in
from visits import countries
from visits.exports import report_csv_lines
from visits.models import State
from visits.parameters import report_filter

ATOM = "{http://www.w3.org/2005/Atom}"
D = datetime.date
STORED = {
    "DE": "Germany",
    "GR": "Greece",  # from the reference data
    "XK": "Kosovo*",  # no ISO code: CLDR has no name for XK
    "JV": "Vulgaria",  # a demo State
    "FR": "Freedonia (demo)",  # a demo State under a real code
}
DEMO = {"JV", "FR"}
NAMES = {
    "en": STORED,
    "fr": {**STORED, "DE": "Allemagne", "GR": "Grèce"},
}
# The one name of each language the other never shows: DE has no public statement or title
# that names it.
ONLY_IN = {"en": "Germany", "fr": "Allemagne"}
OTHER = {"en": "fr", "fr": "en"}
LANGUAGES = ["en", "fr"]


# The units: visits/countries.py


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("RU", "RU"),
        ("ru", "RU"),
        ("RUS", "RU"),
        ("rus", "RU"),
        (" Grc ", "GR"),
        ("FRA", "FR"),
        ("XK", None),  # Kosovo: no ISO code, and django-countries does not list XK
        ("XKX", None),
        ("JV", None),  # a demo State's fictional code
        ("ZZZ", None),
        ("643", None),  # the Russian Federation's numeric code is not a code we read
        ("R", None),
        ("RUSS", None),
        ("", None),
        ("ÉÉ", None),
    ],
)
def test_to_alpha2_reads_alpha2_and_alpha3_codes_in_any_case(code, expected):
    assert countries.to_alpha2(code) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("rus", "RU"), ("GRC", "GR"), ("gr", "GR"), ("xk", "XK"), ("jv", "JV"), ("zzz", "ZZZ")],
)
def test_state_code_turns_alpha3_into_alpha2_and_keeps_other_codes_in_capitals(value, expected):
    assert countries.state_code(value) == expected


@pytest.mark.parametrize(
    ("language", "code", "stored", "expected"),
    [
        ("en", "GR", "Greece", "Greece"),
        ("fr", "GR", "Greece", "Grèce"),
        ("en", "RU", "Russian Federation", "Russia"),
        ("fr", "RU", "Russian Federation", "Russie"),
        ("fr", "TR", "Türkiye", "Turquie"),
        ("fr", "DE", "Germany", "Allemagne"),
        ("en", "XK", "Kosovo*", "Kosovo*"),
        ("fr", "XK", "Kosovo*", "Kosovo*"),
        ("fr", "JV", "Vulgaria", "Vulgaria"),
    ],
)
def test_state_name_is_cldrs_in_the_active_language_or_the_stored_one(
    language, code, stored, expected
):
    with translation.override(language):
        assert countries.state_name(code, stored) == expected


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_demo_state_keeps_its_stored_name_even_under_a_real_code(language):
    with translation.override(language):
        assert countries.state_name("FR", "Freedonia (demo)", is_demo=True) == "Freedonia (demo)"


def test_state_name_in_a_given_language_ignores_the_active_one():
    with translation.override("en"):
        assert countries.state_name("GR", "Greece", language="fr") == "Grèce"
    with translation.override("fr"):
        assert countries.state_name("GR", "Greece", language="en") == "Greece"


def test_names_sort_without_accents_or_case():
    names = ["Zambie", "France", "Émirats arabes unis", "allemagne", "Autriche"]
    assert sorted(names, key=countries.sort_key) == [
        "allemagne",
        "Autriche",
        "Émirats arabes unis",
        "France",
        "Zambie",
    ]


def test_by_name_sorts_choices_by_their_names():
    choices = [("TR", "Turquie"), ("AE", "Émirats arabes unis"), ("FR", "France")]
    assert countries.by_name(choices) == [
        ("AE", "Émirats arabes unis"),
        ("FR", "France"),
        ("TR", "Turquie"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_database_writes_and_sorts_by_the_names_shown(language):
    """name_in_sql and rank_in_sql: what the CSV written by PostgreSQL and the report list
    sorted by State use."""
    factories.StateFactory(code="DE", name="Germany")
    factories.StateFactory(code="XK", name="Kosovo*")
    factories.StateFactory(code="FR", name="Freedonia (demo)", is_demo=True)
    states = State.private_objects.filter(code__in=["DE", "FR", "GR", "XK"])
    with translation.override(language):
        names = countries.name_in_sql("code", "name", states.values_list("code", "name", "is_demo"))
        shown = dict(states.annotate(shown=names).values_list("code", "shown"))
        order = countries.by_name(shown.items())
    assert shown == {code: NAMES[language][code] for code in ["DE", "FR", "GR", "XK"]}
    codes = [code for code, _name in order]
    rank = countries.rank_in_sql("code", codes)
    ranked = State.private_objects.order_by(rank, "code").values_list("code", flat=True)
    # The codes not listed come after the others.
    assert list(ranked) == [*codes, "AZ", "BE", "BG", "RU", "TR"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["Greece", "Kosovo*", "Vulgaria"]), ("fr", ["Grèce", "Kosovo*", "Vulgaria"])],
)
def test_a_states_display_name_follows_the_language(language, expected):
    states = [
        factories.StateFactory(code="GR"),
        factories.StateFactory(code="XK", name="Kosovo*"),
        factories.StateFactory(code="JV", name="Vulgaria", is_demo=True),
    ]
    with translation.override(language):
        assert [state.display_name for state in states] == expected
    assert [state.name for state in states] == ["Greece", "Kosovo*", "Vulgaria"]


# Every public page, the feed and the exports, in the request's language.


@pytest.fixture
def named_states(db, today):
    """A State of each kind above, each with a published report on a completed visit and a
    disclosed refusal; {code: report}."""
    today(D(2025, 6, 15))
    reports = {}
    for code, name in STORED.items():
        state = factories.StateFactory(code=code, name=name, is_demo=code in DEMO)
        visit = factories.VisitFactory(state=state)
        factories.VisitedPlaceFactory(visit=visit)
        reports[code] = factories.ReportFactory(
            visit=visit, title=f"Report {code}", reference=f"CPT/Inf (2024) {code}"
        )
        factories.CooperationRefusalFactory(state=state)
    return reports


def get(client, url, language, status=200):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status, url
    return response


def page(client, url, language):
    markup = get(client, url, language).content.decode()
    assert f'<html lang="{language}">' in markup
    assert ONLY_IN[language] in markup
    assert ONLY_IN[OTHER[language]] not in markup
    return markup


def linked_names(markup):
    """{code: name} of the links to State pages, in the order of the page."""
    return dict(re.findall(r'<a href="/states/([A-Z]{2})/">([^<]+)</a>', markup))


def labelled_states(markup):
    """{code: name} of the State checkboxes of a filter panel, in their order."""
    found = re.findall(r'<label for="id_state_([A-Z]{2})">([^<]*?)\s*(?:<span|</label>)', markup)
    return dict(found)


def ours(names):
    """The entries of ``names`` for the States of the fixture."""
    return {code: name for code, name in names.items() if code in STORED}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_names_states_in_the_language(named_states, client, language):
    assert ours(linked_names(page(client, "/", language))) == NAMES[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_list_names_states_in_the_language(named_states, client, language):
    markup = page(client, "/reports/", language)
    assert ours(linked_names(markup)) == NAMES[language]
    panel = labelled_states(markup)
    assert panel == NAMES[language]
    assert list(panel.values()) == sorted(NAMES[language].values(), key=countries.sort_key)


def test_the_filter_panel_is_in_each_language_in_turn(named_states, client):
    """The State choices are cached per language: the panel asked for in French after
    English (and back) is in French."""
    for language in ["en", "fr", "en"]:
        assert labelled_states(page(client, "/reports/?year=2024", language)) == NAMES[language]


@pytest.mark.parametrize(
    ("language", "order"),
    [("en", ["FR", "DE", "GR", "XK", "JV"]), ("fr", ["DE", "FR", "GR", "XK", "JV"])],
)
def test_sorted_by_state_the_list_follows_the_names_shown(named_states, client, language, order):
    """Freedonia comes before Germany, after Allemagne. The ids sorted by State are cached
    per language: each language in turn gets its own order."""
    for asked in [OTHER[language], language]:
        markup = page(client, "/reports/?sort=state", asked)
    assert list(ours(linked_names(markup))) == order
    rows = json.loads(body_of(get(client, "/reports/export.json?sort=state", language)))
    assert [row["state_code"] for row in rows["reports"]] == order


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_report_page_names_its_state_in_the_language(named_states, client, language):
    for code, report in named_states.items():
        markup = get(client, f"/reports/{report.pk}/", language).content.decode()
        assert linked_names(markup) == {code: NAMES[language][code]}


@pytest.mark.parametrize(
    ("language", "order"),
    [
        ("en", ["AZ", "BE", "BG", "FR", "DE", "GR", "XK", "RU", "TR", "JV"]),
        ("fr", ["DE", "AZ", "BE", "BG", "FR", "GR", "XK", "RU", "TR", "JV"]),
    ],
)
def test_the_states_list_names_and_sorts_states_in_the_language(
    named_states, client, language, order
):
    names = linked_names(page(client, "/states/", language))
    assert list(names) == order
    assert ours(names) == NAMES[language]
    assert names["RU"] == {"en": "Russia", "fr": "Russie"}[language]
    assert names["AZ"] == {"en": "Azerbaijan", "fr": "Azerbaïdjan"}[language]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", list(STORED))
def test_a_state_page_names_the_state_in_the_language(named_states, client, language, code):
    markup = get(client, f"/states/{code}/", language).content.decode()
    name = NAMES[language][code]
    assert f"<h1>{name} <span" in markup
    assert f"<title>{name} · " in markup


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_noncooperation_page_names_states_in_the_language(named_states, client, language):
    markup = page(client, "/non-cooperation/?include_empty=1&sort=state", language)
    table = re.search(r"<table\b.*?</table>", markup, re.S).group(0)
    shown = re.findall(r'<th scope="row"><a href="/states/([A-Z]{2})/">([^<]+)</a>', table)
    assert ours(dict(shown)) == NAMES[language]
    names = [name for _code, name in shown]
    assert names == sorted(names, key=countries.sort_key)
    assert ours(labelled_states(markup)) == NAMES[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_feed_names_states_in_the_language(named_states, client, language):
    root = ET.fromstring(body_of(get(client, "/reports/feed/", language)))
    authors = {
        entry.find(f"{ATOM}title").text[-2:]: entry.find(f"{ATOM}author/{ATOM}name").text
        for entry in root.findall(f"{ATOM}entry")
    }
    assert authors == NAMES[language]


def csv_rows(response):
    text = body_of(response).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_exports_name_states_in_the_language(named_states, client, language):
    rows = csv_rows(get(client, "/reports/export.csv", language))
    assert {row["state_code"]: row["state"] for row in rows} == NAMES[language]
    document = json.loads(body_of(get(client, "/reports/export.json", language)))
    assert {row["state_code"]: row["state"] for row in document["reports"]} == NAMES[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_noncooperation_exports_name_states_in_the_language(named_states, client, language):
    response = get(client, "/non-cooperation/export.csv", language)
    text = body_of(response).decode("utf-8")
    _heading, *lines = csv.reader(io.StringIO(text[1:]))
    rows = [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]
    expected = {**NAMES[language], "RU": {"en": "Russia", "fr": "Russie"}[language]}
    shown = {row["state_code"]: row["state"] for row in rows}
    assert {code: shown[code] for code in expected} == expected
    document = json.loads(body_of(get(client, "/non-cooperation/export.json", language)))
    assert {row["state_code"]: row["state"] for row in document["summary"]} == shown


def test_the_language_cookie_names_states_in_french(named_states, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    markup = client.get("/reports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ours(linked_names(markup)) == NAMES["fr"]
    rows = csv_rows(client.get("/reports/export.csv"))
    assert {row["state_code"]: row["state"] for row in rows} == NAMES["fr"]


def test_an_export_read_after_another_request_keeps_its_own_language(named_states, client):
    """An export is written as it is sent, after its view has returned: in the language of
    its own request, not the one a later request left active."""
    french = get(client, "/reports/export.csv", "fr")
    english = get(client, "/reports/export.json", "en")
    assert {row["state_code"]: row["state"] for row in csv_rows(french)} == NAMES["fr"]
    document = json.loads(body_of(english))
    assert {row["state_code"]: row["state"] for row in document["reports"]} == NAMES["en"]


@pytest.mark.parametrize("use_copy", [False, True])
def test_both_ways_of_writing_the_csv_name_states_in_the_requests_language(
    named_states, rf, use_copy
):
    """Python's csv writer, and PostgreSQL's COPY, which writes the names itself."""
    if use_copy and connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    request = rf.get("/reports/export.csv?sort=state")
    with translation.override("fr"):  # the view, in the request's language
        request.LANGUAGE_CODE = "fr"  # as LocaleMiddleware sets it
        lines = report_csv_lines(report_filter(request).qs, request, use_copy=use_copy)
    with translation.override("en"):  # the body, sent once another request set English
        text = "".join(piece.decode() if isinstance(piece, bytes) else piece for piece in lines)
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(row["state_code"], row["state"]) for row in rows] == [
        ("DE", "Allemagne"),
        ("FR", "Freedonia (demo)"),
        ("GR", "Grèce"),
        ("XK", "Kosovo*"),
        ("JV", "Vulgaria"),
    ]


# Alpha-3 codes: in a State's address and in the filters.


@pytest.mark.parametrize(
    ("code", "target"),
    [("RUS", "RU"), ("rus", "RU"), ("Grc", "GR"), ("DEU", "DE"), ("fra", "FR")],
)
def test_a_states_alpha3_address_redirects_for_good_to_its_alpha2_one(
    named_states, client, code, target
):
    response = client.get(f"/states/{code}/")
    assert response.status_code == 301
    assert response["Location"] == f"/states/{target}/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("code", ["RUX", "JPN", "XKX", "ZZZ", "643", "R1S"])
def test_an_alpha3_code_of_no_state_we_hold_answers_404(named_states, client, code):
    """RUX and ZZZ are no country's; JPN is Japan's, which we do not hold; XKX is sometimes
    used for Kosovo but is no ISO code, and CLDR does not list it."""
    assert client.get(f"/states/{code}/").status_code == 404


EXPORTS = [
    "/reports/export.csv",
    "/reports/export.json",
    "/non-cooperation/export.csv",
    "/non-cooperation/export.json",
]


@pytest.mark.parametrize("url", EXPORTS)
@pytest.mark.parametrize(
    ("alpha3", "alpha2"),
    [
        ("state=DEU", "state=DE"),
        ("state=deu&state=Grc", "state=DE&state=GR"),
        ("state=RUS", "state=RU"),
    ],
)
def test_an_alpha3_filter_gives_exactly_what_its_alpha2_code_gives(
    named_states, client, url, alpha3, alpha2
):
    expected = body_of(get(client, f"{url}?{alpha2}", "en"))
    assert body_of(get(client, f"{url}?{alpha3}", "en")) == expected
    assert body_of(get(client, f"{url}?{alpha3.lower()}", "en")) == expected
    assert expected != body_of(get(client, url, "en"))  # the filter narrows


def feed_entries(client, query):
    root = ET.fromstring(body_of(get(client, f"/reports/feed/?{query}", "fr")))
    return [
        (entry.find(f"{ATOM}id").text, entry.find(f"{ATOM}author/{ATOM}name").text)
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_filtered_by_alpha3_codes_has_the_entries_of_alpha2_codes(named_states, client):
    entries = feed_entries(client, "state=deu&state=GRC")
    assert entries == feed_entries(client, "state=DE&state=GR")
    assert sorted(name for _id, name in entries) == ["Allemagne", "Grèce"]


@pytest.mark.parametrize(
    ("alpha3", "alpha2", "codes"),
    [("state=DEU", "state=DE", {"DE"}), ("state=deu&state=GRC", "state=DE&state=GR", {"DE", "GR"})],
)
def test_the_pages_filtered_by_alpha3_codes_show_what_alpha2_codes_show(
    named_states, client, alpha3, alpha2, codes
):
    listed = page(client, f"/reports/?{alpha3}", "fr")
    assert report_ids_in(listed) == report_ids_in(page(client, f"/reports/?{alpha2}", "fr"))
    assert sorted(report_ids_in(listed)) == sorted(named_states[code].pk for code in codes)
    checked = re.findall(r'name="state" value="([A-Z]{2})" id="id_state_[A-Z]{2}" checked', listed)
    assert set(checked) == codes
    summary = page(client, f"/non-cooperation/?{alpha3}&include_empty=1", "fr")
    assert summary.count('<th scope="row">') == page(
        client, f"/non-cooperation/?{alpha2}&include_empty=1", "fr"
    ).count('<th scope="row">')
    table = re.search(r"<table\b.*?</table>", summary, re.S).group(0)
    assert set(linked_names(table)) == codes


@pytest.mark.parametrize("url", ["/reports/", "/reports/feed/", "/non-cooperation/", *EXPORTS])
@pytest.mark.parametrize("query", ["state=RUX", "state=JPN", "state=DEU&state=XKX"])
def test_an_unknown_alpha3_filter_answers_400_naming_the_parameter(
    named_states, client, url, query
):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    if url.endswith(".json"):
        assert list(response.json()["errors"]) == ["state"]
    else:
        assert "<code>state</code>" in response.content.decode()
