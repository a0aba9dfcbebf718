"""What a public request asks for: its parameters checked, or an HTTP 400 naming each one.

Views and the feed read their parameters through here: the report list's FilterSet (always
over ``Report.public_objects``), the non-cooperation form, the page number. An invalid value
raises ``InvalidParameters``; ``answers_bad_parameters`` turns it into a 400 page or JSON
body. A page past the end raises ``NotFoundBecause``, a 404 that says why.
"""

import functools
import re

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, Paginator
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from visits.filters import NonCooperationForm, RecommendationFilter, ReportFilter
from visits.models import Recommendation, Report

PAGE_SIZE = 25
# Pages past this one are not served: an OFFSET that deep costs the database a scan of every
# row before it. The count still says how many reports match; the exports give them all.
MAX_PAGES = 200
PAGE_NUMBER = re.compile(r"[1-9][0-9]*")


class NotFoundBecause(Http404):
    """A 404 whose message (ours, translated) the page shows: why there is nothing here."""


class InvalidParameters(Exception):
    """Raised with {parameter: [messages]} when a request's parameters do not validate."""

    def __init__(self, errors: dict[str, list[str]]):
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
                    context["restart_url"] = reverse(restart[0])
                    context["restart_label"] = restart[1]
                return render(request, "visits/bad_request.html", context, status=400)

        return wrapper

    return decorate


def _errors(form) -> dict[str, list[str]]:
    return {name: list(messages) for name, messages in form.errors.items()}


def report_filter(request: HttpRequest) -> ReportFilter:
    """The report list's filters, valid, over the public reports."""
    filterset = ReportFilter(request.GET, queryset=Report.public_objects.all())
    if not filterset.is_valid():
        raise InvalidParameters(_errors(filterset))
    return filterset


def recommendation_filter(request: HttpRequest) -> RecommendationFilter:
    """The recommendation list's filters, valid, over the public recommendations."""
    filterset = RecommendationFilter(request.GET, queryset=Recommendation.public_objects.all())
    if not filterset.is_valid():
        raise InvalidParameters(_errors(filterset))
    return filterset


def search_words(request: HttpRequest) -> str:
    """``q`` of a search inside one report: 200 characters at most, like the lists'."""
    field = ReportFilter.base_filters["q"].field
    try:
        return str(field.clean(request.GET.get("q", ""))).strip()
    except ValidationError as invalid:
        raise InvalidParameters({"q": list(invalid.messages)}) from invalid


def noncooperation_form(request: HttpRequest) -> NonCooperationForm:
    form = NonCooperationForm(request.GET)
    if not form.is_valid():
        raise InvalidParameters(_errors(form))
    return form


def filter_key(filterset: ReportFilter | RecommendationFilter) -> tuple:
    """What a list's counts depend on: the filters in effect, not the sort or page."""
    values = filterset.form.cleaned_data
    return tuple(
        (name, sorted(value) if isinstance(value, list) else value)
        for name, value in sorted(values.items())
        if name != "sort" and value not in (None, "", []) and value is not False
    )


def parameters_of(filterset: ReportFilter | RecommendationFilter) -> dict:
    """The filters in effect, as JSON values (lists, ISO dates, whole numbers)."""
    parameters = {}
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", []) or value is False:
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif name == "year":
            value = int(value)
        parameters[name] = value
    return parameters


def query_without(request: HttpRequest, name: str) -> str:
    """The request's query string without ``name``: for links that set it again."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


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


def page_of(request: HttpRequest, items, count: int) -> Page:
    """The page the request asks for (``page``, 1 by default) of ``items``, which number
    ``count`` in all."""
    number = request.GET.get("page", "1")
    if not PAGE_NUMBER.fullmatch(number):
        raise InvalidParameters({"page": [_("Enter a whole number, 1 or more.")]})
    paginator = BoundedPaginator(items, PAGE_SIZE, count)
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
