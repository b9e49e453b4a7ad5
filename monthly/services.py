"""Monthly reporting: entering figures, submitting, reviewing. Every change that touches rows runs here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Level
from communes.months import (
    month_end,
    parse_month,  # noqa: F401 - re-exported for callers of services
)
from criteria.measures import InvalidValue, coerce_typed
from criteria.models import CriteriaSet, Indicator, Measure, Programme, Threshold
from monthly.figures import previous_values
from monthly.latest import record_approved, record_unapproved
from monthly.models import Report, ReportAction, ReportEvent, ReportStatus, Value, ValueChange

# Sent after commit when a report's approval changes, with the affected units and period, so the reports app
# can recompute statuses without communes depending on it.
approval_changed = Signal()

CRITERIA_LEVEL = {Level.COMMUNE: "commune", Level.VILLAGE: "village", Level.DISTRICT: "district"}


class ReportError(Exception):
    """A refused report operation, with a Vietnamese message for the person who tried it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidValues(ReportError):
    """Figures that cannot be saved; `errors` maps measure code to the reason."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Số liệu chưa hợp lệ: %(errors)s") % {"errors": "; ".join(errors.values())})
        self.errors = errors


# ---------------------------------------------------------------- periods and programmes


def no_programme_message(period: dt.date) -> str:
    return _("Không có giai đoạn nào của Chương trình áp dụng cho tháng %(month)s.") % {"month": f"{period:%m/%Y}"}


def time_and_date(moment: dt.datetime) -> str:
    """'14:05 ngày 03/06/2024', in local time."""
    local = timezone.localtime(moment)
    return _("%(time)s ngày %(date)s") % {"time": f"{local:%H:%M}", "date": f"{local:%d/%m/%Y}"}


def programme_for(period: dt.date) -> Programme | None:
    """The programme that judges the month: in force on its last day (February 2026 is QĐ 51/2025's, in force from
    the 15th; January 2026 still the 2021-2025 sets')."""
    return Programme.objects.judging(period.replace(day=1)).order_by("-start_year").first()


def due_date(period: dt.date, due_day: int) -> dt.date:
    return period.replace(day=due_day)


# A report counts as sent once submitted; nothing sent is ever overdue.
SENT = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def is_overdue(period: dt.date, due_day: int, report_status: str | None, today: dt.date) -> bool:
    """Not sent, and the province's due day for that month has passed (the overdue board and the dashboards)."""
    return report_status not in SENT and today > due_date(period, due_day)


def province_due_day(unit: AdministrativeUnit) -> int:
    if unit.level == Level.PROVINCE:
        return unit.report_due_day
    day = AdministrativeUnit.objects.filter(path=unit.province_path).values_list("report_due_day", flat=True)
    return day.first() or 25


# ---------------------------------------------------------------- what a unit reports


@dataclass
class EntryMeasure:
    measure: Measure
    criterion_label: str
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class EntryGroup:
    label: str
    measures: list[EntryMeasure]


def entry_measures(
    *, programme: Programme, level: str, province_code: str, on: dt.date | None = None
) -> list[EntryMeasure]:
    """The measures a unit of this level reports under the sets in force, in the order of the criteria that
    first read them, with the figures their thresholds depend on (e.g. the number of schools) just before them
    (two queries)."""
    # The sets' versions in force on that day (the month's end; today when not given).
    sets = CriteriaSet.objects.filter(programme=programme, level=CRITERIA_LEVEL.get(level, level)).in_force_for(
        province_code, on
    )
    conditions = Threshold.objects.filter(condition_measure__isnull=False).select_related("condition_measure")
    indicators = (
        Indicator.objects.filter(criterion__criteria_set__in=sets, measure__isnull=False)
        .select_related("measure", "criterion__criteria_set")
        .prefetch_related(Prefetch("thresholds", queryset=conditions, to_attr="conditioned"))
        .order_by("criterion__criteria_set__rank", "criterion__number", "position")
    )
    by_code: dict[str, EntryMeasure] = {}
    for indicator in indicators:
        criterion = indicator.criterion
        label = f"{criterion.number}. {criterion.name}"
        for threshold in indicator.conditioned:
            by_code.setdefault(threshold.condition_measure.code, EntryMeasure(threshold.condition_measure, label))
        entry = by_code.get(indicator.measure.code)
        if entry is None:
            entry = by_code[indicator.measure.code] = EntryMeasure(measure=indicator.measure, criterion_label=label)
        entry.indicators.append(indicator)
    return list(by_code.values())


def group_by_criterion(entries: Iterable[EntryMeasure]) -> list[EntryGroup]:
    groups: dict[str, list[EntryMeasure]] = {}
    for entry in entries:
        groups.setdefault(entry.criterion_label, []).append(entry)
    return [EntryGroup(label, measures) for label, measures in groups.items()]


def report_values(report: Report | None) -> dict[int, Any]:
    if report is None:
        return {}
    return {v.measure_id: v.value for v in report.values.all()}


def form_values(
    *, unit: AdministrativeUnit, period: dt.date, report: Report | None, previous: Mapping[int, Any] | None = None
) -> dict[int, Any]:
    """What the entry form shows: the report's own values over the last approved ones.

    The approved values up to this month are those before it plus this month's report's own when approved, which
    are shown anyway: so `previous` (previous_values, when the caller has them) is all that is carried.
    """
    if previous is None:
        previous = previous_values(unit=unit, period=period)
    return {**previous, **report_values(report)}


# ---------------------------------------------------------------- entering figures


def _display(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "Có"
    if value is False:
        return "Không"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def validate_values(measures: Mapping[str, Measure], raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values by measure code, and the errors by measure code ('' and None clear a value)."""
    values, errors = {}, {}
    for code, given in raw.items():
        measure = measures.get(code)
        if measure is None:
            unknown = _("Mã số liệu '%(code)s' không có trong bộ tiêu chí áp dụng cho đơn vị này.")
            errors[code] = unknown % {"code": code}
            continue
        try:
            value = coerce_typed(measure, given)
        except InvalidValue as exc:
            errors[code] = _("%(measure)s: %(reason)s.") % {"measure": measure.name, "reason": exc}
            continue
        error = _storage_error(value, given)
        if error:
            errors[code] = _("%(measure)s: %(reason)s") % {"measure": measure.name, "reason": error}
            continue
        values[code] = value
    return values, errors


def _storage_error(value: Any, given: Any) -> str:
    """Why Value.number cannot hold the value as typed ('' when it can)."""
    if not isinstance(value, Decimal):
        return ""
    # 10 digits before the point and 4 after; rounding silently would change a figure.
    _sign, digits, exponent = value.normalize().as_tuple()
    if max(0, -exponent) > 4:
        return _("%(value)s có quá 4 chữ số thập phân.") % {"value": given}
    if max(0, len(digits) + exponent) > 10:
        return _("%(value)s quá lớn để lưu (tối đa 10 chữ số phần nguyên).") % {"value": given}
    return ""


@transaction.atomic
def save_values(
    *,
    unit: AdministrativeUnit,
    period: dt.date,
    raw: Mapping[str, Any],
    by,
    expected_version: int | None = None,
    version_required: bool = False,
    via: str = "form",
    measures: Mapping[str, Measure] | None = None,
    previous: Mapping[int, Any] | None = None,
    workbook: str = "",
) -> Report:
    """Create or update a unit's report for the month with these figures, recording each change.

    A change is a value that differs from where the report stands: its own value, else the approved value carried
    forward from before this month (`previous`, measure id -> value; looked up when not given). So the first save
    of a prefilled form records only the figures typed, not every prefilled one. With `version_required` (the API),
    updating a report that already exists needs the version it was based on. `workbook`: the id of the Excel
    template the figures come from.
    """
    programme = programme_for(period)
    if programme is None:
        raise ReportError(no_programme_message(period))
    report, created = _locked_report(unit, period, programme)
    if not report.is_open_for_entry:
        raise ReportError(locked_reason(report))
    _check_version(report, created, expected_version, version_required)
    if measures is None:
        measures = {
            e.measure.code: e.measure
            for e in entry_measures(
                programme=programme, level=unit.level, province_code=unit.province_code, on=month_end(period)
            )
        }
    values, errors = validate_values(measures, raw)
    if errors:
        raise InvalidValues(errors)
    if previous is None:
        previous = previous_values(unit=unit, period=period)
    _write_values(report, measures, values, by=by, via=via, previous=previous)
    report.version += 1
    report.updated_by = by
    report.saved_from_workbook = f"{workbook}:{report.version}" if workbook else ""
    report.save(update_fields=["version", "updated_by", "updated_at", "saved_from_workbook"])
    return report


def _check_version(report: Report, created: bool, expected_version: int | None, version_required: bool) -> None:
    if version_required and not created and expected_version is None:
        raise ReportError(
            _(
                "Báo cáo %(unit)s tháng %(month)s đã có (phiên bản %(version)s): gửi kèm 'version' là phiên bản bạn "
                "đã đọc, để không ghi đè số liệu người khác vừa nhập."
            )
            % {"unit": report.unit.name, "month": f"{report.period:%m/%Y}", "version": report.version}
        )
    if expected_version is not None and report.version != expected_version:
        who = report.updated_by.get_full_name() or report.updated_by.username if report.updated_by else _("người khác")
        raise ReportError(
            _(
                "Báo cáo đã được %(who)s sửa lúc %(when)s, sau khi bạn mở trang. Số liệu của bạn chưa được lưu: "
                "hãy tải lại trang để xem bản mới nhất rồi nhập lại."
            )
            % {"who": who, "when": time_and_date(report.updated_at)}
        )


def _locked_report(unit: AdministrativeUnit, period: dt.date, programme: Programme) -> tuple[Report, bool]:
    """The month's report, locked for this transaction, and whether this call created it."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .filter(unit=unit, period=period)
        .select_related("updated_by")
        .first()
    )
    if report is not None:
        return report, False
    try:
        with transaction.atomic():
            return Report.objects.create(unit=unit, period=period, programme=programme), True
    except IntegrityError:
        # Someone created it a moment ago: work on theirs.
        report = Report.objects.select_for_update(of=("self",)).select_related("updated_by")
        return report.get(unit=unit, period=period), False


def locked_reason(report: Report) -> str:
    if report.status == ReportStatus.APPROVED:
        when = timezone.localtime(report.approved_at).strftime("%d/%m/%Y") if report.approved_at else ""
        return _(
            "Báo cáo %(unit)s tháng %(month)s đã được duyệt ngày %(date)s nên đã khóa; "
            "muốn sửa, đề nghị Văn phòng điều phối hủy duyệt."
        ) % {"unit": report.unit.name, "month": f"{report.period:%m/%Y}", "date": when}
    return _(
        "Báo cáo %(unit)s tháng %(month)s đã gửi và đang chờ duyệt nên không sửa được; "
        "muốn sửa, đề nghị Văn phòng điều phối trả lại."
    ) % {"unit": report.unit.name, "month": f"{report.period:%m/%Y}"}


def _write_values(
    report: Report, measures: Mapping[str, Measure], values: Mapping[str, Any], *, by, via: str, previous
) -> None:
    """Store every value that differs from the report's own; record as a change only what differs from where the
    report stands (its own value, else the carried-forward one it started from)."""
    existing = {v.measure_id: v for v in report.values.all()}
    to_create, to_update, to_delete, changes = [], [], [], []
    for code, value in values.items():
        measure = measures[code]
        row = existing.get(measure.pk)
        before = row.value if row else previous.get(measure.pk)
        if not _same(before, value):
            changes.append(
                ValueChange(
                    report=report,
                    measure=measure,
                    old_value=_display(before),
                    new_value=_display(value),
                    changed_by=by,
                    via=via,
                )
            )
        if _same(row.value if row else None, value):
            continue
        if value is None:
            to_delete.append(row.pk)
            continue
        row = row or Value(report=report, measure=measure)
        _fill(row, value)
        (to_update if row.pk else to_create).append(row)
    Value.objects.filter(pk__in=to_delete).delete()
    Value.objects.bulk_create(to_create)
    Value.objects.bulk_update(to_update, ["number", "flag", "level"])
    ValueChange.objects.bulk_create(changes)


def _fill(row: Value, value: Any) -> None:
    """Put a typed value in the column its kind uses, clearing the others."""
    row.number, row.flag, row.level = None, None, ""
    if isinstance(value, bool):
        row.flag = value
    elif isinstance(value, str):
        row.level = value
    else:
        row.number = value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return old == new


# ---------------------------------------------------------------- workflow


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)


def _event(report: Report, action: str, by, reason: str = "", criterion_number: int | None = None) -> None:
    ReportEvent.objects.create(report=report, action=action, by=by, reason=reason, criterion_number=criterion_number)


def _notify(units: list[AdministrativeUnit], period: dt.date) -> None:
    transaction.on_commit(lambda: approval_changed.send(sender=Report, units=units, period=period))


@transaction.atomic
def submit_report(*, report: Report, by, expected_version: int | None = None) -> Report:
    """Send a draft (or a returned report) to the coordination office; late if after the province's due day.
    With `expected_version`, only the report as the sender saw it: not figures a colleague changed since."""
    report = _lock(report)
    refuse_if_changed(report, expected_version)
    if not report.is_open_for_entry:
        raise ReportError(locked_reason(report))
    if not report.values.exists():
        raise ReportError(
            _("Báo cáo %(unit)s tháng %(month)s chưa có số liệu nào để gửi.")
            % {"unit": report.unit.name, "month": f"{report.period:%m/%Y}"}
        )
    now = timezone.now()
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.is_late = timezone.localdate(now) > due_date(report.period, province_due_day(report.unit))
    report.version += 1
    report.updated_by = by
    report.save()
    _event(report, ReportAction.SUBMITTED, by)
    return report


def refuse_if_changed(report: Report, expected_version: int | None) -> None:
    """A reviewer acts on the report as they saw it: a report changed since (re-sent with other figures, returned
    or approved by a colleague) is refused, saying who changed it, when, and where it stands now."""
    if expected_version is None or report.version == expected_version:
        return
    who = report.updated_by.get_full_name() or report.updated_by.username if report.updated_by else _("người khác")
    raise ReportError(
        _(
            "Báo cáo %(unit)s tháng %(month)s đã thay đổi sau khi bạn mở trang: %(who)s cập nhật lúc %(when)s, hiện "
            "ở trạng thái '%(status)s'. Chưa thực hiện gì: hãy xem lại báo cáo rồi làm lại."
        )
        % {
            "unit": report.unit.name,
            "month": f"{report.period:%m/%Y}",
            "who": who,
            "when": time_and_date(report.updated_at),
            "status": report.get_status_display(),
        }
    )


@transaction.atomic
def return_report(*, report: Report, by, reason: str, expected_version: int | None = None) -> Report:
    """Send a submitted report back to the district with the reason it must be corrected."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportError(_("Phải ghi lý do trả lại để cán bộ huyện, xã biết cần sửa gì."))
    report = _lock(report)
    refuse_if_changed(report, expected_version)
    if report.status != ReportStatus.SUBMITTED:
        raise ReportError(
            _("Chỉ trả lại được báo cáo đã gửi; báo cáo này đang ở trạng thái '%(status)s'.")
            % {"status": report.get_status_display()}
        )
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.version += 1
    report.updated_by = by
    report.save()
    _event(report, ReportAction.RETURNED, by, reason)
    return report


@transaction.atomic
def approve_report(*, report: Report, by, expected_version: int | None = None) -> Report:
    """Approve a submitted report: its figures become the unit's official ones and the report locks."""
    report = _lock(report)
    refuse_if_changed(report, expected_version)
    if report.status != ReportStatus.SUBMITTED:
        raise ReportError(
            _("Chỉ duyệt được báo cáo đã gửi; báo cáo này đang ở trạng thái '%(status)s'.")
            % {"status": report.get_status_display()}
        )
    _approve(report, by)
    record_approved([report])
    _notify([report.unit], report.period)
    return report


def _approve(report: Report, by) -> None:
    report.status = ReportStatus.APPROVED
    report.approved_at = timezone.now()
    report.return_reason = ""
    report.version += 1
    report.updated_by = by
    report.save()
    _event(report, ReportAction.APPROVED, by)


@transaction.atomic
def unapprove_report(*, report: Report, by, reason: str, expected_version: int | None = None) -> Report:
    """Reopen an approved report for correction (it goes back to the district as returned), with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportError(_("Phải ghi lý do hủy duyệt."))
    report = _lock(report)
    refuse_if_changed(report, expected_version)
    if report.status != ReportStatus.APPROVED:
        raise ReportError(_("Chỉ hủy duyệt được báo cáo đã duyệt."))
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.approved_at = None
    report.version += 1
    report.updated_by = by
    report.save()
    _event(report, ReportAction.UNAPPROVED, by, reason)
    record_unapproved(report)
    _notify([report.unit], report.period)
    return report


@transaction.atomic
def approve_all(
    *, district: AdministrativeUnit, period: dt.date, by, seen: Mapping[int, int] | None = None, only_seen=False
) -> int:
    """Approve every submitted report of a district's (or, since July 2025, a province's) units for the month, in
    one transaction. With `seen` (report id -> version, what the reviewer's page showed) nothing is approved if a
    report changed or arrived since; with `only_seen` (a filtered page) exactly the reports seen are approved."""
    reports = Report.objects.select_for_update(of=("self",)).filter(
        unit__path__startswith=district.path, period=period, status=ReportStatus.SUBMITTED
    )
    if only_seen and seen is not None:
        reports = reports.filter(pk__in=list(seen))
    reports = list(reports.select_related("unit", "updated_by").order_by("unit__path"))
    if seen is not None:
        changed = [r.unit.name for r in reports if seen.get(r.pk) != r.version]
        if changed or len(reports) != len(seen):
            raise ReportError(
                _(
                    "Đã có báo cáo thay đổi sau khi bạn mở trang (%(names)s). Chưa duyệt báo cáo nào: hãy xem lại "
                    "danh sách rồi duyệt."
                )
                % {"names": ", ".join(changed) or _("một báo cáo không còn chờ duyệt")}
            )
    for report in reports:
        _approve(report, by)
    record_approved(reports)
    if reports:
        _notify([r.unit for r in reports], period)
    return len(reports)


@transaction.atomic
def submit_all(*, district: AdministrativeUnit, period: dt.date, by) -> tuple[int, list[str]]:
    """Submit every draft or returned report of a district's units for the month; say which had nothing to send."""
    reports = list(
        Report.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(
            unit__path__startswith=district.path,
            period=period,
            status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        )
        .order_by("unit__path")
    )
    with_values = set(
        Value.objects.filter(report__in=reports).values_list("report_id", flat=True).distinct().order_by()
    )
    submitted, empty = 0, []
    due = due_date(period, province_due_day(district))
    now = timezone.now()
    for report in reports:
        if report.pk not in with_values:
            empty.append(report.unit.name)
            continue
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = now
        report.is_late = timezone.localdate(now) > due
        report.version += 1
        report.updated_by = by
        report.save()
        _event(report, ReportAction.SUBMITTED, by)
        submitted += 1
    return submitted, empty


@transaction.atomic
def comment_on_criterion(*, report: Report, by, criterion_number: int, text: str) -> ReportEvent:
    """A department's remark on a criterion it answers for; the office and the district see it on the report."""
    text = (text or "").strip()
    if not text:
        raise ReportError(_("Nội dung góp ý không được để trống."))
    event = ReportEvent(
        report=report, action=ReportAction.COMMENTED, by=by, reason=text, criterion_number=criterion_number
    )
    event.save()
    return event
