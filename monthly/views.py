"""Monthly reports: the entry form of one unit's month and its workflow buttons (the district's month, the office's
review and the overdue board are in monthly.review_views).

Every decision about who may see or do what goes through communes.permissions; every change goes through
monthly.services. A unit outside the user's scope is 404, an action their role may not take is 403.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import BoundField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communes.models import AdministrativeUnit, Level, Membership, Role
from communes.months import month_code, month_end, shift_month, this_month
from communes.permissions import (
    REPORTING_LEVELS,
    can_comment,
    can_edit,
    can_review,
    departments_of,
    is_office,
    require,
    unit_or_404,
)
from criteria.definitions import build_programme
from criteria.evaluation import IndicatorResult, Outcome
from criteria.measures import range_text
from criteria.models import CriteriaSet, Criterion
from monthly import services
from monthly.evaluation import evaluate_unit
from monthly.figures import previous_values
from monthly.forms import MISSING_VERSION, ReportValuesForm, input_text
from monthly.judged import not_judged_page
from monthly.models import Report, ReportAction
from monthly.predecessors import Predecessors, predecessors_of, take_predecessor_values

# ---------------------------------------------------------------- small helpers (review_views uses the public ones)


def months_nav(period: dt.date) -> dict[str, str]:
    return {"previous": month_code(shift_month(period, -1)), "next": month_code(shift_month(period, 1))}


def _report_url(unit: AdministrativeUnit, period: dt.date) -> str:
    return reverse("monthly:report", args=[unit.code, month_code(period)])


def province_of(unit: AdministrativeUnit, ancestors: list[AdministrativeUnit]) -> AdministrativeUnit:
    return ancestors[0] if ancestors else unit


def _district_of(unit: AdministrativeUnit, ancestors: list[AdministrativeUnit]) -> AdministrativeUnit | None:
    if unit.level == Level.DISTRICT:
        return unit
    return next((a for a in ancestors if a.level == Level.DISTRICT), None)


def days_late(due: dt.date, today: dt.date) -> int:
    """Whole days after the due day; 0 on or before it."""
    return max((today - due).days, 0)


def _departments(text: str) -> set[str]:
    """A criterion's 'responsible department' may name several, separated by semicolons."""
    return {part.strip() for part in text.split(";") if part.strip()}


# ---------------------------------------------------------------- home


@require_GET
def monthly_home(request):
    """The most useful monthly page for the person: the office reviews, a district enters, others watch."""
    month = this_month()
    if is_office(request.user):
        # An office whose provinces all ended with the 2025 reform (Kon Tum's) lands on their last month.
        offices = [
            m.unit for m in Membership.objects.filter(user=request.user, role=Role.OFFICE).select_related("unit")
        ]
        if offices and not any(u.in_force_on(month) for u in offices):
            month = max(u.day_in_force for u in offices).replace(day=1)
        return redirect("monthly:review", month=month)
    membership = (
        Membership.objects.filter(
            Q(role=Role.DISTRICT, unit__level=Level.DISTRICT) | Q(role=Role.COMMUNE, unit__level=Level.COMMUNE),
            user=request.user,
        )
        .select_related("unit")
        .order_by("unit__path")
        .first()
    )
    if membership is not None:
        unit = membership.unit
        # Districts ended with the 2025 reform: a district's official lands on its last month.
        if unit.valid_to and not unit.in_force_on(month):
            month = unit.day_in_force.replace(day=1)
        if membership.role == Role.COMMUNE:
            return redirect("monthly:report", code=unit.code, month=month)
        return redirect("monthly:district", code=unit.code, month=month)
    return redirect("monthly:overdue", month=month)


# ---------------------------------------------------------------- one unit's report


@dataclass
class EntryField:
    """One measure on the report page: its form field, its stored value, the previous month's approved value, the
    threshold it faces, what was typed and could not be saved."""

    measure: Any
    field: BoundField
    value: Any = None
    previous: Any = None
    unsaved: str = ""
    reading: IndicatorResult | None = None
    reading_set: str = ""
    range_text: str = ""
    # The predecessors' last approved values, shown while the unit has none of its own (formed on 01/07/2025).
    inherited: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.field.html_name

    @property
    def error(self) -> str:
        return " ".join(self.field.errors)


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
    form: ReportValuesForm | None = None
    groups: list[EntryGroupView] = field(default_factory=list)
    trail: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    criterion_names: dict[int, str] = field(default_factory=dict)
    due: dt.date | None = None
    predecessors: Predecessors = field(default_factory=Predecessors)
    takeable: int = 0  # figures the whole predecessor could fill into empty fields
    illustrative: list = field(default_factory=list)  # the names of illustrative sets that judge the month
    uses_groups: bool = False
    group: int | None = None


def _load_report(unit: AdministrativeUnit, period: dt.date) -> Report | None:
    return Report.objects.filter(unit=unit, period=period).select_related("updated_by").first()


def _readings(page: ReportPage, province: AdministrativeUnit, values: dict[str, Any]) -> dict[str, tuple]:
    """The threshold each measure faces: that of the lowest-rank indicator reading it, for this unit and year."""
    unit = page.unit
    result = evaluate_unit(
        unit,
        page.period,
        {code: value for code, value in values.items() if value is not None},
        province_region=province.region,
        definition=build_programme(page.programme.code, unit.province_code, month_end(page.period)),
    )
    readings: dict[str, tuple[IndicatorResult, str]] = {}
    page.illustrative = [s.name for s in result.sets.values() if s.illustrative]
    page.uses_groups, page.group = result.uses_groups, result.group
    for set_result in result.sets.values():
        for criterion in set_result.criteria:
            page.criterion_names.setdefault(criterion.number, criterion.name)
            for indicator in criterion.indicators:
                if indicator.measure and indicator.measure not in readings:
                    readings[indicator.measure] = (indicator, set_result.name)
    return readings


def _without_verdict(reading: IndicatorResult) -> IndicatorResult:
    """The threshold alone: a figure that failed validation must not sit beside the stored figure's ✓ or ✗."""
    return dataclasses.replace(reading, value=None, outcome=Outcome.NO_DATA, gap=None, message="")


def _unsaved_text(typed: str | None, current: str) -> str:
    """What this person typed and could not save, where it differs from the figure now stored."""
    if typed is None or typed.strip() == current:
        return ""
    return typed.strip() or _("(để trống)")


def _entry_groups(entries, fields: dict[str, EntryField]) -> list[EntryGroupView]:
    """The fields by criterion. Criteria are numbered within their set: name the set where a new one begins
    ("3. Thôn thông minh" of the model tier follows "19. Quốc phòng và an ninh" of the standard one)."""
    groups, previous_set = [], None
    for group in services.group_by_criterion(entries):
        criteria_set = group.measures[0].indicators[0].criterion.criteria_set
        groups.append(
            EntryGroupView(
                label=group.label,
                set_name=criteria_set.name,
                starts_set=criteria_set.pk != previous_set,
                fields=[fields[e.measure.code] for e in group.measures],
            )
        )
        previous_set = criteria_set.pk
    return groups


def _build_page(
    unit: AdministrativeUnit,
    period: dt.date,
    programme,
    *,
    form: ReportValuesForm | None = None,
    unsaved: dict[str, str] | None = None,
) -> ReportPage:
    """The report page's content. `form` is the bound form after invalid figures (it keeps what was typed);
    `unsaved` lists what a person typed but could not save (someone else saved first), shown beside the current
    figures."""
    report = _load_report(unit, period)
    ancestors = unit.ancestors()
    province = province_of(unit, ancestors)
    page = ReportPage(unit=unit, period=period, ancestors=ancestors, programme=programme, report=report)
    page.due = services.due_date(period, province.report_due_day)

    entries = services.entry_measures(
        programme=programme, level=unit.level, province_code=unit.province_code, on=month_end(period)
    )
    previous = previous_values(unit=unit, period=period)
    stored = services.form_values(unit=unit, period=period, report=report, previous=previous)
    values = {e.measure.code: stored.get(e.measure.pk) for e in entries}
    # Only until the commune has approved figures of its own: then they are where its form starts from.
    page.predecessors = predecessors_of(unit, period) if not previous else Predecessors()
    if whole := page.predecessors.whole:
        page.takeable = sum(
            1 for e in entries if whole.values.get(e.measure.pk) is not None and values[e.measure.code] is None
        )
    readings = _readings(page, province, values)
    page.form = form or ReportValuesForm(
        measures=[e.measure for e in entries], values=values, version=report.version if report else 0
    )
    fields = {}
    for entry in entries:
        code = entry.measure.code
        bound = page.form.field_for(code)
        reading, reading_set = readings.get(code, (None, ""))
        fields[code] = EntryField(
            measure=entry.measure,
            field=bound,
            value=values[code],
            previous=previous.get(entry.measure.pk),
            unsaved=_unsaved_text((unsaved or {}).get(code), input_text(values[code])),
            reading=_without_verdict(reading) if reading and bound.errors else reading,
            reading_set=reading_set,
            range_text=range_text(entry.measure),
            inherited=page.predecessors.beside(entry.measure.pk) if entry.measure.pk not in previous else [],
        )
    page.groups = _entry_groups(entries, fields)

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
    form: ReportValuesForm | None = None,
    unsaved: dict[str, str] | None = None,
) -> HttpResponse:
    page = _build_page(unit, period, programme, form=form, unsaved=unsaved)
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
        "months": months_nav(period),
        "district": _district_of(unit, page.ancestors),
        "editable": editable,
        "can_edit": editor,
        "can_review": reviewer,
        "version": report.version if report else 0,
        "overdue_days": 0 if sent else days_late(page.due, today),
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
    unit = unit_or_404(request, code, REPORTING_LEVELS, on=month)
    period = month
    return unit, period, services.programme_for(period)


def _no_programme(request, unit: AdministrativeUnit, period: dt.date, status: int = 200) -> HttpResponse:
    context = {"unit": unit, "period": period, "month": month_code(period), "months": months_nav(period)}
    return render(request, "monthly/no_programme.html", context, status=status)


@require_http_methods(["GET", "POST"])
def report_page(request, code: str, month: dt.date):
    """GET: the report (an entry form for the district while it is open). POST: save the draft."""
    unit, period, programme = _report_target(request, code, month)
    if request.method == "POST":
        require(can_edit(request.user, unit), _("Chỉ cán bộ huyện, xã phụ trách mới được nhập số liệu của đơn vị này."))
    if programme is None:
        return _no_programme(request, unit, period, status=200 if request.method == "GET" else 409)
    if refusal := not_judged_page(request, unit, period, status=200 if request.method == "GET" else 409):
        return refusal
    if request.method == "GET":
        return _render_report(request, unit, period, programme)

    entries = services.entry_measures(
        programme=programme, level=unit.level, province_code=unit.province_code, on=month_end(period)
    )
    form = ReportValuesForm(request.POST, measures=[e.measure for e in entries])
    invalid = _("Số liệu chưa hợp lệ nên chưa lưu gì. Hãy sửa các ô được đánh dấu rồi lưu lại.")
    if "version" in form.errors:
        return _render_report(request, unit, period, programme, status=400, error=str(MISSING_VERSION))
    if not form.is_valid():
        return _render_report(request, unit, period, programme, error=invalid, form=form)
    try:
        services.save_values(
            unit=unit,
            period=period,
            raw=form.raw_values(),
            by=request.user,
            expected_version=form.cleaned_data["version"],
            measures=form.measures,
        )
    except services.InvalidValues as exc:
        form.add_value_errors(exc.errors)
        return _render_report(request, unit, period, programme, error=invalid, form=form)
    except services.ReportError as exc:
        # Locked meanwhile, or someone else saved first: keep their figures, show what this person typed.
        return _render_report(
            request, unit, period, programme, status=409, error=exc.message, unsaved=form.raw_values()
        )
    messages.success(request, _("Đã lưu bản nháp báo cáo %(unit)s tháng %(month)s.") % _names(unit, period))
    return redirect(_report_url(unit, period))


@require_POST
def report_take_predecessor(request, code: str, month: dt.date):
    """Fill the month's empty fields with the figures of the one commune this one continues (formed whole from it
    on 01/07/2025), as a draft to check and send."""
    unit, period, programme = _report_target(request, code, month)
    require(can_edit(request.user, unit), _("Chỉ cán bộ huyện, xã phụ trách mới được nhập số liệu của đơn vị này."))
    if programme is None:
        return _no_programme(request, unit, period, status=409)
    if refusal := not_judged_page(request, unit, period, status=409):
        return refusal
    measures = {
        e.measure.code: e.measure
        for e in services.entry_measures(
            programme=programme, level=unit.level, province_code=unit.province_code, on=month_end(period)
        )
    }
    try:
        _report, taken = take_predecessor_values(
            unit=unit, period=period, by=request.user, expected_version=_seen_version(request), measures=measures
        )
    except services.ReportError as exc:
        return _render_report(request, unit, period, programme, status=409, error=exc.message)
    messages.success(
        request,
        ngettext(
            "Đã lấy %(count)d số liệu của đơn vị trước sáp nhập vào bản nháp: hãy kiểm tra, sửa cho đúng với xã "
            "rồi gửi.",
            "Đã lấy %(count)d số liệu của đơn vị trước sáp nhập vào bản nháp: hãy kiểm tra, sửa cho đúng với xã "
            "rồi gửi.",
            taken,
        )
        % {"count": taken},
    )
    return redirect(_report_url(unit, period))


def _names(unit: AdministrativeUnit, period: dt.date) -> dict[str, str]:
    return {"unit": unit.name, "month": f"{period:%m/%Y}"}


def _action(request, code: str, month: dt.date, *, allowed, denied: str):
    """Shared start of the POST-only actions: the unit in scope, the role allowed, the report loaded."""
    unit, period, programme = _report_target(request, code, month)
    require(allowed(request.user, unit), denied)
    if programme is None:
        return unit, period, programme, None, _no_programme(request, unit, period, status=409)
    if refusal := not_judged_page(request, unit, period, status=409):
        return unit, period, programme, None, refusal
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
        request, code, month, allowed=can_edit, denied=_("Chỉ cán bộ huyện, xã phụ trách mới được gửi báo cáo này.")
    )
    if refused:
        return refused
    try:
        report = services.submit_report(report=report, by=request.user, expected_version=_seen_version(request))
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
        services.approve_report(report=report, by=request.user, expected_version=_seen_version(request))
    except services.ReportError as exc:
        return _render_report(request, unit, period, programme, status=409, error=exc.message)
    messages.success(request, _("Đã duyệt báo cáo %(unit)s tháng %(month)s; số liệu đã khóa.") % _names(unit, period))
    return redirect(_report_url(unit, period))


def _seen_version(request) -> int | None:
    """The report's version on the reviewer's page (a hidden field of each review form): acting on a report that
    changed since is refused (services.refuse_if_changed)."""
    text = request.POST.get("version", "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


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
        service(report=report, by=request.user, reason=reason, expected_version=_seen_version(request))
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
        empty=_("Phải ghi lý do trả lại để cán bộ huyện, xã biết cần sửa gì."),
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
