"""The national coordination office's country dashboard (/dashboard/country/): who may open it, what it counts for
each province (communes recognised by a decision in force at the month's end, and reaching a tier by the approved
figures), the province's target for the year and the programme's national targets, and how many queries it runs.

Kon Tum (Tây Nguyên) and Gia Lai in May 2024, with the sample standard set (tests/criteria/samples.py): income at
least 54, poverty at most 6.5 %, the general plan approved. Kon Tum's rural communes are Đắk Pék and Đắk Môn
(Huyện Đắk Glei) and Đắk Xú (Huyện Ngọc Hồi); the two thị trấn are not judged as xã. Gia Lai has Xã Đông.
"""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Membership, Role
from communes.permissions import is_national
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly.models import Report, ReportStatus
from monthly.services import approve_report, save_values, submit_report
from records.models import NationalTarget, RecognisedTier, Recognition, Target, TargetKind
from reports.country import ProvinceLine, _national_targets, country_context
from reports.models import Status
from reports.services import recompute_statuses, tracked_units
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory, UserFactory, reform_kon_tum
from tests.reports.test_status import ADVANCED

pytestmark = pytest.mark.django_db

APRIL, MAY = dt.date(2024, 4, 1), dt.date(2024, 5, 1)
MONTH = "2024-05"
GOOD = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}
WEAK = {"income_per_capita": "40", "poverty_rate": "8", "plan_approved": True}  # fails income (key) and poverty
COUNTRY = "/dashboard/country/"
UNIT_MESSAGE = "Đơn vị: bỏ trống khi và chỉ khi vai trò là VP Điều phối NTM Trung ương."


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    """10 June 2024, noon in Vietnam: the latest month that can have results is June 2024."""
    moment = timezone.make_aware(dt.datetime(2024, 6, 10, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def national_user(db):
    return MembershipFactory(unit=None, role=Role.NATIONAL).user


@pytest.fixture
def national_client(national_user, client_for):
    return client_for(national_user)


def _recognise(unit, programme, number, decided, *, revoked=None, tier=RecognisedTier.STANDARD):
    return Recognition.objects.create(
        unit=unit,
        tier=tier,
        programme=programme,
        decision_number=number,
        decision_date=decided,
        issuer="UBND tỉnh",
        revoked_decision_number=f"thu hồi {number}" if revoked else "",
        revoked_date=revoked,
    )


@pytest.fixture
def country(tree, office_user, district_user):
    """May 2024. Kon Tum: Đắk Pék's approved figures meet the standard, Đắk Môn's fail it, Đắk Xú sent nothing;
    Đắk Môn is recognised (in force), Đắk Xú was recognised but revoked on 20 May (before the month's end), Đắk Pék
    recognised only in June (after it). Gia Lai: Xã Đông recognised, revoked only in August (still in force)."""
    import_criteria_text(STANDARD)
    programme = Programme.objects.get(code="2021-2025")
    for commune, raw in ((tree.dak_pek, GOOD), (tree.dak_mon, WEAK)):
        report = submit_report(
            report=save_values(unit=commune, period=MAY, raw=raw, by=district_user), by=district_user
        )
        approve_report(report=report, by=office_user)
    for period in (APRIL, MAY):
        recompute_statuses(period=period, units=tracked_units(), programme=programme)
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    _recognise(tree.dak_mon, programme, "1234/QĐ-UBND", dt.date(2023, 12, 20))
    _recognise(dak_xu, programme, "567/QĐ-UBND", dt.date(2022, 11, 2), revoked=dt.date(2024, 5, 20))
    _recognise(tree.dak_pek, programme, "890/QĐ-UBND", dt.date(2024, 6, 15))
    _recognise(tree.other_commune, programme, "77/QĐ-UBND", dt.date(2023, 3, 1), revoked=dt.date(2024, 8, 1))
    return tree


def _lines(response) -> dict[str, ProvinceLine]:
    return {line.unit.code: line for line in response.context["lines"]}


# ---------------------------------------------------------------- what it counts


def test_national_user_sees_every_province_with_recognised_and_computed_counts(country, national_client):
    response = national_client.get(COUNTRY, {"month": MONTH})
    assert response.status_code == 200
    assert response.context["period"] == MAY
    assert response.context["programme"].code == "2021-2025"
    # The programme's national commune sets make the columns: here the sample's standard set alone.
    assert response.context["tiers"] == [("standard", "Đạt chuẩn NTM")]
    # Every province in force, in Vietnamese order (Gia Lai before Kon Tum).
    assert [line.unit.name for line in response.context["lines"]] == ["Tỉnh Gia Lai", "Tỉnh Kon Tum"]
    lines = _lines(response)
    kon_tum, gia_lai = lines["62"], lines["64"]
    # Three rural communes in Kon Tum (the thị trấn are not judged); Xã Đông in Gia Lai.
    assert (kon_tum.judged, gia_lai.judged) == (3, 1)
    # Recognised at the month's end: Đắk Môn only (Đắk Xú's was revoked on 20 May, Đắk Pék's came in June).
    assert kon_tum.recognised == {"standard": 1}
    # By the figures: Đắk Pék alone reaches the standard, of the communes with a result.
    assert kon_tum.computed == {"standard": 1}
    assert kon_tum.with_status == 2  # Đắk Xú sent nothing: no result
    # Gia Lai: Xã Đông's decision was revoked only in August, so it stood in May; no figures, no computed tier.
    assert gia_lai.recognised == {"standard": 1}
    assert gia_lai.computed == {}
    # Kon Tum's cells: per tier, recognised (count, share of the judged) then computed (count, share of results).
    recognised, recognised_share, computed, computed_share = kon_tum.cells[0]
    assert (recognised, str(recognised_share), computed, str(computed_share)) == (1, "33.3", 1, "50.0")
    total = response.context["total"]
    assert (total.judged, total.recognised["standard"], total.computed["standard"]) == (4, 2, 1)
    text = response.text
    assert "Tổng quan nông thôn mới cả nước" in text
    assert "2 tỉnh, thành phố" in text
    assert f'href="{reverse("reports:province-dashboard", args=["62"])}?month=2024-05">Tỉnh Kon Tum</a>' in text
    # Kon Tum's one recognised commune of three, and one reaching the standard of the two with a result.
    assert "(33,3%)" in text
    assert "(50,0%)" in text


def test_a_commune_above_the_standard_counts_at_every_tier_below_it(country, national_client):
    import_criteria_text(ADVANCED)  # the advanced set above the sample's standard one: a second column
    Status.objects.filter(unit=country.dak_pek, period=MAY).update(tier="advanced")
    programme = Programme.objects.get(code="2021-2025")
    # Đắk Môn's best decision in force is the advanced one: counted once at standard and once at advanced.
    _recognise(country.dak_mon, programme, "10/QĐ-UBND", dt.date(2024, 1, 1), tier=RecognisedTier.ADVANCED)
    response = national_client.get(COUNTRY, {"month": MONTH})
    kon_tum = _lines(response)["62"]
    assert kon_tum.computed == {"standard": 1, "advanced": 1}
    assert kon_tum.recognised == {"standard": 1, "advanced": 1}
    assert [code for code, _label in response.context["tiers"]] == ["standard", "advanced"]
    assert [(cell[0], cell[2]) for cell in kon_tum.cells] == [(1, 1), (1, 1)]


@pytest.mark.parametrize("which", ["town", "merged away"])
def test_only_the_judged_communes_decisions_count(country, national_client, which):
    """A decision on a unit that is not among the month's judged communes is not one of the province's communes at
    a tier: `recognised` is a share of `judged` (the page's help: "tỷ lệ trên số xã được đánh giá"). The province
    dashboard leaves the thị trấn out too (reports.scope.ScopeRows.rural)."""
    programme = Programme.objects.get(code="2021-2025")
    if which == "town":
        unit = country.dak_glei_town  # a thị trấn: the criteria judge xã only
    else:
        unit = AdministrativeUnit.objects.create(
            code="23390", level=Level.COMMUNE, kind=Kind.XA, name="Xã Đã Nhập", short_name="Đã Nhập",
            parent=country.ngoc_hoi, valid_to=dt.date(2024, 1, 1),
        )  # fmt: skip
    _recognise(unit, programme, "9/QĐ-UBND", dt.date(2022, 1, 1))
    kon_tum = _lines(national_client.get(COUNTRY, {"month": MONTH}))["62"]
    assert kon_tum.judged == 3
    assert kon_tum.recognised == {"standard": 1}  # Đắk Môn alone


def test_without_a_month_the_latest_month_with_statuses(country, national_client):
    # A month after today's (10 June 2024) is not "the latest": it has not happened yet.
    programme = Programme.objects.get(code="2021-2025")
    Status.objects.create(
        unit=country.dak_pek, period=dt.date(2024, 9, 1), programme=programme, tier="standard", sets={}
    )
    response = national_client.get(COUNTRY)
    assert response.status_code == 200
    assert response.context["period"] == MAY
    assert response.context["months"] == {"current": "2024-05", "previous": "2024-04", "next": "2024-06"}
    assert 'href="?month=2024-04"' in response.text


def test_without_any_status_the_current_month(tree, national_client):
    response = national_client.get(COUNTRY)
    assert response.status_code == 200
    assert response.context["period"] == dt.date(2024, 6, 1)
    assert all(line.with_status == 0 for line in response.context["lines"])


@pytest.mark.parametrize("month", ["bad", "2024-13", "2024-5x", "24-05"])
def test_a_malformed_month_is_404(tree, national_client, month):
    assert national_client.get(COUNTRY, {"month": month}).status_code == 404


def test_an_earlier_month_counts_as_things_stood_then(country, national_client):
    # April: statuses computed before any figures were approved; Đắk Xú's decision still stood then.
    response = national_client.get(COUNTRY, {"month": "2024-04"})
    kon_tum = _lines(response)["62"]
    assert (kon_tum.with_status, kon_tum.computed) == (0, {})
    assert kon_tum.recognised == {"standard": 2}
    assert kon_tum.cells == [(2, Decimal("66.7"), 0, None)]  # no result: no share, rather than 0 %


# ---------------------------------------------------------------- who may open it


def test_anonymous_is_sent_to_login(client, tree):
    response = client.get(COUNTRY)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("role", "where"),
    [(Role.OFFICE, "province"), (Role.DISTRICT, "dak_glei"), (Role.VIEWER, "province"), (Role.COMMUNE, "dak_pek")],
)
def test_everyone_but_the_national_office_gets_404(tree, client_for, role, where):
    user = MembershipFactory(unit=getattr(tree, where), role=role).user
    assert not is_national(user)
    response = client_for(user).get(COUNTRY)
    assert response.status_code == 404
    assert "Tổng quan nông thôn mới cả nước" not in response.text


def test_a_user_without_any_membership_gets_404(tree, client_for):
    assert client_for(UserFactory()).get(COUNTRY).status_code == 404


def test_an_administrator_may_open_it(tree, admin_client):
    response = admin_client.get(COUNTRY, {"month": MONTH})
    assert response.status_code == 200
    assert {line.unit.code for line in response.context["lines"]} == {"62", "64"}


def test_home_and_overview_send_the_national_office_to_the_country(tree, national_client):
    assert national_client.get("/")["Location"] == reverse("reports:country-dashboard")
    assert national_client.get(reverse("reports:my-dashboard"))["Location"] == reverse("reports:country-dashboard")
    assert reverse("reports:country-dashboard") == COUNTRY


def test_a_national_member_also_working_for_a_province_still_lands_on_the_country(tree, national_user, client_for):
    MembershipFactory(user=national_user, unit=tree.province, role=Role.VIEWER)
    client = client_for(national_user)
    assert client.get("/")["Location"] == COUNTRY
    assert client.get(reverse("reports:my-dashboard"))["Location"] == COUNTRY


def test_the_national_office_reads_every_province_but_does_not_review(country, national_client, district_user):
    # Read: any province's dashboard, a district page, a commune's scorecard, in any province.
    assert national_client.get(reverse("reports:province-dashboard", args=["62"]), {"month": MONTH}).status_code == 200
    assert national_client.get(reverse("reports:province-dashboard", args=["64"]), {"month": MONTH}).status_code == 200
    assert national_client.get(reverse("reports:district-dashboard", args=["610"])).status_code == 200
    scorecard = national_client.get(reverse("reports:scorecard", args=["23353"]), {"month": MONTH})
    assert scorecard.status_code == 200
    assert national_client.get(reverse("reports:scorecard", args=["23617"])).status_code == 200
    # The report page opens (read), without the office's buttons.
    page = national_client.get(reverse("monthly:report", args=["23380", "2024-06"]))
    assert page.status_code == 200
    assert page.context["can_review"] is False

    # Not review: the unit is in scope (so not 404), the role is not allowed: 403, and the report stays submitted.
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    report = save_values(unit=dak_xu, period=dt.date(2024, 6, 1), raw=GOOD, by=district_user)
    submit_report(report=report, by=district_user)
    approve = national_client.post(reverse("monthly:approve", args=["23380", "2024-06"]))
    assert approve.status_code == 403
    assert "Chỉ Văn phòng điều phối mới được duyệt báo cáo." in approve.text
    returned = national_client.post(reverse("monthly:return", args=["23380", "2024-06"]), {"reason": "Thiếu số liệu"})
    assert returned.status_code == 403
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    # Not enter figures either.
    entry = national_client.post(reverse("monthly:report", args=["23380", "2024-06"]), {"income_per_capita": "1"})
    assert entry.status_code == 403
    # And the review desk is the coordination offices'.
    assert national_client.get(reverse("monthly:review", args=["2024-06"])).status_code == 403


# ---------------------------------------------------------------- the membership without a unit


def test_a_national_membership_with_a_unit_is_rejected(tree):
    membership = Membership(user=UserFactory(), unit=tree.province, role=Role.NATIONAL)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert UNIT_MESSAGE in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.DISTRICT, Role.COMMUNE, Role.DEPARTMENT, Role.VIEWER])
def test_another_role_without_a_unit_is_rejected(db, role):
    membership = Membership(user=UserFactory(), unit=None, role=role)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert UNIT_MESSAGE in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_a_national_membership_without_a_unit_is_valid(db):
    membership = Membership(user=UserFactory(), unit=None, role=Role.NATIONAL)
    membership.full_clean()
    membership.save()
    assert is_national(membership.user)
    assert "cả nước" in str(membership)


# ---------------------------------------------------------------- targets


def test_a_province_target_for_the_year_shows_recognised_against_wanted(country, national_client):
    Target.objects.create(
        unit=country.province, year=2024, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=2
    )
    # Another year's target and a district's target are not the province's for 2024.
    Target.objects.create(
        unit=country.province, year=2025, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=3
    )
    Target.objects.create(
        unit=country.dak_glei, year=2024, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=5
    )
    Target.objects.create(
        unit=country.other_province,
        year=2024,
        kind=TargetKind.SHARE_AT_TIER,
        level=Level.COMMUNE,
        tier="standard",
        value=50,
    )
    response = national_client.get(COUNTRY, {"month": MONTH})
    lines = _lines(response)
    [kon_tum] = lines["62"].targets
    assert (kon_tum.tier, kon_tum.wanted, kon_tum.recognised, kon_tum.computed) == ("standard", 2, 1, 1)
    assert not kon_tum.reached
    # Gia Lai: half of its one judged commune, rounded up: one; Xã Đông's decision reaches it.
    [gia_lai] = lines["64"].targets
    assert (gia_lai.wanted, gia_lai.wanted_text, gia_lai.recognised, gia_lai.reached) == (1, "50% (1)", 1, True)
    text = response.text
    assert "Chỉ tiêu 2024 của tỉnh: công nhận / chỉ tiêu" in text
    assert '<div class="outcome-failed">Đạt chuẩn NTM: 1 / 2</div>' in text
    assert '<div class="outcome-met">Đạt chuẩn NTM: 1 / 50% (1)</div>' in text
    # The 2021-2025 programme has no national targets: no such panel.
    assert response.context["national_targets"] == []
    assert "Mục tiêu cả nước" not in text


def _national_targets_of_the_migration():
    """records 0004's rows: a transactional test (the browser tests) flushes the tables, data migrations' rows too."""
    importlib.import_module("records.migrations.0004_national_targets").add_targets(django_apps, None)


@pytest.fixture
def new_era(tree):
    """March 2026, judged by the 2026-2030 programme: the merged Quảng Ngãi (51) with Xã Đăk Pék (standard by its
    figures, recognised) and Xã Đắk Xú (no tier), beside the merged Gia Lai (52) and a commune without a result;
    Kon Tum and the old Gia Lai ended with June 2025."""
    for name in (
        "2021-2025/commune-standard.yaml",
        "2026-2030/commune-standard.yaml",
        "2026-2030/commune-modern.yaml",
    ):
        import_criteria_text((settings.BASE_DIR / "fixtures" / "criteria" / name).read_bytes())
    _national_targets_of_the_migration()
    reform = reform_kon_tum(tree)
    dak_xu = AdministrativeUnit.objects.create(
        code="23380", level=Level.COMMUNE, kind=Kind.XA, name="Xã Đắk Xú", short_name="Đắk Xú",
        parent=reform.quang_ngai, valid_from=REFORM_DATE,
    )  # fmt: skip
    gia_lai = AdministrativeUnit.objects.create(
        code="52", level=Level.PROVINCE, kind=Kind.TINH, name="Tỉnh Gia Lai", short_name="Gia Lai",
        valid_from=REFORM_DATE,
    )  # fmt: skip
    AdministrativeUnit.objects.create(
        code="21550", level=Level.COMMUNE, kind=Kind.XA, name="Xã Thử Mới", short_name="Thử Mới",
        parent=gia_lai, valid_from=REFORM_DATE,
    )  # fmt: skip
    new = Programme.objects.get(code="2026-2030")
    for unit, tier in ((reform.dak_pek, "standard"), (dak_xu, "")):
        Status.objects.create(
            unit=unit, period=dt.date(2026, 3, 1), programme=new, tier=tier, criteria_met=6, criteria_total=10, sets={}
        )
    _recognise(reform.dak_pek, new, "45/QĐ-UBND", dt.date(2026, 3, 20))
    return reform


def test_the_2026_2030_national_targets_appear_with_the_approximate_note(new_era, national_client):
    response = national_client.get(COUNTRY, {"month": "2026-03"})
    assert response.status_code == 200
    assert response.context["programme"].code == "2026-2030"
    assert [code for code, _label in response.context["tiers"]] == ["standard", "modern"]
    # Kon Tum and the old Gia Lai (64) ended with June 2025: the merged provinces are in force, Gia Lai first.
    assert [line.unit.code for line in response.context["lines"]] == ["52", "51"]
    assert [(line.judged, line.with_status) for line in response.context["lines"]] == [(1, 0), (2, 2)]
    total = response.context["total"]
    assert (total.judged, total.with_status) == (3, 2)
    assert total.recognised == total.computed == {"standard": 1, "modern": 0}
    # Up the ladder: đạt chuẩn before hiện đại (not the codes' alphabet, where "modern" comes first).
    assert [target.tier for target, _line in response.context["national_targets"]] == ["standard", "modern"]
    targets = {target.tier: (target, line) for target, line in response.context["national_targets"]}
    assert set(targets) == {"standard", "modern"}
    standard, standard_line = targets["standard"]
    assert (standard.year, standard.share, standard.approximate) == (2030, 65, True)
    # 65 % of the country's three judged communes, rounded up: two; 10 %: one.
    assert (standard_line.wanted, standard_line.wanted_text, standard_line.recognised) == (2, "~65% (2)", 1)
    assert (targets["modern"][1].wanted, targets["modern"][1].wanted_text) == (1, "~10% (1)")
    text = response.text
    assert "Mục tiêu cả nước" in text
    assert "Đạt chuẩn NTM đến 2030: ~65% (2) số xã" in text
    assert "NTM hiện đại đến 2030: ~10% (1) số xã" in text
    assert "được công nhận 1/3 xã" in text
    assert "theo số liệu 1/2 xã có kết quả" in text
    assert "Quyết định 417/QĐ-BNNMT" in text
    assert "văn bản ghi “khoảng”: mức phấn đấu, không phải mức tối thiểu" in text


def test_national_targets_are_the_programmes_shares_of_the_countrys_communes(db):
    _national_targets_of_the_migration()
    import_criteria_text((settings.BASE_DIR / "fixtures/criteria/2026-2030/commune-standard.yaml").read_bytes())
    new = Programme.objects.get(code="2026-2030")
    NationalTarget.objects.create(programme_code="2021-2025", year=2025, tier="standard", share=80, source="x")
    total = ProvinceLine(unit=None, tiers=("standard", "modern"))
    total.judged, total.with_status = 200, 150
    total.recognised = {"standard": 120, "modern": 5}
    total.computed = {"standard": 100, "modern": 25}
    lines = {target.tier: line for target, line in _national_targets(new, total)}
    assert set(lines) == {"standard", "modern"}  # not the other programme's
    standard, modern = lines["standard"], lines["modern"]
    assert (standard.wanted, standard.wanted_text, standard.recognised, standard.computed) == (
        130,
        "~65% (130)",
        120,
        100,
    )
    assert not standard.reached
    assert (modern.wanted, modern.wanted_text, modern.recognised, modern.reached) == (20, "~10% (20)", 5, False)
    assert _national_targets(None, total) == []


def test_the_context_alone_for_a_month(country):
    context = country_context(MAY)
    assert [line.unit.code for line in context["lines"]] == ["64", "62"]
    assert context["year"] == 2024
    assert context["national_targets"] == []


# ---------------------------------------------------------------- queries, pinned


def _grow_country(tree, provinces: int, communes: int) -> None:
    """`provinces` more provinces of `communes` rural communes each (under one district), with May's statuses,
    recognitions (one in three, one in five of those revoked before May's end) and a target for 2024: made in bulk.
    """
    import_criteria_text(STANDARD)
    programme = Programme.objects.get(code="2021-2025")
    new_provinces = []
    for p in range(provinces):
        province = AdministrativeUnit(
            code=f"{p + 100}", name=f"Tỉnh Thử {p:03d}", short_name=f"Thử {p:03d}", level=Level.PROVINCE, kind=Kind.TINH
        )
        province.refresh_derived_fields()
        new_provinces.append(province)
    AdministrativeUnit.objects.bulk_create(new_provinces)
    districts = []
    for province in AdministrativeUnit.objects.filter(level=Level.PROVINCE, code__in=[u.code for u in new_provinces]):
        district = AdministrativeUnit(
            code=f"{province.code}0",
            name=f"Huyện Thử {province.code}",
            short_name=f"Thử {province.code}",
            level=Level.DISTRICT,
            kind=Kind.HUYEN,
            parent=province,
        )
        district.refresh_derived_fields()
        districts.append(district)
    AdministrativeUnit.objects.bulk_create(districts)
    rows = []
    for district in AdministrativeUnit.objects.filter(level=Level.DISTRICT, code__in=[u.code for u in districts]):
        for c in range(communes):
            commune = AdministrativeUnit(
                code=f"{district.code}{c:03d}",
                name=f"Xã Thử {district.code} {c}",
                short_name=f"Thử {district.code} {c}",
                level=Level.COMMUNE,
                kind=Kind.XA,
                parent=district,
            )
            commune.refresh_derived_fields()
            rows.append(commune)
    AdministrativeUnit.objects.bulk_create(rows, batch_size=500)
    statuses = [
        Status(unit=unit, period=MAY, programme=programme, tier="standard", sets={})
        for unit in (tree.dak_pek, tree.other_commune)
    ]
    recognitions = []
    made = AdministrativeUnit.objects.filter(level=Level.COMMUNE, parent__in=AdministrativeUnit.objects.filter(
        code__in=[u.code for u in districts], level=Level.DISTRICT))  # fmt: skip
    for i, commune in enumerate(made):
        statuses.append(
            Status(
                unit=commune,
                period=MAY,
                programme=programme,
                tier=("", "standard", "advanced")[i % 3],
                criteria_met=i % 4,
                criteria_total=3,
                sets={},
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
                    revoked_date=dt.date(2024, 5, 2) if i % 5 == 0 else None,
                    issuer="UBND tỉnh",
                )
            )
    Status.objects.bulk_create(statuses, batch_size=1000)
    Recognition.objects.bulk_create(recognitions, batch_size=1000)
    Target.objects.bulk_create(
        Target(unit=province, year=2024, kind=TargetKind.UNITS_AT_TIER, level=Level.COMMUNE, tier="standard", value=3)
        for province in AdministrativeUnit.objects.filter(level=Level.PROVINCE)
    )


@pytest.mark.parametrize(("provinces", "communes"), [(0, 0), (40, 25)])
def test_the_country_dashboard_runs_a_fixed_number_of_queries(
    tree, national_client, provinces, communes, django_assert_num_queries
):
    _grow_country(tree, provinces, communes)
    national_client.get(COUNTRY, {"month": MONTH})  # warm the per-process caches (content types) out of the count
    # session, user, the user's memberships (read once per request, for is_national and the header alike); then
    # the nine of the context (reports.country): the programme judging the month, its commune tiers, the provinces
    # in force, the kinds its sets judge and the judged communes, the month's statuses, the recognitions in force,
    # the provinces' targets (+ unit), the national targets.
    with django_assert_num_queries(12):
        response = national_client.get(COUNTRY, {"month": MONTH})
    assert len(response.context["lines"]) == 2 + provinces
    assert response.context["total"].judged == 4 + provinces * communes
    # Without ?month: one more, the latest month with statuses.
    with django_assert_num_queries(13):
        assert national_client.get(COUNTRY).context["period"] == MAY
