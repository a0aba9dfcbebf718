"""Public pages. Every query starts from a ``public_objects`` manager (visits/querysets.py)."""

import functools
import re

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import DateFormat
from django.utils.formats import date_format, get_format, number_format
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from visits import charts, noncooperation
from visits.cache import cached_page, cached_value
from visits.exports import (
    REPORT_COLUMNS,
    csv_response,
    json_response,
    noncooperation_meta,
    noncooperation_preamble,
    report_csv_lines,
    report_rows,
    with_public_relations,
)
from visits.filters import NonCooperationForm, ReportFilter, facet_counts, state_choices
from visits.models import (
    CooperationRefusal,
    PlaceType,
    PublicStatement,
    Report,
    ReportLanguage,
    Response,
    State,
    Visit,
    VisitType,
)
from visits.treaty import TreatyStatus

PAGE_SIZE = 25
# Pages past this one are not served: an OFFSET that deep costs the database a scan of every
# row before it. The count still says how many reports match; the exports give them all.
MAX_PAGES = 200
PAGE_NUMBER = re.compile(r"[1-9][0-9]*")


class NotFoundBecause(Http404):
    """A 404 whose message (ours, translated) the page shows: why there is nothing here."""


def not_found(request, exception):
    """The 404 page (handler404), with the reason when a view gave one."""
    reason = str(exception) if isinstance(exception, NotFoundBecause) else ""
    return render(request, "404.html", {"reason": reason}, status=404)


class InvalidParameters(Exception):
    """Raised with {parameter: [messages]} when a request's parameters do not validate."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def answers_bad_parameters(json=False, restart=None):
    """Turn InvalidParameters into HTTP 400: a page naming each parameter, or a JSON body.
    ``restart`` is the (URL name, link text) the page offers to start again from; the
    report list by default."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except InvalidParameters as invalid:
                if json:
                    return JsonResponse({"errors": invalid.errors}, status=400)
                context = {"errors": sorted(invalid.errors.items())}
                if restart:
                    context["restart_url"], context["restart_label"] = (
                        reverse(restart[0]),
                        restart[1],
                    )
                return render(request, "visits/bad_request.html", context, status=400)

        return wrapper

    return decorate


def report_filter(request):
    filterset = ReportFilter(request.GET, queryset=Report.public_objects.all())
    if not filterset.is_valid():
        raise InvalidParameters({name: list(msgs) for name, msgs in filterset.errors.items()})
    return filterset


class BoundedPaginator(Paginator):
    """At most MAX_PAGES pages, over a count computed once (and cached) by the caller."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count

    @cached_property
    def num_pages(self):
        return min(super().num_pages, MAX_PAGES)

    @property
    def truncated(self):
        return self.count > MAX_PAGES * self.per_page


def page_of(request, queryset, count):
    number = request.GET.get("page", "1")
    if not PAGE_NUMBER.fullmatch(number):
        raise InvalidParameters({"page": [_("Enter a whole number, 1 or more.")]})
    paginator = BoundedPaginator(queryset, PAGE_SIZE, count)
    try:
        if len(number) > len(str(paginator.num_pages)):
            raise EmptyPage  # past the end; and int() refuses over 4,300 digits
        return paginator.page(int(number))
    except EmptyPage as past_the_end:
        deepest = -(-paginator.count // PAGE_SIZE)
        if paginator.truncated and len(number) <= len(str(deepest)) and int(number) <= deepest:
            message = _(
                "The list is shown %(pages)s pages deep at most: narrow the filters, or "
                "download the whole list as CSV or JSON."
            ) % {"pages": MAX_PAGES}
        else:
            message = _("There is no page %(page)s.") % {"page": number}
        raise NotFoundBecause(message) from past_the_end


def filter_key(filterset):
    """What a report list's counts depend on: the filters in effect, not the sort or page."""
    values = filterset.form.cleaned_data
    return tuple(
        (name, sorted(value) if isinstance(value, list) else value)
        for name, value in sorted(values.items())
        if name != "sort" and value not in (None, "", [])
    )


def facet_choices(filterset, counts):
    """For the filter panel: each choice with its count, the selected ones marked."""
    selected = filterset.form.cleaned_data
    states = dict(state_choices())
    codes = set(selected.get("state") or [])
    choices = {
        "state": sorted(
            (
                (code, states.get(code, code), counts["state"].get(code, 0), code in codes)
                for code in set(counts["state"]) | codes
            ),
            key=lambda choice: choice[1],
        ),
        "year": [
            (year, year, n, selected.get("year") == year)
            for year, n in sorted(counts["year"].items(), reverse=True)
        ],
    }
    for facet, options in (
        ("visit_type", VisitType.choices),
        ("place_type", PlaceType.choices),
        ("language", ReportLanguage.choices),
    ):
        choices[facet] = [
            (value, label, counts[facet].get(value, 0), selected.get(facet) == value)
            for value, label in options
        ]
    return choices


# What a list of reports shows of each (the templates only place it): read as plain values,
# not model instances, and formatted here rather than by template tags, row by row.
ROW_FIELDS = [
    "pk",
    "title",
    "reference",
    "language",
    "published_on",
    "visit__visit_type",
    "visit__start_on",
    "visit__end_on",
    "visit__state__code",
    "visit__state__name",
]


@functools.lru_cache(maxsize=20_000)
def _day(value, day_format, language):
    """A date as DATE_FORMAT gives it in ``language`` (which the result depends on)."""
    return DateFormat(value).format(day_format)


def report_list_rows(reports):
    """``reports``: a queryset of public reports, in the order to show them."""
    visit_types = {value: str(label) for value, label in VisitType.choices}
    languages = {value: str(label) for value, label in ReportLanguage.choices}
    report_url = reverse("visits:report_detail", args=[0])[: -len("0/")]
    state_url = reverse("visits:state_detail", args=["XX"])[: -len("XX/")]
    published = _("published %(date)s")
    day_format, language = get_format("DATE_FORMAT"), translation.get_language()
    rows = []
    for row in reports.values(*ROW_FIELDS):
        rows.append(
            {
                "id": row["pk"],
                "url": f"{report_url}{row['pk']}/",
                "title": row["title"],
                "reference": row["reference"],
                "state_url": f"{state_url}{row['visit__state__code']}/",
                "state": row["visit__state__name"],
                "visit_type": visit_types.get(row["visit__visit_type"], row["visit__visit_type"]),
                "visit_start": _day(row["visit__start_on"], day_format, language),
                "visit_end": _day(row["visit__end_on"], day_format, language),
                "published": published % {"date": _day(row["published_on"], day_format, language)},
                "language": languages.get(row["language"], row["language"]),
            }
        )
    return rows


def report_rows_html(rows):
    """The items of a list of reports (``report_list_rows``) as HTML: built here rather than
    by a template loop, which costs more than the rest of the list page."""
    items = []
    for row in rows:
        reference = (
            f'<span class="reference">{escape(row["reference"])}</span> · '
            if row["reference"]
            else ""
        )
        items.append(
            '<li class="report">\n'
            f'  <h3 class="report-title"><a href="{escape(row["url"])}">'
            f"{escape(row['title'])}</a></h3>\n"
            '  <p class="report-meta">\n'
            f"    {reference}"
            f'<a href="{escape(row["state_url"])}">{escape(row["state"])}</a> ·\n'
            f"    {escape(row['visit_type'])}, {escape(row['visit_start'])} – "
            f"{escape(row['visit_end'])} ·\n"
            f"    {escape(row['published'])} ·\n"
            f"    {escape(row['language'])}\n"
            "  </p>\n"
            "</li>\n"
        )
    return mark_safe("".join(items))  # noqa: S308 every value above is escaped


def query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def public_counts():
    """The home page's figures, cached until the published data changes."""

    def count():
        return {
            "reports": Report.public_objects.count(),
            "visits": Visit.public_objects.count(),
            "states": State.public_objects.count(),
            "statements": PublicStatement.public_objects.count(),
            "refusals": CooperationRefusal.public_objects.count(),
        }

    return cached_value("home-counts", (), count)


@require_GET
@cached_page
def home(request):
    context = {
        "latest": report_rows_html(
            report_list_rows(Report.public_objects.order_by("-published_on", "-id")[:6])
        ),
        "counts": public_counts(),
    }
    return render(request, "visits/home.html", context)


@require_GET
@cached_page
@answers_bad_parameters()
def report_list(request):
    filterset = report_filter(request)
    key = filter_key(filterset)
    sort = filterset.form.cleaned_data["sort"]
    # The ids of the pages that can be shown, in order, found once for this list and cached
    # until the published data changes: every page, the first as the deepest, is then a
    # fetch of 25 reports by id, with no OFFSET and no sort.
    limit = MAX_PAGES * PAGE_SIZE
    ids = cached_value(
        "report-ids", (*key, sort), lambda: list(filterset.qs.values_list("pk", flat=True)[:limit])
    )
    if len(ids) < limit:
        count = len(ids)
    else:
        count = cached_value("report-count", key, lambda: filterset.qs.order_by().count())
    page = page_of(request, ids, count)
    # The page's reports by id, through public() again, in the list's order.
    order = {pk: position for position, pk in enumerate(page.object_list)}
    rows = report_list_rows(Report.public_objects.filter(pk__in=page.object_list))
    rows.sort(key=lambda row: order[row["id"]])

    def filter_panel():
        counts = cached_value("report-facets", key, lambda: facet_counts(filterset))
        context = {"filterset": filterset, "facets": facet_choices(filterset, counts)}
        return render_to_string("visits/_filters.html", context, request)

    context = {
        "page": page,
        "rows_html": report_rows_html(rows),
        # The panel of filters with their counts, the same on every page of a list.
        "filter_panel": cached_value(
            "report-filter-panel", (*key, sort, translation.get_language()), filter_panel
        ),
        "query": query_without_page(request),
        "columns": REPORT_COLUMNS,
    }
    return render(request, "visits/report_list.html", context)


@require_GET
@cached_page
def report_detail(request, pk):
    report = get_object_or_404(with_public_relations(Report.public_objects.all()), pk=pk)
    context = {"report": report, "visit": report.visit, "today": timezone.localdate()}
    return render(request, "visits/report_detail.html", context)


def _pdf(field_file, name):
    if not field_file:
        raise NotFoundBecause(_("No file has been published for this document."))
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise NotFoundBecause(_("The file is not available.")) from missing
    return FileResponse(handle, filename=name, content_type="application/pdf")


@require_GET
def report_file(request, pk):
    report = get_object_or_404(Report.public_objects.all(), pk=pk)
    return _pdf(report.file, f"report-{report.pk}.pdf")


@require_GET
def response_file(request, pk, response_pk):
    # The report first: its primary-key lookup refuses ids past 64 bits with a 404.
    report = get_object_or_404(Report.public_objects.all(), pk=pk)
    response = get_object_or_404(Response.public_objects.all(), pk=response_pk, report=report)
    return _pdf(response.file, f"response-{response.pk}.pdf")


@require_GET
@answers_bad_parameters()
def report_export_csv(request):
    filterset = report_filter(request)
    lines = report_csv_lines(filterset.qs, request)
    return csv_response(None, REPORT_COLUMNS, "reports.csv", lines=lines)


@require_GET
@answers_bad_parameters(json=True)
def report_export_json(request):
    filterset = report_filter(request)
    meta = {"parameters": parameters_of(filterset), "columns": REPORT_COLUMNS}
    return json_response(report_rows(filterset.qs, request), "reports", meta, "reports.json")


def parameters_of(filterset):
    """The filters in effect, as JSON values (lists, ISO dates, whole numbers)."""
    parameters = {}
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", []):
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif name == "year":
            value = int(value)
        parameters[name] = value
    return parameters


@require_GET
@cached_page
def state_list(request):
    reports = cached_value(
        "state-report-counts",
        (),
        lambda: dict(
            Report.public_objects.all()
            .order_by()
            .values("visit__state")
            .annotate(n=Count("id"))
            .values_list("visit__state", "n")
        ),
    )
    states = list(State.public_objects.order_by("name"))
    for state in states:
        state.public_report_count = reports.get(state.pk, 0)
    return render(request, "visits/state_list.html", {"states": states})


# A State's page lists the latest of each; the report list and the summary give the rest.
STATE_PAGE_ITEMS = 50


@require_GET
@cached_page
def state_detail(request, code):
    state = get_object_or_404(State.public_objects, code=code.upper())
    visits = Visit.public_objects.filter(state=state)
    reports = Report.public_objects.filter(visit__state=state)
    refusals = CooperationRefusal.public_objects.filter(state=state)
    counts = cached_value(
        "state-counts",
        (state.pk,),
        lambda: {
            "visits": visits.count(),
            "reports": reports.count(),
            "refusals": refusals.count(),
        },
    )
    context = {
        "state": state,
        "timeline": state.treaty_timeline(),
        "status": state.status_today(),
        "counts": counts,
        "shown": STATE_PAGE_ITEMS,
        "visits": visits.order_by("-start_on", "-id")[:STATE_PAGE_ITEMS],
        "reports": reports.order_by("-published_on", "-id")[:STATE_PAGE_ITEMS],
        "statements": PublicStatement.public_objects.filter(state=state),
        "refusals": refusals.order_by("-occurred_on", "-id")[:STATE_PAGE_ITEMS],
    }
    return render(request, "visits/state_detail.html", context)


# The non-cooperation summary (issue 5): rows from visits.noncooperation, public data only.


SUMMARY_RESTART = ("visits:noncooperation", gettext_lazy("Start again from the summary"))


def noncooperation_form(request):
    form = NonCooperationForm(request.GET)
    if not form.is_valid():
        raise InvalidParameters({name: list(msgs) for name, msgs in form.errors.items()})
    return form


@require_GET
@cached_page
@answers_bad_parameters(restart=SUMMARY_RESTART)
def noncooperation_summary(request):
    form = noncooperation_form(request)
    filters = form.summary_filters()
    query = request.GET.copy()
    query.pop("sort", None)
    context = {
        "form": form,
        "filters": filters,
        "tables": summary_tables(noncooperation.summary(filters), filters, query.urlencode()),
        "chart": charts.refusal_chart(noncooperation.refusals_by_year_and_kind(filters)),
        "query": request.GET.urlencode(),
        "columns": noncooperation.SUMMARY_COLUMNS,
        "today": timezone.localdate(),
    }
    return render(request, "visits/noncooperation.html", context)


@require_GET
@answers_bad_parameters(restart=SUMMARY_RESTART)
def noncooperation_export_csv(request):
    filters = noncooperation_form(request).summary_filters()
    return csv_response(
        noncooperation.summary(filters),
        noncooperation.SUMMARY_COLUMNS,
        "non-cooperation.csv",
        preamble=noncooperation_preamble(filters, public=True),
    )


@require_GET
@answers_bad_parameters(json=True)
def noncooperation_export_json(request):
    filters = noncooperation_form(request).summary_filters()
    meta = noncooperation_meta(filters, True, noncooperation.SUMMARY_COLUMNS)
    return json_response(noncooperation.summary(filters), "summary", meta, "non-cooperation.json")


# Columns that sort from the largest or latest first on a first click.
TEXT_COLUMNS = {"state", "state_code", "year", "treaty_status"}
SHORT_DAY = "j N Y"  # 6 Sept. 2018, 6 sept. 2018: the summary's columns are narrow
REPORT_MEASURES = [
    "responses_overdue",
    "reports_transmitted_unpublished",
    "reports_published",
    "median_days_visit_end_to_publication",
]


def summary_tables(rows, filters, query):
    """The summary as the page shows it, in two tables with the same rows in the same order:
    the figures by State, and the refusals by kind (for the kinds asked for, or else the
    kinds that occur). Each heading links to the sort it would give."""
    kinds = [
        column
        for kind, column in noncooperation.KIND_COLUMNS.items()
        if kind in filters.kinds or (not filters.kinds and any(row[column] for row in rows))
    ]
    year = ["year"] if filters.by_year else []
    refusals = ["refusals_total", "refusals_unresolved", "first_refusal_on", "last_refusal_on"]
    main = summary_table(
        rows,
        filters,
        query,
        ["state", *year, "treaty_status"],
        [
            (gettext_lazy("Refusals to co-operate"), refusals),
            (gettext_lazy("Public statements"), ["public_statements", "last_public_statement_on"]),
            (gettext_lazy("Reports on completed visits"), REPORT_MEASURES),
        ],
    )
    by_kind = summary_table(
        rows, filters, query, ["state", *year], [(None, [*kinds, "refusals_total"])]
    )
    return main, by_kind


def summary_table(rows, filters, query, lead, groups):
    """Headings (``lead`` columns, then ``groups`` of columns under a label) and cells."""
    current = filters.sort.lstrip("-")
    descending = filters.sort.startswith("-")

    def heading(column):
        if column == current:
            sort = column if descending else f"-{column}"
            order = "descending" if descending else "ascending"
        else:
            sort = column if column in TEXT_COLUMNS else f"-{column}"
            order = None
        return {
            "label": noncooperation.COLUMN_LABELS[column],
            "href": f"?{query}&sort={sort}" if query else f"?sort={sort}",
            "order": order,
            "numeric": column not in TEXT_COLUMNS,
        }

    columns = [*lead[1:], *[column for _label, group in groups for column in group]]
    return {
        "lead": [heading(column) for column in lead],
        "groups": [(label, [heading(column) for column in group]) for label, group in groups],
        "grouped": groups[0][0] is not None,
        "rows": [
            {"code": row["state_code"], "name": row["state"], "cells": summary_cells(row, columns)}
            for row in rows
        ],
    }


def summary_cells(row, columns):
    """(text, ISO date or "", CSS class) for each column after the State's name."""
    cells = []
    for column in columns:
        value = row[column]
        iso = value.isoformat() if hasattr(value, "isoformat") else ""
        if column == "treaty_status":
            text = treaty_status_text(value, row["denunciation_effective_on"])
        elif column == "last_public_statement_on" and value:
            text = statement_date(value, row["last_public_statement_precision"])
        elif iso:
            text = date_format(value, SHORT_DAY)
        elif isinstance(value, float):
            text = number_format(value, decimal_pos=0 if value.is_integer() else 1)
        elif value is None:
            text = "–"
        else:
            text = str(value)
        css = {"treaty_status": "treaty", "year": ""}.get(column, "num")
        cells.append((text, iso, css))
    return cells


def treaty_status_text(status, effective):
    """A State's status today, with the day its denunciation takes or took effect."""
    label = TreatyStatus(status).label
    if not effective:
        return str(label)
    if status == TreatyStatus.FORMER_PARTY:
        sentence = _("%(status)s (since %(date)s)")
    else:
        sentence = _("%(status)s (takes effect on %(date)s)")
    return sentence % {"status": label, "date": date_format(effective, SHORT_DAY)}


def statement_date(day, precision):
    """A statement's date as precisely as it is known (only its month may be)."""
    if precision == PublicStatement.Precision.YEAR:
        return str(day.year)
    if precision == PublicStatement.Precision.MONTH:
        return date_format(day, "N Y")
    return date_format(day, SHORT_DAY)


@require_GET
def switch_language(request, code):
    """Remember the visitor's language in a cookie and go back: a plain link, no form."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    # Not redirect(): it would try a next without "/" or "." as a view name.
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
