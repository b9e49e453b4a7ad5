"""The demo province's 2024, told through approved monthly figures, recognition decisions, targets and plans.

Kon Tum (62) is the demo province. What comes from the news and what is invented:

- From the news, so not marked as demo: the 2025 targets of Chương trình hành động 3299/CTr-UBND (04/10/2022), Ngọc
  Hồi's 2024 target of Chỉ thị 05/CT-UBND (22/01/2024).
- Invented, but shaped by the news: every monthly figure (entered by the demo district user and approved by the demo
  coordination office), the recognition decisions (numbers and dates), the communes' plans and the TDMNPB flags. Chỉ
  thị 05 names Ia Chim, Đắk Pék, Đắk Môn and Đắk KRoong as recognised communes with more than 30% of their criteria no
  longer met, and asks Ngọc Hồi to finish the district NTM target by the end of 2024: the figures make it so.

The figures are built against the criteria as loaded (fixtures/criteria, region TN, thresholds of the year), so the
statuses tell the story whatever the illustrative thresholds are. Random choices are seeded by unit codes: the same
story on every run, and nothing twice (reports left as they are; decisions, targets and plans updated in place).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from communes.divisions import analyze_tables
from communes.models import AdministrativeUnit, Kind, Level
from criteria.definitions import build_programme
from criteria.evaluation import IndicatorDef, ProgrammeDef, SetDef, UnitProfile, choose_threshold
from criteria.models import Measure, Programme
from demo.plots import (
    AT_RISK,
    NGOC_HOI,
    TDMNPB_DISTRICTS,
    TDMNPB_SHARE,
    YEAR,
    Plot,
    plot_communes,
    rng_for,
)
from demo.users import DEMO_PROVINCE_CODE, load_demo_users
from monthly.latest import rebuild as rebuild_latest_values
from monthly.models import Report, ReportAction, ReportEvent, ReportStatus, Value
from records.models import CommunePlan, RecognisedTier, Recognition, Target, TargetKind
from reports.models import Status
from reports.services import DERIVED_DISTRICT_MEASURES, recompute_statuses, tracked_units

MONTHS = [dt.date(YEAR, month, 1) for month in range(1, 13)]
PROGRAMME_CODE = "2021-2025"
ISSUER = "Chủ tịch UBND tỉnh Kon Tum"
DISTRICT_USER, OFFICE_USER = "huyen.dakglei", "vpdp.kontum"

GOAL_TIERS = {1: RecognisedTier.STANDARD, 2: RecognisedTier.ADVANCED, 3: RecognisedTier.MODEL}

# How a measure's value must stand against the thresholds this month.
FAIL_STANDARD = "fail_standard"
BETWEEN = "between"  # meets the standard threshold, not the advanced one
FAIL_ADVANCED = "fail_advanced"  # a measure only the advanced set reads, not met
MEET_STANDARD = "meet_standard"
MEET_ADVANCED = "meet_advanced"
MEET_MODEL = "meet_model"
RANDOM_ADVANCED = "random_advanced"  # a measure only the advanced set reads, met or not by chance

# ---------------------------------------------------------------- thresholds and values


@dataclass
class MeasureRule:
    """What a measure's value is judged against for one threshold profile: the standard and advanced thresholds
    (None when that set does not read it), and the model income when it is the income."""

    code: str
    kind: str
    comparison: str
    standard: Decimal | bool | None = None
    advanced: Decimal | bool | None = None
    model: Decimal | None = None
    given: bool = False  # a figure other thresholds depend on (the number of schools), not judged itself


def _threshold(indicator: IndicatorDef, profile: UnitProfile, year: int):
    if indicator.comparison == "achieved":
        return True
    chosen = choose_threshold(indicator.thresholds, profile, year)
    return chosen.value if chosen else None


def measure_rules(programme: ProgrammeDef, profile: UnitProfile, level: str = "commune") -> dict[str, MeasureRule]:
    """Per measure, the thresholds a unit of this profile faces in the year, read from the sets as loaded."""
    rules: dict[str, MeasureRule] = {}
    ladder = programme.ladder(level)
    for set_def in ladder:
        for criterion in set_def.criteria:
            for indicator in criterion.indicators:
                for threshold in indicator.thresholds:
                    if threshold.when is not None:
                        rules.setdefault(threshold.when.measure, MeasureRule(threshold.when.measure, "count", ""))
                        rules[threshold.when.measure].given = True
                if indicator.measure is None or indicator.comparison == "reached":
                    continue
                measure = indicator.measure
                rule = rules.setdefault(measure.code, MeasureRule(measure.code, measure.kind, indicator.comparison))
                if indicator.reference and indicator.multiplier is not None:
                    reference = _referenced(programme, indicator.reference)
                    base = _threshold(reference, profile, YEAR) if reference else None
                    if base is not None:
                        rule.model = base * indicator.multiplier
                    continue
                value = _threshold(indicator, profile, YEAR)
                if set_def.tier == "standard" and rule.standard is None:
                    rule.standard = value
                elif set_def.tier == "advanced" and rule.advanced is None:
                    rule.advanced = value
                elif rule.standard is None and rule.advanced is None:
                    # Read only by a higher set (the model commune's smart villages): treat as its floor.
                    rule.model = value
    return rules


def _referenced(programme: ProgrammeDef, reference: str) -> IndicatorDef | None:
    set_code, _, indicator_code = reference.partition("/")
    set_def = programme.set(set_code)
    if set_def is None:
        return None
    return next((i for c in set_def.criteria for i in c.indicators if i.code == indicator_code), None)


def _width(kind: str, threshold: Decimal) -> Decimal:
    """How far from the threshold values wander: a few points for shares, a few million for income."""
    if kind == "count":
        return Decimal(20)
    if kind == "number":
        return Decimal(8)
    return max(Decimal(4), min(Decimal(20), threshold * Decimal("0.3")))


def _bounds(kind: str) -> tuple[Decimal, Decimal | None]:
    return (Decimal(0), Decimal(100)) if kind == "percent" else (Decimal(0), None)


def _interval(rule: MeasureRule, requirement: str) -> tuple[Decimal, Decimal]:
    """(worst, best) values that satisfy the requirement: the value moves from the first towards the second
    as the commune improves."""
    step = Decimal(1) if rule.kind == "count" else Decimal("0.5")
    low, high = _bounds(rule.kind)
    up = rule.comparison in (">=", ">")
    standard = rule.standard if rule.standard is not None else rule.advanced
    advanced = rule.advanced if rule.advanced is not None else standard
    if requirement in (FAIL_ADVANCED,):
        standard = advanced
    if requirement == MEET_MODEL and rule.model is not None:
        if rule.kind == "count":
            return rule.model, rule.model + 2  # a smart village or three
        return rule.model + step, rule.model + 6
    if requirement in (MEET_ADVANCED, MEET_MODEL):
        anchor = advanced
    elif requirement in (FAIL_STANDARD, FAIL_ADVANCED):
        width = _width(rule.kind, standard)
        if up:
            return max(low, standard - width), standard - step
        return standard + width, standard + step
    elif requirement == BETWEEN:
        if up:
            return standard, advanced - step
        return standard, advanced + step
    else:
        anchor = standard
    width = _width(rule.kind, anchor)
    if up:
        return anchor, anchor + width if high is None else min(high, anchor + width)
    return anchor, max(low, anchor - width)


def measure_value(rule: MeasureRule, requirement: str, goodness: float):
    """A value meeting the requirement, `goodness` (0 to 1) of the way from its worst to its best."""
    if rule.kind == "boolean":
        return requirement not in (FAIL_STANDARD, FAIL_ADVANCED)
    worst, best = _interval(rule, requirement)
    value = worst + (best - worst) * Decimal(str(round(goodness, 3)))
    if rule.kind == "count":
        # Round towards the worst end, so a value never crosses into the next requirement.
        return int(value.to_integral_value(rounding="ROUND_FLOOR" if best >= worst else "ROUND_CEILING"))
    # Thresholds carry at most one decimal and the step is 0.5, so rounding to one decimal stays on the right side.
    return value.quantize(Decimal("0.1"))


@dataclass
class Ladder:
    """The commune sets as loaded, and which indicator can fail which criterion without breaking a lower set."""

    programme: ProgrammeDef
    standard: SetDef
    advanced: SetDef | None
    # criterion number -> indicators that can fail it, per set
    standard_failable: dict[int, list[IndicatorDef]]
    advanced_failable: dict[int, list[IndicatorDef]]


def build_ladder(programme: ProgrammeDef) -> Ladder:
    sets = {s.tier: s for s in programme.ladder("commune")}
    standard, advanced = sets["standard"], sets.get("advanced")
    standard_measures = {i.measure.code: i for c in standard.criteria for i in c.indicators if i.measure is not None}

    def failable_standard(indicator: IndicatorDef) -> bool:
        return indicator.measure is not None and indicator.comparison != "reached" and bool(indicator.thresholds)

    def failable_advanced(indicator: IndicatorDef) -> bool:
        if not failable_standard(indicator):
            return False
        lower = standard_measures.get(indicator.measure.code)
        if lower is None:
            return True
        # A shared measure can fail the advanced set alone only if its advanced threshold is stricter.
        if indicator.comparison == "achieved" or indicator.measure.kind == "count":
            return False
        profile = UnitProfile(region="TN")
        high, low = _threshold(indicator, profile, YEAR), _threshold(lower, profile, YEAR)
        if high is None or low is None:
            return False
        return high - low >= 1 if indicator.comparison in (">=", ">") else low - high >= 1

    return Ladder(
        programme=programme,
        standard=standard,
        advanced=advanced,
        standard_failable={
            c.number: [i for i in c.indicators if failable_standard(i)] for c in standard.criteria if not c.is_condition
        },
        advanced_failable={
            c.number: [i for i in c.indicators if failable_advanced(i)]
            for c in (advanced.criteria if advanced else ())
            if any(failable_advanced(i) for i in c.indicators)
        },
    )


def commune_values(plot: Plot, ladder: Ladder, rules: dict[str, MeasureRule], month: int) -> dict[str, object]:
    """Every measure's value for one commune in one month of 2024."""
    code = plot.unit.code
    requirements: dict[str, str] = {}
    for number in plot.standard_failing(month):
        for indicator in _failing_indicators(code, "standard", number, ladder.standard_failable.get(number, [])):
            requirements[indicator.measure.code] = FAIL_STANDARD
    for number in plot.advanced_failing(month):
        for indicator in _failing_indicators(code, "advanced", number, ladder.advanced_failable.get(number, [])):
            rule = rules[indicator.measure.code]
            requirements.setdefault(indicator.measure.code, BETWEEN if rule.standard is not None else FAIL_ADVANCED)
    values = {}
    for measure_code, rule in rules.items():
        rng = rng_for("value", code, measure_code)
        if rule.given:
            # More than three schools, so the general threshold (QĐ 1491's 70 % at level 1) is the one that judges
            # and the story's results do not depend on this invented count.
            values[measure_code] = Decimal(rng.randint(4, 7))
            continue
        position = rng.uniform(0.35, 1.0)
        requirement = requirements.get(measure_code)
        if requirement is None:
            if plot.goal >= 3 and rule.model is not None:
                requirement = MEET_MODEL
            elif plot.goal >= 2:
                requirement = MEET_ADVANCED
            elif rule.standard is not None:
                requirement = MEET_STANDARD
            elif rule.advanced is not None:
                requirement = RANDOM_ADVANCED
            else:
                requirement = FAIL_ADVANCED  # the model commune's own measures: smart villages, a standout field
        if requirement == RANDOM_ADVANCED:
            requirement = MEET_ADVANCED if rng.random() < 0.45 else FAIL_ADVANCED
        if rule.standard is None and rule.advanced is None and requirement != MEET_MODEL:
            values[measure_code] = False if rule.kind == "boolean" else 0
            continue
        # Better month after month: a third of the way in January, all of it in December.
        goodness = min(1.0, max(0.0, position - 0.35 * (12 - month) / 11))
        values[measure_code] = measure_value(rule, requirement, goodness)
    return values


def _failing_indicators(code: str, tier: str, number: int, candidates: list[IndicatorDef]) -> list[IndicatorDef]:
    if not candidates:
        return []
    rng = rng_for("gap", code, tier, number)
    return rng.sample(candidates, k=1 if len(candidates) == 1 or rng.random() < 0.7 else 2)


# ---------------------------------------------------------------- the district of Ngọc Hồi

# Criterion -> first month met, for Ngọc Hồi's own district figures (the district set of QĐ 320).
NGOC_HOI_GAPS = {2: 6, 7: 9}
NGOC_HOI_SURVEY_MONTH = 11  # residents' satisfaction survey: below 90% until November


def district_values(
    district: AdministrativeUnit, programme: ProgrammeDef, rules: dict[str, MeasureRule], month: int
) -> dict[str, object]:
    """Ngọc Hồi's own figures: two criteria and the satisfaction survey catch up during the year; the shares
    of communes are not reported but computed from the communes' statuses."""
    failing: set[str] = set()
    for set_def in programme.ladder("district"):
        for criterion in set_def.criteria:
            if month < NGOC_HOI_GAPS.get(criterion.number, 0):
                candidates = [i for i in criterion.indicators if i.measure is not None and i.comparison != "achieved"]
                failing.update(i.measure.code for i in candidates[:1] or criterion.indicators[:1])
    if month < NGOC_HOI_SURVEY_MONTH:
        failing.add("district_satisfaction_pct")
    values = {}
    for measure_code, rule in rules.items():
        if measure_code in DERIVED_DISTRICT_MEASURES:
            continue
        position = rng_for("value", district.code, measure_code).uniform(0.35, 1.0)
        goodness = min(1.0, max(0.0, position - 0.35 * (12 - month) / 11))
        if rule.comparison == "==":
            values[measure_code] = rule.standard if measure_code not in failing else rule.standard - 10
            continue
        requirement = FAIL_STANDARD if measure_code in failing else MEET_STANDARD
        values[measure_code] = measure_value(rule, requirement, goodness)
    return values


# ---------------------------------------------------------------- loading


@dataclass
class DemoStory:
    """What load_demo_statuses did, for the command's output and for tests."""

    reports_created: int = 0
    reports_kept: int = 0
    values_created: int = 0
    recognitions: int = 0
    targets: int = 0
    plans: int = 0
    statuses: int = 0
    plots: dict[str, Plot] = field(default_factory=dict)


TARGET_SOURCE = (
    "Chương trình hành động số 3299/CTr-UBND ngày 04/10/2022 của UBND tỉnh Kon Tum thực hiện "
    "Nghị quyết số 13-NQ/TU ngày 19/5/2022 của Tỉnh ủy"
)
NGOC_HOI_SOURCE = "Chỉ thị số 05/CT-UBND ngày 22/01/2024 của Chủ tịch UBND tỉnh Kon Tum"
# (kind, level counted, tier, value): "đến năm 2025, toàn tỉnh có từ 60 xã trở lên đạt chuẩn nông thôn mới, trong
# đó có 20 xã đạt chuẩn nông thôn mới nâng cao và 06 xã đạt chuẩn nông thôn mới kiểu mẫu; 100% số xã đạt chuẩn 15
# tiêu chí trở lên; các xã mỗi năm đạt thêm từ 1-2 tiêu chí trở lên; có 04 huyện và thành phố Kon Tum đạt chuẩn".
PROVINCE_TARGETS_2025 = [
    (TargetKind.UNITS_AT_TIER, Level.COMMUNE, RecognisedTier.STANDARD, 60),
    (TargetKind.UNITS_AT_TIER, Level.COMMUNE, RecognisedTier.ADVANCED, 20),
    (TargetKind.UNITS_AT_TIER, Level.COMMUNE, RecognisedTier.MODEL, 6),
    (TargetKind.MIN_CRITERIA, Level.COMMUNE, "", 15),
    (TargetKind.YEARLY_GAIN, Level.COMMUNE, "", 1),
    (TargetKind.UNITS_AT_TIER, Level.DISTRICT, RecognisedTier.STANDARD, 5),
]


def load_demo_statuses(stdout: TextIO | None = None) -> DemoStory:
    """Tell Kon Tum's 2024 in the database: figures, decisions, targets and plans, then the monthly statuses."""
    story = DemoStory()
    province = AdministrativeUnit.objects.filter(code=DEMO_PROVINCE_CODE, level=Level.PROVINCE).first()
    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    if province is None or programme is None:
        _say(stdout, "Chưa có tỉnh Kon Tum hoặc giai đoạn 2021-2025: bỏ qua số liệu minh họa năm 2024.")
        return story
    User = get_user_model()
    if User.objects.filter(username__in=[DISTRICT_USER, OFFICE_USER]).count() != 2:
        load_demo_users()
    district_user = User.objects.get(username=DISTRICT_USER)
    office_user = User.objects.get(username=OFFICE_USER)

    with transaction.atomic():
        communes = list(
            AdministrativeUnit.objects.filter(
                level=Level.COMMUNE, kind=Kind.XA, path__startswith=province.path
            ).order_by("code")
        )
        _flag_tdmnpb(communes)
        definition = build_programme(programme, province.code)
        ladder = build_ladder(definition)
        plots = plot_communes(communes, sorted(ladder.advanced_failable))
        story.plots = plots
        measure_ids = dict(Measure.objects.values_list("code", "pk"))
        rules_by_flag = {
            flag: measure_rules(definition, UnitProfile(region=province.region, applies_tdmnpb=flag))
            for flag in (False, True)
        }

        units_values: dict[int, dict[int, dict[str, object]]] = {}
        for plot in plots.values():
            rules = rules_by_flag[plot.unit.applies_tdmnpb_thresholds]
            units_values[plot.unit.pk] = {month: commune_values(plot, ladder, rules, month) for month in range(1, 13)}
        ngoc_hoi = AdministrativeUnit.objects.filter(code=NGOC_HOI, level=Level.DISTRICT, parent=province).first()
        if ngoc_hoi is not None and definition.ladder("district"):
            rules = measure_rules(definition, UnitProfile(region=province.region), level="district")
            units_values[ngoc_hoi.pk] = {
                month: district_values(ngoc_hoi, definition, rules, month) for month in range(1, 13)
            }
        _write_reports(story, programme, units_values, measure_ids, district_user, office_user)

        story.recognitions = _write_recognitions(plots, programme)
        story.targets = _write_targets(province, ngoc_hoi)
        story.plans = _write_plans(plots)

    analyze_tables(Report, Value, ReportEvent)
    rebuild_latest_values()  # the reports were written directly, not approved through monthly.services
    units = tracked_units(province)
    for period in MONTHS:
        story.statuses += recompute_statuses(period=period, units=units, programme=programme)
    _report(stdout, story, province, programme)
    return story


def _flag_tdmnpb(communes: list[AdministrativeUnit]) -> None:
    """DEMO DATA: most communes of the remotest districts apply the TDMNPB thresholds (see TDMNPB_DISTRICTS)."""
    chosen = [
        c.pk
        for c in communes
        if c.path.split("/")[1] in TDMNPB_DISTRICTS
        and (c.code in AT_RISK or rng_for("tdmnpb", c.code).random() < TDMNPB_SHARE)
    ]
    AdministrativeUnit.objects.filter(pk__in=chosen, applies_tdmnpb_thresholds=False).update(
        applies_tdmnpb_thresholds=True
    )
    for commune in communes:
        if commune.pk in chosen:
            commune.applies_tdmnpb_thresholds = True


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _write_reports(story, programme, units_values, measure_ids, district_user, office_user) -> None:
    """Approved reports for the months a unit has none yet, with their values and their two workflow steps."""
    existing = set(
        Report.objects.filter(unit_id__in=list(units_values), period__in=MONTHS).values_list("unit_id", "period")
    )
    reports = []
    for unit_id, by_month in units_values.items():
        for month in by_month:
            period = MONTHS[month - 1]
            if (unit_id, period) in existing:
                story.reports_kept += 1
                continue
            rng = rng_for("report", unit_id, month)
            # Most districts send before the 25th; a few are a day or three late.
            late = rng.random() < 0.08
            submitted = period.replace(day=rng.randint(26, 28) if late else rng.randint(15, 24))
            approved = submitted + dt.timedelta(days=rng.randint(1, 4))
            reports.append(
                Report(
                    unit_id=unit_id,
                    period=period,
                    programme=programme,
                    status=ReportStatus.APPROVED,
                    version=3,
                    updated_by=district_user,
                    submitted_at=_aware(submitted, rng.randint(8, 16)),
                    is_late=late,
                    approved_at=_aware(approved, rng.randint(8, 16)),
                )
            )
    Report.objects.bulk_create(reports, batch_size=500)
    story.reports_created = len(reports)
    if not reports:
        return
    values, events = [], []
    for report in reports:
        for code, value in units_values[report.unit_id][report.period.month].items():
            row = Value(report=report, measure_id=measure_ids[code])
            if isinstance(value, bool):
                row.flag = value
            else:
                row.number = Decimal(value)
            values.append(row)
        events.append(ReportEvent(report=report, action=ReportAction.SUBMITTED, by=district_user))
        events.append(ReportEvent(report=report, action=ReportAction.APPROVED, by=office_user))
    Value.objects.bulk_create(values, batch_size=2000)
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    story.values_created = len(values)
    # Creation stamps "now" on these; the story happened in 2024.
    ids = [r.pk for r in reports]
    Report.objects.filter(pk__in=ids).update(updated_at=F("approved_at"))
    for action, column in ((ReportAction.SUBMITTED, "submitted_at"), (ReportAction.APPROVED, "approved_at")):
        ReportEvent.objects.filter(report_id__in=ids, action=action).update(
            at=Subquery(Report.objects.filter(pk=OuterRef("report_id")).values(column)[:1])
        )
    if connection.vendor == "postgresql":
        # A year of figures arrived at once: refresh the planner's statistics before the statuses read them back,
        # or PostgreSQL plans for the empty tables it last saw and the carry-forward query crawls.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE communes_report, communes_value")


def _write_recognitions(plots: dict[str, Plot], programme: Programme) -> int:
    """Demo decisions, updated in place; a commune that already holds a real decision in force at a tier keeps it."""
    real = set(
        Recognition.objects.in_force()
        .filter(is_demo=False, unit__in=[p.unit for p in plots.values()])
        .values_list("unit_id", "tier")
    )
    count = 0
    for plot in plots.values():
        for tier, date in plot.recognitions:
            if (plot.unit.pk, tier) in real:
                continue
            rng = rng_for("decision", plot.unit.code, tier)
            note = plot.note if tier == RecognisedTier.STANDARD else ""
            if date.year < 2022:
                note = " ".join(
                    filter(
                        None,
                        [
                            "Công nhận theo Bộ tiêu chí giai đoạn 2016 - 2020, duy trì theo Bộ tiêu chí 2021 - 2025.",
                            note,
                        ],
                    )
                )
            Recognition.objects.update_or_create(
                unit=plot.unit,
                tier=tier,
                is_demo=True,
                defaults={
                    "programme": programme,
                    "decision_number": f"{rng.randint(120, 2990)}/QĐ-UBND",
                    "decision_date": date,
                    "issuer": ISSUER,
                    "note": note,
                },
            )
            count += 1
    return count


def _write_targets(province: AdministrativeUnit, ngoc_hoi: AdministrativeUnit | None) -> int:
    """The targets of the news: public facts, so not marked as demo data."""
    rows = [
        (province, 2025, kind, level, tier, value, TARGET_SOURCE) for kind, level, tier, value in PROVINCE_TARGETS_2025
    ]
    if ngoc_hoi is not None:
        # "Giao UBND huyện Ngọc Hồi ... hoàn thành mục tiêu huyện nông thôn mới vào cuối năm 2024".
        rows.append(
            (ngoc_hoi, YEAR, TargetKind.UNITS_AT_TIER, Level.DISTRICT, RecognisedTier.STANDARD, 1, NGOC_HOI_SOURCE)
        )
    for unit, year, kind, level, tier, value, source in rows:
        Target.objects.update_or_create(
            unit=unit,
            year=year,
            kind=kind,
            level=level,
            tier=tier,
            defaults={"value": value, "source": source, "is_demo": False},
        )
    return len(rows)


def _write_plans(plots: dict[str, Plot]) -> int:
    count = 0
    for plot in plots.values():
        if plot.plan is None:
            continue
        tier, year = plot.plan
        CommunePlan.objects.update_or_create(
            unit=plot.unit,
            tier=tier,
            defaults={"year": year, "note": "Lộ trình minh họa", "is_demo": True},
        )
        count += 1
    return count


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


def _report(stdout: TextIO | None, story: DemoStory, province: AdministrativeUnit, programme: Programme) -> None:
    if stdout is None:
        return
    december = Status.objects.filter(
        period=MONTHS[-1], programme=programme, unit__path__startswith=province.path, unit__level=Level.COMMUNE
    )
    tiers = list(december.values_list("tier", flat=True))
    standard = sum(1 for t in tiers if t in ("standard", "advanced", "model"))
    advanced = sum(1 for t in tiers if t in ("advanced", "model"))
    model = sum(1 for t in tiers if t == "model")
    _say(
        stdout,
        f"Số liệu minh họa năm {YEAR} của {province.name}: báo cáo tháng mới {story.reports_created} "
        f"(giữ nguyên {story.reports_kept} báo cáo đã có), {story.values_created} giá trị; "
        f"{story.recognitions} quyết định công nhận, {story.targets} chỉ tiêu, {story.plans} kế hoạch của xã; "
        f"{story.statuses} kết quả đánh giá.",
    )
    _say(
        stdout,
        f"Tháng 12/{YEAR} theo số liệu: {standard} xã đạt chuẩn trở lên, {advanced} nâng cao trở lên, "
        f"{model} kiểu mẫu.",
    )
