"""The demo after the 2025 reform (demo.reform_story): the merged Quảng Ngãi's months of July 2025 to January 2026,
continued from the figures of the Kon Tum communes each new commune was formed from."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Lineage
from criteria.yaml_io import import_criteria_text
from demo.reform_story import LATE_COMMUNES, MONTHS, load_reform_story
from monthly.figures import carried_values
from monthly.models import Report, ReportAction, ReportEvent, ReportStatus, Value
from monthly.services import approve_report, save_values, submit_report
from reports.models import Status
from tests.criteria.samples import STANDARD
from tests.factories import UserFactory, kon_tum_tree, reform_kon_tum, unit

pytestmark = pytest.mark.django_db

NOVEMBER_2024, DECEMBER_2024 = dt.date(2024, 11, 1), dt.date(2024, 12, 1)
DECEMBER, JANUARY = dt.date(2025, 12, 1), dt.date(2026, 1, 1)
LATE = LATE_COMMUNES[0]


def _approved(commune, period, raw, clerk):
    report = save_values(unit=commune, period=period, raw=raw, by=clerk)
    return approve_report(report=submit_report(report=report, by=clerk), by=clerk)


def _new_commune(code, name, quang_ngai, *predecessors):
    commune = AdministrativeUnit.objects.create(
        code=code, level=Level.COMMUNE, kind=Kind.XA, name=name, short_name=name[3:], parent=quang_ngai,
        valid_from=REFORM_DATE,
    )  # fmt: skip
    for old in predecessors:
        Lineage.objects.create(successor=commune, predecessor=old)
    return commune


@pytest.fixture
def reform():
    """Three new communes of Quảng Ngãi: Xã Đăk Pék (23341, from Đắk Môn, Đắk Pék and the town of Đắk Glei, which
    has no figures), Xã Đăk Xú (from Đắk Xú alone) and a remote commune that stops reporting in December 2025."""
    tree = kon_tum_tree()
    import_criteria_text(STANDARD)
    muong_hoong = unit("23362", "Xã Mường Hoong", Level.COMMUNE, tree.dak_glei)
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    reformed = reform_kon_tum(tree)
    Lineage.objects.create(successor=reformed.dak_pek, predecessor=tree.dak_glei_town)
    clerk = UserFactory()
    for commune, raw in [
        (tree.dak_mon, {"income_per_capita": "48", "poverty_rate": "7", "plan_approved": "có"}),
        (tree.dak_pek, {"income_per_capita": "55,5", "poverty_rate": "4,2", "plan_approved": "không"}),
        (dak_xu, {"income_per_capita": "52", "poverty_rate": "5", "plan_approved": "có"}),
        (muong_hoong, {"income_per_capita": "44", "poverty_rate": "9", "plan_approved": "có"}),
    ]:
        _approved(commune, NOVEMBER_2024, {**raw, "income_per_capita": "40"}, clerk)
        _approved(commune, DECEMBER_2024, raw, clerk)
    return {
        "tree": tree,
        "dak_pek": reformed.dak_pek,
        "dak_xu": _new_commune("23380", "Xã Đăk Xú", reformed.quang_ngai, dak_xu),
        "late": _new_commune(LATE, "Xã Ngọc Linh", reformed.quang_ngai, muong_hoong),
        "old_dak_xu": dak_xu,
    }


def _months(commune) -> dict[dt.date, Report]:
    return {r.period: r for r in Report.objects.filter(unit=commune)}


def _values(report) -> dict[str, object]:
    return {v.measure.code: v.value for v in report.values.select_related("measure")}


def test_each_new_commune_gets_its_months_with_the_story_s_statuses(reform):
    story = load_reform_story()

    assert sorted(story.continued) == sorted(["23341", "23380", LATE])
    steady = _months(reform["dak_xu"])
    assert sorted(steady) == MONTHS
    assert {r.status for r in steady.values()} == {ReportStatus.APPROVED}
    assert {r.programme.code for r in steady.values()} == {"2021-2025"}
    # Xã Đăk Pék: July to November approved, December waiting for the office, January left for the official.
    dak_pek = _months(reform["dak_pek"])
    assert sorted(dak_pek) == MONTHS[:-1]
    assert {p: r.status for p, r in dak_pek.items() if p != DECEMBER} == dict.fromkeys(MONTHS[:5], "approved")
    december = dak_pek[DECEMBER]
    assert (december.status, december.version, december.approved_at) == (ReportStatus.SUBMITTED, 2, None)
    assert december.submitted_at.date() < dt.date(2025, 12, 26)
    # The remote commune sent nothing from December on: the overdue board of 12/2025 names it.
    assert sorted(_months(reform["late"])) == MONTHS[:5]
    assert story.late == ["Xã Ngọc Linh"]


def test_the_commune_official_sends_and_the_office_approves(reform):
    load_reform_story()

    steps = ReportEvent.objects.filter(report__unit=reform["dak_pek"], report__period=dt.date(2025, 9, 1))
    assert dict(steps.values_list("action", "by__username")) == {
        ReportAction.SUBMITTED: "xa.dakpek",
        ReportAction.APPROVED: "vpdp.quangngai",
    }
    report = Report.objects.get(unit=reform["dak_pek"], period=dt.date(2025, 9, 1))
    assert steps.get(action=ReportAction.APPROVED).at == report.approved_at == report.updated_at
    assert report.approved_at.date().replace(day=1) == dt.date(2025, 9, 1)
    sent = ReportEvent.objects.filter(report__unit=reform["dak_pek"], report__period=DECEMBER)
    assert list(sent.values_list("action", "by__username")) == [(ReportAction.SUBMITTED, "xa.dakpek")]
    # No commune account for Đăk Xú: the office enters its figures for it.
    others = ReportEvent.objects.filter(report__unit=reform["dak_xu"], action=ReportAction.SUBMITTED)
    assert set(others.values_list("by__username", flat=True)) == {"vpdp.quangngai"}


def test_a_commune_formed_from_one_predecessor_starts_from_its_last_approved_figures(reform):
    load_reform_story()

    old = reform["old_dak_xu"]
    last = carried_values([old.pk], dt.date(2025, 6, 1))[old.pk]
    july = Report.objects.get(unit=reform["dak_xu"], period=MONTHS[0])
    assert {v.measure_id: v.value for v in july.values.all()} == last
    assert _values(july) == {"income_per_capita": Decimal(52), "poverty_rate": Decimal(5), "plan_approved": True}


def test_a_merged_commune_starts_from_its_predecessors_combined(reform):
    load_reform_story()

    july = Report.objects.get(unit=reform["dak_pek"], period=MONTHS[0])
    # Mean of Đắk Môn and Đắk Pék, rounded to one decimal (the town has no figures); a plan only if both had one.
    assert _values(july) == {
        "income_per_capita": Decimal("51.8"),
        "poverty_rate": Decimal("5.6"),
        "plan_approved": False,
    }


def test_figures_move_month_by_month(reform):
    load_reform_story()

    incomes = list(
        Value.objects.filter(report__unit=reform["dak_xu"], measure__code="income_per_capita")
        .order_by("report__period")
        .values_list("number", flat=True)
    )
    assert len(incomes) == len(MONTHS)
    assert len(set(incomes)) > 2
    assert all(abs(b - a) < 3 for a, b in zip(incomes, incomes[1:], strict=False))


def test_statuses_exist_for_every_month(reform):
    story = load_reform_story()

    statuses = Status.objects.filter(unit__path__startswith="2025/51/", programme__code="2021-2025")
    for commune in ("dak_pek", "dak_xu", "late"):
        assert sorted(statuses.filter(unit=reform[commune]).values_list("period", flat=True)) == MONTHS, commune
    assert story.statuses == statuses.count() == 3 * len(MONTHS)


def test_villages_go_to_the_new_commune_of_a_reused_code(reform):
    story = load_reform_story()

    villages = AdministrativeUnit.objects.filter(level=Level.VILLAGE)
    assert set(villages.values_list("parent__code", "parent__valid_from")) == {
        (code, REFORM_DATE) for code in ("23341", "23380", LATE)
    }
    assert villages.count() == story.villages_created
    assert not villages.filter(is_demo=False).exists()


def test_running_it_again_creates_nothing(reform):
    load_reform_story()
    counted = (Report, Value, ReportEvent, Status, AdministrativeUnit)
    before = {model: model.objects.count() for model in counted}
    statuses = sorted(Status.objects.values_list("unit_id", "period", "tier", "criteria_met"))

    again = load_reform_story()

    assert (again.reports_created, again.values_created, again.villages_created) == (0, 0, 0)
    assert again.reports_kept == Report.objects.filter(unit__path__startswith="2025/").count() == 7 + 6 + 5
    assert {model: model.objects.count() for model in counted} == before
    assert sorted(Status.objects.values_list("unit_id", "period", "tier", "criteria_met")) == statuses


def test_nothing_to_tell_without_the_new_province(tree):
    import_criteria_text(STANDARD)
    out = io.StringIO()
    story = load_reform_story(stdout=out)
    assert (story.reports_created, story.villages_created) == (0, 0)
    assert "bỏ qua số liệu sau sắp xếp" in out.getvalue()
    assert not Report.objects.exists()


def test_load_demo_tells_the_months_after_the_reform(settings, capsys):
    """The command on the test tree: Kon Tum's 2024 is generated, then continued in the merged Quảng Ngãi."""
    settings.DEBUG = True
    AdministrativeUnit.objects.bulk_create(
        [AdministrativeUnit(code=str(i), level=Level.PROVINCE, name=f"Tỉnh {i}", kind="tinh", path=f"{i}/") for i in
         range(100, 161)]
        + [AdministrativeUnit(code=str(i), level=Level.PROVINCE, name=f"Tỉnh {i}", kind="tinh", path=f"2025/{i}/",
                              valid_from=REFORM_DATE) for i in range(200, 233)]
    )  # fmt: skip
    tree = kon_tum_tree()
    reformed = reform_kon_tum(tree)

    call_command("load_demo")

    out = capsys.readouterr().out
    assert "Từ 07/2025, Tỉnh Quảng Ngãi (sau sắp xếp): thôn minh họa cho 1 xã" in out
    # The 2026 story (demo.story_2026) then approves Đăk Pék's months up to October 2026.
    reports = {r.period: r.status for r in Report.objects.filter(unit=reformed.dak_pek, period__in=MONTHS)}
    assert reports == dict.fromkeys(MONTHS, ReportStatus.APPROVED)
    # Code 23341 names Xã Đắk Môn before the reform and Xã Đăk Pék after: each gets its own demo villages.
    parents = set(AdministrativeUnit.objects.filter(level=Level.VILLAGE).values_list("parent__path", flat=True))
    assert {"62/610/23341/", "2025/51/23341/"} <= parents
