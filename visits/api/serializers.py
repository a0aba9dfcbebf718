"""What the API says of each public object: the fields, their types and descriptions (the
OpenAPI schema is made from them), and how each is read.

Every object comes from the public managers, with its related rows prefetched through them
(``visits.api.views``): a serializer reads attributes of those prefetches
(``public_documents``, ``public_places``...), never a reverse relation, so nothing it reaches
was not already through the gate. Codes are those of the exports; dates are ISO 8601.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from visits import countries
from visits.models import (
    AssessmentSource,
    AssessmentStatus,
    PlaceType,
    PublicationGround,
    PublicStatement,
    RecommendationKind,
    RefusalKind,
    VisitType,
)
from visits.querysets import NOT_ASSESSED
from visits.treaty import TreatyStatus

# Arguments no URL holds otherwise, swapped for each id or code: one reverse() per view name
# and request.
_HOLES = ("987654321", "987654322")
_CODE_HOLE = "QZX"
BY_CODE = {"api:state-detail", "visits:state_detail"}


def url_maker(context: dict[str, Any], name: str, holes: int = 1) -> str:
    """An absolute URL of the view ``name`` with ``{0}``, ``{1}`` where its arguments go,
    made once per request (kept in the serializer context)."""
    made = context.setdefault("urls", {})
    if name not in made:
        args = [_CODE_HOLE] if name in BY_CODE else list(_HOLES[:holes])
        url = context["request"].build_absolute_uri(reverse(name, args=args))
        for index, hole in enumerate(args):
            url = url.replace(hole, "{%d}" % index)
        made[name] = url
    return made[name]


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """The absolute URL of the view ``name`` for the object's ``attribute`` (its id)."""

    def __init__(self, name: str, attribute: str = "pk", **kwargs: Any) -> None:
        self.name, self.attribute = name, attribute
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return url_maker(self.context, self.name).format(getattr(value, self.attribute))


@extend_schema_field(OpenApiTypes.STR)
class StateNameField(serializers.Field):
    """The State's name in the language asked for (Accept-Language: English or French)."""

    def __init__(self, path: str = "state", **kwargs: Any) -> None:
        self.path = path
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        state = value
        for step in filter(None, self.path.split(".")):
            state = getattr(state, step)
        return countries.state_name(state.code, state.name, state.is_demo)


# Where a recommendation's status comes from; how much of a statement's date is known.
SOURCES = [(v, label) for v, label in AssessmentSource.choices if v != AssessmentSource.OTHER]
PRECISIONS = PublicStatement.Precision.choices


class ComputedList(serializers.ListField):
    """A list ``compute(object)`` makes of the object's prefetched rows or stored text."""

    def __init__(self, compute: Any, **kwargs: Any) -> None:
        self.compute = compute
        super().__init__(source="*", read_only=True, **kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return self.compute(instance)


def split(joined: str | None) -> list[str]:
    """A list stored as text, values joined by commas (``Report.languages``...)."""
    return sorted(joined.split(",")) if joined else []


def ids(rows: Any) -> list[int]:
    return [row.pk for row in rows]


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The document's id.")
    language = serializers.CharField(help_text="ISO 639-1 code of the version's language.")
    authentic = serializers.BooleanField(help_text="Whether this is the authentic version.")
    size = serializers.IntegerField(allow_null=True, help_text="Size of the PDF in bytes.")
    download_url = serializers.SerializerMethodField(help_text="Where to download the PDF.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document: Any) -> str:
        if document.statement_id:
            template = url_maker(self.context, "visits:statement_document", 2)
            return template.format(document.statement_id, document.pk)
        template = url_maker(self.context, "visits:report_document", 2)
        report = document.report_id or document.response.report_id
        return template.format(report, document.pk)


class PlaceSerializer(serializers.Serializer):
    name = serializers.CharField(source="facility.name", help_text="The place's name.")
    place_type = serializers.ChoiceField(source="facility.place_type", choices=PlaceType.choices)
    locality = serializers.CharField(source="facility.locality")
    first_day_on = serializers.DateField(allow_null=True)
    last_day_on = serializers.DateField(allow_null=True)


class VisitInReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("api:visit-detail")
    visit_type = serializers.ChoiceField(choices=VisitType.choices)
    start_on = serializers.DateField()
    end_on = serializers.DateField()
    places = PlaceSerializer(source="public_places", many=True)
    delegation = serializers.ListField(
        source="delegation_members",
        child=serializers.CharField(),
        help_text="The members of the delegation, as the report names them.",
    )


class VisitSerializer(VisitInReportSerializer):
    html_url = serializers.SerializerMethodField(
        help_text="The page of the visit's published report, or of its State."
    )
    state_code = serializers.CharField(source="state.code")
    state = StateNameField()
    report_ids = ComputedList(
        lambda visit: ids(visit.public_reports),
        child=serializers.IntegerField(),
        help_text="The published reports on this visit.",
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, visit: Any) -> str:
        if visit.public_reports:
            return url_maker(self.context, "visits:report_detail").format(
                visit.public_reports[0].pk
            )
        return url_maker(self.context, "visits:state_detail").format(visit.state.code) + (
            "#visits-heading"
        )


class ResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="The government's reference, if any.")
    published_on = serializers.DateField()
    documents = DocumentSerializer(source="public_documents", many=True)


class StatementBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("api:statement-detail")
    title = serializers.CharField()
    issued_on = serializers.DateField()
    date_precision = serializers.ChoiceField(
        choices=PRECISIONS,
        help_text="How much of issued_on is known: the day, the month or the year.",
    )


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("api:report-detail")
    html_url = LinkField("visits:report_detail")
    reference = serializers.CharField(help_text="The body's reference, e.g. CPT/Inf (2024) 12.")
    title = serializers.CharField()
    state_code = serializers.CharField(source="state.code", help_text="ISO 3166-1 alpha-2.")
    state = StateNameField()
    summary = serializers.CharField()
    visit_types = ComputedList(
        lambda report: split(report.visit_types),
        child=serializers.ChoiceField(VisitType.choices),
    )
    visit_start_on = serializers.DateField(
        source="visits_start_on", allow_null=True, help_text="The earliest visit's start."
    )
    visit_end_on = serializers.DateField(
        source="visits_end_on", allow_null=True, help_text="The latest visit's end."
    )
    visits = VisitInReportSerializer(source="public_visits", many=True)
    place_types = ComputedList(
        lambda report: sorted(
            {
                place.facility.place_type
                for visit in report.public_visits
                for place in visit.public_places
            }
        ),
        child=serializers.ChoiceField(PlaceType.choices),
        help_text="The types of the places its visits went to.",
    )
    transmitted_on = serializers.DateField(allow_null=True)
    published_on = serializers.DateField()
    publication_ground = serializers.ChoiceField(
        choices=PublicationGround.choices, allow_blank=True
    )
    public_statement = StatementBriefSerializer(
        allow_null=True, help_text="The statement under Article 10(2) it was published with."
    )
    language = serializers.CharField(
        source="authentic_language", help_text="The authentic version's language."
    )
    languages = ComputedList(
        lambda report: split(report.languages),
        child=serializers.CharField(),
        help_text="The languages of its versions.",
    )
    documents = DocumentSerializer(source="public_documents", many=True)
    responses = ResponseSerializer(source="public_responses", many=True)
    recommendation_ids = ComputedList(
        lambda report: ids(report.public_recommendations),
        child=serializers.IntegerField(),
        help_text="Its recommendations, comments and requests, in the order of the report.",
    )


# A State's public counts, by kind of record: the keys of a dict the view makes (not
# relations of the State).
COUNTS = {
    "visits": "Completed visits.",
    "reports": "Published reports.",
    "statements": "Public statements.",
    "refusals": "Disclosed refusals to co-operate.",
    "recommendations": "Published recommendations.",
}
CountsSerializer = type(
    "CountsSerializer",
    (serializers.Serializer,),
    {name: serializers.IntegerField(help_text=text) for name, text in COUNTS.items()},
)


class StateSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
    url = LinkField("api:state-detail", "code")
    html_url = LinkField("visits:state_detail", "code")
    name = StateNameField(path="")
    signed_on = serializers.DateField(allow_null=True)
    ratified_on = serializers.DateField(allow_null=True)
    in_force_on = serializers.DateField(
        source="entry_into_force",
        allow_null=True,
        help_text="When the Convention entered into force for the State (Article 19).",
    )
    automatic_publication_since = serializers.DateField(allow_null=True)
    coe_member_until = serializers.DateField(allow_null=True)
    denunciation_notified_on = serializers.DateField(allow_null=True)
    denunciation_effective_on = serializers.DateField(
        source="denunciation_takes_effect", allow_null=True
    )
    treaty_status = serializers.ChoiceField(
        source="status_today",
        choices=TreatyStatus.choices,
        help_text="The State's status under the Convention today.",
    )
    counts = CountsSerializer(source="public_counts")


class StatementSerializer(StatementBriefSerializer):
    html_url = serializers.SerializerMethodField()
    state_code = serializers.CharField(source="state.code")
    state = StateNameField()
    reference = serializers.CharField()
    summary = serializers.CharField()
    link = serializers.CharField(help_text="Where the body published it, if given.")
    documents = DocumentSerializer(source="public_documents", many=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, statement: Any) -> str:
        state_page = url_maker(self.context, "visits:state_detail")
        return state_page.format(statement.state.code) + "#statements-heading"


class RefusalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("api:refusal-detail")
    html_url = serializers.SerializerMethodField()
    state_code = serializers.CharField(source="state.code")
    state = StateNameField()
    occurred_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=RefusalKind.choices)
    summary = serializers.CharField()
    disclosed_on = serializers.DateField()
    resolved_on = serializers.DateField(allow_null=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, refusal: Any) -> str:
        state_page = url_maker(self.context, "visits:state_detail")
        return state_page.format(refusal.state.code) + "#refusals-heading"


STATUSES = [*AssessmentStatus.choices, (NOT_ASSESSED, gettext_lazy("not assessed"))]


class RecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("api:recommendation-detail")
    html_url = LinkField("visits:recommendation_detail")
    report_id = serializers.IntegerField()
    report_url = LinkField("api:report-detail", "report_id")
    report_reference = serializers.CharField(source="report.reference")
    state_code = serializers.CharField(source="report.state.code")
    state = StateNameField(path="report.state")
    paragraph = serializers.CharField(help_text='The paragraph as printed, e.g. "57" or "57-58".')
    kind = serializers.ChoiceField(choices=RecommendationKind.choices)
    themes = ComputedList(
        lambda recommendation: split(recommendation.themes_joined),
        child=serializers.CharField(),
        help_text="The codes of its themes.",
    )
    places = ComputedList(
        lambda recommendation: [place.name for place in recommendation.public_places],
        child=serializers.CharField(),
        help_text="The places of detention it concerns.",
    )
    immediate_action = serializers.BooleanField()
    text = serializers.CharField()
    status = serializers.ChoiceField(
        source="public_status",
        choices=STATUSES,
        help_text="The status given by its latest public assessment.",
    )
    status_assessed_on = serializers.DateField(source="status_on", allow_null=True)
    status_source = serializers.ChoiceField(
        choices=SOURCES, allow_null=True, help_text="Where that status comes from."
    )
    repeats_id = serializers.IntegerField(
        source="public_repeats",
        allow_null=True,
        help_text="The earlier public recommendation this one repeats.",
    )
    repeated_by_ids = ComputedList(
        lambda recommendation: sorted(int(pk) for pk in split(recommendation.repeated_by_joined)),
        child=serializers.IntegerField(),
        help_text="The later public recommendations that repeat this one.",
    )
    visit_start_on = serializers.DateField(source="report.visits_start_on", allow_null=True)


class AssessmentSerializer(serializers.Serializer):
    assessed_on = serializers.DateField()
    status = serializers.ChoiceField(choices=AssessmentStatus.choices)
    source = serializers.ChoiceField(
        choices=SOURCES, help_text="A published response, or a later report."
    )
    response_id = serializers.IntegerField(allow_null=True)
    report_id = serializers.IntegerField(
        allow_null=True, help_text="The later report that assessed it."
    )


class RecommendationDetailSerializer(RecommendationSerializer):
    assessments = AssessmentSerializer(
        source="public_assessments",
        many=True,
        help_text="Its public assessments, latest first.",
    )


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status.")
    detail = serializers.CharField(help_text="What went wrong.")


class InvalidParametersSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="400.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For each parameter refused, why.",
    )
