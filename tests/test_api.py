"""The public read API (/api/v1/) through the HTTP client, on the hand-built data set of
tests/public_data.py (seven public reports, a confidential item of every kind) and, for the
recommendations, on the data set of tests/test_recommendation_list.py (repeats, statuses,
themes, places): each endpoint's fields and filters with exact results, the same parameters
as the pages' exports, confidentiality over every answer in English and French, cursor
pages, errors, conditional requests, CORS, the rate limit and the number of queries."""

import datetime
import email.utils
import json
import re
from collections import deque
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests import test_recommendation_list as recommendation_list
from tests.public_data import TODAY, TOMORROW, many_public_reports
from tests.reading import body_of, date_forms
from tests.test_reports_list import HOSTILE_VALUES
from visits.models import (
    CooperationRefusal,
    Document,
    Facility,
    PublicationGround,
    PublicStatement,
    Recommendation,
    Report,
    Response,
    Theme,
    Visit,
    VisitType,
)

pytestmark = pytest.mark.django_db

D = datetime.date
API = "/api/v1"
HOST = "http://testserver"
JSON = {"HTTP_ACCEPT": "application/json"}
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}

# The recommendations' data set (Ardenia JX, Borduria JY), under a name of its own here.
recommendation_record = recommendation_list.record

LISTS = ["reports", "states", "visits", "statements", "refusals", "recommendations"]


# Reading the API.


def get(client, url, query=None, **headers):
    """The answer to a GET of ``url`` (with the parameters ``query``) asking for JSON."""
    return client.get(url, query, **{**JSON, **headers})


def data(client, url, **headers):
    """The JSON body of a 200 answer to ``url``."""
    response = get(client, url, **headers)
    assert response.status_code == 200, (url, response.content[:2000])
    assert response["Content-Type"] == "application/json"
    return response.json()


def pages(client, url, **headers):
    """Every page of a list, from ``url`` on, following the ``next`` links."""
    found = []
    while url:
        page = data(client, url, **headers)
        found.append(page)
        url = page["next"]
    return found


def every_row(client, url, **headers):
    return [row for page in pages(client, url, **headers) for row in page["results"]]


def ids(rows):
    return [row["id"] for row in rows]


def listed(client, path, query="", **headers):
    """The ids of every row of the list ``path`` for ``query``, two rows a page."""
    return ids(every_row(client, f"{API}/{path}/?{query}&limit=2", **headers))


def pks(world, names):
    return [getattr(world, name).pk for name in names]


def named(world, model, pk_list):
    """``pk_list`` (of ``model``) as the names the data set gives the records, ids of other
    records left as they are: what a failed comparison shows."""
    names = {}
    for name, value in vars(world).items():
        if isinstance(value, model):
            names.setdefault(value.pk, name)
    return [names.get(pk, pk) for pk in pk_list]


def mismatches(table, result):
    """{case: (what came, what was expected)} for the cases of ``table`` (case, expected)
    where ``result(case)`` is not what was expected."""
    found = {}
    for case, expected in table:
        came = result(case)
        if came != expected:
            found[case] = (came, expected)
    return found


def error_of(client, url, status, **headers):
    """The JSON body of an error answer, checked to carry its status."""
    response = get(client, url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    return body


def with_parameter(url, name, value):
    """``url`` with the query parameter ``name`` set to ``value`` (or added)."""
    parts = urlsplit(url)
    query = [(key, old) for key, old in parse_qsl(parts.query) if key != name]
    return urlunsplit(parts._replace(query=urlencode([*query, (name, value)])))


def exported(client, url):
    """The JSON body of a page's export (streamed)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(body_of(response))


# Reports.


def test_the_report_list_gives_the_public_reports_newest_publication_first(public_site, client):
    page = data(client, f"{API}/reports/")
    assert ids(page["results"]) == [report.pk for report in public_site.public_order]
    assert page["next"] is None
    assert page["previous"] is None


REPORT_FILTERS = [
    ("state=JA", ["r2", "r1"]),
    ("state=ja", ["r2", "r1"]),
    ("state=RU", ["r6"]),
    ("state=RUS", ["r6"]),
    ("state=rus", ["r6"]),
    ("state=JA&state=jb", ["r4", "r2", "r3", "r1"]),
    ("state=RUS&state=JC", ["r5", "r6", "r7"]),
    ("visit_type=ad_hoc", ["r4", "r2", "r7"]),
    ("visit_type=periodic", ["r3", "r1", "r5", "r6"]),
    ("place_type=police", ["r4", "r1", "r7"]),
    ("place_type=prison", ["r3", "r1"]),
    ("place_type=immigration", ["r2"]),
    ("place_type=other", ["r6"]),
    ("year=2021", ["r5", "r6"]),
    ("year=2024", ["r4", "r2"]),
    ("year=2025", []),  # only the report of the visit still in progress
    ("language=fr", ["r4", "r2"]),
    ("language=en", ["r3", "r1", "r5", "r6", "r7"]),
    ("language=de", []),  # only the version of the report published tomorrow
    ("published_after=2024-06-20", ["r4", "r2", "r3"]),
    ("published_before=2022-02-17", ["r5", "r6", "r7"]),
    ("published_after=2022-01-01&published_before=2024-06-20", ["r3", "r1", "r5"]),
    ("published_after=2025-06-16", []),  # the report published tomorrow
    ("q=overcrowding", ["r1"]),  # every confidential report says it too
    ("q=Syldavian", ["r3"]),
    ("q=r%C3%A9tention", ["r2"]),
    ("q=CPT%2FInf+%282024%29+30", ["r3"]),
    ("q=police+custody", ["r1", "r7"]),
    ("q=police+custody&state=JC", ["r7"]),
    ("q=CONFIDENTIAL-REPORT-SUMMARY", []),
    ("state=JB&visit_type=periodic&place_type=prison&year=2023&language=en", ["r3"]),
    ("sort=newest", ["r4", "r2", "r3", "r1", "r5", "r6", "r7"]),
    ("sort=oldest", ["r7", "r6", "r5", "r1", "r3", "r2", "r4"]),
    ("sort=visit", ["r4", "r2", "r3", "r1", "r6", "r5", "r7"]),
    ("sort=state", ["r5", "r7", "r2", "r1", "r6", "r4", "r3"]),  # then newest first
    ("sort=oldest&state=JA&state=JB", ["r1", "r3", "r2", "r4"]),
    ("colour=blue", ["r4", "r2", "r3", "r1", "r5", "r6", "r7"]),  # unknown: ignored
]


def test_each_report_filter_and_sort_gives_exactly_its_public_reports(public_site, client):
    w = public_site
    found = mismatches(
        REPORT_FILTERS, lambda query: named(w, Report, listed(client, "reports", query))
    )
    assert found == {}


def version_of(**fields):
    """The one version (document) that ``fields`` select."""
    (document,) = Document.private_objects.filter(**fields)
    return document


def document_json(document, report):
    return {
        "id": document.pk,
        "language": document.language,
        "authentic": document.authentic,
        "size": document.size,
        "download_url": f"{HOST}/reports/{report.pk}/documents/{document.pk}/",
    }


def test_a_report_in_full(public_site, client):
    """Every field of a report: its visit with the places in the order visited, its version,
    its published response with its version, its public recommendation."""
    w = public_site
    version = version_of(report=w.r1)
    response_version = version_of(response=w.rs1)
    assert version.size and response_version.size
    assert data(client, f"{API}/reports/{w.r1.pk}/") == {
        "id": w.r1.pk,
        "url": f"{HOST}{API}/reports/{w.r1.pk}/",
        "html_url": f"{HOST}/reports/{w.r1.pk}/",
        "reference": "CPT/Inf (2023) 11",
        "title": "Report to the Government of Ruritania on the periodic visit of 2022",
        "state_code": "JA",
        "state": "Ruritania",
        "summary": "Overcrowding in remand prisons and ill-treatment in police custody.",
        "visit_types": ["periodic"],
        "visit_start_on": "2022-05-09",
        "visit_end_on": "2022-05-20",
        "visits": [
            {
                "id": w.v1.pk,
                "url": f"{HOST}{API}/visits/{w.v1.pk}/",
                "visit_type": "periodic",
                "start_on": "2022-05-09",
                "end_on": "2022-05-20",
                "places": [
                    {
                        "name": "Strelsau Police Headquarters",
                        "place_type": "police",
                        "locality": "Strelsau",
                        "first_day_on": "2022-05-09",
                        "last_day_on": "2022-05-09",
                    },
                    {
                        "name": "Strelsau Central Prison",
                        "place_type": "prison",
                        "locality": "Strelsau",
                        "first_day_on": "2022-05-10",
                        "last_day_on": "2022-05-12",
                    },
                ],
                "delegation": [
                    "Ana Lindqvist, head of delegation",
                    "Pavel Horak, member",
                    "Ines Moreau, medical expert",
                    "Jonas Weber, interpreter",
                ],
            }
        ],
        "place_types": ["police", "prison"],
        "transmitted_on": "2022-11-18",
        "published_on": "2023-04-12",
        "publication_ground": "state_request",
        "public_statement": None,
        "language": "en",
        "languages": ["en"],
        "documents": [document_json(version, w.r1)],
        "responses": [
            {
                "id": w.rs1.pk,
                "reference": "CPT/Inf (2023) 12",
                "published_on": "2023-09-05",
                "documents": [document_json(response_version, w.r1)],
            }
        ],
        "recommendation_ids": [w.rec_public.pk],
    }


def test_each_download_url_downloads_the_pdf(public_site, client):
    """The versions of reports and of responses, through the site's own file views."""
    w = public_site
    for report, files in [(w.r1, ["r1", "rs1"]), (w.r3, ["r3", "rs3"]), (w.r4, ["r4"])]:
        body = data(client, f"{API}/reports/{report.pk}/")
        urls = [document["download_url"] for document in body["documents"]]
        urls += [d["download_url"] for response in body["responses"] for d in response["documents"]]
        assert len(urls) == len(files)
        for url, name in zip(urls, files, strict=True):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"] == "application/pdf"
            assert body_of(response) == w.files[name]


def test_a_report_shows_only_its_published_responses_and_public_recommendations(
    public_site, client
):
    w = public_site
    r3 = data(client, f"{API}/reports/{w.r3.pk}/")
    # Not the response published tomorrow.
    assert [response["id"] for response in r3["responses"]] == [w.rs3.pk]
    assert r3["recommendation_ids"] == []
    r2 = data(client, f"{API}/reports/{w.r2.pk}/")
    # Not the unpublished response (whose assessment of the recommendation is not shown).
    assert r2["responses"] == []
    assert r2["recommendation_ids"] == [w.rec_of_r2.pk]
    r7 = data(client, f"{API}/reports/{w.r7.pk}/")
    assert r7["responses"] == [
        {
            "id": w.rs7.pk,
            "reference": "CPT/Inf (2021) 16",
            "published_on": "2021-05-06",
            "documents": [],
        }
    ]
    assert r7["documents"] == [document_json(version_of(report=w.r7), w.r7)]


def annexed_report(w):
    """A report on a 2024 visit to Ruritania, published as an annex to its public statement."""
    visit = factories.visit_between(w.ruritania, VisitType.AD_HOC, D(2024, 6, 3), D(2024, 6, 7))
    annex = factories.ReportFactory(
        visit=visit,
        reference="CPT/Inf (2024) 51",
        adopted_on=D(2024, 8, 1),
        transmitted_on=D(2024, 8, 15),
        response_due_on=None,
        publication_requested_on=None,
        published_on=None,
    )
    annex.publish(D(2024, 12, 5), statement=w.statement)
    return annex


def test_a_report_annexed_to_a_public_statement_names_it(public_site, client):
    w = public_site
    annex = annexed_report(w)
    assert annex.publication_ground == PublicationGround.PUBLIC_STATEMENT
    body = data(client, f"{API}/reports/{annex.pk}/")
    assert body["publication_ground"] == "public_statement"
    assert body["public_statement"] == {
        "id": w.statement.pk,
        "url": f"{HOST}{API}/statements/{w.statement.pk}/",
        "title": "Public statement concerning Ruritania",
        "issued_on": "2024-12-05",
        "date_precision": "day",
    }
    assert data(client, body["public_statement"]["url"])["reference"] == "CPT/Inf (2024) 50"


# States.

STATE_CODES = ["AZ", "BE", "BG", "GR", "JA", "JB", "JC", "RU", "TR"]


def test_the_states_list_gives_every_state_by_code_with_its_public_counts(public_site, client):
    states = every_row(client, f"{API}/states/?limit=4")
    assert [state["code"] for state in states] == STATE_CODES
    counts = {state["code"]: state["counts"] for state in states}
    # Ruritania: not its planned or cancelled visit, nor its unpublished report, nor its
    # undisclosed refusal. Syldavia: not its notified visit, the report, the statement and
    # the refusal of tomorrow. Borduria: not its visit in progress. Russia: the reference
    # data's statements, and its refusal disclosed, not the other.
    assert counts["JA"] == {
        "visits": 2,
        "reports": 2,
        "statements": 1,
        "refusals": 1,
        "recommendations": 2,
    }
    assert counts["JB"] == {
        "visits": 2,
        "reports": 2,
        "statements": 0,
        "refusals": 0,
        "recommendations": 0,
    }
    assert counts["JC"] == {
        "visits": 2,
        "reports": 2,
        "statements": 0,
        "refusals": 0,
        "recommendations": 0,
    }
    assert counts["RU"] == {
        "visits": 1,
        "reports": 1,
        "statements": 5,
        "refusals": 1,
        "recommendations": 0,
    }


def test_each_states_counts_are_those_its_public_pages_show(public_site, client, settings):
    """The State's page (visits, reports, refusals, statements, recommendations) and the
    States list (reports)."""
    settings.PUBLIC_PAGE_CACHE = False  # the pages' context is read
    on_list = {
        state.code: state.public_report_count for state in client.get("/states/").context["states"]
    }
    for state in every_row(client, f"{API}/states/"):
        page = client.get(f"/states/{state['code']}/").context
        implementation = page["implementation"]
        assert state["counts"] == {
            "visits": page["counts"]["visits"],
            "reports": page["counts"]["reports"],
            "statements": len(page["statements"]),
            "refusals": page["counts"]["refusals"],
            "recommendations": implementation["total"] if implementation else 0,
        }, state["code"]
        assert state["counts"]["reports"] == on_list[state["code"]]


def test_a_state_in_full(public_site, client):
    assert data(client, f"{API}/states/JA/") == {
        "code": "JA",
        "url": f"{HOST}{API}/states/JA/",
        "html_url": f"{HOST}/states/JA/",
        "name": "Ruritania",
        "signed_on": "1990-01-10",
        "ratified_on": "1991-03-15",
        "in_force_on": "1991-07-01",
        "automatic_publication_since": None,
        "coe_member_until": None,
        "denunciation_notified_on": None,
        "denunciation_effective_on": None,
        "treaty_status": "party",
        "counts": {
            "visits": 2,
            "reports": 2,
            "statements": 1,
            "refusals": 1,
            "recommendations": 2,
        },
    }


def test_a_state_answers_to_its_alpha2_or_alpha3_code_in_any_case(public_site, client):
    russia = data(client, f"{API}/states/RU/")
    assert russia["code"] == "RU"
    for code in ["ru", "Ru", "RUS", "rus", "rUs"]:
        assert data(client, f"{API}/states/{code}/") == russia, code
    for code in ["XX", "xx", "JPN", "jp", "XYZ", "J1", "RUSS", "R"]:
        assert error_of(client, f"{API}/states/{code}/", 404)["detail"], code


# Visits.


def test_the_visit_list_gives_the_completed_visits_latest_first(public_site, client):
    w = public_site
    expected = pks(w, ["v4", "v2", "v3", "v1", "v6", "v5", "v7"])
    assert ids(data(client, f"{API}/visits/")["results"]) == expected
    assert listed(client, "visits") == expected


VISIT_FILTERS = [
    ("state=JA", ["v2", "v1"]),  # not the planned nor the cancelled visit
    ("state=jb", ["v4", "v3"]),  # not the notified visit
    ("state=RUS", ["v6"]),  # not the postponed visit
    ("state=JA&state=JC", ["v2", "v1", "v5", "v7"]),
    ("visit_type=ad_hoc", ["v4", "v2", "v7"]),  # not the visit in progress
    ("visit_type=periodic", ["v3", "v1", "v6", "v5"]),
    ("year=2021", ["v6", "v5"]),
    ("year=2025", []),  # the visit in progress started in 2025
    ("place_type=police", ["v4", "v1", "v7"]),
    ("place_type=prison", ["v3", "v1"]),
    ("place_type=social_care", ["v3"]),  # not the cancelled visit's place
    ("state=JB&visit_type=periodic&year=2023&place_type=psychiatric", ["v3"]),
]


def test_each_visit_filter_gives_exactly_its_completed_visits(public_site, client):
    w = public_site
    found = mismatches(
        VISIT_FILTERS, lambda query: named(w, Visit, listed(client, "visits", query))
    )
    assert found == {}


def test_a_visit_in_full(public_site, client):
    w = public_site
    assert data(client, f"{API}/visits/{w.v3.pk}/") == {
        "id": w.v3.pk,
        "url": f"{HOST}{API}/visits/{w.v3.pk}/",
        "visit_type": "periodic",
        "start_on": "2023-09-04",
        "end_on": "2023-09-15",
        "places": [
            {
                "name": "Klow Psychiatric Hospital",
                "place_type": "psychiatric",
                "locality": "Klow",
                "first_day_on": "2023-09-05",
                "last_day_on": "2023-09-07",
            },
            {
                "name": "Niedzdrow Social Care Home",
                "place_type": "social_care",
                "locality": "Niedzdrow",
                "first_day_on": "2023-09-08",
                "last_day_on": "2023-09-08",
            },
            {
                "name": "Klow Prison",
                "place_type": "prison",
                "locality": "Klow",
                "first_day_on": "2023-09-11",
                "last_day_on": "2023-09-13",
            },
        ],
        "delegation": [
            "Head of delegation, member",
            "Member",
            "Expert, medical doctor",
            "Interpreter",
        ],
        # Not the report published tomorrow on the same visit.
        "html_url": f"{HOST}/reports/{w.r3.pk}/",
        "state_code": "JB",
        "state": "Syldavia",
        "report_ids": [w.r3.pk],
    }


def test_a_visit_without_a_published_report_links_to_its_states_page(public_site, client):
    w = public_site
    visit = factories.visit_between(w.borduria, VisitType.AD_HOC, D(2025, 4, 7), D(2025, 4, 9))
    body = data(client, f"{API}/visits/{visit.pk}/")
    assert body["report_ids"] == []
    assert body["html_url"] == f"{HOST}/states/JC/#visits-heading"
    assert listed(client, "visits", "state=JC") == [visit.pk, w.v5.pk, w.v7.pk]


# Public statements.


def statement_keys(rows):
    return [(row["state_code"], row["issued_on"]) for row in rows]


def test_the_statement_list_gives_the_issued_statements_latest_first(public_site, client):
    rows = every_row(client, f"{API}/statements/?limit=5")
    # The reference data's statements, and Ruritania's; not Syldavia's of tomorrow.
    assert statement_keys(rows) == [
        ("JA", "2024-12-05"),
        ("RU", "2024-11-01"),
        ("AZ", "2024-07-03"),
        ("BG", "2021-11-04"),
        ("RU", "2019-03-01"),
        ("BE", "2017-07-13"),
        ("BG", "2015-03-26"),
        ("GR", "2011-03-15"),
        ("RU", "2007-03-01"),
        ("RU", "2003-07-01"),
        ("RU", "2001-07-01"),
        ("TR", "1996-12-01"),
        ("TR", "1992-12-01"),
    ]
    assert len(rows) == PublicStatement.private_objects.count() - 1


STATEMENT_FILTERS = [
    ("state=JA", [("JA", "2024-12-05")]),
    ("state=JB", []),  # tomorrow's
    ("state=rus&since=2019-03-01", [("RU", "2024-11-01"), ("RU", "2019-03-01")]),
    ("since=2024-07-03", [("JA", "2024-12-05"), ("RU", "2024-11-01"), ("AZ", "2024-07-03")]),
    ("since=2025-06-16", []),
    ("until=1996-12-01", [("TR", "1996-12-01"), ("TR", "1992-12-01")]),
    (
        "since=2015-01-01&until=2019-12-31&state=BG&state=BE",
        [("BE", "2017-07-13"), ("BG", "2015-03-26")],
    ),
]


def test_each_statement_filter_gives_exactly_its_statements(public_site, client):
    def shown(query):
        return statement_keys(every_row(client, f"{API}/statements/?{query}&limit=2"))

    assert mismatches(STATEMENT_FILTERS, shown) == {}


def test_a_statement_in_full(public_site, client):
    w = public_site
    assert data(client, f"{API}/statements/{w.statement.pk}/") == {
        "id": w.statement.pk,
        "url": f"{HOST}{API}/statements/{w.statement.pk}/",
        "title": "Public statement concerning Ruritania",
        "issued_on": "2024-12-05",
        "date_precision": "day",
        "html_url": f"{HOST}/states/JA/#statements-heading",
        "state_code": "JA",
        "state": "Ruritania",
        "reference": "CPT/Inf (2024) 50",
        "summary": "Persistent failure to act on the recommendations on remand prisons.",
        "link": "",
        "documents": [],
    }


def test_a_statements_version_downloads_through_the_statements_file_view(public_site, client):
    w = public_site
    version = factories.DocumentFactory(report=None, statement=w.statement, language="fr")
    (document,) = data(client, f"{API}/statements/{w.statement.pk}/")["documents"]
    assert document == {
        "id": version.pk,
        "language": "fr",
        "authentic": True,
        "size": version.size,
        "download_url": f"{HOST}/statements/{w.statement.pk}/documents/{version.pk}/",
    }
    response = client.get(document["download_url"])
    assert response.status_code == 200
    with version.file.open("rb") as stored:
        assert body_of(response) == stored.read()


# Refusals to co-operate.


def test_the_refusal_list_gives_the_disclosed_refusals_latest_first(public_site, client):
    w = public_site
    rows = every_row(client, f"{API}/refusals/?limit=1")
    assert ids(rows) == pks(w, ["disclosed_refusal", "russia_disclosed_refusal"])
    assert rows[0] == {
        "id": w.disclosed_refusal.pk,
        "url": f"{HOST}{API}/refusals/{w.disclosed_refusal.pk}/",
        "html_url": f"{HOST}/states/JA/#refusals-heading",
        "state_code": "JA",
        "state": "Ruritania",
        "occurred_on": "2024-02-14",
        "kind": "access_delayed",
        "summary": "Access to the Zenda Holding Centre was delayed by three hours.",
        "disclosed_on": "2024-10-03",
        "resolved_on": "2024-02-14",
    }
    assert data(client, rows[1]["url"]) == rows[1]
    assert rows[1]["resolved_on"] is None


REFUSAL_FILTERS = [
    ("kind=access_delayed", ["disclosed_refusal"]),
    (
        "kind=access_delayed&kind=request_unanswered",
        ["disclosed_refusal", "russia_disclosed_refusal"],
    ),
    ("kind=information_withheld", []),  # undisclosed
    ("kind=reprisal", []),  # disclosed tomorrow
    ("kind=expert_refused", []),  # undisclosed
    ("since=2024-01-01", ["disclosed_refusal"]),
    ("since=2024-02-14", ["disclosed_refusal"]),
    ("since=2024-02-15", []),
    ("until=2024-02-13", ["russia_disclosed_refusal"]),
    ("until=2024-02-14", ["disclosed_refusal", "russia_disclosed_refusal"]),
    ("since=2023-01-16&until=2023-01-16", ["russia_disclosed_refusal"]),
    ("state=ru", ["russia_disclosed_refusal"]),
    ("state=JB", []),
]


def test_each_refusal_filter_gives_exactly_its_disclosed_refusals(public_site, client):
    w = public_site
    found = mismatches(
        REFUSAL_FILTERS,
        lambda query: named(w, CooperationRefusal, listed(client, "refusals", query)),
    )
    assert found == {}


# Recommendations (the data set of tests/test_recommendation_list.py).


def texts_of(client, query=""):
    return [row["text"] for row in every_row(client, f"{API}/recommendations/?{query}&limit=2")]


def test_the_recommendation_list_gives_the_public_ones_newest_report_first(
    recommendation_record, client
):
    record = recommendation_record
    assert texts_of(client) == recommendation_list.names(
        record, "again", "families", "custody", "cells", "lawyer", "inquiry"
    )


RECOMMENDATION_FILTERS = [
    ("state=JX", ["again", "families", "cells", "lawyer", "inquiry"]),
    ("state=jy&state=JX", ["again", "families", "custody", "cells", "lawyer", "inquiry"]),
    ("theme=prisons", ["again", "cells"]),
    # A broader theme takes in its narrower ones.
    ("theme=safeguards", ["custody", "lawyer"]),
    ("theme=doctor", ["custody"]),
    ("kind=comment", ["lawyer"]),
    ("kind=request_for_information", ["inquiry"]),
    ("status=implemented", ["again"]),
    ("status=not_implemented", ["cells"]),
    # The staff-only assessment and the unpublished response do not count.
    ("status=in_progress", []),
    ("status=not_assessed", ["families", "custody", "lawyer", "inquiry"]),
    ("year=2019", ["cells", "lawyer", "inquiry"]),
    ("year=2024", []),
    ("place_type=immigration", ["families"]),
    ("place_type=prison", ["cells"]),
    ("immediate=1", ["inquiry"]),
    ("immediate=yes", ["inquiry"]),
    ("immediate=0", ["again", "families", "custody", "cells", "lawyer", "inquiry"]),
    # Families is repeated only by an unpublished report, custody repeats only an
    # unpublished one: neither link is public.
    ("repeated=1", ["again", "cells"]),
    ("repeated=0", ["again", "families", "custody", "cells", "lawyer", "inquiry"]),
    ("q=lawyer", ["custody", "lawyer"]),
    ('q="central prison"', ["again", "cells"]),
    ("q=SECRET", []),
    ("state=JX&theme=prisons&status=not_implemented", ["cells"]),
    ("sort=oldest", ["cells", "lawyer", "inquiry", "custody", "again", "families"]),
    ("sort=state&theme=safeguards", ["lawyer", "custody"]),
]


def test_each_recommendation_filter_gives_exactly_its_recommendations(
    recommendation_record, client
):
    record = recommendation_record
    table = [
        (query, recommendation_list.names(record, *expected))
        for query, expected in RECOMMENDATION_FILTERS
    ]
    assert mismatches(table, lambda query: texts_of(client, query)) == {}


def test_a_recommendation_in_full_with_its_public_assessments_and_repeats(
    recommendation_record, client
):
    record = recommendation_record
    cells, again = record["cells"], record["again"]
    first = record["reports"]["first"]
    assert data(client, f"{API}/recommendations/{cells.pk}/") == {
        "id": cells.pk,
        "url": f"{HOST}{API}/recommendations/{cells.pk}/",
        "html_url": f"{HOST}/recommendations/{cells.pk}/",
        "report_id": first.pk,
        "report_url": f"{HOST}{API}/reports/{first.pk}/",
        "report_reference": "CPT/Inf (2019) 40",
        "state_code": "JX",
        "state": "Ardenia",
        "paragraph": "10",
        "kind": "recommendation",
        "themes": ["prisons"],
        "places": [Facility.private_objects.get(recommendations=cells).name],
        "immediate_action": False,
        "text": "Enlarge the cells of the central prison.",
        "status": "not_implemented",
        "status_assessed_on": "2020-02-01",
        "status_source": "response",
        "repeats_id": None,
        "repeated_by_ids": [again.pk],
        "visit_start_on": "2019-03-04",
        "assessments": [
            {
                "assessed_on": "2020-02-01",
                "status": "not_implemented",
                "source": "response",
                "response_id": Response.private_objects.get(report=first).pk,
                "report_id": None,
            }
        ],
    }
    # The later recommendation: its status from the published response only, not from the
    # later unpublished one.
    body = data(client, f"{API}/recommendations/{again.pk}/")
    assert body["repeats_id"] == cells.pk
    assert body["repeated_by_ids"] == []
    assert body["status"] == "implemented"
    assert [(a["assessed_on"], a["status"]) for a in body["assessments"]] == [
        ("2024-03-01", "implemented")
    ]


def test_a_recommendation_shows_no_link_or_assessment_the_public_cannot_see(
    recommendation_record, client
):
    record = recommendation_record
    families = data(client, f"{API}/recommendations/{record['families'].pk}/")
    # Repeated only by a recommendation of an unpublished report; assessed by staff only.
    assert families["repeated_by_ids"] == []
    assert families["assessments"] == []
    assert families["status"] == "not_assessed"
    assert families["status_assessed_on"] is None
    assert families["status_source"] is None
    custody = data(client, f"{API}/recommendations/{record['custody'].pk}/")
    assert record["custody"].repeats_id is not None  # of an unpublished report
    assert custody["repeats_id"] is None
    assert custody["themes"] == ["doctor", "lawyer"]
    hidden = Recommendation.private_objects.exclude(
        pk__in=Recommendation.public_objects.values("pk")
    )
    assert len(hidden) == 2
    for recommendation in hidden:
        body = error_of(client, f"{API}/recommendations/{recommendation.pk}/", 404)
        assert "SECRET" not in json.dumps(body)
    everything = [
        get(client, url).content.decode()
        for url in [f"{API}/recommendations/?limit=200", f"{API}/reports/?limit=200"]
    ]
    everything += [
        get(client, f"{API}/recommendations/{pk}/").content.decode()
        for pk in Recommendation.public_objects.values_list("pk", flat=True)
    ]
    assert not [text for text in everything if "SECRET" in text or "in_progress" in text]


def test_the_public_data_sets_recommendations_show_public_assessments_only(public_site, client):
    w = public_site
    body = data(client, f"{API}/recommendations/{w.rec_public.pk}/")
    # Not the staff-only assessment (later, "implemented").
    assert body["assessments"] == [
        {
            "assessed_on": "2023-09-05",
            "status": "partially_implemented",
            "source": "response",
            "response_id": w.rs1.pk,
            "report_id": None,
        }
    ]
    assert body["status"] == "partially_implemented"
    # Assessed only from an unpublished response.
    r2 = data(client, f"{API}/recommendations/{w.rec_of_r2.pk}/")
    assert r2["assessments"] == []
    assert r2["status"] == "not_assessed"


# The non-cooperation summary.


SUMMARY_QUERIES = [
    "",
    "state=JA&state=rus",
    "kind=access_delayed",
    "kind=access_delayed&kind=request_unanswered",
    "since=2024-01-01&until=2024-12-31",
    "until=2023-12-31",
    "by_year=1",
    "by_year=1&state=JA",
    "include_empty=1&sort=state",
    "sort=-reports_published",
    "sort=median_days_visit_end_to_publication&include_empty=yes",
]


def test_the_summary_gives_the_rows_of_the_pages_json_export(public_site, client):
    for query in SUMMARY_QUERIES:
        api = data(client, f"{API}/non-cooperation/?{query}")
        export = exported(client, f"/non-cooperation/export.json?{query}")
        assert api == {
            "parameters": export["parameters"],
            "columns": export["columns"],
            "results": export["summary"],
        }, query
        assert api["results"], query


def test_the_summary_counts_public_records_only(public_site, client):
    rows = {row["state_code"]: row for row in data(client, f"{API}/non-cooperation/")["results"]}
    # Not the refusals undisclosed (Ruritania, Russia) or disclosed tomorrow (Syldavia), nor
    # the statement of tomorrow. The reports transmitted and not published are counted (the
    # one exception, docs/confidentiality.md), and nothing else is said of them.
    assert [rows[code]["refusals_total"] for code in ("JA", "JB", "RU")] == [1, 0, 1]
    assert [rows[code]["public_statements"] for code in ("JA", "JB", "RU")] == [1, 0, 5]
    assert [rows[code]["reports_published"] for code in ("JA", "JB", "RU")] == [2, 2, 1]
    unpublished = [rows[code]["reports_transmitted_unpublished"] for code in ("JA", "JB", "RU")]
    assert unpublished == [1, 1, 1]
    assert "JC" not in rows  # its report on the visit in progress is not counted


# The same parameters as the pages' exports.

REPORT_QUERIES = [
    "",
    "state=JA&state=jb",
    "state=deu",
    "sort=oldest",
    "sort=visit",
    "sort=state",
    "language=fr",
    "place_type=police",
    "place_type=prison&sort=oldest",
    "year=2021",
    "published_after=2019-01-03&published_before=2024-06-20",
    "q=police+custody",
    "q=police+custody&sort=relevance",
    "q=Germany&sort=relevance",
    "q=report&sort=relevance",
    "q=report&sort=state",
    "q=nowhere",
]


def test_the_report_list_gives_the_rows_of_the_json_export_in_its_order(public_site, client):
    """Every page of the API, two reports a page, against the export, for each query, with
    five reports on Germany besides: they tie on the relevance of a search, and Germany comes
    first in French (Allemagne) but not in English."""
    many_public_reports(5, code="DE", name="Germany")
    for query in REPORT_QUERIES:
        rows = exported(client, f"/reports/export.json?{query}")["reports"]
        assert listed(client, "reports", query) == ids(rows), query
    # The States' names, and so their order, in French.
    french = client.get("/reports/export.json?sort=state", **FRENCH)
    rows = json.loads(body_of(french))["reports"]
    assert listed(client, "reports", "sort=state", **FRENCH) == ids(rows)
    assert ids(rows) != listed(client, "reports", "sort=state")


RECOMMENDATION_QUERIES = [
    "",
    "sort=oldest",
    "sort=state",
    "state=JX&sort=oldest",
    "theme=prisons",
    "theme=safeguards&sort=state",
    "status=not_assessed",
    "repeated=1",
    "immediate=1",
    "year=2019&kind=comment",
    "q=lawyer",
    "q=cells+prison&sort=relevance",
    "q=prison&sort=relevance",  # two of the same rank
    "q=lawyer+or+cells&sort=relevance",
    "q=nowhere",
]


def test_the_recommendation_list_gives_the_rows_of_the_json_export_in_its_order(
    recommendation_record, client
):
    """Every page of the API, one recommendation a page (a cursor after each row), against
    the export, for each query."""
    for query in RECOMMENDATION_QUERIES:
        rows = exported(client, f"/recommendations/export.json?{query}")["recommendations"]
        api = every_row(client, f"{API}/recommendations/?{query}&limit=1")
        assert ids(api) == ids(rows), query
        # The fields both give mean the same.
        fields = ["themes", "immediate_action", "status", "status_assessed_on", "status_source"]
        fields += ["repeats_id", "repeated_by_ids", "paragraph", "kind", "state_code", "text"]
        for mine, theirs in zip(api, rows, strict=True):
            assert {field: mine[field] for field in fields} == {
                field: theirs[field] for field in fields
            }, (query, mine["id"])


# Confidentiality.

API_LINK = re.compile(rf"{re.escape(HOST)}({re.escape(API)}/[^\s\"]*)")
# What is never public (docs/confidentiality.md), as a key of any object.
STAFF_FIELDS = {
    "internal_notes",
    "planned_start_on",
    "planned_end_on",
    "notified_on",
    "immediate_observations",
    "postponement_ground",
    "note",
}
# Staff-only texts the data set holds without a marker: the factories' internal notes (of
# visits and refusals) and the summary of each completed visit.
UNMARKED_SECRETS = ["INTERNAL:", "The delegation visited police stations and prisons."]


def crawl(client, starts, **headers):
    """{url: response} for every API address reachable from ``starts``, following every
    link under /api/v1/ an answer holds (objects, pages, reports of recommendations...)."""
    answers = {}
    queue, seen = deque(starts), set(starts)
    while queue:
        url = queue.popleft()
        answers[url] = response = get(client, url, **headers)
        for link in API_LINK.findall(response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return answers


def keys_in(value):
    if isinstance(value, dict):
        return set(value) | set().union(*map(keys_in, value.values()))
    if isinstance(value, list):
        return set().union(*map(keys_in, value))
    return set()


CRAWL_STARTS = [
    *[f"{API}/{name}/?limit=2" for name in LISTS],
    f"{API}/non-cooperation/",
    f"{API}/non-cooperation/?by_year=1&include_empty=1",
    f"{API}/non-cooperation/?kind=information_withheld&kind=reprisal&kind=expert_refused",
    f"{API}/reports/?q=overcrowding&limit=2",
    f"{API}/reports/?sort=visit&limit=2",
    f"{API}/reports/?year=2025&limit=2",
    f"{API}/schema/",
]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_marker_or_confidential_date_is_in_any_api_answer(public_site, client, language):
    """Every list, every page of it, every object it links to, the summary: bodies and
    headers, in English and in French."""
    w = public_site
    answers = crawl(client, CRAWL_STARTS, HTTP_ACCEPT_LANGUAGE=language)
    assert {url: r.status_code for url, r in answers.items() if r.status_code != 200} == {}
    # The schema is in English whatever the language asked for (and says so).
    assert {r["Content-Language"] for u, r in answers.items() if "/schema/" not in u} == {language}
    # The crawl reached every public object.
    reached = set(answers)
    assert {f"{API}/reports/{report.pk}/" for report in w.public_order} <= reached
    visits = Visit.public_objects.values_list("pk", flat=True)
    assert {f"{API}/visits/{pk}/" for pk in visits} <= reached
    assert {f"{API}/states/{code}/" for code in STATE_CODES} <= reached
    assert f"{API}/refusals/{w.disclosed_refusal.pk}/" in reached
    assert f"{API}/statements/{w.statement.pk}/" in reached
    assert f"{API}/recommendations/{w.rec_public.pk}/" in reached
    assert len([url for url in reached if "cursor=" in url]) >= 10
    secret_dates = set().union(*map(date_forms, w.secret_dates))
    leaks = []
    for url, response in answers.items():
        text = "".join(f"{name}: {value}\n" for name, value in response.items())
        text += response.content.decode()
        leaks += [(url, marker) for marker in [*w.markers, *UNMARKED_SECRETS] if marker in text]
        leaks += [
            (url, day) for day in secret_dates if re.search(rf"(?<!\d){re.escape(day)}", text)
        ]
        leaks += [(url, key) for key in keys_in(response.json()) & STAFF_FIELDS]
    assert len(w.markers) == 55
    assert leaks == []
    # Nothing links to a confidential object.
    hidden = [
        *[f"{API}/reports/{report.pk}/" for report in w.confidential_reports],
        *[f"{API}/visits/{v.pk}/" for v in [w.planned, w.notified, w.in_progress]],
        *[f"{API}/visits/{v.pk}/" for v in [w.postponed, w.cancelled]],
        f"{API}/statements/{w.statement_tomorrow.pk}/",
    ]
    assert reached.isdisjoint(hidden)
    # In the language asked for.
    russia = answers[f"{API}/states/RU/"].json()["name"]
    assert russia == {"en": "Russia", "fr": "Russie"}[language]


def test_a_search_for_a_confidential_text_finds_nothing(public_site, client):
    """Every marker: the words of confidential reports, of their versions' text, of their
    recommendations."""
    w = public_site
    for marker in w.markers:
        for path in ("reports", "recommendations"):
            body = data(client, f"{API}/{path}/?q={marker}")
            assert body["results"] == [], (path, marker)


CONFIDENTIAL = [
    ("reports", "never_published"),
    ("reports", "published_tomorrow"),
    ("reports", "of_unfinished_visit"),
    ("reports", "russia_never_published"),
    ("visits", "planned"),
    ("visits", "notified"),
    ("visits", "in_progress"),
    ("visits", "postponed"),
    ("visits", "cancelled"),
    ("refusals", "undisclosed_refusal"),
    ("refusals", "refusal_disclosed_tomorrow"),
    ("refusals", "russia_undisclosed_refusal"),
    ("statements", "statement_tomorrow"),
]


def test_a_confidential_object_is_not_found(public_site, client):
    w = public_site
    for path, name in CONFIDENTIAL:
        for headers in ({}, FRENCH):
            body = error_of(client, f"{API}/{path}/{getattr(w, name).pk}/", 404, **headers)
            text = json.dumps(body)
            assert not [marker for marker in w.markers if marker in text], name


def test_the_recommendations_of_unpublished_reports_are_not_found(public_site, client):
    w = public_site
    hidden = Recommendation.private_objects.filter(
        report__in=[w.never_published, w.published_tomorrow]
    )
    assert len(hidden) == 2
    for recommendation in hidden:
        body = error_of(client, f"{API}/recommendations/{recommendation.pk}/", 404)
        assert recommendation.text not in json.dumps(body)


# Cursor pages.


@pytest.fixture
def forty_public_reports(public_site):
    """The 7 reports of the data set and 33 on Vulgaria (JV), published in 2019: 40 in the
    order newest first."""
    vulgaria = many_public_reports(33)
    return public_site, [*public_site.public_order, *reversed(vulgaria)]


def test_a_page_holds_25_rows_unless_asked_otherwise(forty_public_reports, client):
    _w, everything = forty_public_reports
    first = data(client, f"{API}/reports/")
    assert ids(first["results"]) == [report.pk for report in everything[:25]]
    assert first["previous"] is None
    second = data(client, first["next"])
    assert ids(second["results"]) == [report.pk for report in everything[25:]]
    assert second["next"] is None
    assert second["previous"]
    whole = data(client, f"{API}/reports/?limit=200")
    assert ids(whole["results"]) == [report.pk for report in everything]
    assert whole["next"] is None
    assert ids(data(client, f"{API}/reports/?limit=1")["results"]) == [everything[0].pk]
    assert len(pages(client, f"{API}/reports/?limit=7")) == 6


def test_a_limit_that_is_not_1_to_200_answers_400_naming_limit(db, client):
    for limit in ["0", "201", "abc", "-1", "1.5", "1e2", "%C2%B2", "0200", "%2B5"]:
        for path in LISTS:
            body = error_of(client, f"{API}/{path}/?limit={limit}", 400)
            assert body["errors"] == {"limit": ["Enter a whole number from 1 to 200."]}, limit
    # An empty limit is no limit: 25.
    assert data(client, f"{API}/reports/?limit=")["next"] is None


def test_following_next_then_previous_gives_back_the_same_pages(forty_public_reports, client):
    for query in ["limit=3", "limit=4&sort=oldest", "limit=6&sort=state", "limit=5&sort=visit"]:
        forward = pages(client, f"{API}/reports/?{query}")
        assert len(forward) > 3
        backward = [forward[-1]]
        while backward[-1]["previous"]:
            backward.append(data(client, backward[-1]["previous"]))
        assert [ids(page["results"]) for page in reversed(backward)] == [
            ids(page["results"]) for page in forward
        ], query
        # The first page reached going back is the first page.
        assert backward[-1]["previous"] is None
        assert backward[-1]["next"]


def test_the_other_lists_page_back_and_forth_too(public_site, client):
    for path in ["states", "visits", "statements", "refusals"]:
        forward = pages(client, f"{API}/{path}/?limit=1")
        backward = [forward[-1]]
        while backward[-1]["previous"]:
            backward.append(data(client, backward[-1]["previous"]))
        assert [page["results"] for page in reversed(backward)] == [
            page["results"] for page in forward
        ]
        whole = data(client, f"{API}/{path}/?limit=200")["results"]
        assert [row for page in forward for row in page["results"]] == whole


def cursor_of(url):
    return dict(parse_qsl(urlsplit(url).query))["cursor"]


def test_a_cursor_tampered_with_answers_400_naming_cursor(public_site, client):
    """Cursors are signed: a changed one is refused, not followed."""
    following = data(client, f"{API}/reports/?limit=2")["next"]
    cursor = cursor_of(following)
    for forged in [
        cursor[:-1] + ("A" if cursor[-1] != "A" else "B"),
        "A" + cursor,
        cursor.replace(":", "", 1),
        "abc",
        "e30:1:signature",
        "%00",
    ]:
        body = error_of(client, with_parameter(following, "cursor", forged), 400)
        assert list(body["errors"]) == ["cursor"]


def test_a_cursor_made_for_another_order_or_list_answers_400(public_site, client):
    """A cursor holds the values of the keys of its order: in another order, or another
    list, they would mean another place."""
    newest = data(client, f"{API}/reports/?limit=2&sort=newest")["next"]
    for url in [
        with_parameter(newest, "sort", "oldest"),
        with_parameter(newest, "sort", "visit"),
        f"{API}/statements/?cursor={cursor_of(newest)}",
        f"{API}/recommendations/?cursor={cursor_of(newest)}",
    ]:
        assert list(error_of(client, url, 400)["errors"]) == ["cursor"], url
    visits = data(client, f"{API}/visits/?limit=2")["next"]
    assert list(error_of(client, f"{API}/statements/?cursor={cursor_of(visits)}", 400)["errors"])
    # Made for the same order, the cursor is good with other filters too.
    assert data(client, with_parameter(newest, "state", "JB"))["results"]


def publish(report, on=TODAY):
    """Publish ``report`` as staff do: read through private_objects, saved by the model."""
    report = Report.private_objects.get(pk=report.pk)
    report.publication_requested_on = on
    report.publish(on)
    return report


def test_a_report_published_between_two_pages_neither_repeats_nor_skips_a_row(public_site, client):
    w = public_site
    first = data(client, f"{API}/reports/?limit=2")
    assert ids(first["results"]) == pks(w, ["r4", "r2"])

    published = publish(w.never_published)  # today: newer than every other
    assert ids(data(client, f"{API}/reports/?limit=2")["results"]) == [published.pk, w.r4.pk]

    second = data(client, first["next"])
    assert ids(second["results"]) == pks(w, ["r3", "r1"])
    rest = every_row(client, second["next"])
    assert ids(rest) == pks(w, ["r5", "r6", "r7"])
    # Going back from there: the rows before r3, and the new report before them.
    before = data(client, second["previous"])
    assert ids(before["results"]) == pks(w, ["r4", "r2"])
    assert ids(data(client, before["previous"])["results"]) == [published.pk]


def test_a_report_withdrawn_between_two_pages_neither_repeats_nor_skips_a_row(public_site, client):
    w = public_site
    first = data(client, f"{API}/reports/?limit=2")
    assert ids(first["results"]) == pks(w, ["r4", "r2"])
    withdrawn = Report.private_objects.get(pk=w.r2.pk)
    withdrawn.published_on = None
    withdrawn.publication_ground = ""
    withdrawn.save()
    assert ids(every_row(client, first["next"])) == pks(w, ["r3", "r1", "r5", "r6", "r7"])


# Errors.

BAD_PARAMETERS = [
    ("reports", "state", "XX"),
    ("reports", "state", "JAP"),
    ("reports", "visit_type", "surprise"),
    ("reports", "place_type", "jail"),
    ("reports", "year", "abc"),
    ("reports", "year", "1800"),
    ("reports", "published_after", "2024-13-45"),
    ("reports", "published_before", "yesterday"),
    ("reports", "language", "english"),
    ("reports", "q", "x" * 201),
    ("reports", "q", "%00"),
    ("reports", "sort", "password"),
    ("reports", "cursor", "junk"),
    ("states", "cursor", "junk"),
    ("visits", "state", "XX"),
    ("visits", "visit_type", "surprise"),
    ("visits", "year", "88"),
    ("visits", "place_type", "castle"),
    ("statements", "state", "XX"),
    ("statements", "since", "2024-02-30"),
    ("statements", "until", "soon"),
    ("refusals", "kind", "rudeness"),
    ("refusals", "since", "01/02/2024"),
    ("refusals", "state", "ZZ"),
    ("recommendations", "theme", "nothing"),
    ("recommendations", "status", "done"),
    ("recommendations", "kind", "advice"),
    ("recommendations", "immediate", "maybe"),
    ("recommendations", "repeated", "2"),
    ("recommendations", "sort", "random"),
    ("non-cooperation", "state", "XX"),
    ("non-cooperation", "kind", "rudeness"),
    ("non-cooperation", "since", "2024-13-01"),
    ("non-cooperation", "by_year", "maybe"),
    ("non-cooperation", "include_empty", "2"),
    ("non-cooperation", "sort", "nothing"),
]


def test_a_bad_value_answers_400_naming_the_parameter(db, client):
    for path, parameter, value in BAD_PARAMETERS:
        body = error_of(client, f"{API}/{path}/?{parameter}={value}", 400)
        assert list(body) == ["status", "errors"]
        assert list(body["errors"]) == [parameter], (path, parameter, value)
        messages = body["errors"][parameter]
        assert messages and all(isinstance(message, str) and message for message in messages)


# Each endpoint's parameters.
PARAMETERS = {
    "reports": [
        *["state", "visit_type", "place_type", "year", "published_after", "published_before"],
        *["language", "q", "sort", "limit", "cursor"],
    ],
    "states": ["limit", "cursor"],
    "visits": ["state", "visit_type", "year", "place_type", "limit", "cursor"],
    "statements": ["state", "since", "until", "limit", "cursor"],
    "refusals": ["state", "kind", "since", "until", "limit", "cursor"],
    "recommendations": [
        *["state", "theme", "kind", "status", "year", "place_type", "immediate", "repeated"],
        *["q", "sort", "limit", "cursor"],
    ],
    "non-cooperation": ["state", "kind", "since", "until", "by_year", "include_empty", "sort"],
}


def test_no_value_of_any_parameter_gives_a_server_error(public_site, client):
    """The values that break parsers, each in each parameter alone, then in all at once: a
    200 or a 400, never a 500."""
    client.raise_request_exception = False
    answers = {}
    for path, names in PARAMETERS.items():
        for value in HOSTILE_VALUES:
            for parameters in [*({name: value} for name in names), dict.fromkeys(names, value)]:
                response = get(client, f"{API}/{path}/", parameters)
                answers[(path, value, tuple(parameters))] = response.status_code
    assert len(answers) > 1000
    assert {case: status for case, status in answers.items() if status not in (200, 400)} == {}


MANY_BAD_PARAMETERS = [
    ("reports", "state=XX&year=abc&language=xx&sort=none", {"state", "year", "language", "sort"}),
    ("visits", "state=XX&visit_type=x&year=abc", {"state", "visit_type", "year"}),
    ("statements", "since=x&until=y", {"since", "until"}),
    ("refusals", "kind=x&state=XX&until=y", {"kind", "state", "until"}),
    ("recommendations", "theme=x&status=y&immediate=z", {"theme", "status", "immediate"}),
    ("non-cooperation", "state=XX&kind=x&by_year=z", {"state", "kind", "by_year"}),
    ("non-cooperation", "since=2024-02-01&until=2024-01-01", {"until"}),
]


def test_every_bad_parameter_is_named_at_once(db, client):
    for path, query, parameters in MANY_BAD_PARAMETERS:
        assert set(error_of(client, f"{API}/{path}/?{query}", 400)["errors"]) == parameters


def test_the_errors_of_the_filters_are_in_french_when_asked(db, client):
    body = error_of(client, f"{API}/reports/?state=XX", 400, **FRENCH)
    assert body["errors"] == {"state": ["XX n'est le code d'aucun État connu."]}


UNKNOWN_ADDRESSES = [
    f"{API}/reports/999999/",
    f"{API}/reports/99999999999999999999/",
    f"{API}/reports/0/",
    f"{API}/visits/999999/",
    f"{API}/statements/999999/",
    f"{API}/refusals/999999/",
    f"{API}/recommendations/999999/",
    f"{API}/states/QQ/",
    f"{API}/reports/abc/",
    f"{API}/reports/-1/",
    f"{API}/reports/1/extra/",
    f"{API}/nothing/",
    f"{API}/non-cooperation/1/",
    f"{API}/",
]


def test_an_unknown_address_under_the_api_answers_404_in_json(db, client):
    for url in UNKNOWN_ADDRESSES:
        body = error_of(client, url, 404)
        assert set(body) == {"status", "detail"}, url
        assert body["detail"], url


def endpoints(w):
    """Every address of the API, a list and an object of each kind."""
    return [
        *[f"{API}/{path}/" for path in LISTS],
        f"{API}/reports/{w.r1.pk}/",
        f"{API}/states/JA/",
        f"{API}/visits/{w.v1.pk}/",
        f"{API}/statements/{w.statement.pk}/",
        f"{API}/refusals/{w.disclosed_refusal.pk}/",
        f"{API}/recommendations/{w.rec_public.pk}/",
        f"{API}/non-cooperation/",
        f"{API}/schema/",
    ]


def test_a_method_other_than_get_answers_405_with_allow(public_site, client):
    """The API is read-only: every other method is refused, by every endpoint, in JSON."""
    w = public_site
    before = {url: get(client, url).content for url in endpoints(w)[:-1]}
    for method in ["post", "put", "patch", "delete"]:
        for url in endpoints(w):
            response = getattr(client, method)(
                url, data='{"title": "Changed"}', content_type="application/json", **JSON
            )
            assert response.status_code == 405, (method, url)
            assert response.json()["status"] == 405
            allowed = {name.strip() for name in response["Allow"].split(",")}
            assert "GET" in allowed, url
            assert allowed.isdisjoint({"POST", "PUT", "PATCH", "DELETE"}), url
    # Nothing was written.
    assert {url: get(client, url).content for url in before} == before


def test_too_many_requests_answer_429_with_retry_after(public_site, client, settings):
    """The tests run without a limit; this one sets one. The requests are counted in the
    cache, which conftest.py's empty_cache empties before each test."""
    settings.API_ANON_RATE = "3/minute"
    for url in [f"{API}/reports/", f"{API}/states/JA/", f"{API}/non-cooperation/"]:
        assert get(client, url).status_code == 200
    response = get(client, f"{API}/visits/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["status"] == 429 and body["detail"]
    # Each client address is counted apart; the pages have no such limit.
    assert get(client, f"{API}/visits/", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/reports/").status_code == 200


# Conditional requests.


def test_an_answer_carries_an_etag_and_a_last_modified_and_must_be_revalidated(public_site, client):
    for url in endpoints(public_site)[:-1]:
        response = get(client, url)
        assert response.status_code == 200, url
        assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"]), url
        modified = email.utils.parsedate_to_datetime(response["Last-Modified"])
        assert modified.date() == TODAY
        assert response["Cache-Control"] == "no-cache"


def test_if_none_match_with_the_etag_answers_304_with_an_empty_body(public_site, client):
    for url in endpoints(public_site)[:-1]:
        first = get(client, url)
        again = get(client, url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
        assert again["Last-Modified"] == first["Last-Modified"]
        assert again["Cache-Control"] == "no-cache"
        # Among others, or weak.
        for held in [f'"0123", {first["ETag"]}', f"W/{first['ETag']}"]:
            assert get(client, url, HTTP_IF_NONE_MATCH=held).status_code == 304, held
        # Another language, another ETag.
        assert get(client, url, HTTP_IF_NONE_MATCH=first["ETag"], **FRENCH).status_code == 200


def test_if_modified_since_the_last_modified_answers_304(public_site, client):
    """Last-Modified is to the second: given back as If-Modified-Since, it is not earlier than
    the change it dates; a second earlier is."""
    for url in endpoints(public_site)[:-1]:
        first = get(client, url)
        again = get(client, url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
        earlier = email.utils.format_datetime(
            email.utils.parsedate_to_datetime(first["Last-Modified"])
            - datetime.timedelta(seconds=1),
            usegmt=True,
        )
        assert get(client, url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200, url


def test_a_public_change_makes_the_old_etag_stale(public_site, client):
    """A client holding the old ETag gets the new data, whether a report is published or
    withdrawn."""
    w = public_site
    url = f"{API}/reports/?limit=3"
    first = get(client, url)
    published = publish(w.never_published)
    again = get(client, url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert ids(again.json()["results"]) == [published.pk, w.r4.pk, w.r2.pk]
    assert get(client, url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304
    # And the other way: withdrawn, it is gone at once, from the list and as an object.
    detail = get(client, f"{API}/reports/{published.pk}/")
    assert detail.status_code == 200
    published.published_on = None
    published.publication_ground = ""
    published.save()
    assert get(client, url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 200
    assert ids(data(client, url)["results"]) == pks(w, ["r4", "r2", "r3"])
    gone = get(client, f"{API}/reports/{published.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"])
    assert gone.status_code == 404


def test_what_becomes_public_overnight_is_served_the_next_day(public_site, client, today):
    """Nothing is saved at midnight, yet the report, statement and refusal dated tomorrow
    become public: the ETag and Last-Modified change with the day."""
    w = public_site
    url = f"{API}/reports/?limit=1"
    first = get(client, url)
    assert ids(first.json()["results"]) == [w.r4.pk]

    today(TOMORROW)

    again = get(client, url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert ids(again.json()["results"]) == [w.published_tomorrow.pk]
    midnight = datetime.datetime.combine(
        TOMORROW, datetime.time(), tzinfo=timezone.get_default_timezone()
    )
    assert email.utils.parsedate_to_datetime(again["Last-Modified"]) == midnight
    assert get(client, url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200
    assert data(client, f"{API}/statements/{w.statement_tomorrow.pk}/")["issued_on"] == "2025-06-16"
    assert data(client, f"{API}/refusals/{w.refusal_disclosed_tomorrow.pk}/")["kind"] == "reprisal"


def test_a_confidential_change_leaves_the_answers_right(public_site, client):
    """A change the public cannot see may make the ETags change (every change does, today),
    but the answers stay what they were."""
    w = public_site
    urls = [f"{API}/reports/", f"{API}/visits/", f"{API}/states/JA/", f"{API}/refusals/"]
    before = {url: data(client, url) for url in urls}
    planned = Visit.private_objects.get(pk=w.planned.pk)
    planned.internal_notes = "SECRET-NEW-NOTE"
    planned.save()
    refusal = CooperationRefusal.private_objects.get(pk=w.undisclosed_refusal.pk)
    refusal.summary = "SECRET-NEW-SUMMARY"
    refusal.save()
    for url in urls:
        response = get(client, url)
        assert response.status_code == 200
        assert response.json() == before[url]
        assert "SECRET-NEW" not in response.content.decode()


# CORS.


def test_any_site_may_read_the_api_without_credentials(public_site, client):
    for url in endpoints(public_site):
        response = get(client, url, HTTP_ORIGIN="https://example.org")
        assert response.status_code == 200, url
        assert response["Access-Control-Allow-Origin"] == "*"
        assert not response.has_header("Access-Control-Allow-Credentials")
        exposed = {
            name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")
        }
        assert {"etag", "last-modified", "retry-after"} <= exposed
    # Errors too: a page reading the API reads its errors.
    response = get(client, f"{API}/reports/?year=abc", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_request_allows_get_and_not_post(public_site, client):
    response = client.options(
        f"{API}/reports/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match, accept-language",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    methods = {name.strip() for name in response["Access-Control-Allow-Methods"].split(",")}
    assert "GET" in methods
    assert methods.isdisjoint({"POST", "PUT", "PATCH", "DELETE"})
    headers = {name.strip() for name in response["Access-Control-Allow-Headers"].split(",")}
    assert {"if-none-match", "accept-language"} <= headers
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_the_pages_outside_the_api_send_no_cors_header(public_site, client):
    for url in ["/", "/reports/", "/reports/export.json", "/states/JA/", "/recommendations/"]:
        response = client.get(url, HTTP_ORIGIN="https://example.org")
        assert response.status_code == 200
        headers = [name for name, _value in response.items()]
        assert [name for name in headers if name.lower().startswith("access-control-")] == []
        preflight = client.options(
            url, HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
        )
        assert not preflight.has_header("Access-Control-Allow-Origin"), url


# The number of queries.


def queries_of(client, url):
    """How many queries ``url`` runs once what it keeps in the cache for every address (the
    States' and themes' choices, the States' counts) is there."""
    get(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, url)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def many_recommendations(count):
    """``count`` public reports, each with a recommendation under a theme, concerning the
    place visited, assessed from a published response."""
    prisons = Theme.private_objects.get(code="prisons")
    for report in many_public_reports(count):
        recommendation = factories.RecommendationFactory(report=report, themes=[prisons])
        recommendation.facilities.add(*Facility.private_objects.filter(state=report.state))
        factories.AssessmentFactory(recommendation=recommendation)


# Each list's queries, whatever the page size and the number of rows: the version of the
# published data, the States' choices (a FilterSet's) and the page's ids or rows; then
# reports (visits/api/items.py) their fields, visits, places, versions, responses (their
# versions only when a response is there: none here) and recommendations' ids;
# recommendations their fields, public assessments, themes, places and links; visits their
# places and reports (prefetches); States their five counts, one grouped query each.
LIST_QUERIES = {
    "reports": (many_public_reports, 9),
    "visits": (many_public_reports, 5),
    "states": (factories.StateFactory.create_batch, 7),
    "recommendations": (many_recommendations, 8),
}


@pytest.mark.parametrize("count", [3, 40])
@pytest.mark.parametrize("path", list(LIST_QUERIES))
def test_a_lists_queries_do_not_grow_with_its_rows_or_its_page_size(
    db, today, client, settings, path, count
):
    """The same number of queries for 2 rows and for 20, with 3 rows in the database or 40:
    the related rows come by prefetches, never one query per row."""
    # Nothing from the cache: neither the answer nor the items (visits/api/items.py).
    settings.PUBLIC_CACHE_SECONDS = 0
    make, expected = LIST_QUERIES[path]
    make(count)
    small, shown = queries_of(client, f"{API}/{path}/?limit=2")
    assert shown == 2
    large, shown = queries_of(client, f"{API}/{path}/?limit=20")
    assert shown >= min(count, 20)
    assert small == large == expected


# The OpenAPI schema.


def openapi(client, **headers):
    response = client.get(f"{API}/schema/", HTTP_ACCEPT="application/json", **headers)
    assert response.status_code == 200
    return response.json()


def test_the_schema_describes_every_endpoint_in_english(public_site, client):
    schema = openapi(client, **FRENCH)
    assert schema["openapi"].startswith("3.0")
    assert set(schema["paths"]) == {
        *[f"{API}/{path}/" for path in LISTS],
        *[f"{API}/{path}/{{id}}/" for path in LISTS if path != "states"],
        f"{API}/states/{{code}}/",
        f"{API}/non-cooperation/",
    }
    assert {method for item in schema["paths"].values() for method in item} == {"get"}
    assert schema["info"]["description"].startswith("Read-only access to what the public site")
    reports = schema["paths"][f"{API}/reports/"]["get"]
    assert reports["summary"] == "Published reports"
    parameters = {parameter["name"]: parameter for parameter in reports["parameters"]}
    assert set(parameters) == {
        "state",
        "visit_type",
        "place_type",
        "year",
        "published_after",
        "published_before",
        "language",
        "q",
        "sort",
        "cursor",
        "limit",
    }
    # The codes of the States held, read from the database.
    assert parameters["state"]["schema"]["items"]["enum"] == STATE_CODES
    assert parameters["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
        "default": 25,
    }


def json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable`` becomes a null alternative."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def schema_errors(schema, url, response):
    """What in ``response`` (to a GET of ``url``) the schema does not allow."""
    path = urlsplit(url).path
    for template, item in schema["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            described = item["get"]["responses"].get(str(response.status_code))
            break
    else:
        return [f"{path}: not in the schema"]
    if described is None:
        return [f"{path}: {response.status_code} not in the schema"]
    validator = jsonschema.Draft202012Validator(
        {
            **json_schema(described["content"]["application/json"]["schema"]),
            "components": json_schema(schema["components"]),
        },
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    return [f"{path}: {error.message}" for error in validator.iter_errors(response.json())]


def test_every_answer_is_what_the_schema_says(public_site, client):
    """Every answer the crawl of the API reaches, and its errors: refused parameters, objects
    not found, too many requests."""
    w = public_site
    annex = annexed_report(w)  # its public_statement is an object, not null
    schema = openapi(client)
    answers = crawl(client, CRAWL_STARTS)
    assert f"{API}/reports/{annex.pk}/" in answers
    del answers[f"{API}/schema/"]  # the schema is not in itself
    for url in [
        f"{API}/reports/?year=abc",
        f"{API}/recommendations/?status=done&limit=0",
        f"{API}/non-cooperation/?since=2024-02-01&until=2024-01-01",
        f"{API}/reports/{w.never_published.pk}/",
        f"{API}/visits/{w.planned.pk}/",
        f"{API}/states/XX/",
    ]:
        answers[url] = get(client, url)
        assert answers[url].status_code in (400, 404), url
    assert {response.status_code for response in answers.values()} == {200, 400, 404}
    errors = [error for url, r in answers.items() for error in schema_errors(schema, url, r)]
    assert errors == []
    # The check itself: an answer unlike the schema fails it.
    wrong = {**answers[f"{API}/reports/{annex.pk}/"].json(), "published_on": "5 Dec 2024"}
    del wrong["title"]
    answer = SimpleNamespace(status_code=200, json=lambda: wrong)
    assert len(schema_errors(schema, f"{API}/reports/{annex.pk}/", answer)) == 2


# Only JSON.

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_asking_for_html_never_gets_an_html_page(public_site, client, settings):
    """With debug off there is no browsable API: a client that takes HTML only is refused
    (406) in JSON; a browser, which takes anything besides, gets the JSON."""
    assert settings.DEBUG is False
    urls = [*endpoints(public_site)[:-1], f"{API}/reports/?year=abc"]
    for url in urls:
        for accept, status in [
            ("text/html", 406),
            ("application/xhtml+xml", 406),
            (BROWSER, 400 if "year=abc" in url else 200),
            ("*/*", 400 if "year=abc" in url else 200),
        ]:
            response = client.get(url, HTTP_ACCEPT=accept)
            assert response.status_code == status, (url, accept)
            assert response["Content-Type"] == "application/json", (url, accept)
            assert response.json()
            assert b"<html" not in response.content.lower()
    # Nor with the browsable API's own parameter.
    response = client.get(f"{API}/reports/?format=api", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    # Nor an address the API does not have, nor its schema.
    response = client.get(f"{API}/nothing/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    response = client.get(f"{API}/schema/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert b"<html" not in response.content.lower()
