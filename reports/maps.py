"""The communes on a map, drawn on the server as SVG text like the charts, so a page and its PDF show the same picture.

One mark per judged commune at its coordinates, coloured by tier (or by the share of criteria met), ringed in thick
dark ink when its recognition is at risk of revocation, linked to its scorecard and titled with its name and result
so a browser shows them on hover. A legend under the map counts each class.

Projection: equirectangular, longitude scaled by the cosine of the mean latitude. Over a province (about 1.5° of
latitude) this distorts distances by well under 1%, and it needs no library and no tiles.

The province outline is an approximation: the convex hull (Andrew's monotone chain) of the communes' centroids,
widened by a fixed margin with rounded corners. It is not the administrative boundary: it overstates the province
where the border bends inwards and follows only the communes that have coordinates. It is drawn dashed and light so
it reads as a backdrop, not as a border. One or two distinct points give a disc or a stadium, never a crash.

Grey print: tiers differ by pattern as well as hue (hollow, solid, solid with a white ring, with a white dot, with
both), and the criteria ramp runs from light to dark. Only basic SVG (a, g, circle, polygon, line, text), SVG
presentation attributes and no style attributes or scripts, so WeasyPrint draws it as browsers do and a strict
Content Security Policy has nothing to block.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .charts import INK, MUTED, TIER_COLOURS, _attrs, _svg, _text, _x, number

MODES = ("tier", "criteria")
# The tier order of both periods' ladders; codes not listed here follow them in the legend.
TIER_ORDER = ("standard", "advanced", "model", "modern")
MODERN_COLOUR = "#6a3d9a"  # the colour trends.py already gives the 2026 tier
HULL_FILL = "#f1f0ea"
HULL_STROKE = "#9aa5ad"
RADIUS = 7.0
HULL_MARGIN = RADIUS + 9  # wide enough that a mark and its risk ring sit inside the outline
PAD = 12
# Below this span (about 11 km) the map stops zooming, so one commune or two neighbours don't fill the frame, and
# identical coordinates never divide by zero.
MIN_SPAN_DEGREES = 0.1
KM_PER_DEGREE = 111.32
LEGEND_ROW = 24
# Share of criteria met, in percent: the lower bound of each bin of the criteria mode, the last one being "all met".
PERCENT_BINS = (0, 50, 75, 90, 100)
# ColorBrewer Greens: one step of lightness per bin, so the ramp survives grey print.
RAMP = ("#f7fcf5", "#c7e9c0", "#74c476", "#238b45", "#00441b")
UNJUDGED = "unjudged"  # criteria mode: a commune with no criteria judged this month (no result)


@dataclass(frozen=True)
class MapPoint:
    """One judged commune to draw: where it is, how it stands and where its scorecard is.

    tier is a tier code ("standard", "advanced", "model", "modern") or None below every tier; result is the short
    text shown on hover, e.g. "Đạt chuẩn NTM · 19/19 tiêu chí" (the map adds the risk of revocation itself)."""

    name: str
    latitude: float
    longitude: float
    tier: str | None
    tier_label: str
    criteria_met: int
    criteria_total: int
    at_risk: bool
    url: str
    result: str


@dataclass(frozen=True)
class MarkStyle:
    """How a class of marks looks: fill and outline, and a white pattern inside so classes differ on grey paper."""

    fill: str
    stroke: str
    stroke_width: float = 1.0
    pattern: str = ""  # "", "ring", "dot" or "ring dot"


@dataclass(frozen=True)
class MarkClass:
    """One legend entry: the key marks carry, its label, its look and how many communes it holds."""

    key: str
    label: str
    style: MarkStyle
    count: int


BELOW_TIERS_STYLE = MarkStyle("#ffffff", MUTED, 1.6)
TIER_STYLES = {
    "standard": MarkStyle(TIER_COLOURS["standard"], "#ffffff"),
    "advanced": MarkStyle(TIER_COLOURS["advanced"], "#ffffff", pattern="ring"),
    "model": MarkStyle(TIER_COLOURS["model"], "#ffffff", pattern="dot"),
    "modern": MarkStyle(MODERN_COLOUR, "#ffffff", pattern="ring dot"),
}
OTHER_TIER_STYLE = MarkStyle("#8c510a", "#ffffff", pattern="dot")
# Grey with a white dot: apart from the green ramp in colour and, by its dot, on grey paper.
UNJUDGED_STYLE = MarkStyle("#c8c8c8", MUTED, 0.8, pattern="dot")
RISK_STYLE = MarkStyle("#ffffff", MUTED, 1.0)


# ---------------------------------------------------------------- geometry


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull by Andrew's monotone chain, counter-clockwise, without collinear vertices. Fewer than three
    distinct points (or all on one line) give the distinct extreme points: none, one or two."""
    unique = sorted(set(points))
    if len(unique) < 3:
        return unique

    def chain(ordered: list[tuple[float, float]]) -> list[tuple[float, float]]:
        hull: list[tuple[float, float]] = []
        for point in ordered:
            while len(hull) >= 2 and _cross(hull[-2], hull[-1], point) <= 0:
                hull.pop()
            hull.append(point)
        return hull

    lower, upper = chain(unique), chain(unique[::-1])
    # Each chain ends where the other starts; all collinear points leave two vertices, the extremes.
    return lower[:-1] + upper[:-1]


def expand_hull(hull: Sequence[tuple[float, float]], margin: float, steps: int = 24) -> list[tuple[float, float]]:
    """The hull widened by margin with rounded corners (its sum with a disc): a disc around one point, a stadium
    around two, so the outline needs no special case."""
    around = [
        (x + margin * math.cos(2 * math.pi * k / steps), y + margin * math.sin(2 * math.pi * k / steps))
        for x, y in hull
        for k in range(steps)
    ]
    return convex_hull(around)


@dataclass(frozen=True)
class _Frame:
    """Where the points land in the viewBox, how tall the map is and its scale in pixels per degree."""

    xy: list[tuple[float, float]]
    height: float
    scale: float


def _fit(points: Sequence[MapPoint], area_width: float) -> _Frame:
    """Projects the points and fits them, aspect kept, in a frame as wide as area_width; the frame's height
    follows the province's shape between half and 1.2 times the width."""
    k = math.cos(math.radians(sum(p.latitude for p in points) / len(points)))
    xs = [p.longitude * k for p in points]
    ys = [p.latitude for p in points]
    span_x = max(max(xs) - min(xs), MIN_SPAN_DEGREES)
    span_y = max(max(ys) - min(ys), MIN_SPAN_DEGREES)
    inset = HULL_MARGIN + 4
    inner_w = area_width - 2 * inset
    inner_h = min(max(inner_w * span_y / span_x, inner_w * 0.5), inner_w * 1.2)
    scale = min(inner_w / span_x, inner_h / span_y)
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    centre_x, centre_y = PAD + area_width / 2, PAD + inset + inner_h / 2
    # Screen y grows downwards, latitude upwards.
    xy = [(centre_x + (x - mid_x) * scale, centre_y - (y - mid_y) * scale) for x, y in zip(xs, ys, strict=True)]
    return _Frame(xy, inner_h + 2 * inset, scale)


# ---------------------------------------------------------------- classes and marks


def _ordered_tiers(points: Sequence[MapPoint], tiers: Sequence[tuple[str, str]] | None) -> list[tuple[str, str]]:
    """The given ladder, then any tier a point has that the ladder lacks, labelled by the point."""
    ladder = list(tiers or [])
    known = {code for code, _label in ladder}
    extra = {p.tier: p.tier_label for p in points if p.tier is not None and p.tier not in known}
    rank = {code: i for i, code in enumerate(TIER_ORDER)}
    ladder += sorted(extra.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
    return ladder


def tier_classes(points: Sequence[MapPoint], tiers: Sequence[tuple[str, str]] | None = None) -> list[MarkClass]:
    """The tier mode's legend: below every tier, then each tier of the ladder, lowest first, zero counts kept."""
    below_label = next((p.tier_label for p in points if p.tier is None and p.tier_label), _("Chưa đạt chuẩn NTM"))
    classes = [MarkClass("none", below_label, BELOW_TIERS_STYLE, sum(p.tier is None for p in points))]
    for code, label in _ordered_tiers(points, tiers):
        style = TIER_STYLES.get(code, OTHER_TIER_STYLE)
        classes.append(MarkClass(code, label, style, sum(p.tier == code for p in points)))
    return classes


def criteria_bin(met: int, total: int) -> int:
    """The bin of a share of criteria met, by whole-number arithmetic so 9 of 10 is exactly 90%."""
    if total <= 0:
        return 0
    return max((i for i, low in enumerate(PERCENT_BINS) if met * 100 >= low * total), default=0)


def _bin_labels(totals: set[int]) -> list[str | None]:
    """Each bin's label: in criteria when every commune has the same number of them ("15–17/19 tiêu chí"), else
    in percent. None for a bin no whole number of criteria falls in (few criteria)."""
    if len(totals) != 1 or min(totals) <= 0:
        return [
            _("Dưới 50% tiêu chí"),
            _("50–74% tiêu chí"),
            _("75–89% tiêu chí"),
            _("90–99% tiêu chí"),
            _("Đạt mọi tiêu chí"),
        ]
    total = min(totals)
    lows = [-(-low * total // 100) for low in PERCENT_BINS]  # the fewest criteria met that reach the bin
    highs = [following - 1 for following in lows[1:]] + [total]
    labels: list[str | None] = []
    for low, high in zip(lows, highs, strict=True):
        if high < low:
            labels.append(None)
        elif high == low:
            labels.append(_("%(n)s/%(total)s tiêu chí") % {"n": low, "total": total})
        else:
            labels.append(_("%(low)s–%(high)s/%(total)s tiêu chí") % {"low": low, "high": high, "total": total})
    return labels


def criteria_classes(points: Sequence[MapPoint]) -> list[MarkClass]:
    """The criteria mode's legend: one bin per share of criteria met, fewest first, lightest to darkest; a commune
    without a result (no criteria judged) in a class of its own, never in the lowest bin."""
    judged = [p for p in points if p.criteria_total > 0]
    labels = _bin_labels({p.criteria_total for p in judged})
    bins = [criteria_bin(p.criteria_met, p.criteria_total) for p in judged]
    classes = [
        MarkClass(str(i), label, MarkStyle(RAMP[i], MUTED, 0.8), bins.count(i))
        for i, label in enumerate(labels)
        if label is not None
    ]
    unjudged = [p for p in points if p.criteria_total <= 0]
    if unjudged:
        label = unjudged[0].tier_label or _("Chưa có kết quả")
        classes.append(MarkClass(UNJUDGED, label, UNJUDGED_STYLE, len(unjudged)))
    return classes


def _class_key(point: MapPoint, mode: str) -> str:
    if mode == "criteria":
        if point.criteria_total <= 0:
            return UNJUDGED
        return str(criteria_bin(point.criteria_met, point.criteria_total))
    return point.tier or "none"


def _glyph(x: float, y: float, style: MarkStyle, at_risk: bool = False) -> str:
    """A mark's circles: the disc, its white pattern, and the thick dark ring of a commune at risk."""
    cx, cy = _x(x), _x(y)
    return _glyph_template(style, at_risk).replace("{cx}", cx).replace("{cy}", cy)


@functools.cache
def _glyph_template(style: MarkStyle, at_risk: bool) -> str:
    """A class's circles once, the centre left as {cx} {cy}: hundreds of marks on a large province's cold page
    would otherwise each build and escape the same attributes."""
    parts = [_circle_at(RADIUS, fill=style.fill, stroke=style.stroke, stroke_width=style.stroke_width)]
    if "ring" in style.pattern:
        parts.append(_circle_at(RADIUS * 0.55, fill="none", stroke="#ffffff", stroke_width="1.3"))
    if "dot" in style.pattern:
        parts.append(_circle_at(RADIUS * 0.24, fill="#ffffff"))
    if at_risk:
        parts.append(_circle_at(RADIUS + 3.2, fill="none", stroke=INK, stroke_width="2.6", class_="risk-ring"))
    return "".join(parts)


def _circle_at(r: float, **attributes) -> str:
    return f'<circle cx="{{cx}}" cy="{{cy}}"{_attrs(r=_x(r), **attributes)}/>'


def _mark(point: MapPoint, x: float, y: float, style: MarkStyle, risk_note: str) -> str:
    """A commune's mark: a link to its scorecard (a plain group without a url) titled for the hover."""
    hover = f"{point.name} — {point.result}" if point.result else point.name
    if point.at_risk:
        hover += risk_note
    tag = "a" if point.url else "g"
    href = f" href={quoteattr(point.url)}" if point.url else ""
    attributes = (
        f'{href} class="{"map-mark at-risk" if point.at_risk else "map-mark"}"'
        f' data-tier={quoteattr(point.tier or "none")} data-met="{int(point.criteria_met)}"'
        f' data-total="{int(point.criteria_total)}" data-at-risk="{"true" if point.at_risk else "false"}"'
    )
    return f"<{tag}{attributes}><title>{escape(hover)}</title>{_glyph(x, y, style, point.at_risk)}</{tag}>"


# ---------------------------------------------------------------- furniture


def nice_length(target: float) -> float:
    """The longest 1, 2 or 5 times a power of ten not over target: a scale bar's length in km."""
    if target <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(target))
    return max(m * magnitude for m in (1, 2, 5) if m * magnitude <= target * (1 + 1e-9))


def _scale_bar(x: float, y: float, px_per_km: float, room: float) -> list[str]:
    """A bar about a fifth of the map wide, ticked at both ends and half-way, with its length in km."""
    km = nice_length(room / 5 / px_per_km)
    length = km * px_per_km
    ticks = [x, x + length / 2, x + length]
    parts = [f"<line{_attrs(x1=_x(x), y1=_x(y), x2=_x(x + length), y2=_x(y), stroke=INK, stroke_width='2')}/>"]
    for tick in ticks:
        parts.append(f"<line{_attrs(x1=_x(tick), y1=_x(y - 5), x2=_x(tick), y2=_x(y), stroke=INK)}/>")
    parts.append(_text(x + length + 6, y + 4, f"{number(km)} km", font_size="12", fill=MUTED))
    return parts


def _north_arrow(x: float, y: float) -> list[str]:
    """A small arrow pointing up, with the Vietnamese initial of north under it."""
    points = f"{_x(x)},{_x(y - 14)} {_x(x + 5)},{_x(y)} {_x(x)},{_x(y - 4)} {_x(x - 5)},{_x(y)}"
    # Translators: the initial of "north" on a map's arrow.
    north = _text(x, y + 13, _("B"), font_size="11", text_anchor="middle")
    return [f"<polygon{_attrs(points=points, fill=INK)}/>", north]


def _legend(classes: Sequence[MarkClass], at_risk: int, top: float, width: int) -> tuple[list[str], float]:
    """The legend's entries left to right, wrapping to a new row when the next would pass the right edge; returns
    the parts and the height used. Widths are estimated like the charts' legends (no font metrics on the server)."""
    entries = [(c.style, False, f"{c.label} ({c.count})") for c in classes]
    entries.append((RISK_STYLE, True, f"{_('Có nguy cơ bị thu hồi')} ({at_risk})"))
    parts, x, y = ['<g class="map-legend">'], float(PAD), top + LEGEND_ROW / 2
    for style, ringed, label in entries:
        entry_width = 2 * RADIUS + 14 + 6.6 * len(label) + 18
        if x > PAD and x + entry_width > width - PAD:
            x, y = float(PAD), y + LEGEND_ROW
        parts.append(_glyph(x + RADIUS + 3, y, style, ringed))
        parts.append(_text(x + 2 * RADIUS + 12, y + 4.5, label, font_size="13"))
        x += entry_width
    parts.append("</g>")
    return parts, y + LEGEND_ROW / 2 - top


def _empty(title: str, width: int) -> SafeString:
    """A small frame saying there is nothing to place, so a page whose communes have no coordinates yet still
    renders."""
    message = _text(width / 2, 30, _("Chưa có tọa độ của xã nào"), text_anchor="middle", fill=MUTED)
    return _svg(width, 48, title, [message], "map map-empty")


# ---------------------------------------------------------------- the map


def draw_map(
    points: Sequence[MapPoint],
    *,
    mode: str = "tier",
    tiers: Sequence[tuple[str, str]] | None = None,
    title: str = "",
    width: int = 640,
) -> SafeString:
    """The map of the communes as SVG: the approximate province outline, one linked mark per commune drawn in
    its class (by tier, or by criteria met with mode="criteria"), a scale bar, a north arrow and the legend.

    tiers is the period's ladder as (code, label) pairs, lowest first: the legend lists each of them even when no
    commune holds it. Points without finite coordinates are left out; with none left the map says so."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if not title:
        title = _("Bản đồ các xã theo mức đạt") if mode == "tier" else _("Bản đồ các xã theo số tiêu chí đạt")
    placed = [p for p in points if math.isfinite(p.latitude) and math.isfinite(p.longitude)]
    if not placed:
        return _empty(title, width)
    classes = tier_classes(placed, tiers) if mode == "tier" else criteria_classes(placed)
    styles = {c.key: c.style for c in classes}
    frame = _fit(placed, width - 2 * PAD)
    outline = " ".join(f"{_x(x)},{_x(y)}" for x, y in expand_hull(convex_hull(frame.xy), HULL_MARGIN))
    body = [
        f"<polygon{_attrs(points=outline, fill=HULL_FILL, stroke=HULL_STROKE, stroke_dasharray='5 3')}"
        ' class="map-outline"/>',
        '<g class="map-marks">',
    ]
    # Higher classes and communes at risk last, so they are drawn on top where marks overlap.
    rank = {c.key: i for i, c in enumerate(classes)}
    order = sorted(range(len(placed)), key=lambda i: (placed[i].at_risk, rank[_class_key(placed[i], mode)]))
    risk_note = " · " + _("Có nguy cơ bị thu hồi")
    for i in order:
        x, y = frame.xy[i]
        body.append(_mark(placed[i], x, y, styles[_class_key(placed[i], mode)], risk_note))
    body.append("</g>")
    furniture_y = PAD + frame.height + 10
    body += _scale_bar(PAD + 4, furniture_y + 6, frame.scale / KM_PER_DEGREE, width - 2 * PAD)
    body += _north_arrow(width - PAD - 10, furniture_y + 2)
    legend, legend_height = _legend(classes, sum(p.at_risk for p in placed), furniture_y + 22, width)
    body += legend
    height = math.ceil(furniture_y + 22 + legend_height + PAD)
    return _svg(width, height, title, body, f"map map-{mode}")
