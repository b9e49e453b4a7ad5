"""The demo's 2026: the merged Quảng Ngãi judged by the 2026-2030 criteria (QĐ 51/2025, in force from 15/02/2026).

Today is December 2026. All of it is invented, and marked as demo data where the model allows:

- Groups from 15/02/2026 by a demo decision (choose_groups): mostly 3 in the mountains, a handful of communes next to
  the cities 1, the rest 2; two communes "chưa phân nhóm", one moved from group 2 to group 1 on 01/07/2026.
- Figures of February to November 2026 for every rural commune: the communes formed from Kon Tum's continue from
  January 2026 (demo.reform_story), the others start in February; each moves towards the number of criteria it still
  misses in November (about a third none, most one to five, a few more).
- The office (vpdp.quangngai) approves every report but November's few sent, drafts and missing (the 25th has passed)
  and December's few drafts. Xã Đăk Pék (xa.dakpek): approved up to October 2026 (its December 2025, waiting since the
  reform story, approved in January), November waiting, December left for the official to enter.
- The province's targets for 2026 (a demo plan) and 2030 (QĐ 417/QĐ-BNNMT's ~65%), plans of the communes nearest.

Every random choice is seeded by a unit code. Running it again creates nothing twice: group assignments, reports,
targets and plans already there are kept, and the statuses are recomputed from the same figures.
"""

from __future__ import annotations

import datetime as dt
import operator
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from communes.divisions import analyze_tables
from communes.groups import CommuneGroupAssignment, groups_on
from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Lineage
from communes.months import month_end
from criteria.definitions import build_programme
from criteria.evaluation import ProgrammeDef, UnitProfile, choose_threshold
from criteria.measures import allowed_range
from criteria.models import Measure, MeasureKind, Programme
from demo.reform_story import LATE_COMMUNES, _aware, _new_report, _rounded, _say, _submitters
from demo.targets import write_targets
from demo.users import load_demo_users
from monthly.figures import carried_values
from monthly.latest import rebuild as rebuild_latest_values
from monthly.models import Report, ReportAction, ReportEvent, ReportStatus, Value
from monthly.services import entry_measures
from records.models import CommunePlan, RecognisedTier, Target, TargetKind
from reports.models import Status
from reports.services import bands_of, bucket_counts, recompute_statuses, tracked_units

PROVINCE_CODE = "51"  # Tỉnh Quảng Ngãi since 01/07/2025
PROGRAMME_CODE, OLD_PROGRAMME_CODE = "2026-2030", "2021-2025"
YEAR = 2026
MONTHS = [dt.date(YEAR, month, 1) for month in range(2, 13)]  # February (QĐ 51's first month) to December
JUDGED_MONTHS = MONTHS[:-1]  # December is the month being entered
NOVEMBER, DECEMBER = dt.date(YEAR, 11, 1), dt.date(YEAR, 12, 1)
DECEMBER_2025, JANUARY = dt.date(2025, 12, 1), dt.date(YEAR, 1, 1)
OFFICE_USER = "vpdp.quangngai"
STORY_COMMUNE = "23341"  # Xã Đăk Pék (xa.dakpek): November sent and waiting, December still to enter

GROUPS_FROM, MOVED_FROM = dt.date(YEAR, 2, 15), dt.date(YEAR, 7, 1)
GROUP_DECISION = "QĐ 268/QĐ-UBND ngày 12/02/2026 (minh họa)"
MOVE_DECISION = "QĐ 1125/QĐ-UBND ngày 24/06/2026 (minh họa)"
# Districts before the reform, as "province/district": TP Quảng Ngãi, TP Kon Tum, TX Đức Phổ (group 1 candidates);
# Sơn Tịnh and Tư Nghĩa, next to Quảng Ngãi city (the moved commune); Trà Bồng, Sơn Hà, Sơn Tây, Minh Long, Ba Tơ.
CITY_DISTRICTS = {"51/522", "62/608", "51/534"}
NEAR_CITY_DISTRICTS = {"51/527", "51/528"}
QUANG_NGAI_MOUNTAINS = {"51/525", "51/529", "51/530", "51/531", "51/535"}
KON_TUM = "62"  # every district of Kon Tum but its city is mountainous
GROUP_ONE, UNGROUPED = 5, 2
MOUNTAIN_SHARE = 0.85  # of the mountain communes in group 3
MOVED_GAPS = 2  # criteria the moved commune misses in November by group 1's thresholds (none by group 2's)

# The chance a commune of the group meets every criterion in November, and that it meets fewer than five.
ALL_MET = {1: 0.6, 2: 0.5, 3: 0.42}
FEW_MET = {1: 0.0, 2: 0.03, 3: 0.06}
CATCH_UP = 4  # criteria a commune can newly meet in a year
START_MET = 0.88  # the chance a new commune's figure already meets its threshold in February

# November's desk: sent and waiting (Xã Đăk Pék and others), drafts, nothing sent; December's drafts.
WAITING, DRAFTS, MISSING, DECEMBER_DRAFTS = 3, 3, 3, 4
PLANS = 10
PLAN_NOTE = "Phấn đấu đạt chuẩn NTM theo Bộ tiêu chí 2026 - 2030 trong năm 2026 (minh họa)"
COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


@dataclass
class Story2026:
    """What load_story_2026 did, for the command's output and for tests."""

    communes: int = 0
    groups_created: int = 0
    ungrouped: list[str] = field(default_factory=list)  # names
    moved: str = ""  # the commune moved from group 2 to group 1 on 01/07/2026
    closed: int = 0  # Xã Đăk Pék's reports of December 2025 and January 2026 approved or added
    reports_created: int = 0
    reports_kept: int = 0
    values_created: int = 0
    statuses: int = 0
    targets: int = 0
    plans: int = 0
    gaps: dict[str, int] = field(default_factory=dict)  # code -> criteria it is to miss in November


# ---------------------------------------------------------------- groups, and what each group's figures must meet


@dataclass
class Grouping:
    initial: dict[int, int]  # unit pk -> group from 15/02/2026 (the ungrouped absent)
    made_for: dict[int, int]  # unit pk -> the group its figures are made for
    moved: int | None = None
    ungrouped: list[int] = field(default_factory=list)


def _districts(communes: list[AdministrativeUnit]) -> dict[int, set[str]]:
    """Per commune, the districts ("province/district") its predecessors belonged to before the reform."""
    result: dict[int, set[str]] = defaultdict(set)
    links = Lineage.objects.filter(successor__in=communes).values_list("successor_id", "predecessor__path")
    for successor_id, path in links:
        result[successor_id].add("/".join(path.split("/")[:2]))
    return result


def _natural_group(commune: AdministrativeUnit, districts: set[str]) -> int:
    if commune.applies_tdmnpb_thresholds:
        return 3
    if districts & CITY_DISTRICTS:
        return 1
    mountain = any(d.split("/")[0] == KON_TUM or d in QUANG_NGAI_MOUNTAINS for d in districts)
    return 3 if mountain and random.Random(f"group:{commune.code}").random() < MOUNTAIN_SHARE else 2


def choose_groups(communes: list[AdministrativeUnit]) -> Grouping:
    """Each commune's group (see the module's docstring): a handful of the city-side communes in group 1, the others
    group 2; one group-2 commune next to Quảng Ngãi city moved; two other communes left waiting for their group."""
    districts = _districts(communes)
    natural = {c.pk: _natural_group(c, districts.get(c.pk, set())) for c in communes}
    city = [c.pk for c in communes if natural[c.pk] == 1]
    chosen = set(random.Random("group-one").sample(city, k=min(GROUP_ONE, len(city))))
    made_for = {pk: 2 if group == 1 and pk not in chosen else group for pk, group in natural.items()}
    code = {c.pk: c.code for c in communes}
    second = [c.pk for c in communes if made_for[c.pk] == 2 and c.code != STORY_COMMUNE]
    near = [pk for pk in second if districts.get(pk, set()) & NEAR_CITY_DISTRICTS] or second
    moved = random.Random("group-moved").choice(near) if near else None
    pool = [pk for pk in made_for if made_for[pk] != 1 and pk != moved and code[pk] != STORY_COMMUNE]
    ungrouped = sorted(random.Random("group-none").sample(pool, k=min(UNGROUPED, len(pool))), key=code.get)
    initial = {pk: group for pk, group in made_for.items() if pk not in ungrouped}
    return Grouping(initial=initial, made_for=made_for, moved=moved, ungrouped=ungrouped)


def _write_groups(grouping: Grouping, office) -> int:
    """The demo decisions' assignments a commune has not got yet, recorded on the day the decision was signed."""
    rows = [(pk, group, GROUPS_FROM, GROUP_DECISION) for pk, group in grouping.initial.items()]
    if grouping.moved is not None:
        rows.append((grouping.moved, 1, MOVED_FROM, MOVE_DECISION))
    existing = set(
        CommuneGroupAssignment.objects.filter(unit_id__in={row[0] for row in rows}).values_list("unit_id", "valid_from")
    )
    created = CommuneGroupAssignment.objects.bulk_create(
        CommuneGroupAssignment(unit_id=pk, group=group, valid_from=day, decision=decision, assigned_by=office)
        for pk, group, day, decision in rows
        if (pk, day) not in existing
    )
    for day, signed in ((GROUPS_FROM, dt.date(YEAR, 2, 12)), (MOVED_FROM, dt.date(YEAR, 6, 24))):
        CommuneGroupAssignment.objects.filter(pk__in=[a.pk for a in created if a.valid_from == day]).update(
            assigned_at=_aware(signed, 15)
        )
    return len(created)


@dataclass(frozen=True)
class Rule:
    """How the 2026-2030 standard set judges a measure for one group: its criterion, comparison and threshold (True
    for a yes/no), the measure's bounds, its step (1 or 0.1), which way is better and how far figures wander."""

    criterion: int
    comparison: str
    threshold: Any
    low: Decimal
    high: Decimal | None
    step: Decimal
    better: int
    width: Decimal

    def passes(self, value: Any) -> bool:
        if self.comparison == "achieved" or value is None or isinstance(value, (bool, str)):
            return self.comparison == "achieved" and value is True
        return COMPARE[self.comparison](Decimal(value), self.threshold)


def _rule(measure: Measure, criterion: int, comparison: str, threshold: Any) -> Rule:
    low, high = allowed_range(measure)
    if measure.kind == MeasureKind.COUNT or comparison == "achieved":
        width = Decimal(6)
    else:  # a few million for an income, a few points for a share
        number = measure.kind == MeasureKind.NUMBER
        width = max(Decimal(2), threshold * Decimal("0.15")) if number else Decimal(max(4, min(20, threshold / 4)))
    step = Decimal(1) if measure.kind == MeasureKind.COUNT else Decimal("0.1")
    return Rule(criterion, comparison, threshold, low or Decimal(0), high, step, -1 if "<" in comparison else 1, width)


def group_rules(definition: ProgrammeDef, region: str, measures: dict[str, Measure]) -> dict[int, dict[str, Rule]]:
    """Per group, per measure code, what the programme's standard commune set requires (first indicator wins)."""
    standard = next((s for s in definition.ladder("commune") if s.tier == "standard"), None)
    rules: dict[int, dict[str, Rule]] = {1: {}, 2: {}, 3: {}}
    for group, by_code in rules.items():
        profile = UnitProfile(region=region, group=group, province_code=PROVINCE_CODE)
        for criterion in standard.criteria if standard else ():
            for indicator in criterion.indicators:
                measure = measures.get(indicator.measure.code) if indicator.measure else None
                if measure is None or measure.code in by_code:
                    continue
                if indicator.comparison == "achieved":
                    by_code[measure.code] = _rule(measure, criterion.number, "achieved", True)
                    continue
                chosen = choose_threshold(indicator.thresholds, profile, YEAR)
                if indicator.comparison in COMPARE and chosen is not None and chosen.value is not None:
                    threshold = Decimal(str(chosen.value))
                    by_code[measure.code] = _rule(measure, criterion.number, indicator.comparison, threshold)
    return rules


# ---------------------------------------------------------------- a commune's course through the year


def _on_side(rule: Rule, value: Decimal, passing: bool) -> Decimal:
    """The value rounded as the demo writes figures, moved to the passing (or failing) side, within bounds."""
    value = _rounded(value, MeasureKind.COUNT if rule.step == 1 else MeasureKind.PERCENT)
    if rule.passes(value) != passing:
        edge = rule.threshold if rule.comparison in (">=", "<=") else rule.threshold + rule.better * rule.step
        value = edge if passing else edge - rule.better * rule.step
    value = max(rule.low, value)
    return value if rule.high is None else min(rule.high, value)


def _room(rule: Rule) -> Decimal:
    """How far past the threshold, on its good side, a figure can go."""
    edge = rule.high if rule.better > 0 else rule.low
    return rule.width if edge is None else min(rule.width, abs(edge - rule.threshold))


def _uniform(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    return low + (high - low) * Decimal(str(round(rng.random(), 3)))


def start_value(rng: random.Random, rule: Rule, passing: bool) -> Any:
    """A February figure of a commune with no earlier figures."""
    if rule.comparison == "achieved":
        return passing
    offset = _uniform(rng, Decimal(0), _room(rule)) if passing else -_uniform(rng, rule.step, rule.width)
    return _on_side(rule, rule.threshold + rule.better * offset, passing)


def november_value(rng: random.Random, rule: Rule, start: Any, passing: bool) -> Any:
    """November's figure: a little better, or closer to the line, or just over it, or just under (it slipped)."""
    if rule.comparison == "achieved":
        return passing
    start = Decimal(start)
    if rule.passes(start) and passing:
        if rule.step != 1 and rule.high is None:
            moved = start * _uniform(rng, Decimal("1.02"), Decimal("1.08"))  # an income grows
        else:
            moved = start + rule.better * _uniform(rng, Decimal(0), rule.width * Decimal("0.2"))
    elif not passing and not rule.passes(start):
        moved = start + (rule.threshold - start) * _uniform(rng, Decimal("0.2"), Decimal("0.7"))
    elif passing:
        moved = rule.threshold + rule.better * _uniform(rng, Decimal(0), _room(rule) * Decimal("0.3"))
    else:
        moved = rule.threshold - rule.better * _uniform(rng, rule.step, rule.width * Decimal("0.5"))
    return _on_side(rule, moved, passing)


def _path(rng: random.Random, rule: Rule, start: Any, target: Any, continued: bool) -> list[Any]:
    """The figure of each month from February to December: from the start towards November's, crossing the line (if
    it does) in a month up to October; December's (a draft) is November's or a step further."""
    crossing = rng.randint(0 if continued else 1, 8) if rule.passes(start) != rule.passes(target) else 0
    months = []
    for index in range(len(JUDGED_MONTHS)):
        passing = rule.passes(target) if index >= crossing else rule.passes(start)
        if rule.comparison == "achieved":
            months.append(passing)
            continue
        # A continuing commune's start is January's figure; a new commune's is February's.
        fraction = Decimal(index + 1) / 10 if continued else Decimal(index) / 9
        value = Decimal(start) + (Decimal(target) - Decimal(start)) * fraction
        if 0 < fraction < 1:
            spread = max(rule.step, abs(Decimal(target) - Decimal(start)) * Decimal("0.1"))
            value += _uniform(rng, -spread, spread)
        months.append(_on_side(rule, value, passing))
    last = months[-1]
    if rule.comparison != "achieved" and rng.random() < 0.5:
        last = _on_side(rule, last + rule.better * rule.step, rule.passes(target))
    return [*months, last]


def november_gaps(rng: random.Random, group: int, criteria: int, already: int) -> int:
    """How many criteria the commune still misses in November (at most CATCH_UP fewer than at the start)."""
    draw, some = rng.random(), rng.choice([1, 1, 2, 2, 3, 3, 4, 5])
    gaps = (
        0 if draw < ALL_MET[group] else rng.randint(criteria - 4, criteria - 2) if draw > 1 - FEW_MET[group] else some
    )
    return min(criteria, max(gaps, already - CATCH_UP))


def choose_failing(rng: random.Random, rules: dict[str, Rule], start: dict[str, Any], gaps: int) -> set[str]:
    """The measures that miss their threshold in November: first in the criteria missed at the start, then rather in
    criteria with more numeric indicators (harder to move than a yes/no); one indicator or two in each."""
    by_criterion: dict[int, list[str]] = defaultdict(list)
    for code, rule in sorted(rules.items()):
        by_criterion[rule.criterion].append(code)
    weak = {c for c, v in start.items() if c in rules and not rules[c].passes(v)}
    missed = sorted({rules[c].criterion for c in weak})
    rng.shuffle(missed)
    numeric = {n: 1 + sum(rules[c].comparison != "achieved" for c in codes) for n, codes in by_criterion.items()}
    others = sorted((n for n in by_criterion if n not in missed), key=lambda n: -(rng.random() ** (1 / numeric[n])))
    failing: set[str] = set()
    for number in (missed + others)[:gaps]:
        pool = [c for c in by_criterion[number] if c in weak] or by_criterion[number]
        failing.update(rng.sample(pool, k=1 if len(pool) == 1 or rng.random() < 0.7 else 2))
    return failing


def commune_course(
    code: str, rules: dict[str, Rule], start: dict[str, Any], measures: list[Measure], group: int, **plan
) -> tuple[int, list[dict[str, Any]]]:
    """The criteria the commune is to miss in November (plan["gaps"] or drawn) and its figures of each of MONTHS."""
    rng = random.Random(f"2026:{code}")
    already = len({rules[c].criterion for c, v in start.items() if c in rules and not rules[c].passes(v)})
    criteria = len({rule.criterion for rule in rules.values()})
    gaps = plan.get("gaps", november_gaps(rng, group, criteria, already))
    failing = choose_failing(rng, rules, start, gaps)
    months: list[dict[str, Any]] = [{} for _month in MONTHS]
    for measure in measures:
        rule, first = rules.get(measure.code), start.get(measure.code)
        if rule is None:
            path = [first] * len(MONTHS)
        else:
            passing = measure.code not in failing
            if first is None:
                first = start_value(rng, rule, passing and rng.random() < plan.get("start_met", START_MET))
            path = _path(rng, rule, first, november_value(rng, rule, first, passing), bool(start))
        for month, value in zip(months, path, strict=True):
            if value is not None:
                month[measure.code] = value
    return gaps, months


def _lifted(months: list[dict[str, Any]], floor: dict[str, Rule]) -> list[dict[str, Any]]:
    """The figures raised where needed to meet another group's thresholds (the moved commune meets group 2's)."""
    for month in months:
        for code, rule in floor.items():
            if code in month and not rule.passes(month[code]):
                month[code] = True if rule.comparison == "achieved" else _on_side(rule, Decimal(month[code]), True)
    return months


def choose_desk(codes: list[str]) -> tuple[dict[str, str | None], set[str]]:
    """November's reports not approved (code -> status, None: nothing) and December's drafts (codes): Xã Đăk Pék and
    a few others wait for review, a few drafts; the communes late in 12/2025 are late again, with one more."""
    rng = random.Random("desk-2026")
    missing = [c for c in LATE_COMMUNES if c in codes]
    rest = [c for c in sorted(codes) if c not in missing and c != STORY_COMMUNE]
    rng.shuffle(rest)
    missing += rest[: max(0, MISSING - len(missing))]
    rest = [c for c in rest if c not in missing]
    november = dict.fromkeys(missing) | dict.fromkeys(rest[WAITING : WAITING + DRAFTS], ReportStatus.DRAFT)
    november |= dict.fromkeys(rest[:WAITING] + [c for c in codes if c == STORY_COMMUNE], ReportStatus.SUBMITTED)
    on_time = sorted(rest[WAITING + DRAFTS :])
    return november, set(rng.sample(on_time, k=min(DECEMBER_DRAFTS, len(on_time))))


def report_state(code: str, period: dt.date, desk: tuple[dict[str, str | None], set[str]]) -> str | None:
    """The report's status in the story (see choose_desk), None for a month the commune has nothing."""
    if period == DECEMBER:
        return ReportStatus.DRAFT if code in desk[1] else None
    return desk[0].get(code, ReportStatus.APPROVED) if period == NOVEMBER else ReportStatus.APPROVED


# ---------------------------------------------------------------- the desk of November and December, writing


def _draft(unit: AdministrativeUnit, period: dt.date, programme: Programme, sender) -> tuple[Report, dt.datetime]:
    """A saved, unsent report and when it was saved: December's on its first days, November's around the due day."""
    rng = random.Random(f"2026-draft:{unit.code}:{period:%Y-%m}")
    day = rng.randint(1, 2) if period == DECEMBER else rng.randint(18, 28)
    report = Report(unit=unit, period=period, programme=programme, status=ReportStatus.DRAFT, version=1)
    report.updated_by = sender
    return report, _aware(period.replace(day=day), rng.randint(8, 11))


def _value_row(report: Report, measure_id: int, value: Any) -> Value:
    number = None if isinstance(value, (bool, str)) else Decimal(value)
    flag, level = (value if isinstance(value, bool) else None), (value if isinstance(value, str) else "")
    return Value(report=report, measure_id=measure_id, number=number, flag=flag, level=level)


def _write_reports(story: Story2026, programme, courses, communes, senders, office, due_day: int, desk) -> None:
    """The story's reports for the months a commune has none yet, with their values and their workflow steps."""
    existing = set(Report.objects.filter(unit__in=communes, period__in=MONTHS).values_list("unit_id", "period"))
    reports, saved = [], {}
    for unit in communes:
        for period in MONTHS:
            state = report_state(unit.code, period, desk)
            if state is None:
                continue
            if (unit.pk, period) in existing:
                story.reports_kept += 1
            elif state == ReportStatus.DRAFT:
                report, saved[(unit.pk, period)] = _draft(unit, period, programme, senders[unit.pk])
                reports.append(report)
            else:
                reports.append(_new_report(unit, period, state, programme, senders[unit.pk], office, due_day))
    Report.objects.bulk_create(reports, batch_size=500)
    story.reports_created = len(reports)
    measure_ids = dict(Measure.objects.values_list("code", "pk"))
    values, events = [], []
    for report in reports:
        figures = courses[report.unit_id][MONTHS.index(report.period)]
        values += [_value_row(report, measure_ids[code], value) for code, value in figures.items()]
        if report.status != ReportStatus.DRAFT:
            events.append(ReportEvent(report=report, action=ReportAction.SUBMITTED, by=senders[report.unit_id]))
        if report.status == ReportStatus.APPROVED:
            events.append(ReportEvent(report=report, action=ReportAction.APPROVED, by=office))
    Value.objects.bulk_create(values, batch_size=2000)
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    story.values_created = len(values)
    _stamp(reports, saved)


def _stamp(reports: list[Report], saved: dict[tuple[int, dt.date], dt.datetime]) -> None:
    """Creation stamps "now" on these; the story happened during 2026."""
    sent = [r.pk for r in reports if r.status != ReportStatus.DRAFT]
    Report.objects.filter(pk__in=sent).update(updated_at=Coalesce("approved_at", "submitted_at"))
    for report in reports:
        if report.status == ReportStatus.DRAFT:
            Report.objects.filter(pk=report.pk).update(updated_at=saved[(report.unit_id, report.period)])
    for action, column in ((ReportAction.SUBMITTED, "submitted_at"), (ReportAction.APPROVED, "approved_at")):
        ReportEvent.objects.filter(report_id__in=sent, action=action).update(
            at=Subquery(Report.objects.filter(pk=OuterRef("report_id")).values(column)[:1])
        )


def _event(report: Report, action: str, by, at: dt.datetime) -> None:
    event = ReportEvent.objects.create(report=report, action=action, by=by)
    ReportEvent.objects.filter(pk=event.pk).update(at=at)


def _close_reform_months(commune: AdministrativeUnit | None, office, sender) -> int:
    """Xã Đăk Pék's December 2025 (sent, waiting in the reform story) approved on 06/01/2026, and its January 2026 (the
    same figures) sent and approved in January: its official's open month is December 2026 now."""
    december = Report.objects.filter(unit=commune, period=DECEMBER_2025, status=ReportStatus.SUBMITTED).first()
    if commune is None or december is None:
        return 0
    approved = _aware(dt.date(YEAR, 1, 6), 9)
    Report.objects.filter(pk=december.pk).update(
        status=ReportStatus.APPROVED, version=3, updated_by=office, approved_at=approved, updated_at=approved
    )
    _event(december, ReportAction.APPROVED, office, approved)
    if Report.objects.filter(unit=commune, period=JANUARY).exists():
        return 1
    sent, approved = _aware(dt.date(YEAR, 1, 22), 10), _aware(dt.date(YEAR, 1, 27), 14)
    january = Report.objects.create(
        unit=commune, period=JANUARY, programme=december.programme, status=ReportStatus.APPROVED, version=3,
        updated_by=office, submitted_at=sent, approved_at=approved,
    )  # fmt: skip
    Value.objects.bulk_create(
        Value(report=january, measure_id=v.measure_id, number=v.number, flag=v.flag, level=v.level)
        for v in december.values.all()
    )
    _event(january, ReportAction.SUBMITTED, sender, sent)
    _event(january, ReportAction.APPROVED, office, approved)
    Report.objects.filter(pk=january.pk).update(updated_at=approved)
    return 2


def _write_plans(communes: list[AdministrativeUnit], gaps: dict[str, int], grouping: Grouping) -> int:
    """2026 plans for the grouped communes one or two criteria short in November (a plan already there is kept)."""
    near = [c for c in communes if gaps.get(c.code) in (1, 2) and c.pk not in grouping.ungrouped]
    near = sorted(near, key=lambda c: (gaps[c.code], random.Random(f"plan:{c.code}").random()))[:PLANS]
    taken = set(CommunePlan.objects.filter(unit__in=near, tier=RecognisedTier.STANDARD).values_list("unit", flat=True))
    CommunePlan.objects.bulk_create(
        CommunePlan(unit=c, tier=RecognisedTier.STANDARD, year=YEAR, note=PLAN_NOTE, is_demo=True)
        for c in near
        if c.pk not in taken
    )
    return len(near)


# ---------------------------------------------------------------- loading


def load_story_2026(stdout: TextIO | None = None) -> Story2026:
    """Tell the merged Quảng Ngãi's 2026: groups, figures of February to December, statuses, targets and plans."""
    story = Story2026()
    units = AdministrativeUnit.objects.filter(valid_from=REFORM_DATE)
    province = units.filter(level=Level.PROVINCE, code=PROVINCE_CODE).first()
    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    if province is None or programme is None:
        _say(stdout, "Chưa có tỉnh Quảng Ngãi (từ 07/2025) hoặc giai đoạn 2026-2030: bỏ qua số liệu năm 2026.")
        return story
    communes = list(units.filter(level=Level.COMMUNE, kind=Kind.XA, path__startswith=province.path).order_by("code"))
    story.communes = len(communes)
    if not get_user_model().objects.filter(username=OFFICE_USER).exists():
        load_demo_users()
    office = get_user_model().objects.get(username=OFFICE_USER)
    story_commune = next((c for c in communes if c.code == STORY_COMMUNE), None)
    with transaction.atomic():
        grouping = choose_groups(communes)
        story.groups_created = _write_groups(grouping, office)
        senders = _submitters(communes, office)
        story.closed = _close_reform_months(story_commune, office, senders.get(getattr(story_commune, "pk", None)))
        courses = _courses(story, province, programme, communes, grouping)
        desk = choose_desk([c.code for c in communes])
        _write_reports(story, programme, courses, communes, senders, office, province.report_due_day, desk)
        story.targets = write_targets(province, len(communes))
        story.plans = _write_plans(communes, story.gaps, grouping)
    story.ungrouped = [c.name for c in communes if c.pk in grouping.ungrouped]
    story.moved = next((c.name for c in communes if c.pk == grouping.moved), "")
    analyze_tables(Report, Value, ReportEvent, CommuneGroupAssignment)
    rebuild_latest_values()  # the reports above were written directly, not through approval
    if story.closed:
        # Xã Đăk Pék's December 2025 and January 2026, judged by the 2021-2025 sets.
        old, unit = Programme.objects.filter(code=OLD_PROGRAMME_CODE).first(), [story_commune.pk]
        for period in (DECEMBER_2025, JANUARY):
            recompute_statuses(period=period, units=AdministrativeUnit.objects.filter(pk__in=unit), programme=old)
    units = tracked_units(province)
    for period in JUDGED_MONTHS:
        story.statuses += recompute_statuses(period=period, units=units, programme=programme)
    _report(stdout, story, province, programme, communes)
    return story


def _courses(story, province, programme, communes, grouping) -> dict[int, list[dict[str, Any]]]:
    """Each commune's figures of MONTHS for its group, continued from any approved by January 2026. The moved
    commune's are made for group 1, two criteria short, and meet group 2's."""
    on = month_end(NOVEMBER)
    entries = entry_measures(programme=programme, level="commune", province_code=PROVINCE_CODE, on=on)
    measures = [e.measure for e in entries]
    definition = build_programme(programme, PROVINCE_CODE, on=on)
    rules = group_rules(definition, province.region, {m.code: m for m in measures})
    codes = {m.pk: m.code for m in measures}
    carried = carried_values([c.pk for c in communes], JANUARY)
    courses = {}
    for commune in communes:
        start = {codes[m]: v for m, v in carried.get(commune.pk, {}).items() if m in codes}
        if commune.pk == grouping.moved:
            plan = {"gaps": MOVED_GAPS, "start_met": 1}
            gaps, months = commune_course(commune.code, rules[1], start, measures, 1, **plan)
            months = _lifted(months, rules[2])
        else:
            group = grouping.made_for[commune.pk]
            gaps, months = commune_course(commune.code, rules[group], start, measures, group)
        story.gaps[commune.code], courses[commune.pk] = gaps, months
    return courses


def _report(stdout: TextIO | None, story: Story2026, province: AdministrativeUnit, programme, communes) -> None:
    """One line: groups, reports, November 2026 as the dashboard counts it (bands of criteria met), targets."""
    if stdout is None:
        return
    statuses = Status.objects.filter(period=NOVEMBER, programme=programme, unit__path__startswith=province.path)
    bands = ", ".join(
        f"{count} xã đạt {'dưới ' + code[1:] if code.startswith('<') else code} tiêu chí"
        for code, count in bucket_counts(statuses.filter(unit__level=Level.COMMUNE), bands_of(programme)).items()
    )
    in_groups = Counter(groups_on([c.pk for c in communes], month_end(NOVEMBER)).values())
    reports = Report.objects.filter(unit__in=communes)
    desk = Counter(reports.filter(period=NOVEMBER).values_list("status", flat=True))
    targets = Target.objects.filter(unit=province, tier=RecognisedTier.STANDARD)
    targets = {year: f"{value}%" if kind == TargetKind.SHARE_AT_TIER else value for year, kind, value in
               targets.values_list("year", "kind", "value")}  # fmt: skip
    _say(
        stdout,
        f"Năm {YEAR}, {province.name} theo bộ tiêu chí 2026 - 2030 (minh họa): phân nhóm {story.communes} xã từ "
        f"15/02/2026 (nhóm 1: {in_groups[1]}, nhóm 2: {in_groups[2]}, nhóm 3: {in_groups[3]}; chưa phân nhóm: "
        f"{', '.join(story.ungrouped) or 'không có'}; chuyển nhóm 2 sang nhóm 1 từ 01/07/2026: "
        f"{story.moved or 'không có'}); báo cáo tháng 02 - 12/2026 mới {story.reports_created} (giữ nguyên "
        f"{story.reports_kept}), {story.values_created} giá trị; {story.statuses} kết quả đánh giá; tháng 11/2026: "
        f"{bands}; chờ duyệt {desk[ReportStatus.SUBMITTED]}, bản nháp {desk[ReportStatus.DRAFT]}, chưa nộp "
        f"{story.communes - sum(desk.values())}; tháng 12/2026: "
        f"{reports.filter(period=DECEMBER).count()} bản nháp; chỉ tiêu số xã đạt chuẩn: năm {YEAR} "
        f"{targets.get(YEAR, '-')}, năm 2030 {targets.get(2030, '-')}; {story.plans} kế hoạch của xã.",
    )
