"""The API's reports and recommendations as JSON-ready dicts, made from a page's ids by a few
``values()`` queries through the public managers.

``ReportSerializer`` and ``RecommendationSerializer`` (visits/api/serializers.py) describe
these dicts for the schema, and the tests check every answer against it. The dicts are made
here rather than by the serializers because these two lists are the API's busiest, and
REST framework's fields over prefetched model objects (the other lists' way) cost most of
their time: an uncached page of 25 reports took 19 ms of CPU on the demo data (SQLite),
made here 11 ms; 25 recommendations 19 ms and 12 ms (docs/decisions.md, "The API").

Every query starts from the public managers: the ids come from a public list, and are
narrowed again here, so that an id that is not public gives nothing. Each item of a list is
kept in the cache until the published data changes (``_cached``; docs/decisions.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import translation

from visits import countries
from visits.api.serializers import split, url_maker
from visits.cache import cached_values
from visits.models import (
    Assessment,
    Document,
    Facility,
    Recommendation,
    Report,
    ReportVisit,
    Response,
    VisitedPlace,
)
from visits.querysets import NOT_ASSESSED

REPORT_FIELDS = (
    "pk",
    "reference",
    "title",
    "state__code",
    "state__name",
    "state__is_demo",
    "summary",
    "visit_types",
    "visits_start_on",
    "visits_end_on",
    "transmitted_on",
    "published_on",
    "publication_ground",
    "public_statement_id",
    "public_statement__title",
    "public_statement__issued_on",
    "public_statement__date_precision",
    "authentic_language",
    "languages",
)


def _grouped(rows: Any, key: str) -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row.pop(key), []).append(row)
    return grouped


def _documents(versions: list[dict[str, Any]], report: int, link: str) -> list[dict[str, Any]]:
    return [
        {
            "id": version["pk"],
            "language": version["language"],
            "authentic": version["authentic"],
            "size": version["size"],
            "download_url": link.format(report, version["pk"]),
        }
        for version in versions
    ]


def _cached(kind: str, ids: list[int], context: dict[str, Any], make: Any) -> list[dict[str, Any]]:
    """``make(ids, context)``'s items, each cached until the published data changes, by
    id, address and language (its URLs are absolute, its State named in the language):
    a report or a recommendation is an item of many lists (every filter, sort and cursor
    that reaches it), made once."""
    request = context["request"]
    parts = (request.scheme, request.get_host(), translation.get_language())
    found = cached_values(
        kind, ids, parts, lambda missing: {item["id"]: item for item in make(missing, context)}
    )
    return [found[pk] for pk in ids if pk in found]


def report_items(ids: list[int], context: dict[str, Any]) -> list[dict[str, Any]]:
    """The public reports ``ids``, in that order (visits/cache.py keeps each)."""
    return _cached("api-report", ids, context, make_report_items)


def make_report_items(ids: list[int], context: dict[str, Any]) -> list[dict[str, Any]]:
    """The public reports ``ids``, in that order: seven queries, whatever their number."""
    reports = {
        row["pk"]: row for row in Report.public_objects.filter(pk__in=ids).values(*REPORT_FIELDS)
    }
    ids = [pk for pk in ids if pk in reports]
    # Every visit of a public report is public, and every place of a public visit, every
    # version of a public report and the published responses' versions (visits.querysets).
    covered = _grouped(
        ReportVisit.public_objects.of_public_reports()
        .filter(report__in=ids)
        .order_by("visit__start_on", "visit_id")
        .values(
            "report_id",
            "visit_id",
            "visit__visit_type",
            "visit__start_on",
            "visit__end_on",
            "visit__delegation",
        ),
        "report_id",
    )
    visit_ids = [visit["visit_id"] for visits in covered.values() for visit in visits]
    places = _grouped(
        VisitedPlace.public_objects.of_public_visits()
        .filter(visit__in=visit_ids)
        .order_by("first_day_on", "id")
        .values(
            "visit_id",
            "facility__name",
            "facility__place_type",
            "facility__locality",
            "first_day_on",
            "last_day_on",
        ),
        "visit_id",
    )
    versions = _grouped(
        Document.public_objects.of_public_reports()
        .filter(report__in=ids)
        .values("report_id", "pk", "language", "authentic", "size"),
        "report_id",
    )
    responses = _grouped(
        Response.public_objects.of_public_reports()
        .filter(report__in=ids)
        .values("report_id", "pk", "reference", "published_on"),
        "report_id",
    )
    response_ids = [response["pk"] for listed in responses.values() for response in listed]
    response_versions = _grouped(
        Document.public_objects.of_public_responses()
        .filter(response__in=response_ids)
        .values("response_id", "pk", "language", "authentic", "size"),
        "response_id",
    )
    recommendations: dict[int, list[int]] = {}
    for report, pk in (
        Recommendation.public_objects.of_public_reports()
        .filter(report__in=ids)
        .order_by("paragraph_number", "paragraph", "kind", "id")
        .values_list("report_id", "pk")
    ):
        recommendations.setdefault(report, []).append(pk)

    api, page = url_maker(context, "api:report-detail"), url_maker(context, "visits:report_detail")
    visit_url = url_maker(context, "api:visit-detail")
    statement_url = url_maker(context, "api:statement-detail")
    download = url_maker(context, "visits:report_document", 2)
    items = []
    for pk in ids:
        row = reports[pk]
        visits = [
            {
                "id": visit["visit_id"],
                "url": visit_url.format(visit["visit_id"]),
                "visit_type": visit["visit__visit_type"],
                "start_on": visit["visit__start_on"],
                "end_on": visit["visit__end_on"],
                "places": [
                    {
                        "name": place["facility__name"],
                        "place_type": place["facility__place_type"],
                        "locality": place["facility__locality"],
                        "first_day_on": place["first_day_on"],
                        "last_day_on": place["last_day_on"],
                    }
                    for place in places.get(visit["visit_id"], [])
                ],
                "delegation": [
                    line.strip() for line in visit["visit__delegation"].splitlines() if line.strip()
                ],
            }
            for visit in covered.get(pk, [])
        ]
        statement = None
        if row["public_statement_id"]:
            statement = {
                "id": row["public_statement_id"],
                "url": statement_url.format(row["public_statement_id"]),
                "title": row["public_statement__title"],
                "issued_on": row["public_statement__issued_on"],
                "date_precision": row["public_statement__date_precision"],
            }
        items.append(
            {
                "id": pk,
                "url": api.format(pk),
                "html_url": page.format(pk),
                "reference": row["reference"],
                "title": row["title"],
                "state_code": row["state__code"],
                "state": countries.state_name(
                    row["state__code"], row["state__name"], row["state__is_demo"]
                ),
                "summary": row["summary"],
                "visit_types": split(row["visit_types"]),
                "visit_start_on": row["visits_start_on"],
                "visit_end_on": row["visits_end_on"],
                "visits": visits,
                "place_types": sorted(
                    {place["place_type"] for visit in visits for place in visit["places"]}
                ),
                "transmitted_on": row["transmitted_on"],
                "published_on": row["published_on"],
                "publication_ground": row["publication_ground"],
                "public_statement": statement,
                "language": row["authentic_language"],
                "languages": split(row["languages"]),
                "documents": _documents(versions.get(pk, []), pk, download),
                "responses": [
                    {
                        "id": response["pk"],
                        "reference": response["reference"],
                        "published_on": response["published_on"],
                        "documents": _documents(
                            response_versions.get(response["pk"], []), pk, download
                        ),
                    }
                    for response in responses.get(pk, [])
                ],
                "recommendation_ids": recommendations.get(pk, []),
            }
        )
    return items


RECOMMENDATION_FIELDS = (
    "pk",
    "report_id",
    "report__reference",
    "report__state__code",
    "report__state__name",
    "report__state__is_demo",
    "paragraph",
    "kind",
    "immediate_action",
    "text",
    "repeats_id",
    "report__visits_start_on",
)


def recommendation_items(ids: list[int], context: dict[str, Any]) -> list[dict[str, Any]]:
    """The public recommendations ``ids``, in that order (visits/cache.py keeps each)."""
    return _cached("api-recommendation", ids, context, make_recommendation_items)


def make_recommendation_items(
    ids: list[int], context: dict[str, Any], assessments: bool = False
) -> list[dict[str, Any]]:
    """The public recommendations ``ids``, in that order, each with its public status (its
    latest public assessment's), its themes' codes, the places it concerns and the public
    recommendations it repeats or that repeat it; with ``assessments``, every public
    assessment. Five plain queries, as the recommendation list's page reads them: a status
    subquery per row cost more to build than to run (docs/decisions.md)."""
    public = Recommendation.public_objects
    rows = {row["pk"]: row for row in public.filter(pk__in=ids).values(*RECOMMENDATION_FIELDS)}
    ids = [pk for pk in ids if pk in rows]
    # The recommendations are public: of their assessments only the sources are left to test.
    assessed = _grouped(
        Assessment.public_objects.of_public_recommendations()
        .filter(recommendation__in=ids)
        .order_by("-assessed_on", "-id")
        .values("recommendation_id", "assessed_on", "status", "source", "response_id", "report_id"),
        "recommendation_id",
    )
    themes: dict[int, list[str]] = {}
    for pk, code in (
        public.of_public_reports()
        .filter(pk__in=ids, themes__isnull=False)
        .order_by("themes__code")
        .values_list("pk", "themes__code")
    ):
        themes.setdefault(pk, []).append(code)
    places: dict[int, list[str]] = {}
    for pk, name in (
        Facility.public_objects.filter(recommendations__in=ids)
        .order_by("name", "id")
        .values_list("recommendations", "name")
    ):
        places.setdefault(pk, []).append(name)
    # Links to public recommendations only: the earlier ones these repeat, the later ones
    # that repeat these.
    earlier = [row["repeats_id"] for row in rows.values() if row["repeats_id"]]
    linked = public.filter(Q(pk__in=earlier) | Q(repeats__in=ids)).values_list("pk", "repeats_id")
    shown, repeated_by = set(), {}
    for pk, repeats in linked:
        shown.add(pk)
        if repeats in rows:
            repeated_by.setdefault(repeats, []).append(pk)

    api = url_maker(context, "api:recommendation-detail")
    page = url_maker(context, "visits:recommendation_detail")
    report_api = url_maker(context, "api:report-detail")
    items = []
    for pk in ids:
        row = rows[pk]
        latest = assessed.get(pk, [{}])[0]
        item = {
            "id": pk,
            "url": api.format(pk),
            "html_url": page.format(pk),
            "report_id": row["report_id"],
            "report_url": report_api.format(row["report_id"]),
            "report_reference": row["report__reference"],
            "state_code": row["report__state__code"],
            "state": countries.state_name(
                row["report__state__code"],
                row["report__state__name"],
                row["report__state__is_demo"],
            ),
            "paragraph": row["paragraph"],
            "kind": row["kind"],
            "themes": themes.get(pk, []),
            "places": places.get(pk, []),
            "immediate_action": row["immediate_action"],
            "text": row["text"],
            "status": latest.get("status", NOT_ASSESSED),
            "status_assessed_on": latest.get("assessed_on"),
            "status_source": latest.get("source"),
            "repeats_id": row["repeats_id"] if row["repeats_id"] in shown else None,
            "repeated_by_ids": sorted(repeated_by.get(pk, [])),
            "visit_start_on": row["report__visits_start_on"],
        }
        if assessments:
            item["assessments"] = assessed.get(pk, [])
        items.append(item)
    return items
