"""Geometry of the charts drawn as inline SVG by templates (no JavaScript, works in print).

Pure functions of counts, with no database: the template only writes out the numbers
computed here.
"""

import dataclasses
import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visits.models import RefusalKind

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 28
MAX_YEAR_LABELS = 12


@dataclasses.dataclass
class Segment:
    kind: str
    label: str
    count: int
    y: float
    height: float


@dataclasses.dataclass
class Bar:
    year: int
    total: int
    x: float
    label_x: float
    show_label: bool
    segments: list


def nice_step(maximum, ticks=5):
    """A round step (1, 2 or 5 times a power of ten) giving at most ``ticks`` steps."""
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def refusal_chart(by_year):
    """A stacked bar chart of ``{year: {kind: count}}``: one bar per year from the first to
    the last (years without refusals included, so that the time axis is even), one segment
    per kind, in the order of ``RefusalKind``. None when there is nothing to draw."""
    if not by_year:
        return None
    first, last = min(by_year), max(by_year)
    years = list(range(first, last + 1))
    kinds = [kind for kind in RefusalKind.values if any(kind in n for n in by_year.values())]
    totals = {year: sum(by_year.get(year, {}).values()) for year in years}
    step = nice_step(max(totals.values()))
    top = step * math.ceil(max(totals.values()) / step)
    plot_height = HEIGHT - TOP - BOTTOM
    band = (WIDTH - LEFT - RIGHT) / len(years)
    bar_width = min(band * 0.7, 48)
    label_every = math.ceil(len(years) / MAX_YEAR_LABELS)

    def y_of(value):
        return TOP + plot_height * (1 - value / top)

    bars = []
    for index, year in enumerate(years):
        x = LEFT + band * index + (band - bar_width) / 2
        below, segments = 0, []
        for kind in kinds:
            count = by_year.get(year, {}).get(kind, 0)
            if count:
                segments.append(
                    Segment(
                        kind=kind,
                        label=RefusalKind(kind).label,
                        count=count,
                        y=round(y_of(below + count), 2),
                        height=round(plot_height * count / top, 2),
                    )
                )
                below += count
        bars.append(
            Bar(
                year=year,
                total=totals[year],
                x=round(x, 2),
                label_x=round(x + bar_width / 2, 2),
                show_label=(last - year) % label_every == 0,
                segments=segments,
            )
        )
    peak = max(years, key=lambda year: (totals[year], year))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 18,
        "bar_width": round(bar_width, 2),
        "ticks": [(value, round(y_of(value), 2)) for value in range(0, top + 1, step)],
        "bars": bars,
        "legend": [(kind, RefusalKind(kind).label) for kind in kinds],
        "table": [
            (year, [by_year.get(year, {}).get(kind, 0) for kind in kinds], totals[year])
            for year in years
        ],
        "kind_totals": [sum(n.get(kind, 0) for n in by_year.values()) for kind in kinds],
        "total": sum(totals.values()),
        "description": ngettext(
            "Stacked bars, one per year from %(first)s to %(last)s, one colour per kind of "
            "refusal: %(total)s refusal in all, the most in %(peak)s (%(peak_total)s). The "
            "numbers are in the table below the chart.",
            "Stacked bars, one per year from %(first)s to %(last)s, one colour per kind of "
            "refusal: %(total)s refusals in all, the most in %(peak)s (%(peak_total)s). The "
            "numbers are in the table below the chart.",
            sum(totals.values()),
        )
        % {
            "first": first,
            "last": last,
            "total": sum(totals.values()),
            "peak": peak,
            "peak_total": totals[peak],
        },
    }


# The implementation chart: one horizontal bar per row, its label above it, 0-100 % below.
SHARE_WIDTH, SHARE_SIDE, SHARE_TOP = 720, 20, 4
SHARE_LABEL, SHARE_BAR, SHARE_BAR_HEIGHT, SHARE_PITCH = 15, 21, 22, 54
# Between the bar of all recommendations and the themes' bars; below the last bar, the axis.
SHARE_GAP, SHARE_AXIS = 12, 24
# A count is written in its segment when it fits: an estimate of 12px digits' widths.
DIGIT_WIDTH, COUNT_PADDING = 7.5, 10


@dataclasses.dataclass
class Share:
    status: str
    label: str
    count: int
    x: float
    width: float
    text_x: float
    show_count: bool
    title: str


@dataclasses.dataclass
class ShareBar:
    name: str
    total: int
    label_y: float
    y: float
    text_y: float
    overall: bool
    segments: list


def implementation_chart(summary):
    """Horizontal bars of ``summary`` (``presentation.implementation_summary``): one for all
    the recommendations, then one per row (theme), each divided by public status in
    proportion to its counts, the count written in each segment wide enough for it. None
    when there is nothing to draw."""
    if not summary:
        return None
    columns = summary["columns"]
    plot = SHARE_WIDTH - 2 * SHARE_SIDE
    rows = [(_("All recommendations"), summary["totals"], summary["total"], True)]
    rows += [(row["name"], row["counts"], row["total"], False) for row in summary["rows"]]
    title = _("%(row)s, %(status)s: %(count)s of %(total)s")
    bars, top = [], SHARE_TOP
    for name, counts, total, overall in rows:
        x, segments = float(SHARE_SIDE), []
        for (status, label), count in zip(columns, counts, strict=True):
            if not count:
                continue
            width = plot * count / total
            segments.append(
                Share(
                    status=status,
                    label=label,
                    count=count,
                    x=round(x, 2),
                    width=round(width, 2),
                    text_x=round(x + width / 2, 2),
                    show_count=width >= COUNT_PADDING + DIGIT_WIDTH * len(str(count)),
                    title=title % {"row": name, "status": label, "count": count, "total": total},
                )
            )
            x += width
        bars.append(
            ShareBar(
                name=name,
                total=total,
                label_y=top + SHARE_LABEL,
                y=top + SHARE_BAR,
                text_y=top + SHARE_BAR + SHARE_BAR_HEIGHT / 2,
                overall=overall,
                segments=segments,
            )
        )
        top += SHARE_PITCH + (SHARE_GAP if overall else 0)
    bottom = bars[-1].y + SHARE_BAR_HEIGHT
    present = [
        (status, label)
        for (status, label), count in zip(columns, summary["totals"], strict=True)
        if count
    ]
    return {
        "width": SHARE_WIDTH,
        "height": bottom + SHARE_AXIS,
        "left": SHARE_SIDE,
        "top": SHARE_TOP,
        "bottom": bottom,
        "bar_height": SHARE_BAR_HEIGHT,
        "tick_y": bottom + SHARE_AXIS - 6,
        "ticks": [
            (_("%(percent)s%%") % {"percent": percent}, round(SHARE_SIDE + plot * percent / 100, 2))
            for percent in (0, 25, 50, 75, 100)
        ],
        "bars": bars,
        "legend": present,
        "description": ngettext(
            "Horizontal bars, one for all %(total)s recommendation and one per theme, each "
            "divided by public status in proportion to its count (%(counts)s). The numbers are "
            "in the table below the chart.",
            "Horizontal bars, one for all %(total)s recommendations and one per theme, each "
            "divided by public status in proportion to its count (%(counts)s). The numbers are "
            "in the table below the chart.",
            summary["total"],
        )
        % {
            "total": summary["total"],
            "counts": ", ".join(
                _("%(status)s: %(count)s") % {"status": label, "count": count}
                for (_status, label), count in zip(columns, summary["totals"], strict=True)
                if count
            ),
        },
    }
