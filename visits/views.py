"""Public pages: each view reads its parameters (``visits.parameters``), fetches rows through
the public managers (``visits.querysets``), shapes them (``visits.presentation``) and renders
a template, or streams an export (``visits.exports``)."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Prefetch, Q
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from visits import charts, countries, noncooperation, parameters
from visits.cache import cached_page, cached_value, fragment_key
from visits.exports import (
    RECOMMENDATION_COLUMNS,
    REPORT_COLUMNS,
    csv_response,
    json_response,
    noncooperation_meta,
    noncooperation_preamble,
    recommendation_rows,
    report_csv_lines,
    report_rows,
    with_public_relations,
)
from visits.filters import facet_counts
from visits.models import (
    Assessment,
    CooperationRefusal,
    Document,
    Facility,
    PublicStatement,
    Recommendation,
    Report,
    Response,
    State,
    Theme,
    Visit,
)
from visits.parameters import (
    NotFoundBecause,
    answers_bad_parameters,
    filter_key,
    noncooperation_form,
    page_of,
    parameters_of,
    query_without,
    recommendation_filter,
    report_filter,
)
from visits.presentation import (
    RECOMMENDATION_FIELDS,
    facet_choices,
    implementation_summary,
    recommendation_facet_choices,
    recommendation_groups,
    recommendation_label,
    recommendation_list_rows,
    report_list_rows,
    status_text,
    summary_tables,
)
from visits.querysets import NOT_ASSESSED
from visits.search import pages_of_report, report_snippets

RECOMMENDATIONS_RESTART = (
    "visits:recommendation_list",
    gettext_lazy("Start again from every recommendation"),
)


def not_found(request, exception):
    """The 404 page (handler404), with the reason when a view gave one."""
    reason = str(exception) if isinstance(exception, NotFoundBecause) else ""
    return render(request, "404.html", {"reason": reason}, status=404)


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


def listed_ids(kind, filterset, key, sort) -> tuple[list[int], int]:
    """The ids of the pages of a list that can be shown, in order, and how many rows the list
    has: found once for this list and cached until the published data changes. Every page,
    the first as the deepest, is then a fetch of 25 rows by id, with no OFFSET and no sort
    (docs/decisions.md). The language is part of the key: sorted by State, the order is that
    of the names shown."""
    limit = parameters.MAX_PAGES * parameters.PAGE_SIZE
    ids = cached_value(
        f"{kind}-ids",
        (*key, sort, translation.get_language()),
        lambda: list(filterset.qs.values_list("pk", flat=True)[:limit]),
    )
    if len(ids) < limit:
        return ids, len(ids)
    return ids, cached_value(f"{kind}-count", key, lambda: filterset.qs.order_by().count())


@require_GET
@cached_page
def home(request):
    context = {
        "latest": report_list_rows(Report.public_objects.order_by("-published_on", "-id")[:6]),
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
    ids, count = listed_ids("report", filterset, key, sort)
    page = page_of(request, ids, count)
    order = {pk: position for position, pk in enumerate(page.object_list)}
    rows = report_list_rows(Report.public_objects.filter(pk__in=page.object_list))
    rows.sort(key=lambda row: order[row["pk"]])
    if words := filterset.form.cleaned_data["q"]:
        # Where the words were found in each report's versions (visits/search.py).
        snippets = report_snippets(list(page.object_list), words)
        for row in rows:
            row["snippets"] = snippets.get(row["pk"], [])
    context = {
        "filterset": filterset,
        # Read only when the filter panel is not in the cache.
        "facets": SimpleLazyObject(
            lambda: facet_choices(
                filterset, cached_value("report-facets", key, lambda: facet_counts(filterset))
            )
        ),
        # The filter panel is the same on every page of a list: rendered once (docs/decisions.md).
        "panel_key": fragment_key(key, sort, translation.get_language()),
        "panel_seconds": settings.PUBLIC_CACHE_SECONDS,
        "page": page,
        "rows": rows,
        "query": query_without(request, "page"),
        "columns": REPORT_COLUMNS,
    }
    return render(request, "visits/report_list.html", context)


@require_GET
@cached_page
def report_detail(request, pk):
    report = get_object_or_404(with_public_relations(Report.public_objects.all()), pk=pk)
    context = {
        "report": report,
        "visits": report.public_visits,
        "recommendation_groups": recommendation_groups(report.public_recommendations),
        "today": timezone.localdate(),
    }
    return render(request, "visits/report_detail.html", context)


@require_GET
@cached_page
@answers_bad_parameters()
def report_search(request, pk):
    """The pages of a public report's versions where the words of ``q`` appear."""
    report = get_object_or_404(Report.public_objects.select_related("state"), pk=pk)
    words = parameters.search_words(request)
    context = {"report": report, "q": words, "hits": pages_of_report(report.pk, words)}
    return render(request, "visits/report_search.html", context)


def _pdf(document, name):
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise NotFoundBecause(_("The file is not available.")) from missing
    return FileResponse(handle, filename=name, content_type="application/pdf")


@require_GET
def report_document(request, pk, document_pk):
    """A language version of a public report, or of one of its public responses."""
    # The report first: its primary-key lookup refuses ids past 64 bits with a 404.
    report = get_object_or_404(Report.public_objects.all(), pk=pk)
    document = get_object_or_404(Document.public_objects.all(), pk=document_pk)
    if document.report_id == report.pk:
        name = f"report-{report.pk}-{document.language}.pdf"
    elif document.response_id and document.response.report_id == report.pk:
        name = f"response-{document.response_id}-{document.language}.pdf"
    else:
        raise NotFoundBecause(_("This document is not one of this report's."))
    return _pdf(document, name)


def _first_version(documents):
    document = documents.order_by("-authentic", "language", "id").first()
    if document is None:
        raise NotFoundBecause(_("No file has been published for this document."))
    return document


@require_GET
def report_file(request, pk):
    """The address of a report's one file, before reports had versions: its authentic (or
    first) version."""
    report = get_object_or_404(Report.public_objects.all(), pk=pk)
    document = _first_version(Document.public_objects.filter(report=report))
    return redirect("visits:report_document", report.pk, document.pk, permanent=True)


@require_GET
def response_file(request, pk, response_pk):
    report = get_object_or_404(Report.public_objects.all(), pk=pk)
    response = get_object_or_404(Response.public_objects.all(), pk=response_pk, report=report)
    document = _first_version(Document.public_objects.filter(response=response))
    return redirect("visits:report_document", report.pk, document.pk, permanent=True)


@require_GET
def statement_document(request, pk, document_pk):
    """A language version of an issued public statement."""
    statement = get_object_or_404(PublicStatement.public_objects.all(), pk=pk)
    document = get_object_or_404(Document.public_objects.all(), pk=document_pk, statement=statement)
    return _pdf(document, f"statement-{statement.pk}-{document.language}.pdf")


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


def _recommendation_items(ids: list[int]) -> list[dict]:
    """The list items of the public recommendations ``ids``, in that order: four queries
    (the rows, their public assessments, their themes, the public recommendations they repeat
    or are repeated by). The status is picked here, the latest assessment of each: a subquery
    per row (``with_status()``) cost more to build than to run (docs/decisions.md)."""
    order = {pk: position for position, pk in enumerate(ids)}
    rows = sorted(
        Recommendation.public_objects.filter(pk__in=ids).values(*RECOMMENDATION_FIELDS),
        key=lambda row: order[row["pk"]],
    )
    # The recommendations are public (ids come from the public list): only the assessments'
    # sources are left to test, and their themes are public.
    status = {}
    for assessment in (
        Assessment.public_objects.of_public_recommendations()
        .filter(recommendation__in=ids)
        .order_by("recommendation", "-assessed_on", "-id")
        .values("recommendation", "status", "assessed_on", "source")
    ):
        status.setdefault(assessment["recommendation"], assessment)
    for row in rows:
        latest = status.get(row["pk"], {})
        row["public_status"] = latest.get("status", NOT_ASSESSED)
        row["status_on"], row["status_source"] = latest.get("assessed_on"), latest.get("source")
    every_theme = {theme.pk: theme for theme in Theme.public_objects.all()}
    themes: dict = {}
    for pk, theme in (
        Recommendation.public_objects.of_public_reports()
        .filter(pk__in=ids, themes__isnull=False)
        .values_list("pk", "themes")
    ):
        themes.setdefault(pk, []).append(every_theme[theme])
    for listed in themes.values():
        listed.sort(key=lambda theme: (theme.position, theme.code))
    earlier = [row["repeats_id"] for row in rows if row["repeats_id"]]
    links = Recommendation.public_objects.filter(Q(pk__in=earlier) | Q(repeats__in=ids)).values(
        "pk", "repeats_id", "paragraph", "report_id", "report__reference", "report__title"
    )
    return recommendation_list_rows(rows, themes, list(links))


@require_GET
@cached_page
@answers_bad_parameters(restart=RECOMMENDATIONS_RESTART)
def recommendation_list(request):
    filterset = recommendation_filter(request)
    key = filter_key(filterset)
    sort = filterset.form.cleaned_data["sort"]
    ids, count = listed_ids("recommendation", filterset, key, sort)
    page = page_of(request, ids, count)
    language = translation.get_language()
    context = {
        "filterset": filterset,
        "facets": SimpleLazyObject(
            lambda: recommendation_facet_choices(
                filterset,
                cached_value("recommendation-facets", (*key, language), filterset.facet_counts),
            )
        ),
        "panel_key": fragment_key(key, sort, language),
        "panel_seconds": settings.PUBLIC_CACHE_SECONDS,
        "page": page,
        "items": _recommendation_items(list(page.object_list)),
        "query": query_without(request, "page"),
        "columns": RECOMMENDATION_COLUMNS,
    }
    return render(request, "visits/recommendation_list.html", context)


def public_chain(recommendation: Recommendation) -> list[Recommendation]:
    """The public recommendations linked to ``recommendation`` by repeats, earlier and later,
    oldest first, it included. A link to a recommendation the public cannot see ends the
    chain there: nothing beyond it is shown. A few queries a step; chains are a few visits
    long (at most CHAIN_STEPS are followed each way)."""
    public = Recommendation.public_objects.with_status().select_related("report", "report__state")
    chain = [recommendation]
    earlier = recommendation.repeats_id
    for _step in range(CHAIN_STEPS):
        found = public.filter(pk=earlier).first() if earlier else None
        if found is None or found in chain:
            break
        chain.insert(0, found)
        earlier = found.repeats_id
    frontier = [recommendation.pk]
    for _step in range(CHAIN_STEPS):
        later = [item for item in public.filter(repeats__in=frontier) if item not in chain]
        if not later:
            break
        chain += sorted(
            later,
            key=lambda item: (item.report.visits_start_on or item.report.published_on, item.pk),
        )
        frontier = [item.pk for item in later]
    return chain


CHAIN_STEPS = 20


@require_GET
@cached_page
def recommendation_detail(request, pk):
    recommendation = get_object_or_404(
        Recommendation.public_objects.with_status().select_related("report", "report__state"),
        pk=pk,
    )
    themes = list(Theme.public_objects.filter(recommendations=recommendation))
    chain = public_chain(recommendation)
    context = {
        "recommendation": recommendation,
        "report": recommendation.report,
        "themes": [theme.name for theme in themes],
        "places": Facility.public_objects.filter(recommendations=recommendation).order_by("name"),
        "status": status_text(
            recommendation.public_status, recommendation.status_source, recommendation.status_on
        ),
        "assessments": Assessment.public_objects.of_public_recommendations()
        .filter(recommendation=recommendation)
        .select_related("response", "report")
        .order_by("-assessed_on", "-id"),
        "chain": [
            {
                "recommendation": item,
                "label": recommendation_label(
                    item.paragraph, item.report.reference, item.report.title
                ),
                "status": status_text(item.public_status, item.status_source, item.status_on),
            }
            for item in chain
        ]
        if len(chain) > 1
        else [],
    }
    return render(request, "visits/recommendation_detail.html", context)


@require_GET
@answers_bad_parameters(restart=RECOMMENDATIONS_RESTART)
def recommendation_export_csv(request):
    filterset = recommendation_filter(request)
    return csv_response(
        recommendation_rows(filterset.qs, request, for_csv=True),
        RECOMMENDATION_COLUMNS,
        "recommendations.csv",
    )


@require_GET
@answers_bad_parameters(json=True)
def recommendation_export_json(request):
    filterset = recommendation_filter(request)
    meta = {"parameters": parameters_of(filterset), "columns": RECOMMENDATION_COLUMNS}
    return json_response(
        recommendation_rows(filterset.qs, request),
        "recommendations",
        meta,
        "recommendations.json",
    )


@require_GET
@cached_page
def state_list(request):
    reports = cached_value(
        "state-report-counts",
        (),
        lambda: dict(
            Report.public_objects.all()
            .order_by()
            .values("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
        ),
    )
    states = sorted(
        State.public_objects.all(), key=lambda state: countries.sort_key(state.display_name)
    )
    for state in states:
        state.public_report_count = reports.get(state.pk, 0)
    return render(request, "visits/state_list.html", {"states": states})


# A State's page lists the latest of each; the report list and the summary give the rest.
STATE_PAGE_ITEMS = 50


def recommendation_counts(state):
    """The State's public recommendations counted by public status (``by_status``) and by
    theme and status (``by_theme``, keyed by (theme id, status), None for no theme), with the
    themes they come under (``themes``): three grouped queries, whatever their number (one
    when there is none)."""
    recommendations = (
        Recommendation.public_objects.with_status().filter(report__state=state).order_by()
    )
    by_status = dict(
        recommendations.values("public_status")
        .annotate(n=Count("pk"))
        .values_list("public_status", "n")
    )
    if not by_status:
        return {"by_status": {}, "by_theme": {}, "themes": []}
    by_theme = {
        (theme, status): n
        for theme, status, n in recommendations.values("themes", "public_status")
        .annotate(n=Count("pk"))
        .values_list("themes", "public_status", "n")
    }
    ids = {theme for theme, _status in by_theme if theme is not None}
    themes = list(Theme.public_objects.filter(pk__in=ids)) if ids else []
    return {"by_status": by_status, "by_theme": by_theme, "themes": themes}


@require_GET
@cached_page
def state_detail(request, code):
    if len(code) == 3:
        # An alpha-3 code: the State's page is under its alpha-2 code.
        alpha2 = countries.to_alpha2(code)
        if alpha2 is None or not State.public_objects.filter(code=alpha2).exists():
            raise Http404
        return HttpResponsePermanentRedirect(reverse("visits:state_detail", args=[alpha2]))
    state = get_object_or_404(State.public_objects, code=code.upper())
    visits = Visit.public_objects.filter(state=state)
    reports = Report.public_objects.filter(state=state)
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
    # Cached with the themes, whose names are read here in the page's language.
    implementation = implementation_summary(
        **cached_value("state-recommendations", (state.pk,), lambda: recommendation_counts(state))
    )
    context = {
        "state": state,
        "timeline": state.treaty_timeline(),
        "status": state.status_today(),
        "counts": counts,
        "shown": STATE_PAGE_ITEMS,
        "visits": visits.order_by("-start_on", "-id")[:STATE_PAGE_ITEMS],
        "reports": reports.order_by("-published_on", "-id")[:STATE_PAGE_ITEMS],
        "statements": PublicStatement.public_objects.filter(state=state).prefetch_related(
            Prefetch(
                "documents",
                queryset=Document.public_objects.all(),
                to_attr="public_documents",
            )
        ),
        "refusals": refusals.order_by("-occurred_on", "-id")[:STATE_PAGE_ITEMS],
        "implementation": implementation,
        "implementation_chart": charts.implementation_chart(implementation),
        "today": timezone.localdate(),
    }
    return render(request, "visits/state_detail.html", context)


def public_summary(filters):
    """The public summary's rows for ``filters``, cached until the published data changes, as
    the lists' counts and facets are: with its recommendations columns it costs several
    seconds at bench scale (docs/decisions.md)."""
    return cached_value(
        "noncooperation-summary", (filters,), lambda: noncooperation.summary(filters)
    )


SUMMARY_RESTART = ("visits:noncooperation", gettext_lazy("Start again from the summary"))


@require_GET
@cached_page
@answers_bad_parameters(restart=SUMMARY_RESTART)
def noncooperation_summary(request):
    form = noncooperation_form(request)
    filters = form.summary_filters()
    rows = public_summary(filters)
    context = {
        "form": form,
        "filters": filters,
        "tables": summary_tables(rows, filters, query_without(request, "sort")),
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
        public_summary(filters),
        noncooperation.SUMMARY_COLUMNS,
        "non-cooperation.csv",
        preamble=noncooperation_preamble(filters, public=True),
    )


@require_GET
@answers_bad_parameters(json=True)
def noncooperation_export_json(request):
    filters = noncooperation_form(request).summary_filters()
    meta = noncooperation_meta(filters, True, noncooperation.SUMMARY_COLUMNS)
    return json_response(public_summary(filters), "summary", meta, "non-cooperation.json")


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
