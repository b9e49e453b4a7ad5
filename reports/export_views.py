"""Excel downloads of a scope's statuses and figures for a month (built in reports.exports)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from communes.models import Level
from communes.permissions import unit_or_404
from reports.exports import statuses_workbook, values_workbook

EXPORT_LEVELS = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]


def _attachment(filename: str, content_type: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def statuses_excel(request, code: str, month: dt.date):
    """The month's status of every district and rural commune of a province, district or commune, as .xlsx."""
    period = month
    scope = unit_or_404(request, code, EXPORT_LEVELS, on=month)
    return _attachment(*statuses_workbook(scope=scope, period=period, user=request.user))


@require_GET
def values_excel(request, code: str, month: dt.date):
    """The figures of the month's commune reports in a province, district or commune, as .xlsx."""
    period = month
    scope = unit_or_404(request, code, EXPORT_LEVELS, on=month)
    return _attachment(*values_workbook(scope=scope, period=period, user=request.user))
