"""The demo's 2026 (demo.story_2026): the merged Quảng Ngãi's communes in groups, judged by the 2026-2030 criteria
from February 2026, with November's reports on the review desk and December being entered."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from communes.groups import CommuneGroupAssignment, groups_on
from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Lineage
from criteria.yaml_io import import_criteria_text
from demo.reform_story import load_reform_story
from demo.story_2026 import (
    DECEMBER,
    GROUP_DECISION,
    GROUPS_FROM,
    JUDGED_MONTHS,
    MOVE_DECISION,
    MOVED_FROM,
    NOVEMBER,
    load_story_2026,
)
from monthly.models import Report, ReportAction, ReportEvent, ReportStatus, Value
from monthly.services import approve_report, save_values, submit_report
from records.models import CommunePlan, Target, TargetKind
from reports.models import Status
from tests.factories import UserFactory, reform_kon_tum, unit

pytestmark = pytest.mark.django_db

FIXTURES = settings.BASE_DIR / "fixtures" / "criteria"
DECEMBER_2024, DECEMBER_2025, JANUARY = dt.date(2024, 12, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1)
# Old Quảng Ngãi (before 07/2025): district code -> (name, [(commune code, name)]); each commune is continued by a
# new commune of the same code and name. 522 is the city, 528 next to it, 535 in the mountains.
OLD_QUANG_NGAI = {
    "522": ("Thành phố Quảng Ngãi", [("21034", "Xã An Phú"), ("21211", "Xã Tịnh Khê")]),
    "528": ("Huyện Tư Nghĩa", [("21235", "Xã Tư Nghĩa"), ("21250", "Xã Nghĩa Giang")]),
    "532": ("Huyện Nghĩa Hành", [("21364", "Xã Nghĩa Hành"), ("21370", "Xã Phước Giang"), ("21385", "Xã Đình Cương")]),
    "533": ("Huyện Mộ Đức", [("21400", "Xã Mộ Đức"), ("21409", "Xã Long Phụng"), ("21421", "Xã Mỏ Cày")]),
    "535": ("Huyện Ba Tơ", [("21484", "Xã Ba Tơ"), ("21490", "Xã Ba Vinh"), ("21496", "Xã Ba Động")]),
}
RURAL = 2 + sum(len(communes) for _name, communes in OLD_QUANG_NGAI.values())  # with Đăk Pék and Đắk Xú


def _new_commune(code, name, quang_ngai, *predecessors, kind=Kind.XA):
    commune = AdministrativeUnit.objects.create(
        code=code, level=Level.COMMUNE, kind=kind, name=name, short_name=name.split(" ", 1)[1], parent=quang_ngai,
        valid_from=REFORM_DATE,
    )  # fmt: skip
    for old in predecessors:
        Lineage.objects.create(successor=commune, predecessor=old)
    return commune


@pytest.fixture
def province(tree):
    """The merged Quảng Ngãi of the test tree: Xã Đăk Pék and Xã Đắk Xú from Kon Tum's communes (with figures of
    2024, continued by the reform story to January 2026), 13 communes from old Quảng Ngãi's, a ward."""
    for name in ("2021-2025/commune-standard.yaml", "2026-2030/commune-standard.yaml"):
        import_criteria_text((FIXTURES / name).read_bytes())
    old_dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    old_quang_ngai = unit("51", "Tỉnh Quảng Ngãi", Level.PROVINCE)
    for district_code, (district_name, communes) in OLD_QUANG_NGAI.items():
        district = unit(district_code, district_name, Level.DISTRICT, old_quang_ngai)
        for code, name in communes:
            unit(code, name, Level.COMMUNE, district)
    AdministrativeUnit.objects.filter(path__startswith="51/").update(valid_to=REFORM_DATE)
    reformed = reform_kon_tum(tree)
    quang_ngai = reformed.quang_ngai
    _new_commune("23380", "Xã Đắk Xú", quang_ngai, old_dak_xu)
    for _district, (_name, communes) in OLD_QUANG_NGAI.items():
        for code, name in communes:
            _new_commune(code, name, quang_ngai, AdministrativeUnit.objects.get(code=code, valid_to=REFORM_DATE))
    _new_commune("21001", "Phường Cẩm Thành", quang_ngai, kind=Kind.PHUONG)
    clerk = UserFactory()
    for commune in (tree.dak_mon, tree.dak_pek, old_dak_xu):
        raw = {"income_per_capita": "52", "poverty_rate": "4,5", "planning_approved": "có", "cooperative": "có"}
        report = save_values(unit=commune, period=DECEMBER_2024, raw=raw, by=clerk)
        approve_report(report=submit_report(report=report, by=clerk), by=clerk)
    load_reform_story()
    return quang_ngai


def _rural(province):
    return AdministrativeUnit.objects.filter(path__startswith=province.path, level=Level.COMMUNE, kind=Kind.XA)


def _reports(code) -> dict[dt.date, Report]:
    return {r.period: r for r in Report.objects.filter(unit__code=code, unit__valid_from=REFORM_DATE)}


def test_communes_are_grouped_two_wait_and_one_moves(province):
    story = load_story_2026()

    communes = list(_rural(province))
    assert story.communes == len(communes) == RURAL
    assignments = CommuneGroupAssignment.objects.all()
    assert {(a.valid_from, a.decision) for a in assignments} == {
        (GROUPS_FROM, GROUP_DECISION),
        (MOVED_FROM, MOVE_DECISION),
    }
    assert set(assignments.values_list("assigned_by__username", flat=True)) == {"vpdp.quangngai"}
    ungrouped = [c for c in communes if not c.group_assignments.exists()]
    assert len(ungrouped) == 2
    assert sorted(c.name for c in ungrouped) == sorted(story.ungrouped)
    moved = assignments.get(valid_from=MOVED_FROM)
    assert (moved.group, moved.unit.name) == (1, story.moved)
    assert moved.unit.code in ("21235", "21250")  # next to Quảng Ngãi city (Tư Nghĩa)
    assert groups_on([moved.unit_id], dt.date(2026, 6, 30)) == {moved.unit_id: 2}
    assert groups_on([moved.unit_id], dt.date(2026, 7, 31)) == {moved.unit_id: 1}
    # The city's communes in group 1, the mountains mostly in group 3; the ward is not grouped.
    groups = groups_on([c.pk for c in communes], dt.date(2026, 2, 28))
    by_code = {c.code: groups.get(c.pk) for c in communes}
    assert by_code["21034"] == by_code["21211"] == 1
    assert sum(by_code[code] == 3 for code in ("23341", "23380", "21484", "21490", "21496")) >= 3
    assert set(groups.values()) == {1, 2, 3}
    assert not CommuneGroupAssignment.objects.filter(unit__kind=Kind.PHUONG).exists()


def test_every_commune_is_judged_by_the_2026_2030_criteria_from_february(province):
    story = load_story_2026()

    statuses = Status.objects.filter(unit__path__startswith=province.path, programme__code="2026-2030")
    for period in JUDGED_MONTHS:
        assert statuses.filter(period=period).count() == RURAL, period
    assert story.statuses == statuses.count() == RURAL * len(JUDGED_MONTHS)
    assert not statuses.filter(period=DECEMBER).exists()
    assert {s.criteria_total for s in statuses} == {10}
    reports = Report.objects.filter(unit__path__startswith=province.path, period__gte=dt.date(2026, 2, 1))
    assert set(reports.values_list("programme__code", flat=True)) == {"2026-2030"}
    # Every commune reports each figure the 2026-2030 set reads; the ward reports nothing.
    february = reports.filter(period=dt.date(2026, 2, 1))
    assert february.count() == RURAL
    assert {r.values.count() for r in february} == {30}
    assert not reports.filter(unit__kind=Kind.PHUONG).exists()
    # Ex-Kon Tum communes continue from January 2026: a figure moves a little from one month to the next.
    incomes = Value.objects.filter(report__unit__code="23380", report__unit__valid_from=REFORM_DATE)
    incomes = list(incomes.filter(measure__code="income_per_capita").order_by("report__period"))
    assert [v.report.period for v in incomes][:2] == [dt.date(2025, 7, 1), dt.date(2025, 8, 1)]
    january, february_income = (v.number for v in incomes if v.report.period in (JANUARY, dt.date(2026, 2, 1)))
    assert abs(february_income - january) < Decimal(3)


def test_november_is_on_the_desk_and_december_being_entered(province):
    load_story_2026()

    november = Report.objects.filter(unit__path__startswith=province.path, period=NOVEMBER)
    states = list(november.values_list("status", flat=True))
    assert states.count(ReportStatus.SUBMITTED) == 4  # Xã Đăk Pék and three others
    assert states.count(ReportStatus.DRAFT) == 3
    assert RURAL - len(states) == 3  # nothing sent, the 25th has passed
    assert states.count(ReportStatus.APPROVED) == RURAL - 10
    december = Report.objects.filter(unit__path__startswith=province.path, period=DECEMBER)
    assert set(december.values_list("status", flat=True)) == {ReportStatus.DRAFT}
    assert 3 <= december.count() <= 4
    assert all(r.values.exists() and r.submitted_at is None for r in december)
    assert not ReportEvent.objects.filter(report__in=december).exists()
    # Xã Đăk Pék: approved through October (December 2025 and January 2026 included), November waiting, December
    # left for the commune official to enter.
    dak_pek = _reports("23341")
    assert DECEMBER not in dak_pek
    assert (dak_pek[NOVEMBER].status, dak_pek[NOVEMBER].approved_at) == (ReportStatus.SUBMITTED, None)
    assert dak_pek[NOVEMBER].submitted_at.date().replace(day=1) == NOVEMBER
    approved = [p for p, r in dak_pek.items() if r.status == ReportStatus.APPROVED]
    assert sorted(approved) == sorted(p for p in dak_pek if p != NOVEMBER)
    assert {DECEMBER_2025, JANUARY, dt.date(2026, 10, 1)} <= set(approved)
    steps = ReportEvent.objects.filter(report=dak_pek[dt.date(2026, 9, 1)])
    assert dict(steps.values_list("action", "by__username")) == {
        ReportAction.SUBMITTED: "xa.dakpek",
        ReportAction.APPROVED: "vpdp.quangngai",
    }
    assert steps.get(action=ReportAction.APPROVED).at == dak_pek[dt.date(2026, 9, 1)].approved_at
    # Its December 2025 and January 2026 are judged again, by the 2021-2025 sets, now they are approved.
    old = Status.objects.filter(unit=dak_pek[JANUARY].unit, programme__code="2021-2025", period=JANUARY).get()
    assert old.basis_period == JANUARY


def test_targets_and_plans_of_2026(province):
    story = load_story_2026()

    targets = Target.objects.filter(unit=province, level="commune")
    # The 2026 plan as a count (35% of the 15 communes, rounded); the 2030 goals as shares, as QĐ 417 states them.
    assert {(t.year, t.kind, t.tier): t.value for t in targets} == {
        (2026, TargetKind.UNITS_AT_TIER, "standard"): 5,
        (2030, TargetKind.SHARE_AT_TIER, "standard"): 65,
        (2030, TargetKind.SHARE_AT_TIER, "modern"): 10,
    }
    assert all(t.is_demo for t in targets)
    assert targets.get(year=2026).source == "Kế hoạch năm 2026 của UBND tỉnh Quảng Ngãi (minh họa)"
    assert targets.get(year=2030, tier="modern").source.startswith("QĐ 417/QĐ-BNNMT (31/01/2026)")
    plans = CommunePlan.objects.filter(unit__path__startswith=province.path)
    assert story.plans == plans.count() <= 10
    assert all(p.is_demo and p.year == 2026 and p.tier == "standard" for p in plans)
    assert all(story.gaps[p.unit.code] in (1, 2) for p in plans)


def test_running_it_again_creates_and_changes_nothing(province):
    load_story_2026()
    counted = (Report, Value, ReportEvent, Status, CommuneGroupAssignment, Target, CommunePlan)
    before = {model: model.objects.count() for model in counted}
    statuses = sorted(Status.objects.values_list("unit_id", "period", "programme_id", "tier", "criteria_met"))
    reports = sorted(Report.objects.values_list("unit_id", "period", "status", "version", "updated_at"))
    targets = sorted(Target.objects.values_list("year", "value", "source"))

    again = load_story_2026()

    assert (again.reports_created, again.values_created, again.groups_created) == (0, 0, 0)
    assert again.closed == 0
    assert again.reports_kept == Report.objects.filter(period__gte=dt.date(2026, 2, 1)).count()
    assert {model: model.objects.count() for model in counted} == before
    assert sorted(Status.objects.values_list("unit_id", "period", "programme_id", "tier", "criteria_met")) == statuses
    assert sorted(Report.objects.values_list("unit_id", "period", "status", "version", "updated_at")) == reports
    assert sorted(Target.objects.values_list("year", "value", "source")) == targets


def test_the_province_dashboard_of_november_2026(province):
    load_story_2026()
    client = Client()
    client.force_login(get_user_model().objects.get(username="vpdp.quangngai"))

    page = client.get(reverse("reports:province-dashboard", args=["51"]) + "?month=2026-11")

    assert page.status_code == 200
    text = page.content.decode()
    assert "10 tiêu chí" in text
    assert "5-9 tiêu chí" in text
    assert "bộ minh họa" in text


def test_nothing_to_tell_without_the_2026_2030_programme(tree):
    reform_kon_tum(tree)
    story = load_story_2026()
    assert (story.communes, story.reports_created) == (0, 0)
    assert not CommuneGroupAssignment.objects.exists()


def test_load_demo_tells_2026(settings, capsys):
    """The command on the test tree: the line of 2026 and the demo users' stories."""
    settings.DEBUG = True
    AdministrativeUnit.objects.bulk_create(
        [AdministrativeUnit(code=str(i), level=Level.PROVINCE, name=f"Tỉnh {i}", kind="tinh", path=f"{i}/") for i in
         range(100, 161)]
        + [AdministrativeUnit(code=str(i), level=Level.PROVINCE, name=f"Tỉnh {i}", kind="tinh", path=f"2025/{i}/",
                              valid_from=REFORM_DATE) for i in range(200, 233)]
    )  # fmt: skip
    from tests.factories import kon_tum_tree

    reform_kon_tum(kon_tum_tree())

    call_command("load_demo")

    out = capsys.readouterr().out
    assert "Năm 2026, Tỉnh Quảng Ngãi theo bộ tiêu chí 2026 - 2030 (minh họa): phân nhóm 1 xã" in out
    assert "chỉ tiêu số xã đạt chuẩn: năm 2026 0, năm 2030 65%" in out
    assert re.search(r"xa\.dakpek .*tháng 11/2026 đã gửi, chờ duyệt; tháng 12/2026 chưa nhập", out)
    assert re.search(r"vpdp\.quangngai .*tháng 11/2026 có báo cáo chờ duyệt", out)
    dak_pek = _reports("23341")
    assert dak_pek[NOVEMBER].status == ReportStatus.SUBMITTED
    assert DECEMBER not in dak_pek
