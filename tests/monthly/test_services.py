"""Monthly reporting services: entering, carrying forward, the workflow, deadlines, the audit trail."""

import datetime as dt
from decimal import Decimal

import pytest

from communes.models import Role
from communes.months import parse_month
from criteria.models import Programme
from criteria.yaml_io import import_criteria_text
from monthly import services
from monthly.figures import carried_values
from monthly.models import Report, ReportAction, ReportEvent, ReportStatus, Value, ValueChange
from monthly.services import (
    ReportError,
    approve_all,
    approve_report,
    entry_measures,
    return_report,
    save_values,
    submit_all,
    submit_report,
    unapprove_report,
)
from tests.criteria.samples import STANDARD
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

MAY, JUNE = dt.date(2024, 5, 1), dt.date(2024, 6, 1)


@pytest.fixture(autouse=True)
def criteria():
    import_criteria_text(STANDARD)


@pytest.fixture
def official(tree):
    return MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user


@pytest.fixture
def office(tree):
    return MembershipFactory(unit=tree.province, role=Role.OFFICE).user


def _approved(unit, period, raw, official, office):
    report = save_values(unit=unit, period=period, raw=raw, by=official)
    submit_report(report=report, by=official)
    return approve_report(report=report, by=office)


@pytest.mark.parametrize(("text", "expected"), [("2024-05", MAY), ("2025-12", dt.date(2025, 12, 1))])
def test_parse_month(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize("text", ["2024-5", "05-2024", "2024-13", "abc", "2024-05-01"])
def test_parse_month_refuses_other_shapes(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month(text)


def test_entry_measures_are_those_of_the_sets_in_force_in_criterion_order(tree):
    programme = Programme.objects.get(code="2021-2025")
    codes = [e.measure.code for e in entry_measures(programme=programme, level="commune", province_code="62")]
    assert codes == ["plan_approved", "income_per_capita", "poverty_rate"]


def test_save_creates_a_draft_with_typed_values_and_records_every_change(tree, official):
    report = save_values(
        unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "52,5", "plan_approved": "Có"}, by=official
    )
    assert (report.status, report.version) == (ReportStatus.DRAFT, 1)
    assert {v.measure.code: v.value for v in report.values.select_related("measure")} == {
        "income_per_capita": Decimal("52.5"),
        "plan_approved": True,
    }
    save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "53", "plan_approved": "Có"}, by=official)
    changes = list(ValueChange.objects.order_by("pk").values_list("measure__code", "old_value", "new_value"))
    assert changes == [
        ("income_per_capita", "", "52.5"),
        ("plan_approved", "", "Có"),
        ("income_per_capita", "52.5", "53"),
    ]
    assert ValueChange.objects.filter(changed_by=official).count() == 3


def test_clearing_a_value_deletes_it_and_is_recorded(tree, official):
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=official)
    report = save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": ""}, by=official)
    assert not report.values.exists()
    assert ValueChange.objects.filter(old_value="4", new_value="").exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"poverty_rate": "140"}, "lớn hơn giá trị lớn nhất cho phép (100)"),
        ({"poverty_rate": "-1"}, "nhỏ hơn giá trị nhỏ nhất cho phép (0)"),
        ({"income_per_capita": "năm mươi"}, "'năm mươi' không phải là số"),
        ({"plan_approved": "có lẽ"}, "không phải giá trị có/không"),
        ({"unknown_measure": "1"}, "Mã số liệu 'unknown_measure' không có"),
        ({"poverty_rate": "3.12345"}, "có quá 4 chữ số thập phân"),
    ],
)
def test_invalid_values_save_nothing(tree, official, raw, message):
    with pytest.raises(services.InvalidValues) as error:
        save_values(unit=tree.dak_pek, period=MAY, raw={"income_per_capita": "50", **raw}, by=official)
    assert message in " ".join(error.value.errors.values())
    assert not Report.objects.exists()
    assert not Value.objects.exists()


def test_a_stale_version_is_refused_and_the_first_save_kept(tree, official):
    other = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    first = save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=official)
    # Both opened version 1; the other saves first.
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "5"}, by=other, expected_version=first.version)
    with pytest.raises(ReportError, match="sau khi bạn mở trang"):
        save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "6"}, by=official, expected_version=1)
    assert Value.objects.get().number == 5


def test_submit_then_approve_locks_the_report(tree, official, office):
    report = _approved(tree.dak_pek, MAY, {"poverty_rate": "4"}, official, office)
    assert report.status == ReportStatus.APPROVED
    with pytest.raises(ReportError, match="đã được duyệt ngày .* nên đã khóa"):
        save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "3"}, by=official)
    assert Value.objects.get().number == 4
    assert list(ReportEvent.objects.values_list("action", flat=True)) == [ReportAction.SUBMITTED, ReportAction.APPROVED]


def test_a_submitted_report_is_locked_until_returned(tree, official, office):
    report = submit_report(
        report=save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=official), by=official
    )
    with pytest.raises(ReportError, match="đang chờ duyệt"):
        save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "3"}, by=official)
    with pytest.raises(ReportError, match="Phải ghi lý do trả lại"):
        return_report(report=report, by=office, reason="   ")
    report = return_report(report=report, by=office, reason="Tỷ lệ nghèo chưa khớp số liệu rà soát cuối năm")
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason.startswith("Tỷ lệ nghèo")
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "3"}, by=official)
    assert submit_report(report=report, by=official).status == ReportStatus.SUBMITTED


def test_an_empty_report_cannot_be_submitted(tree, official):
    report = Report.objects.create(unit=tree.dak_pek, period=MAY, programme=Programme.objects.get())
    with pytest.raises(ReportError, match="chưa có số liệu"):
        submit_report(report=report, by=official)


def test_unapprove_needs_a_reason_and_reopens_for_the_district(tree, official, office):
    report = _approved(tree.dak_pek, MAY, {"poverty_rate": "4"}, official, office)
    with pytest.raises(ReportError, match="Phải ghi lý do hủy duyệt"):
        unapprove_report(report=report, by=office, reason="")
    report = unapprove_report(report=report, by=office, reason="Sai đơn vị tính")
    assert (report.status, report.approved_at) == (ReportStatus.RETURNED, None)
    assert ReportEvent.objects.filter(action=ReportAction.UNAPPROVED, reason="Sai đơn vị tính").exists()


def test_late_submission_is_flagged_after_the_provinces_due_day(tree, official, monkeypatch):
    tree.province.report_due_day = 20
    tree.province.save()
    report = save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=official)
    monkeypatch.setattr(services.timezone, "localdate", lambda value=None: dt.date(2024, 5, 20))
    assert submit_report(report=report, by=official).is_late is False
    report = save_values(unit=tree.dak_mon, period=MAY, raw={"poverty_rate": "4"}, by=official)
    monkeypatch.setattr(services.timezone, "localdate", lambda value=None: dt.date(2024, 5, 21))
    assert submit_report(report=report, by=official).is_late is True


def test_carry_forward_keeps_the_last_approved_value_of_each_measure(tree, official, office):
    _approved(tree.dak_pek, MAY, {"poverty_rate": "4", "income_per_capita": "50"}, official, office)
    _approved(tree.dak_pek, JUNE, {"poverty_rate": "3.5"}, official, office)
    save_values(unit=tree.dak_pek, period=dt.date(2024, 7, 1), raw={"poverty_rate": "3"}, by=official)  # a draft
    carried = carried_values([tree.dak_pek.pk], dt.date(2024, 7, 1))[tree.dak_pek.pk]
    by_code = {Value.objects.filter(measure_id=pk).first().measure.code: v for pk, v in carried.items()}
    assert by_code == {"poverty_rate": Decimal("3.5"), "income_per_capita": Decimal("50")}
    assert carried_values([tree.dak_pek.pk], dt.date(2024, 4, 1)) == {}


def test_submit_all_and_approve_all_for_a_district_month(tree, official, office):
    save_values(unit=tree.dak_pek, period=MAY, raw={"poverty_rate": "4"}, by=official)
    save_values(unit=tree.dak_mon, period=MAY, raw={"poverty_rate": "5"}, by=official)
    Report.objects.create(unit=tree.dak_glei_town, period=MAY, programme=Programme.objects.get())
    submitted, empty = submit_all(district=tree.dak_glei, period=MAY, by=official)
    assert (submitted, empty) == (2, ["Thị trấn Đắk Glei"])
    assert approve_all(district=tree.dak_glei, period=MAY, by=office) == 2
    assert Report.objects.filter(status=ReportStatus.APPROVED).count() == 2


def test_approval_changes_are_announced_after_commit(tree, official, office, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, units, period, **kwargs):
        received.append(([u.code for u in units], period))

    services.approval_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = _approved(tree.dak_pek, MAY, {"poverty_rate": "4"}, official, office)
        with django_capture_on_commit_callbacks(execute=True):
            unapprove_report(report=report, by=office, reason="Kiểm tra lại")
    finally:
        services.approval_changed.disconnect(listener)
    assert received == [(["23353"], MAY), (["23353"], MAY)]
