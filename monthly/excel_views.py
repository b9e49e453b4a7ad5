"""Monthly figures through Excel: download the prefilled template, upload it back filled in.

The workbook follows the month's structure: a district's (its officials) before July 2025; since, one commune's (its
officials) or the whole province's (its coordination office, which may collect the communes' figures itself)."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from communes.models import AdministrativeUnit, Level
from communes.months import month_code
from communes.permissions import can_edit, can_review, require, unit_or_404
from monthly.excel import MAX_UPLOAD_BYTES, UploadError, apply_upload, too_large_message
from monthly.excel_template import export_template
from monthly.services import ReportError


def _workbook_unit(request, code: str, month: dt.date, level: str) -> AdministrativeUnit:
    unit = unit_or_404(request, code, levels=[level], on=month)
    if level == Level.PROVINCE:
        if not unit.is_post_reform:
            # Before July 2025 each district's officials filled their own district's workbook.
            raise Http404(_("Trước tháng 7/2025, số liệu được nhập bằng tệp Excel của từng huyện."))
        require(can_review(request.user, unit), _("Chỉ Văn phòng điều phối mới nhập số liệu cả tỉnh bằng tệp Excel."))
    elif level == Level.COMMUNE:
        require(can_edit(request.user, unit), _("Chỉ cán bộ xã phụ trách mới nhập số liệu của xã bằng tệp Excel."))
    else:
        require(can_edit(request.user, unit), _("Chỉ cán bộ huyện mới nhập số liệu của huyện bằng tệp Excel."))
    return unit


WORKBOOK_PAGES = {
    Level.DISTRICT: ("monthly:district", "monthly:template"),
    Level.COMMUNE: ("monthly:report", "monthly:commune-template"),
    Level.PROVINCE: ("monthly:review", "monthly:province-template"),
}


def _back_url(unit: AdministrativeUnit, month: dt.date) -> str:
    """Where the workbook's figures are seen: the district's month, the commune's report, the office's desk."""
    page, _template = WORKBOOK_PAGES[unit.level]
    if unit.level == Level.PROVINCE:
        return reverse(page, args=[month_code(month)])
    return reverse(page, args=[unit.code, month_code(month)])


def _template_url(unit: AdministrativeUnit, month: dt.date) -> str:
    return reverse(WORKBOOK_PAGES[unit.level][1], args=[unit.code, month_code(month)])


def template(request, code: str, month: dt.date):
    return _template(request, code, month, Level.DISTRICT)


def upload(request, code: str, month: dt.date):
    return _upload(request, code, month, Level.DISTRICT)


def commune_template(request, code: str, month: dt.date):
    return _template(request, code, month, Level.COMMUNE)


def commune_upload(request, code: str, month: dt.date):
    return _upload(request, code, month, Level.COMMUNE)


def province_template(request, code: str, month: dt.date):
    return _template(request, code, month, Level.PROVINCE)


def province_upload(request, code: str, month: dt.date):
    return _upload(request, code, month, Level.PROVINCE)


@require_GET
def _template(request, code: str, month: dt.date, level: str):
    """The workbook for the month, prefilled with the figures as they stand."""
    period = month
    district = _workbook_unit(request, code, month, level)
    try:
        filename, content_type, content = export_template(district=district, period=period)
    except ReportError as exc:
        raise Http404(exc.message) from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def _upload(request, code: str, month: dt.date, level: str):
    """Save a filled template: the communes whose figures changed, in one transaction, or nothing with every error
    listed."""
    period = month
    district = _workbook_unit(request, code, month, level)
    uploaded = request.FILES.get("file")
    try:
        if uploaded is None:
            raise UploadError([_("Chưa chọn tệp: hãy chọn tệp Excel .xlsx đã điền rồi bấm Tải lên.")])
        # Refused before reading it into memory.
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise UploadError([too_large_message(uploaded.size)])
        summary = apply_upload(uploaded.read(), district=district, period=period, by=request.user)
    except UploadError as exc:
        context = {
            "district": district,
            "period": period,
            "month": month,
            "filename": uploaded.name if uploaded else "",
            "errors": exc.errors,
            "stale": exc.stale,
            "back_url": _back_url(district, period),
            "template_url": _template_url(district, period),
        }
        return render(request, "monthly/upload_result.html", context, status=400)
    counts = {
        "month": f"{period:%m/%Y}",
        "communes": ngettext("%(count)d xã", "%(count)d xã", summary.communes) % {"count": summary.communes},
        "changes": ngettext("%(count)d giá trị thay đổi", "%(count)d giá trị thay đổi", summary.changes)
        % {"count": summary.changes},
    }
    if summary.communes:
        messages.success(
            request, _("Đã lưu số liệu tháng %(month)s từ tệp Excel cho %(communes)s (%(changes)s).") % counts
        )
    elif summary.rows:
        messages.info(
            request,
            _(
                "Số liệu trong tệp giống số liệu trên cổng tháng %(month)s (%(communes)s, %(changes)s): "
                "không báo cáo nào được sửa."
            )
            % counts,
        )
    else:
        messages.warning(request, _("Tệp không có dòng số liệu nào để lưu; số liệu trên cổng không thay đổi."))
    return redirect(_back_url(district, period))
