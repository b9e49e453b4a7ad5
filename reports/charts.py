"""Charts drawn on the server as SVG text, so a page and its PDF show the same picture.

Plain string building with XML escaping, no JavaScript and no library. Only basic SVG (g, rect, line, polyline,
text) inside a fixed viewBox, and one font family set on the root, so WeasyPrint draws them as browsers do and
they stay legible in black-and-white print: every bar and line also carries its number as text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

FONT = "Times New Roman, Liberation Serif, serif"
INK = "#1d2327"
MUTED = "#5b6770"
GRID = "#d7dde2"
# One colour per tier, dark enough to read as distinct greys on paper.
TIER_COLOURS = {"standard": "#1b7a3a", "advanced": "#1f4f8a", "model": "#b8860b"}
LIGHT_TIER_COLOURS = {"standard": "#8cc9a0", "advanced": "#8fb0dc", "model": "#e3c77a"}
BUCKET_COLOUR = "#0b5d3b"
AVERAGE_COLOUR = "#5b6770"

Number = int | float | Decimal


@dataclass(frozen=True)
class Series:
    """One named row of numbers (None where there is no figure) and the colour it is drawn in."""

    name: str
    values: Sequence[Number | None]
    colour: str


@dataclass(frozen=True)
class BarGroup:
    """One label of a horizontal bar chart: a bar per series, and optionally a target drawn as a marker."""

    label: str
    values: Sequence[Number]
    target: Number | None = None
    target_label: str = ""


def number(value: Number | None, decimals: int | None = None) -> str:
    """A number as the page writes it (16,4 in Vietnamese)."""
    if value is None:
        return "–"
    if decimals is None:
        decimals = 0 if Decimal(str(value)) == Decimal(str(value)).to_integral_value() else 1
    return number_format(value, decimal_pos=decimals)


def _x(value: float) -> str:
    """Coordinates with at most one decimal, so the SVG stays small and stable in tests."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attrs(**attributes) -> str:
    return "".join(
        f" {name.rstrip('_').replace('_', '-')}={quoteattr(str(value))}"
        for name, value in attributes.items()
        if value is not None
    )


def _text(x: float, y: float, content: str, **attributes) -> str:
    return f"<text{_attrs(x=_x(x), y=_x(y), **attributes)}>{escape(content)}</text>"


def _rect(x: float, y: float, width: float, height: float, fill: str, **attributes) -> str:
    size = _attrs(width=_x(max(width, 0)), height=_x(max(height, 0)))
    return f"<rect{_attrs(x=_x(x), y=_x(y))}{size}{_attrs(fill=fill, **attributes)}/>"


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, **attributes) -> str:
    return f"<line{_attrs(x1=_x(x1), y1=_x(y1), x2=_x(x2), y2=_x(y2), stroke=stroke, **attributes)}/>"


def _svg(width: int, height: int, title: str, body: list[str], css_class: str) -> SafeString:
    # Everything inside was escaped above; the string is safe to print as HTML.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' class="chart {css_class}" role="img" aria-label={quoteattr(title)} font-family={quoteattr(FONT)}'
        f' font-size="14" fill="{INK}"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def nice_maximum(value: float, ticks: int = 5) -> tuple[float, float]:
    """A round upper bound for an axis and its step: 47 -> (50, 10), 3 -> (3, 1), 0 -> (1, 1)."""
    if value <= 0:
        return 1.0, 1.0
    raw_step = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    step = max(step, 1.0) if value >= 1 else step
    return math.ceil(value / step) * step, step


def _legend(items: list[tuple[str, str]], x: float, y: float, *, dashed: str = "") -> list[str]:
    """Coloured squares with names, left to right; a dashed entry (a target) ends the row."""
    parts, cursor = [], x
    for name, colour in items:
        parts.append(_rect(cursor, y - 10, 12, 12, colour))
        parts.append(_text(cursor + 17, y, name))
        cursor += 17 + 7.6 * len(name) + 18
    if dashed:
        parts.append(_line(cursor, y - 11, cursor, y + 3, INK, stroke_width=2, stroke_dasharray="4 2"))
        parts.append(_text(cursor + 7, y, dashed))
    return parts


# ---------------------------------------------------------------- horizontal bars


def horizontal_bars(
    groups: Sequence[BarGroup],
    *,
    series: Sequence[tuple[str, str]],
    title: str,
    unit: str | Callable[[Number], str] = "",
    target_name: str = "",
    maximum: Number | None = None,
    width: int = 560,
    label_width: int = 140,
) -> SafeString:
    """Bars from the left, one group per label and one bar per series, each bar with its number; a target is
    a dashed upright line across its group with its value beside it."""
    has_targets = any(g.target is not None for g in groups)
    bar, gap = 20, 22 if has_targets else 12
    legend = len(series) > 1 or has_targets
    top = 30 if legend else 8
    group_height = bar * len(series)
    height = top + len(groups) * (group_height + gap) + 4
    highest = max(
        [float(maximum or 0)]
        + [float(v) for g in groups for v in g.values]
        + [float(g.target) for g in groups if g.target is not None]
    )
    scale_max = highest or 1.0
    area = width - label_width - 64  # room on the right for the number after the longest bar
    body: list[str] = []
    if legend:
        body += _legend(list(series), 8, 16, dashed=target_name if has_targets else "")
    for index, group in enumerate(groups):
        y = top + index * (group_height + gap)
        body.append("<g>")
        body.append(_text(label_width - 8, y + group_height / 2 + 4.5, group.label, text_anchor="end"))
        body.append(_line(label_width, y - 3, label_width, y + group_height + 3, MUTED))
        tx = label_width + area * float(group.target) / scale_max if group.target is not None else None
        for position, ((_name, colour), value) in enumerate(zip(series, group.values, strict=True)):
            length = area * float(value) / scale_max
            bar_y = y + position * bar
            body.append(_rect(label_width, bar_y + 1, length, bar - 2, colour))
            # A callable unit gives the word for the number (English plurals: "1 commune", "47 communes").
            word = unit(value) if callable(unit) else unit
            label = number(value) + (f" {word}" if word else "")
            text_x = label_width + length + 5
            if tx is not None and text_x - 6 <= tx <= text_x + 7.5 * len(label):
                text_x = tx + 5  # past the target line rather than struck through by it
            body.append(_text(text_x, bar_y + bar - 5, label, font_size="13"))
        if tx is not None:
            body.append(_line(tx, y - 5, tx, y + group_height + 5, INK, stroke_width=2, stroke_dasharray="4 2"))
            if group.target_label:
                # In the gap under the group, where no bar or number can be.
                body.append(_text(tx + 4, y + group_height + 15, group.target_label, font_size="12"))
        body.append("</g>")
    return _svg(width, int(height), title, body, "bar-chart")


# ---------------------------------------------------------------- month by month


def _plot_area(width: int, height: int, *, left: int = 40, right: int = 36, top: int = 34, bottom: int = 28):
    return left, top, width - left - right, height - top - bottom


def _y_axis(left: float, top: float, plot_w: float, plot_h: float, maximum: float, step: float) -> list[str]:
    parts = []
    tick = 0.0
    while tick <= maximum + 1e-9:
        y = top + plot_h - plot_h * tick / maximum
        parts.append(_line(left, y, left + plot_w, y, GRID))
        parts.append(_text(left - 6, y + 4, number(tick), text_anchor="end", font_size="12", fill=MUTED))
        tick += step
    return parts


def _x_labels(labels: Sequence[str], xs: list[float], baseline: float) -> list[str]:
    return [
        _text(x, baseline + 18, label, text_anchor="middle", font_size="12")
        for x, label in zip(xs, labels, strict=False)
    ]


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    maximum: Number | None = None,
    width: int = 560,
    height: int = 260,
) -> SafeString:
    """One line per series over the months, a square at each figure and the last figure written at the right
    end; a month without figures breaks the line."""
    left, top, plot_w, plot_h = _plot_area(width, height)
    values = [float(v) for s in series for v in s.values if v is not None]
    axis_max, step = nice_maximum(max([float(maximum or 0), *values, 1.0]))
    count = max(len(labels), 1)
    xs = [left + plot_w * (i + 0.5) / count for i in range(count)]

    def y_of(value: Number) -> float:
        return top + plot_h - plot_h * float(value) / axis_max

    body = _legend([(s.name, s.colour) for s in series], 8, 16)
    body += _y_axis(left, top, plot_w, plot_h, axis_max, step)
    body.append(_line(left, top + plot_h, left + plot_w, top + plot_h, MUTED))
    body += _x_labels(labels, xs, top + plot_h)
    for s in series:
        body.append("<g>")
        run: list[str] = []
        for x, value in zip(xs, s.values, strict=True):
            if value is None:
                if len(run) > 1:
                    body.append(
                        f'<polyline points="{" ".join(run)}" fill="none" stroke="{s.colour}" stroke-width="2"/>'
                    )
                run = []
                continue
            run.append(f"{_x(x)},{_x(y_of(value))}")
            body.append(_rect(x - 3, y_of(value) - 3, 6, 6, s.colour))
        if len(run) > 1:
            body.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{s.colour}" stroke-width="2"/>')
        last = next(
            ((x, v) for x, v in zip(reversed(xs), reversed(list(s.values)), strict=True) if v is not None), None
        )
        if last is not None:
            body.append(_text(last[0] + 8, y_of(last[1]) + 4, number(last[1]), font_size="13", fill=s.colour))
        body.append("</g>")
    return _svg(width, height, title, body, "line-chart")


def column_chart(
    labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    title: str,
    maximum: Number | None = None,
    colour: str = AVERAGE_COLOUR,
    width: int = 560,
    height: int = 240,
    decimals: int | None = None,
) -> SafeString:
    """Upright bars, one per label, each with its figure on top; no bar and a dash where there is none."""
    left, top, plot_w, plot_h = _plot_area(width, height, top=18, right=12)
    present = [float(v) for v in values if v is not None]
    axis_max, step = nice_maximum(max([float(maximum or 0), *present, 1.0]))
    count = max(len(labels), 1)
    slot = plot_w / count
    xs = [left + slot * (i + 0.5) for i in range(count)]
    body = _y_axis(left, top, plot_w, plot_h, axis_max, step)
    body.append(_line(left, top + plot_h, left + plot_w, top + plot_h, MUTED))
    body += _x_labels(labels, xs, top + plot_h)
    for x, value in zip(xs, values, strict=True):
        if value is None:
            body.append(_text(x, top + plot_h - 4, "–", text_anchor="middle", fill=MUTED))
            continue
        bar_h = plot_h * float(value) / axis_max
        body.append(_rect(x - slot * 0.32, top + plot_h - bar_h, slot * 0.64, bar_h, colour))
        body.append(_text(x, top + plot_h - bar_h - 4, number(value, decimals), text_anchor="middle", font_size="12"))
    return _svg(width, height, title, body, "column-chart")


def sparkline(
    values: Sequence[Number | None],
    *,
    title: str,
    maximum: Number,
    labels: Sequence[str] = (),
    width: int = 480,
    height: int = 72,
    colour: str = BUCKET_COLOUR,
) -> SafeString:
    """A small bar per month on a fixed scale (0 to the number of criteria), the first and last months named
    under it and the last figure beside it: a commune's history at a glance."""
    right, bottom, top = 40, 16 if labels else 2, 4
    plot_w, plot_h = width - right, height - bottom - top
    count = max(len(values), 1)
    slot = plot_w / count
    scale = float(maximum) or 1.0
    body = [_line(0, top + plot_h, plot_w, top + plot_h, GRID)]
    for i, value in enumerate(values):
        if value is None:
            continue
        bar_h = max(plot_h * float(value) / scale, 1.0)
        fill = colour if i == len(values) - 1 else "#8cc9a0"
        body.append(_rect(slot * i + 1, top + plot_h - bar_h, slot - 2, bar_h, fill))
    last = next((v for v in reversed(list(values)) if v is not None), None)
    if last is not None:
        body.append(_text(plot_w + 6, top + plot_h / 2 + 6, number(last), font_size="18", font_weight="bold"))
    if labels:
        body.append(_text(0, height - 2, labels[0], font_size="12", fill=MUTED))
        body.append(_text(plot_w, height - 2, labels[-1], font_size="12", fill=MUTED, text_anchor="end"))
    return _svg(width, height, title, body, "sparkline")
