"""The forecast's pages (issue 17 item 3): the commune scorecard's "at this pace" line and column, the province's and
district's forecast page and its fragment, the dashboards' section that loads it, who may open them, the cache, and
that a forecast never passes for a result.

Kon Tum (Tây Nguyên) in 2024 with the sample standard set (tests/criteria/samples.py): income at least 54, poverty at
most 6.5 %, the general plan approved. Forecast month 06/2024, from approved reports of January to June:

- Xã Đắk Pék (Đắk Glei): income 45, 46, ... 50, one more a month; misses income only.
- Xã Đắk Môn (Đắk Glei): income 50 every month: flat, never.
- Xã Đã Đạt (Đắk Glei, added): income 60: at the standard now.
- Xã Đắk Xú (Ngọc Hồi): income 46, 50, 47, 49, 48.5, 50.5: rising with noise, so a range that straddles 12/2024.

Plans: the province 3 communes at the standard in 2024, Huyện Đắk Glei 2.
"""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.models import AdministrativeUnit, Level, Role
from criteria.models import Measure, Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus, Value
from monthly.services import approve_report, save_values, submit_report
from records.models import Target, TargetKind
from reports.forecast import method_text
from reports.freshness import bump_data_version
from reports.models import Status
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from tests.reports.test_forecast import JUNE, MONTHS_2024, approve, figures

pytestmark = pytest.mark.django_db

MONTH = "2024-06"
FIRST_HALF = MONTHS_2024[:6]  # January to June 2024
NOISY = [46, 50, 47, 49, 48.5, 50.5]
STANDARD_LABEL = "Đạt chuẩn NTM"  # reports.templatetags.dashboard_format.tier_label("standard")
CROSSING = re.compile(r"đạt vào \d\d/\d{4}|vào tháng \d\d/\d{4}")


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """10 July 2024, noon in Vietnam: June's figures are in."""
    moment = timezone.make_aware(dt.datetime(2024, 7, 10, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def kon_tum(tree):
    import_criteria_text(STANDARD)
    measures = {m.code: m for m in Measure.objects.all()}
    tree.dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    tree.done = UnitFactory(name="Xã Đã Đạt", parent=tree.dak_glei)
    approve(tree.dak_pek, {m: figures(45 + k) for k, m in enumerate(FIRST_HALF)}, measures)
    approve(tree.dak_mon, {m: figures(50) for m in FIRST_HALF}, measures)
    approve(tree.done, {m: figures(60) for m in FIRST_HALF}, measures)
    approve(tree.dak_xu, {m: figures(v) for m, v in zip(FIRST_HALF, NOISY, strict=True)}, measures)
    for scope, count in ((tree.province, 3), (tree.dak_glei, 2)):
        Target.objects.create(
            unit=scope, year=2024, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=count
        )
    recompute_statuses(period=JUNE, units=tracked_units())
    return tree


def forecast_url(code: str, query: str = f"?month={MONTH}") -> str:
    return reverse("reports:forecast", args=[code]) + query


def scorecard(client, code: str):
    return client.get(reverse("reports:scorecard", args=[code]) + f"?month={MONTH}")


def next_step_row(text: str, indicator_code: str) -> str:
    """The row of "Để đạt mức tiếp theo" for the indicator."""
    table = text.split('class="data next-step-table"', 1)[1].split("</table>", 1)[0]
    (row,) = [r for r in re.findall(r"<tr>.*?</tr>", table, re.S) if f"<td>{indicator_code} " in r]
    return row


def commune_line(text: str) -> str:
    """The scorecard's forecast sentence above the table."""
    return re.search(r'<p class="forecast">(.*?)</p>', text, re.S).group(1)


def target_row(text: str, key: str) -> str:
    return re.search(rf'<tr data-target="{key}">(.*?)</tr>', text, re.S).group(1)


# ---------------------------------------------------------------- the scorecard


def test_scorecard_gives_the_month_a_linear_rise_meets_its_threshold(kon_tum, office_client):
    response = scorecard(office_client, kon_tum.dak_pek.code)

    assert response.status_code == 200
    step = response.context["next_step"]
    assert [indicator.code for _criterion, indicator in step.items] == ["10.1"]  # income is all it misses
    # One more a month, 50 in June: 54 (Tây Nguyên 2024) is (54 - 50) / 1 = 4 months later, in October 2024.
    text = response.text
    assert "Dự báo theo xu hướng" in text
    assert "với nhịp độ này: đạt vào 10/2024" in next_step_row(text, "10.1")
    line = commune_line(text)
    assert '<span class="badge forecast-badge">Dự báo</span>' in line
    assert f"Với nhịp độ hiện nay, xã đạt mức {STANDARD_LABEL} vào tháng 10/2024." in line
    assert "khoảng" not in line  # a straight line: no range
    assert "Cách tính dự báo" in text


def test_scorecard_of_a_flat_trend_gives_no_crossing_month(kon_tum, office_client):
    text = scorecard(office_client, kon_tum.dak_mon.code).text

    assert "không đạt với xu hướng hiện tại" in next_step_row(text, "10.1")
    assert f"Với xu hướng hiện tại, xã chưa đạt mức {STANDARD_LABEL}" in commune_line(text)
    assert "Với nhịp độ hiện nay" not in text
    assert CROSSING.search(text) is None


# ---------------------------------------------------------------- the forecast page and its fragment


def test_province_forecast_page_counts_the_target_and_links_the_deciding_commune(kon_tum, office_client):
    response = office_client.get(forecast_url("62"))

    assert response.status_code == 200
    text = response.text
    assert "<html" in text
    # Reaching the standard by 12/2024: Đã Đạt (now), Đắk Pék (10/2024) whatever the case; Đắk Xú only early. Its
    # central line: slope 0.75 (the median of the 15 pairwise slopes), 50.125 in June, 54 after 5.17 months: 12/2024.
    (target,) = response.context["forecast"].targets
    assert (target.low, target.central, target.high, target.met_now, target.out_of) == (2, 3, 3, 1, 4)
    row = target_row(text, "2024-standard")
    assert "dự báo: 2-3 / 3 xã (kế hoạch 2024)" in row
    assert "1/4 xã" in row
    assert STANDARD_LABEL in row
    dak_xu = reverse("reports:scorecard", args=[kon_tum.dak_xu.code]) + f"?month={MONTH}"
    assert f'<a href="{dak_xu}">Xã Đắk Xú</a> <span class="muted small">(12/2024)</span>' in row
    assert "Xã Đắk Môn" not in row  # never at this pace: not deciding
    assert '<span class="badge forecast-badge">Dự báo</span>' in text
    assert "đây không phải kết quả đánh giá" in text
    assert "Cách tính dự báo" in text
    # The horizon in the method is the programme's last judged month (12/2025 for the sample's).
    last_month = Programme.objects.get(code="2021-2025").last_month
    assert html.escape(method_text(last_month)) in text


def test_fragment_is_the_section_alone(kon_tum, office_client):
    response = office_client.get(forecast_url("62", f"?month={MONTH}&fragment=1"))

    assert response.status_code == 200
    text = response.text
    assert text.strip().startswith('<div class="forecast-body" data-forecast>')
    assert text.strip().endswith("</div>")
    assert "<html" not in text
    assert "dự báo: 2-3 / 3 xã (kế hoạch 2024)" in text
    # The same section as the page's.
    assert text.strip() in office_client.get(forecast_url("62")).text


def test_district_forecast_page_lists_only_its_communes(kon_tum, office_client):
    response = office_client.get(forecast_url("610"))

    assert response.status_code == 200
    text = response.text
    # Đắk Pék (10/2024), Đắk Môn (never) and Đã Đạt (now): 2 of 3 at the standard by 12/2024, whatever the case.
    (target,) = response.context["forecast"].targets
    assert (target.low, target.central, target.high, target.met_now, target.out_of) == (2, 2, 2, 1, 3)
    row = target_row(text, "2024-standard")
    assert "dự báo: 2 / 2 xã (kế hoạch 2024)" in row
    assert "1/3 xã" in row
    forecast = response.context["forecast"]
    assert {f.code for f in forecast.communes["standard"]} == {
        kon_tum.dak_pek.code,
        kon_tum.dak_mon.code,
        kon_tum.done.code,
    }
    assert "Đắk Xú" not in text
    assert reverse("reports:scorecard", args=[kon_tum.dak_xu.code]) not in text
    assert "kế hoạch 2024" in text
    assert "3 / 3 xã" not in text  # not the province's plan


# ---------------------------------------------------------------- the dashboards' section


@pytest.mark.parametrize(
    ("dashboard", "code"),
    [("reports:province-dashboard", "62"), ("reports:district-dashboard", "610")],
)
def test_dashboards_hold_the_forecast_fragment_and_a_plain_link(kon_tum, office_client, dashboard, code):
    response = office_client.get(reverse(dashboard, args=[code]) + f"?month={MONTH}")

    assert response.status_code == 200
    text = response.text
    page = forecast_url(code)
    fragment = f"{page}&fragment=1"
    assert f'data-forecast-src="{html.escape(fragment)}"' in text
    assert f'<a href="{page}">' in text  # without JavaScript, the page itself
    # Both lead to the forecast: the fragment alone, the page with its layout.
    loaded = office_client.get(fragment)
    assert loaded.status_code == 200
    assert loaded.text.strip().startswith('<div class="forecast-body" data-forecast>')
    assert "<html" in office_client.get(page).text


# ---------------------------------------------------------------- who may open it


@pytest.mark.parametrize(
    ("role", "url", "expected"),
    [
        ("office", "/dashboard/62/forecast/?month=2024-06", 200),
        ("office", "/dashboard/62/forecast/?month=2024-06&fragment=1", 200),
        ("office", "/dashboard/62/forecast/", 200),  # the latest month with approved figures
        ("office", "/dashboard/610/forecast/?month=2024-06", 200),
        ("office", "/dashboard/64/forecast/?month=2024-06", 404),
        ("office", "/dashboard/625/forecast/?month=2024-06", 404),
        ("office", "/dashboard/23353/forecast/?month=2024-06", 404),  # a commune has its scorecard
        ("office", "/dashboard/62/forecast/?month=2024-13", 404),
        ("office", "/dashboard/62/forecast/?month=June", 404),
        ("office", "/dashboard/62/forecast/?month=2024-13&fragment=1", 404),
        ("other_office", "/dashboard/62/forecast/?month=2024-06", 404),
        ("other_office", "/dashboard/62/forecast/?month=2024-06&fragment=1", 404),
        ("other_office", "/dashboard/610/forecast/?month=2024-06&fragment=1", 404),
        ("district", "/dashboard/610/forecast/?month=2024-06", 200),
        ("district", "/dashboard/611/forecast/?month=2024-06&fragment=1", 404),
        ("district", "/dashboard/62/forecast/?month=2024-06", 404),
        ("nobody", "/dashboard/62/forecast/?month=2024-06", 404),
        ("admin", "/dashboard/64/forecast/?month=2024-06", 200),
    ],
)
def test_forecast_answers_404_out_of_scope(kon_tum, client_for, role, url, expected):
    users = {
        "office": lambda: MembershipFactory(unit=kon_tum.province, role=Role.OFFICE).user,
        "other_office": lambda: MembershipFactory(unit=kon_tum.other_province, role=Role.OFFICE).user,
        "district": lambda: MembershipFactory(unit=kon_tum.dak_glei, role=Role.DISTRICT).user,
        "nobody": lambda: UserFactory(),
        "admin": lambda: UserFactory(is_superuser=True, is_staff=True),
    }
    assert client_for(users[role]()).get(url).status_code == expected


@pytest.mark.parametrize("query", [f"?month={MONTH}", f"?month={MONTH}&fragment=1"])
def test_forecast_requires_login(kon_tum, client, query):
    response = client.get(forecast_url("62", query))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# ---------------------------------------------------------------- the cache


def test_forecast_is_cached_until_the_data_version_moves(kon_tum, office_client):
    assert "dự báo: 2-3 / 3 xã" in office_client.get(forecast_url("62")).text
    # Đắk Môn's January to May rewritten behind the portal's back (no signal): 45 to 49, then 50 in June.
    for k, month in enumerate(FIRST_HALF[:5]):
        Value.objects.filter(
            report__unit=kon_tum.dak_mon, report__period=month, measure__code="income_per_capita"
        ).update(number=45 + k)
    assert "dự báo: 2-3 / 3 xã" in office_client.get(forecast_url("62")).text  # the same data version

    bump_data_version()

    # Đắk Môn now reaches the standard in 10/2024 too.
    text = office_client.get(forecast_url("62")).text
    assert "dự báo: 3-4 / 3 xã (kế hoạch 2024)" in text
    fragment = office_client.get(forecast_url("62", f"?month={MONTH}&fragment=1")).text
    assert "dự báo: 3-4 / 3 xã (kế hoạch 2024)" in fragment


def test_an_approved_report_shows_in_the_next_forecast(kon_tum, office_client, office_user, district_user):
    # Đắk Môn with May (49) and June (50) only: two approved months are no trend.
    Report.objects.filter(unit=kon_tum.dak_mon, period__lt=dt.date(2024, 5, 1)).delete()
    Value.objects.filter(report__unit=kon_tum.dak_mon, report__period=dt.date(2024, 5, 1)).filter(
        measure__code="income_per_capita"
    ).update(number=49)
    assert "dự báo: 2-3 / 3 xã (kế hoạch 2024)" in office_client.get(forecast_url("62")).text

    april = save_values(
        unit=kon_tum.dak_mon,
        period=dt.date(2024, 4, 1),
        raw={"income_per_capita": "48", "poverty_rate": "4", "plan_approved": True},
        by=district_user,
    )
    approve_report(report=submit_report(report=april, by=district_user), by=office_user)
    assert Report.objects.get(pk=april.pk).status == ReportStatus.APPROVED

    # 48, 49, 50: one more a month, 54 in 10/2024.
    assert "dự báo: 3-4 / 3 xã (kế hoạch 2024)" in office_client.get(forecast_url("62")).text


# ---------------------------------------------------------------- a forecast is never a result


def test_dashboards_count_the_statuses_not_the_forecast(kon_tum, office_client):
    # June's results, the only ones the fixture computed (the dashboards' trend computes the earlier months).
    statuses = list(Status.objects.order_by("pk").values_list("unit_id", "period", "tier", "criteria_met"))
    at_standard = Status.objects.filter(
        period=JUNE, tier="standard", unit__path__startswith=kon_tum.province.path
    ).count()
    assert at_standard == 1  # Đã Đạt alone; the forecast has 2 to 3 by December

    forecast = office_client.get(forecast_url("62"))
    assert forecast.context["forecast"].targets[0].central == 3
    # Opening the forecast wrote no result.
    assert list(Status.objects.order_by("pk").values_list("unit_id", "period", "tier", "criteria_met")) == statuses
    response = office_client.get(reverse("reports:province-dashboard", args=["62"]) + f"?month={MONTH}")

    standard = response.context["summary"].tiers[0]
    assert (standard.tier, standard.computed, standard.out_of) == ("standard", at_standard, 4)
    assert "theo số liệu 1 xã đạt" in response.text
    assert "dự báo: " not in response.text  # the forecast stays in its own labelled section
    district = office_client.get(reverse("reports:district-dashboard", args=["610"]) + f"?month={MONTH}")
    assert "dự báo: " not in district.text
    # The month's results are the ones stored before the forecast was opened.
    june = Status.objects.filter(period=JUNE).order_by("pk").values_list("unit_id", "period", "tier", "criteria_met")
    assert list(june) == statuses
