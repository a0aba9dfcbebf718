"""The exports and the feed of the public report list (README, "The public site"): CSV and
JSON give the rows the list pages show, in the same order, all pages, with the documented
columns; the Atom feed parses and takes the same filters."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection

from tests import factories
from tests.public_data import many_public_reports
from tests.reading import body_of, report_ids_in
from visits.exports import REPORT_COLUMNS

D = datetime.date

pytestmark = pytest.mark.django_db

# As documented in visits/exports.py and on the list page, in this order.
COLUMNS = [
    "id",
    "url",
    "reference",
    "title",
    "state_code",
    "state",
    "visit_type",
    "visit_start_on",
    "visit_end_on",
    "place_types",
    "language",
    "published_on",
    "responses_published_on",
    "visits",
    "languages",
    "transmitted_on",
    "publication_ground",
]
ATOM = "{http://www.w3.org/2005/Atom}"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def csv_export(client, query=""):
    """(header, rows) of /reports/export.csv?<query>."""
    response = client.get(f"/reports/export.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = body_of(response).decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text[1:]))
    return reader.fieldnames, list(reader)


def json_export(client, query=""):
    response = client.get(f"/reports/export.json?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(body_of(response))


def all_pages(client, query=""):
    """The ids the list shows on all its pages, page after page until a 404."""
    ids, number = [], 1
    while True:
        response = client.get(f"/reports/?{query}&page={number}")
        if response.status_code == 404:
            return ids
        assert response.status_code == 200
        ids += report_ids_in(response.content.decode())
        number += 1


def feed(client, query=""):
    response = client.get(f"/reports/feed/?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(body_of(response))
    assert root.tag == f"{ATOM}feed"
    return root


def entry_ids(root):
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        href = entry.find(f"{ATOM}link").get("href")
        ids.append(int(re.fullmatch(r"http://testserver/reports/(\d+)/", href).group(1)))
    return ids


def test_the_documented_columns_in_their_order(public_site, client):
    assert REPORT_COLUMNS == COLUMNS
    header, _rows = csv_export(client)
    assert header == COLUMNS
    data = json_export(client)
    assert data["columns"] == COLUMNS
    assert all(list(row) == COLUMNS for row in data["reports"])


@pytest.mark.parametrize(
    "query",
    [
        "",
        "state=JA&state=jb",
        "sort=oldest",
        "sort=visit",
        "sort=state",
        "language=fr",
        "place_type=police",
        "year=2021",
        "published_after=2022-01-01&published_before=2024-06-20",
        "q=police+custody",
        "q=police+custody&sort=relevance",
        "q=nowhere",
    ],
)
def test_csv_and_json_give_the_rows_the_list_shows_in_its_order(public_site, client, query):
    shown = all_pages(client, query)
    _header, rows = csv_export(client, query)
    assert [int(row["id"]) for row in rows] == shown
    assert [row["id"] for row in json_export(client, query)["reports"]] == shown


def test_the_exports_hold_all_pages(public_site, client):
    many_public_reports(33)
    shown = all_pages(client)
    assert len(shown) == 40
    _header, rows = csv_export(client)
    assert [int(row["id"]) for row in rows] == shown
    assert [row["id"] for row in json_export(client)["reports"]] == shown
    assert len(json_export(client, "state=JV")["reports"]) == 33


def test_a_csv_row_has_iso_dates_absolute_urls_and_public_responses_only(public_site, client):
    w = public_site
    _header, rows = csv_export(client)
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[w.r1.pk] == {
        "id": str(w.r1.pk),
        "url": f"http://testserver/reports/{w.r1.pk}/",
        "reference": "CPT/Inf (2023) 11",
        "title": "Report to the Government of Ruritania on the periodic visit of 2022",
        "state_code": "JA",
        "state": "Ruritania",
        "visit_type": "periodic",
        "visit_start_on": "2022-05-09",
        "visit_end_on": "2022-05-20",
        "place_types": "police; prison",
        "language": "en",
        "published_on": "2023-04-12",
        "responses_published_on": "2023-09-05",
        "visits": "periodic 2022-05-09/2022-05-20",
        "languages": "en",
        "transmitted_on": "2022-11-18",
        "publication_ground": "state_request",
    }
    # r3 has a response published tomorrow; r2 one never published.
    assert by_id[w.r3.pk]["responses_published_on"] == "2024-12-02"
    assert by_id[w.r3.pk]["place_types"] == "prison; psychiatric; social_care"
    assert by_id[w.r2.pk]["responses_published_on"] == ""
    for row in rows:
        for column in ("visit_start_on", "visit_end_on", "published_on"):
            assert ISO_DATE.fullmatch(row[column]), row
        assert row["url"] == f"http://testserver/reports/{row['id']}/"


def test_a_json_row_has_iso_dates_absolute_urls_and_lists(public_site, client):
    w = public_site
    data = json_export(client, "state=ja&year=2024")
    assert data["generated_on"] == "2025-06-15"
    assert data["parameters"]["state"] == ["JA"]
    assert data["parameters"]["year"] == 2024
    assert data["reports"] == [
        {
            "id": w.r2.pk,
            "url": f"http://testserver/reports/{w.r2.pk}/",
            "reference": "CPT/Inf (2024) 21",
            "title": "Rapport au Gouvernement de la Ruritanie relatif à la visite ad hoc de 2024",
            "state_code": "JA",
            "state": "Ruritania",
            "visit_type": "ad_hoc",
            "visit_start_on": "2024-02-12",
            "visit_end_on": "2024-02-16",
            "place_types": ["immigration"],
            "language": "fr",
            "published_on": "2024-10-03",
            "responses_published_on": [],
            "visits": [{"type": "ad_hoc", "start": "2024-02-12", "end": "2024-02-16"}],
            "languages": ["fr"],
            "transmitted_on": "2024-07-19",
            "publication_ground": "state_request",
        }
    ]
    row_r1 = next(row for row in json_export(client)["reports"] if row["id"] == w.r1.pk)
    assert row_r1["place_types"] == ["police", "prison"]
    assert row_r1["responses_published_on"] == ["2023-09-05"]


def test_each_export_url_leads_to_the_report_page(public_site, client):
    for row in json_export(client)["reports"]:
        path = row["url"].removeprefix("http://testserver")
        assert client.get(path).status_code == 200


def test_the_feed_is_atom_with_the_public_reports_newest_first(public_site, client):
    w = public_site
    root = feed(client)
    assert entry_ids(root) == [r.pk for r in w.public_order]
    first = root.find(f"{ATOM}entry")
    title = first.find(f"{ATOM}title").text
    assert title.startswith("CPT/Inf (2025) 05")
    assert title.endswith(w.r4.title)
    assert first.find(f"{ATOM}published").text.startswith("2025-05-28T")
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Syldavia"
    assert root.find(f"{ATOM}updated").text.startswith("2025-05-28T")
    assert {link.get("rel") for link in root.findall(f"{ATOM}link")} == {"alternate", "self"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("state=JB", ["r4", "r3"]),
        ("state=jb", ["r4", "r3"]),
        ("state=JA&language=fr", ["r2"]),
        ("place_type=police&visit_type=ad_hoc", ["r4", "r7"]),
        ("q=police+custody", ["r1", "r7"]),
        ("year=2025", []),
    ],
)
def test_the_feed_takes_the_list_filters(public_site, client, query, expected):
    assert entry_ids(feed(client, query)) == [getattr(public_site, name).pk for name in expected]


@pytest.mark.parametrize("query", ["state=XX", "year=abc", "published_after=2024-13-45"])
def test_a_bad_filter_on_the_feed_answers_400(public_site, client, query):
    assert client.get(f"/reports/feed/?{query}").status_code == 400


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_postgresql_copy_writes_the_same_bytes_as_python(db, today, rf, settings, tmp_path):
    """On PostgreSQL the CSV rows are written by COPY; they must be the bytes Python's csv
    writes, whatever the filters and the sort (empty references, several places and
    responses, commas and quotes in titles)."""
    from tests import public_data
    from visits.exports import report_csv_lines
    from visits.parameters import report_filter

    settings.MEDIA_ROOT = tmp_path
    today(public_data.TODAY)
    public_data.build()
    odd = factories.ReportFactory(title='A title, with "quotes", a comma', reference="")
    factories.VisitedPlaceFactory(visit=odd.visit)
    factories.ResponseFactory(report=odd)
    factories.ResponseFactory(report=odd, received_on=D(2025, 1, 16), published_on=D(2025, 3, 1))
    for query in ["", "sort=oldest", "sort=state", "q=visit", "place_type=prison&sort=visit"]:
        request = rf.get(f"/reports/export.csv?{query}")
        reports = report_filter(request).qs

        def written(use_copy, reports=reports, request=request):
            return "".join(
                piece.decode() if isinstance(piece, bytes) else piece
                for piece in report_csv_lines(reports, request, use_copy=use_copy)
            )

        by_python = written(False)
        assert by_python.count("\r\n") > 2
        assert written(True) == by_python, query
