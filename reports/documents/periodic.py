"""Six-monthly and annual reports (issue 15, item 8): the province's and a commune's, for a reports.periods.Period,
in the Nghị định 30 layout and under the letterhead defaults of the monthly documents of the same kind.

A period is read at two months, its start month and its end month. The end month's figures are the dashboard's
(reports.dashboard.province_context) or the scorecard's (reports.scorecard.scorecard_context); the start month is
loaded the same way (reports.scope.load_scope, monthly.evaluation.evaluate_approved). Each month keeps its own
yardstick: a period across the programmes (January 2026 by 2021-2025, February on by 2026-2030) names both and never
compares criteria counts. Both builders run a fixed number of queries whatever the number of communes, and the
Excel exports (reports.periodic_exports) read the same contexts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from communes.groups import group_label
from communes.models import AdministrativeUnit, Level
from communes.months import month_end
from criteria.evaluation import Outcome, ProgrammeResult
from criteria.models import Measure, Programme, Threshold
from monthly.evaluation import evaluate_approved
from monthly.figures import carried_values
from monthly.models import Report
from monthly.services import SENT, due_date, programme_for
from records.models import Recognition
from reports import dashboard
from reports.documents import builders
from reports.facts import bucket_label, illustrative_sets_note, yardstick_sentence
from reports.models import DocumentKind, DocumentSettings, Status
from reports.periods import Period
from reports.scope import ScopeRows, highest_by_unit, load_scope, recognitions_on
from reports.scorecard import scorecard_context
from reports.services import bands_of

TEMPLATES = {
    DocumentKind.PROVINCE: "reports/print/periodic_province.html",
    DocumentKind.COMMUNE: "reports/print/periodic_commune.html",
}
STANDARD = "standard"


def signed(change: int | Decimal | None) -> str:
    """A change as a table prints it: +2, −1, 0; — when there is nothing to compare."""
    if change is None:
        return "—"
    size = number_format(abs(change), 1) if isinstance(change, Decimal) else str(abs(change))
    return f"+{size}" if change > 0 else (f"−{size}" if change < 0 else "0")


# ---------------------------------------------------------------- the two months' yardsticks


@dataclass
class Yardsticks:
    """The programmes that judged the start and the end month: criteria counts compare only under one programme."""

    start_month: dt.date
    end_month: dt.date
    start: Programme | None
    end: Programme | None

    @property
    def comparable(self) -> bool:
        return self.start is not None and self.end is not None and self.start.pk == self.end.pk

    @property
    def crossing(self) -> bool:
        return not self.comparable

    @property
    def sentence(self) -> str:
        """Which programme judged each month, e.g. "Tháng 01/2026 (đầu kỳ) được đánh giá theo bộ tiêu chí giai đoạn
        2021-2025; tháng 12/2026 (cuối kỳ) theo bộ tiêu chí giai đoạn 2026-2030. … không so sánh được vì khác bộ
        tiêu chí."."""
        none = _("không có giai đoạn nào áp dụng")
        values = {
            "start": f"{self.start_month:%m/%Y}",
            "end": f"{self.end_month:%m/%Y}",
            "start_programme": self.start.code if self.start else none,
            "end_programme": self.end.code if self.end else none,
        }
        if self.comparable:
            if self.start_month == self.end_month:
                return _("Tháng %(end)s được đánh giá theo bộ tiêu chí giai đoạn %(end_programme)s.") % values
            return (
                _(
                    "Tháng %(start)s (đầu kỳ) và tháng %(end)s (cuối kỳ) đều được đánh giá theo bộ tiêu chí giai đoạn "
                    "%(end_programme)s."
                )
                % values
            )
        return (
            _(
                "Tháng %(start)s (đầu kỳ) được đánh giá theo bộ tiêu chí giai đoạn %(start_programme)s; tháng %(end)s "
                "(cuối kỳ) theo bộ tiêu chí giai đoạn %(end_programme)s. Mỗi tháng được đánh giá theo bộ tiêu chí của "
                "chính tháng đó; số tiêu chí đạt của hai tháng không so sánh được vì khác bộ tiêu chí."
            )
            % values
        )


def not_comparable() -> str:
    return _("không so sánh được vì khác bộ tiêu chí")


def _programme_of(rows: ScopeRows) -> Programme | None:
    return rows.sets[0].programme if rows.sets else None


def _letterhead(kind: str, unit: AdministrativeUnit, period: Period, title: str, ancestors) -> builders.Letterhead:
    """The monthly document's defaults and the unit's latest standing fields (issuing body, signer, recipients),
    under the period's title; the number and date stay blank for the clerk (one query)."""
    values = builders.defaults(kind, unit, period.end_month, ancestors)
    latest = (
        DocumentSettings.objects.filter(unit=unit, kind=kind, period__lte=period.end_month).order_by("-period").first()
    )
    if latest is not None:
        values |= {name: getattr(latest, name) for name in builders.STANDING_FIELDS if getattr(latest, name)}
    values |= {"title": title, "number": "", "issued_on": None}
    return builders.letterhead_from(kind, values)


def _unverified(programmes) -> bool:
    ids = {p.pk for p in programmes if p is not None}
    return Threshold.objects.filter(verified=False, indicator__criterion__criteria_set__programme__in=ids).exists()


def filename(kind: str, unit: AdministrativeUnit, period: Period, extension: str = "pdf") -> str:
    stem = {DocumentKind.PROVINCE: "bao-cao-ntm", DocumentKind.COMMUNE: "bao-cao-tieu-chi-xa"}[kind]
    return f"{stem}-{unit.code}-{period.slug}.{extension}"


# ---------------------------------------------------------------- the province: changes over the period


@dataclass
class TierChange:
    """One tier at the start and the end month; None where the month's ladder has no such tier."""

    tier: str
    label: str
    start_recognised: int | None
    end_recognised: int | None
    start_computed: int | None
    end_computed: int | None
    comparable: bool

    @property
    def recognised_change(self) -> str:
        # Decisions are decisions under either programme: they compare.
        if self.start_recognised is None or self.end_recognised is None:
            return signed(None)
        return signed(self.end_recognised - self.start_recognised)

    @property
    def computed_change(self) -> str:
        if not self.comparable or self.start_computed is None or self.end_computed is None:
            return signed(None)
        return signed(self.end_computed - self.start_computed)


def _tier_changes(start: dashboard.Summary, end: dashboard.Summary, comparable: bool) -> list[TierChange]:
    start_lines = {line.tier: line for line in start.tiers}
    end_lines = {line.tier: line for line in end.tiers}
    changes = []
    for tier in dict.fromkeys([*start_lines, *end_lines]):
        before, after = start_lines.get(tier), end_lines.get(tier)
        changes.append(
            TierChange(
                tier=tier,
                label=(after or before).label,
                start_recognised=before.recognised if before else None,
                end_recognised=after.recognised if after else None,
                start_computed=before.computed if before else None,
                end_computed=after.computed if after else None,
                comparable=comparable,
            )
        )
    return changes


@dataclass
class BandChange:
    label: str
    start: int
    end: int

    @property
    def change(self) -> str:
        return signed(self.end - self.start)


@dataclass
class CommuneChange:
    """A judged commune of the province at the start and the end month."""

    unit: AdministrativeUnit
    district: AdministrativeUnit | None
    start: Status | None
    end: Status | None
    start_band: str
    end_band: str
    start_group: str  # "" when the month is not judged by group
    end_group: str
    recognition: Recognition | None  # the highest in force at the end
    at_risk: bool

    @property
    def reached(self) -> bool:
        return dashboard.reaches(self.end, STANDARD) and not dashboard.reaches(self.start, STANDARD)

    @property
    def lost(self) -> bool:
        return dashboard.reaches(self.start, STANDARD) and not dashboard.reaches(self.end, STANDARD)


def _band(status: Status | None, bands) -> str:
    """The band of criteria met a status falls in, under its month's programme ("5-9 tiêu chí")."""
    if status is None:
        return ""
    return next((bucket_label(code) for code, low, high in bands if low <= status.criteria_met <= high), "")


def _group(rows: ScopeRows, unit_id: int) -> str:
    return "" if rows.groups is None else str(group_label(rows.groups.get(unit_id)))


def _commune_changes(start_rows: ScopeRows, end_rows: ScopeRows, end_month: dt.date, watch) -> list[CommuneChange]:
    """Every judged commune at the end month, with its start and end results, bands and groups."""
    units_by_pk = {u.pk: u for u in end_rows.units}
    highest = highest_by_unit(recognitions_on(end_rows.recognitions, month_end(end_month)))
    at_risk = {w.item.unit.pk for w in watch if w.item.at_risk}
    start_bands = bands_of(_programme_of(start_rows))
    end_bands = bands_of(_programme_of(end_rows))
    changes = []
    for unit in end_rows.rural:
        parent = units_by_pk.get(unit.parent_id)
        start, end = start_rows.statuses.get(unit.pk), end_rows.statuses.get(unit.pk)
        changes.append(
            CommuneChange(
                unit=unit,
                district=parent if parent is not None and parent.level == Level.DISTRICT else None,
                start=start,
                end=end,
                start_band=_band(start, start_bands),
                end_band=_band(end, end_bands),
                start_group=_group(start_rows, unit.pk),
                end_group=_group(end_rows, unit.pk),
                recognition=highest.get(unit.pk),
                at_risk=unit.pk in at_risk,
            )
        )
    return changes


@dataclass
class MonthReports:
    """How the judged communes reported one month of the period."""

    period: dt.date
    due: dt.date
    asked: int
    on_time: int
    late: int
    not_sent: int  # nothing sent and the due day has passed
    pending: int  # nothing sent yet, not yet due


def _month_reports(province: AdministrativeUnit, rural, period: Period) -> list[MonthReports]:
    """Each month of the period: the communes asked (judged at the end month and existing then), those that sent on
    time, late, or not at all (one query)."""
    sent = {
        (unit_id, month): is_late
        for unit_id, month, status, is_late in Report.objects.filter(
            unit__path__startswith=province.path,
            unit__level=Level.COMMUNE,
            period__gte=period.start_month,
            period__lte=period.end_month,
        )
        .order_by()
        .values_list("unit_id", "period", "status", "is_late")
        if status in SENT
    }
    today = timezone.localdate()
    result = []
    for month in period.months:
        due = due_date(month, province.report_due_day)
        asked = [u for u in rural if u.in_force_on(month)]
        late = [u for u in asked if sent.get((u.pk, month)) is True]
        on_time = [u for u in asked if sent.get((u.pk, month)) is False]
        unsent = len(asked) - len(late) - len(on_time)
        overdue = today > due
        result.append(
            MonthReports(
                period=month,
                due=due,
                asked=len(asked),
                on_time=len(on_time),
                late=len(late),
                not_sent=unsent if overdue else 0,
                pending=0 if overdue else unsent,
            )
        )
    return result


def _recognitions_within(rows: ScopeRows, period: Period) -> tuple[list[Recognition], list[Recognition]]:
    """The decisions taken within the period, and the recognitions revoked within it."""
    first, last = period.start_month, month_end(period.end_month)
    decided = [r for r in rows.recognitions if first <= r.decision_date <= last]
    revoked = [r for r in rows.recognitions if r.revoked_date is not None and first <= r.revoked_date <= last]
    return decided, revoked


def _group_band_changes(start_rows: ScopeRows, end_rows: ScopeRows, yardsticks: Yardsticks) -> list:
    """Communes by group and band at the start and the end, [(group, [(start, end) per band])], when one programme
    judging by group judged both months; [] otherwise."""
    if not yardsticks.comparable:
        return []
    bands = bands_of(yardsticks.end)
    before, after = dashboard.group_bands(start_rows, bands), dashboard.group_bands(end_rows, bands)
    if not before or not after:
        return []
    return [(group, list(zip(counts, dict(after)[group], strict=True))) for group, counts in before]


def _changes(start_summary: dashboard.Summary, end_summary: dashboard.Summary, yardsticks: Yardsticks) -> dict:
    """The tiers, bands and average at the start and the end; bands and averages only under one programme."""
    comparable = yardsticks.comparable
    averages = (start_summary.average, end_summary.average)
    return {
        "tier_changes": _tier_changes(start_summary, end_summary, comparable),
        "band_changes": [
            BandChange(label, count, after)
            for (label, count), (_label, after) in zip(start_summary.buckets, end_summary.buckets, strict=True)
        ]
        if comparable
        else [],
        "average_change": signed(averages[1] - averages[0]) if comparable and None not in averages else None,
    }


def province_period_context(*, province: AdministrativeUnit, period: Period, user) -> dict:
    """The province over a period: the dashboard's figures at the end month, the changes since the start month, the
    decisions of the period, the watch-list at the end and each month's reporting (a fixed number of queries: the
    dashboard's, the start month's scope rows, the period's reports, unverified thresholds, the letterhead's)."""
    context = dashboard.province_context(province=province, period=period.end_month, user=user)
    end_rows: ScopeRows = context["rows"]
    start_rows = end_rows if period.start_month == period.end_month else load_scope(province, period.start_month)
    start_summary, _in_force, _highest = dashboard.summarise(province, start_rows, period.start_month)
    yardsticks = Yardsticks(period.start_month, period.end_month, _programme_of(start_rows), _programme_of(end_rows))
    communes = _commune_changes(start_rows, end_rows, period.end_month, context["watch"])
    decided, revoked = _recognitions_within(end_rows, period)
    month_reports = _month_reports(province, end_rows.rural, period)
    context.update(
        _changes(start_summary, context["summary"], yardsticks),
        span=period,
        start_period=period.start_month,
        yardsticks=yardsticks,
        start_summary=start_summary,
        start_yardstick=yardstick_sentence(start_rows.sets),
        start_illustrative=illustrative_sets_note(start_rows.sets),
        group_band_changes=_group_band_changes(start_rows, end_rows, yardsticks),
        # The monthly document's rows and closing tasks, from the end month's figures.
        tier_rows=builders._tier_rows(context["summary"]),
        next_tasks=builders._next_tasks(context, month_reports[-1].not_sent if month_reports else 0),
        communes=communes,
        reached=[c for c in communes if c.reached],
        lost=[c for c in communes if c.lost],
        decided=decided,
        revoked=revoked,
        at_risk=[w for w in context["watch"] if w.item.at_risk],
        month_reports=month_reports,
        unverified_thresholds=_unverified([yardsticks.start, yardsticks.end]),
    )
    context["doc"] = _letterhead(DocumentKind.PROVINCE, province, period, province_title(period), [])
    return context


def province_title(period: Period) -> str:
    return _("Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới %(period)s") % {"period": period.label}


# ---------------------------------------------------------------- a commune: its criteria and figures


@dataclass
class CriterionChange:
    """A criterion of a set judging the end month, with its outcome then and (same programme only) at the start."""

    set_name: str
    number: int
    name: str
    is_key: bool
    start: Outcome | None
    end: Outcome

    @property
    def changed(self) -> bool:
        return self.start is not None and self.start != self.end

    @property
    def start_word(self) -> str:
        return outcome_word(self.start)

    @property
    def end_word(self) -> str:
        return outcome_word(self.end)


def outcome_word(outcome: Outcome | None) -> str:
    """A criterion's outcome in the words of the monthly document (templates/reports/print/_outcome.html)."""
    words = {
        Outcome.MET: _("Đạt"),
        Outcome.NOT_MET: _("Chưa đạt"),
        Outcome.NO_DATA: _("Chưa có số liệu"),
        Outcome.NO_THRESHOLD: _("Chưa có ngưỡng"),
    }
    return "—" if outcome is None else words.get(outcome, _("Lỗi"))


def _criteria_changes(start: ProgrammeResult | None, end: ProgrammeResult | None, comparable: bool) -> list:
    """Each criterion of the end month's sets, beside the same set's criterion at the start (one programme only)."""
    if end is None:
        return []
    rows = []
    for code, set_result in end.sets.items():
        before = start.sets.get(code) if comparable and start is not None else None
        earlier = {c.number: c for c in before.criteria} if before else {}
        for criterion in set_result.criteria:
            previous = earlier.get(criterion.number)
            rows.append(
                CriterionChange(
                    set_name=set_result.name,
                    number=criterion.number,
                    name=criterion.name,
                    is_key=criterion.is_key,
                    start=previous.outcome if previous else None,
                    end=criterion.outcome,
                )
            )
    return rows


@dataclass
class FigureChange:
    measure: Measure
    start: object
    end: object


def _figure_changes(start: dict, end: dict) -> list[FigureChange]:
    """The approved figures (carried forward) that differ between the start and the end month (one query, none
    when nothing changed). Figures are facts, not criteria: they compare across programmes."""
    changed = [pk for pk in dict.fromkeys([*end, *start]) if start.get(pk) != end.get(pk)]
    if not changed:
        return []
    measures = Measure.objects.filter(pk__in=changed).order_by("code")
    return [FigureChange(m, start.get(m.pk), end.get(m.pk)) for m in measures]


def _start_result(commune, period: Period, context: dict, end_carried: dict):
    """The start month's programme, its evaluation of the commune and its figures (the end's when one month)."""
    if period.start_month == period.end_month:
        return context["programme"], context["result"], end_carried
    programme = programme_for(period.start_month)
    if programme is None:
        return None, None, {}
    region = context["province"].region
    result, carried = evaluate_approved(commune, period.start_month, programme=programme, province_region=region)
    return programme, result, carried


def commune_period_context(*, commune: AdministrativeUnit, period: Period, user) -> dict:
    """A commune over a period: the scorecard at the end month, each criterion's outcome at the start and the end,
    and the figures that changed (a fixed number of queries)."""
    context = scorecard_context(commune=commune, period=period.end_month, user=user)
    end_carried = carried_values([commune.pk], period.end_month).get(commune.pk, {})
    start_programme, start_result, start_carried = _start_result(commune, period, context, end_carried)
    yardsticks = Yardsticks(period.start_month, period.end_month, start_programme, context["programme"])
    context.update(
        span=period,
        start_period=period.start_month,
        yardsticks=yardsticks,
        start_result=start_result,
        criteria_changes=_criteria_changes(start_result, context["result"], yardsticks.comparable),
        figure_changes=_figure_changes(start_carried, end_carried),
        decided=[
            r for r in context["recognitions"] if period.start_month <= r.decision_date <= month_end(period.end_month)
        ],
        unverified_thresholds=_unverified([start_programme, context["programme"]]),
    )
    title = _("Kết quả thực hiện các tiêu chí nông thôn mới của %(commune)s %(period)s") % {
        "commune": builders.in_sentence(commune.name),
        "period": period.label,
    }
    context["doc"] = _letterhead(DocumentKind.COMMUNE, commune, period, title, context["ancestors"])
    return context


def build_context(kind: str, unit: AdministrativeUnit, period: Period, user) -> dict:
    """The one context of a period's document, for its PDF, its HTML and its Excel export."""
    if kind == DocumentKind.PROVINCE:
        return province_period_context(province=unit, period=period, user=user)
    return commune_period_context(commune=unit, period=period, user=user)
