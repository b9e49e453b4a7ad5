"""The demo province's 2024, told through approved monthly figures, recognition decisions, targets and plans.

Kon Tum (62) is the demo province. What comes from the news and what is invented:

- From the news, so not marked as demo: the 2025 targets of Chương trình hành động 3299/CTr-UBND
  (04/10/2022) and Ngọc Hồi's 2024 target of Chỉ thị 05/CT-UBND (22/01/2024).
- Invented, but shaped by the news: every monthly figure (entered by the demo district user and approved by
  the demo coordination office), the recognition decisions (numbers and dates), the communes' plans and the
  TDMNPB flags. Chỉ thị 05 names Ia Chim, Đắk Pék, Đắk Môn and Đắk KRoong as recognised communes with more
  than 30% of their criteria no longer met, and asks Ngọc Hồi to finish the district NTM target by the end of
  2024: the figures make it so.

The figures are built against the criteria as loaded (fixtures/criteria, region TN, thresholds of the year),
so the computed statuses tell the story whatever the illustrative thresholds are. Every random choice comes
from random.Random seeded by a unit code: the same database gets the same story on every run. Running it
again creates nothing twice: existing reports are left as they are, decisions, targets and plans are updated
in place.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from communes.models import AdministrativeUnit, Kind, Level
from criteria.definitions import build_programme
from criteria.evaluation import IndicatorDef, ProgrammeDef, SetDef, UnitProfile, choose_threshold
from criteria.models import Measure, Programme
from demo.users import DEMO_PROVINCE_CODE, load_demo_users
from monthly.models import Report, ReportAction, ReportEvent, ReportStatus, Value
from records.models import CommunePlan, RecognisedTier, Recognition, Target, TargetKind
from reports.models import Status
from reports.services import DERIVED_DISTRICT_MEASURES, recompute_statuses, tracked_units

YEAR = 2024
MONTHS = [dt.date(YEAR, month, 1) for month in range(1, 13)]
STILL_FAILING = 13  # "first month met" of a criterion that is still failing in December
PROGRAMME_CODE = "2021-2025"
ISSUER = "Chủ tịch UBND tỉnh Kon Tum"
DISTRICT_USER, OFFICE_USER = "huyen.dakglei", "vpdp.kontum"

NGOC_HOI = "611"
# Chỉ thị 05/CT-UBND (22/01/2024): recognised communes with more than 30% of their criteria no longer met.
# Code -> the standard criteria failing in December 2024 (each list holds a key criterion: 10, 17 or 19).
AT_RISK = {
    "23326": [9, 10, 11, 12, 13, 17],  # Xã Ia Chim, Thành phố Kon Tum
    "23353": [5, 9, 10, 11, 13, 14, 17],  # Xã Đắk Pék, Huyện Đắk Glei
    "23374": [6, 10, 11, 12, 13, 17],  # Xã Đắk Môn, Huyện Đắk Glei
    "23371": [3, 10, 11, 13, 16, 17, 19],  # Xã Đắk KRoong, Huyện Đắk Glei
}
# DEMO DATA, not the official list: most communes of these districts are treated as especially disadvantaged
# (xã ĐBKK) and so judged on the TDMNPB thresholds (QĐ 318, Article 1).
TDMNPB_DISTRICTS = {"610", "613", "617", "618"}  # Đắk Glei, Kon Plông, Tu Mơ Rông, Ia H' Drai
TDMNPB_SHARE = 0.8
# How easily a district's communes meet the criteria: the city and the plains of the north-south road first.
DISTRICT_EASE = {
    "608": 3.0,  # Thành phố Kon Tum
    "611": 2.8,  # Ngọc Hồi
    "615": 2.6,  # Đắk Hà
    "612": 2.3,  # Đắk Tô
    "616": 1.7,  # Sa Thầy
    "614": 1.6,  # Kon Rẫy
    "613": 1.1,  # Kon Plông
    "618": 0.7,  # Ia H' Drai
    "610": 0.5,  # Đắk Glei
    "617": 0.4,  # Tu Mơ Rông
}
# Standard criteria that remote communes fail most often, with weights (income, poverty, production first).
USUAL_GAPS = {10: 9, 11: 9, 13: 8, 17: 7, 9: 6, 12: 6, 14: 4, 15: 4, 2: 4, 5: 4, 6: 3, 3: 3, 16: 2, 7: 2, 1: 1}
NON_KEY_GAPS = {13: 5, 12: 4, 15: 4, 6: 3, 5: 3, 3: 3, 16: 2, 2: 2, 9: 2}

# Counts of the story outside Ngọc Hồi and the four communes above (85 rural communes in all).
RECOGNISED_STANDARD = 39
RECOGNISED_ADVANCED = 9
RECOGNISED_MODEL = 2
ADVANCED_SLIPPING = 2  # recognised advanced, but their figures only reach standard in 2024
STANDARD_SLIPPING = 4  # recognised standard, one or two criteria not maintained in December
NEW_STANDARD = 6  # not yet recognised, reach the standard during 2024 (two get their decision in December)
NEARLY = 4  # not yet recognised, one or two criteria short in December: planned for 2025

GOAL_TIERS = {1: RecognisedTier.STANDARD, 2: RecognisedTier.ADVANCED, 3: RecognisedTier.MODEL}

# How a measure's value must stand against the thresholds this month.
FAIL_STANDARD = "fail_standard"
BETWEEN = "between"  # meets the standard threshold, not the advanced one
FAIL_ADVANCED = "fail_advanced"  # a measure only the advanced set reads, not met
MEET_STANDARD = "meet_standard"
MEET_ADVANCED = "meet_advanced"
MEET_MODEL = "meet_model"
RANDOM_ADVANCED = "random_advanced"  # a measure only the advanced set reads, met or not by chance


# ---------------------------------------------------------------- what each commune's figures must show


@dataclass
class Plot:
    """The part one commune plays in 2024: the tier its December figures reach, and when each gap closes."""

    unit: AdministrativeUnit
    goal: int  # 0: below standard, 1 standard, 2 advanced, 3 model (computed from the December figures)
    standard_gaps: dict[int, int] = field(default_factory=dict)  # criterion -> first month met (13: never)
    advanced_gaps: dict[int, int] = field(default_factory=dict)
    recognitions: list[tuple[str, dt.date]] = field(default_factory=list)  # (tier, decision date)
    plan: tuple[str, int] | None = None  # (tier, year)
    note: str = ""

    def standard_failing(self, month: int) -> set[int]:
        return {c for c, fixed in self.standard_gaps.items() if month < fixed}

    def advanced_failing(self, month: int) -> set[int]:
        return {c for c, fixed in self.advanced_gaps.items() if month < fixed}


def _rng(*parts) -> random.Random:
    return random.Random(":".join(str(p) for p in parts))


def _weighted_sample(rng: random.Random, weights: dict[int, int], k: int, exclude: Iterable[int] = ()) -> list[int]:
    pool = {c: w for c, w in weights.items() if c not in set(exclude)}
    chosen = []
    for _ in range(min(k, len(pool))):
        pick = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(pick)
        del pool[pick]
    return chosen


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _early_gaps(rng: random.Random, weights: dict[int, int], k: int, exclude: Iterable[int], last: int) -> dict:
    """Criteria failing in January and met from a month between February and `last`."""
    return {c: rng.randint(2, last) for c in _weighted_sample(rng, weights, k, exclude)}


def plot_communes(communes: list[AdministrativeUnit], failable_advanced: list[int]) -> dict[str, Plot]:
    """The part of every rural commune, decided from its code and its district alone."""
    plots: dict[str, Plot] = {}

    def recognised_standard(rng, plot, start=dt.date(2019, 1, 1), end=dt.date(2023, 12, 31)):
        plot.recognitions.append((RecognisedTier.STANDARD, _date_between(rng, start, end)))

    def advanced_gaps_while_standard(rng) -> dict[int, int]:
        # A commune at the standard tier fails a few advanced criteria all year, so it never reads as advanced.
        return {c: STILL_FAILING for c in rng.sample(failable_advanced, k=rng.randint(3, 7))}

    district_code = {c.pk: c.path.split("/")[1] for c in communes}
    for commune in communes:
        if commune.code in AT_RISK:
            rng = _rng("plot", commune.code)
            gaps = {c: STILL_FAILING for c in AT_RISK[commune.code]}
            gaps.update(_early_gaps(rng, NON_KEY_GAPS, 2, gaps, 8))
            plot = Plot(commune, 0, gaps, note="Chỉ thị 05/CT-UBND (22/01/2024): trên 30% tiêu chí không duy trì.")
            recognised_standard(rng, plot, dt.date(2020, 1, 1), dt.date(2022, 12, 31))
            plots[commune.code] = plot

    # Ngọc Hồi: the district of Chỉ thị 05, close to its target by December.
    ngoc_hoi = sorted((c for c in communes if district_code[c.pk] == NGOC_HOI), key=lambda c: c.code)
    for i, commune in enumerate(ngoc_hoi):
        rng = _rng("plot", commune.code)
        if i == len(ngoc_hoi) - 1 and len(ngoc_hoi) > 1:
            # The last one still lacks a production cooperative in December: the district's one gap.
            gaps = {13: STILL_FAILING, **_early_gaps(rng, NON_KEY_GAPS, 2, [13], 9)}
            plot = Plot(commune, 0, gaps, plan=(RecognisedTier.STANDARD, YEAR))
        elif i == 0:
            plot = Plot(commune, 2, _early_gaps(rng, NON_KEY_GAPS, 1, [], 5))
            plot.advanced_gaps = {rng.choice(failable_advanced): rng.randint(3, 8)}
            recognised_standard(rng, plot, dt.date(2019, 1, 1), dt.date(2020, 12, 31))
            plot.recognitions.append(
                (RecognisedTier.ADVANCED, _date_between(rng, dt.date(2023, 1, 1), dt.date(2023, 12, 31)))
            )
        else:
            plot = Plot(commune, 1, _early_gaps(rng, NON_KEY_GAPS, rng.randint(0, 2), [], 8))
            plot.advanced_gaps = advanced_gaps_while_standard(rng)
            recognised_standard(rng, plot)
        plots[commune.code] = plot

    # Everyone else, ranked by how easily their district meets the criteria, with chance for the rest.
    others = [c for c in communes if c.code not in plots]
    score = {
        c.code: DISTRICT_EASE.get(district_code[c.pk], 1.0) + _rng("score", c.code).uniform(0, 2.2) for c in others
    }
    others.sort(key=lambda c: (-score[c.code], c.code))
    recognised = others[:RECOGNISED_STANDARD]
    advanced = recognised[:RECOGNISED_ADVANCED]
    model = advanced[:RECOGNISED_MODEL]
    advanced_slipping = advanced[-ADVANCED_SLIPPING:]
    standard_only = recognised[RECOGNISED_ADVANCED:]
    standard_slipping = standard_only[-STANDARD_SLIPPING:]
    rest = others[RECOGNISED_STANDARD:]
    new_standard = rest[:NEW_STANDARD]
    nearly = rest[NEW_STANDARD : NEW_STANDARD + NEARLY]
    far = rest[NEW_STANDARD + NEARLY :]

    for commune in recognised:
        rng = _rng("plot", commune.code)
        plot = Plot(commune, 1)
        # Advanced communes were recognised at the standard tier years before.
        recognised_standard(rng, plot, end=dt.date(2021, 12, 31) if commune in advanced else dt.date(2023, 12, 31))
        # Most keep every criterion; some let one or two slip at the start of the year and recover by summer.
        plot.standard_gaps = _early_gaps(rng, NON_KEY_GAPS, rng.choice([0] * 13 + [1] * 5 + [2] * 2), [], 6)
        if commune in advanced:
            standard_date = plot.recognitions[0][1]
            start = max(standard_date + dt.timedelta(days=365), dt.date(2022, 10, 1))
            plot.recognitions.append((RecognisedTier.ADVANCED, _date_between(rng, start, dt.date(2024, 3, 31))))
            plot.goal = 2
            plot.advanced_gaps = {rng.choice(failable_advanced): rng.randint(2, 9)} if rng.random() < 0.5 else {}
            if commune in advanced_slipping:
                plot.goal = 1
                plot.advanced_gaps = {c: STILL_FAILING for c in rng.sample(failable_advanced, k=rng.randint(2, 3))}
            if commune in model:
                plot.goal = 3
                plot.advanced_gaps = {}
                advanced_date = plot.recognitions[-1][1]
                plot.recognitions.append(
                    (
                        RecognisedTier.MODEL,
                        _date_between(rng, advanced_date + dt.timedelta(days=180), dt.date(2024, 9, 30)),
                    )
                )
        else:
            plot.advanced_gaps = advanced_gaps_while_standard(rng)
        if commune in standard_slipping:
            plot.goal = 0
            missing = _weighted_sample(rng, NON_KEY_GAPS, rng.randint(1, 2))
            plot.standard_gaps.update({c: STILL_FAILING for c in missing})
        plots[commune.code] = plot

    # Two of the communes that reach the standard early in the year get their decision in December.
    for i, commune in enumerate(new_standard):
        rng = _rng("plot", commune.code)
        last = 6 + i  # the i-th closes its last gap in month 6 + i
        gaps = _early_gaps(rng, USUAL_GAPS, rng.randint(2, 4), [], last)
        gaps[max(gaps, key=gaps.get)] = last
        plot = Plot(commune, 1, gaps, advanced_gaps_while_standard(rng), plan=(RecognisedTier.STANDARD, YEAR))
        if i < 2:
            plot.recognitions.append((RecognisedTier.STANDARD, dt.date(YEAR, 12, 16 + 3 * i)))
        plots[commune.code] = plot
    for commune in nearly:
        rng = _rng("plot", commune.code)
        missing = _weighted_sample(rng, USUAL_GAPS, rng.randint(1, 2))
        gaps = {c: STILL_FAILING for c in missing}
        gaps.update(_early_gaps(rng, USUAL_GAPS, rng.randint(1, 3), missing, 11))
        plots[commune.code] = Plot(commune, 0, gaps, plan=(RecognisedTier.STANDARD, YEAR + 1))
    for i, commune in enumerate(far):
        rng = _rng("plot", commune.code)
        # From 3 criteria missing in December for the best placed to 9 for the most remote.
        missing_count = 3 + round(6 * i / max(len(far) - 1, 1)) + rng.choice([-1, 0, 0, 1])
        missing = _weighted_sample(rng, USUAL_GAPS, max(3, min(9, missing_count)))
        gaps = {c: STILL_FAILING for c in missing}
        # No more than ten criteria missing in January.
        gaps.update(_early_gaps(rng, USUAL_GAPS, min(rng.randint(1, 3), 10 - len(missing)), missing, 12))
        plots[commune.code] = Plot(commune, 0, gaps)

    # The roadmap beyond 2024: advanced for three well-placed standard communes, model for one advanced.
    for commune in [c for c in standard_only if c not in standard_slipping][:3]:
        plots[commune.code].plan = (RecognisedTier.ADVANCED, YEAR + 1)
    for commune in [c for c in advanced if c not in model and c not in advanced_slipping][:1]:
        plots[commune.code].plan = (RecognisedTier.MODEL, YEAR + 1)
    return plots


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
        rng = _rng("value", code, measure_code)
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
    rng = _rng("gap", code, tier, number)
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
        position = _rng("value", district.code, measure_code).uniform(0.35, 1.0)
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
        and (c.code in AT_RISK or _rng("tdmnpb", c.code).random() < TDMNPB_SHARE)
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
            rng = _rng("report", unit_id, month)
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
            rng = _rng("decision", plot.unit.code, tier)
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
