"""The public report list's parameters (README, "The public site") as a django-filter
FilterSet, and the live counts each filter choice would give; the non-cooperation summary's
parameters as a form.

The FilterSet always starts from ``Report.public_objects.all()``: it narrows what is public, it
never decides it. Invalid values make the form invalid; views answer 400 naming the parameter.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from visits import countries, noncooperation
from visits.models import (
    Assessment,
    AssessmentStatus,
    CooperationRefusal,
    Document,
    Facility,
    PlaceType,
    PublicStatement,
    Recommendation,
    RecommendationKind,
    RefusalKind,
    Report,
    ReportVisit,
    State,
    Theme,
    Visit,
    VisitedPlace,
    VisitType,
    document_languages,
)
from visits.querysets import NOT_ASSESSED, public_status
from visits.search import reports_matching, rows_matching

# Named by migrations 0004 and 0022, whose GIN indexes hold its expression.
from visits.search import search_vector as search_vector

SORTS = {
    # value: (label, ordering)
    "newest": (_("newest publication first"), ["-published_on", "-id"]),
    "oldest": (_("oldest publication first"), ["published_on", "id"]),
    "visit": (_("most recent visit first"), ["-last_visit_start", "-published_on", "-id"]),
    # By the States' names as shown, which depend on the language: see sort_list.
    "state": (_("State, A to Z"), None),
    "relevance": (_("best match first (with a search)"), None),
}


def named_states():
    """(code, name) of every State, named and sorted in the active language
    (visits/countries.py)."""
    states = State.public_objects.values_list("code", "name", "is_demo")
    return countries.by_name(
        (code, countries.state_name(code, name, is_demo)) for code, name, is_demo in states
    )


def state_choices():
    """``named_states()``, cached until a State changes."""
    from visits.cache import cached_value

    return cached_value("state-choices", (translation.get_language(),), named_states)


class StateCodeField(forms.MultipleChoiceField):
    """ISO codes, alpha-2 or alpha-3, any case; only the codes of States we hold are valid."""

    def to_python(self, value):
        return [countries.state_code(code) for code in super().to_python(value)]


class StateFilter(django_filters.MultipleChoiceFilter):
    field_class = StateCodeField


class PublicFilter(django_filters.FilterSet):
    """What every public FilterSet shares: the State choices are those we hold, and the form
    class is built once."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["state"].choices = state_choices()

    def get_form_class(self):
        """The form class django-filter builds, built once per FilterSet: it is the same for
        every request (each form deep-copies its fields, so the State choices set on one form
        stay on it). Saves about 0.3 ms of a 10 ms uncached list page (docs/decisions.md)."""
        cls = type(self)
        if "built_form_class" not in cls.__dict__:
            cls.built_form_class = super().get_form_class()
        return cls.built_form_class


class PublicListFilter(PublicFilter):
    """What the public lists' FilterSets share besides: ``sort`` is ``newest`` unless asked
    otherwise, a list that no sort ordered comes in ``newest`` order, the text search (``q``)
    and the sorts by relevance, by State and by ordering."""

    # value: (label, ordering); the words of ``q`` are searched in ``search_fields``; sorted
    # by State, by the name shown of the State at ``state_path``.
    sorts: dict = {}
    search_fields: tuple[str, ...] = ()
    # What finds the rows holding the words of ``q`` (visits/search.py).
    matching = staticmethod(rows_matching)
    state_path = "state__code"

    @property
    def newest(self):
        return self.sorts["newest"][1]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # The only inputs we read; a repeated single-valued parameter keeps its last value.
            data = data.copy()
            data.setdefault("sort", "newest")
        super().__init__(data, *args, **kwargs)

    @property
    def qs(self):
        queryset = super().qs
        if not queryset.query.order_by:
            queryset = queryset.order_by(*self.newest)
        return queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return self.matching(queryset, value, self.search_fields)

    def sort_list(self, queryset, name, value):
        if value == "relevance":
            if "search_rank" in queryset.query.annotations:
                return queryset.order_by(F("search_rank").desc(), *self.newest)
            return queryset.order_by(*self.newest)
        if value == "state":
            codes = [code for code, _name in state_choices()]
            rank = countries.rank_in_sql(self.state_path, codes)
            return queryset.order_by(rank, *self.newest)
        return queryset.order_by(*self.sorts[value][1])


class ReportFilter(PublicListFilter):
    state = StateFilter(
        field_name="state__code",
        distinct=False,  # one State per report: no duplicate row to remove
        label=_("State"),
        error_messages={"invalid_choice": _("%(value)s is not the code of a State we know.")},
    )
    visit_type = django_filters.ChoiceFilter(
        choices=VisitType.choices, method="filter_visits", label=_("Type of visit")
    )
    place_type = django_filters.ChoiceFilter(
        choices=PlaceType.choices, method="filter_place_type", label=_("Places visited")
    )
    year = django_filters.NumberFilter(
        method="filter_visits",
        label=_("Year of the visit"),
        min_value=1989,
        max_value=2999,
        decimal_places=0,
    )
    published_after = django_filters.DateFilter(
        field_name="published_on",
        lookup_expr="gte",
        label=_("Published on or after"),
        input_formats=["%Y-%m-%d"],
    )
    published_before = django_filters.DateFilter(
        field_name="published_on",
        lookup_expr="lte",
        label=_("Published on or before"),
        input_formats=["%Y-%m-%d"],
    )
    language = django_filters.ChoiceFilter(
        choices=document_languages, method="filter_language", label=_("Language")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search"), max_length=200)
    sort = django_filters.ChoiceFilter(
        choices=[(value, label) for value, (label, _ordering) in SORTS.items()],
        method="sort_reports",
        label=_("Sort"),
        empty_label=None,
    )

    sorts = SORTS
    # The metadata, and the text of the public versions.
    search_fields = ("reference", "title", "summary")
    matching = staticmethod(reports_matching)

    class Meta:
        model = Report
        fields = []

    # A report on several visits matches when any of its visits does. Every visit of a public
    # report is public (visits.querysets), so these subqueries need no second test of it.

    def filter_visits(self, queryset, name, value):
        lookup = {"visit_type": "visit__visit_type", "year": "visit__start_on__year"}[name]
        covered = ReportVisit.public_objects.of_public_reports().filter(
            report=OuterRef("pk"), **{lookup: value}
        )
        return queryset.filter(Exists(covered))

    def filter_place_type(self, queryset, name, value):
        places = VisitedPlace.public_objects.of_public_visits().filter(
            visit__report_visits__report=OuterRef("pk"), facility__place_type=value
        )
        return queryset.filter(Exists(places))

    def filter_language(self, queryset, name, value):
        versions = Document.public_objects.of_public_reports().filter(
            report=OuterRef("pk"), language=value
        )
        return queryset.filter(Exists(versions))

    def sort_reports(self, queryset, name, value):
        if value == "visit":
            latest = (
                ReportVisit.public_objects.of_public_reports()
                .filter(report=OuterRef("pk"))
                .order_by("-visit__start_on")
                .values("visit__start_on")[:1]
            )
            # A report on no visit (only a bulk load makes one) comes last, on every database;
            # and the API's cursors need a value to start from.
            queryset = queryset.annotate(
                last_visit_start=Coalesce(Subquery(latest), Value(datetime.date.min))
            )
        return self.sort_list(queryset, name, value)


# Facets: for each filter, the number of public reports each of its choices would give, with
# every other filter applied. One grouped query per facet.
FACETS = {
    "state": "state__code",
    "visit_type": "visits__visit_type",
    "place_type": "visits__places__facility__place_type",
    "year": "year",
    "language": "documents__language",
}


def facet_counts(filterset):
    """{facet: {value: count}} for the filters above, counting public reports only.

    ``filterset`` is a valid ReportFilter; its own queryset is ``Report.public_objects``."""
    counts = {}
    values = filterset.form.cleaned_data
    for facet, path in FACETS.items():
        queryset = filterset.queryset
        for name, value in values.items():
            if name not in (facet, "sort"):
                queryset = filterset.filters[name].filter(queryset, value)
        queryset = queryset.order_by()
        if facet == "year":
            queryset = queryset.annotate(year=ExtractYear("visits__start_on"))
        rows = queryset.values(path).annotate(n=Count("id", distinct=True)).values_list(path, "n")
        counts[facet] = {value: n for value, n in rows if value is not None}
    return counts


# The non-cooperation summary. A plain form rather than a FilterSet: the summary is several
# grouped queries, not one queryset to narrow. ``visits.noncooperation`` reads the public data
# through the public managers; this form only checks what the reader asked for.


class KindField(forms.MultipleChoiceField):
    """Kinds of refusal, any case."""

    def to_python(self, value):
        return [kind.strip().lower() for kind in super().to_python(value)]


class FlagField(forms.Field):
    """A yes/no parameter: 1, true, yes or on; 0, false, no, off or absent. Anything else is
    an error rather than a silent no."""

    YES = {"1", "true", "yes", "on"}
    NO = {"", "0", "false", "no", "off"}
    default_error_messages = {"invalid": _("Enter 1 (yes) or 0 (no).")}

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "required": False})

    def to_python(self, value):
        if isinstance(value, bool):
            return value
        value = (value or "").strip().lower()
        if value in self.YES:
            return True
        if value in self.NO:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class IsoDateField(forms.DateField):
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a date as YYYY-MM-DD.")}

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


SUMMARY_SORTS = [
    *[(column, column) for column in noncooperation.SORTABLE_COLUMNS],
    *[(f"-{column}", f"-{column}") for column in noncooperation.SORTABLE_COLUMNS],
]


class NonCooperationForm(forms.Form):
    """``state``, ``kind``, ``since``, ``until``, ``by_year``, ``include_empty``, ``sort``."""

    state = StateCodeField(
        required=False,
        label=_("State"),
        error_messages={"invalid_choice": _("%(value)s is not the code of a State we know.")},
    )
    kind = KindField(
        required=False,
        choices=RefusalKind.choices,
        label=_("Kind of refusal"),
        error_messages={"invalid_choice": _("%(value)s is not a kind of refusal we know.")},
    )
    since = IsoDateField(label=_("From"))
    until = IsoDateField(label=_("To"))
    by_year = FlagField(label=_("One row per year"))
    include_empty = FlagField(label=_("Include States with nothing to report"))
    sort = forms.ChoiceField(
        required=False,
        choices=SUMMARY_SORTS,
        label=_("Sort"),
        error_messages={
            "invalid_choice": _(
                "%(value)s is not a column of the summary (add - before it to sort in "
                "descending order)."
            )
        },
    )

    def __init__(self, data=None, states=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["state"].choices = named_states() if states is None else list(states)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period cannot come before its start."))
        return cleaned

    def summary_filters(self):
        """The valid parameters as ``noncooperation.Filters``."""
        values = self.cleaned_data
        return noncooperation.Filters(
            states=tuple(values["state"]),
            kinds=tuple(values["kind"]),
            since=values["since"],
            until=values["until"],
            by_year=values["by_year"],
            include_empty=values["include_empty"],
            # By year, the rows of a State stay together unless another order is asked for.
            sort=values["sort"] or ("state" if values["by_year"] else noncooperation.DEFAULT_SORT),
        )


# The public list of recommendations: the same conventions as the report list (a FilterSet
# over the public rows only, 400 on invalid values, live counts for each choice).

RECOMMENDATION_SORTS = {
    # value: (label, ordering); a report's recommendations stay together, in paragraph order.
    "newest": (
        _("newest report first"),
        ["-report__published_on", "-report_id", "paragraph_number", "paragraph", "id"],
    ),
    "oldest": (
        _("oldest report first"),
        ["report__published_on", "report_id", "paragraph_number", "paragraph", "id"],
    ),
    "state": (_("State, A to Z"), None),
    "relevance": (_("best match first (with a search)"), None),
}


def status_choices():
    return [*AssessmentStatus.choices, (NOT_ASSESSED, _("not assessed"))]


def theme_choices():
    """(code, name) of every theme in the CPT standards' order, narrower ones after their
    broader theme, named in the active language; cached until a theme changes."""
    from visits.cache import cached_value

    return cached_value("theme-choices", (translation.get_language(),), _theme_choices)


def _theme_choices():
    themes = list(Theme.public_objects.order_by("position", "code"))
    by_parent: dict = {}
    for theme in themes:
        by_parent.setdefault(theme.parent_id, []).append(theme)
    ordered = []
    for theme in by_parent.get(None, []):
        ordered.append((theme.code, theme.name))
        ordered += [(child.code, f"– {child.name}") for child in by_parent.get(theme.pk, [])]
    return ordered


def theme_family(code) -> list[int]:
    """The ids of the theme ``code`` and of the themes under it: a broader theme's filter
    matches what is filed under its narrower themes too."""
    from visits.cache import cached_value

    return cached_value(
        "theme-family",
        (code,),
        lambda: list(
            Theme.public_objects.filter(Q(code=code) | Q(parent__code=code)).values_list(
                "pk", flat=True
            )
        ),
    )


class YesFilter(django_filters.Filter):
    """A flag (FlagField): its method narrows the list on a yes; a no leaves it whole."""

    field_class = FlagField


class RecommendationFilter(PublicListFilter):
    """``state``, ``theme``, ``kind``, ``status``, ``year``, ``place_type``, ``immediate``,
    ``repeated``, ``q``, ``sort`` over ``Recommendation.public_objects.with_status()``."""

    state = StateFilter(
        field_name="report__state__code",
        distinct=False,
        label=_("State"),
        error_messages={"invalid_choice": _("%(value)s is not the code of a State we know.")},
    )
    theme = django_filters.ChoiceFilter(
        choices=theme_choices,
        method="filter_theme",
        label=_("Theme"),
        error_messages={"invalid_choice": _("%(value)s is not the code of a theme we know.")},
    )
    kind = django_filters.ChoiceFilter(choices=RecommendationKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(
        choices=status_choices, method="filter_status", label=_("Implementation")
    )
    year = django_filters.NumberFilter(
        method="filter_year",
        label=_("Year of the visit"),
        min_value=1989,
        max_value=2999,
        decimal_places=0,
    )
    place_type = django_filters.ChoiceFilter(
        choices=PlaceType.choices, method="filter_place_type", label=_("Places concerned")
    )
    immediate = YesFilter(method="filter_immediate", label=_("Immediate action asked for"))
    repeated = YesFilter(method="filter_repeated", label=_("Repeated over several visits"))
    q = django_filters.CharFilter(method="filter_text", label=_("Search"), max_length=200)
    sort = django_filters.ChoiceFilter(
        choices=[(value, label) for value, (label, _o) in RECOMMENDATION_SORTS.items()],
        method="sort_list",
        label=_("Sort"),
        empty_label=None,
    )

    sorts = RECOMMENDATION_SORTS
    search_fields = ("text",)
    state_path = "report__state__code"

    class Meta:
        model = Recommendation
        fields = []

    def filter_theme(self, queryset, name, value):
        filed = Theme.public_objects.filter(
            recommendations=OuterRef("pk"), pk__in=theme_family(value)
        )
        return queryset.filter(Exists(filed))

    def filter_status(self, queryset, name, value):
        """By the latest public assessment's status; ``not_assessed``: no public assessment.
        A subquery by recommendation: filtered lists are cheap; every recommendation at a
        million costs seconds, as did finding every latest assessment at once."""
        return queryset.annotate(public_status=public_status()).filter(public_status=value)

    def filter_year(self, queryset, name, value):
        # Every visit of a public report is public (visits.querysets).
        covered = ReportVisit.public_objects.of_public_reports().filter(
            report=OuterRef("report_id"), visit__start_on__year=value
        )
        return queryset.filter(Exists(covered))

    def filter_place_type(self, queryset, name, value):
        # A place named on a public recommendation is shown once a public visit went there.
        places = Facility.public_objects.filter(recommendations=OuterRef("pk"), place_type=value)
        return queryset.filter(Exists(places))

    def filter_immediate(self, queryset, name, value):
        return queryset.filter(immediate_action=True) if value else queryset

    def filter_repeated(self, queryset, name, value):
        """Repeats a public earlier recommendation, or is repeated by a public later one: a
        link to a recommendation the public cannot see is not shown, nor counted."""
        if not value:
            return queryset
        earlier = Recommendation.public_objects.repeating().filter(pk=OuterRef("pk"))
        later = Recommendation.public_objects.filter(repeats=OuterRef("pk"))
        return queryset.filter(Exists(earlier) | Exists(later))

    def status_counts(self, listed) -> dict:
        """{status: count} of the recommendations ``listed``. Filtered, a status subquery per
        recommendation (0.5 s for a State's 50,000 at bench scale). The whole list: the
        latest public assessment of every recommendation at once, by an anti-join, and the
        rest not assessed (6 s instead of 11 s for 1.2 million; filtered, the anti-join costs
        3 to 5 s whatever the filter: docs/decisions.md)."""
        narrowed = any(
            value not in (None, "", [], False)
            for name, value in self.form.cleaned_data.items()
            if name not in ("status", "sort")
        )
        if narrowed:
            rows = listed.annotate(public_status=public_status()).values("public_status")
            return dict(rows.annotate(n=Count("id")).values_list("public_status", "n"))
        counts = dict(
            Assessment.public_objects.latest_per_recommendation()
            .values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        counts[NOT_ASSESSED] = listed.count() - sum(counts.values())
        return counts

    def facet_counts(self) -> dict:
        """{facet: {value: count}}: for each filter below, the public recommendations each of
        its choices would give with every other filter applied. One grouped query each (two
        for the themes and for the statuses). The flags (``immediate``, ``repeated``) get no
        count: at a million recommendations, each cost seconds to count (docs/decisions.md)."""
        values = self.form.cleaned_data

        def without(facet):
            queryset = self.queryset
            for name, value in values.items():
                if name not in (facet, "sort"):
                    queryset = self.filters[name].filter(queryset, value)
            return queryset.order_by()

        def grouped(queryset, path, distinct=True):
            rows = queryset.values(path).annotate(n=Count("id", distinct=distinct))
            return {value: n for value, n in rows.values_list(path, "n") if value is not None}

        counts = {
            # One State and one kind per recommendation: no duplicate to count out.
            "state": grouped(without("state"), "report__state__code", distinct=False),
            "kind": grouped(without("kind"), "kind", distinct=False),
            "status": self.status_counts(without("status")),
            "year": grouped(
                without("year").annotate(year=ExtractYear("report__visits__start_on")), "year"
            ),
        }
        # Themes and places from their side: the rows joined are the public ones only. A
        # broader theme counts what is filed under it or under its narrower themes, once.
        themes = Theme.public_objects.filter(recommendations__in=without("theme").values("pk"))
        counts["theme"] = {
            **dict(
                themes.values("code")
                .annotate(n=Count("recommendations", distinct=True))
                .values_list("code", "n")
            ),
            **dict(
                themes.annotate(broader=Coalesce("parent__code", "code"))
                .values("broader")
                .annotate(n=Count("recommendations", distinct=True))
                .values_list("broader", "n")
            ),
        }
        counts["place_type"] = dict(
            Facility.public_objects.filter(recommendations__in=without("place_type").values("pk"))
            .values("place_type")
            .annotate(n=Count("recommendations", distinct=True))
            .values_list("place_type", "n")
        )
        return counts


# The API's other lists (visits, public statements, disclosed refusals) have no page of their
# own to filter; their parameters have the names and the meaning they have on the pages and
# in the non-cooperation summary.


class VisitFilter(PublicFilter):
    """``state``, ``visit_type``, ``year`` (of the start), ``place_type`` over the public
    (completed) visits."""

    state = StateFilter(
        field_name="state__code",
        distinct=False,
        label=_("State"),
        error_messages={"invalid_choice": _("%(value)s is not the code of a State we know.")},
    )
    visit_type = django_filters.ChoiceFilter(choices=VisitType.choices, label=_("Type of visit"))
    year = django_filters.NumberFilter(
        field_name="start_on__year",
        label=_("Year of the visit"),
        min_value=1989,
        max_value=2999,
        decimal_places=0,
    )
    place_type = django_filters.ChoiceFilter(
        choices=PlaceType.choices, method="filter_place_type", label=_("Places visited")
    )

    class Meta:
        model = Visit
        fields = []

    def filter_place_type(self, queryset, name, value):
        places = VisitedPlace.public_objects.of_public_visits().filter(
            visit=OuterRef("pk"), facility__place_type=value
        )
        return queryset.filter(Exists(places))


class PeriodFilter(PublicFilter):
    """``state``, ``since`` and ``until`` (on or after, on or before: ISO dates) on the field
    ``period_field``, as the non-cooperation summary reads them."""

    period_field = ""
    state = StateFilter(
        field_name="state__code",
        distinct=False,
        label=_("State"),
        error_messages={"invalid_choice": _("%(value)s is not the code of a State we know.")},
    )
    since = django_filters.DateFilter(
        method="filter_since", label=_("From"), input_formats=["%Y-%m-%d"]
    )
    until = django_filters.DateFilter(
        method="filter_until", label=_("To"), input_formats=["%Y-%m-%d"]
    )

    def filter_since(self, queryset, name, value):
        return queryset.filter(**{f"{self.period_field}__gte": value})

    def filter_until(self, queryset, name, value):
        return queryset.filter(**{f"{self.period_field}__lte": value})


class StatementFilter(PeriodFilter):
    """``state``, ``since``, ``until`` (the day the statement was issued)."""

    period_field = "issued_on"

    class Meta:
        model = PublicStatement
        fields = []


class RefusalFilter(PeriodFilter):
    """``state``, ``kind``, ``since``, ``until`` (the day the refusal occurred) over the
    disclosed refusals."""

    period_field = "occurred_on"
    kind = django_filters.MultipleChoiceFilter(
        choices=RefusalKind.choices,
        label=_("Kind of refusal"),
        error_messages={"invalid_choice": _("%(value)s is not a kind of refusal we know.")},
    )

    class Meta:
        model = CooperationRefusal
        fields = []
