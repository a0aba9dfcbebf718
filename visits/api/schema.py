"""The API's OpenAPI 3 schema (``/api/v1/schema/``): drf-spectacular's, with every query
parameter's enum, format and description, in English, whatever the language asked for.

drf-spectacular reads the FilterSets' filters; what it cannot know from them is added here:
the codes of the States and themes we hold (their choices are read from the database), the
yes/no values of the flags, the bounds of the years and of the search, and a sentence for
each parameter.
"""

from __future__ import annotations

from typing import Any

from django_filters import MultipleChoiceFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from visits import noncooperation
from visits.api.serializers import PRECISIONS
from visits.filters import SUMMARY_SORTS, FlagField, StateFilter, named_states
from visits.models import RefusalKind
from visits.treaty import TreatyStatus

# What a flag accepts (FlagField): yes as 1, true, yes or on; no as 0, false, no, off or empty.
FLAGS = sorted(FlagField.YES | FlagField.NO)

# Any text but one holding the null character.
NO_NULL = "^[^\\x00]*$"

STATE = (
    "A State, by its ISO 3166-1 code: alpha-2 (the values listed) or alpha-3, in any case. "
    "Repeat the parameter for several States."
)
# A sentence for each parameter, by name; (FilterSet, name) where it differs by list.
DESCRIPTIONS: dict[Any, str] = {
    "state": STATE,
    "visit_type": "The type of visit. A report on several visits matches when any of them "
    "is of this type.",
    "place_type": "A type of place of deprivation of liberty the visit went to (a report: "
    "any of its visits; a recommendation: a place it concerns).",
    "year": "The year a visit started (a report or recommendation: any of the report's visits).",
    "published_after": "Published on or after this day.",
    "published_before": "Published on or before this day.",
    "language": "A language (ISO 639-1) the report has a version in.",
    "q": "Words to find, up to 200 characters: in the reference, title and summary of a "
    'report and the text of its versions, or in a recommendation\'s text. "A phrase" in '
    "double quotes, or between alternatives, -word to exclude a word.",
    "sort": "The order of the list. relevance needs q; state sorts by the States' names in "
    "the language asked for (Accept-Language).",
    "theme": "A theme of the CPT standards, by code; a broader theme includes its narrower ones.",
    "kind": "The kind of item (a recommendation) or of refusal (a refusal: repeat the "
    "parameter for several kinds).",
    "status": "The status given by the latest public assessment; not_assessed when none.",
    "immediate": "Only those asking for immediate action: 1 (yes) or 0 (no).",
    "repeated": "Only those repeated over several visits: 1 (yes) or 0 (no).",
    "since": "On or after this day (a statement: issued; a refusal: occurred).",
    "until": "On or before this day (a statement: issued; a refusal: occurred).",
}


def state_codes() -> list[str]:
    return sorted(code for code, _name in named_states())


def list_state_codes(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook (SPECTACULAR_SETTINGS): every ``state`` parameter lists the
    codes of the States we hold, read when the schema is made (the non-cooperation summary's
    parameters are declared when the module is imported, before any database)."""
    codes = state_codes()
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "state" and parameter["in"] == "query":
                    schema = parameter["schema"]
                    schema.get("items", schema)["enum"] = codes
    return result


def empty_means_left_out(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook (SPECTACULAR_SETTINGS): a query parameter sent empty (``?year=``)
    is taken as left out, as on the site's pages, whose forms send their empty fields; each
    single-valued one says so (``allowEmptyValue``). A repeated one (``state``, ``kind``)
    refuses an empty value."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["schema"].get("type") != "array":
                    parameter["allowEmptyValue"] = True
    return result


class PublicFilterExtension(DjangoFilterExtension):
    """drf-spectacular's reading of the FilterSets, completed (see the module). A choice is
    a string from a list, whether the list is fixed or read from the database."""

    priority = 1

    def resolve_filter_field(
        self,
        auto_schema: Any,
        model: Any,
        filterset_class: Any,
        field_name: str,
        filter_field: Any,
    ) -> list[dict[str, Any]]:
        description = DESCRIPTIONS.get((filterset_class, field_name)) or DESCRIPTIONS.get(
            field_name, str(filter_field.label or "")
        )
        choices = filter_field.extra.get("choices")
        if filter_field.field_class is FlagField:
            return [_query(field_name, {"type": "string", "enum": FLAGS}, description)]
        if isinstance(filter_field, StateFilter):
            item = {"type": "string", "enum": state_codes()}
        elif choices is not None:
            values = choices() if callable(choices) else choices
            item = {"type": "string", "enum": [value for value, _label in values]}
        else:
            parameters: list[dict[str, Any]] = super().resolve_filter_field(
                auto_schema, model, filterset_class, field_name, filter_field
            )
            for parameter in parameters:
                schema = parameter["schema"]
                if "min_value" in filter_field.extra:
                    schema.pop("format", None)
                    schema.update(
                        type="integer",
                        minimum=filter_field.extra["min_value"],
                        maximum=filter_field.extra["max_value"],
                    )
                if "max_length" in filter_field.extra:
                    # Text, without the null character, which Django's form fields refuse.
                    schema.update(maxLength=filter_field.extra["max_length"], pattern=NO_NULL)
                parameter["description"] = description
            return parameters
        if isinstance(filter_field, MultipleChoiceFilter):
            return [_query(field_name, {"type": "array", "items": item}, description, explode=True)]
        return [_query(field_name, item, description)]


def _query(name: str, schema: dict[str, Any], description: str, **style: Any) -> dict[str, Any]:
    return build_parameter_type(
        name=name,
        schema=schema,
        location=OpenApiParameter.QUERY,
        description=description,
        **({"explode": True, "style": "form"} if style else {}),
    )


# The non-cooperation summary: a form rather than a FilterSet, so its parameters are said here.


def _summary_parameter(name: str, kind: Any, description: str, **extra: Any) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **extra)


def summary_parameters() -> list[OpenApiParameter]:
    return [
        _summary_parameter(
            "state", {"type": "array", "items": {"type": "string"}}, STATE, explode=True
        ),
        _summary_parameter(
            "kind",
            {"type": "array", "items": {"type": "string", "enum": RefusalKind.values}},
            "Only refusals of this kind; repeat the parameter for several kinds.",
            explode=True,
        ),
        _summary_parameter(
            "since",
            OpenApiTypes.DATE,
            "The period starts on this day (refusals and "
            "statements by their day, visits by the day they ended).",
        ),
        _summary_parameter(
            "until",
            OpenApiTypes.DATE,
            "The period ends on this day: not before since (a 400 otherwise).",
        ),
        _summary_parameter(
            "by_year",
            OpenApiTypes.STR,
            "One row per State and year: 1 (yes) or 0 (no).",
            enum=FLAGS,
        ),
        _summary_parameter(
            "include_empty",
            OpenApiTypes.STR,
            "Include the States with nothing to report: 1 (yes) or 0 (no).",
            enum=FLAGS,
        ),
        _summary_parameter(
            "sort",
            OpenApiTypes.STR,
            "A column to sort by; - before it for descending order.",
            enum=[value for value, _label in SUMMARY_SORTS],
        ),
    ]


def _summary_field(column: str) -> serializers.Field:
    """A column of the summary (its exports' columns), by the kind of value it holds."""
    described = {"help_text": noncooperation.COLUMN_LABELS.get(column)}
    if column in ("state_code", "state"):
        return serializers.CharField(**described)
    if column == "treaty_status":
        return serializers.ChoiceField(choices=TreatyStatus.choices, **described)
    if column == "last_public_statement_precision":
        return serializers.ChoiceField(choices=PRECISIONS, allow_null=True, **described)
    if column.endswith("_on"):
        return serializers.DateField(allow_null=True, **described)
    if column.startswith("median_"):
        return serializers.FloatField(allow_null=True, **described)
    return serializers.IntegerField(allow_null=column == "year", **described)


# A row of the summary: one field per column, in the columns' order.
SummaryRowSerializer = type(
    "SummaryRowSerializer",
    (serializers.Serializer,),
    {column: _summary_field(column) for column in noncooperation.SUMMARY_COLUMNS},
)


class SummarySerializer(serializers.Serializer):
    parameters = serializers.DictField(help_text="The parameters in effect.")
    columns = serializers.ListField(child=serializers.CharField())
    results = SummaryRowSerializer(many=True)
