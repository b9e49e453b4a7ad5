"""The province dashboard, the district page and the commune scorecard: what they say, who may open them, and
how many queries they run.

Kon Tum (Tây Nguyên) in 2024, with the sample standard set (tests/criteria/samples.py): income must be at least
54, poverty at most 6.5 %, the general plan approved; criterion 10 (income) is a key criterion. Its rural
communes are Đắk Pék and Đắk Môn (Huyện Đắk Glei) and Đắk Xú (Huyện Ngọc Hồi); the two thị trấn report monthly
but are not judged as xã.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from communes.models import AdministrativeUnit, Kind, Level, Role
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus
from monthly.services import approve_report, save_values, submit_report
from records.models import CommunePlan, Recognition, Target, TargetKind
from reports import charts
from reports.dashboard import province_context
from reports.freshness import recent
from reports.models import Status
from reports.scope import recognitions_on
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UnitFactory, UserFactory, unit

pytestmark = pytest.mark.django_db

APRIL, MAY = dt.date(2024, 4, 1), dt.date(2024, 5, 1)
MONTH = "2024-05"
GOOD = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}
WEAK = {"income_per_capita": "40", "poverty_rate": "8", "plan_approved": True}  # fails 10 (key) and 11: 1/3
POOR = {"income_per_capita": "55", "poverty_rate": "8", "plan_approved": True}  # fails 11 only: 2/3


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """10 June 2024, noon in Vietnam: May's reports were due on the 25th."""
    moment = timezone.make_aware(dt.datetime(2024, 6, 10, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _approved(unit, raw, *, official, office, period=MAY):
    report = save_values(unit=unit, period=period, raw=raw, by=official)
    report = submit_report(report=report, by=official)
    return approve_report(report=report, by=office)


@pytest.fixture
def kon_tum(tree, office_user, district_user):
    """May 2024: Đắk Pék meets everything; Đắk Môn (recognised) fails a key criterion and half the rest; Đắk Xú
    (recognised) fails poverty only. April has no approved figures yet. Statuses come from recompute_statuses."""
    import_criteria_text(STANDARD)
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    ngoc_hoi_official = MembershipFactory(unit=tree.ngoc_hoi, role=Role.DISTRICT).user
    _approved(tree.dak_pek, GOOD, official=district_user, office=office_user)
    _approved(tree.dak_mon, WEAK, official=district_user, office=office_user)
    _approved(dak_xu, POOR, official=ngoc_hoi_official, office=office_user)
    programme = Programme.objects.get(code="2021-2025")
    for period in (APRIL, MAY):
        recompute_statuses(period=period, units=tracked_units(tree.province), programme=programme)
    Recognition.objects.create(
        unit=tree.dak_mon,
        tier="standard",
        programme=programme,
        decision_number="1234/QĐ-UBND",
        decision_date=dt.date(2023, 12, 20),
        issuer="UBND tỉnh Kon Tum",
    )
    Recognition.objects.create(
        unit=dak_xu,
        tier="standard",
        programme=programme,
        decision_number="567/QĐ-UBND",
        decision_date=dt.date(2022, 11, 2),
        issuer="UBND tỉnh Kon Tum",
    )
    Target.objects.create(
        unit=tree.province, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=2
    )
    CommunePlan.objects.create(unit=tree.dak_pek, tier="standard", year=2024)
    CommunePlan.objects.create(unit=tree.dak_mon, tier="advanced", year=2024)
    return tree


def _province_page(client, query=f"?month={MONTH}"):
    return client.get(reverse("reports:province-dashboard", args=["62"]) + query)


# ---------------------------------------------------------------- province dashboard


def test_province_dashboard_counts_tiers_against_the_plan_as_the_news_phrases_it(kon_tum, office_client):
    response = _province_page(office_client)
    assert response.status_code == 200
    text = response.text
    # Two recognised (in force), one reaching the standard by its figures, plan 2025: 2 communes.
    assert "2/3 xã được công nhận" in text
    assert "theo số liệu 1 xã đạt" in text
    assert "kế hoạch 2025: 2 xã, đạt 100% kế hoạch" in text
    standard = response.context["summary"].tiers[0]
    assert (standard.tier, standard.recognised, standard.computed, standard.out_of) == ("standard", 2, 1, 3)
    assert "<svg" in text
    assert "Số xã theo mức đạt, so với kế hoạch" in text


def test_province_dashboard_shows_buckets_and_the_average(kon_tum, office_client):
    response = _province_page(office_client)
    summary = response.context["summary"]
    # 3, 1 and 2 criteria met: all under five; (3 + 1 + 2) / 3 = 2.0.
    assert summary.buckets == [
        ("19 tiêu chí", 0),
        ("15-18 tiêu chí", 0),
        ("10-14 tiêu chí", 0),
        ("5-9 tiêu chí", 0),
        ("Dưới 5 tiêu chí", 3),
    ]
    assert summary.average == Decimal("2.0")
    assert "bình quân <strong>2,0</strong> tiêu chí/xã" in response.text


def test_buckets_follow_the_national_bands(tree, office_client):
    import_criteria_text(STANDARD)
    programme = Programme.objects.get(code="2021-2025")
    extra = [UnitFactory(parent=tree.ngoc_hoi, name=f"Xã Mới {i}") for i in range(3)]
    communes = [tree.dak_pek, tree.dak_mon, *extra]
    for commune, met in zip(communes, [19, 16, 12, 7, 3], strict=True):
        Status.objects.create(
            unit=commune, period=MAY, programme=programme, tier="", criteria_met=met, criteria_total=19
        )
    summary = _province_page(office_client).context["summary"]
    assert [count for _label, count in summary.buckets] == [1, 1, 1, 1, 1]
    assert summary.average == Decimal("11.4")
    assert summary.without_status == 1  # Đắk Xú has no status that month


def test_province_dashboard_lists_districts_with_plans_overdue_reports_and_the_qd_320_rule(kon_tum, office_client):
    rows = {row.unit.code: row for row in _province_page(office_client).context["districts"]}
    dak_glei, ngoc_hoi = rows["610"], rows["611"]
    assert dak_glei.communes == 2  # the thị trấn is not judged as a xã
    assert dak_glei.recognised == {"standard": 1, "advanced": 0, "model": 0}
    assert dak_glei.computed == {"standard": 1, "advanced": 0, "model": 0}
    assert dak_glei.average == Decimal("2.0")
    # Planned for 2024: Đắk Pék (standard, reached) and Đắk Môn (advanced, not reached).
    assert (dak_glei.plan_reached, dak_glei.planned) == (1, 2)
    # Thị trấn Đắk Glei sent nothing for May, but the criteria do not judge a town: it is not asked, so not overdue.
    assert (dak_glei.overdue, dak_glei.reporting) == (0, 2)
    assert dak_glei.rule["standard_pct"] == Decimal("50.0")
    assert not dak_glei.rule["all_standard"]
    assert (ngoc_hoi.communes, ngoc_hoi.overdue, ngoc_hoi.computed["standard"]) == (1, 0, 0)


def test_watch_list_flags_the_revocation_risk(kon_tum, office_client):
    response = _province_page(office_client)
    watch = {row.item.unit.code: row for row in response.context["watch"]}
    assert set(watch) == {"23341", "23380"}
    mon, xu = watch["23341"].item, watch["23380"].item
    # Đắk Môn: 2 of 3 fail, the key criterion 10 among them: at risk. Đắk Xú: 1 of 3, no key one: watched only.
    assert (mon.failed, mon.key_failed, mon.at_risk) == ([10, 11], [10], True)
    assert (xu.failed, xu.at_risk) == ([11], False)
    assert [row.item.unit.code for row in response.context["watch"]] == ["23341", "23380"]  # at risk first
    text = response.text
    assert "nguy cơ thu hồi" in text
    assert "2/3 (66,7%)" in text
    assert "1234/QĐ-UBND" in text


def test_trend_counts_each_month_from_statuses(kon_tum, office_client):
    trend = _province_page(office_client).context["trend"]
    assert len(trend) == 12
    assert trend[0].period == dt.date(2023, 6, 1)
    april, may = trend[-2], trend[-1]
    # April's statuses were computed before any figures were approved: no commune has a result, none counts as 0.
    assert (april.communes, april.standard, april.average) == (0, 0, None)
    assert (may.communes, may.standard, may.advanced, may.average) == (3, 1, 0, Decimal("2.0"))
    assert trend[0].communes == 0


def test_default_month_is_the_latest_with_statuses(kon_tum, office_client):
    response = _province_page(office_client, query="")
    assert response.context["period"] == MAY
    assert response.context["months"] == {"current": "2024-05", "previous": "2024-04", "next": "2024-06"}
    assert 'href="?month=2024-04"' in response.text


def test_month_without_statuses_says_so(kon_tum, office_client):
    response = _province_page(office_client, query="?month=2024-02")
    assert response.status_code == 200
    assert "Chưa có kết quả đánh giá nào của tháng 02/2024" in response.text


def test_recognitions_count_as_they_stood_that_month(kon_tum, office_client):
    Recognition.objects.filter(unit__code="23380").update(
        revoked_decision_number="89/QĐ-UBND", revoked_date=dt.date(2024, 8, 1)
    )
    # Revoked in August: still in force in May.
    assert _province_page(office_client).context["summary"].tiers[0].recognised == 2
    may = Recognition.objects.filter(unit__path__startswith="62/")
    assert {r.unit_id for r in recognitions_on(may, dt.date(2024, 5, 31))} == {
        kon_tum.dak_mon.pk,
        AdministrativeUnit.objects.get(code="23380").pk,
    }
    assert {r.unit_id for r in recognitions_on(may, dt.date(2024, 8, 31))} == {kon_tum.dak_mon.pk}
    # Revoked records are not changed by looking at an earlier month.
    assert Recognition.objects.get(unit__code="23380").revoked_date == dt.date(2024, 8, 1)


def test_demo_banner_appears_only_for_demo_data(kon_tum, office_client):
    assert "Dữ liệu minh họa" not in _province_page(office_client).text
    unit("23353001", "Thôn Đắk Xuân", Level.VILLAGE, kon_tum.dak_pek, is_demo=True)
    assert "Dữ liệu minh họa" in _province_page(office_client).text


def test_context_holds_plain_data_and_svg_for_the_pdf(kon_tum, office_user):
    context = province_context(province=kon_tum.province, period=MAY, user=office_user)
    assert context["summary"].tier_chart.startswith("<svg")
    assert context["trend_tier_chart"].startswith("<svg")
    assert context["trend_average_chart"].startswith("<svg")
    assert isinstance(context["districts"], list)
    assert isinstance(context["watch"], list)


# ---------------------------------------------------------------- district page


def test_district_page_shows_recognised_beside_computed(kon_tum, district_client):
    Target.objects.create(
        unit=kon_tum.dak_glei, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.DISTRICT, tier="standard", value=1
    )
    response = district_client.get(reverse("reports:district-dashboard", args=["610"]) + f"?month={MONTH}")
    assert response.status_code == 200
    rows = {row.unit.code: row for row in response.context["communes"]}
    assert set(rows) == {"23353", "23341"}
    pek, mon = rows["23353"], rows["23341"]
    assert (pek.recognition, pek.status.tier, pek.failed, pek.at_risk) == (None, "standard", 0, False)
    assert (mon.recognition.tier, mon.status.tier, mon.failed, mon.at_risk) == ("standard", "", 2, True)
    assert response.context["rule"]["standard"] == 1
    # The district's own target counts the district itself.
    [district_target] = response.context["summary"].other_targets
    assert (district_target.achieved, district_target.out_of) == (0, 1)
    text = response.text
    assert "Được công nhận" in text
    assert "Theo số liệu" in text
    assert '<span class="tier tier-standard recognised">Đạt chuẩn NTM</span>' in text
    assert '<span class="tier tier-none">Chưa đạt chuẩn</span>' in text
    assert "nguy cơ thu hồi" in text
    assert "Thị trấn Đắk Glei" in text  # named as not judged
    # A district official may not open the province dashboard: the breadcrumb names it without a link.
    assert reverse("reports:province-dashboard", args=["62"]) not in text


# ---------------------------------------------------------------- scorecard


def test_scorecard_explains_every_indicator_and_the_gap_to_the_next_tier(kon_tum, district_client):
    response = district_client.get(reverse("reports:scorecard", args=["23341"]) + f"?month={MONTH}")
    assert response.status_code == 200
    context = response.context
    assert context["computed_tier"] == ""
    assert context["recognition"].decision_number == "1234/QĐ-UBND"
    assert context["at_risk"]
    step = context["next_step"]
    assert step.set_code == "commune-standard"
    gaps = {indicator.code: indicator.gap for _criterion, indicator in step.items}
    assert gaps == {"10.1": Decimal("14"), "11.1": Decimal("1.5")}
    text = response.text
    assert "Để đạt mức tiếp theo" in text
    assert "còn 2/3 tiêu chí chưa đạt" in text
    assert "≥ 54" in text
    assert "vùng Tây Nguyên, năm 2024" in text
    assert '14 <span class="muted">triệu đồng/người/năm</span>' in text
    assert '1,5 <span class="muted">%</span>' in text
    assert "chưa xác minh" in text
    assert "nguy cơ thu hồi" in text.lower()
    # History from statuses: April had no approved figures (no result), May 1 of 3.
    assert [p.criteria_met for p in context["history"]][-2:] == [None, 1]
    assert context["history_chart"].startswith("<svg")


def test_scorecard_of_a_commune_at_its_top_tier_says_so(kon_tum, office_client):
    response = office_client.get(reverse("reports:scorecard", args=["23353"]) + f"?month={MONTH}")
    assert response.context["computed_tier"] == "standard"
    assert response.context["next_step"] is None
    assert "Xã đã đạt mức cao nhất" in response.text


def test_scorecard_before_any_approved_figures_says_nothing_is_known_yet(kon_tum, office_client):
    response = office_client.get(reverse("reports:scorecard", args=["23341"]) + "?month=2024-04")
    assert not response.context["has_figures"]
    assert "Chưa có số liệu nào được duyệt của đơn vị đến tháng 04/2024" in response.text
    assert "next-step-table" not in response.text


# ---------------------------------------------------------------- who may open what


@pytest.mark.parametrize(
    ("role", "url", "expected"),
    [
        ("office", "/dashboard/62/", 200),
        ("office", "/dashboard/district/611/", 200),
        ("office", "/scorecard/23380/", 200),
        ("office", "/dashboard/64/", 404),
        ("office", "/dashboard/district/625/", 404),
        ("office", "/scorecard/23617/", 404),
        ("district", "/dashboard/62/", 404),
        ("district", "/dashboard/district/610/", 200),
        ("district", "/dashboard/district/611/", 404),
        ("district", "/scorecard/23353/", 200),
        ("district", "/scorecard/23380/", 404),
        ("viewer", "/dashboard/62/", 200),
        ("viewer", "/scorecard/23353/", 200),
        ("nobody", "/dashboard/62/", 404),
        ("admin", "/dashboard/64/", 200),
        ("office", "/dashboard/62/?month=2024-13", 404),
        ("office", "/dashboard/district/23353/", 404),  # a commune code is no district
    ],
)
def test_dashboards_answer_404_out_of_scope(client_for, tree, role, url, expected):
    users = {
        "office": lambda: MembershipFactory(unit=tree.province, role=Role.OFFICE).user,
        "district": lambda: MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user,
        "viewer": lambda: MembershipFactory(unit=tree.province, role=Role.VIEWER).user,
        "nobody": lambda: UserFactory(),
        "admin": lambda: UserFactory(is_superuser=True, is_staff=True),
    }
    assert client_for(users[role]()).get(url).status_code == expected


def test_dashboards_require_login(client, tree):
    response = client.get("/dashboard/62/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_home_sends_the_office_to_its_dashboard_and_others_to_their_unit(tree, office_client, district_client):
    assert office_client.get("/")["Location"] == reverse("reports:province-dashboard", args=["62"])
    assert district_client.get("/")["Location"] == reverse("communes:district-detail", args=["610"])


def test_overview_link_sends_each_person_to_their_own_overview(tree, office_client, district_client):
    assert office_client.get(reverse("reports:my-dashboard"))["Location"] == "/dashboard/62/"
    assert district_client.get(reverse("reports:my-dashboard"))["Location"] == "/dashboard/district/610/"
    page = office_client.get(reverse("communes:district-detail", args=["610"])).text
    assert f'href="{reverse("reports:my-dashboard")}">Tổng quan</a>' in page
    assert reverse("reports:district-dashboard", args=["610"]) in page
    commune_page = office_client.get(reverse("communes:commune-detail", args=["23353"])).text
    assert reverse("reports:scorecard", args=["23353"]) in commune_page


# ---------------------------------------------------------------- queries, pinned


def _grow_province(tree, count: int) -> None:
    """`count` rural communes under Huyện Đắk Glei with two months of statuses, some recognised, planned and
    reporting: everything the pages read, made in bulk."""
    import_criteria_text(STANDARD)
    programme = Programme.objects.get(code="2021-2025")
    communes = []
    for i in range(count):
        commune = AdministrativeUnit(
            code=f"9{i:05d}",
            name=f"Xã Thử {i}",
            short_name=f"Thử {i}",
            level=Level.COMMUNE,
            kind=Kind.XA,
            parent=tree.dak_glei,
        )
        commune.refresh_derived_fields()
        communes.append(commune)
    AdministrativeUnit.objects.bulk_create(communes, batch_size=500)
    communes = list(AdministrativeUnit.objects.filter(parent=tree.dak_glei, code__startswith="9"))
    statuses, recognitions, plans, reports = [], [], [], []
    for i, commune in enumerate(communes):
        met = i % 4
        failed = [n for n in (1, 10, 11)][met:]
        summary = {
            "met": met == 3,
            "reached": met == 3,
            "criteria_met": met,
            "criteria_total": 3,
            "failed": failed,
            "key_failed": [n for n in failed if n == 10],
            "no_data": [],
            "failing": {},
        }
        for period in (APRIL, MAY):
            statuses.append(
                Status(
                    unit=commune,
                    period=period,
                    programme=programme,
                    tier="standard" if met == 3 else "",
                    criteria_met=met,
                    criteria_total=3,
                    sets={"commune-standard": summary},
                )
            )
        if i % 3 == 0:
            recognitions.append(
                Recognition(
                    unit=commune,
                    tier="standard",
                    programme=programme,
                    decision_number=f"{i}/QĐ-UBND",
                    decision_date=dt.date(2023, 1, 1),
                    issuer="UBND tỉnh",
                )
            )
        if i % 4 == 0:
            plans.append(CommunePlan(unit=commune, tier="standard", year=2024))
        if i % 2 == 0:
            reports.append(Report(unit=commune, period=MAY, programme=programme, status=ReportStatus.APPROVED))
    Status.objects.bulk_create(statuses, batch_size=1000)
    Recognition.objects.bulk_create(recognitions)
    CommunePlan.objects.bulk_create(plans)
    Report.objects.bulk_create(reports)
    Target.objects.create(
        unit=tree.province, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=60
    )
    Target.objects.create(unit=tree.dak_glei, year=2025, kind=TargetKind.MIN_CRITERIA, level=Level.COMMUNE, value=2)


@pytest.mark.parametrize("count", [10, 500])
def test_province_dashboard_runs_a_fixed_number_of_queries(tree, office_client, count, django_assert_num_queries):
    _grow_province(tree, count)
    # session, user, memberships, the province; then the context: districts and communes, the month's statuses
    # (+ programme), twelve-plus months of statuses for the trend, recognitions (+ unit), targets, commune
    # plans, the month's reports, demo units, the units being recomputed (reports.RecomputeMark); and the
    # the unit kinds the sets in force judge (reports.services.judged_kinds);
    # first, reports.coverage: the sets' kinds, each commune's first approved month, the months' results and marks.
    # And the sets, in their versions, that judge the month (the yardstick line); and the page data version under
    # which the body is cached (reports.freshness); the per-set summaries of the districts and recognised communes.
    with django_assert_num_queries(20):
        response = _province_page(office_client)
    assert response.context["summary"].communes == 3 + count
    # Without ?month: one more, the latest month with statuses.
    cache.clear()
    recent.clear()
    with django_assert_num_queries(21):
        assert _province_page(office_client, query="").context["period"] == MAY
    # Warm, its data unchanged: the session's page as it was served (reports.freshness.cached_page): the session,
    # the user and the data version.
    with django_assert_num_queries(3):
        warm = _province_page(office_client, query="")
    assert warm.status_code == 200
    assert "tháng 05/2024" in warm.text


@pytest.mark.parametrize("count", [10, 500])
def test_district_page_runs_a_fixed_number_of_queries(tree, office_client, count, django_assert_num_queries):
    _grow_province(tree, count)
    # session, user, memberships, the district; then the context: ancestors (the province's due day),
    # districts and communes, the month's statuses (+ programme), the trend's statuses, recognitions (+ unit),
    # targets, commune plans, the month's reports, demo units, the units being recomputed (reports.RecomputeMark);
    # and the header's membership; the unit kinds the sets in force judge (reports.services.judged_kinds);
    # first, reports.coverage: the sets' kinds, each commune's first approved month, the months' results and marks.
    # And the sets, in their versions, that judge the month (the yardstick line); the page data version. (The
    # ancestors are read once, for the breadcrumbs outside the cached body and the body alike.)
    with django_assert_num_queries(20):
        response = office_client.get(reverse("reports:district-dashboard", args=["610"]) + f"?month={MONTH}")
    assert len(response.context["communes"]) == 2 + count


@pytest.mark.parametrize("count", [10, 500])
def test_scorecard_runs_a_fixed_number_of_queries(tree, office_client, count, django_assert_num_queries):
    _grow_province(tree, count)
    # session, user, memberships, the commune; then the context: ancestors, the month's programme, its sets,
    # criteria, indicators (+ measure) and thresholds, measure codes, carried figures, twelve months of
    # statuses, the months being recomputed (reports.RecomputeMark), recognitions, plans, demo units; and the
    # header's membership; whether the sets in force judge its kind (reports.services.judged_kinds); and
    # reports.coverage: the sets' kinds, the commune's first approved month (none here, so no results to read);
    # then the forecast of its next tier from that evaluation: the measures (and the twelve months of those a missing
    # indicator can follow, none here: its only missing indicator is a yes/no one).
    with django_assert_num_queries(21):
        response = office_client.get(reverse("reports:scorecard", args=["900001"]) + f"?month={MONTH}")
    assert response.context["status"].criteria_met == 1


# ---------------------------------------------------------------- charts


def test_charts_escape_labels_and_write_every_figure():
    svg = charts.horizontal_bars(
        [charts.BarGroup("Xã <Đắk> & Pék", [3], target=5, target_label="Kế hoạch 2025: 5")],
        series=[("Số xã", "#000")],
        title="Thử",
        unit="xã",
    )
    assert "Xã &lt;Đắk&gt; &amp; Pék" in svg
    assert ">3 xã</text>" in svg
    assert "Kế hoạch 2025: 5" in svg
    assert 'font-family="Times New Roman, Liberation Serif, serif"' in svg
    line = charts.line_chart(["01/24", "02/24", "03/24"], [charts.Series("Đạt", [1, None, 2], "#000")], title="T")
    assert line.count("<polyline") == 0  # no two neighbouring figures to join
    assert "<rect" in line
    assert charts.nice_maximum(47) == (50, 10)


def test_a_recognised_district_whose_communes_no_longer_meet_the_standard_is_flagged(kon_tum, office_client):
    """QĐ 18/2022's district rule: Đắk Môn, one of Đắk Glei's two rural communes (50%), is recognised but fails
    the standard by its figures, so the recognised Đắk Glei is at risk; Ngọc Hồi, not recognised, is not flagged
    although its one commune fails too."""
    assert not any(row.revocation_risk for row in _province_page(office_client).context["districts"])
    Recognition.objects.create(
        unit=kon_tum.dak_glei,
        tier="standard",
        programme=Programme.objects.get(code="2021-2025"),
        decision_number="89/QĐ-TTg",
        decision_date=dt.date(2023, 6, 1),
        issuer="Thủ tướng Chính phủ",
    )
    rows = {row.unit.code: row for row in _province_page(office_client).context["districts"] if row.unit}
    assert rows["610"].revocation_risk is True
    assert rows["611"].revocation_risk is False
    preview = office_client.get(reverse("reports:pdf-province", args=["62", MONTH]) + "?preview=1").content.decode()
    assert "Huyện Đắk Glei đã được công nhận nhưng có nguy cơ bị thu hồi" in preview
    assert "Huyện Ngọc Hồi đã được công nhận" not in preview


def test_a_province_page_reads_the_set_summaries_only_of_districts_and_recognised_communes(kon_tum):
    from reports.scope import load_scope

    rows = load_scope(kon_tum.province, MAY)
    # Đắk Môn is recognised: its summaries are read (the watch-list needs them); Đắk Pék is not: they are not.
    assert rows.statuses[kon_tum.dak_mon.pk].sets["commune-standard"]["failed"]
    with pytest.raises(LookupError, match="not read"):
        rows.statuses[kon_tum.dak_pek.pk].sets.get("commune-standard")
    # A district's page lists every commune's failing criteria: all of them read.
    district_rows = load_scope(kon_tum.dak_glei, MAY)
    assert "commune-standard" in district_rows.statuses[kon_tum.dak_pek.pk].sets
