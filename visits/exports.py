"""Rows of the public report list for CSV and JSON, streamed, and the CSV and JSON writers
shared by every export: the report list, the non-cooperation summary (its rows come from
``visits.noncooperation``), the admin's staff exports and the commands.

Columns (stable; documented in README.md and on the list page):
  id, url, reference, title, state_code, state, visit_type, visit_start_on, visit_end_on,
  place_types, language, published_on, responses_published_on, visits, languages,
  transmitted_on, publication_ground
A report may cover several visits: ``visit_type`` gives their types, ``visit_start_on`` the
earliest start and ``visit_end_on`` the latest end, ``visits`` each one (CSV: ``periodic
2016-04-13/2016-04-18; ad_hoc 2016-07-19/2016-07-25``; JSON: objects with type, start, end).
``language`` is the authentic version's, ``languages`` every version's. Dates are ISO 8601;
lists are separated by "; " in CSV and are arrays in JSON.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    CharField,
    Manager,
    OuterRef,
    Prefetch,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Concat, NullIf, Replace
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from visits import countries
from visits.models import (
    Document,
    Recommendation,
    ReportVisit,
    Response,
    State,
    Theme,
    Visit,
    VisitedPlace,
)
from visits.querysets import status_annotations

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import QuerySet
    from django.db.models.sql.compiler import SQLCompiler
    from django.http import HttpRequest

    from visits.models import Report
    from visits.noncooperation import Filters

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
    "visits",
    "languages",
    "transmitted_on",
    "publication_ground",
]

# The recommendation list's columns (stable; documented in README.md and on the list page).
# ``status`` is the latest public assessment's (``not_assessed`` when none); ``repeats_id``
# and ``repeated_by_ids`` name public recommendations only.
RECOMMENDATION_COLUMNS = [
    "id",
    "url",
    "report_reference",
    "report_url",
    "state_code",
    "state",
    "paragraph",
    "kind",
    "themes",
    "immediate_action",
    "text",
    "status",
    "status_assessed_on",
    "status_source",
    "repeats_id",
    "repeated_by_ids",
    "visit_start_on",
]

CHUNK = 2000
# Lines of CSV (or rows of JSON) sent to the server at a time: one write per line would cost
# more than making the line.
BATCH = 500

# The first line of every staff file: it may hold what the public must never see.
CONFIDENTIAL_NOTICE = (
    "CONFIDENTIAL - staff only. Holds undisclosed refusals, unpublished reports and internal "
    "notes (Article 11 of the Convention): do not publish or forward."
)


def with_public_relations(reports: QuerySet[Report]) -> QuerySet[Report]:
    """The related rows a report page shows, each through its own public manager: the
    visits (earliest first) with their places, the documents, the recommendations, the
    responses with their documents.
    ``reports`` come from ``Report.public_objects``."""
    return reports.select_related("state", "public_statement").prefetch_related(
        Prefetch(
            "visits",
            queryset=Visit.public_objects.order_by("start_on", "id"),
            to_attr="public_visits",
        ),
        Prefetch(
            "public_visits__places",
            queryset=VisitedPlace.public_objects.all().select_related("facility"),
            to_attr="public_places",
        ),
        # The reports are public: their versions, their published responses and those
        # responses' versions are too, with no second test of the rule (visits.querysets).
        Prefetch(
            "documents",
            queryset=Document.public_objects.of_public_reports(),
            to_attr="public_documents",
        ),
        # Each with its public status and its themes (visits.querysets: with_status).
        Prefetch(
            "recommendations",
            queryset=Recommendation.public_objects.with_status()
            .order_by("paragraph_number", "paragraph", "kind", "id")
            .prefetch_related(
                Prefetch("themes", queryset=Theme.public_objects.order_by("position", "code"))
            ),
            to_attr="public_recommendations",
        ),
        Prefetch(
            "responses",
            queryset=Response.public_objects.of_public_reports().prefetch_related(
                Prefetch(
                    "documents",
                    queryset=Document.public_objects.of_public_responses(),
                    to_attr="public_documents",
                )
            ),
            to_attr="public_responses",
        ),
    )


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


class Joined(Aggregate):
    """The values of a column as one text. On PostgreSQL sorted and separated by
    ``separator`` (STRING_AGG); on SQLite in no particular order, separated by commas
    (GROUP_CONCAT takes no separator with DISTINCT). For values without commas or
    semicolons: codes, ISO dates."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(distinct)s%(expressions)s)"
    allow_distinct = True
    output_field = CharField()

    def __init__(self, *expressions: Any, separator: str = ",", **extra: Any) -> None:
        super().__init__(*expressions, **extra)
        self.separator = separator

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Sequence[Any]]:
        sql, params = self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template=(
                f"%(function)s(%(distinct)s(%(expressions)s)::text, '{self.separator}' "
                "ORDER BY (%(expressions)s)::text)"
            ),
            **extra,
        )
        # The expression is written twice (aggregated, then sorted): its parameters too.
        return sql, (*params, *params)


def _joined(
    related: QuerySet[Any] | Manager[Any],
    link: dict[str, OuterRef],
    column: str | Combinable,
    distinct: bool = False,
    separator: str = ",",
) -> Subquery:
    """A subquery: ``column`` of the ``related`` rows of each outer row, joined."""
    return Subquery(
        related.filter(**link)
        .order_by()
        .values(*link)
        .annotate(joined=Joined(column, distinct=distinct, separator=separator))
        .values("joined")
    )


def _split(joined: str | None) -> list[str]:
    return sorted(joined.split(",")) if joined else []


REPORT_FIELDS = [
    "pk",
    "reference",
    "title",
    "state__code",
    "state__name",
    "visit_types",
    "visits_start_on",
    "visits_end_on",
    "authentic_language",
    "published_on",
    "transmitted_on",
    "publication_ground",
    "place_types_joined",
    "responses_joined",
    "visits_text",
    "languages",
    "state__is_demo",
]


# Where the lists go in a record (REPORT_COLUMNS order).
LIST_COLUMNS = tuple(
    REPORT_COLUMNS.index(column)
    for column in ("place_types", "responses_published_on", "visits", "languages")
)
VISITS_COLUMN = REPORT_COLUMNS.index("visits")


def _place_types(separator: str = ",") -> Subquery:
    """The types of the places the outer report's visits went to, joined. The places are read
    by their visit's id, with no join through the visits table."""
    visits = ReportVisit.public_objects.of_public_reports().filter(report=OuterRef(OuterRef("pk")))
    places = VisitedPlace.public_objects.of_public_visits().filter(visit__in=visits.values("visit"))
    return Subquery(
        places.order_by()
        .annotate(one=Value(1))
        .values("one")  # one group: every place of the report
        .annotate(joined=Joined("facility__place_type", distinct=True, separator=separator))
        .values("joined")
    )


# A report's visits and versions as lists and exports show them are stored on the report
# (Report.visit_types, visits_text, languages, authentic_language; visits.models keeps them):
# every visit and version of a public report is public. Read by correlated subqueries, they
# made the CSV export three times slower and a list page a third slower (docs/decisions.md).


def visit_records(text: str | None) -> list[dict[str, str]]:
    """The visits of ``Report.visits_text`` (``periodic 2016-04-13/2016-04-18`` each), earliest
    first."""
    visits = []
    for visit in _split(text):
        kind, days = visit.split(" ", 1)
        start, end = days.split("/")
        visits.append({"type": kind, "start": start, "end": end})
    return sorted(visits, key=lambda v: (v["start"], v["end"], v["type"]))


def _visit_text(visit: dict[str, str]) -> str:
    return f"{visit['type']} {visit['start']}/{visit['end']}"


def report_records(reports: QuerySet[Report], request: HttpRequest) -> Iterator[list[Any]]:
    """One list per report, in REPORT_COLUMNS order and the queryset's order; place types
    and response dates as sorted lists, dates as ``date`` objects.

    ``reports`` is a ``Report.public_objects.all()`` queryset. One query: each row carries the
    types of the places its visits went to and its public responses' dates, joined by the
    database, and its visits and versions as stored on the report. Streamed:
    read through a database cursor CHUNK rows at a time, so that memory does not grow with
    the number of rows."""
    url = request.build_absolute_uri(reverse("visits:report_detail", args=[0]))[: -len("0/")]
    rows = reports.annotate(
        place_types_joined=_place_types(),
        responses_joined=_joined(
            Response.public_objects.of_public_reports(),
            {"report": OuterRef("pk")},
            "published_on",
        ),
    ).values_list(*REPORT_FIELDS)
    request_language = _language(request)
    # Within a transaction, PostgreSQL streams the cursor; outside one, Django declares it
    # WITH HOLD, which makes the database compute every row before the first is sent.
    with transaction.atomic():
        for row in rows.iterator(chunk_size=CHUNK):
            pk, reference, title, code, state, kinds, start, end, language, published = row[:10]
            transmitted, ground, places, responses, visits, languages, is_demo = row[10:]
            yield [
                pk,
                f"{url}{pk}/",
                reference,
                title,
                code,
                countries.state_name(code, state, is_demo, request_language),
                "; ".join(_split(kinds)),
                start,
                end,
                _split(places),
                language or None,
                published,
                _split(responses),
                visit_records(visits),
                _split(languages),
                transmitted,
                ground,
            ]


def _language(request: HttpRequest) -> str | None:
    """The language of the request an export answers. Its rows are written after the view
    has returned, when the language active in the thread may be another request's."""
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language()


def report_rows(reports: QuerySet[Report], request: HttpRequest) -> Iterator[dict[str, Any]]:
    """The records of ``report_records`` as dicts with ISO dates (the JSON export)."""
    for record in report_records(reports, request):
        row = dict(zip(REPORT_COLUMNS, record, strict=True))
        for column in ("visit_start_on", "visit_end_on", "published_on", "transmitted_on"):
            row[column] = _iso(row[column])
        yield row


def report_csv_lines(
    reports: QuerySet[Report], request: HttpRequest, use_copy: bool | None = None
) -> Iterator[str | bytes]:
    """The report list as CSV lines (the CSV export): on PostgreSQL written by the database
    itself (``_report_csv_by_copy``), elsewhere by Python a batch at a time. The two give the
    same bytes (a test compares them)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(REPORT_COLUMNS)
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if use_copy:
        yield from _report_csv_by_copy(reports, request)
        return
    batch = []
    for record in report_records(reports, request):
        # str() of a date is ISO 8601: csv writes dates as they should be.
        record[VISITS_COLUMN] = [_visit_text(visit) for visit in record[VISITS_COLUMN]]
        for column in LIST_COLUMNS:
            record[column] = "; ".join(record[column])
        batch.append(record)
        if len(batch) == BATCH:
            yield "".join(map(writer.writerow, batch))
            batch = []
    yield "".join(map(writer.writerow, batch))


def _report_csv_by_copy(reports: QuerySet[Report], request: HttpRequest) -> Iterator[bytes]:
    """The CSV rows of ``reports`` (a ``Report.public_objects.all()`` queryset), made by
    PostgreSQL: COPY (the queryset's own SQL, so the same rows in the same order) TO STDOUT in
    CSV, streamed from a cursor in a transaction, a batch of rows per write. Python only passes
    the bytes on: about twice as fast as writing the rows in Python.

    Written as Python's csv module writes them: ISO dates (DateStyle ISO), an empty value for
    an empty text (NULLIF: PostgreSQL would write ""), lines ending in CRLF."""
    url = request.build_absolute_uri(reverse("visits:report_detail", args=[0]))[: -len("0/")]
    names = countries.name_in_sql(
        "state__code",
        "state__name",
        State.public_objects.values_list("code", "name", "is_demo"),
        _language(request),
    )

    def text(field: str) -> NullIf:
        return NullIf(field, Value(""))

    def listed(field: str) -> NullIf:
        """A stored list (values joined by commas) as the CSV writes it."""
        joined = Replace(field, Value(","), Value("; "), output_field=TextField())
        return NullIf(joined, Value(""), output_field=TextField())

    columns = reports.annotate(
        csv_url=Concat(Value(url), Cast("pk", CharField()), Value("/"), output_field=CharField()),
        csv_reference=text("reference"),
        csv_title=text("title"),
        csv_state_code=text("state__code"),
        csv_state=NullIf(names, Value("")),
        csv_visit_type=listed("visit_types"),
        csv_places=_place_types(separator="; "),
        csv_responses=_joined(
            Response.public_objects.of_public_reports(),
            {"report": OuterRef("pk")},
            "published_on",
            separator="; ",
        ),
        # In the order of the visits, as "periodic 2016-04-13/2016-04-18".
        csv_visits=listed("visits_text"),
        csv_languages=listed("languages"),
        csv_language=text("authentic_language"),
        csv_ground=text("publication_ground"),
    ).values_list(
        "pk",
        "csv_url",
        "csv_reference",
        "csv_title",
        "csv_state_code",
        "csv_state",
        "csv_visit_type",
        "visits_start_on",
        "visits_end_on",
        "csv_places",
        "csv_language",
        "published_on",
        "csv_responses",
        "csv_visits",
        "csv_languages",
        "transmitted_on",
        "csv_ground",
    )
    sql, params = columns.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        # COPY takes no parameters: the values are bound into the statement by the driver
        # (Django's PostgreSQL cursors bind on the client side).
        statement = cursor.mogrify(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)
        with cursor.copy(statement) as copy:
            batch = []
            # One message per row, ending in "\n": CRLF as csv.writer ends its lines.
            for row in copy:
                batch.append(bytes(row[:-1]) + b"\r\n")
                if len(batch) == BATCH:
                    yield b"".join(batch)
                    batch = []
            yield b"".join(batch)


def recommendation_rows(
    recommendations: QuerySet[Recommendation], request: HttpRequest, for_csv: bool = False
) -> Iterator[dict[str, Any]]:
    """One dict per recommendation, in RECOMMENDATION_COLUMNS, in the queryset's order.

    ``recommendations`` is a ``Recommendation.public_objects`` queryset. One query, read
    through a cursor CHUNK rows at a time (constant memory): each row carries its public
    status, its themes' codes and the public recommendations repeating it, found by the
    database. ``for_csv``: yes/no as ``true``/``false`` (JSON keeps its booleans)."""
    url = request.build_absolute_uri(reverse("visits:recommendation_detail", args=[0]))[
        : -len("0/")
    ]
    report_url = request.build_absolute_uri(reverse("visits:report_detail", args=[0]))[: -len("0/")]
    language = _language(request)
    public = Recommendation.public_objects
    rows = (
        recommendations.annotate(**status_annotations())
        .annotate(
            themes_joined=_joined(
                Theme.public_objects, {"recommendations": OuterRef("pk")}, "code"
            ),
            public_repeats=Subquery(public.filter(pk=OuterRef("repeats_id")).values("pk")),
            repeated_by_joined=_joined(public, {"repeats": OuterRef("pk")}, "pk"),
        )
        .values_list(
            "pk",
            "report_id",
            "report__reference",
            "report__state__code",
            "report__state__name",
            "report__state__is_demo",
            "paragraph",
            "kind",
            "themes_joined",
            "immediate_action",
            "text",
            "public_status",
            "status_on",
            "status_source",
            "public_repeats",
            "repeated_by_joined",
            "report__visits_start_on",
        )
    )
    with transaction.atomic():
        for row in rows.iterator(chunk_size=CHUNK):
            pk, report, reference, code, state, is_demo, paragraph, kind, themes = row[:9]
            immediate, text, status, status_on, source, repeats, repeated_by, start = row[9:]
            later = sorted(int(pk) for pk in _split(repeated_by))
            yield {
                "id": pk,
                "url": f"{url}{pk}/",
                "report_reference": reference,
                "report_url": f"{report_url}{report}/",
                "state_code": code,
                "state": countries.state_name(code, state, is_demo, language),
                "paragraph": paragraph,
                "kind": kind,
                "themes": _split(themes),
                "immediate_action": ("true" if immediate else "false") if for_csv else immediate,
                "text": text,
                "status": status,
                "status_assessed_on": _iso(status_on),
                "status_source": source,
                "repeats_id": repeats,
                "repeated_by_ids": [str(pk) for pk in later] if for_csv else later,
                "visit_start_on": _iso(start),
            }


def noncooperation_title(filters: Filters, public: bool, detail: bool = False) -> str:
    if detail:
        what = "Refusals to co-operate, one row per refusal"
    elif filters.by_year:
        what = "Non-cooperation summary by State and year"
    else:
        what = "Non-cooperation summary by State"
    source = "public data only" if public else "staff data, confidential records included"
    return f"{what} ({source})"


def noncooperation_parameters(filters: Filters) -> dict[str, Any]:
    """The filters in effect, as JSON values; those left empty are left out."""
    parameters = {
        "state": list(filters.states),
        "kind": list(filters.kinds),
        "since": _iso(filters.since),
        "until": _iso(filters.until),
        "by_year": filters.by_year,
        "include_empty": filters.include_empty,
        "sort": filters.sort,
    }
    return {name: value for name, value in parameters.items() if value not in (None, [], False)}


def noncooperation_preamble(
    filters: Filters, public: bool, detail: bool = False
) -> list[list[str]]:
    """The rows above a CSV file's column names: for staff, the confidentiality notice; then
    what the file holds, its period, the filters and the day it was made."""
    since = _iso(filters.since) or "the first record"
    until = _iso(filters.until) or "the latest record"
    heading = [
        noncooperation_title(filters, public, detail),
        f"period: {since} to {until}",
        f"made on: {timezone.localdate().isoformat()}",
    ]
    if filters.states:
        heading.append("States: " + ", ".join(filters.states))
    if filters.kinds:
        heading.append("kinds: " + ", ".join(filters.kinds))
    return [heading] if public else [[CONFIDENTIAL_NOTICE], heading]


def noncooperation_meta(
    filters: Filters, public: bool, columns: list[str], detail: bool = False
) -> dict[str, Any]:
    """The keys of a JSON export before its rows."""
    meta = {"title": noncooperation_title(filters, public, detail), "confidential": not public}
    if not public:
        meta["notice"] = CONFIDENTIAL_NOTICE
    meta.update(
        {
            "period": {"since": _iso(filters.since), "until": _iso(filters.until)},
            "parameters": noncooperation_parameters(filters),
            "columns": columns,
        }
    )
    return meta


class _Echo:
    """A file-like object whose write() returns the line for StreamingHttpResponse."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    """A CSV cell: lists joined by "; ", dates in ISO 8601, nothing for an empty value."""
    if isinstance(value, list):
        return "; ".join(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def csv_lines(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    preamble: Iterable[Sequence[Any]] = (),
    byte_order_mark: bool = True,
) -> Iterator[str]:
    """The lines of a CSV file: ``preamble`` rows (a title, a confidentiality notice), the
    column names, then one line per row, produced one at a time."""
    writer = csv.writer(_Echo())
    if byte_order_mark:
        yield "\ufeff"  # a byte-order mark, so that spreadsheets read the file as UTF-8
    for line in preamble:
        yield writer.writerow(line)
    yield writer.writerow(columns)
    batch = []
    for row in rows:
        batch.append(writer.writerow([_cell(row.get(column)) for column in columns]))
        if len(batch) == BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def json_pieces(
    rows: Iterable[Mapping[str, Any]], key: str, meta: Mapping[str, Any]
) -> Iterator[str]:
    """A JSON object piece by piece: ``generated_on``, the metadata, then the rows as an
    array under ``key``. Dates become ISO 8601 strings."""
    head = {"generated_on": timezone.localdate().isoformat(), **meta}
    yield json.dumps(head, ensure_ascii=False, default=_json_value)[:-1] + f', "{key}": ['
    batch = []
    for index, row in enumerate(rows):
        row = {name: _json_value(value) for name, value in row.items()}
        batch.append(("," if index else "") + json.dumps(row, ensure_ascii=False))
        if len(batch) == BATCH:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + "]}"


def csv_response(
    rows: Iterable[Mapping[str, Any]] | None,
    columns: Sequence[str],
    filename: str,
    preamble: Iterable[Sequence[Any]] = (),
    lines: Iterable[str | bytes] | None = None,
) -> StreamingHttpResponse:
    """A CSV file streamed: ``rows`` (dicts) written as csv_lines does, or ready ``lines``."""
    response = StreamingHttpResponse(
        # rows is None only when lines are given.
        lines if lines is not None else csv_lines(rows, columns, preamble),  # type: ignore[arg-type]
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(
    rows: Iterable[Mapping[str, Any]], key: str, meta: Mapping[str, Any], filename: str
) -> StreamingHttpResponse:
    """A JSON object streamed piece by piece: the metadata, then the rows as an array."""
    response = StreamingHttpResponse(
        json_pieces(rows, key, meta), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
