"""Pages of the unit tree: provinces → province → district → commune, and search."""

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from communes.models import REFORM_DATE, AdministrativeUnit, Level, Lineage, Membership, Role
from communes.months import month_code, requested_day, this_month
from communes.permissions import in_scope, pick_at

SEARCH_PAGE_SIZE = 50

# Where a unit's results are shown, by level (reports' pages, named only: communes does not import reports).
DASHBOARDS = {
    Level.PROVINCE: "reports:province-dashboard",
    Level.DISTRICT: "reports:district-dashboard",
    Level.COMMUNE: "reports:scorecard",
}


def _unit_or_404(request, code: str, level: str) -> AdministrativeUnit:
    """A unit the user may see (its ancestors too, for navigation), its code resolved on ?on= (default today), and
    named (its parent and ancestors too) as it was called that day."""
    units = AdministrativeUnit.objects.visible_to(request.user).select_related("parent").filter(code=code, level=level)
    day = requested_day(request)
    unit = pick_at(list(units), day)
    if unit is None:
        raise Http404
    if unit.parent is not None:
        unit.parent.named_on(day)
    return unit.named_on(day)


def _children(request, unit: AdministrativeUnit):
    return (
        AdministrativeUnit.objects.visible_to(request.user)
        .filter(parent=unit)
        .with_child_counts()
        .in_vietnamese_order()
    )


@require_GET
def home(request):
    """Send people to where they work: the national office to the country's dashboard; a coordination office to its
    province's dashboard; a district official
    to their district's page (where returned and approved reports are announced); a department or a viewer to the
    dashboard of their unit (their province's, for the province's departments and viewers); others to their
    unit's page, or the list of provinces."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("unit").order_by("unit__path"))
    if any(m.role == Role.NATIONAL for m in memberships):
        return redirect("reports:country-dashboard")
    memberships = [m for m in memberships if m.unit is not None]
    office = next((m for m in memberships if m.role == Role.OFFICE), None)
    if office is not None:
        return redirect("reports:province-dashboard", code=office.unit.province_code)
    district = next((m for m in memberships if m.role in {Role.DISTRICT, Role.COMMUNE}), None)
    if district is not None:
        return redirect(unit_url_name(district.unit.level), code=district.unit.code)
    reader = next((m for m in memberships if m.role in {Role.DEPARTMENT, Role.VIEWER}), None)
    if reader is not None and reader.unit.level in DASHBOARDS:
        unit = reader.unit
        # A dashboard answers 404 outside one's scope: a district's viewer gets the district's, not the province's.
        code = unit.province_code if unit.level == Level.PROVINCE else unit.code
        return redirect(DASHBOARDS[unit.level], code=code)
    if memberships:
        return redirect(unit_url_name(memberships[0].unit.level), code=memberships[0].unit.code)
    return redirect("communes:province-list")


def _monthly_links(request, unit: AdministrativeUnit) -> dict:
    """This month, and whether the unit's monthly reports are open to the user: a unit seen only as the ancestor
    of one's own is not (the report pages answer 404). No query: visible_to already read the memberships."""
    user = request.user
    # A unit merged away reports no more: its last month is the one to open.
    today = timezone.localdate()
    month = this_month() if unit.in_force_on(today) or not unit.valid_to else unit.day_in_force.replace(day=1)
    return {"this_month": month_code(month), "reports_in_scope": in_scope(user, unit)}


def unit_url_name(level: str) -> str:
    return f"communes:{level}-detail"


@require_GET
def province_list(request):
    """The provinces in force on ?on= (default today): the 34 since July 2025, the 63 before."""
    day = requested_day(request)
    visible = AdministrativeUnit.objects.visible_to(request.user).filter(level=Level.PROVINCE)
    provinces = list(visible.current(on=day).with_child_counts().in_vietnamese_order())
    if not provinces and "on" not in request.GET:
        # Someone whose provinces all ended (Kon Tum's office) sees them as they last stood, not an empty list.
        last = visible.filter(valid_to__lte=day).order_by("-valid_to").values_list("valid_to", flat=True).first()
        if last:
            day = last - dt.timedelta(days=1)
            provinces = list(visible.current(on=day).with_child_counts().in_vietnamese_order())
    context = {
        "provinces": provinces,
        "day": day,
        "before_reform": day < REFORM_DATE,
        "last_day_before": REFORM_DATE - dt.timedelta(days=1),
        "reform_date": REFORM_DATE,
    }
    return render(request, "communes/province_list.html", context)


def _lineage(unit: AdministrativeUnit) -> dict:
    """What the unit was formed from and what it became (one query), each with the dates that tell them apart."""
    links = list(
        Lineage.objects.filter(Q(successor=unit) | Q(predecessor=unit)).select_related(
            "predecessor__parent", "successor__parent"
        )
    )
    formed_from = [link for link in links if link.successor_id == unit.pk]
    merged_into = [link for link in links if link.predecessor_id == unit.pk]
    return {
        "formed_from": sorted(formed_from, key=lambda link: (link.predecessor.sort_key, link.predecessor.code)),
        "merged_into": sorted(merged_into, key=lambda link: (link.successor.sort_key, link.successor.code)),
    }


@require_GET
def province_detail(request, code: str):
    province = _unit_or_404(request, code, Level.PROVINCE)
    children = list(_children(request, province))
    return render(
        request,
        "communes/province_detail.html",
        {
            "unit": province,
            "ancestors": [],
            "districts": [u for u in children if u.level == Level.DISTRICT],
            # Since July 2025 communes may sit directly under their province.
            "communes": [u for u in children if u.level == Level.COMMUNE],
            **_lineage(province),
        },
    )


@require_GET
def district_detail(request, code: str):
    district = _unit_or_404(request, code, Level.DISTRICT)
    return render(
        request,
        "communes/district_detail.html",
        {
            "unit": district,
            "ancestors": district.ancestors(),
            "communes": _children(request, district),
            **_monthly_links(request, district),
            **_lineage(district),
        },
    )


@require_GET
def commune_detail(request, code: str):
    commune = _unit_or_404(request, code, Level.COMMUNE)
    return render(
        request,
        "communes/commune_detail.html",
        {
            "unit": commune,
            "ancestors": commune.ancestors(),
            "villages": _children(request, commune),
            **_monthly_links(request, commune),
            **_lineage(commune),
        },
    )


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()
    results = (
        AdministrativeUnit.objects.visible_to(request.user)
        .search(query)
        .select_related("parent__parent")
        .by_level_then_name()
    )
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "communes/search.html", {"query": query, "page": page})
