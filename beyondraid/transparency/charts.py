"""Charts for the public pages and reports: Vega-Lite specs (Altair) drawn to SVG on the server.

A chart draws only figures that are shown. A suppressed or missing figure keeps its place on the
axis with a word instead of a bar, so that a gap is never read as a zero, and the sentence under
the chart names it. Every chart comes with the table of its figures, so nothing depends on seeing
the picture, and the SVG is inline: no script, no request, readable in a PDF as on a page.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
import vl_convert
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import AgencyProfile, Figure, ReleaseContents, Row, StateProfile, label_of

# USWDS colours: primary blue (7:1 against white), ink, and base-dark for words in place of bars.
BAR_COLOUR = "#005ea2"
INK = "#1b1b1b"
NOTE_COLOUR = "#565c65"
FONT = "Source Sans Pro Web, Helvetica Neue, Helvetica, Roboto, Arial, sans-serif"
ROLE_COLUMNS = ("selling_sex", "buying_sex", "suspected_trafficker", "other")
UNNAMED_ROLES = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')


@dataclass(frozen=True)
class ChartPoint:
    label: str
    figure: Figure

    @property
    def shown(self) -> bool:
        return self.figure.value is not None


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    label_title: str
    measure: str
    points: tuple[ChartPoint, ...]
    summary: str
    svg: SafeString

    @property
    def summary_id(self) -> str:
        return f"{self.slug}-summary"


def _labels(points: Iterable[ChartPoint]) -> str:
    return ", ".join(point.label for point in points)


def _missing_sentence(points: tuple[ChartPoint, ...]) -> str:
    suppressed = [point for point in points if point.figure.suppressed]
    missing = [point for point in points if point.figure.missing]
    parts = []
    if suppressed:
        parts.append(f"Not drawn because suppressed: {_labels(suppressed)}.")
    if missing:
        parts.append(f"Not available: {_labels(missing)}.")
    return " ".join(parts)


def _summary(measure: str, points: tuple[ChartPoint, ...], over_time: bool) -> str:
    shown = [point for point in points if point.shown]
    if not shown:
        found = "Every figure of this chart is suppressed or not available, so nothing is drawn."
    elif len(shown) == 1:
        found = f"{measure}: {shown[0].label}, {shown[0].figure.text}."
    elif over_time:
        first, last = shown[0], shown[-1]
        found = (
            f"{measure} went from {first.figure.text} in {first.label} to "
            f"{last.figure.text} in {last.label}."
        )
    else:
        by_value = sorted(shown, key=lambda point: float(point.figure.value))
        lowest, highest = by_value[0], by_value[-1]
        found = (
            f"Highest: {highest.label} ({highest.figure.text}); "
            f"lowest: {lowest.label} ({lowest.figure.text})."
        )
    missing = _missing_sentence(points)
    return f"{found} {missing}" if missing else found


def _svg(slug: str, measure: str, points: tuple[ChartPoint, ...], over_time: bool) -> SafeString:
    values = [
        {
            "label": point.label,
            "value": float(point.figure.value) if point.shown else None,
            "text": point.figure.text,
        }
        for point in points
    ]
    order = [point.label for point in points]
    base = alt.Chart(alt.Data(values=values)).transform_calculate(
        position="datum.value == null ? 0 : datum.value"
    )
    category_axis = (
        alt.Axis(labelLimit=260, labelAngle=0) if over_time else alt.Axis(labelLimit=260)
    )
    category = (alt.X if over_time else alt.Y)(
        "label:N", sort=order, scale=alt.Scale(domain=order), title=None, axis=category_axis
    )
    amount = (alt.Y if over_time else alt.X)("value:Q", title=measure)
    position = (alt.Y if over_time else alt.X)("position:Q")
    text_placement = (
        {"baseline": "bottom", "dy": -3}
        if over_time
        else {"align": "left", "baseline": "middle", "dx": 4}
    )
    bars = (
        base.transform_filter("datum.value != null")
        .mark_bar(color=BAR_COLOUR)
        .encode(category, amount)
    )
    figures = (
        base.transform_filter("datum.value != null")
        .mark_text(color=INK, **text_placement)
        .encode(category, position, text="text:N")
    )
    words = (
        base.transform_filter("datum.value == null")
        .mark_text(color=NOTE_COLOUR, fontStyle="italic", **text_placement)
        .encode(category, position, text="text:N")
    )
    layered = alt.layer(bars, figures, words)
    if over_time:
        layered = layered.properties(width=520, height=240)
    else:
        layered = layered.properties(width=420, height=alt.Step(28))
    spec = (
        layered.configure(font=FONT)
        .configure_axis(labelColor=INK, titleColor=INK, labelFontSize=13, titleFontSize=13)
        .configure_text(fontSize=13)
        .configure_view(stroke=None)
        .to_dict()
    )
    # The picture is one image to assistive technology, named by the summary beside it: the
    # roles Vega gives each mark (unnamed "graphics-symbol"s) would be read as images without
    # alternative text, so they go.
    drawn = UNNAMED_ROLES.sub("", vl_convert.vegalite_to_svg(spec))
    drawn = drawn.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{escape(slug)}-summary" focusable="false" ',
        1,
    ).replace('class="marks"', 'class="br-chart__image"', 1)
    return mark_safe(drawn)  # noqa: S308 - drawn by vl-convert from escaped data, no user markup


def bar_chart(
    *,
    slug: str,
    title: str,
    label_title: str,
    measure: str,
    points: Iterable[ChartPoint],
    over_time: bool = False,
) -> Chart | None:
    """A bar chart of ``points`` in their order; None when there is nothing to chart."""
    points = tuple(points)
    if not points:
        return None
    drawable = any(point.shown for point in points)
    return Chart(
        slug=slug,
        title=title,
        label_title=label_title,
        measure=measure,
        points=points,
        summary=_summary(measure, points, over_time),
        svg=_svg(slug, measure, points, over_time) if drawable else SafeString(""),
    )


def arrests_by_role(row: Row | None, *, slug: str = "arrests-by-role") -> Chart | None:
    if row is None:
        return None
    points = [ChartPoint(row[name].column.title, row[name]) for name in ROLE_COLUMNS if name in row]
    return bar_chart(
        slug=slug,
        title="Arrests by the role of the person arrested",
        label_title="Role",
        measure="Arrests",
        points=points,
    )


def _over_years(rows: list[Row], column: str, *, slug: str, title: str) -> Chart | None:
    points = [ChartPoint(label_of(row, "period"), row[column]) for row in rows if column in row]
    if not points:
        return None
    return bar_chart(
        slug=slug,
        title=title,
        label_title="Year",
        measure=points[0].figure.column.title,
        points=points,
        over_time=True,
    )


def victims_per_100_arrests_by_year(rows: list[Row]) -> Chart | None:
    return _over_years(
        rows,
        "victims_per_100_arrests",
        slug="victims-per-100-arrests-by-year",
        title="Victims identified per 100 arrests, by year",
    )


def arrests_by_year(rows: list[Row]) -> Chart | None:
    return _over_years(rows, "arrests", slug="arrests-by-year", title="Arrests, by year")


def victims_per_100_arrests_by_agency(rows: list[Row], *, slug: str) -> Chart | None:
    points = [
        ChartPoint(label_of(row, "agency"), row["victims_per_100_arrests"])
        for row in rows
        if "victims_per_100_arrests" in row
    ]
    if not points:
        return None
    return bar_chart(
        slug=slug,
        title="Victims identified per 100 arrests, by agency",
        label_title="Agency",
        measure=points[0].figure.column.title,
        points=points,
    )


def _present(*charts: Chart | None) -> list[Chart]:
    return [chart for chart in charts if chart is not None]


def release_charts(contents: ReleaseContents) -> list[Chart]:
    return _present(
        arrests_by_role(contents.total_arrests_by_role),
        victims_per_100_arrests_by_year(contents.years),
    )


def trend_charts(contents: ReleaseContents) -> list[Chart]:
    return _present(
        arrests_by_year(contents.years), victims_per_100_arrests_by_year(contents.years)
    )


def agency_charts(profile: AgencyProfile) -> list[Chart]:
    return _present(arrests_by_role(profile.arrests_by_role))


def state_charts(profile: StateProfile) -> list[Chart]:
    return _present(
        victims_per_100_arrests_by_agency(
            profile.agencies, slug=f"victims-per-100-arrests-in-{profile.state.code.lower()}"
        )
    )
