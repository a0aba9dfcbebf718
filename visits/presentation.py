"""What the public pages show, shaped for their templates: rows of reports, the filter
panel's choices with their counts, the non-cooperation summary's tables and cells, a report's
recommendations and a State's summary of their implementation.

Pure functions over rows the views fetched through the public managers; the HTML is in
``templates/visits/``.
"""

import datetime
import functools

from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import DateFormat
from django.utils.formats import date_format, get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visits import countries, noncooperation
from visits.exports import visit_records
from visits.filters import ReportFilter, state_choices
from visits.models import (
    AssessmentSource,
    AssessmentStatus,
    PlaceType,
    PublicStatement,
    RecommendationKind,
    VisitType,
    document_languages,
    language_name,
)
from visits.querysets import NOT_ASSESSED
from visits.treaty import TreatyStatus

# What a list of reports shows of each: read as plain values, not model instances.
ROW_FIELDS = [
    "pk",
    "title",
    "reference",
    "published_on",
    "state__code",
    "state__name",
    "state__is_demo",
]


@functools.lru_cache(maxsize=20_000)
def _day(value, day_format, language):
    """A date as DATE_FORMAT gives it in ``language`` (which the result depends on). Cached:
    a list page shows 75 dates, and formatting them one by one costs more than the rest of
    its items (docs/decisions.md)."""
    return DateFormat(value).format(day_format)


def report_list_rows(reports) -> list[dict]:
    """``reports``: a queryset of public reports, in the order to show them. One dict per
    report, its texts ready to show, for ``templates/visits/_report_items.html``. One query:
    each row carries its visits and its versions' languages as stored on the report (read
    from the visits and versions, they made an uncached list page a third slower,
    docs/decisions.md)."""
    visit_types = {value: str(label) for value, label in VisitType.choices}
    report_url = reverse("visits:report_detail", args=[0])[: -len("0/")]
    state_url = reverse("visits:state_detail", args=["XX"])[: -len("XX/")]
    published = _("published %(date)s")
    day_format, language = get_format("DATE_FORMAT"), translation.get_language()
    return [
        {
            "pk": row["pk"],
            "url": f"{report_url}{row['pk']}/",
            "title": row["title"],
            "reference": row["reference"],
            "state_url": f"{state_url}{row['state__code']}/",
            "state": countries.state_name(
                row["state__code"], row["state__name"], row["state__is_demo"]
            ),
            "visits": [
                {
                    "type": visit_types.get(visit["type"], visit["type"]),
                    "start": _day(_iso_day(visit["start"]), day_format, language),
                    "end": _day(_iso_day(visit["end"]), day_format, language),
                }
                for visit in visit_records(row["visits_text"])
            ],
            "published": published % {"date": _day(row["published_on"], day_format, language)},
            "languages": ", ".join(
                language_name(code) for code in sorted(row["languages"].split(",")) if code
            ),
        }
        for row in reports.values(*ROW_FIELDS, "visits_text", "languages")
    ]


@functools.lru_cache(maxsize=20_000)
def _iso_day(text):
    return datetime.date.fromisoformat(text)


def state_and_year_choices(selected: dict, counts: dict) -> dict:
    """The State and year facets of a list's filter panel: the States with a count (and those
    selected) by name, the years latest first."""
    states = dict(state_choices())
    codes = set(selected.get("state") or [])
    return {
        "state": sorted(
            (
                (code, states.get(code, code), counts["state"].get(code, 0), code in codes)
                for code in set(counts["state"]) | codes
            ),
            key=lambda choice: countries.sort_key(choice[1]),
        ),
        "year": [
            (year, year, n, selected.get("year") == year)
            for year, n in sorted(counts["year"].items(), reverse=True)
        ],
    }


def facet_choices(filterset: ReportFilter, counts: dict) -> dict:
    """For the filter panel: each choice with its count, the selected ones marked."""
    selected = filterset.form.cleaned_data
    choices = state_and_year_choices(selected, counts)
    languages = [
        (code, name)
        for code, name in document_languages()
        if code in counts["language"] or code == selected.get("language")
    ]
    for facet, options in (
        ("visit_type", VisitType.choices),
        ("place_type", PlaceType.choices),
        ("language", languages),
    ):
        choices[facet] = [
            (value, label, counts[facet].get(value, 0), selected.get(facet) == value)
            for value, label in options
        ]
    return choices


# The non-cooperation summary.

# Columns that sort from the largest or latest first on a first click.
TEXT_COLUMNS = {"state", "state_code", "year", "treaty_status"}
SHORT_DAY = "j N Y"  # 6 Sept. 2018, 6 sept. 2018: the summary's columns are narrow
REPORT_MEASURES = [
    "responses_overdue",
    "reports_transmitted_unpublished",
    "reports_published",
    "median_days_visit_end_to_publication",
]
RECOMMENDATION_MEASURES = ["recommendations_repeated", "recommendations_not_implemented"]


def summary_tables(rows: list[dict], filters: noncooperation.Filters, query: str) -> tuple:
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
            (gettext_lazy("Recommendations"), RECOMMENDATION_MEASURES),
        ],
    )
    by_kind = summary_table(
        rows, filters, query, ["state", *year], [(None, [*kinds, "refusals_total"])]
    )
    return main, by_kind


def summary_table(rows, filters, query, lead, groups) -> dict:
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


def summary_cells(row: dict, columns: list[str]) -> list[tuple[str, str, str]]:
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


def treaty_status_text(status, effective) -> str:
    """A State's status today, with the day its denunciation takes or took effect."""
    label = TreatyStatus(status).label
    if not effective:
        return str(label)
    if status == TreatyStatus.FORMER_PARTY:
        sentence = _("%(status)s (since %(date)s)")
    else:
        sentence = _("%(status)s (takes effect on %(date)s)")
    return sentence % {"status": label, "date": date_format(effective, SHORT_DAY)}


def statement_date(day, precision) -> str:
    """A statement's date as precisely as it is known (only its month may be)."""
    if precision == PublicStatement.Precision.YEAR:
        return str(day.year)
    if precision == PublicStatement.Precision.MONTH:
        return date_format(day, "N Y")
    return date_format(day, SHORT_DAY)


def status_text(status: str, source: str | None, day: datetime.date | None) -> str:
    """A recommendation's public status in words: "in progress (the government's response,
    1 Feb. 2025)", or "not assessed"."""
    if status == NOT_ASSESSED:
        return _("not assessed")
    return _("%(status)s (%(source)s, %(date)s)") % {
        "status": _label(AssessmentStatus, status),
        "source": _label(AssessmentSource, source),
        "date": date_format(day, "DATE_FORMAT") if day else "",
    }


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def recommendation_groups(recommendations) -> list[dict]:
    """A public report's recommendations (``with_status()``, themes prefetched), grouped under
    the first theme of each in the CPT standards' order; those without a theme last. Each
    with its status in words: the latest public assessment, or "not assessed"."""
    groups: dict = {}
    for recommendation in recommendations:
        themes = list(recommendation.themes.all())
        key = (themes[0].position, themes[0].code) if themes else (10**6, "")
        group = groups.setdefault(
            key, {"theme": themes[0].name if themes else _("Other"), "items": []}
        )
        group["items"].append(
            {
                "recommendation": recommendation,
                "themes": [theme.name for theme in themes],
                "status": status_text(
                    recommendation.public_status,
                    recommendation.status_source,
                    recommendation.status_on,
                ),
                "assessed": recommendation.public_status != NOT_ASSESSED,
            }
        )
    return [groups[key] for key in sorted(groups)]


# The public list of recommendations.

RECOMMENDATION_FIELDS = [
    "pk",
    "paragraph",
    "kind",
    "text",
    "immediate_action",
    "repeats_id",
    "report_id",
    "report__reference",
    "report__title",
    "report__state__code",
    "report__state__name",
    "report__state__is_demo",
]


def recommendation_label(paragraph: str, reference: str, title: str) -> str:
    """ "paragraph 57 of CPT/Inf (2024) 7": how a link names a recommendation."""
    return _("paragraph %(paragraph)s of %(report)s") % {
        "paragraph": paragraph,
        "report": reference or title,
    }


def recommendation_list_rows(rows, themes: dict, links: list[dict]) -> list[dict]:
    """The items of the recommendation list, for
    ``templates/visits/_recommendation_items.html``.

    ``rows``: dicts of RECOMMENDATION_FIELDS and the status (``public_status``, ``status_on``,
    ``status_source``, as ``with_status()`` gives them) of public recommendations;
    ``themes``: {recommendation id: [Theme]}; ``links``: the public recommendations the
    rows repeat or are repeated by, dicts with pk, repeats_id, paragraph, report_id,
    report__reference, report__title."""
    report_url = reverse("visits:report_detail", args=[0])[: -len("0/")]
    state_url = reverse("visits:state_detail", args=["XX"])[: -len("XX/")]
    url = reverse("visits:recommendation_detail", args=[0])[: -len("0/")]
    by_id = {link["pk"]: link for link in links}
    later: dict = {}
    for link in links:
        later.setdefault(link["repeats_id"], []).append(link)

    def linked(link):
        return {
            "url": f"{url}{link['pk']}/",
            "label": recommendation_label(
                link["paragraph"], link["report__reference"], link["report__title"]
            ),
        }

    items = []
    for row in rows:
        earlier = by_id.get(row.get("repeats_id"))
        items.append(
            {
                "pk": row["pk"],
                "url": f"{url}{row['pk']}/",
                "paragraph": row["paragraph"],
                "kind": ""
                if row["kind"] == "recommendation"
                else _label(RecommendationKind, row["kind"]),
                "text": row["text"],
                "immediate": row["immediate_action"],
                "report_url": f"{report_url}{row['report_id']}/",
                "report": row["report__reference"] or row["report__title"],
                "state_url": f"{state_url}{row['report__state__code']}/",
                "state": countries.state_name(
                    row["report__state__code"],
                    row["report__state__name"],
                    row["report__state__is_demo"],
                ),
                "themes": [theme.name for theme in themes.get(row["pk"], [])],
                "status": status_text(row["public_status"], row["status_source"], row["status_on"]),
                "repeats": linked(earlier) if earlier else None,
                "repeated_by": [linked(link) for link in later.get(row["pk"], [])],
            }
        )
    return items


def recommendation_facet_choices(filterset, counts: dict) -> dict:
    """For the recommendation list's filter panel: each choice with its count, the selected
    ones marked (as ``facet_choices`` for reports)."""
    from visits.filters import status_choices, theme_choices

    selected = filterset.form.cleaned_data
    choices = state_and_year_choices(selected, counts)
    for facet, options in (
        ("theme", theme_choices()),
        ("kind", RecommendationKind.choices),
        ("status", status_choices()),
        ("place_type", PlaceType.choices),
    ):
        choices[facet] = [
            (value, label, counts[facet].get(value, 0), selected.get(facet) == value)
            for value, label in options
        ]
    return choices


def public_statuses() -> list[tuple[str, str]]:
    """(value, label) of each public status in the order the summaries show them: the
    assessments' statuses, then "not assessed" (no public assessment)."""
    from visits.filters import status_choices

    return [(value, str(label)) for value, label in status_choices()]


def implementation_summary(by_status: dict, by_theme: dict, themes) -> dict | None:
    """A State's public recommendations by public status, overall and by theme, for its
    page's table and chart. ``by_status``: {status: count}; ``by_theme``: {(theme id, status):
    count}, a recommendation under several themes counted under each, one without a theme
    under None; ``themes``: the themes ``by_theme`` names, in the order to show them.

    Rows of counts in the order of ``public_statuses()``, one per theme and "Other" last (when
    some recommendation has no theme); ``totals`` counts each recommendation once. None when
    there is no recommendation."""
    total = sum(by_status.values())
    if not total:
        return None
    columns = public_statuses()

    def counts(of: dict) -> list[int]:
        return [of.get(status, 0) for status, _label in columns]

    grouped: dict = {}
    for (theme, status), count in by_theme.items():
        grouped.setdefault(theme, {})[status] = count
    named = [(theme.name, theme.code, grouped.get(theme.pk, {})) for theme in themes]
    if None in grouped:
        named.append((_("Other"), "", grouped[None]))
    rows = [
        {
            "name": name,
            "code": code,
            "counts": counts(of),
            "cells": list(zip((status for status, _l in columns), counts(of), strict=True)),
            "total": sum(of.values()),
        }
        for name, code, of in named
        if of
    ]
    totals = counts(by_status)
    return {
        "columns": columns,
        "rows": rows,
        "totals": totals,
        "total_cells": list(zip((status for status, _l in columns), totals, strict=True)),
        "total": total,
    }
