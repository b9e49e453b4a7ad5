"""Dashboards for the 2026-2030 programme (issue 15, item 7): tiers of its own ladder (standard, hiện đại), bands
over its own criteria count (data on the programme), communes by group; the 2021-2025 months keep theirs."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from communes.groups import CommuneGroupAssignment
from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from reports.models import Status
from tests.factories import MembershipFactory, reform_kon_tum

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(tree):
    for name in (
        "2021-2025/commune-standard.yaml",
        "2021-2025/commune-advanced.yaml",
        "2026-2030/commune-standard.yaml",
        "2026-2030/commune-modern.yaml",
        "2026-2030/province-complete.yaml",
    ):
        import_criteria_text((settings.BASE_DIR / "fixtures" / "criteria" / name).read_bytes())
    reform = reform_kon_tum(tree)
    dak_xu = AdministrativeUnit.objects.create(
        code="23380", level=Level.COMMUNE, kind=Kind.XA, name="Xã Đắk Xú", short_name="Đắk Xú",
        parent=reform.quang_ngai, valid_from=REFORM_DATE,
    )  # fmt: skip
    CommuneGroupAssignment.objects.create(unit=reform.dak_pek, group=3, valid_from=dt.date(2026, 2, 15))
    new = Programme.objects.get(code="2026-2030")
    for unit, met, tier in ((reform.dak_pek, 10, "standard"), (dak_xu, 6, "")):
        Status.objects.create(
            unit=unit,
            period=dt.date(2026, 3, 1),
            programme=new,
            tier=tier,
            criteria_met=met,
            criteria_total=10,
            sets={},
        )
    return reform.quang_ngai


def _office(unit):
    client = Client()
    client.force_login(MembershipFactory(unit=unit, role=Role.OFFICE).user)
    return client


def test_a_2026_month_counts_by_the_new_programmes_tiers_bands_and_groups(province):
    page = _office(province).get(reverse("reports:province-dashboard", args=["51"]), {"month": "2026-03"})
    assert page.status_code == 200
    summary = page.context["summary"]
    assert [line.label for line in summary.tiers] == ["Đạt chuẩn NTM", "NTM hiện đại"]
    assert [(line.tier, line.computed) for line in summary.tiers] == [("standard", 1), ("modern", 0)]
    assert summary.buckets == [("10 tiêu chí", 1), ("5-9 tiêu chí", 1), ("Dưới 5 tiêu chí", 0)]
    assert page.context["group_bands"] == [
        ("Nhóm 1", [0, 0, 0]),
        ("Nhóm 2", [0, 0, 0]),
        ("Nhóm 3", [1, 0, 0]),
        ("chưa phân nhóm", [0, 1, 0]),
    ]
    text = page.content.decode()
    assert "Số xã theo nhóm xã và số tiêu chí đạt" in text
    assert "bộ minh họa" in text


def test_a_2024_month_keeps_the_2021_2025_tiers_and_bands(province, tree):
    page = _office(tree.province).get(reverse("reports:province-dashboard", args=["62"]), {"month": "2024-05"})
    assert page.status_code == 200
    assert [line.tier for line in page.context["summary"].tiers] == ["standard", "advanced", "model"]
    assert [label for label, _count in page.context["summary"].buckets] == [
        "19 tiêu chí",
        "15-18 tiêu chí",
        "10-14 tiêu chí",
        "5-9 tiêu chí",
        "Dưới 5 tiêu chí",
    ]
    assert page.context["group_bands"] == []


def test_the_2030_targets_are_shares_of_the_communes(province):
    from records.models import RecognisedTier, Recognition, Target, TargetKind

    new = Programme.objects.get(code="2026-2030")
    source = "QĐ 417/QĐ-BNNMT (31/01/2026)"
    Target.objects.create(
        unit=province, year=2030, kind=TargetKind.SHARE_AT_TIER, tier=RecognisedTier.STANDARD, value=65, source=source
    )
    Target.objects.create(
        unit=province, year=2030, kind=TargetKind.SHARE_AT_TIER, tier=RecognisedTier.MODERN, value=10, source=source
    )
    Recognition.objects.create(
        unit=AdministrativeUnit.objects.get(code="23341", valid_from=REFORM_DATE),
        programme=new,
        tier=RecognisedTier.STANDARD,
        decision_number="45/QĐ-UBND",
        decision_date=dt.date(2026, 3, 20),
        issuer="Chủ tịch UBND tỉnh Quảng Ngãi",
    )
    page = _office(province).get(reverse("reports:province-dashboard", args=["51"]), {"month": "2026-03"})
    lines = page.context["summary"].target_lines
    assert "Đạt chuẩn NTM: 65% số xã (mục tiêu 2030); hiện 1/2 xã được công nhận (50.0%), đạt 77% mục tiêu" in lines
    assert "NTM hiện đại: 10% số xã (mục tiêu 2030); hiện 0/2 xã được công nhận (0.0%), đạt 0% mục tiêu" in lines


def test_the_province_completion_is_judged_from_its_communes_results(province, tree):
    from decimal import Decimal

    page = _office(province).get(reverse("reports:province-dashboard", args=["51"]), {"month": "2026-03"})
    completion = page.context["completion"]
    values = {i.measure: i.value for c in completion.criteria for i in c.indicators}
    assert values == {"province_communes_standard_pct": Decimal("50.0"), "province_communes_modern_pct": Decimal("0.0")}
    assert (completion.criteria_met, completion.criteria_total, completion.met) == (0, 2, False)
    text = page.content.decode()
    assert "Tỉnh, thành phố hoàn thành nhiệm vụ xây dựng nông thôn mới giai đoạn 2026 - 2030" in text
    assert "chờ Phụ lục III" in text
    # The 2021-2025 months have no such set.
    old = _office(tree.province).get(reverse("reports:province-dashboard", args=["62"]), {"month": "2024-05"})
    assert old.context["completion"] is None


def test_the_dashboard_links_the_periodic_reports_of_its_year(province):
    office = _office(province)
    page = office.get(reverse("reports:province-dashboard", args=["51"]), {"month": "2026-03"}).content.decode()
    link = reverse("reports:pdf-province-period", args=["51", "2026-H1"])
    assert link in page
    assert reverse("reports:excel-province-period", args=["51", "2026"]) in page
    assert reverse("reports:pdf-province-period", args=["51", "2026-H2"]) not in page  # not begun in March
    assert office.get(link).status_code == 200


def test_the_trend_chart_follows_the_months_ladder(province):
    page = _office(province).get(reverse("reports:province-dashboard", args=["51"]), {"month": "2026-03"})
    chart = str(page.context["trend_tier_chart"])
    assert "NTM hiện đại" in chart
    assert "NTM nâng cao" not in chart
