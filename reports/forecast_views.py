"""The forecast of a province's or district's targets (reports.forecast): its own page, the fragment the dashboards
load after they are shown (a forecast judges history and costs more than the dashboard itself), and the service
the API reads. A forecast is always labelled as one and never mixed with results."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from communes.models import AdministrativeUnit, Level
from communes.months import month_or_404
from communes.permissions import unit_or_404
from reports import dashboard
from reports.coverage import ensure_results
from reports.forecast import ScopeForecast, forecast_scope
from reports.forecast_data import load_forecast_inputs
from reports.freshness import cached_body
from reports.scope import month_links

SCOPE_LEVELS = [Level.PROVINCE, Level.DISTRICT]


def scope_forecast(scope: AdministrativeUnit, period: dt.date) -> ScopeForecast:
    """Every commune's and target's forecast for the scope as of the month. The month's results are made first
    when missing (the forecast starts from where each commune stands: its stored status)."""
    ensure_results(scope, [period])
    return forecast_scope(load_forecast_inputs(scope, period))


@require_GET
def forecast(request, code: str):
    """/dashboard/<code>/forecast/?month=YYYY-MM: the targets' forecast, its deciding communes and its method;
    ?fragment=1 is the section alone, for the dashboard."""
    scope = unit_or_404(request, code, SCOPE_LEVELS)
    period = month_or_404(request.GET["month"]) if request.GET.get("month") else dashboard.default_period(scope)
    scope.named_on(period)

    def build() -> str:
        context = {"scope": scope, "period": period, "months": month_links(period), "forecast": None}
        context["forecast"] = scope_forecast(scope, period)
        return render_to_string("reports/includes/forecast.html", context, request)

    body = cached_body("forecast", unit=scope, period=period, user=request.user, build=build)
    if request.GET.get("fragment"):
        return render(request, "reports/includes/fragment.html", {"body": mark_safe(body)})  # noqa: S308 - ours
    context = {"scope": scope, "period": period, "months": month_links(period), "body": mark_safe(body)}  # noqa: S308
    return render(request, "reports/forecast.html", context)
