"""A criteria set as an Excel workbook on the criteria pages (issue 15, item 4): anyone signed in downloads a set's
workbook; the coordination office uploads a filled one, imported all or nothing like a YAML file.

These views sit in communes, not criteria: who may import is the office role (communes.permissions.is_office),
and criteria imports nothing of the portal (tests/test_architecture.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communes.permissions import is_office, require
from criteria.models import CriteriaSet
from criteria.set_workbook import CONTENT_TYPE, MAX_UPLOAD_BYTES, export_set_workbook, set_workbook_filename
from criteria.set_workbook_reader import import_set_workbook
from criteria.views import _set_or_404
from criteria.yaml_reading import CriteriaFileError


@require_GET
def set_workbook(request, programme: str, set_code: str):
    """The set as the criteria pages resolve it (?province=, ?on=), as an .xlsx to fill."""
    criteria_set = _set_or_404(request, programme, set_code)
    response = HttpResponse(export_set_workbook(criteria_set), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{set_workbook_filename(criteria_set)}"'
    return response


@require_POST
def set_workbook_upload(request):
    """Import a filled workbook: the set's page with a message, or every problem by sheet and cell (400)."""
    require(is_office(request.user), _("Chỉ Văn phòng điều phối mới nhập bộ tiêu chí từ tệp Excel."))
    uploaded = request.FILES.get("file")
    try:
        if uploaded is None:
            raise CriteriaFileError([_("Chưa chọn tệp: hãy chọn tệp Excel .xlsx của bộ tiêu chí rồi bấm Tải lên.")])
        if uploaded.size > MAX_UPLOAD_BYTES:
            message = _("Tệp lớn hơn %(limit)d MB nên không được đọc: hãy dùng tệp Excel tải từ trang bộ tiêu chí.")
            raise CriteriaFileError([message % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024}])
        criteria_set, outcome = import_set_workbook(uploaded.read())
    except CriteriaFileError as exc:
        context = {"errors": exc.errors, "filename": uploaded.name if uploaded else ""}
        return render(request, "criteria/set_workbook_result.html", context, status=400)
    outcomes = {
        "created": _("Đã tạo bộ tiêu chí %(set)s từ tệp Excel."),
        "replaced": _("Đã thay bản dự thảo %(set)s bằng nội dung tệp Excel."),
        "unchanged": _("Tệp Excel giống hệt bộ tiêu chí %(set)s đang có: không có gì thay đổi."),
    }
    level = messages.INFO if outcome == "unchanged" else messages.SUCCESS
    messages.add_message(request, level, outcomes[outcome] % {"set": criteria_set.name})
    return redirect(_set_url(criteria_set))


def _set_url(criteria_set: CriteriaSet) -> str:
    """The set's page showing this very version: its province's, and in force on its first day."""
    query = {}
    if criteria_set.province_code:
        query["province"] = criteria_set.province_code
    if criteria_set.effective_from:
        query["on"] = criteria_set.effective_from.isoformat()
    url = reverse("criteria:set-detail", args=[criteria_set.programme.code, criteria_set.code])
    return f"{url}?{urlencode(query)}" if query else url
