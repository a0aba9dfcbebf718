"""Rows of the public report list for CSV and JSON, streamed (design section 4).

Columns (stable; documented in README.md and on the list page):
  id, url, reference, title, state_code, state, visit_type, visit_start_on, visit_end_on,
  place_types, language, published_on, responses_published_on
Dates are ISO 8601; lists (place types, response dates) are separated by "; " in CSV and are
arrays in JSON.
"""

import csv
import json

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.urls import reverse

from visits import clock
from visits.models import Response, VisitedPlace

REPORT_COLUMNS = [
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
]

CHUNK = 1000


def with_public_relations(reports):
    """The related rows a report page or export shows, each through its own public()."""
    return reports.select_related("visit__state").prefetch_related(
        Prefetch(
            "visit__places",
            queryset=VisitedPlace.objects.public().select_related("facility"),
            to_attr="public_places",
        ),
        Prefetch("responses", queryset=Response.objects.public(), to_attr="public_responses"),
    )


def _iso(day):
    return day.isoformat() if day else None


def report_rows(reports, request):
    """One dict per report, in the queryset's order, fetched in chunks."""
    for report in with_public_relations(reports).iterator(chunk_size=CHUNK):
        visit = report.visit
        yield {
            "id": report.pk,
            "url": request.build_absolute_uri(reverse("visits:report_detail", args=[report.pk])),
            "reference": report.reference,
            "title": report.title,
            "state_code": visit.state.code,
            "state": visit.state.name,
            "visit_type": visit.visit_type,
            "visit_start_on": _iso(visit.start_on),
            "visit_end_on": _iso(visit.end_on),
            "place_types": sorted({place.facility.place_type for place in visit.public_places}),
            "language": report.language,
            "published_on": _iso(report.published_on),
            "responses_published_on": [_iso(r.published_on) for r in report.public_responses],
        }


class _Echo:
    """A file-like object whose write() returns the line for StreamingHttpResponse."""

    def write(self, value):
        return value


def csv_response(rows, columns, filename):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a byte-order mark, so that spreadsheets read the file as UTF-8
        yield writer.writerow(columns)
        for row in rows:
            yield writer.writerow(
                ["; ".join(v) if isinstance(v, list) else v for v in map(row.get, columns)]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(rows, key, meta, filename):
    """A JSON object streamed piece by piece: the metadata, then the rows as an array."""

    def pieces():
        head = {"generated_on": clock.today().isoformat(), **meta}
        yield json.dumps(head, ensure_ascii=False)[:-1] + f', "{key}": ['
        for index, row in enumerate(rows):
            yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(pieces(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
