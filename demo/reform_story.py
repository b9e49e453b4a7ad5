"""The demo after the 2025 reform: the merged Quảng Ngãi's months of July 2025 to January 2026.

Since 01/07/2025 Kon Tum is part of Tỉnh Quảng Ngãi (51): its communes ended on 30/06/2025 and the new communes
(no districts) were formed from them. Everything here is invented and marked as demo data where the model allows:

- A few villages for every rural commune (xã) of the new province, as for Kon Tum (demo.users.demo_village_rows).
- For each new commune formed from Kon Tum communes that have figures of 2024 (demo.story), monthly reports from
  July 2025 to January 2026, the last months judged by the 2021-2025 programme (the 2026-2030 criteria apply from
  15/02/2026). They start from the predecessors' last approved figures, then a few figures drift month by month.
- The commune official of Xã Đăk Pék (xa.dakpek, 23341) sent December 2025, which waits on the office's review
  desk, and has January 2026 still to enter; two remote communes sent nothing from December 2025, so the overdue
  board of 12/2025 has names on it. Every other report is sent by the commune (or, with no commune account, by the
  office on its behalf) and approved by the office (vpdp.quangngai).

Every random choice comes from random.Random seeded by a unit code. Running it again creates nothing twice:
existing reports are left as they are, and the statuses are recomputed from the same figures.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from communes.divisions import analyze_tables
from communes.management.commands.import_villages import load_village_rows
from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Lineage, Membership, Role
from criteria.measures import allowed_range
from criteria.models import Indicator, Measure, MeasureKind, Programme
from demo.users import DEMO_PROVINCE_CODE, demo_village_rows, load_demo_users
from monthly.figures import carried_values
from monthly.latest import rebuild as rebuild_latest_values
from monthly.models import Report, ReportAction, ReportEvent, ReportStatus, Value
from reports.models import Status
from reports.services import recompute_statuses, tracked_units

PROVINCE_CODE = "51"  # Tỉnh Quảng Ngãi since 01/07/2025 (with Kon Tum)
PROGRAMME_CODE = "2021-2025"  # still judges every month up to January 2026
MONTHS = [dt.date(2025, month, 1) for month in range(7, 13)] + [dt.date(2026, 1, 1)]
DECEMBER, JANUARY = dt.date(2025, 12, 1), dt.date(2026, 1, 1)
LAST_MONTH_BEFORE = dt.date(2025, 6, 1)  # the predecessors' figures stand as of their last month
OFFICE_USER = "vpdp.quangngai"
STORY_COMMUNE = "23341"  # Xã Đăk Pék (xa.dakpek): December 2025 sent, January 2026 still to enter
# Xã Ngọc Linh (the mountain) and Xã Mô Rai (the border): sent nothing from December 2025.
LATE_COMMUNES = ("23365", "23536")
DRIFTING = 4  # figures per commune that move month by month
IMPROVING = 0.7  # the chance that a moving figure gets better rather than worse
BETTER = {">=": 1, ">": 1, "<=": -1, "<": -1}


@dataclass
class ReformStory:
    """What load_reform_story did, for the command's output and for tests."""

    communes: int = 0  # rural communes of the new province
    villages_created: int = 0
    villages_unchanged: int = 0
    continued: list[str] = field(default_factory=list)  # codes of the communes given months of figures
    reports_created: int = 0
    reports_kept: int = 0
    values_created: int = 0
    late: list[str] = field(default_factory=list)  # names of the communes with no December 2025
    statuses: int = 0


# ---------------------------------------------------------------- figures


def combine(figures: list[dict[int, Any]], measures: dict[int, Measure]) -> dict[int, Any]:
    """A new commune's starting figures from its predecessors' last approved ones (measure id -> value).

    One predecessor: its figures as they are. Several: a number is their plain mean (unweighted: the portal holds
    no population per commune), rounded as the demo writes figures (counts whole, the rest to one decimal); a yes/no
    is yes only if every predecessor had it (the merged commune has the road, the plan… only if each part had it); a
    level is the lowest (the weaker part holds the whole back). A measure only some reported is combined over those.
    """
    if len(figures) == 1:
        return dict(figures[0])
    combined: dict[int, Any] = {}
    for measure_id in sorted(set().union(*figures)):
        values = [f[measure_id] for f in figures if f.get(measure_id) is not None]
        if not values:
            continue
        if isinstance(values[0], bool):
            combined[measure_id] = all(values)
        elif isinstance(values[0], str):
            levels = measures[measure_id].levels
            combined[measure_id] = min(values, key=lambda v: levels.index(v) if v in levels else -1)
        else:
            mean = sum(Decimal(v) for v in values) / len(values)
            combined[measure_id] = _rounded(mean, measures[measure_id].kind)
    return combined


def _rounded(number: Decimal, kind: str) -> Decimal:
    return number.quantize(Decimal(1) if kind == MeasureKind.COUNT else Decimal("0.1"), rounding=ROUND_HALF_UP)


def commune_months(
    code: str, start: dict[int, Any], measures: dict[int, Measure], comparisons: dict[int, str]
) -> list[dict[int, Any]]:
    """The commune's figures for each of MONTHS: July 2025 as it started, then a few numbers drift, mostly for the
    better, and perhaps one criterion's yes/no is achieved on the way."""
    rng = random.Random(f"reform:{code}")
    numbers = sorted(m for m, v in start.items() if comparisons.get(m) in BETTER and isinstance(v, Decimal))
    drifting = rng.sample(numbers, k=min(DRIFTING, len(numbers)))
    direction = {m: BETTER[comparisons[m]] * (1 if rng.random() < IMPROVING else -1) for m in drifting}
    missing = sorted(m for m, v in start.items() if v is False and comparisons.get(m) == "achieved")
    achieved = (rng.choice(missing), rng.randrange(2, len(MONTHS))) if missing and rng.random() < 0.4 else None
    values, months = dict(start), []
    for index in range(len(MONTHS)):
        if index:
            for measure_id in drifting:
                values[measure_id] = _drifted(values[measure_id], measures[measure_id], direction[measure_id], rng)
        if achieved and index == achieved[1]:
            values[achieved[0]] = True
        months.append(dict(values))
    return months


def _drifted(value: Decimal, measure: Measure, direction: int, rng: random.Random) -> Decimal:
    if measure.kind == MeasureKind.COUNT:
        moved = value + direction if rng.random() < 0.4 else value  # a whole thing now and then
    else:
        step = max(Decimal("0.1"), abs(value) * Decimal("0.02")) * Decimal(str(round(rng.uniform(0.3, 1.2), 2)))
        moved = _rounded(value + direction * step, measure.kind)
    low, high = allowed_range(measure)
    if low is not None:
        moved = max(low, moved)
    if high is not None:
        moved = min(high, moved)
    return moved


def report_state(code: str, period: dt.date) -> str | None:
    """The report's status in the story, None for a month the commune has not sent."""
    if code == STORY_COMMUNE:
        return {DECEMBER: ReportStatus.SUBMITTED, JANUARY: None}.get(period, ReportStatus.APPROVED)
    if code in LATE_COMMUNES and period >= DECEMBER:
        return None
    return ReportStatus.APPROVED


# ---------------------------------------------------------------- loading


def load_reform_story(stdout: TextIO | None = None) -> ReformStory:
    """Tell the merged Quảng Ngãi's July 2025 to January 2026: villages, the ex-Kon Tum communes' monthly figures
    and the monthly statuses."""
    story = ReformStory()
    province = AdministrativeUnit.objects.filter(
        level=Level.PROVINCE, code=PROVINCE_CODE, valid_from=REFORM_DATE
    ).first()
    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    if province is None or programme is None:
        _say(stdout, "Chưa có tỉnh Quảng Ngãi (từ 07/2025) hoặc giai đoạn 2021-2025: bỏ qua số liệu sau sắp xếp.")
        return story
    communes = list(
        AdministrativeUnit.objects.filter(level=Level.COMMUNE, kind=Kind.XA, path__startswith=province.path).order_by(
            "code"
        )
    )
    story.communes = len(communes)
    counts = load_village_rows(demo_village_rows(communes), demo=True, on=REFORM_DATE)
    story.villages_created, story.villages_unchanged = counts["created"], counts["unchanged"]

    User = get_user_model()
    if not User.objects.filter(username=OFFICE_USER).exists():
        load_demo_users()
    office = User.objects.get(username=OFFICE_USER)
    with transaction.atomic():
        measures = Measure.objects.in_bulk()
        starts = _starting_figures(communes, measures)
        comparisons = _comparisons(programme)
        by_id = {c.pk: c for c in communes}
        months_values = {
            pk: commune_months(by_id[pk].code, start, measures, comparisons) for pk, start in starts.items()
        }
        story.continued = [by_id[pk].code for pk in months_values]
        story.late = [c.name for c in communes if c.pk in starts and report_state(c.code, DECEMBER) is None]
        senders = _submitters(communes, office)
        _write_reports(story, programme, months_values, by_id, senders, office, province.report_due_day)

    analyze_tables(Report, Value, ReportEvent)
    rebuild_latest_values()  # the reports above were written directly, not through approval
    units = tracked_units(province)
    for period in MONTHS:
        story.statuses += recompute_statuses(period=period, units=units, programme=programme)
    _report(stdout, story, province, programme)
    return story


def _starting_figures(communes: list[AdministrativeUnit], measures: dict[int, Measure]) -> dict[int, dict[int, Any]]:
    """Per new commune formed from Kon Tum communes with approved figures, its starting figures (see combine)."""
    links = list(
        Lineage.objects.filter(
            successor__in=communes, predecessor__path__startswith=f"{DEMO_PROVINCE_CODE}/"
        ).select_related("predecessor")
    )
    carried = carried_values([link.predecessor_id for link in links], LAST_MONTH_BEFORE)
    predecessors: dict[int, list[AdministrativeUnit]] = defaultdict(list)
    for link in sorted(links, key=lambda link: link.predecessor.code):
        # A town (thị trấn) merged in has no NTM figures; the communes' figures stand for the whole.
        if carried.get(link.predecessor_id):
            predecessors[link.successor_id].append(link.predecessor)
    _inherit_demo_flags(predecessors)
    return {
        successor_id: combine([carried[p.pk] for p in units], measures)
        for successor_id, units in sorted(predecessors.items())
    }


def _inherit_demo_flags(predecessors: dict[int, list[AdministrativeUnit]]) -> None:
    """DEMO DATA: demo.story flags Kon Tum's remotest communes TDMNPB after the unit import passed the flags on to
    their successors (communes.divisions.inherit_classification), so pass the demo's on the same way, by the most
    predecessors; their figures were made against those thresholds. A flag already set is never cleared."""
    flagged = [
        successor_id
        for successor_id, units in predecessors.items()
        if 2 * sum(u.applies_tdmnpb_thresholds for u in units) > len(units)
    ]
    AdministrativeUnit.objects.filter(pk__in=flagged, applies_tdmnpb_thresholds=False).update(
        applies_tdmnpb_thresholds=True
    )


def _comparisons(programme: Programme) -> dict[int, str]:
    """How each measure is judged by the programme (which way is better), measure id -> comparison."""
    rows = Indicator.objects.filter(criterion__criteria_set__programme=programme, measure__isnull=False)
    comparisons: dict[int, str] = {}
    for measure_id, comparison in rows.values_list("measure_id", "comparison").order_by("pk"):
        comparisons.setdefault(measure_id, comparison)
    return comparisons


def _submitters(communes: list[AdministrativeUnit], office) -> dict[int, Any]:
    """Who sends each commune's reports: its commune official where the demo has one, else the office for it."""
    senders = {c.pk: office for c in communes}
    memberships = Membership.objects.filter(unit__in=communes, role=Role.COMMUNE).select_related("user")
    for membership in memberships.order_by("-pk"):
        senders[membership.unit_id] = membership.user
    return senders


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _new_report(unit: AdministrativeUnit, period: dt.date, state: str, programme, sender, office, due_day: int):
    rng = random.Random(f"reform-report:{unit.code}:{period:%Y-%m}")
    # Most communes send in the ten days up to the due day; a few are a day or three late.
    on_time, late = rng.randint(max(1, due_day - 10), due_day), min(28, due_day + rng.randint(1, 3))
    day = late if rng.random() < 0.08 else on_time
    submitted = _aware(period.replace(day=day), rng.randint(8, 16))
    approved = state == ReportStatus.APPROVED
    return Report(
        unit=unit,
        period=period,
        programme=programme,
        status=state,
        version=3 if approved else 2,  # saved, sent (and approved): the steps of monthly.services
        updated_by=office if approved else sender,
        submitted_at=submitted,
        is_late=day > due_day,
        approved_at=submitted + dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 3)) if approved else None,
    )


def _write_reports(story, programme, months_values, by_id, senders, office, due_day: int) -> None:
    """The story's reports for the months a commune has none yet, with their values and their workflow steps."""
    existing = set(
        Report.objects.filter(unit_id__in=list(months_values), period__in=MONTHS).values_list("unit_id", "period")
    )
    reports = []
    for unit_id in months_values:
        unit = by_id[unit_id]
        for period in MONTHS:
            state = report_state(unit.code, period)
            if state is None:
                continue
            if (unit_id, period) in existing:
                story.reports_kept += 1
                continue
            reports.append(_new_report(unit, period, state, programme, senders[unit_id], office, due_day))
    Report.objects.bulk_create(reports, batch_size=500)
    story.reports_created = len(reports)
    if not reports:
        return
    values, events = [], []
    for report in reports:
        for measure_id, value in months_values[report.unit_id][MONTHS.index(report.period)].items():
            row = Value(report=report, measure_id=measure_id)
            if isinstance(value, bool):
                row.flag = value
            elif isinstance(value, str):
                row.level = value
            else:
                row.number = Decimal(value)
            values.append(row)
        events.append(ReportEvent(report=report, action=ReportAction.SUBMITTED, by=senders[report.unit_id]))
        if report.status == ReportStatus.APPROVED:
            events.append(ReportEvent(report=report, action=ReportAction.APPROVED, by=office))
    Value.objects.bulk_create(values, batch_size=2000)
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    story.values_created = len(values)
    # Creation stamps "now" on these; the story happened in 2025.
    ids = [r.pk for r in reports]
    Report.objects.filter(pk__in=ids).update(updated_at=Coalesce("approved_at", "submitted_at"))
    for action, column in ((ReportAction.SUBMITTED, "submitted_at"), (ReportAction.APPROVED, "approved_at")):
        ReportEvent.objects.filter(report_id__in=ids, action=action).update(
            at=Subquery(Report.objects.filter(pk=OuterRef("report_id")).values(column)[:1])
        )


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


def _report(stdout: TextIO | None, story: ReformStory, province: AdministrativeUnit, programme: Programme) -> None:
    if stdout is None:
        return
    tiers = Status.objects.filter(
        period=DECEMBER, programme=programme, unit__path__startswith=province.path, unit__level=Level.COMMUNE
    ).values_list("tier", flat=True)
    standard = sum(1 for tier in tiers if tier in ("standard", "advanced", "model"))
    december = Report.objects.filter(period=DECEMBER, unit__path__startswith=province.path)
    waiting = ", ".join(december.filter(status=ReportStatus.SUBMITTED).values_list("unit__name", flat=True))
    _say(
        stdout,
        f"Từ 07/2025, {province.name} (sau sắp xếp): thôn minh họa cho {story.communes} xã "
        f"(mới {story.villages_created}, không đổi {story.villages_unchanged}); số liệu 07/2025 - 01/2026 của "
        f"{len(story.continued)} xã hình thành từ các xã của tỉnh Kon Tum cũ: báo cáo tháng mới "
        f"{story.reports_created} (giữ nguyên {story.reports_kept} báo cáo đã có), {story.values_created} giá trị; "
        f"{story.statuses} kết quả đánh giá.",
    )
    _say(
        stdout,
        f"Tháng 12/2025 theo số liệu: {standard} xã đạt chuẩn trở lên; báo cáo chờ Văn phòng điều phối duyệt: "
        f"{waiting or 'không có'}; chưa nộp: {', '.join(story.late) or 'không có'}.",
    )
