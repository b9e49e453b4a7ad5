"""Pages that judge units against the criteria: the dashboards, the scorecard and the what-if page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from communes.models import AdministrativeUnit, Membership, Role
from communes.models import Level as UnitLevel
from communes.months import month_or_404
from communes.permissions import in_scope, is_national, unit_or_404
from criteria.choices import Region
from criteria.models import CriteriaSet, Level, Programme, SetStatus, Tier
from criteria.services import UnknownCriteria, evaluate_values
from reports import country, dashboard
from reports.dashboard_map import chosen_mode
from reports.forms import MAX_YEAR, MIN_YEAR, MeasureValuesForm, WhatIfForm
from reports.freshness import cached_body, cached_page
from reports.scope import month_links
from reports.scorecard import scorecard_context
from reports.services import what_if_measures

# ---------------------------------------------------------------- dashboards and scorecard


def _period(request, scope: AdministrativeUnit):
    """?month=YYYY-MM (404 when malformed), else the latest month with statuses in the scope. The scope is named
    as it was called that month (its first day, the day unit_or_404 resolves a ?month= on), ancestors included."""
    period = month_or_404(request.GET["month"]) if request.GET.get("month") else dashboard.default_period(scope)
    scope.named_on(period)
    return period


@require_GET
def my_dashboard(request):
    """The overview of where the person works: their province, district or commune (the nav's "Tổng quan")."""
    memberships = Membership.objects.filter(user=request.user).select_related("unit").order_by("unit__path")
    membership = next(iter(memberships), None)
    if any(m.role == Role.NATIONAL for m in memberships):
        return redirect("reports:country-dashboard")
    if membership is None:
        return redirect("communes:province-list")
    unit = membership.unit
    if unit.level == UnitLevel.PROVINCE:
        return redirect("reports:province-dashboard", code=unit.code)
    if unit.level == UnitLevel.DISTRICT:
        return redirect("reports:district-dashboard", code=unit.code)
    if unit.level == UnitLevel.COMMUNE:
        return redirect("reports:scorecard", code=unit.code)
    return redirect("communes:home")


@require_GET
@cached_page
def province_dashboard(request, code: str):
    """A province at a glance for a month: tiers against the plan, criteria, districts, watch-list, trend."""
    province = unit_or_404(request, code, [UnitLevel.PROVINCE])
    period = _period(request, province)
    map_mode = chosen_mode(request.GET.get("map"))

    def build() -> str:
        context = dashboard.province_context(province=province, period=period, user=request.user, map_mode=map_mode)
        return render_to_string("reports/includes/province_dashboard_body.html", context, request)

    version = getattr(request, "data_version", None)
    body = cached_body(
        f"province:{map_mode}", unit=province, period=period, user=request.user, build=build, version=version
    )
    context = {"province": province, "period": period, "body": mark_safe(body)}  # noqa: S308 - our own rendering
    return render(request, "reports/province_dashboard.html", context)


@require_GET
def country_dashboard(request):
    """The country for a month (the national coordination office): each province's communes by tier, recognised
    and by the figures, against its target for the year and the national targets. 404 for everyone else."""
    if not is_national(request.user):
        raise Http404(_("Không có trang này trong phạm vi của bạn."))
    period = month_or_404(request.GET["month"]) if request.GET.get("month") else country.default_period()
    return render(request, "reports/country_dashboard.html", country.country_context(period))


@require_GET
@cached_page
def district_dashboard(request, code: str):
    """A district for a month: its communes recognised and computed, QĐ 320's conditions, watch-list, trend."""
    district = unit_or_404(request, code, [UnitLevel.DISTRICT])
    period = _period(request, district)
    map_mode = chosen_mode(request.GET.get("map"))
    ancestors = district.ancestors()  # the header's and the body's (one query, not one each)
    province = ancestors[0] if ancestors else district

    def build() -> str:
        context = dashboard.district_context(
            district=district, period=period, user=request.user, map_mode=map_mode, ancestors=ancestors
        )
        return render_to_string("reports/includes/district_dashboard_body.html", context, request)

    version = getattr(request, "data_version", None)
    body = cached_body(
        f"district:{map_mode}", unit=district, period=period, user=request.user, build=build, version=version
    )
    context = {
        "district": district,
        "province": province,
        "province_dashboard_allowed": in_scope(request.user, province),
        "period": period,
        "months": month_links(period),
        "body": mark_safe(body),  # noqa: S308 - our own rendering, cached
    }
    return render(request, "reports/district_dashboard.html", context)


@require_GET
def scorecard(request, code: str):
    """One commune for a month: every criterion explained, its history, and what the next tier still needs."""
    commune = unit_or_404(request, code, [UnitLevel.COMMUNE])
    context = scorecard_context(commune=commune, period=_period(request, commune), user=request.user)
    return render(request, "reports/scorecard.html", context)


# ---------------------------------------------------------------- what-if


@require_GET
def what_if(request):
    """Try values against the criteria without saving anything: one GET form whose query string carries it all,
    so a result can be bookmarked or sent to a colleague. Changing the programme or set refreshes the measures."""
    programmes = list(Programme.objects.order_by("-start_year"))
    set_choices, in_force = _commune_set_choices()
    # Links from the criteria pages carry only ?programme=&set=: they fill the form, they don't submit it.
    bound = "year" in request.GET
    form = WhatIfForm(
        request.GET if bound else None,
        initial=_initial(programmes, in_force, request.GET),
        user=request.user,
        programmes=programmes,
        set_choices=set_choices,
    )
    valid = form.is_valid() if bound else False

    # The measure fields follow what was chosen, even when another field (a commune code, say) is wrong.
    cleaned = getattr(form, "cleaned_data", {})
    programme_code = cleaned.get("programme") or form["programme"].initial
    set_code = cleaned.get("set") or ("" if bound else _known(form["set"].initial, form.fields["set"].choices))
    profile = form.profile() if valid else None
    measures = (
        what_if_measures(
            programme=programme_code, set_code=set_code, province_code=profile.province_code if profile else ""
        )
        if programme_code
        else []
    )
    values_form = MeasureValuesForm(request.GET if bound else None, measures=measures)

    result = None
    if valid and values_form.is_valid():
        try:
            result = evaluate_values(
                programme=programme_code,
                profile=profile,
                year=form.cleaned_data["year"],
                values=values_form.values(),
                set_code=set_code or None,
            )
        except UnknownCriteria as exc:
            form.add_error("set" if set_code else "programme", str(exc))
    return render(
        request,
        "reports/what_if.html",
        {
            "form": form,
            "values_form": values_form,
            "result": result,
            "profile": profile,
            "unit": form.unit,
            "tier_label": Tier(result.tier).label if result and result.tier else None,
            "region_label": Region(profile.region).label if profile and profile.region else "",
        },
    )


def _commune_set_choices() -> tuple[list[tuple[str, str]], set[str]]:
    """The national commune sets to choose from, and the programmes whose commune sets are published."""
    commune_sets = list(
        CriteriaSet.objects.national()
        .filter(level=Level.COMMUNE)
        .order_by("rank", "code")
        .values("code", "tier", "status", "programme__code")
    )
    # One entry per code, whatever the programmes repeating it.
    set_choices = list({s["code"]: f"{Tier(s['tier']).label} ({s['code']})" for s in commune_sets}.items())
    in_force = {s["programme__code"] for s in commune_sets if s["status"] == SetStatus.PUBLISHED}
    return set_choices, in_force


def _initial(programmes: list[Programme], in_force: set[str], query) -> dict:
    """The programme and set a link asked for; else the latest programme with published commune sets (this
    year's one when it has them: a programme whose sets are still drafts is not what people want to try)."""
    year = min(max(timezone.localdate().year, MIN_YEAR), MAX_YEAR)
    asked = next((p for p in programmes if p.code == query.get("programme")), None)
    published = [p for p in programmes if p.code in in_force]
    running = next((p for p in published if p.start_year <= year <= p.end_year), None)
    programme = asked or running or next(iter(published), None) or next(iter(programmes), None)
    if programme is not None and not programme.start_year <= year <= programme.end_year:
        year = programme.end_year
    return {"year": year, "programme": programme.code if programme else None, "set": query.get("set", "")}


def _known(value: str, choices) -> str:
    return value if value in {code for code, _label in choices} else ""
