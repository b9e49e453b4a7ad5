"""/api/v1/forecasts/?unit=&target=: the forecast of a province's or district's targets, read-only, for other
agencies. The same service as the dashboards' forecast (reports.forecast_views.scope_forecast), always labelled a
forecast; the unit resolved in the caller's scope (404 outside it, or when not a province or district).

The sample standard set (tests/criteria/samples.py): in Tây Nguyên (Kon Tum) in 2024 income must be at least 54,
poverty at most 6.5 %, and the general plan approved.
"""

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from communes.models import REFORM_DATE, AdministrativeUnit, Level, Role
from criteria.models import Programme
from records.models import RecognisedTier, Target, TargetKind
from reports.forecast import method_text
from reports.services import recompute_statuses, tracked_units
from tests.factories import MembershipFactory, UnitFactory, reform_kon_tum
from tests.reports.test_forecast import JUNE, MONTHS_2024, approve, figures

pytestmark = pytest.mark.django_db

URL = "/api/v1/forecasts/"
FIRST_HALF = MONTHS_2024[:6]  # January to June 2024: June is the forecast month


@pytest.fixture
def sample(db):
    from criteria.models import Measure
    from criteria.yaml_io import import_criteria_text
    from tests.criteria.samples import STANDARD

    import_criteria_text(STANDARD)
    return {m.code: m for m in Measure.objects.all()}


@pytest.fixture
def office(tree):
    return MembershipFactory(unit=tree.province, role=Role.OFFICE).user


@pytest.fixture
def district_official(tree):
    return MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user


@pytest.fixture
def kon_tum(tree, sample):
    """Kon Tum's judged communes in June 2024 (the towns are not judged):

    - Đắk Pék: income 45 in January, +1 a month, 54 in October 2024 (every pair of months has the same slope: no range);
    - Đắk Môn: income flat at 50, never;
    - Xã Sẵn Sàng: income 60, standard now;
    - Xã Dao Động: income rising unevenly: 54 in 10/2024 fast, 07/2025 at the median pace and slow (deciding 2024);
    - Xã Chậm: income +0.5 a month from 45.5, 54 in June 2025 (next in line for 2024);
    - Đắk Xú: never reported (judged, no result).

    Targets: a plan of 3 communes by 2024 and one of 5 by 2025."""
    approve(tree.dak_pek, {m: figures(45 + k) for k, m in enumerate(FIRST_HALF)}, sample)
    approve(tree.dak_mon, {m: figures(50) for m in FIRST_HALF}, sample)
    ready = UnitFactory(name="Xã Sẵn Sàng", parent=tree.dak_glei)
    approve(ready, {m: figures(60) for m in FIRST_HALF}, sample)
    uneven = UnitFactory(name="Xã Dao Động", parent=tree.ngoc_hoi)
    approve(uneven, {m: figures(v) for m, v in zip(FIRST_HALF, [44, 47, 45, 48, 46, 49], strict=True)}, sample)
    slow = UnitFactory(name="Xã Chậm", parent=tree.ngoc_hoi)
    approve(slow, {m: figures(45.5 + k / 2) for k, m in enumerate(FIRST_HALF)}, sample)
    for year, value in ((2024, 3), (2025, 5)):
        Target.objects.create(
            unit=tree.province,
            year=year,
            kind=TargetKind.UNITS_AT_TIER,
            tier=RecognisedTier.STANDARD,
            value=value,
            source=f"Kế hoạch {year}/KH-UBND",
        )
    recompute_statuses(period=JUNE, units=tracked_units())
    return {"ready": ready, "uneven": uneven, "slow": slow}


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _fresh(user):
    """The user as a new request loads it: scope is read once per user object, so a reused one hides that query."""
    return type(user).objects.get(pk=user.pk)


def _ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def _assert_error(response, status: int) -> dict:
    """The one error shape of api.exceptions."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


# ---------------------------------------------------------------- the answer


def test_a_province_forecast_has_its_targets_counts_and_communes(tree, kon_tum, office):
    body = _ok(_client(office).get(URL, {"unit": "62", "month": "2024-06"}))

    assert body["unit"] == {"code": "62", "name": "Tỉnh Kon Tum", "level": "province"}
    horizon = Programme.objects.get(code="2021-2025").last_month  # the last month its sets judge
    assert (body["month"], body["is_forecast"], body["programme"], body["horizon"]) == (
        "2024-06",
        True,
        "2021-2025",
        f"{horizon:%Y-%m}",
    )
    assert body["method"] == method_text(horizon)
    assert [t["key"] for t in body["targets"]] == ["2024-standard", "2025-standard"]
    by_2024 = body["targets"][0]
    deciding = {"code": kon_tum["uneven"].code, "name": "Xã Dao Động"}
    assert {k: by_2024[k] for k in by_2024 if k not in ("deciding", "next_in_line")} == {
        "key": "2024-standard",
        "tier": "standard",
        "year": 2024,
        "kind": "plan",
        "label": "kế hoạch 2024",
        "source": "Kế hoạch 2024/KH-UBND",
        "target": 3,
        "met_now": 1,  # Xã Sẵn Sàng
        # Late: Sẵn Sàng and Đắk Pék (10/2024); early: Dao Động too; Chậm only in 06/2025, Đắk Môn never.
        "forecast": {"low": 2, "central": 2, "high": 3},
        "reaches_target": None,  # the deciding commune decides
        "text": "dự báo: 2-3 / 3 xã (kế hoạch 2024)",
        "out_of": 6,  # Đắk Xú counted, without a result
    }
    assert by_2024["deciding"] == [{**deciding, "month": "2025-07", "early": "2024-10", "late": "2025-07"}]
    assert by_2024["next_in_line"] == [
        {"code": kon_tum["slow"].code, "name": "Xã Chậm", "month": "2025-06", "early": "2025-06", "late": "2025-06"}
    ]
    # By 2025 the slow commune is in, and the uneven one in every case.
    by_2025 = body["targets"][1]
    assert (by_2025["target"], by_2025["forecast"], by_2025["reaches_target"]) == (
        5,
        {"low": 4, "central": 4, "high": 4},
        False,
    )
    assert by_2025["text"] == "dự báo: 4 / 5 xã (kế hoạch 2025)"
    assert (by_2025["deciding"], by_2025["next_in_line"]) == ([], [])


def test_the_month_defaults_to_the_latest_with_approved_figures(kon_tum, office):
    body = _ok(_client(office).get(URL, {"unit": "62"}))
    assert body["month"] == "2024-06"
    assert body["targets"][0]["text"] == "dự báo: 2-3 / 3 xã (kế hoạch 2024)"
    assert _ok(_client(office).get(URL, {"unit": "62", "month": ""}))["month"] == "2024-06"  # empty: not given


def test_a_district_official_reads_the_district_forecast(tree, kon_tum, district_official):
    Target.objects.create(
        unit=tree.dak_glei, year=2024, kind=TargetKind.UNITS_AT_TIER, tier=RecognisedTier.STANDARD, value=2
    )
    body = _ok(_client(district_official).get(URL, {"unit": "610", "month": "2024-06"}))
    assert body["unit"] == {"code": "610", "name": "Huyện Đắk Glei", "level": "district"}
    (target,) = body["targets"]  # the district's own plan; the province's are not the district's
    # Đắk Pék, Đắk Môn and Sẵn Sàng are Đắk Glei's judged communes.
    assert (target["text"], target["out_of"], target["met_now"]) == ("dự báo: 2 / 2 xã (kế hoạch 2024)", 3, 1)
    assert target["reaches_target"] is True


def test_a_month_no_programme_judges_has_no_targets(kon_tum, office):
    body = _ok(_client(office).get(URL, {"unit": "62", "month": "2019-05"}))
    assert (body["month"], body["programme"], body["targets"], body["is_forecast"]) == ("2019-05", None, [], True)


# ---------------------------------------------------------------- ?target=


@pytest.mark.parametrize(
    ("target", "expected"),
    [("2025-standard", ["2025-standard"]), ("2024-standard", ["2024-standard"]), ("2030-modern", [])],
)
def test_target_keeps_the_targets_of_one_year_and_tier(kon_tum, office, target, expected):
    body = _ok(_client(office).get(URL, {"unit": "62", "month": "2024-06", "target": target}))
    assert [t["key"] for t in body["targets"]] == expected
    assert body["is_forecast"] is True


@pytest.mark.parametrize(
    "target", ["2025", "2025-gold", "25-standard", "2025-Standard", "2025-standard-x", "2025_standard"]
)
def test_a_malformed_target_is_400_naming_it_and_its_form(kon_tum, office, target):
    body = _assert_error(_client(office).get(URL, {"unit": "62", "target": target}), 400)
    (message,) = body["errors"]["target"]
    assert "<năm>-<mức>" in message
    assert "2025-standard" in message


# ---------------------------------------------------------------- refused queries


@pytest.mark.parametrize("month", ["2024-13", "2024-6", "06-2024", "0000-01", "abc", "2024-06\x00"])
def test_a_malformed_month_is_400_with_the_endpoints_message(kon_tum, office, month):
    body = _assert_error(_client(office).get(URL, {"unit": "62", "month": month}), 400)
    assert "YYYY-MM" in body["errors"]["month"][0]


@pytest.mark.parametrize("query", [{}, {"unit": ""}, {"month": "2024-06"}])
def test_a_missing_unit_is_400_naming_it(tree, office, query):
    body = _assert_error(_client(office).get(URL, query), 400)
    assert "unit" in body["errors"]["unit"][0]


@pytest.mark.parametrize("unit", ["23\x00353", "6" * 13, "62-610", "Đắk"])
def test_a_malformed_unit_code_is_400_before_any_lookup(tree, office, unit, django_assert_num_queries):
    client = _client(_fresh(office))
    with django_assert_num_queries(0):
        body = _assert_error(client.get(URL, {"unit": unit}), 400)
    assert "unit" in body["errors"]["unit"][0]


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("office", "64"),  # another province
        ("office", "625"),  # a district of another province
        ("office", "00000"),  # unknown
        ("district_official", "62"),  # the province above the official's district
        ("district_official", "611"),  # another district of the province
    ],
)
def test_units_outside_scope_are_404(tree, office, district_official, who, unit):
    user = {"office": office, "district_official": district_official}[who]
    body = _assert_error(_client(user).get(URL, {"unit": unit}), 404)
    assert body["detail"] == f"Không có tỉnh hoặc huyện mã {unit} trong phạm vi của bạn."


def test_a_commune_code_is_404_as_a_wrong_level_is_everywhere(tree, office):
    # Like the forecast page and every unit_or_404(levels) lookup: a commune has no targets to forecast.
    body = _assert_error(_client(office).get(URL, {"unit": tree.dak_pek.code}), 404)
    assert "tỉnh hoặc huyện" in body["detail"]


def test_a_code_shared_with_a_village_names_the_district(tree, kon_tum, admin_user):
    UnitFactory(code="610", name="Thôn 610", level=Level.VILLAGE, parent=tree.dak_pek)
    assert _ok(_client(admin_user).get(URL, {"unit": "610"}))["unit"]["level"] == "district"


def test_a_code_reused_in_2025_resolves_on_the_month(tree, admin_user):
    reformed = reform_kon_tum(tree)
    # The old Quảng Ngãi had the code its merged successor kept.
    old = UnitFactory(code="51", name="Tỉnh Quảng Ngãi (trước 2025)", level=Level.PROVINCE, valid_to=REFORM_DATE)
    client = _client(admin_user)
    before = _ok(client.get(URL, {"unit": "51", "month": "2025-03"}))
    after = _ok(client.get(URL, {"unit": "51", "month": "2025-09"}))
    assert (before["unit"]["name"], after["unit"]["name"]) == (old.name, reformed.quang_ngai.name)
    assert AdministrativeUnit.objects.filter(code="51").count() == 2


# ---------------------------------------------------------------- who may read


def test_requests_without_credentials_are_401(tree):
    _assert_error(APIClient().get(URL, {"unit": "62"}), 401)


def test_a_read_only_token_reads_what_the_session_reads(kon_tum, office):
    token = ApiToken(user=office, name="Hệ thống của Sở", can_write=False)
    key = token.issue_key()
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = _ok(client.get(URL, {"unit": "62", "month": "2024-06"}))
    assert body == _ok(_client(office).get(URL, {"unit": "62", "month": "2024-06"}))
    # Read-only: the method itself is refused (api.auth.TokenAccess leaves it to the 405).
    _assert_error(client.post(URL, {"unit": "62"}, format="json"), 405)


def test_the_api_root_lists_the_forecasts(tree, office):
    assert _ok(_client(office).get("/api/v1/"))["forecasts"].endswith(URL)


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize("communes", [2, 6])
def test_the_forecast_runs_a_fixed_number_of_queries(tree, sample, office, communes, django_assert_num_queries):
    for n in range(communes):
        unit = UnitFactory(name=f"Xã Dự Báo {n}", parent=tree.dak_glei)
        approve(unit, {m: figures(45 + k + n, plan=n % 2 == 0) for k, m in enumerate(FIRST_HALF)}, sample)
    Target.objects.create(
        unit=tree.province, year=2024, kind=TargetKind.UNITS_AT_TIER, tier=RecognisedTier.STANDARD, value=3
    )
    recompute_statuses(period=JUNE, units=tracked_units())
    client = _client(_fresh(office))
    # memberships (scope), the unit; results present (reports.coverage: kinds judged, first approved months, results
    # and marks); the forecast's inputs (reports.forecast_data: programme, judged kinds, communes, criteria sets (4),
    # measures, statuses, history, targets, national targets)
    with django_assert_num_queries(17):
        body = _ok(client.get(URL, {"unit": "62", "month": "2024-06"}))
    assert body["targets"][0]["out_of"] == communes + 3  # and Đắk Pék, Đắk Môn, Đắk Xú (no figures)
