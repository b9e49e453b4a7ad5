"""The communes' map (reports.maps): one linked mark per commune in its class's colour, the criteria bins, the risk
ring, escaping, the hull, and inputs too small to draw a province from."""

import math
import xml.etree.ElementTree as ET

import pytest

from reports.charts import TIER_COLOURS
from reports.maps import (
    MODERN_COLOUR,
    RAMP,
    MapPoint,
    convex_hull,
    criteria_bin,
    draw_map,
    expand_hull,
    nice_length,
)

SVG = "{http://www.w3.org/2000/svg}"
LADDER_2024 = [("standard", "Đạt chuẩn NTM"), ("advanced", "NTM nâng cao"), ("model", "NTM kiểu mẫu")]
LADDER_2026 = [("standard", "Đạt chuẩn NTM"), ("modern", "NTM hiện đại")]


def _point(name="Xã Đăk Hà", latitude=14.6, longitude=107.9, tier="standard", **overrides) -> MapPoint:
    fields = {
        "tier_label": dict(LADDER_2024 + LADDER_2026).get(tier, "Chưa đạt chuẩn NTM"),
        "criteria_met": 19,
        "criteria_total": 19,
        "at_risk": False,
        "url": f"/communes/{name}/scorecard/",
        "result": "19/19 tiêu chí",
    }
    fields.update(overrides)
    return MapPoint(name=name, latitude=latitude, longitude=longitude, tier=tier, **fields)


def _parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def _marks(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if "map-mark" in e.get("class", "").split()]


def _dot(mark: ET.Element) -> ET.Element:
    return mark.find(f"{SVG}circle")


def _texts(root: ET.Element) -> list[str]:
    return [e.text for e in root.iter(f"{SVG}text")]


def _spread_points() -> list[MapPoint]:
    return [
        _point("Xã A", 14.4, 107.5, tier=None, criteria_met=8),
        _point("Xã B", 15.3, 107.6, tier="standard"),
        _point("Xã C", 14.9, 108.4, tier="advanced", at_risk=True),
        _point("Xã D", 14.5, 108.3, tier="model"),
        _point("Xã E", 15.0, 107.9, tier="standard"),
    ]


# ---------------------------------------------------------------- marks


def test_the_map_has_one_linked_mark_per_commune_in_its_tier_colour():
    points = _spread_points()
    root = _parse(draw_map(points, tiers=LADDER_2024))
    marks = _marks(root)
    assert sorted(m.get("href") for m in marks) == sorted(p.url for p in points)
    assert all(m.tag == f"{SVG}a" for m in marks)
    by_url = {m.get("href"): m for m in marks}
    for point in points:
        mark = by_url[point.url]
        assert mark.get("data-tier") == (point.tier or "none")
        assert mark.get("data-met") == str(point.criteria_met)
        expected = TIER_COLOURS[point.tier] if point.tier else "#ffffff"
        assert _dot(mark).get("fill") == expected


def test_the_2026_modern_tier_has_its_own_colour_and_pattern():
    points = [_point("Xã A", 15.0, 108.0, tier="standard"), _point("Xã B", 15.2, 108.3, tier="modern")]
    marks = {m.get("data-tier"): m for m in _marks(_parse(draw_map(points, tiers=LADDER_2026)))}
    assert _dot(marks["modern"]).get("fill") == MODERN_COLOUR
    # Solid for the standard tier, a white ring and dot for hiện đại: they differ on grey paper too.
    assert len(marks["standard"].findall(f"{SVG}circle")) == 1
    assert len(marks["modern"].findall(f"{SVG}circle")) == 3


def test_hovering_a_mark_shows_its_name_and_result():
    root = _parse(draw_map([_point("Xã Ngọc Hồi", result="Đạt chuẩn NTM · 19/19 tiêu chí")]))
    assert _marks(root)[0].find(f"{SVG}title").text == "Xã Ngọc Hồi — Đạt chuẩn NTM · 19/19 tiêu chí"


def test_a_commune_without_a_scorecard_url_is_drawn_but_not_linked():
    mark = _marks(_parse(draw_map([_point(url="")])))[0]
    assert mark.tag == f"{SVG}g"
    assert mark.get("href") is None


def test_only_communes_at_risk_get_the_dark_ring():
    root = _parse(draw_map(_spread_points(), tiers=LADDER_2024))
    for mark in _marks(root):
        rings = [c for c in mark.iter(f"{SVG}circle") if c.get("class") == "risk-ring"]
        at_risk = mark.get("data-at-risk") == "true"
        assert len(rings) == (1 if at_risk else 0)
        assert ("at-risk" in mark.get("class").split()) is at_risk
        assert ("Có nguy cơ bị thu hồi" in mark.find(f"{SVG}title").text) is at_risk
    assert sum(m.get("data-at-risk") == "true" for m in _marks(root)) == 1


def test_communes_at_risk_are_drawn_last_so_their_ring_stays_on_top():
    marks = _marks(_parse(draw_map(_spread_points(), tiers=LADDER_2024)))
    assert marks[-1].get("data-at-risk") == "true"


# ---------------------------------------------------------------- criteria mode


@pytest.mark.parametrize(
    ("met", "total", "expected"),
    [(0, 19, 0), (9, 19, 0), (10, 19, 1), (14, 19, 1), (15, 19, 2), (17, 19, 2), (18, 19, 3), (19, 19, 4)]
    + [(9, 10, 3), (5, 10, 1), (0, 0, 0), (-1, 19, 0), (20, 19, 4)],
)
def test_criteria_bins_split_the_share_met_at_50_75_90_and_100_percent(met, total, expected):
    assert criteria_bin(met, total) == expected


def test_criteria_mode_colours_each_mark_by_its_bin_darker_for_more_met():
    mets = [0, 9, 10, 14, 15, 17, 18, 19]
    points = [_point(f"Xã {m}", 14.3 + m / 20, 107.4 + m / 25, criteria_met=m) for m in mets]
    root = _parse(draw_map(points, mode="criteria"))
    fills = {int(m.get("data-met")): _dot(m).get("fill") for m in _marks(root)}
    assert fills == {m: RAMP[criteria_bin(m, 19)] for m in mets}
    legend = _texts(root)
    for label in ["0–9/19 tiêu chí (2)", "10–14/19 tiêu chí (2)", "15–17/19 tiêu chí (2)", "18/19 tiêu chí (1)"]:
        assert label in legend
    assert "19/19 tiêu chí (1)" in legend


def test_criteria_legend_falls_back_to_percent_when_communes_count_different_criteria():
    points = [_point("Xã A", criteria_met=9, criteria_total=10), _point("Xã B", 15.0, 108.0, criteria_total=19)]
    legend = _texts(_parse(draw_map(points, mode="criteria")))
    assert "90–99% tiêu chí (1)" in legend
    assert "Đạt mọi tiêu chí (1)" in legend


def test_criteria_legend_leaves_out_bins_no_whole_criterion_falls_in():
    # Of 3 criteria, 75-89% and 90-99% hold no whole number: the legend keeps 0–1/3, 2/3 and 3/3.
    points = [_point(f"Xã {m}", 14.5 + m / 10, criteria_met=m, criteria_total=3) for m in range(4)]
    root = _parse(draw_map(points, mode="criteria"))
    legend = [t for t in _texts(root) if "tiêu chí" in t]
    assert legend == ["0–1/3 tiêu chí (2)", "2/3 tiêu chí (1)", "3/3 tiêu chí (1)"]


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        draw_map([_point()], mode="population")


# ---------------------------------------------------------------- legend


def test_the_legend_counts_each_tier_of_the_ladder_and_the_communes_at_risk():
    legend = _texts(_parse(draw_map(_spread_points(), tiers=LADDER_2024)))
    assert "Chưa đạt chuẩn NTM (1)" in legend
    assert "Đạt chuẩn NTM (2)" in legend
    assert "NTM nâng cao (1)" in legend
    assert "NTM kiểu mẫu (1)" in legend
    assert "Có nguy cơ bị thu hồi (1)" in legend


def test_the_legend_keeps_ladder_tiers_no_commune_holds_and_adds_tiers_the_ladder_lacks():
    points = [_point(tier="standard"), _point("Xã B", 15.0, tier="smart", tier_label="NTM thông minh")]
    legend = _texts(_parse(draw_map(points, tiers=LADDER_2024)))
    assert "NTM kiểu mẫu (0)" in legend
    assert "NTM thông minh (1)" in legend
    assert "Có nguy cơ bị thu hồi (0)" in legend


def test_the_scale_bar_is_in_round_kilometres():
    legend = _texts(_parse(draw_map(_spread_points())))
    assert "20 km" in legend


@pytest.mark.parametrize(("target", "expected"), [(23, 20), (7, 5), (10, 10), (1.4, 1), (0.3, 0.2), (0, 1)])
def test_nice_length_rounds_down_to_one_two_or_five(target, expected):
    assert nice_length(target) == pytest.approx(expected)


# ---------------------------------------------------------------- safety


def test_names_and_urls_are_escaped_and_the_svg_stays_valid_xml():
    name = 'Xã <b>"Đăk" & Tô</b>'
    svg = str(draw_map([_point(name, url="/communes/1/scorecard/?period=2024&mode=x", result="a < b")]))
    assert "<b>" not in svg
    assert "&amp;mode=x" in svg
    mark = _marks(_parse(svg))[0]
    assert mark.find(f"{SVG}title").text == f"{name} — a < b"
    assert mark.get("href") == "/communes/1/scorecard/?period=2024&mode=x"


def test_the_title_is_escaped_too():
    root = _parse(draw_map([_point()], title='Bản đồ <"Kon Tum"> & xã'))
    assert root.get("aria-label") == 'Bản đồ <"Kon Tum"> & xã'


def test_the_svg_has_no_script_and_no_style_attribute_a_strict_csp_would_block():
    svg = str(draw_map(_spread_points(), tiers=LADDER_2024))
    assert "<script" not in svg
    assert "style=" not in svg
    assert "on" + "click" not in svg


# ---------------------------------------------------------------- geometry and degenerate inputs


def test_the_hull_of_a_square_and_an_interior_point_is_the_square():
    hull = convex_hull([(0, 0), (4, 0), (4, 4), (0, 4), (2, 1)])
    assert sorted(hull) == [(0, 0), (0, 4), (4, 0), (4, 4)]


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([], []),
        ([(1, 1)], [(1, 1)]),
        ([(1, 1), (1, 1), (1, 1)], [(1, 1)]),
        ([(0, 0), (1, 1), (2, 2), (3, 3)], [(0, 0), (3, 3)]),
        ([(0, 0), (2, 0), (1, 0), (1, 2)], [(0, 0), (2, 0), (1, 2)]),  # a point on an edge is no vertex
    ],
)
def test_the_hull_of_degenerate_inputs(points, expected):
    assert sorted(convex_hull(points)) == sorted(expected)


def test_the_expanded_hull_surrounds_every_point_by_the_margin():
    outline = expand_hull(convex_hull([(0, 0), (10, 0)]), 5)
    assert len(outline) > 4
    assert all(-5.01 <= x <= 15.01 and -5.01 <= y <= 5.01 for x, y in outline)
    assert min(x for x, _y in outline) == pytest.approx(-5)


def _coordinates(root: ET.Element) -> list[tuple[float, float]]:
    dots = [(float(c.get("cx")), float(c.get("cy"))) for m in _marks(root) for c in m.iter(f"{SVG}circle")]
    corners = [tuple(map(float, pair.split(","))) for pair in root.find(f"{SVG}polygon").get("points").split()]
    return dots + corners


@pytest.mark.parametrize(
    "points",
    [
        [_point()],
        [_point("Xã A"), _point("Xã B")],  # identical coordinates
        [_point("Xã A", 14.5, 107.5), _point("Xã B", 14.5, 108.5)],  # on one parallel
        [_point("Xã A", 14.3, 107.8), _point("Xã B", 14.8, 107.8), _point("Xã C", 15.3, 107.8)],  # on one meridian
    ],
)
def test_degenerate_inputs_draw_every_mark_inside_the_frame(points):
    root = _parse(draw_map(points))
    _x, _y, width, height = map(float, root.get("viewBox").split())
    assert len(_marks(root)) == len(points)
    for x, y in _coordinates(root):
        assert math.isfinite(x)
        assert math.isfinite(y)
        assert 0 <= x <= width
        assert 0 <= y <= height


def test_north_is_up_and_east_is_right():
    points = [_point("Xã Bắc", 15.3, 107.9), _point("Xã Nam", 14.4, 107.9), _point("Xã Đông", 14.8, 108.4)]
    dots = {m.find(f"{SVG}title").text.split(" — ")[0]: _dot(m) for m in _marks(_parse(draw_map(points)))}
    assert float(dots["Xã Bắc"].get("cy")) < float(dots["Xã Nam"].get("cy"))
    assert float(dots["Xã Đông"].get("cx")) > float(dots["Xã Bắc"].get("cx"))


def test_no_communes_give_a_small_svg_saying_so():
    for points in ([], [_point(latitude=math.nan)]):
        root = _parse(draw_map(points))
        assert _marks(root) == []
        assert "Chưa có tọa độ của xã nào" in _texts(root)


def test_communes_without_finite_coordinates_are_left_out():
    root = _parse(draw_map([_point("Xã A"), _point("Xã B", longitude=math.inf)]))
    assert len(_marks(root)) == 1
