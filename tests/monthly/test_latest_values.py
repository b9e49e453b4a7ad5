"""The latest approved value per unit and measure (monthly.latest, monthly.models.LatestApprovedValue).

Approval and un-approval keep it current in their transactions; rebuild_latest_values rewrites it from the reports;
current_values reads a month through it and must always give what the history gives (carried_values).

The sample standard set's measures: income_per_capita (number), poverty_rate (percent), plan_approved (boolean).
"""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from communes.models import AdministrativeUnit, Kind, Level, Role
from criteria.models import Measure, MeasureKind
from criteria.yaml_io import import_criteria_text
from monthly.figures import carried_values
from monthly.latest import current_values, rebuild, record_approved
from monthly.models import LatestApprovedValue, Report, ReportStatus, Value
from monthly.services import approve_all, approve_report, save_values, submit_report, unapprove_report
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

FEBRUARY, MARCH, APRIL, MAY, JUNE, JULY, AUGUST = (dt.date(2024, month, 1) for month in range(2, 9))
GOOD = {"income_per_capita": "55", "poverty_rate": "4", "plan_approved": True}


@pytest.fixture(autouse=True)
def criteria():
    import_criteria_text(STANDARD)


@pytest.fixture
def official(tree):
    return MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user


@pytest.fixture
def office(tree):
    return MembershipFactory(unit=tree.province, role=Role.OFFICE).user


@pytest.fixture
def submitted(official):
    def submit(unit, period, raw) -> Report:
        report = save_values(unit=unit, period=period, raw=raw, by=official)
        return submit_report(report=report, by=official)

    return submit


@pytest.fixture
def approved(submitted, office):
    def approve(unit, period, raw) -> Report:
        return approve_report(report=submitted(unit, period, raw), by=office)

    return approve


@pytest.fixture
def unapproved(office):
    def unapprove(report: Report) -> Report:
        return unapprove_report(report=Report.objects.get(pk=report.pk), by=office, reason="Số liệu chưa khớp")

    return unapprove


def _latest(unit) -> dict[str, tuple[dt.date, object]]:
    """The unit's rows: measure code -> (month, value as carried_values gives it)."""
    rows = LatestApprovedValue.objects.filter(unit=unit).select_related("measure")
    result = {}
    for row in rows:
        value = row.flag if row.flag is not None else (row.level or row.number)
        result[row.measure.code] = (row.period, value)
    return result


def _all_rows() -> set[tuple]:
    return set(LatestApprovedValue.objects.values_list("unit_id", "measure_id", "period", "number", "flag", "level"))


# ---------------------------------------------------------------- kept current by approval and un-approval


def test_approving_a_report_records_its_values_and_month(tree, approved, submitted):
    approved(tree.dak_pek, MAY, GOOD)
    submitted(tree.dak_mon, MAY, GOOD)  # sent, not approved: nothing recorded

    assert _latest(tree.dak_pek) == {
        "income_per_capita": (MAY, Decimal(55)),
        "poverty_rate": (MAY, Decimal(4)),
        "plan_approved": (MAY, True),
    }
    assert _latest(tree.dak_mon) == {}


def test_approving_a_later_month_replaces_them(tree, approved):
    approved(tree.dak_pek, MAY, GOOD)
    approved(tree.dak_pek, JUNE, {"income_per_capita": "60", "poverty_rate": "3", "plan_approved": False})

    assert _latest(tree.dak_pek) == {
        "income_per_capita": (JUNE, Decimal(60)),
        "poverty_rate": (JUNE, Decimal(3)),
        "plan_approved": (JUNE, False),
    }
    assert LatestApprovedValue.objects.filter(unit=tree.dak_pek).count() == 3  # replaced, not added


def test_a_later_month_replaces_only_the_measures_it_reports(tree, approved):
    approved(tree.dak_pek, MAY, GOOD)
    approved(tree.dak_pek, JUNE, {"poverty_rate": "5"})

    assert _latest(tree.dak_pek) == {
        "income_per_capita": (MAY, Decimal(55)),
        "poverty_rate": (JUNE, Decimal(5)),
        "plan_approved": (MAY, True),
    }


def test_approving_an_earlier_month_afterwards_keeps_the_later_values(tree, approved):
    approved(tree.dak_pek, JUNE, {"income_per_capita": "60", "poverty_rate": "3"})
    # April's report is approved late; it alone has the plan: that measure's latest value is April's.
    approved(tree.dak_pek, APRIL, {"income_per_capita": "40", "poverty_rate": "9", "plan_approved": False})

    assert _latest(tree.dak_pek) == {
        "income_per_capita": (JUNE, Decimal(60)),
        "poverty_rate": (JUNE, Decimal(3)),
        "plan_approved": (APRIL, False),
    }


def test_unapproving_the_latest_report_falls_back_to_the_previous_approved_month(tree, approved, unapproved):
    approved(tree.dak_pek, APRIL, {"income_per_capita": "50", "poverty_rate": "7", "plan_approved": False})
    approved(tree.dak_pek, MAY, {"poverty_rate": "5", "plan_approved": True})
    june = approved(tree.dak_pek, JUNE, {"income_per_capita": "58", "poverty_rate": "2"})
    approved(tree.dak_mon, JUNE, GOOD)

    unapproved(june)

    assert _latest(tree.dak_pek) == {
        "income_per_capita": (APRIL, Decimal(50)),
        "poverty_rate": (MAY, Decimal(5)),
        "plan_approved": (MAY, True),
    }
    # Another unit's rows are left alone.
    assert _latest(tree.dak_mon) == {
        "income_per_capita": (JUNE, Decimal(55)),
        "poverty_rate": (JUNE, Decimal(4)),
        "plan_approved": (JUNE, True),
    }


def test_unapproving_an_older_report_leaves_the_later_values(tree, approved, unapproved):
    april = approved(tree.dak_pek, APRIL, {"income_per_capita": "50", "poverty_rate": "7", "plan_approved": False})
    approved(tree.dak_pek, MAY, GOOD)
    before = _all_rows()

    unapproved(april)

    assert _all_rows() == before
    assert {period for period, _ in _latest(tree.dak_pek).values()} == {MAY}


def test_unapproving_the_only_report_removes_the_rows(tree, approved, unapproved):
    may = approved(tree.dak_pek, MAY, GOOD)
    approved(tree.dak_mon, MAY, GOOD)

    unapproved(may)

    assert not LatestApprovedValue.objects.filter(unit=tree.dak_pek).exists()
    assert LatestApprovedValue.objects.filter(unit=tree.dak_mon).count() == 3


def test_approving_again_after_a_correction_records_the_corrected_figures(tree, approved, unapproved, official, office):
    approved(tree.dak_pek, APRIL, {"income_per_capita": "50", "poverty_rate": "7", "plan_approved": False})
    may = approved(tree.dak_pek, MAY, GOOD)
    unapproved(may)
    # The correction clears May's income: April's carries forward again.
    save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": None, "poverty_rate": "6"}, by=official)
    submit_report(report=Report.objects.get(pk=may.pk), by=official)
    approve_report(report=Report.objects.get(pk=may.pk), by=office)

    assert _latest(tree.dak_pek) == {
        "income_per_capita": (APRIL, Decimal(50)),
        "poverty_rate": (MAY, Decimal(6)),
        "plan_approved": (MAY, True),
    }


def test_approve_all_records_every_report_in_a_fixed_number_of_queries(
    tree, submitted, office, django_assert_num_queries
):
    submitted(tree.dak_pek, MAY, GOOD)
    submitted(tree.dak_mon, MAY, {"income_per_capita": "41", "poverty_rate": "8"})
    submitted(tree.dak_glei_town, MAY, {"plan_approved": False})

    assert approve_all(district=tree.dak_glei, period=MAY, by=office) == 3

    assert _latest(tree.dak_pek) == {
        "income_per_capita": (MAY, Decimal(55)),
        "poverty_rate": (MAY, Decimal(4)),
        "plan_approved": (MAY, True),
    }
    assert _latest(tree.dak_mon) == {"income_per_capita": (MAY, Decimal(41)), "poverty_rate": (MAY, Decimal(8))}
    assert _latest(tree.dak_glei_town) == {"plan_approved": (MAY, False)}

    # What approve_all records with: the units locked, the current rows, the reports' values, one upsert, for one
    # report or three.
    recorded = _all_rows()
    reports = list(Report.objects.filter(period=MAY, status=ReportStatus.APPROVED).order_by("pk"))
    for batch in (reports[:1], reports):
        LatestApprovedValue.objects.all().delete()
        with django_assert_num_queries(4):
            record_approved(batch)
    assert _all_rows() == recorded


# ---------------------------------------------------------------- rebuilt from the reports


def _history(tree, approved, submitted, unapproved, official) -> None:
    """Several units and months: approved, later and earlier months, an un-approved report, a draft, a sent one.

    Đắk Pék: March (all three), May (poverty), July (income). Đắk Môn: the plan in April only, income and poverty in
    June. Đắk Xú: May approved then un-approved; a June draft. The town: April approved, June sent and waiting."""
    dak_xu = AdministrativeUnit.objects.get(code="23380", level=Level.COMMUNE)
    approved(tree.dak_pek, MARCH, {"income_per_capita": "50", "poverty_rate": "7", "plan_approved": False})
    approved(tree.dak_pek, MAY, {"poverty_rate": "5"})
    approved(tree.dak_pek, JULY, {"income_per_capita": "60"})
    approved(tree.dak_mon, APRIL, {"plan_approved": True})
    approved(tree.dak_mon, JUNE, {"income_per_capita": "55", "poverty_rate": "4"})
    unapproved(approved(dak_xu, MAY, GOOD))
    save_values(unit=dak_xu, period=JUNE, raw={"poverty_rate": "9"}, by=official)
    approved(tree.dak_glei_town, APRIL, {"poverty_rate": "3"})
    submitted(tree.dak_glei_town, JUNE, {"income_per_capita": "45"})


def test_rebuild_command_recreates_the_same_rows(tree, approved, submitted, unapproved, official):
    _history(tree, approved, submitted, unapproved, official)
    maintained = _all_rows()
    # Đắk Pék 3, Đắk Môn 3, the town 1; Đắk Xú's only approval was withdrawn.
    assert len(maintained) == 7
    LatestApprovedValue.objects.all().delete()

    out = StringIO()
    call_command("rebuild_latest_values", stdout=out)

    assert _all_rows() == maintained
    assert out.getvalue().startswith("7 giá trị đã duyệt mới nhất")


def test_rebuild_command_corrects_rows_that_went_wrong(tree, approved):
    approved(tree.dak_pek, APRIL, {"income_per_capita": "50", "poverty_rate": "7", "plan_approved": False})
    approved(tree.dak_pek, MAY, GOOD)
    maintained = _all_rows()
    # Rows written by hand: one stale, one for a unit without any approved report.
    LatestApprovedValue.objects.filter(unit=tree.dak_pek).update(period=APRIL, number=Decimal(1))
    stray = LatestApprovedValue.objects.filter(unit=tree.dak_pek).first()
    LatestApprovedValue.objects.create(unit=tree.dak_mon, measure=stray.measure, period=JUNE, number=Decimal(9))

    call_command("rebuild_latest_values", stdout=StringIO())

    assert _all_rows() == maintained


# ---------------------------------------------------------------- current_values is the history's answer


def test_current_values_equal_carried_values_every_month(tree, approved, submitted, unapproved, official):
    _history(tree, approved, submitted, unapproved, official)
    units = AdministrativeUnit.objects.all()
    unit_ids = list(units.values_list("pk", flat=True))

    for month in (FEBRUARY, MARCH, APRIL, MAY, JUNE, JULY, AUGUST):
        assert current_values(units, month) == dict(carried_values(unit_ids, month)), month
        judged = units.filter(level=Level.COMMUNE, kind=Kind.XA)
        assert current_values(judged, month) == dict(carried_values(list(judged.values_list("pk", flat=True)), month))

    # What that answer is, spelled out: June, a past month for Đắk Pék (July approved), carries March's income.
    codes = dict(Measure.objects.values_list("pk", "code"))
    june = current_values(units, JUNE)
    assert {codes[m]: v for m, v in june[tree.dak_pek.pk].items()} == {
        "income_per_capita": Decimal(50),
        "poverty_rate": Decimal(5),
        "plan_approved": False,
    }
    # Đắk Môn's plan, reported in April only, is carried into June and August.
    for month in (JUNE, AUGUST):
        mon = current_values(units, month)[tree.dak_mon.pk]
        assert {codes[m]: v for m, v in mon.items()} == {
            "income_per_capita": Decimal(55),
            "poverty_rate": Decimal(4),
            "plan_approved": True,
        }
    # Before any approval nothing; Đắk Xú (withdrawn) never has values.
    assert current_values(units, FEBRUARY) == {}
    assert tree.dak_pek.pk in current_values(units, AUGUST)
    assert AdministrativeUnit.objects.get(code="23380").pk not in current_values(units, AUGUST)


def test_current_values_reads_the_history_only_for_units_approved_later(
    tree, approved, submitted, unapproved, official, django_assert_num_queries
):
    _history(tree, approved, submitted, unapproved, official)
    units = AdministrativeUnit.objects.all()

    # The latest month: the maintained rows up to it, and those after it (none) with their newest report's values.
    with django_assert_num_queries(2):
        latest = current_values(units, AUGUST)
    # A past month: the same two, now with Đắk Pék's and Đắk Môn's newest reports up to it, and the history for a
    # measure those reports lack.
    with django_assert_num_queries(3):
        past = current_values(units, MAY)

    assert set(latest) == {tree.dak_pek.pk, tree.dak_mon.pk, tree.dak_glei_town.pk}
    assert set(past) == {tree.dak_pek.pk, tree.dak_mon.pk, tree.dak_glei_town.pk}
    assert past[tree.dak_pek.pk] != latest[tree.dak_pek.pk]


def test_a_past_month_whose_newest_report_has_no_values_takes_the_history(tree, approved):
    """Đắk Pék's April report is approved without values (the portal refuses to submit one, but a loader writing
    reports directly can): April carries March's figures, though later ones exist."""
    approved(tree.dak_pek, MARCH, GOOD)
    approved(tree.dak_pek, MAY, {"poverty_rate": "3"})
    march = Report.objects.get(unit=tree.dak_pek, period=MARCH)
    Report.objects.create(unit=tree.dak_pek, period=APRIL, programme=march.programme, status=ReportStatus.APPROVED)
    units = AdministrativeUnit.objects.filter(pk=tree.dak_pek.pk)

    april = current_values(units, APRIL)

    assert april == carried_values([tree.dak_pek.pk], APRIL)
    poverty = Measure.objects.get(code="poverty_rate").pk
    assert april[tree.dak_pek.pk][poverty] == Decimal("4")


def test_numbers_yes_no_answers_and_levels_all_come_back_as_the_history_gives_them(tree, approved):
    """On PostgreSQL the latest values are gathered per unit in arrays, one kind of value each (a number, a yes/no,
    a level): each comes back in its own type, under its own measure, as carried_values gives it."""
    grade = Measure.objects.create(
        code="road_grade", name="Cấp đường trục xã", kind=MeasureKind.LEVEL, levels=["A", "B"]
    )
    march = approved(tree.dak_pek, MARCH, GOOD)
    may = approved(tree.dak_pek, MAY, {"poverty_rate": "3", "plan_approved": False})
    Value.objects.create(report=march, measure=grade, level="B")
    Value.objects.create(report=may, measure=grade, level="A")
    rebuild()
    units = AdministrativeUnit.objects.filter(pk=tree.dak_pek.pk)
    codes = dict(Measure.objects.values_list("pk", "code"))

    by_month = {month: current_values(units, month) for month in (MARCH, APRIL, MAY, JUNE)}

    for month, values in by_month.items():
        assert values == carried_values([tree.dak_pek.pk], month), month
    april = {codes[m]: v for m, v in by_month[APRIL][tree.dak_pek.pk].items()}
    june = {codes[m]: v for m, v in by_month[JUNE][tree.dak_pek.pk].items()}
    assert april == {
        "income_per_capita": Decimal(55),
        "poverty_rate": Decimal(4),
        "plan_approved": True,
        "road_grade": "B",
    }
    assert june == {
        "income_per_capita": Decimal(55),
        "poverty_rate": Decimal(3),
        "plan_approved": False,
        "road_grade": "A",
    }
    assert type(june["poverty_rate"]) is Decimal
    assert type(june["plan_approved"]) is bool
