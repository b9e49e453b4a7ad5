"""Monthly reports seen across units: a district's month (and its send-all and approve-all buttons), the office's
review desk and the overdue board.

Who may see or do what goes through communes.permissions; every change goes through monthly.services.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communes.models import REFORM_DATE, AdministrativeUnit, Level
from communes.months import month_code
from communes.permissions import can_edit, can_review, has_scope, is_office, require, unit_or_404
from communes.text import fold
from monthly import services
from monthly.judged import judged_kinds_in, only_judged
from monthly.models import Report, ReportStatus
from monthly.views import days_late, months_nav, province_of


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


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
    district = unit_or_404(request, code, [Level.DISTRICT], on=month)
    period = month
    ancestors = district.ancestors()
    province = province_of(district, ancestors)
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
    reports = _district_reports(district, period)
    for report in reports:
        if report.unit_id == district.pk:
            own = report
        elif report.unit_id in rows:
            rows[report.unit_id].report = report
        elif report.unit.level == Level.VILLAGE and report.unit.parent_id in rows:
            rows[report.unit.parent_id].village_statuses[report.status] += 1
    for row in rows.values():
        if row.status not in services.SENT:
            row.overdue_days = days_late(due, today)

    counts = Counter(row.status or "none" for row in rows.values())
    return render(
        request,
        "monthly/district.html",
        {
            "district": district,
            "ancestors": ancestors,
            "period": period,
            "month": month_code(period),
            "months": months_nav(period),
            "programme": programme,
            "rows": list(rows.values()),
            "own_report": own,
            "counts": counts,
            "due": due,
            "days_left": (due - today).days,
            "village_total": sum(row.village_count for row in rows.values()),
            "can_edit": can_edit(request.user, district),
            "can_review": can_review(request.user, district),
            # What "Gửi tất cả" will send (the district's, communes' and villages' drafts and returned reports).
            "to_send": sum(r.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) for r in reports),
            # What "Duyệt tất cả" will approve, as the page shows it (services.approve_all refuses any change).
            "waiting": [r for r in reports if r.status == ReportStatus.SUBMITTED],
        },
    )


@require_POST
def district_submit_all(request, code: str, month: dt.date):
    """Send every draft or returned report of the district; say which units had nothing to send."""
    district = unit_or_404(request, code, [Level.DISTRICT], on=month)
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


def _seen(request) -> dict[int, int] | None:
    """The reports waiting on the reviewer's page, as "id:version" hidden fields: "Duyệt tất cả" approves exactly
    those, as they were (None when the form carried none, e.g. a script posting the bare URL)."""
    if "seen" not in request.POST:
        return None
    seen = {}
    for item in request.POST.getlist("seen"):
        pk, _sep, version = item.partition(":")
        if pk.isascii() and pk.isdigit() and version.isascii() and version.isdigit() and len(item) < 24:
            seen[int(pk)] = int(version)
    return seen


@require_POST
def district_approve_all(request, code: str, month: dt.date):
    """Approve every submitted report of the district at once (the office)."""
    return _approve_all(request, unit_or_404(request, code, [Level.DISTRICT], on=month), month)


@require_POST
def province_approve_all(request, code: str, month: dt.date):
    """Approve the submitted reports of a province without districts (since July 2025) at once: all of them, or
    those the office's filtered desk showed."""
    province = unit_or_404(request, code, [Level.PROVINCE], on=month)
    if not province.is_post_reform:
        raise Http404(_("Trước tháng 7/2025, báo cáo được duyệt theo từng huyện."))
    return _approve_all(request, province, month)


def _approve_all(request, district: AdministrativeUnit, month: dt.date):
    period = month
    require(can_review(request.user, district), _("Chỉ Văn phòng điều phối mới được duyệt báo cáo."))
    try:
        approved = services.approve_all(
            district=district,
            period=period,
            by=request.user,
            seen=_seen(request),
            only_seen=request.POST.get("only_seen") == "1",
        )
    except services.ReportError as exc:
        messages.error(request, exc.message)
    else:
        if approved:
            messages.success(
                request,
                _("Đã duyệt %(count)s báo cáo của %(district)s tháng %(month)s.")
                % {"count": approved, "district": district.name, "month": f"{period:%m/%Y}"},
            )
        else:
            messages.info(request, _("%(district)s không có báo cáo nào chờ duyệt.") % {"district": district.name})
    if district.level == Level.PROVINCE:
        fallback = reverse("monthly:review", args=[month_code(period)])
    else:
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


def _review_sections(reviewable, period: dt.date) -> tuple[list[DistrictReview], int]:
    """The month's reports of the reviewable units grouped by district (two queries), and the number of provinces."""
    # Provinces and districts in one query, with the communes of each district counted.
    # Only the units of the month's structure: districts until June 2025, communes under their province since.
    heads = list(
        reviewable.filter(level__in=[Level.PROVINCE, Level.DISTRICT])
        .current(on=period)
        .annotate(commune_count=Count("children", filter=Q(children__level=Level.COMMUNE)))
        .in_vietnamese_order()
    )
    provinces = {u.path: u for u in heads if u.level == Level.PROVINCE}
    groups: dict[str, DistrictReview] = {}
    for unit in heads:
        if unit.level == Level.DISTRICT and unit.province_path in provinces:
            groups[unit.path] = DistrictReview(
                district=unit, province=provinces[unit.province_path], commune_count=unit.commune_count
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
        ancestors = report.unit.ancestor_paths
        group = next((groups[path] for path in ancestors if path in groups), None) or direct.get(
            report.unit.province_path
        )
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
    return sections, len(provinces)


@require_GET
def review(request, month: dt.date):
    """The office's desk: the month's submitted reports by district, with every status counted."""
    period = month
    reviewable = AdministrativeUnit.objects.reviewable_by(request.user)
    if not is_office(request.user):
        raise PermissionDenied(_("Chỉ Văn phòng điều phối mới duyệt báo cáo tháng."))
    sections, province_count = _review_sections(reviewable, period)
    # A province without districts sends a hundred reports to one desk: the office narrows them by name.
    query = request.GET.get("q", "").strip()[:80]
    if folded := fold(query):
        for section in sections:
            section.waiting = [r for r in section.waiting if folded in r.unit.search_key]
    return render(
        request,
        "monthly/review.html",
        {
            "query": query,
            "period": period,
            "month": month_code(period),
            "months": months_nav(period),
            "sections": sections,
            "waiting_total": sum(len(s.waiting) for s in sections),
            "several_provinces": province_count > 1,
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
    # Only the communes the criteria in force judge are asked for figures (wards and towns are not).
    judged = judged_kinds_in(period, Level.COMMUNE)
    # The communes that existed in the month: Kon Tum's until June 2025, the merged Quảng Ngãi's since.
    scope = only_judged(
        AdministrativeUnit.objects.in_scope_of(request.user).filter(level=Level.COMMUNE).current(on=period), judged
    )
    today = timezone.localdate()

    # By path: province codes were reused in 2025.
    due_days = dict(AdministrativeUnit.objects.filter(level=Level.PROVINCE).values_list("path", "report_due_day"))
    communes = list(scope.select_related("parent").in_vietnamese_order())
    query = request.GET.get("q", "").strip()[:80]
    folded = fold(query)
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=scope)}
    pending, late, dues, sent, overdue_total = [], [], set(), 0, 0
    for commune in communes:
        due = services.due_date(period, due_days.get(commune.province_path) or 25)
        dues.add(due)
        report = reports.get(commune.pk)
        row = UnitRow(unit=commune, report=report)
        if report is not None and report.status in services.SENT:
            sent += 1
            if report.is_late:
                sent_on = timezone.localdate(report.submitted_at) if report.submitted_at else today
                row.overdue_days = days_late(due, sent_on)
                late.append(row)
            continue
        row.overdue_days = days_late(due, today)
        overdue_total += bool(row.overdue_days)
        if folded in commune.search_key:
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
            "months": months_nav(period),
            "pending": pending,
            "query": query,
            "pending_total": len(communes) - sent,
            "without_districts": period >= REFORM_DATE,
            "overdue_count": overdue_total,
            "late": late,
            "commune_total": len(communes),
            "sent_total": sent,
            "due": due,
            "days_left": (due - today).days if due else None,
            "today": today,
        },
    )
