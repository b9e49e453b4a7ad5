"""The communes' map on the dashboards (issue 17): a linked mark per judged commune with a position, by tier or by
criteria met (?map=), ringed when at risk of revocation; communes without a position named under it; the body cache
keyed by the mode; the province report printing it; scope still deciding who sees it.

Kon Tum in December 2024 (the sample standard set, tests/criteria/samples.py: criterion 10 is key), on 10 January
2025. Huyện Đắk Glei: Đắk Pék meets the standard; Đắk Môn (recognised) fails 10 and 11, at risk of revocation; the
added Đắk Long reaches "advanced" but has no position. Huyện Ngọc Hồi: Đắk Xú (recognised) fails 11 only, watched;
the added Đắk Nông is judged but has no result this month. The two thị trấn have positions but are not judged.
"""

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communes.models import AdministrativeUnit, Level, Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from records.models import Recognition
from reports.dashboard_map import chosen_mode, commune_map
from reports.models import Status
from reports.scope import load_scope
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db

DEC = dt.date(2024, 12, 1)
MONTH = "2024-12"
SVG = "{http://www.w3.org/2000/svg}"
# Around Kon Tum (WGS 84): every unit its own point.
POSITIONS = {
    "23353": (Decimal("15.05"), Decimal("107.70")),  # Xã Đắk Pék
    "23341": (Decimal("15.20"), Decimal("107.80")),  # Xã Đắk Môn
    "23338": (Decimal("15.10"), Decimal("107.75")),  # Thị trấn Đắk Glei (not judged)
    "23380": (Decimal("14.65"), Decimal("107.65")),  # Xã Đắk Xú
    "23368": (Decimal("14.70"), Decimal("107.70")),  # Thị trấn Plei Kần (not judged)
    "23371": (Decimal("14.75"), Decimal("107.60")),  # Xã Đắk Nông (no result)
    "23617": (Decimal("14.10"), Decimal("108.60")),  # Xã Đông, Gia Lai
}


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """10 January 2025, noon in Vietnam."""
    moment = timezone.make_aware(dt.datetime(2025, 1, 10, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _status(commune, programme, *, tier="", met=3, failed=(), key_failed=()) -> Status:
    summary = {
        "met": not failed,
        "reached": not failed,
        "criteria_met": met,
        "criteria_total": 3,
        "failed": list(failed),
        "key_failed": list(key_failed),
        "no_data": [],
        "failing": {},
    }
    return Status.objects.create(
        unit=commune,
        period=DEC,
        programme=programme,
        tier=tier,
        criteria_met=met,
        criteria_total=3,
        sets={"commune-standard": summary},
    )


def _recognise(commune, programme, number: str) -> Recognition:
    return Recognition.objects.create(
        unit=commune,
        tier="standard",
        programme=programme,
        decision_number=number,
        decision_date=dt.date(2023, 12, 20),
        issuer="UBND tỉnh Kon Tum",
    )


def _place(positions: dict[str, tuple[Decimal, Decimal]]) -> None:
    for code, (latitude, longitude) in positions.items():
        AdministrativeUnit.objects.filter(code=code, level=Level.COMMUNE).update(latitude=latitude, longitude=longitude)


@pytest.fixture
def kon_tum(tree):
    import_criteria_text(STANDARD)
    programme = Programme.objects.get(code="2021-2025")
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    dak_long = UnitFactory(code="23347", name="Xã Đắk Long", parent=tree.dak_glei)
    UnitFactory(code="23371", name="Xã Đắk Nông", parent=tree.ngoc_hoi)
    _status(tree.dak_pek, programme, tier="standard", met=3)
    _status(tree.dak_mon, programme, met=1, failed=[10, 11], key_failed=[10])
    _status(dak_xu, programme, met=2, failed=[11])
    _status(dak_long, programme, tier="advanced", met=3)
    _recognise(tree.dak_mon, programme, "1234/QĐ-UBND")
    _recognise(dak_xu, programme, "567/QĐ-UBND")
    _place(POSITIONS)
    return tree


def _dashboard(client, query: str = "", *, code: str = "62", name: str = "reports:province-dashboard"):
    return client.get(reverse(name, args=[code]) + f"?month={MONTH}{query}")


def _map_svg(page: str) -> ET.Element:
    """The map's SVG in a page, parsed; fails when the page has none or more than one."""
    [svg] = re.findall(r'<svg\b[^>]*\bclass="chart map\b.*?</svg>', page, re.S)
    return ET.fromstring(svg)


def _marks(root: ET.Element) -> dict[str, ET.Element]:
    """The map's marks by the code of the commune whose scorecard they link to."""
    marks = [e for e in root.iter() if "map-mark" in e.get("class", "").split()]
    by_code = {re.search(r"/(\d+)/", m.get("href")).group(1): m for m in marks}
    assert len(by_code) == len(marks)
    return by_code


def _text(page: str) -> str:
    """A page's text without tags, entities decoded and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _mode_links(page: str) -> tuple[dict[str, str], list[str]]:
    """The map's mode switch: the labels that are links (with their href), and the current one."""
    [switch] = re.findall(r'<p class="map-modes".*?</p>', page, re.S)
    links = {label: html.unescape(href) for href, label in re.findall(r'<a href="([^"]*)">([^<]*)</a>', switch)}
    return links, re.findall(r"<strong[^>]*>([^<]*)</strong>", switch)


def _scorecard(code: str) -> str:
    return reverse("reports:scorecard", args=[code]) + f"?month={MONTH}"


# ---------------------------------------------------------------- province dashboard, by tier


def test_province_map_has_a_mark_per_judged_commune_with_a_position(kon_tum, office_client):
    response = _dashboard(office_client)
    assert response.status_code == 200
    root = _map_svg(response.text)
    assert root.get("class").split() == ["chart", "map", "map-tier"]
    marks = _marks(root)
    # Not the thị trấn (not judged), not Đắk Long (no position), not Gia Lai's Xã Đông.
    assert set(marks) == {"23353", "23341", "23380", "23371"}
    assert response.context["map"].drawn == 4


def test_each_mark_carries_its_communes_tier_and_links_its_scorecard_of_the_month(kon_tum, office_client):
    marks = _marks(_map_svg(_dashboard(office_client).text))
    tiers = {code: mark.get("data-tier") for code, mark in marks.items()}
    # Đắk Pék reaches the standard, Đắk Môn and Đắk Xú fall below every tier, Đắk Nông has no result this month.
    assert tiers == {"23353": "standard", "23341": "none", "23380": "none", "23371": "no-result"}
    for code, mark in marks.items():
        assert mark.tag == f"{SVG}a"
        assert mark.get("href") == _scorecard(code)
    assert "Xã Đắk Pék" in marks["23353"].find(f"{SVG}title").text
    assert "chưa có số liệu được duyệt" in marks["23371"].find(f"{SVG}title").text


def test_the_tier_map_offers_the_criteria_mode_as_a_link(kon_tum, office_client):
    links, current = _mode_links(_dashboard(office_client).text)
    assert links == {"Số tiêu chí đạt": f"?month={MONTH}&map=criteria#ban-do"}
    assert current == ["Mức đạt"]


# ---------------------------------------------------------------- by criteria met


def test_criteria_mode_draws_each_communes_criteria_met(kon_tum, office_client):
    response = _dashboard(office_client, "&map=criteria")
    assert response.status_code == 200
    root = _map_svg(response.text)
    assert root.get("class").split() == ["chart", "map", "map-criteria"]
    marks = _marks(root)
    met = {code: (mark.get("data-met"), mark.get("data-total")) for code, mark in marks.items()}
    statuses = Status.objects.filter(period=DEC, unit__code__in=marks)
    expected = {s.unit.code: (str(s.criteria_met), str(s.criteria_total)) for s in statuses}
    assert expected == {"23353": ("3", "3"), "23341": ("1", "3"), "23380": ("2", "3")}
    # Đắk Nông, without a result, counts nothing met out of nothing.
    assert met == {**expected, "23371": ("0", "0")}
    assert response.context["map"].mode == "criteria"


def test_criteria_mode_links_back_to_the_tier_mode(kon_tum, office_client):
    links, current = _mode_links(_dashboard(office_client, "&map=criteria").text)
    assert links == {"Mức đạt": f"?month={MONTH}&map=tier#ban-do"}
    assert current == ["Số tiêu chí đạt"]


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "x'--", "", "TIER", "criteria "])
def test_an_unknown_mode_falls_back_to_the_tier_map(kon_tum, office_client, value):
    response = office_client.get(reverse("reports:province-dashboard", args=["62"]), {"month": MONTH, "map": value})
    assert response.status_code == 200
    assert _map_svg(response.text).get("class").split() == ["chart", "map", "map-tier"]
    assert response.context["map"].mode == "tier"


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "x'--"])
def test_a_hostile_mode_is_never_echoed_unescaped(kon_tum, office_client, value):
    response = office_client.get(reverse("reports:province-dashboard", args=["62"]), {"month": MONTH, "map": value})
    # The language switch keeps the query string, escaped; the map's own links carry the month only.
    assert value not in response.text
    links, _current = _mode_links(response.text)
    assert links == {"Số tiêu chí đạt": f"?month={MONTH}&map=criteria#ban-do"}


def test_chosen_mode_accepts_the_known_modes_only():
    assert chosen_mode("criteria") == "criteria"
    assert chosen_mode("tier") == "tier"
    assert chosen_mode(None) == "tier"
    assert chosen_mode("<script>") == "tier"


def _legend(root: ET.Element) -> list[str]:
    [legend] = [e for e in root.iter() if e.get("class") == "map-legend"]
    return [t.text for t in legend.iter(f"{SVG}text")]


def test_the_tier_legend_keeps_communes_without_a_result_apart(kon_tum, office_client):
    legend = _legend(_map_svg(_dashboard(office_client).text))
    assert "Chưa có kết quả (1)" in legend
    assert "Có nguy cơ bị thu hồi (1)" in legend
    assert sum(int(re.search(r"\((\d+)\)$", entry).group(1)) for entry in legend[:-1]) == 4


def test_the_criteria_legend_keeps_communes_without_a_result_apart(kon_tum, office_client):
    root = _map_svg(_dashboard(office_client, "&map=criteria").text)
    marks = _marks(root)
    # Đắk Nông has no result; Đắk Môn met 1 of 3: not the same class.
    assert marks["23371"].find(f"{SVG}circle").get("fill") != marks["23341"].find(f"{SVG}circle").get("fill")
    assert "0–1/3 tiêu chí (1)" in _legend(root)


# ---------------------------------------------------------------- communes without a position


def test_a_commune_without_a_position_is_named_under_the_map_and_has_no_mark(kon_tum, office_client):
    response = _dashboard(office_client)
    assert "23347" not in _marks(_map_svg(response.text))
    assert response.context["map"].without_position == ["Xã Đắk Long"]
    assert "1 xã chưa có tọa độ nên không có trên bản đồ: Xã Đắk Long." in _text(response.text)
    assert "4 xã được xét" in _text(response.text)


def test_no_caption_line_when_every_judged_commune_has_a_position(kon_tum, office_client):
    _place({"23347": (Decimal("15.00"), Decimal("107.90"))})
    response = _dashboard(office_client)
    assert "23347" in _marks(_map_svg(response.text))
    assert response.context["map"].without_position == []
    assert "chưa có tọa độ" not in _text(response.text)


def test_a_province_without_positions_says_so_instead_of_drawing(kon_tum, office_client):
    AdministrativeUnit.objects.update(latitude=None, longitude=None)
    response = _dashboard(office_client)
    assert response.status_code == 200
    root = _map_svg(response.text)
    assert "map-empty" in root.get("class").split()
    assert _marks(root) == {}
    assert response.context["map"].drawn == 0
    text = _text(response.text)
    assert "Chưa có tọa độ của xã nào" in text
    assert "5 xã chưa có tọa độ nên không có trên bản đồ" in text


# ---------------------------------------------------------------- the risk of revocation


def test_a_recognised_commune_at_risk_of_revocation_is_ringed(kon_tum, office_client):
    response = _dashboard(office_client)
    watch = {row.item.unit.code: row.item.at_risk for row in response.context["watch"]}
    assert watch == {"23341": True, "23380": False}  # Đắk Xú is watched, not at risk
    marks = _marks(_map_svg(response.text))
    ringed = {code for code, mark in marks.items() if "at-risk" in mark.get("class").split()}
    assert ringed == {"23341"}
    assert {code: mark.get("data-at-risk") for code, mark in marks.items()} == {
        "23353": "false",
        "23341": "true",
        "23380": "false",
        "23371": "false",
    }
    ring = [c for c in marks["23341"].iter(f"{SVG}circle") if c.get("class") == "risk-ring"]
    assert len(ring) == 1
    assert not any(c.get("class") == "risk-ring" for c in marks["23380"].iter(f"{SVG}circle"))
    assert "Có nguy cơ bị thu hồi" in marks["23341"].find(f"{SVG}title").text


def test_the_risk_ring_stays_in_criteria_mode(kon_tum, office_client):
    marks = _marks(_map_svg(_dashboard(office_client, "&map=criteria").text))
    assert {code for code, mark in marks.items() if "at-risk" in mark.get("class").split()} == {"23341"}


# ---------------------------------------------------------------- district dashboard


def test_district_map_shows_its_own_communes_only(kon_tum, district_client):
    response = _dashboard(district_client, code="610", name="reports:district-dashboard")
    assert response.status_code == 200
    marks = _marks(_map_svg(response.text))
    assert set(marks) == {"23353", "23341"}
    assert {code: mark.get("data-tier") for code, mark in marks.items()} == {"23353": "standard", "23341": "none"}
    assert "at-risk" in marks["23341"].get("class").split()
    assert response.context["map"].without_position == ["Xã Đắk Long"]
    assert "1 xã chưa có tọa độ nên không có trên bản đồ: Xã Đắk Long." in _text(response.text)


def test_district_map_switches_to_criteria(kon_tum, district_client):
    response = _dashboard(district_client, "&map=criteria", code="611", name="reports:district-dashboard")
    # The district user works in Đắk Glei, not Ngọc Hồi.
    assert response.status_code == 404
    response = _dashboard(district_client, "&map=criteria", code="610", name="reports:district-dashboard")
    root = _map_svg(response.text)
    assert root.get("class").split() == ["chart", "map", "map-criteria"]
    assert {code: mark.get("data-met") for code, mark in _marks(root).items()} == {"23353": "3", "23341": "1"}


# ---------------------------------------------------------------- the body cache


def test_the_cached_body_keeps_each_mode_apart(kon_tum, office_client):
    def mode(query: str) -> str:
        return _map_svg(_dashboard(office_client, query).text).get("class").split()[-1]

    assert mode("") == "map-tier"
    assert mode("&map=criteria") == "map-criteria"
    # Served again, each from the cache: still its own mode.
    assert mode("&map=criteria") == "map-criteria"
    assert mode("") == "map-tier"
    assert mode("&map=bogus") == "map-tier"
    assert mode("&map=criteria") == "map-criteria"


def test_the_district_cached_body_keeps_each_mode_apart(kon_tum, district_client):
    def mode(query: str) -> str:
        page = _dashboard(district_client, query, code="610", name="reports:district-dashboard").text
        return _map_svg(page).get("class").split()[-1]

    assert mode("") == "map-tier"
    assert mode("&map=criteria") == "map-criteria"
    assert mode("") == "map-tier"


# ---------------------------------------------------------------- the printed province report


def _province_report(client) -> str:
    response = client.get(reverse("reports:pdf-province", args=["62", MONTH]) + "?preview=1")
    assert response.status_code == 200
    return response.content.decode()


def test_the_province_report_prints_the_tier_map(kon_tum, office_client):
    page = _province_report(office_client)
    root = _map_svg(page)
    assert root.get("class").split() == ["chart", "map", "map-tier"]
    marks = _marks(root)
    assert set(marks) == {"23353", "23341", "23380", "23371"}
    assert {code for code, mark in marks.items() if "at-risk" in mark.get("class").split()} == {"23341"}
    assert "Bản đồ. Các xã theo mức đạt theo số liệu tháng 12/2024" in _text(page)


def test_the_province_report_leaves_the_map_out_when_no_commune_has_a_position(kon_tum, office_client):
    AdministrativeUnit.objects.update(latitude=None, longitude=None)
    page = _province_report(office_client)
    assert 'class="chart map' not in page
    assert "Bản đồ. Các xã theo mức đạt" not in _text(page)


# ---------------------------------------------------------------- who may see it


@pytest.mark.parametrize(
    ("role_unit", "url", "expected"),
    [
        ("other_province", "/dashboard/62/?map=criteria", 404),
        ("other_province", "/dashboard/district/610/?map=criteria", 404),
        ("other_province", "/dashboard/62/?map=tier", 404),
        ("other_province", "/dashboard/64/?map=criteria", 200),
        ("dak_glei", "/dashboard/62/?map=criteria", 404),
        ("province", "/dashboard/62/?map=criteria", 200),
    ],
)
def test_the_map_mode_opens_nothing_outside_the_users_scope(kon_tum, role_unit, url, expected):
    role = Role.DISTRICT if role_unit == "dak_glei" else Role.OFFICE
    client = Client()
    client.force_login(MembershipFactory(unit=getattr(kon_tum, role_unit), role=role).user)
    response = client.get(url + f"&month={MONTH}")
    assert response.status_code == expected
    if expected == 404:
        assert "map-mark" not in response.content.decode()


# ---------------------------------------------------------------- no query of its own


def test_the_map_is_built_from_the_dashboards_rows_without_a_query(kon_tum, django_assert_num_queries):
    rows = load_scope(kon_tum.province, DEC)
    at_risk = {kon_tum.dak_mon.pk}
    with django_assert_num_queries(0):
        built = commune_map(rows, DEC, at_risk, ("standard", "advanced", "model"), "tier")
    assert built.drawn == 4
    assert built.without_position == ["Xã Đắk Long"]
