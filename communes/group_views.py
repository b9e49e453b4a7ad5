"""The office's page of commune groups (issue 15, item 2): each commune's group in force, its history, a bulk
assignment from a day, and the Excel round trip (communes.group_excel)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communes.group_excel import GroupUploadError, export_groups, read_groups
from communes.groups import CommuneGroupAssignment
from communes.models import REFORM_DATE, AdministrativeUnit, Level
from communes.months import requested_day
from communes.permissions import can_review, require, unit_or_404
from communes.text import fold
from criteria.choices import CommuneGroup
from criteria.models import CriteriaSet

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
UNGROUPED = "none"


class AssignmentForm(forms.Form):
    group = forms.TypedChoiceField(
        label=gettext_lazy("Nhóm"),
        choices=CommuneGroup.choices,
        coerce=int,
        error_messages={
            "required": gettext_lazy("Chọn nhóm 1, 2 hoặc 3."),
            "invalid_choice": gettext_lazy("Chọn nhóm 1, 2 hoặc 3."),
        },
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        input_formats=DATE_FORMATS,
        error_messages={
            "required": gettext_lazy("Ghi ngày bắt đầu áp dụng nhóm, dạng ngày/tháng/năm."),
            "invalid": gettext_lazy("Ngày phải viết dạng ngày/tháng/năm, ví dụ 15/02/2026."),
        },
    )
    decision = forms.CharField(label=gettext_lazy("Căn cứ (số, ngày quyết định)"), max_length=200, required=False)

    def clean_valid_from(self):
        day = self.cleaned_data["valid_from"]
        if day < REFORM_DATE:
            raise forms.ValidationError(
                _("Từ ngày: các xã hiện nay có từ 01/07/2025, nhóm không thể áp dụng trước ngày đó.")
            )
        if day > timezone.localdate() + dt.timedelta(days=366):
            raise forms.ValidationError(_("Từ ngày: không ghi nhóm cho ngày quá một năm tới."))
        return day


@dataclass
class CommuneGroups:
    unit: AdministrativeUnit
    current: CommuneGroupAssignment | None = None
    history: list[CommuneGroupAssignment] = field(default_factory=list)


def _province(request, code: str) -> AdministrativeUnit:
    province = unit_or_404(request, code, [Level.PROVINCE])
    if not province.is_post_reform:
        raise Http404(_("Nhóm xã là của giai đoạn 2026 - 2030, chỉ có ở các tỉnh từ 01/07/2025."))
    return province


def _communes(province: AdministrativeUnit, day: dt.date):
    """The communes the sets in force judge (xã, not phường), existing on the day, in Vietnamese order."""
    communes = AdministrativeUnit.objects.filter(path__startswith=province.path, level=Level.COMMUNE).current(on=day)
    kinds = CriteriaSet.objects.in_month(day.replace(day=1)).judged_kinds(None, Level.COMMUNE, province.province_code)
    if not kinds.every:
        communes = communes.filter(kind__in=sorted(kinds.kinds))
    return communes.in_vietnamese_order()


def _rows(province: AdministrativeUnit, day: dt.date) -> list[CommuneGroups]:
    rows = {u.pk: CommuneGroups(unit=u) for u in _communes(province, day)}
    assignments = CommuneGroupAssignment.objects.filter(unit_id__in=list(rows)).order_by("unit_id", "valid_from")
    for assignment in assignments.select_related("assigned_by"):
        row = rows[assignment.unit_id]
        row.history.append(assignment)
        if assignment.valid_from <= day:
            row.current = assignment
    return list(rows.values())


def _filtered(rows: list[CommuneGroups], group: str, query: str) -> list[CommuneGroups]:
    folded = fold(query)
    chosen = []
    for row in rows:
        if group == UNGROUPED and row.current is not None:
            continue
        if group.isdigit() and (row.current is None or str(row.current.group) != group):
            continue
        if folded and folded not in row.unit.search_key:
            continue
        chosen.append(row)
    return chosen


@require_http_methods(["GET", "POST"])
def commune_groups(request, code: str):
    """GET: the province's communes with their groups. POST: put the ticked communes in a group from a day."""
    province = _province(request, code)
    editable = can_review(request.user, province)
    day = requested_day(request)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST":
        require(editable, _("Chỉ Văn phòng điều phối của tỉnh mới phân nhóm xã."))
        response = _assign(request, province, form)
        if response is not None:
            return response
    rows = _rows(province, day)
    group, query = request.GET.get("group", ""), request.GET.get("q", "").strip()[:80]
    counts = {g: sum(1 for r in rows if r.current and r.current.group == g) for g in CommuneGroup.values}
    context = {
        "province": province,
        "day": day,
        "rows": _filtered(rows, group, query),
        "total": len(rows),
        "counts": counts,
        "ungrouped": sum(1 for r in rows if r.current is None),
        "group": group,
        "query": query,
        "form": form,
        "editable": editable,
        "checked": {int(pk) for pk in request.POST.getlist("unit") if pk.isdigit()},
        "groups": CommuneGroup.choices,
    }
    return render(request, "communes/groups.html", context, status=400 if form.errors else 200)


def _assign(request, province: AdministrativeUnit, form: AssignmentForm) -> HttpResponse | None:
    """Save the bulk assignment (a redirect), or None with the form's errors to show."""
    if not form.is_valid():
        return None
    # Only communes of this province that exist on the day: ids from the page are never trusted.
    wanted = {int(pk) for pk in request.POST.getlist("unit") if pk.isascii() and pk.isdigit() and len(pk) < 12}
    units = list(_communes(province, form.cleaned_data["valid_from"]).filter(pk__in=wanted))
    if not units:
        form.add_error(None, _("Chưa chọn xã nào: đánh dấu các xã cần phân nhóm rồi bấm Ghi nhóm."))
        return None
    saved = assign_groups(
        units,
        group=form.cleaned_data["group"],
        valid_from=form.cleaned_data["valid_from"],
        decision=form.cleaned_data["decision"],
        by=request.user,
    )
    messages.success(
        request,
        ngettext(
            "Đã ghi %(count)d xã vào %(group)s từ ngày %(day)s.",
            "Đã ghi %(count)d xã vào %(group)s từ ngày %(day)s.",
            saved,
        )
        % {
            "count": saved,
            "group": CommuneGroup(form.cleaned_data["group"]).label,
            "day": f"{form.cleaned_data['valid_from']:%d/%m/%Y}",
        },
    )
    return redirect("communes:groups", code=province.code)


@transaction.atomic
def assign_groups(units, *, group: int, valid_from: dt.date, decision: str, by) -> int:
    """Put the communes in the group from the day, in one transaction; an assignment from the same day is replaced."""
    for unit in units:
        CommuneGroupAssignment.objects.update_or_create(
            unit=unit, valid_from=valid_from, defaults={"group": group, "decision": decision, "assigned_by": by}
        )
    return len(units)


@require_GET
def groups_workbook(request, code: str):
    province = _province(request, code)
    require(can_review(request.user, province), _("Chỉ Văn phòng điều phối của tỉnh mới phân nhóm xã."))
    day = requested_day(request)
    filename, content_type, content = export_groups(province, _rows(province, day), day)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def groups_upload(request, code: str):
    province = _province(request, code)
    require(can_review(request.user, province), _("Chỉ Văn phòng điều phối của tỉnh mới phân nhóm xã."))
    uploaded = request.FILES.get("file")
    try:
        if uploaded is None:
            raise GroupUploadError([_("Chưa chọn tệp: hãy chọn tệp Excel .xlsx đã điền rồi bấm Tải lên.")])
        communes = {u.code: u for u in _communes(province, timezone.localdate())}
        saved = read_groups(uploaded, communes, by=request.user, province=province)
    except GroupUploadError as exc:
        context = {"province": province, "errors": exc.errors, "filename": uploaded.name if uploaded else ""}
        return render(request, "communes/groups_upload_result.html", context, status=400)
    if saved:
        messages.success(request, _("Đã ghi %(count)d phân nhóm từ tệp Excel.") % {"count": saved})
    else:
        messages.info(request, _("Tệp không có phân nhóm mới nào: nhóm trên cổng không thay đổi."))
    return redirect("communes:groups", code=province.code)
