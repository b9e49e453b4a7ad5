"""Monthly reports: the entry form, the workflow buttons, the district's month, the office's review and the
overdue board.

Every decision about who may see or do what goes through communes.permissions; every change goes through
monthly.services. A unit outside the user's scope is 404, an action their role may not take is 403.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communes.models import AdministrativeUnit, Level, Membership, Role
from communes.months import month_code, shift_month, this_month
from communes.permissions import (
    REPORTING_LEVELS,
    can_comment,
    can_edit,
    can_review,
    departments_of,
    has_scope,
    is_district_official,
    is_office,
    require,
    unit_or_404,
)
from criteria.definitions import build_programme
from criteria.evaluation import IndicatorResult, evaluate_programme
from criteria.models import CriteriaSet, Criterion, MeasureKind
from monthly import services
from monthly.models import Report, ReportAction, ReportStatus

FIELD_PREFIX = "m_"
BOOLEAN_TEXT = {True: "true", False: "false"}
# Reports that count as sent: nothing is overdue once the district has submitted.


# ---------------------------------------------------------------- small helpers


def _months_nav(period: dt.date) -> dict[str, str]:
    return {"previous": month_code(shift_month(period, -1)), "next": month_code(shift_month(period, 1))}


def _report_url(unit: AdministrativeUnit, period: dt.date) -> str:
    return reverse("monthly:report", args=[unit.code, month_code(period)])


def _province_of(unit: AdministrativeUnit, ancestors: list[AdministrativeUnit]) -> AdministrativeUnit:
    return ancestors[0] if ancestors else unit


def _district_of(unit: AdministrativeUnit, ancestors: list[AdministrativeUnit]) -> AdministrativeUnit | None:
    if unit.level == Level.DISTRICT:
        return unit
    return next((a for a in ancestors if a.level == Level.DISTRICT), None)


def _days_late(due: dt.date, today: dt.date) -> int:
    """Whole days after the due day; 0 on or before it."""
    return max((today - due).days, 0)


def _departments(text: str) -> set[str]:
    """A criterion's 'responsible department' may name several, separated by semicolons."""
    return {part.strip() for part in text.split(";") if part.strip()}


def _input_text(value: Any) -> str:
    """A stored value as the form shows it: 'true'/'false' for the Có/Không select, numbers without zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return BOOLEAN_TEXT[value]
    if isinstance(value, Decimal):
        plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        return localize(plain)
    return str(value)


def _range_text(measure) -> str:
    """The allowed range, as the services check it (a percent is 0-100 unless the measure says otherwise)."""
    if measure.kind in (MeasureKind.BOOLEAN, MeasureKind.LEVEL):
        return ""
    low, high = measure.min_value, measure.max_value
    if measure.kind == MeasureKind.PERCENT:
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
    if low is None and high is None:
        return ""
    if high is None:
        return _("từ %(low)s") % {"low": _input_text(low)}
    if low is None:
        return _("đến %(high)s") % {"high": _input_text(high)}
    return f"{_input_text(low)} – {_input_text(high)}"


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# ---------------------------------------------------------------- home


@require_GET
def monthly_home(request):
    """The most useful monthly page for the person: the office reviews, a district enters, others watch."""
    month = this_month()
    if is_office(request.user):
        return redirect("monthly:review", month=month)
    if is_district_official(request.user):
        membership = (
            Membership.objects.filter(user=request.user, role=Role.DISTRICT, unit__level=Level.DISTRICT)
            .select_related("unit")
            .order_by("unit__path")
            .first()
        )
        if membership is not None:
            return redirect("monthly:district", code=membership.unit.code, month=month)
    return redirect("monthly:overdue", month=month)


# ---------------------------------------------------------------- one unit's report


@dataclass
class EntryField:
    """One measure on the report page: what it is, its value, the threshold it faces, and any error."""

    measure: Any
    name: str
    value: Any = None
    text: str = ""
    error: str = ""
    unsaved: str = ""
    reading: IndicatorResult | None = None
    reading_set: str = ""
    range_text: str = ""

    @property
    def is_boolean(self) -> bool:
        return self.measure.kind == MeasureKind.BOOLEAN

    @property
    def is_level(self) -> bool:
        return self.measure.kind == MeasureKind.LEVEL


@dataclass
class EntryGroupView:
    """The measures first read by one criterion, and the set's name where a new set begins."""

    label: str
    set_name: str
    starts_set: bool
    fields: list[EntryField]


@dataclass
class ReportPage:
    """Everything the report page shows, built in a fixed number of queries whatever the number of measures."""

    unit: AdministrativeUnit
    period: dt.date
    ancestors: list[AdministrativeUnit]
    programme: Any
    report: Report | None
    groups: list[EntryGroupView] = field(default_factory=list)
    trail: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    criterion_names: dict[int, str] = field(default_factory=dict)
    due: dt.date | None = None


def _load_report(unit: AdministrativeUnit, period: dt.date) -> Report | None:
    return Report.objects.filter(unit=unit, period=period).select_related("updated_by").first()


def _build_page(
    unit: AdministrativeUnit,
    period: dt.date,
    programme,
    *,
    posted: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    unsaved: dict[str, str] | None = None,
) -> ReportPage:
    """The report page's content. `posted` refills the inputs after invalid figures; `unsaved` lists what a
    person typed but could not save (someone else saved first), shown beside the current figures."""
    report = _load_report(unit, period)
    ancestors = unit.ancestors()
    province = _province_of(unit, ancestors)
    page = ReportPage(unit=unit, period=period, ancestors=ancestors, programme=programme, report=report)
    page.due = services.due_date(period, province.report_due_day)

    entries = services.entry_measures(programme=programme, level=unit.level, province_code=unit.province_code)
    stored = services.form_values(unit=unit, period=period, report=report)
    values = {e.measure.code: stored.get(e.measure.pk) for e in entries}

    # The threshold each measure faces: that of the lowest-rank indicator reading it, for this unit and year.
    definition = build_programme(programme.code, unit.province_code)
    result = evaluate_programme(
        definition,
        unit.threshold_profile(province_region=province.region),
        period.year,
        {code: value for code, value in values.items() if value is not None},
        level=services.CRITERIA_LEVEL.get(unit.level, unit.level),
    )
    readings: dict[str, tuple[IndicatorResult, str]] = {}
    for set_result in result.sets.values():
        for criterion in set_result.criteria:
            page.criterion_names.setdefault(criterion.number, criterion.name)
            for indicator in criterion.indicators:
                if indicator.measure and indicator.measure not in readings:
                    readings[indicator.measure] = (indicator, set_result.name)

    fields: dict[str, EntryField] = {}
    for entry in entries:
        measure = entry.measure
        name = FIELD_PREFIX + measure.code
        reading, reading_set = readings.get(measure.code, (None, ""))
        current = _input_text(values[measure.code])
        given = (posted or {}).get(measure.code)
        typed = (unsaved or {}).get(measure.code)
        fields[measure.code] = EntryField(
            measure=measure,
            name=name,
            value=values[measure.code],
            text=current if given is None else given,
            error=(errors or {}).get(measure.code, "").removeprefix(f"{measure.name}: "),
            # What this person typed and could not save, where it differs from the figure now stored.
            unsaved=(typed.strip() or _("(để trống)")) if typed is not None and typed.strip() != current else "",
            reading=reading,
            reading_set=reading_set,
            range_text=_range_text(measure),
        )
    previous_set = None
    for group in services.group_by_criterion(entries):
        # Criteria are numbered within their set: name the set where a new one begins ("3. Thôn thông minh" of
        # the model tier follows "19. Quốc phòng và an ninh" of the standard one).
        criteria_set = group.measures[0].indicators[0].criterion.criteria_set
        page.groups.append(
            EntryGroupView(
                label=group.label,
                set_name=criteria_set.name,
                starts_set=criteria_set.pk != previous_set,
                fields=[fields[e.measure.code] for e in group.measures],
            )
        )
        previous_set = criteria_set.pk

    if report is not None:
        for event in report.events.select_related("by"):
            if event.action == ReportAction.COMMENTED:
                event.criterion_name = page.criterion_names.get(event.criterion_number, "")
                page.comments.append(event)
            else:
                page.trail.append(event)
        page.changes = list(report.changes.select_related("measure", "changed_by"))
    return page


def _department_criteria(user, unit: AdministrativeUnit, programme) -> list[tuple[int, str]]:
    """The criteria (number, name) of this unit's sets that the user's department answers for (all of them for
    an administrator)."""
    mine = departments_of(user)
    if not mine and not user.is_superuser:
        return []
    sets = CriteriaSet.objects.filter(
        programme=programme, level=services.CRITERIA_LEVEL.get(unit.level, unit.level)
    ).in_force_for(unit.province_code)
    criteria = (
        Criterion.objects.filter(criteria_set__in=sets)
        .order_by("criteria_set__rank", "-criteria_set__province_code", "number")
        .values_list("number", "name", "department")
    )
    chosen: dict[int, str] = {}
    for number, name, department in criteria:
        if user.is_superuser or _departments(department) & mine:
            chosen.setdefault(number, name)
    return sorted(chosen.items())


def _render_report(
    request,
    unit: AdministrativeUnit,
    period: dt.date,
    programme,
    *,
    status: int = 200,
    error: str = "",
    form_error: tuple[str, str] | None = None,
    posted: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    unsaved: dict[str, str] | None = None,
) -> HttpResponse:
    page = _build_page(unit, period, programme, posted=posted, errors=errors, unsaved=unsaved)
    report = page.report
    user = request.user
    editor = can_edit(user, unit)
    reviewer = can_review(user, unit)
    commenter = can_comment(user, unit) and report is not None
    # A set without measures yet (a programme's skeleton) has nothing to enter.
    editable = editor and (report is None or report.is_open_for_entry) and bool(page.groups)
    today = timezone.localdate()
    sent = report is not None and report.status in services.SENT
    context = {
        "page": page,
        "unit": unit,
        "report": report,
        "period": period,
        "month": month_code(period),
        "months": _months_nav(period),
        "district": _district_of(unit, page.ancestors),
        "editable": editable,
        "can_edit": editor,
        "can_review": reviewer,
        "version": report.version if report else 0,
        "overdue_days": 0 if sent else _days_late(page.due, today),
        "error": error,
        "form_error": form_error or ("", ""),
        "invalid_fields": [f for group in page.groups for f in group.fields if f.error],
        "has_unsaved": editable and any(f.unsaved for group in page.groups for f in group.fields),
        "department_criteria": _department_criteria(user, unit, page.programme) if commenter else [],
        "posted_reason": request.POST.get("reason", "") if request.method == "POST" else "",
    }
    return render(request, "monthly/report.html", context, status=status)


def _report_target(request, code: str, month: dt.date):
    """The unit, month and programme an action names: 404 out of scope or for a bad month."""
    unit = unit_or_404(request, code, REPORTING_LEVELS)
    period = month
    return unit, period, services.programme_for(period)


def _no_programme(request, unit: AdministrativeUnit, period: dt.date, status: int = 200) -> HttpResponse:
    context = {"unit": unit, "period": period, "month": month_code(period), "months": _months_nav(period)}
    return render(request, "monthly/no_programme.html", context, status=status)


@require_http_methods(["GET", "POST"])
def report_page(request, code: str, month: dt.date):
    """GET: the report (an entry form for the district while it is open). POST: save the draft."""
    unit, period, programme = _report_target(request, code, month)
    if request.method == "POST":
        require(can_edit(request.user, unit), _("Chỉ cán bộ huyện phụ trách mới được nhập số liệu của đơn vị này."))
    if programme is None:
        return _no_programme(request, unit, period, status=200 if request.method == "GET" else 409)
    if request.method == "GET":
        return _render_report(request, unit, period, programme)

    entries = services.entry_measures(programme=programme, level=unit.level, province_code=unit.province_code)
    measures = {e.measure.code: e.measure for e in entries}
    # A field missing from the POST is left alone; an empty one clears the value.
    raw = {code: request.POST[FIELD_PREFIX + code] for code in measures if FIELD_PREFIX + code in request.POST}
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return _render_report(
            request, unit, period, programme, status=400, error=_("Thiếu phiên bản của báo cáo: hãy tải lại trang.")
        )
    try:
        services.save_values(
            unit=unit, period=period, raw=raw, by=request.user, expected_version=version, measures=measures
        )
    except services.InvalidValues as exc:
        return _render_report(
            request,
            unit,
            period,
            programme,
            error=_("Số liệu chưa hợp lệ nên chưa lưu gì. Hãy sửa các ô được đánh dấu rồi lưu lại."),
            posted=raw,
            errors=exc.errors,
        )
    except services.ReportError as exc:
        # Locked meanwhile, or someone else saved first: keep their figures, show what this person typed.
        return _render_report(request, unit, period, programme, status=409, error=exc.message, unsaved=raw)
    messages.success(request, _("Đã lưu bản nháp báo cáo %(unit)s tháng %(month)s.") % _names(unit, period))
    return redirect(_report_url(unit, period))


def _names(unit: AdministrativeUnit, period: dt.date) -> dict[str, str]:
    return {"unit": unit.name, "month": f"{period:%m/%Y}"}


def _action(request, code: str, month: dt.date, *, allowed, denied: str):
    """Shared start of the POST-only actions: the unit in scope, the role allowed, the report loaded."""
    unit, period, programme = _report_target(request, code, month)
    require(allowed(request.user, unit), denied)
    if programme is None:
        return unit, period, programme, None, _no_programme(request, unit, period, status=409)
    report = _load_report(unit, period)
    if report is None:
        response = _render_report(
            request, unit, period, programme, status=409, error=_("Đơn vị chưa có báo cáo tháng này.")
        )
        return unit, period, programme, None, response
    return unit, period, programme, report, None


@require_POST
def report_submit(request, code: str, month: dt.date):
    """Send the saved figures to the office (nothing typed but unsaved is sent)."""
    unit, period, programme, report, refused = _action(
        request, code, month, allowed=can_edit, denied=_("Chỉ cán bộ huyện phụ trách mới được gửi báo cáo này.")
    )
    if refused:
        return refused
    try:
        report = services.submit_report(report=report, by=request.user)
    except services.ReportError as exc:
        return _render_report(request, unit, period, programme, status=409, error=exc.message)
    text = _("Đã gửi báo cáo %(unit)s tháng %(month)s tới Văn phòng điều phối.") % _names(unit, period)
    if report.is_late:
        text += " " + _("Báo cáo được ghi là gửi muộn (sau hạn ngày %(due)s).") % {
            "due": f"{services.due_date(period, services.province_due_day(unit)):%d/%m/%Y}"
        }
    messages.success(request, text)
    return redirect(_report_url(unit, period))


@require_POST
def report_approve(request, code: str, month: dt.date):
    unit, period, programme, report, refused = _action(
        request, code, month, allowed=can_review, denied=_("Chỉ Văn phòng điều phối mới được duyệt báo cáo.")
    )
    if refused:
        return refused
    try:
        services.approve_report(report=report, by=request.user)
    except services.ReportError as exc:
        return _render_report(request, unit, period, programme, status=409, error=exc.message)
    messages.success(request, _("Đã duyệt báo cáo %(unit)s tháng %(month)s; số liệu đã khóa.") % _names(unit, period))
    return redirect(_report_url(unit, period))


def _with_reason(request, code: str, month: dt.date, *, service, form: str, empty: str, done: str):
    """Return and un-approve: the office only, and never without a reason."""
    unit, period, programme, report, refused = _action(
        request, code, month, allowed=can_review, denied=_("Chỉ Văn phòng điều phối mới được làm việc này.")
    )
    if refused:
        return refused
    reason = request.POST.get("reason", "").strip()
    if not reason:
        return _render_report(request, unit, period, programme, status=400, error=empty, form_error=(form, empty))
    try:
        service(report=report, by=request.user, reason=reason)
    except services.ReportError as exc:
        return _render_report(request, unit, period, programme, status=409, error=exc.message)
    messages.success(request, done % _names(unit, period))
    return redirect(_report_url(unit, period))


@require_POST
def report_return(request, code: str, month: dt.date):
    return _with_reason(
        request,
        code,
        month,
        service=services.return_report,
        form="return",
        empty=_("Phải ghi lý do trả lại để cán bộ huyện biết cần sửa gì."),
        done=_("Đã trả lại báo cáo %(unit)s tháng %(month)s cho huyện."),
    )


@require_POST
def report_unapprove(request, code: str, month: dt.date):
    return _with_reason(
        request,
        code,
        month,
        service=services.unapprove_report,
        form="unapprove",
        empty=_("Phải ghi lý do hủy duyệt."),
        done=_("Đã hủy duyệt báo cáo %(unit)s tháng %(month)s; báo cáo trở về huyện để sửa."),
    )


@require_POST
def report_comment(request, code: str, month: dt.date):
    """A department's remark on one of the criteria it answers for."""
    unit, period, programme, report, refused = _action(
        request, code, month, allowed=can_comment, denied=_("Chỉ sở, ngành phụ trách tiêu chí mới được góp ý.")
    )
    if refused:
        return refused
    try:
        number = int(request.POST.get("criterion", ""))
    except ValueError:
        number = None
    if number not in dict(_department_criteria(request.user, unit, programme)):
        raise PermissionDenied(_("Tiêu chí này không do cơ quan của bạn phụ trách."))
    text = request.POST.get("text", "").strip()
    if not text:
        message = _("Nội dung góp ý không được để trống.")
        return _render_report(
            request, unit, period, programme, status=400, error=message, form_error=("comment", message)
        )
    services.comment_on_criterion(report=report, by=request.user, criterion_number=number, text=text)
    messages.success(request, _("Đã gửi góp ý về tiêu chí %(number)s.") % {"number": number})
    return redirect(_report_url(unit, period))


# ---------------------------------------------------------------- a district's month


@dataclass
class UnitRow:
    """A unit of the district page or the overdue board, with its report (None when nothing was entered)."""

    unit: AdministrativeUnit
    report: Report | None = None
    overdue_days: int = 0
    village_count: int = 0
    village_statuses: Counter = field(default_factory=Counter)

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""

    @property
    def village_counts(self) -> list[tuple[str, int]]:
        # A list, not the Counter: templates would read `.items` as a missing key (0).
        order = list(ReportStatus.values)
        return sorted(self.village_statuses.items(), key=lambda item: order.index(item[0]))


def _district_reports(district: AdministrativeUnit, period: dt.date) -> list[Report]:
    """Every report of the district's subtree for the month (the district, its communes and villages), one query."""
    return list(
        Report.objects.filter(unit__path__startswith=district.path, period=period)
        .select_related("unit", "updated_by")
        .order_by("unit__path")
    )


@require_GET
def district_month(request, code: str, month: dt.date):
    """A district's communes for one month: who has entered, sent, been returned or approved."""
    district = unit_or_404(request, code, [Level.DISTRICT])
    period = month
    ancestors = district.ancestors()
    province = _province_of(district, ancestors)
    due = services.due_date(period, province.report_due_day)
    today = timezone.localdate()
    programme = services.programme_for(period)

    communes = list(
        AdministrativeUnit.objects.filter(parent=district, level=Level.COMMUNE)
        .annotate(village_count=Count("children", filter=Q(children__level=Level.VILLAGE)))
        .in_vietnamese_order()
    )
    rows = {c.pk: UnitRow(unit=c, village_count=c.village_count) for c in communes}
    own = None
    for report in _district_reports(district, period):
        if report.unit_id == district.pk:
            own = report
        elif report.unit_id in rows:
            rows[report.unit_id].report = report
        elif report.unit.level == Level.VILLAGE and report.unit.parent_id in rows:
            rows[report.unit.parent_id].village_statuses[report.status] += 1
    for row in rows.values():
        if row.status not in services.SENT:
            row.overdue_days = _days_late(due, today)

    counts = Counter(row.status or "none" for row in rows.values())
    return render(
        request,
        "monthly/district.html",
        {
            "district": district,
            "ancestors": ancestors,
            "period": period,
            "month": month_code(period),
            "months": _months_nav(period),
            "programme": programme,
            "rows": list(rows.values()),
            "own_report": own,
            "counts": counts,
            "due": due,
            "days_left": (due - today).days,
            "village_total": sum(row.village_count for row in rows.values()),
            "can_edit": can_edit(request.user, district),
            "can_review": can_review(request.user, district),
        },
    )


@require_POST
def district_submit_all(request, code: str, month: dt.date):
    """Send every draft or returned report of the district; say which units had nothing to send."""
    district = unit_or_404(request, code, [Level.DISTRICT])
    period = month
    require(can_edit(request.user, district), _("Chỉ cán bộ huyện phụ trách mới được gửi báo cáo của huyện."))
    try:
        sent, empty = services.submit_all(district=district, period=period, by=request.user)
    except services.ReportError as exc:
        messages.error(request, exc.message)
        return redirect("monthly:district", code=district.code, month=month_code(period))
    without_report = list(
        AdministrativeUnit.objects.filter(parent=district, level=Level.COMMUNE)
        .exclude(reports__period=period)
        .in_vietnamese_order()
        .values_list("name", flat=True)
    )
    if sent:
        messages.success(
            request, _("Đã gửi %(count)s báo cáo tháng %(month)s.") % {"count": sent, "month": f"{period:%m/%Y}"}
        )
    else:
        messages.info(request, _("Không có báo cáo nào để gửi."))
    if empty:
        messages.warning(request, _("Chưa có số liệu nên chưa gửi: %(names)s.") % {"names": ", ".join(empty)})
    if without_report:
        messages.warning(request, _("Chưa có báo cáo tháng này: %(names)s.") % {"names": ", ".join(without_report)})
    return redirect("monthly:district", code=district.code, month=month_code(period))


@require_POST
def district_approve_all(request, code: str, month: dt.date):
    """Approve every submitted report of the district at once (the office)."""
    district = unit_or_404(request, code, [Level.DISTRICT])
    period = month
    require(can_review(request.user, district), _("Chỉ Văn phòng điều phối mới được duyệt báo cáo."))
    approved = services.approve_all(district=district, period=period, by=request.user)
    if approved:
        messages.success(
            request,
            _("Đã duyệt %(count)s báo cáo của %(district)s tháng %(month)s.")
            % {"count": approved, "district": district.name, "month": f"{period:%m/%Y}"},
        )
    else:
        messages.info(request, _("%(district)s không có báo cáo nào chờ duyệt.") % {"district": district.name})
    fallback = reverse("monthly:district", args=[district.code, month_code(period)])
    return redirect(_safe_next(request, fallback))


# ---------------------------------------------------------------- the office's review


@dataclass
class DistrictReview:
    district: AdministrativeUnit | None
    province: AdministrativeUnit
    commune_count: int = 0
    counts: Counter = field(default_factory=Counter)
    waiting: list[Report] = field(default_factory=list)

    @property
    def without_report(self) -> int:
        return max(self.commune_count - self.counts.get("commune", 0), 0)


@require_GET
def review(request, month: dt.date):
    """The office's desk: the month's submitted reports by district, with every status counted."""
    period = month
    reviewable = AdministrativeUnit.objects.reviewable_by(request.user)
    if not is_office(request.user):
        raise PermissionDenied(_("Chỉ Văn phòng điều phối mới duyệt báo cáo tháng."))

    # Provinces and districts in one query, with the communes of each district counted.
    heads = list(
        reviewable.filter(level__in=[Level.PROVINCE, Level.DISTRICT])
        .annotate(commune_count=Count("children", filter=Q(children__level=Level.COMMUNE)))
        .in_vietnamese_order()
    )
    provinces = {u.path: u for u in heads if u.level == Level.PROVINCE}
    groups: dict[str, DistrictReview] = {}
    for unit in heads:
        if unit.level == Level.DISTRICT and unit.province_code + "/" in provinces:
            groups[unit.path] = DistrictReview(
                district=unit, province=provinces[unit.province_code + "/"], commune_count=unit.commune_count
            )
    # Communes right under a province (the two-tier structure since July 2025) form their own group.
    direct = {
        path: DistrictReview(district=None, province=province, commune_count=province.commune_count)
        for path, province in provinces.items()
    }

    reports = (
        Report.objects.filter(period=period, unit__in=reviewable)
        .select_related("unit", "updated_by")
        .order_by("unit__path")
    )
    for report in reports:
        parts = report.unit.path.split("/")
        group = groups.get(f"{parts[0]}/{parts[1]}/") or direct.get(f"{parts[0]}/")
        if group is None:
            continue
        group.counts[report.status] += 1
        if report.unit.level == Level.COMMUNE:
            group.counts["commune"] += 1
        if report.status == ReportStatus.SUBMITTED:
            group.waiting.append(report)

    # Province by province (for an administrator who sees them all), districts in Vietnamese order within each.
    province_rank = {path: rank for rank, path in enumerate(provinces)}
    sections = sorted(
        [*groups.values(), *(g for g in direct.values() if g.commune_count or g.counts)],
        key=lambda g: province_rank[g.province.path],
    )
    return render(
        request,
        "monthly/review.html",
        {
            "period": period,
            "month": month_code(period),
            "months": _months_nav(period),
            "sections": sections,
            "waiting_total": sum(len(s.waiting) for s in sections),
            "several_provinces": len(provinces) > 1,
            "next": request.get_full_path(),
        },
    )


# ---------------------------------------------------------------- overdue board


@require_GET
def overdue(request, month: dt.date):
    """Communes in the user's scope that have not sent the month's figures (overdue after the due day), and the
    month's late sendings."""
    period = month
    if not has_scope(request.user):
        raise Http404(_("Không có đơn vị nào trong phạm vi của bạn."))
    scope = AdministrativeUnit.objects.in_scope_of(request.user).filter(level=Level.COMMUNE)
    today = timezone.localdate()

    due_days = dict(AdministrativeUnit.objects.filter(level=Level.PROVINCE).values_list("code", "report_due_day"))
    communes = list(scope.select_related("parent").in_vietnamese_order())
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=scope)}
    pending, late, dues = [], [], set()
    for commune in communes:
        due = services.due_date(period, due_days.get(commune.province_code) or 25)
        dues.add(due)
        report = reports.get(commune.pk)
        row = UnitRow(unit=commune, report=report)
        if report is not None and report.status in services.SENT:
            if report.is_late:
                sent_on = timezone.localdate(report.submitted_at) if report.submitted_at else today
                row.overdue_days = _days_late(due, sent_on)
                late.append(row)
            continue
        row.overdue_days = _days_late(due, today)
        pending.append(row)
    # Longest overdue first; Vietnamese order among equals (the sort is stable).
    pending.sort(key=lambda r: -r.overdue_days)
    due = next(iter(dues)) if len(dues) == 1 else None
    return render(
        request,
        "monthly/overdue.html",
        {
            "period": period,
            "month": month_code(period),
            "months": _months_nav(period),
            "pending": pending,
            "overdue_count": sum(1 for r in pending if r.overdue_days),
            "late": late,
            "commune_total": len(communes),
            "sent_total": len(communes) - len(pending),
            "due": due,
            "days_left": (due - today).days if due else None,
            "today": today,
        },
    )
