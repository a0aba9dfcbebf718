"""The public read API (``/api/v1/``): what the public pages show, as JSON.

Each list is the public manager's rows narrowed by the page's own FilterSet (the same
parameters, checked the same way: a bad value is a 400 naming it), ordered by its ``sort``
and cut into pages by cursor (``visits.api.pagination``). Related rows come through the
public managers' prefetches. Answers are cached like the pages, until the published data
changes, and carry an ETag and a Last-Modified made from the published-data version, so that
a client asking again with ``If-None-Match`` or ``If-Modified-Since`` gets a 304.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch
from django.http import (
    HttpResponse,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.functional import Promise
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from visits import countries, noncooperation
from visits.api import schema, serializers
from visits.api.items import make_recommendation_items, recommendation_items, report_items
from visits.cache import cached_value, reading_version
from visits.exports import noncooperation_parameters
from visits.filters import (
    NonCooperationForm,
    RecommendationFilter,
    RefusalFilter,
    ReportFilter,
    StatementFilter,
    VisitFilter,
)
from visits.models import (
    CooperationRefusal,
    Document,
    PublicStatement,
    Recommendation,
    Report,
    State,
    Visit,
    VisitedPlace,
)
from visits.views import public_summary


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Errors as JSON with their status: ``{"status": 400, "errors": {parameter: [why]}}``
    for parameters refused, ``{"status": 404, "detail": why}`` otherwise."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, ValidationError) and isinstance(data, dict):
        errors = {
            name: [str(message) for message in messages]
            if isinstance(messages, list)
            else [str(messages)]
            for name, messages in data.items()
        }
        response.data = {"status": response.status_code, "errors": errors}
    else:
        detail = data.get("detail", data) if isinstance(data, dict) else data
        response.data = {"status": response.status_code, "detail": str(detail)}
    return response


def not_found(request: Any) -> HttpResponse:
    """Any other address under /api/v1/: a 404 in JSON; or, for an address that lacks only
    its final slash, the address with it (as Django's APPEND_SLASH does for the pages, which
    this catch-all would otherwise stop)."""
    if not request.path.endswith("/"):
        try:
            resolved = resolve(request.path + "/")
        except Resolver404:
            resolved = None
        if resolved is not None and resolved.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    body = {"status": 404, "detail": _("There is nothing at this address of the API.")}
    return JsonResponse(body, status=404)


# Answers


def _last_modified(changed_at: datetime.datetime) -> datetime.datetime:
    """When the answer last changed: the last change to the published data, or midnight
    today, when what is public changes by itself (a report dated today is public from then).
    To the second, as Last-Modified says it: If-Modified-Since, which repeats it, must compare
    equal, not earlier."""
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    return max(changed_at, midnight).replace(microsecond=0)


def _entity_tag(request: Any, token: str) -> str:
    """The same for the same published data, day, address, language and format."""
    parts = (
        token,
        timezone.localdate().isoformat(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        translation.get_language(),
        getattr(request, "accepted_media_type", ""),
    )
    return '"%s"' % hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _conditional_headers(response: Any, etag: str, modified: datetime.datetime) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    # Caches may keep it but must ask again each time: a withdrawn report disappears at once.
    response["Cache-Control"] = "no-cache"


def answer(request: Any, compute: Any) -> Any:
    """``compute()``'s data as the answer, cached until the published data changes, with an
    ETag and a Last-Modified; a 304 when the client already holds it."""
    with reading_version() as (token, changed_at):
        etag = _entity_tag(request, token)
        modified = _last_modified(changed_at)
        if etag in request.headers.get("If-None-Match", ""):
            # The same address for the same data and day: the answer the client holds.
            not_modified = HttpResponseNotModified()
            _conditional_headers(not_modified, etag, modified)
            return not_modified
        if request.accepted_media_type == "application/json":
            # The JSON itself is cached, as a page's HTML is: a cached answer is not
            # rendered again.
            def rendered() -> bytes:
                content: bytes = JSONRenderer().render(compute())
                return content

            if settings.PUBLIC_CACHE_SECONDS and settings.PUBLIC_PAGE_CACHE:
                parts = (
                    request.scheme,
                    request.get_host(),
                    request.get_full_path(),
                    translation.get_language(),
                )
                content = cached_value("api", parts, rendered)
            else:
                content = rendered()
            response: Any = HttpResponse(content, content_type="application/json")
        else:
            # The browsable API (development only), never cached.
            response = Response(compute())
    _conditional_headers(response, etag, modified)
    return get_conditional_response(request, etag, modified.timestamp(), response)


ERRORS = {
    400: OpenApiResponse(serializers.InvalidParametersSerializer, "A parameter was refused."),
    429: OpenApiResponse(serializers.ErrorSerializer, "Too many requests: wait and retry."),
}
NOT_FOUND = {404: OpenApiResponse(serializers.ErrorSerializer, "No such public object.")}
ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The object's id (`id`)."
)


# The largest id a primary key holds: a bigger one is no row's.
LARGEST_ID = 2**63 - 1


class PublicReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A list (FilterSet, cursor pages) and one object by id, each answered through
    ``answer``. ``prepare`` adds what the rows of a page need besides their prefetches; or
    ``items`` makes the page's dicts from its ids (visits/api/items.py)."""

    lookup_value_regex = "[0-9]+"
    items: Any = None

    def prepare(self, rows: list[Any]) -> None:
        pass

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        def compute() -> dict[str, Any]:
            queryset = self.filter_queryset(self.get_queryset())
            if self.items:
                rows = self.paginate_queryset(queryset.values("pk"))
                data = self.items([row["pk"] for row in rows], self.get_serializer_context())
            else:
                rows = self.paginate_queryset(queryset)
                self.prepare(rows)
                data = self.get_serializer(rows, many=True).data
            return self.paginator.page_data(data)

        return answer(request, compute)

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        def compute() -> dict[str, Any]:
            if self.items:
                return self.one_item(int(kwargs["pk"]))
            row = self.get_object()
            self.prepare([row])
            return self.get_serializer(row).data

        return answer(request, compute)

    def one_item(self, pk: int) -> dict[str, Any]:
        found = self.items([pk], self.get_serializer_context()) if pk <= LARGEST_ID else []
        if not found:
            raise NotFound(_("There is no public object with this id."))
        return found[0]

    def get_object(self) -> Any:
        # The list's filters do not apply to one object.
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        return get_object_or_404(self.get_queryset(), **{self.lookup_field: lookup})


LIST_DOC = "Cursor pages: follow `next` and `previous`."


@extend_schema(tags=["reports"])
class ReportViewSet(PublicReadViewSet):
    """Published reports, with their visits and places, their language versions, their
    published responses and the ids of their recommendations."""

    serializer_class = serializers.ReportSerializer
    filterset_class = ReportFilter
    items = staticmethod(report_items)

    def get_queryset(self) -> Any:
        return Report.public_objects.all()

    @extend_schema(
        summary="Published reports",
        description="The reports the site lists at /reports/, with the same parameters. "
        + LIST_DOC,
        responses={200: serializers.ReportSerializer(many=True), **ERRORS},
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A published report",
        parameters=[ID],
        responses={200: serializers.ReportSerializer, **NOT_FOUND, 429: ERRORS[429]},
    )
    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().retrieve(request, *args, **kwargs)


def _state_counts() -> dict[int, dict[str, int]]:
    """Each State's public counts: one grouped query per kind of record."""
    grouped = {
        "visits": (Visit.public_objects, "state"),
        "reports": (Report.public_objects, "state"),
        "statements": (PublicStatement.public_objects, "state"),
        "refusals": (CooperationRefusal.public_objects, "state"),
        "recommendations": (Recommendation.public_objects, "report__state"),
    }
    counts: dict[int, dict[str, int]] = {}
    for name, (manager, path) in grouped.items():
        rows = manager.order_by().values(path).annotate(n=Count("pk")).values_list(path, "n")
        for state, n in rows:
            counts.setdefault(state, {})[name] = n
    return counts


@extend_schema(tags=["states"])
class StateViewSet(PublicReadViewSet):
    """The States: their acts under the Convention, their status today and their counts."""

    serializer_class = serializers.StateSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2,3}"

    def get_queryset(self) -> Any:
        return State.public_objects.order_by("code")

    def prepare(self, rows: list[Any]) -> None:
        counts = cached_value("api-state-counts", (), _state_counts)
        empty = dict.fromkeys(serializers.COUNTS, 0)
        for state in rows:
            state.public_counts = {**empty, **counts.get(state.pk, {})}

    def get_object(self) -> Any:
        code = self.kwargs["code"]
        code = countries.to_alpha2(code) if len(code) == 3 else code.upper()
        return get_object_or_404(self.get_queryset(), code=code or "")

    @extend_schema(
        summary="States",
        description="Every State, by code. " + LIST_DOC,
        responses={200: serializers.StateSerializer(many=True), **ERRORS},
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A State",
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="ISO 3166-1 code, alpha-2 or alpha-3, any case.",
                pattern="^[A-Za-z]{2,3}$",
            )
        ],
        responses={200: serializers.StateSerializer, **NOT_FOUND, 429: ERRORS[429]},
    )
    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["visits"])
class VisitViewSet(PublicReadViewSet):
    """Completed visits, with the places visited and the published reports on them."""

    serializer_class = serializers.VisitSerializer
    filterset_class = VisitFilter

    def get_queryset(self) -> Any:
        return (
            Visit.public_objects.select_related("state")
            .prefetch_related(
                Prefetch(
                    "places",
                    queryset=VisitedPlace.public_objects.select_related("facility").order_by(
                        "first_day_on", "id"
                    ),
                    to_attr="public_places",
                ),
                Prefetch(
                    "reports",
                    queryset=Report.public_objects.order_by("published_on", "id").only("pk"),
                    to_attr="public_reports",
                ),
            )
            .order_by("-start_on", "-id")
        )

    @extend_schema(
        summary="Completed visits",
        description="Latest first. " + LIST_DOC,
        responses={200: serializers.VisitSerializer(many=True), **ERRORS},
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A completed visit",
        parameters=[ID],
        responses={200: serializers.VisitSerializer, **NOT_FOUND, 429: ERRORS[429]},
    )
    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["statements"])
class StatementViewSet(PublicReadViewSet):
    """Public statements (Article 10(2)), with their language versions."""

    serializer_class = serializers.StatementSerializer
    filterset_class = StatementFilter

    def get_queryset(self) -> Any:
        return (
            PublicStatement.public_objects.select_related("state")
            .prefetch_related(
                Prefetch(
                    "documents",
                    queryset=Document.public_objects.order_by("language", "id"),
                    to_attr="public_documents",
                )
            )
            .order_by("-issued_on", "-id")
        )

    @extend_schema(
        summary="Public statements",
        description="Latest first. " + LIST_DOC,
        responses={200: serializers.StatementSerializer(many=True), **ERRORS},
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A public statement",
        parameters=[ID],
        responses={200: serializers.StatementSerializer, **NOT_FOUND, 429: ERRORS[429]},
    )
    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["refusals"])
class RefusalViewSet(PublicReadViewSet):
    """Disclosed refusals to co-operate."""

    serializer_class = serializers.RefusalSerializer
    filterset_class = RefusalFilter

    def get_queryset(self) -> Any:
        return CooperationRefusal.public_objects.select_related("state").order_by(
            "-occurred_on", "-id"
        )

    @extend_schema(
        summary="Disclosed refusals to co-operate",
        description="Latest first. " + LIST_DOC,
        responses={200: serializers.RefusalSerializer(many=True), **ERRORS},
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A disclosed refusal to co-operate",
        parameters=[ID],
        responses={200: serializers.RefusalSerializer, **NOT_FOUND, 429: ERRORS[429]},
    )
    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["recommendations"])
class RecommendationViewSet(PublicReadViewSet):
    """Recommendations (and comments, requests for information, immediate observations) of
    published reports, with their public status."""

    filterset_class = RecommendationFilter

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.RecommendationDetailSerializer
        return serializers.RecommendationSerializer

    def get_queryset(self) -> Any:
        return Recommendation.public_objects.all()

    @staticmethod
    def items(ids: list[int], context: dict[str, Any]) -> list[dict[str, Any]]:
        return recommendation_items(ids, context)

    def one_item(self, pk: int) -> dict[str, Any]:
        found = []
        if pk <= LARGEST_ID:
            found = make_recommendation_items([pk], self.get_serializer_context(), assessments=True)
        if not found:
            raise NotFound(_("There is no public object with this id."))
        return found[0]

    @extend_schema(
        summary="Recommendations",
        description="The recommendations the site lists at /recommendations/, with the same "
        "parameters. " + LIST_DOC,
        responses={200: serializers.RecommendationSerializer(many=True), **ERRORS},
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A recommendation, with its public assessments",
        parameters=[ID],
        responses={
            200: serializers.RecommendationDetailSerializer,
            **NOT_FOUND,
            429: ERRORS[429],
        },
    )
    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["non-cooperation"])
class NonCooperationView(APIView):
    """The non-cooperation summary: one row per State (or per State and year)."""

    @extend_schema(
        summary="The non-cooperation summary",
        description=(
            "The rows of the summary at /non-cooperation/, with the same parameters: every row "
            "at once, in the order asked for."
        ),
        parameters=schema.summary_parameters(),
        responses={200: schema.SummarySerializer, **ERRORS},
    )
    def get(self, request: Any) -> Any:
        def compute() -> dict[str, Any]:
            form = NonCooperationForm(request.query_params)
            if not form.is_valid():
                raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
            filters = form.summary_filters()
            return {
                "parameters": noncooperation_parameters(filters),
                "columns": noncooperation.SUMMARY_COLUMNS,
                "results": public_summary(filters),
            }

        return answer(request, compute)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, in English whatever the language asked for."""

    @extend_schema(exclude=True)
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        with translation.override("en"):
            response = super().get(request, *args, **kwargs)
            # Its texts are translated when read: read them now, in English.
            response.data = _in_full(response.data)
        response["Content-Language"] = "en"
        return response


def _in_full(value: Any) -> Any:
    """``value`` with every lazily translated text made a plain string."""
    if isinstance(value, dict):
        return {key: _in_full(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_in_full(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    return value
