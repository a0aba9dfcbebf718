"""Property-based fuzzing (hypothesis) of every public URL and export.

Arbitrary strings (control characters, NUL, invalid UTF-8 sent percent-encoded or raw),
numbers (huge, negative, floats, scientific notation, other digits), dates (valid,
impossible, other formats), repeated parameters (a few, and more than Django's
DATA_UPLOAD_MAX_NUMBER_FIELDS), oversized values (10 kB), unknown parameter names and odd
encodings ('+', '%00', broken escapes) go to:

    /  /reports/  /reports/export.csv  /reports/export.json  /reports/feed/
    /reports/<id>/  /reports/<id>/file/  /reports/<id>/responses/<id>/file/
    /states/  /states/<code>/  /non-cooperation/ and its two exports
    /language/<code>/?next=...  /healthz

Properties (README, "The public site" and "The non-cooperation summary";
docs/confidentiality.md):

- never a 500, and no exception escapes the test client (streamed bodies are read whole);
- a value outside a parameter's documented domain answers 400 naming the parameter (a JSON
  body ``{"errors": {...}}`` for the JSON exports), and alone when it is the only invalid
  one; valid values answer 200, or 404 for a page past the end; unknown parameters change
  nothing;
- the language switch never redirects off-site, as a browser would read its Location;
- no body holds a confidential marker or date of the hand-built data sets, nor a
  confidential report's id, nor a count above the public one.

The oracle (``verdicts``) is written from the documented domains, not from the code: a
canonical value is VALID (200), a value no reading of the documentation allows is INVALID
(400), and the lenient band in between (surrounding whitespace, "2024.0", other Unicode
digits, "yes" for a flag...) is EITHER (200 or 400, never 500). Inputs known to be hard are
pinned with ``@example``.

Each test builds its data set once (``public_site`` or ``noncooperation_site``) and checks
every answer against it. Runs are bounded (``fuzz(n)``; ``FUZZ_SCALE=10`` runs ten times as
many) and hypothesis's example database is off: nothing is written outside the test
database.
"""

import csv
import datetime
import io
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, quote, quote_plus, unquote_to_bytes

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tests import noncooperation_data
from tests.reading import body_of, date_forms, report_ids_in
from visits.models import Document, Report, Response, State
from visits.noncooperation import SORTABLE_COLUMNS, SUMMARY_COLUMNS

pytestmark = pytest.mark.django_db

D = datetime.date
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))


def fuzz(examples):
    """Bounded runs: ``examples`` (times FUZZ_SCALE), no deadline (a database answers), no
    example database (nothing written outside tests)."""
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


# The documented domains (README). Codes of States are those of the data set in the test.

VISIT_TYPES = ["periodic", "ad_hoc"]
PLACE_TYPES = ["police", "prison", "immigration", "psychiatric", "social_care", "juvenile"]
PLACE_TYPES += ["military", "other"]
LANGUAGES = ["en", "fr"]
REPORT_SORTS = ["newest", "oldest", "visit", "state", "relevance"]
KINDS = ["access_refused", "access_delayed", "interview_refused", "expert_refused"]
KINDS += ["information_withheld", "request_unanswered", "response_overdue", "reprisal"]
KINDS += ["recommendations_ignored", "article9_postponement", "other"]
SUMMARY_SORTS = [*SORTABLE_COLUMNS, *(f"-{column}" for column in SORTABLE_COLUMNS)]
# README: "sort (a column name below...)"; these two columns are listed but not sortable.
UNSORTABLE = [column for column in SUMMARY_COLUMNS if column not in SORTABLE_COLUMNS]
UNSORTABLE += [f"-{column}" for column in UNSORTABLE]
FLAGS_DOCUMENTED = ["", "0", "1"]
FLAGS_LENIENT = ["", "0", "1", "true", "false", "yes", "no", "on", "off"]
STATE_CODES = ["JA", "JB", "JC", "JD", "RU", "AZ", "BE", "BG", "GR", "TR"]
# The alpha-3 codes of the real States among them, which read as their alpha-2 codes.
ALPHA3 = {"AZE": "AZ", "BEL": "BE", "BGR": "BG", "GRC": "GR", "RUS": "RU", "TUR": "TR"}

REPORT_FILTERS = ["state", "visit_type", "place_type", "year", "published_after"]
REPORT_FILTERS += ["published_before", "language", "q", "sort"]
SUMMARY_PARAMETERS = ["state", "kind", "since", "until", "by_year", "include_empty", "sort"]

REPORT_ENDPOINTS = ["/reports/", "/reports/export.csv", "/reports/export.json", "/reports/feed/"]
SUMMARY_ENDPOINTS = ["/non-cooperation/", "/non-cooperation/export.csv"]
SUMMARY_ENDPOINTS += ["/non-cooperation/export.json"]


# Strategies. A parameter travels as (name, value), both already written for the wire:
# percent-encoded UTF-8 (surrogates give invalid UTF-8), '+' for spaces, raw bytes, or odd
# escapes. What the server reads is computed from the wire text, as a server decodes it.


def wire(text):
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def wire_plus(text):
    return quote_plus(text.encode("utf-8", "surrogatepass"), safe="")


ODD = ["+", "%00", "%", "%Z", "%zz", "%2", "%FF", "%C0%80", "%ED%A0%80", "%F4%90%80%80"]
ODD += ["%EF%BB%BF", "%E2%80%AE", "%2B", "%3D", "%26", "%23", ";", "%0D%0A", "%09", "%20"]
ODD += ["+%2B+", "%25", "%2525", "%C3", "%E2%82", "%u0041", "%%", "=", "%3F", "%2F%2F"]

# Confidential texts of the data sets, sent as values (a search for one must find nothing).
PUBLIC_SITE_PROBES = ["CONFIDENTIAL-REPORT-TITLE", "CONF-NEVER-PUBLISHED"]
PUBLIC_SITE_PROBES += ["TOMORROW-REPORT-SUMMARY", "SECRET-PLANNED-VISIT-NOTE"]
PUBLIC_SITE_PROBES += ["SECRET-UNDISCLOSED-REFUSAL-SUMMARY"]
SUMMARY_PROBES = ["SECRET-REFUSAL-SUMMARY-R4", "INTERNAL-NOTE-R1", "SECRET-REPORT-TITLE-RA2"]
MARKER_PROBES = PUBLIC_SITE_PROBES + SUMMARY_PROBES
DATE_PROBES = ["2025-06-16", "2025-06-11", "2022-04-25", "2025-03-01", "2024-06-03"]

WORDS = [*VISIT_TYPES, *PLACE_TYPES, *LANGUAGES, *REPORT_SORTS, *KINDS, *SUMMARY_SORTS]
WORDS += [*UNSORTABLE, *FLAGS_LENIENT, *STATE_CODES, "XX", "ZZ", "JAP", "RUS", "true"]
VARIANTS = [
    lambda w: w,
    str.upper,
    str.lower,
    str.title,
    lambda w: f" {w} ",
    lambda w: f"\t{w}\n",
    lambda w: f"\u00a0{w}",
    lambda w: f"{w}\u200b",
    lambda w: f"{w}\x00",
    lambda w: f"{w},{w}",
]

TEXTS = st.one_of(
    st.text(max_size=30),  # any code point but surrogates: control characters, NUL...
    st.text(st.characters(codec="ascii"), max_size=30),
    st.text(st.characters(categories=["Cc", "Zs", "Cf"]), max_size=8),
)
NUMBERS = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(1980, 3010).map(str),
    st.floats().map(repr),  # nan, inf, -0.0, 1e+300
    st.floats(allow_nan=False, allow_infinity=False).map(lambda x: f"{x:e}"),
    st.integers(1989, 2999).map(lambda year: f"{year}.0"),
    st.floats(1989, 2999).map(repr),  # years with a fraction
    st.decimals(1989, 2999, places=2).map(str),
    st.sampled_from(
        ["1e5", "2.024e3", "2024e0", "+2024", "2_024", "0x7E8", "\u0662\u0660\u0662\u0664"]
        + ["\uff12\uff10\uff12\uff14", "1E+999999999", "1e-999999999", "-0", "NaN", "sNaN"]
        + ["Infinity", "-inf", "1/2", "2024.", ".5", "0", "00001", "٣", "²", "Ⅻ"]
    ),
    # Around Python's limit on the digits int() converts (sys.get_int_max_str_digits()).
    st.integers(1, 6000).map(lambda n: "9" * n),
)
DATES = st.one_of(
    st.dates().map(D.isoformat),
    st.dates(D(1989, 1, 1), D(2030, 12, 31)).map(D.isoformat),
    st.tuples(st.integers(-1, 10000), st.integers(-1, 99), st.integers(-1, 99)).map(
        lambda ymd: f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"
    ),
    st.dates().map(lambda day: f"{day.year}-{day.month}-{day.day}"),
    st.builds(
        lambda day, shape: day.strftime(shape),
        st.dates(D(1000, 1, 1)),
        st.sampled_from(
            ["%d/%m/%Y", "%m/%d/%Y", "%Y%m%d", "%d %B %Y", "%B %d, %Y", "%Y-%m-%dT00:00:00"]
            + ["%Y-%m-%d %H:%M", "%Y/%m/%d", "%d.%m.%Y", "%y-%m-%d", "%Y-%m", "%Y"]
        ),
    ),
    st.sampled_from(
        ["2024-13-45", "2024-02-30", "0000-00-00", "2024-00-10", "yesterday", "today"]
        + ["9999-12-31", "0001-01-01", "10000-01-01", "2024-1-1", " 2024-01-01 ", "-2024-01-01"]
    ),
)
DOMAIN = st.builds(
    lambda word, variant: variant(word), st.sampled_from(WORDS), st.sampled_from(VARIANTS)
)
OVERSIZED = st.builds(
    lambda unit, size: (unit * size)[:size],
    st.one_of(st.text(min_size=1, max_size=4), st.sampled_from(WORDS[:8])),
    st.integers(10_000, 10_240),
)
PROBES = st.sampled_from(MARKER_PROBES + DATE_PROBES)
VALUE_TEXTS = st.one_of(TEXTS, NUMBERS, DATES, DOMAIN, DOMAIN, OVERSIZED, PROBES)
RAW_WIRES = st.one_of(
    st.binary(max_size=24).map(lambda raw: quote(raw, safe="")),
    st.sampled_from(ODD),
    st.lists(st.sampled_from([*ODD, "2024", "JA", "a", "-"]), max_size=5).map("".join),
    # Bytes sent as they are, unescaped (a server passes them on as latin-1 in WSGI).
    st.text(
        st.characters(min_codepoint=0x21, max_codepoint=0xFF, exclude_characters="&#"), max_size=12
    ),
)
VALUES = st.one_of(VALUE_TEXTS.map(wire), VALUE_TEXTS.map(wire_plus), RAW_WIRES)

NAME_VARIANTS = [
    lambda n: n,
    str.upper,
    lambda n: f"{n}[]",
    lambda n: f" {n}",
    lambda n: f"{n}\x00",
]


def names(known):
    """Mostly the endpoint's known names, and unknown ones."""
    known_names = st.sampled_from(known)
    return st.one_of(
        known_names.map(wire),
        known_names.map(wire),
        known_names.map(wire),
        st.builds(lambda n, v: wire(v(n)), known_names, st.sampled_from(NAME_VARIANTS)),
        st.sampled_from(["utm_source", "colour", "page", "format", "csrfmiddlewaretoken"]),
        TEXTS.map(wire),
        RAW_WIRES,
    )


def queries(known):
    """A query string: a few parameters, perhaps one of them repeated many times (with one
    value, or many), perhaps past Django's limit on the number of fields."""
    pair = st.tuples(names(known), VALUES)
    lone = names(known).map(lambda name: (name, None))  # "name" without "="
    repeated = st.one_of(
        st.builds(
            lambda name, value, times: [(name, value)] * times,
            st.sampled_from(known).map(wire),
            VALUES,
            st.one_of(st.integers(2, 30), st.integers(995, 1005)),
        ),
        st.builds(
            lambda name, values: [(name, value) for value in values],
            st.sampled_from(known).map(wire),
            st.lists(VALUES, min_size=2, max_size=12),
        ),
    )
    return st.builds(
        lambda pairs, more: render([*pairs, *(p for block in more for p in block)]),
        st.lists(st.one_of(pair, pair, pair, lone), max_size=6),
        st.lists(repeated, max_size=1),
    )


def render(pairs):
    return "&".join(name if value is None else f"{name}={value}" for name, value in pairs)


def valid_queries(domains):
    """Only documented, canonical values: {name: strategy of a list of values}."""
    return st.fixed_dictionaries({}, optional=domains).map(
        lambda chosen: render([(name, wire(v)) for name, values in chosen.items() for v in values])
    )


ACCEPT_LANGUAGES = st.one_of(
    st.sampled_from(["en", "fr", "fr-CH, fr;q=0.9, en;q=0.8", "*", "de", ""]),
    st.text(st.characters(max_codepoint=0xFF), max_size=40),
)


# What the server reads, and what it must answer.

VALID, EITHER, INVALID = "valid", "either", "invalid"
RANK = {VALID: 0, EITHER: 1, INVALID: 2}


def read(query):
    """[(name, value)] as a server reads the query string (UTF-8, else latin-1), and
    whether it holds more fields than Django accepts."""
    raw = query.encode("latin-1")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    too_many = (text.count("&") + 1 if text else 0) > django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return parse_qsl(text, keep_blank_values=True), too_many


def choice(domain, *, fold=str, empty=VALID, lenient=()):
    """A value of ``domain`` (after ``fold``: any case where documented); with surrounding
    whitespace, or one of ``lenient``, perhaps."""

    def verdict(value):
        if value == "":
            return empty
        if fold(value) in domain:
            return VALID
        if fold(value.strip()) in domain or fold(value.strip()) in lenient:
            return EITHER
        return INVALID

    return verdict


def year(value):
    """Year the visit started: a whole number from 1989 to 2999 (the FilterSet's bounds)."""
    if value == "":
        return VALID
    if re.fullmatch(r"[0-9]+", value):
        digits = value.lstrip("0")
        return VALID if len(digits) == 4 and 1989 <= int(digits) <= 2999 else INVALID
    try:
        number = float(value.strip())  # "2024.0", " 2024", "2.024e3", other digits
    except ValueError:
        return INVALID
    if number == number and number.is_integer() and 1989 <= number <= 2999:
        return EITHER
    return INVALID


def lenient_date(value):
    try:
        return datetime.datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


def iso_date(value):
    """YYYY-MM-DD."""
    if value == "":
        return VALID
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            D.fromisoformat(value)
            return VALID
        except ValueError:
            return INVALID
    return EITHER if lenient_date(value) else INVALID  # "2024-1-5", " 2024-01-05"


def search(value):
    """Words: at most 200 characters, no NUL."""
    if "\x00" in value:
        return INVALID
    if len(value) <= 200:
        return VALID
    return EITHER if len(value.strip()) <= 200 else INVALID


def page(value):
    """A whole number, 1 or more, written plainly."""
    if value == "":
        return EITHER
    return VALID if re.fullmatch(r"[1-9][0-9]*", value) else INVALID


def state_code(value):
    """A State's code as read: any case, alpha-2, or alpha-3 for a real State."""
    return ALPHA3.get(value.upper(), value.upper())


def state_choice(codes):
    return choice(set(codes), fold=state_code, empty=EITHER)


def report_rules(codes, with_page):
    rules = {
        "state": state_choice(codes),
        "visit_type": choice(VISIT_TYPES),
        "place_type": choice(PLACE_TYPES),
        "year": year,
        "published_after": iso_date,
        "published_before": iso_date,
        "language": choice(LANGUAGES),
        "q": search,
        "sort": choice(REPORT_SORTS),
    }
    if with_page:
        rules["page"] = page
    return rules


def summary_rules(codes):
    return {
        "state": state_choice(codes),
        "kind": choice(KINDS, fold=str.lower, empty=EITHER),
        "since": iso_date,
        "until": iso_date,
        "by_year": choice(FLAGS_DOCUMENTED, fold=str.lower, lenient=FLAGS_LENIENT),
        "include_empty": choice(FLAGS_DOCUMENTED, fold=str.lower, lenient=FLAGS_LENIENT),
        "sort": choice(SUMMARY_SORTS, lenient=UNSORTABLE),
    }


REPEATABLE = {"state", "kind"}


def verdicts(rules, pairs):
    """{name: VALID | EITHER | INVALID} for the known parameters present. A single-valued
    parameter given twice keeps its last value; a repeatable one must be right every time."""
    values = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    result = {}
    for name, rule in rules.items():
        if name not in values:
            continue
        judged = [rule(value) for value in values[name]]
        result[name] = max(judged, key=RANK.get) if name in REPEATABLE else judged[-1]
    if "since" in rules and "since" in values and "until" in values:
        since, until = lenient_date(values["since"][-1]), lenient_date(values["until"][-1])
        if since and until and until < since and result["until"] != INVALID:
            both = result["since"] == result["until"] == VALID
            result["until"] = INVALID if both else EITHER
    return result, values


def named(response, body):
    """The parameters a 400 answer names: the keys of a JSON body's errors, or the <code>
    names in the page's list of errors."""
    if response["Content-Type"].startswith("application/json"):
        errors = json.loads(body)["errors"]
        assert isinstance(errors, dict)
        assert all(isinstance(m, str) and m for messages in errors.values() for m in messages)
        return set(errors)
    assert response["Content-Type"].startswith("text/html")
    match = re.search(r'<ul class="errors">(.*?)</ul>', body.decode(), re.S)
    assert match, "the 400 page lists no errors"
    return set(re.findall(r"<code>([^<]*)</code>", match.group(1)))


def check_status(response, body, rules, query, page_past_end=False):
    """The status the documentation promises for ``query``; returns the verdicts."""
    pairs, too_many = read(query)
    judged, values = verdicts(rules, pairs)
    status = response.status_code
    assert status < 500, status
    if too_many:  # Django refuses the request before the view reads it
        event(f"answer {status}: more than {django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields")
        assert status == 400
        return judged, values
    invalid = {name for name, verdict in judged.items() if verdict == INVALID}
    either = {name for name, verdict in judged.items() if verdict == EITHER}
    past_end = page_past_end and judged.get("page") == VALID and values["page"][-1] != "1"
    ok = 404 if past_end else 200
    event(f"answer {status}: " + ("invalid" if invalid else "lenient" if either else "valid"))
    if invalid:
        assert status == 400, (status, judged)
        said = named(response, body)
        assert said and said <= invalid | either, (said, judged)
        # Every invalid filter is named (the page is read only once the filters are valid).
        assert invalid - {"page"} <= said, (said, judged)
    elif either:
        assert status in {ok, 200, 400}, (status, judged)
        if status == 400:
            said = named(response, body)
            assert said and said <= either, (said, judged)
    else:
        assert status == ok, (status, judged)
    return judged, values


# What no public body may hold.


def inputs_of(path, query):
    """Every text the request carried, as the server reads it: what the server writes
    back (a search box, a date in the filters, an error message) is not a leak."""
    pairs, _too_many = read(query)
    texts = [unquote_to_bytes(path).decode("utf-8", "replace")]
    texts += [text for pair in pairs for text in pair]
    return texts


def assert_no_leak(world, path, query, body):
    texts = inputs_of(path, query)
    folded = "\n".join(texts).casefold()  # written back in another case: "ja" as "JA"
    asked = {day for day in map(lenient_date, texts) if day}
    text = body.decode("utf-8", "replace")
    leaks = [m for m in world.markers if m in text and m.casefold() not in folded]
    for day in world.secret_dates:
        if day in asked:
            continue
        leaks += [
            form for form in date_forms(day) if form in text and form.casefold() not in folded
        ]
    assert leaks == [], (path, query[:300], leaks)


def assert_public_ids(world, ids):
    public = {report.pk for report in world.public_order}
    assert set(ids) <= public, set(ids) - public


def check_report_body(world, path, response, body):
    """A 200 answer of the report list, its exports or its feed: well formed, and listing
    public reports only."""
    content_type = response["Content-Type"]
    if path == "/reports/":
        assert content_type.startswith("text/html")
        assert_public_ids(world, report_ids_in(body.decode()))
    elif path.endswith(".csv"):
        assert content_type.startswith("text/csv")
        text = body.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:])))
        assert rows[0][:2] == ["id", "url"]
        assert_public_ids(world, [int(row[0]) for row in rows[1:]])
    elif path.endswith(".json"):
        assert content_type.startswith("application/json")
        document = json.loads(body)
        assert_public_ids(world, [row["id"] for row in document["reports"]])
    else:
        assert content_type.startswith("application/atom+xml")
        feed = ET.fromstring(body)
        links = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
        ids = [int(m.group(1)) for m in map(re.compile(r".*/reports/(\d+)/$").match, links) if m]
        assert_public_ids(world, ids)


def get(path, query="", language="en"):
    """GET as a browser would send it (the query string exactly as given); the body read
    whole, so that an error while streaming fails the test too."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    response = client.get(path, QUERY_STRING=query)
    body = body_of(response)
    assert response.status_code < 500, (path, response.status_code)
    return response, body


def codes_in_database():
    return set(State.private_objects.values_list("code", flat=True))


# The report list, its exports and its feed.


@fuzz(300)
@given(
    endpoint=st.sampled_from(REPORT_ENDPOINTS),
    query=queries([*REPORT_FILTERS, "page"]),
    language=ACCEPT_LANGUAGES,
)
@example(endpoint="/reports/export.json", query="q=CONFIDENTIAL-REPORT-TITLE", language="en")
@example(endpoint="/reports/feed/", query="year=2024.0&sort=%00", language="fr")
@example(endpoint="/reports/", query="page=1&page=2", language="en")
@example(endpoint="/reports/", query="state=" + "&state=".join(["ja"] * 1001), language="en")
def test_report_list_parameters(public_site, endpoint, query, language):
    assert set(PUBLIC_SITE_PROBES) <= set(public_site.markers)
    rules = report_rules(codes_in_database(), with_page=endpoint == "/reports/")
    response, body = get(endpoint, query, language)
    check_status(response, body, rules, query, page_past_end=True)
    if response.status_code == 200:
        check_report_body(public_site, endpoint, response, body)
    assert_no_leak(public_site, endpoint, query, body)


@fuzz(10)
@given(
    digits=st.integers(sys.get_int_max_str_digits() + 1, 12_000),
    query=valid_queries({"q": st.just(["police"])}),
)
@example(digits=4301, query="")
def test_a_page_number_longer_than_int_converts_is_a_404(public_site, digits, query):
    """A page number of more digits than int() converts (sys.get_int_max_str_digits()) is a
    page past the end."""
    response, body = get("/reports/", f"{query}&page={'9' * digits}")
    assert response.status_code == 404
    assert_no_leak(public_site, "/reports/", query, body)


REPORT_DOMAINS = {
    "state": st.lists(
        st.builds(
            lambda code, case: case(code),
            st.sampled_from(["JA", "JB", "JC", "RU", "RUS"]),
            st.sampled_from([str.upper, str.lower, str.title]),
        ),
        min_size=1,
        max_size=3,
    ),
    "visit_type": st.sampled_from(["", *VISIT_TYPES]).map(lambda v: [v]),
    "place_type": st.sampled_from(["", *PLACE_TYPES]).map(lambda v: [v]),
    "year": st.integers(1989, 2999).map(lambda y: [str(y)]),
    "published_after": st.dates().map(lambda day: [day.isoformat()]),
    "published_before": st.dates().map(lambda day: [day.isoformat()]),
    "language": st.sampled_from(["", *LANGUAGES]).map(lambda v: [v]),
    "q": st.text(st.characters(exclude_characters="\x00"), max_size=40).map(lambda v: [v]),
    "sort": st.sampled_from(["", *REPORT_SORTS]).map(lambda v: [v]),
}


@fuzz(60)
@given(query=valid_queries(REPORT_DOMAINS), page_number=st.integers(1, 10**30))
def test_valid_report_parameters_answer_200_and_filter_public_reports(
    public_site, query, page_number
):
    """Valid values answer 200 on the list (404 past the last page), the feed and both
    exports; the exports agree, hold public reports only, and each row matches the
    filters."""
    response, _body = get("/reports/", f"{query}&page={page_number}")
    assert response.status_code == (200 if page_number == 1 else 404)
    assert get("/reports/feed/", query)[0].status_code == 200
    csv_response, csv_body = get("/reports/export.csv", query)
    json_response, json_body = get("/reports/export.json", query)
    assert csv_response.status_code == json_response.status_code == 200
    rows = json.loads(json_body)["reports"]
    csv_rows = list(csv.DictReader(io.StringIO(csv_body.decode("utf-8")[1:])))
    assert [str(row["id"]) for row in rows] == [row["id"] for row in csv_rows]
    assert_public_ids(public_site, [row["id"] for row in rows])
    asked = {}
    for name, value in read(query)[0]:
        asked.setdefault(name, []).append(value)
    for row in rows:
        if "state" in asked:
            assert row["state_code"] in {state_code(code) for code in asked["state"]}
        for name in ("visit_type", "language"):
            if asked.get(name, [""])[-1]:
                assert row[name] == asked[name][-1]
        if asked.get("place_type", [""])[-1]:
            assert asked["place_type"][-1] in row["place_types"]
        if "year" in asked:
            assert row["visit_start_on"][:4] == asked["year"][-1]
        if asked.get("published_after", [""])[-1]:
            assert row["published_on"] >= asked["published_after"][-1]
        if asked.get("published_before", [""])[-1]:
            assert row["published_on"] <= asked["published_before"][-1]
    for path, body in (("/reports/export.csv", csv_body), ("/reports/export.json", json_body)):
        assert_no_leak(public_site, path, query, body)


def valid_values(rules, codes):
    """For each known parameter, a strategy of one value its rule calls VALID (non-empty)."""
    pools = {
        "state": st.sampled_from(sorted(codes)),
        "visit_type": st.sampled_from(VISIT_TYPES),
        "place_type": st.sampled_from(PLACE_TYPES),
        "year": st.integers(1989, 2999).map(str),
        "published_after": st.dates().map(D.isoformat),
        "published_before": st.dates().map(D.isoformat),
        "since": st.dates(max_value=D(2000, 1, 1)).map(D.isoformat),
        "until": st.dates(min_value=D(2000, 1, 1)).map(D.isoformat),
        "language": st.sampled_from(LANGUAGES),
        "q": st.text(st.characters(exclude_characters="\x00"), max_size=20),
        "page": st.just("1"),
        "kind": st.sampled_from(KINDS),
        "by_year": st.sampled_from(FLAGS_DOCUMENTED),
        "include_empty": st.sampled_from(FLAGS_DOCUMENTED),
    }
    pools["sort"] = st.sampled_from(REPORT_SORTS if "q" in rules else SUMMARY_SORTS)
    return {name: pools[name] for name in rules}


@fuzz(120)
@given(
    endpoint=st.sampled_from(REPORT_ENDPOINTS + SUMMARY_ENDPOINTS),
    data=st.data(),
)
def test_one_invalid_parameter_answers_400_naming_it(public_site, endpoint, data):
    """Exactly one known parameter with a value outside its domain, the others valid:
    400, and the answer names that parameter alone (a JSON body for the JSON exports)."""
    codes = codes_in_database()
    if endpoint.startswith("/reports/"):
        rules = report_rules(codes, with_page=endpoint == "/reports/")
    else:
        rules = summary_rules(codes)
    bad_name = data.draw(st.sampled_from(sorted(rules)), label="bad_name")
    bad_value = data.draw(
        VALUE_TEXTS.filter(lambda v: rules[bad_name](v) == INVALID), label="bad_value"
    )
    pools = valid_values(rules, codes)
    others = data.draw(
        st.fixed_dictionaries({}, optional={n: s for n, s in pools.items() if n != bad_name}),
        label="others",
    )
    pairs = [*others.items(), (bad_name, bad_value)]
    query = render([(wire(name), wire(value)) for name, value in data.draw(st.permutations(pairs))])
    response, body = get(endpoint, query)
    judged, _values = check_status(response, body, rules, query, page_past_end=True)
    assert [name for name, verdict in judged.items() if verdict != VALID] == [bad_name]
    assert response.status_code == 400
    assert named(response, body) == {bad_name}
    if endpoint.endswith(".json"):
        assert response["Content-Type"].startswith("application/json")
    assert_no_leak(public_site, endpoint, query, body)


UNKNOWN_NAMES = st.one_of(TEXTS, st.sampled_from(["utm_source", "STATE", "state[]", "Page"]))


@fuzz(60)
@given(
    endpoint=st.sampled_from(REPORT_ENDPOINTS + SUMMARY_ENDPOINTS + ["/", "/states/"]),
    data=st.data(),
)
def test_unknown_parameters_change_nothing(public_site, endpoint, data):
    codes = codes_in_database()
    if endpoint.startswith("/reports/"):
        rules = report_rules(codes, with_page=endpoint == "/reports/")
    elif endpoint.startswith("/non-cooperation/"):
        rules = summary_rules(codes)
    else:
        rules = {}
    known = data.draw(st.fixed_dictionaries({}, optional=valid_values(rules, codes)))
    known.pop("page", None)
    unknown = data.draw(
        st.lists(st.tuples(UNKNOWN_NAMES.filter(lambda n: n not in rules), VALUE_TEXTS), max_size=4)
    )
    plain = render([(wire(n), wire(v)) for n, v in known.items()])
    mixed = render([(wire(n), wire(v)) for n, v in [*unknown, *known.items()]])
    first, first_body = get(endpoint, plain)
    second, second_body = get(endpoint, mixed)
    assert first.status_code == second.status_code
    if endpoint.endswith((".csv", ".json")) and first.status_code == 200:
        assert first_body == second_body
    assert_no_leak(public_site, endpoint, mixed, second_body)


# The non-cooperation summary and its exports, on both data sets.


COUNT_COLUMNS = [
    column
    for column in SUMMARY_COLUMNS
    if column.startswith("refusals_")
    or column in ("public_statements", "responses_overdue", "reports_transmitted_unpublished")
    or column == "reports_published"
    or column.startswith("recommendations_")
]


@fuzz(150)
@given(
    endpoint=st.sampled_from(SUMMARY_ENDPOINTS),
    query=queries(SUMMARY_PARAMETERS),
    language=ACCEPT_LANGUAGES,
)
@example(
    endpoint="/non-cooperation/export.json",
    query="since=2025-01-01&until=2024-12-31",
    language="en",
)
@example(endpoint="/non-cooperation/export.json", query="by_year=1&include_empty=1", language="en")
@example(endpoint="/non-cooperation/", query="sort=-internal_notes&kind=REPRISAL", language="fr")
def test_noncooperation_parameters(noncooperation_site, endpoint, query, language):
    """Every answer as documented; no count above the public one (a filter only narrows)."""
    assert set(SUMMARY_PROBES) <= set(noncooperation_site.markers)
    rules = summary_rules(codes_in_database())
    response, body = get(endpoint, query, language)
    check_status(response, body, rules, query)
    if response.status_code == 200 and endpoint.endswith(".json"):
        public = {row["state_code"]: row for row in noncooperation_data.PUBLIC_TODAY}
        for row in json.loads(body)["summary"]:
            ceiling = public.get(row["state_code"], dict.fromkeys(COUNT_COLUMNS, 0))
            above = {c: row[c] for c in COUNT_COLUMNS if row[c] > ceiling[c]}
            assert above == {}, (row["state_code"], row["year"], above)
    elif response.status_code == 200 and endpoint.endswith(".csv"):
        text = body.decode("utf-8")
        assert text.startswith("\ufeff")
        assert list(csv.reader(io.StringIO(text[1:])))[1] == SUMMARY_COLUMNS
    assert_no_leak(noncooperation_site, endpoint, query, body)


@fuzz(60)
@given(
    endpoint=st.sampled_from(SUMMARY_ENDPOINTS),
    query=queries(SUMMARY_PARAMETERS),
)
def test_noncooperation_parameters_on_the_public_site_data(public_site, endpoint, query):
    rules = summary_rules(codes_in_database())
    response, body = get(endpoint, query)
    check_status(response, body, rules, query)
    assert_no_leak(public_site, endpoint, query, body)


# Pages without parameters, arbitrary ids and codes in paths.


@fuzz(40)
@given(
    endpoint=st.sampled_from(["/", "/states/", "/healthz"]),
    query=queries(["q", "page", "state", "next"]),
    language=ACCEPT_LANGUAGES,
)
def test_pages_without_parameters_ignore_any_query(public_site, endpoint, query, language):
    response, body = get(endpoint, query, language)
    if read(query)[1]:
        assert response.status_code in (200, 400)  # /healthz does not read its query
    else:
        assert response.status_code == 200
    if endpoint == "/healthz":
        assert body == b"ok\n"
    assert_no_leak(public_site, endpoint, query, body)


# An id in a path: one of the data set's (by index, so that examples do not depend on the
# database's sequences), or anything else.
KNOWN_ID = st.tuples(st.just("known"), st.integers(0, 40))
SEGMENTS = st.one_of(
    KNOWN_ID,
    KNOWN_ID,
    st.tuples(
        st.just("wire"),
        st.one_of(
            st.integers().map(str),
            st.integers(min_value=-(10**30), max_value=10**30).map(str),
            st.integers(0, 64).map(lambda n: "0" * n + "1"),
            st.integers(1, 6000).map(lambda n: "9" * n),
            NUMBERS.map(wire),
            TEXTS.map(wire),
            st.binary(max_size=12).map(lambda raw: quote(raw, safe="")),
            st.sampled_from(ODD),
        ),
    ),
)


def known_ids(world):
    reports = sorted(Report.private_objects.values_list("pk", flat=True))
    responses = sorted(Response.private_objects.values_list("pk", flat=True))
    return reports + responses


def segment(world, drawn):
    kind, value = drawn
    if kind == "known":
        ids = known_ids(world)
        return str(ids[value % len(ids)])
    return value


def number(digits):
    """A run of ASCII digits as a number, without int()'s limit on long ones (any number
    of more than 20 digits is as good as infinite here)."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 20 else float("inf")


def decoded(path):
    """The path as the URL resolver reads it."""
    return unquote_to_bytes(path).decode("utf-8", "replace")


BIGINT_MAX = 2**63 - 1


@fuzz(10)
@given(report_id=st.integers(BIGINT_MAX + 1, 10**40), which=st.sampled_from(["rs1", "rs3"]))
@example(report_id=BIGINT_MAX + 1, which="rs1")
def test_a_report_id_past_64_bits_in_a_response_file_url_is_a_404(public_site, report_id, which):
    """No report has an id past 64 bits, also where it is looked up as a foreign key (Django
    guards only primary keys against such integers; SQLite would overflow)."""
    response_pk = getattr(public_site, which).pk
    response, _body = get(f"/reports/{report_id}/responses/{response_pk}/file/")
    assert response.status_code == 404


@fuzz(150)
@given(
    shape=st.sampled_from(["detail", "file", "response_file", "document"]),
    first=SEGMENTS,
    second=SEGMENTS,
    query=st.one_of(st.just(""), queries(["page", "format"])),
)
@example(shape="detail", first=("wire", "9" * 20), second=("wire", "1"), query="")
@example(shape="file", first=("wire", "0" * 40 + "1"), second=("wire", "1"), query="")
@example(shape="document", first=("wire", "1"), second=("wire", "9" * 20), query="")
def test_report_pages_and_files_with_arbitrary_ids(public_site, shape, first, second, query):
    """200 only for a public report, or a version of it or of one of its public responses
    under its own report; the old file addresses redirect (301) to such a version; else 404.
    A confidential document never answers."""
    report_id, response_id = segment(public_site, first), segment(public_site, second)
    path = {
        "detail": f"/reports/{report_id}/",
        "file": f"/reports/{report_id}/file/",
        "response_file": f"/reports/{report_id}/responses/{response_id}/file/",
        "document": f"/reports/{report_id}/documents/{response_id}/",
    }[shape]
    response, body = get(path, query)
    public = {report.pk: report for report in public_site.public_order}
    responses = {rs.pk: rs for rs in (public_site.rs1, public_site.rs3, public_site.rs7)}
    versions = {  # public document: the report it is shown under
        document.pk: document.report_id or document.response.report_id
        for document in Document.private_objects.all()
        if document.report_id in public or document.response_id in responses
    }
    read_path = decoded(path)
    expected = 404
    if match := re.fullmatch(r"/reports/([0-9]+)/", read_path):
        expected = 200 if number(match.group(1)) in public else 404
    elif match := re.fullmatch(r"/reports/([0-9]+)/file/", read_path):
        report = number(match.group(1))
        expected = 301 if report in public and report in versions.values() else 404
    elif match := re.fullmatch(r"/reports/([0-9]+)/responses/([0-9]+)/file/", read_path):
        report_pk, response_pk = map(number, match.groups())
        answer = responses.get(response_pk)
        has_version = answer and answer.documents.exists()
        expected = 301 if answer and answer.report_id == report_pk and has_version else 404
    elif match := re.fullmatch(r"/reports/([0-9]+)/documents/([0-9]+)/", read_path):
        report_pk, document_pk = map(number, match.groups())
        expected = 200 if versions.get(document_pk, -1) == report_pk else 404
    elif read_path.rstrip("/") in ("/reports", "/reports/feed", ""):
        expected = None  # another page (anything but a server error)
    if expected is not None:
        assert response.status_code == expected, (read_path[:100], response.status_code)
    if response.status_code == 200 and shape != "detail":
        assert response["Content-Type"] == "application/pdf"
        assert body.startswith(b"%PDF-")
    assert_no_leak(public_site, path, query, body)


@fuzz(80)
@given(
    code=st.one_of(
        st.builds(
            lambda code, case: case(code),
            st.sampled_from(STATE_CODES + [*ALPHA3, "XX", "ZZ", "JAP", "FRA"]),
            st.sampled_from([str.upper, str.lower, str.title, str.swapcase]),
        ),
        st.text(max_size=4),
        st.text(st.characters(codec="ascii"), min_size=1, max_size=3),
        st.sampled_from(["J\u0391", "ja\u0301", "\uff2a\uff21", "J A", "J%00", "ja."]),
    ).map(wire)
    | RAW_WIRES.filter(lambda w: "?" not in w and "#" not in w),
    query=st.one_of(st.just(""), queries(["state", "year"])),
)
def test_state_pages_with_arbitrary_codes(public_site, code, query):
    """200 for the code of a State we hold, any case; its alpha-3 code redirects there
    (301); 404 for anything else."""
    path = f"/states/{code}/"
    response, body = get(path, query)
    read_code = decoded(path)[len("/states/") : -1]
    if re.fullmatch(r"[A-Za-z]{2}", read_code):
        expected = 200 if read_code.upper() in codes_in_database() else 404
        assert response.status_code == expected
    elif re.fullmatch(r"[A-Za-z]{3}", read_code) and state_code(read_code) in codes_in_database():
        assert response.status_code == 301
        assert response["Location"] == f"/states/{state_code(read_code)}/"
    elif "/" not in read_code:
        assert response.status_code == 404
    assert_no_leak(public_site, path, query, body)


# The language switch.

C0_AND_SPACE = "".join(map(chr, range(0x21)))


def where_a_browser_goes(location):
    """(scheme, host) a browser would go to from ``location``, read as WHATWG's URL parser
    does for http(s): leading and trailing C0 controls and spaces ignored, tabs and newlines
    removed, a backslash read as a slash, any number of slashes before a host, a host in
    another scheme after "https:" even without slashes. A relative reference stays here;
    an empty host ("//") is no URL at all: None, the browser goes nowhere."""
    here = ("http", "testserver")
    location = re.sub(r"[\t\n\r]", "", location.strip(C0_AND_SPACE)).replace("\\", "/")
    scheme_match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):(.*)", location, re.S)
    if scheme_match:
        scheme, rest = scheme_match.group(1).lower(), scheme_match.group(2)
        if scheme not in ("http", "https"):
            return scheme, None
        if scheme == "http" and not rest.startswith("//"):
            return here  # same scheme as the page: a relative reference
        authority = rest.lstrip("/")
    elif location.startswith("//"):
        scheme, authority = "http", location.lstrip("/")
    else:
        return here
    authority = re.split(r"[/?#]", authority, maxsplit=1)[0]
    host = authority.rpartition("@")[2]
    host = host if host.startswith("[") else host.partition(":")[0]
    if not host:
        return None
    return scheme, unquote_to_bytes(host).decode("utf-8", "replace").lower().rstrip(".")


# Each leads off-site in a browser.
OFF_SITE = [
    "//evil.example",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    " //evil.example",
    "\x00//evil.example",
    "https://evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http:///evil.example",
    "HTTP://evil.example",
    "http:\\\\evil.example",
    "http://testserver@evil.example",
    "http://testserver.evil.example/",
    "http://evil.example\\@testserver/",
    "//testserver%2F@evil.example",
    "javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:someone@evil.example",
]
# Each looks like one of those but stays on the site.
ON_SITE = [
    "/",
    "/reports/",
    "reports",
    "./x",
    "../..//evil.example",
    "?next=//evil.example",
    "http:/evil.example",
    "/%2F/evil.example",
    "/%09/evil.example",
    "%2F%2Fevil.example",
    "\u3000//evil.example",
    "/reports/?next=//evil.example",
]
NEXT_VALUES = st.one_of(
    st.sampled_from(OFF_SITE + ON_SITE).map(wire),
    st.lists(st.sampled_from(OFF_SITE + ON_SITE + ["x", ":", "@", "%00"]), max_size=3).map(
        lambda parts: wire("".join(parts))
    ),
    VALUES,
    VALUES.map(lambda value: f"%2F{value}"),
    VALUES.map(lambda value: f"{value}/"),
)


@fuzz(250)
@given(
    code=st.one_of(
        st.sampled_from(["en", "fr", "de", "EN", "fr-ch", "", "xx"]).map(wire),
        TEXTS.map(wire),
        RAW_WIRES.filter(lambda w: "?" not in w and "#" not in w),
    ),
    nexts=st.lists(NEXT_VALUES, max_size=3),
    extra=st.one_of(st.just(""), queries(["next"])),
)
@example(code="en", nexts=[wire("//evil.example")], extra="")
@example(code="fr", nexts=[wire("/\\evil.example")], extra="")
@example(code="en", nexts=[wire("https:evil.example")], extra="next=%2F%2Fevil.example")
def test_language_switch_never_leads_off_site(code, nexts, extra):
    """302 to ``next`` when it stays on the site, else to /; the cookie only for a language
    of the site; never a redirect a browser would follow to another host or scheme."""
    path = f"/language/{code}/"
    query = "&".join([f"next={value}" for value in nexts] + ([extra] if extra else []))
    response, _body = get(path, query)
    read_code = decoded(path)[len("/language/") : -1]
    if not read_code or "/" in read_code:
        assert response.status_code in (301, 404)  # another URL, or none
        return
    if read(query)[1]:
        assert response.status_code == 400
        return
    event(f"language switch: {response.status_code}")
    assert response.status_code == 302
    location = response["Location"]
    goes = where_a_browser_goes(location)
    if goes is None:
        event(f"language switch: Location {location!r} is no URL")
    assert goes in (("http", "testserver"), None), location
    language_cookie = response.cookies.get(django_settings.LANGUAGE_COOKIE_NAME)
    if read_code in dict(django_settings.LANGUAGES):
        assert language_cookie.value == read_code
    else:
        assert language_cookie is None


def test_the_browser_model_reads_off_site_locations_as_off_site():
    """Guards the language test's oracle."""
    for location in OFF_SITE:
        assert where_a_browser_goes(location) not in (("http", "testserver"), None), location
    for location in ["//", "///", "https://", "http://@/"]:
        assert where_a_browser_goes(location) is None, location
    for location in ON_SITE:
        assert where_a_browser_goes(location) == ("http", "testserver"), location


@fuzz(20)
@given(
    target=st.text(
        st.characters(codec="ascii", categories=["L", "N", "P", "S"], exclude_characters="/.\\"),
        min_size=1,
        max_size=12,
    ),
    code=st.sampled_from(["en", "fr"]),
)
@example(target="0", code="en")
@example(target="visits:home", code="fr")
def test_a_next_with_neither_slash_nor_dot_is_redirected_to(target, code):
    """Such a next is a relative URL, not the name of a view: kept when the host check
    passes, else / ("visits:home" has a scheme)."""
    response, _body = get(f"/language/{code}/", f"next={wire(target)}")
    assert response.status_code == 302
    kept = url_has_allowed_host_and_scheme(target, {"testserver"})
    assert response["Location"] == (iri_to_uri(target) if kept else "/")


# Arbitrary paths and methods.

PUBLIC_PATHS = ["/", "/reports/", "/reports/export.csv", "/reports/export.json"]
PUBLIC_PATHS += ["/reports/feed/", "/states/", "/states/JA/", "/non-cooperation/", "/healthz"]
PUBLIC_PATHS += SUMMARY_ENDPOINTS[1:] + ["/language/en/"]


@fuzz(100)
@given(
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"]),
    path=st.one_of(
        st.sampled_from(PUBLIC_PATHS),
        st.lists(
            st.one_of(TEXTS.map(wire), st.sampled_from(ODD + ["..", ".", "reports"])), max_size=4
        ).map(lambda parts: "/" + "/".join(parts)),
    ),
    query=st.one_of(st.just(""), queries(["state", "q", "page"])),
)
def test_any_method_on_any_path_is_never_a_server_error(public_site, method, path, query):
    client = Client()
    response = client.generic(method, path, QUERY_STRING=query)
    body = body_of(response)
    assert response.status_code < 500, (method, path, response.status_code)
    assert_no_leak(public_site, path, query, body)
