"""The non-cooperation summary: for each State, over a period and optionally by year, its
refusals to co-operate by kind, its public statements, its overdue responses and unpublished
reports, the time its reports take to be published, its recommendations repeated and not
implemented, and its treaty status today.

One function, ``summary()``, computes the rows for the public page, both public exports, the
staff export of the admin and the ``export_noncooperation`` command. The database does the
counting with grouped, conditional aggregates: seven queries whatever the number of States,
refusals, reports or recommendations. ``refusals_by_year_and_kind()`` feeds the chart,
``refusal_rows()`` the one-row-per-refusal exports.

``public=True`` reads only through the ``public_objects`` managers of ``visits.querysets``;
this module never decides itself what is public. ``public=False`` reads every row: for staff
only.

Which date a period (``since``, ``until``) and a year apply to:
  refusals             the day the refusal occurred;
  public statements    the day the statement was issued;
  reports              the day the last visit it covers ended (the only report-related date
                       that is public before the report is: a completed visit is public
                       with its dates);
  recommendations      the same day, of the report that makes the recommendation: a
                       recommendation counts in the year of its report's visit, whenever it
                       was assessed (its latest status is the one of today).
"""

from __future__ import annotations

import dataclasses
import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from visits import countries
from visits.models import (
    Assessment,
    AssessmentStatus,
    CooperationRefusal,
    PublicStatement,
    Recommendation,
    RefusalKind,
    Report,
    State,
)
from visits.querysets import manager_for, public_report
from visits.treaty import CONVENTION_IN_FORCE_ON, TreatyStatus

KIND_COLUMNS = {kind: f"refusals_{kind}" for kind in RefusalKind.values}

# The summary's columns, in this order (stable; documented in README.md).
SUMMARY_COLUMNS = [
    "state_code",
    "state",
    "year",
    "treaty_status",
    "denunciation_effective_on",
    *KIND_COLUMNS.values(),
    "refusals_total",
    "refusals_unresolved",
    "first_refusal_on",
    "last_refusal_on",
    "public_statements",
    "last_public_statement_on",
    "last_public_statement_precision",
    "responses_overdue",
    "reports_transmitted_unpublished",
    "reports_published",
    "median_days_visit_end_to_publication",
    "recommendations_repeated",
    "recommendations_not_implemented",
]

COLUMN_LABELS = {
    "state_code": _("ISO code"),
    "state": _("State"),
    "year": _("Year"),
    "treaty_status": _("Status today"),
    "denunciation_effective_on": _("Denunciation takes effect"),
    **{column: RefusalKind(kind).label for kind, column in KIND_COLUMNS.items()},
    "refusals_total": _("All refusals"),
    "refusals_unresolved": _("Unresolved"),
    "first_refusal_on": _("First"),
    "last_refusal_on": _("Latest"),
    "public_statements": _("Public statements"),
    "last_public_statement_on": _("Latest statement"),
    "last_public_statement_precision": _("Latest statement: date known to the"),
    "responses_overdue": _("Responses overdue"),
    "reports_transmitted_unpublished": _("Transmitted, not published"),
    "reports_published": _("Published reports"),
    "median_days_visit_end_to_publication": _("Median days to publication"),
    "recommendations_repeated": _("Repeated"),
    "recommendations_not_implemented": _("Not implemented"),
}

# Columns a reader may sort by ("-" before the name for descending).
SORTABLE_COLUMNS = [
    column
    for column in SUMMARY_COLUMNS
    if column not in ("denunciation_effective_on", "last_public_statement_precision")
]
DEFAULT_SORT = "-refusals_total"

# The counts that make a row worth showing when empty rows are not asked for.
COUNTS = [
    "refusals_total",
    "public_statements",
    "responses_overdue",
    "reports_transmitted_unpublished",
    "recommendations_repeated",
    "recommendations_not_implemented",
]

# One row per refusal (``--detail``, and the admin's export of selected refusals). The
# public columns never include internal notes; the staff columns add what only staff see.
PUBLIC_REFUSAL_COLUMNS = [
    "id",
    "state_code",
    "state",
    "occurred_on",
    "kind",
    "summary",
    "disclosed_on",
    "resolved_on",
    "public_statement_on",
]
STAFF_REFUSAL_COLUMNS = [
    *PUBLIC_REFUSAL_COLUMNS,
    "visit_id",
    "visit_status",
    "place",
    "internal_notes",
]

CHUNK = 1000

# A row's State (its primary key) and year (None unless by year).
GroupKey = tuple[int, int | None]


@dataclasses.dataclass(frozen=True)
class Filters:
    """What the reader asked for. Empty ``states`` or ``kinds`` means all of them."""

    states: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    since: datetime.date | None = None
    until: datetime.date | None = None
    by_year: bool = False
    include_empty: bool = False
    sort: str = DEFAULT_SORT


def _in_period(filters: Filters, field: str) -> Q:
    """A Q keeping the rows whose ``field`` falls in the period."""
    period = Q()
    if filters.since:
        period &= Q(**{f"{field}__gte": filters.since})
    if filters.until:
        period &= Q(**{f"{field}__lte": filters.until})
    return period


def _narrowed(
    queryset: QuerySet[Any], state_field: str, day_field: str, filters: Filters
) -> QuerySet[Any]:
    """``queryset`` narrowed to the asked States and period, each row with its State (and
    year) as ``group_state`` (and ``group_year``)."""
    queryset = queryset.filter(_in_period(filters, day_field)).order_by()
    if filters.states:
        queryset = queryset.filter(**{f"{state_field}__code__in": filters.states})
    queryset = queryset.annotate(group_state=F(f"{state_field}_id"))
    if filters.by_year:
        queryset = queryset.annotate(group_year=ExtractYear(day_field))
    return queryset


def _grouped(
    queryset: QuerySet[Any], state_field: str, day_field: str, filters: Filters
) -> QuerySet[Any, dict[str, Any]]:
    """The same, grouped by State (and year), ready for aggregates."""
    queryset = _narrowed(queryset, state_field, day_field, filters)
    if filters.by_year:
        return queryset.values("group_state", "group_year")
    return queryset.values("group_state")


def _key(values: dict[str, Any], by_year: bool) -> GroupKey:
    return (values.pop("group_state"), values.pop("group_year") if by_year else None)


def refusal_queryset(public: bool) -> QuerySet[CooperationRefusal]:
    return manager_for(CooperationRefusal, public).all()


def _refusal_counts(
    filters: Filters, public: bool, today: datetime.date
) -> dict[GroupKey, dict[str, Any]]:
    refusals = refusal_queryset(public)
    if filters.kinds:
        refusals = refusals.filter(kind__in=filters.kinds)
    counts = {column: Count("id", filter=Q(kind=kind)) for kind, column in KIND_COLUMNS.items()}
    rows = _grouped(refusals, "state", "occurred_on", filters).annotate(
        **counts,
        refusals_total=Count("id"),
        # Resolved on a day still to come is not resolved yet.
        refusals_unresolved=Count(
            "id", filter=Q(resolved_on__isnull=True) | Q(resolved_on__gt=today)
        ),
        first_refusal_on=Min("occurred_on"),
        last_refusal_on=Max("occurred_on"),
    )
    return {_key(values, filters.by_year): values for values in rows}


def _statement_counts(filters: Filters, public: bool) -> dict[GroupKey, dict[str, Any]]:
    statements = manager_for(PublicStatement, public).all()
    # The precision of the latest statement's date (only its month may be known): a
    # correlated subquery on the same State, period (and year).
    latest: QuerySet[Any, Any] = statements.filter(
        _in_period(filters, "issued_on"), state=OuterRef("group_state")
    )
    if filters.by_year:
        latest = latest.filter(issued_on__year=OuterRef("group_year"))
    latest = latest.order_by("-issued_on").values("date_precision")[:1]
    rows = _grouped(statements, "state", "issued_on", filters).annotate(
        public_statements=Count("id"),
        last_public_statement_on=Max("issued_on"),
        last_public_statement_precision=Subquery(latest),
    )
    return {_key(values, filters.by_year): values for values in rows}


def _report_queryset(public: bool) -> QuerySet[Report]:
    """Reports transmitted by today, each with the day its visit ended (or started, for a
    visit still in progress, which only staff can see).

    For the public, only reports on public visits: a completed visit is public, so the public
    may learn how many reports on it are still unpublished or waiting for a response (a
    count, never a title, a reference or a date of those reports); nothing at all is said
    about a visit that is not public."""
    # Stored on the report (the last day of its latest visit): a correlated subquery over its
    # visits took the summary's median query from 0.3 s to 1.0 s at bench scale.
    return manager_for(Report, public).counted().annotate(visit_day=F("visits_end_on"))


def _published(public: bool, today: datetime.date) -> Q:
    """Published, by the rule of visits/querysets.py, for the rows of ``_report_queryset``.
    On the public side every visit of those rows is public already (``counted()``), so the
    date is all that is left to test: testing the visits again costs two correlated
    subqueries per report, and took the summary from 1.0 s to 3.5 s at bench scale."""
    return Q(published_on__lte=today) if public else public_report(today)


def _report_counts(
    filters: Filters, public: bool, today: datetime.date
) -> dict[GroupKey, dict[str, Any]]:
    rows = _grouped(_report_queryset(public), "state", "visit_day", filters).annotate(
        responses_overdue=Count("id", filter=Q(response_due_on__lt=today, responded=False)),
        reports_transmitted_unpublished=Count("id", filter=~_published(public, today)),
    )
    return {_key(values, filters.by_year): values for values in rows}


def _repeated_counts(filters: Filters, public: bool) -> dict[GroupKey, dict[str, Any]]:
    """Recommendations that repeat an earlier one, by their report's State and the day its
    last visit ended (as the reports above)."""
    repeated = manager_for(Recommendation, public).repeating()
    rows = _grouped(repeated, "report__state", "report__visits_end_on", filters).annotate(
        recommendations_repeated=Count("id")
    )
    return {_key(values, filters.by_year): values for values in rows}


def _not_implemented_counts(filters: Filters, public: bool) -> dict[GroupKey, dict[str, Any]]:
    """Recommendations whose latest assessment says not implemented (for the public, the
    latest public assessment of a public recommendation), by their report's State and the day
    its last visit ended, as the reports above. Each recommendation has one latest assessment
    (``latest_per_recommendation()``), so counting those counts the recommendations."""
    latest = manager_for(Assessment, public).latest_per_recommendation()
    not_implemented = latest.filter(status=AssessmentStatus.NOT_IMPLEMENTED)
    report = "recommendation__report__"
    rows = _grouped(not_implemented, f"{report}state", f"{report}visits_end_on", filters).annotate(
        recommendations_not_implemented=Count("id")
    )
    return {_key(values, filters.by_year): values for values in rows}


class _DaysBetween(Func):
    """PostgreSQL: a date minus a date is a number of days."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


class _Median(Aggregate):
    """PostgreSQL's median: the mean of the two middle values when their number is even, as
    ``statistics.median`` gives it."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _publication_delays(
    filters: Filters, public: bool, today: datetime.date
) -> dict[GroupKey, tuple[int, int | float]]:
    """{(state, year): (number of published reports, median days)}. PostgreSQL computes the
    median (PERCENTILE_CONT); elsewhere it is taken in Python over one query's (State, year,
    days) values. Both give the same figures (the tests run on both)."""
    reports = _report_queryset(public).filter(_published(public, today))
    if connection.vendor == "postgresql":
        grouped = _grouped(reports, "state", "visit_day", filters).annotate(
            published=Count("id"),
            median=_Median(_DaysBetween(F("published_on"), F("visit_day"))),
        )
        return {
            _key(values, filters.by_year): (values["published"], _number(values["median"]))
            for values in grouped
        }
    narrowed = _narrowed(reports, "state", "visit_day", filters)
    if filters.by_year:
        rows: Iterable[tuple[Any, ...]] = narrowed.values_list(
            "group_state", "group_year", "visit_day", "published_on"
        )
    else:
        rows = (
            (state, None, ended, published)
            for state, ended, published in narrowed.values_list(
                "group_state", "visit_day", "published_on"
            )
        )
    days: defaultdict[GroupKey, list[int]] = defaultdict(list)
    for state, year, ended, published in rows:
        days[state, year].append((published - ended).days)
    return {key: (len(values), _number(statistics.median(values))) for key, values in days.items()}


def _number(value: float) -> int | float:
    """A median of whole numbers: whole, or ending in .5."""
    return int(value) if value == int(value) else float(value)


def _empty_row(state: State, year: int | None, today: datetime.date) -> dict[str, Any]:
    status = state.status_on(today)
    ending = status in (TreatyStatus.DENUNCIATION_PENDING, TreatyStatus.FORMER_PARTY)
    row = dict.fromkeys(SUMMARY_COLUMNS)
    row.update(
        {
            "state_code": state.code,
            "state": state.display_name,
            "year": year,
            "treaty_status": str(status.value),
            "denunciation_effective_on": state.denunciation_takes_effect if ending else None,
            **dict.fromkeys(KIND_COLUMNS.values(), 0),
            **dict.fromkeys(COUNTS, 0),
            "refusals_unresolved": 0,
            "reports_published": 0,
        }
    )
    return row


STATUS_ORDER = {status: index for index, status in enumerate(TreatyStatus.values)}


def _sort_key(column: str, descending: bool) -> Callable[[dict[str, Any]], tuple[bool, Any]]:
    """Sorts on ``column``, always with the empty values last, then by State and year."""

    def key(row: dict[str, Any]) -> tuple[bool, Any]:
        value = row[column]
        missing = value is None
        if column == "treaty_status":
            value = STATUS_ORDER[value]
        elif isinstance(value, datetime.date):
            value = value.toordinal()
        if isinstance(value, str):
            value = countries.sort_key(value)
        if descending and not missing and isinstance(value, int | float):
            value = -value
        return (missing, value if not missing else 0)

    return key


def sort_rows(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    rows.sort(key=lambda row: (countries.sort_key(row["state"]), row["year"] or 0))
    if column in ("state", "state_code") and descending:
        rows.sort(key=lambda row: countries.sort_key(row[column]), reverse=True)
    else:
        rows.sort(key=_sort_key(column, descending))
    return rows


def summary(filters: Filters, public: bool = True) -> list[dict[str, Any]]:
    """The summary's rows (dicts keyed by ``SUMMARY_COLUMNS``), sorted as asked.

    A State appears when it has anything to report in the period (a refusal of the kinds
    asked for when ``kinds`` is given; otherwise a refusal, a public statement, a response
    overdue, a report not published, a recommendation repeated or one not implemented), or
    always with ``include_empty``."""
    today = timezone.localdate()
    sources = [
        _refusal_counts(filters, public, today),
        _statement_counts(filters, public),
        _report_counts(filters, public, today),
        _repeated_counts(filters, public),
        _not_implemented_counts(filters, public),
    ]
    delays = _publication_delays(filters, public, today)
    public_states = State.public_objects.all()
    if filters.states:
        public_states = public_states.filter(code__in=filters.states)
    states = {state.pk: state for state in public_states}

    keys = set().union(*sources, delays)
    if filters.include_empty:
        years = {year for _state, year in keys}
        if filters.by_year and filters.since and filters.until:
            # Every year of the period, but only those in which something can have happened:
            # from the Convention's entry into force to today.
            first = max(filters.since.year, CONVENTION_IN_FORCE_ON.year)
            years |= set(range(first, min(filters.until.year, today.year) + 1))
        keys |= {(state, year) for state in states for year in years or [None]}

    rows = []
    for state_pk, year in keys:
        if state_pk not in states:
            continue
        row = _empty_row(states[state_pk], year, today)
        for source in sources:
            row.update(source.get((state_pk, year), {}))
        if (state_pk, year) in delays:
            row["reports_published"], row["median_days_visit_end_to_publication"] = delays[
                state_pk, year
            ]
        shown = ["refusals_total"] if filters.kinds else COUNTS
        if filters.include_empty or any(row[count] for count in shown):
            rows.append(row)
    return sort_rows(rows, filters.sort)


def refusals_by_year_and_kind(filters: Filters, public: bool = True) -> dict[int, dict[str, int]]:
    """{year: {kind: count}} of the refusals the summary counts, for the chart."""
    refusals = refusal_queryset(public).filter(_in_period(filters, "occurred_on"))
    if filters.states:
        refusals = refusals.filter(state__code__in=filters.states)
    if filters.kinds:
        refusals = refusals.filter(kind__in=filters.kinds)
    rows = (
        refusals.order_by()
        .annotate(year=ExtractYear("occurred_on"))
        .values("year", "kind")
        .annotate(n=Count("id"))
        .values_list("year", "kind", "n")
    )
    years: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for year, kind, n in rows:
        years[year][kind] = n
    return dict(years)


def refusal_rows(
    filters: Filters,
    public: bool = True,
    refusals: QuerySet[CooperationRefusal] | None = None,
) -> Iterator[dict[str, Any]]:
    """One dict per refusal, oldest first, fetched in chunks so that memory does not grow
    with the number of refusals. ``refusals`` narrows the rows further (the admin's
    selection). Public rows hold ``PUBLIC_REFUSAL_COLUMNS`` only."""
    today = timezone.localdate()
    if refusals is None:
        refusals = refusal_queryset(public)
    refusals = refusals.filter(_in_period(filters, "occurred_on"))
    if filters.states:
        refusals = refusals.filter(state__code__in=filters.states)
    if filters.kinds:
        refusals = refusals.filter(kind__in=filters.kinds)
    statements = manager_for(PublicStatement, public).all()
    refusals = refusals.annotate(
        statement_on=Subquery(
            statements.filter(pk=OuterRef("public_statement")).values("issued_on")[:1]
        )
    ).order_by("occurred_on", "id")
    if public:
        refusals = refusals.select_related("state")
    else:
        # facility__state: a place's name says its State (one query per row without it).
        refusals = refusals.select_related("state", "visit", "facility__state")
    for refusal in refusals.iterator(chunk_size=CHUNK):
        resolved = refusal.resolved_on
        row = {
            "id": refusal.pk,
            "state_code": refusal.state.code,
            "state": refusal.state.display_name,
            "occurred_on": refusal.occurred_on,
            "kind": refusal.kind,
            "summary": refusal.summary,
            "disclosed_on": refusal.disclosed_on,
            "resolved_on": resolved if resolved and resolved <= today else None,
            "public_statement_on": refusal.statement_on,
        }
        if not public:
            row.update(
                {
                    "resolved_on": resolved,
                    "visit_id": refusal.visit_id,
                    # With visit_id set, visit is not None: mypy cannot infer it from the id.
                    "visit_status": refusal.visit.status if refusal.visit_id else None,  # type: ignore[union-attr]
                    "place": str(refusal.facility) if refusal.facility_id else None,
                    "internal_notes": refusal.internal_notes,
                }
            )
        yield row
