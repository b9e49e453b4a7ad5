"""A district's monthly figures through Excel: download the prefilled template, upload it back filled in."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from communes.models import Level
from communes.permissions import can_edit, require, unit_or_404
from monthly.excel import MAX_UPLOAD_BYTES, UploadError, apply_upload, too_large_message
from monthly.excel_template import export_template
from monthly.services import ReportError


def _district(request, code: str, month: dt.date):
    district = unit_or_404(request, code, levels=[Level.DISTRICT], on=month)
    require(can_edit(request.user, district), _("Chỉ cán bộ huyện mới nhập số liệu của huyện bằng tệp Excel."))
    return district


@require_GET
def template(request, code: str, month: dt.date):
    """The district's template for the month, prefilled with the figures as they stand."""
    period = month
    district = _district(request, code, month)
    try:
        filename, content_type, content = export_template(district=district, period=period)
    except ReportError as exc:
        raise Http404(exc.message) from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def upload(request, code: str, month: dt.date):
    """Save a filled template: the communes whose figures changed, in one transaction, or nothing with every error
    listed."""
    period = month
    district = _district(request, code, month)
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
    return redirect("monthly:district", code=district.code, month=month)
