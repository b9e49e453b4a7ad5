"""How long the evaluation engine takes per commune against every commune set of 2021-2025, and of 2026-2030.

    cd /work/main && .venv/bin/python benchmarks/evaluate.py [--communes N] [--rounds R] [--profile]

The programme comes from fixtures/criteria/2021-2025/*.yaml, imported into a throw-away in-memory SQLite
database and built with criteria.definitions.build_programme, exactly as the portal builds it (the checkout's
db.sqlite3 and any DATABASE_URL are never touched). Without those files a synthetic programme of the same
size is built in code. Communes are varied and deterministic (fixed seed): all 7 regions, the TDMNPB rule,
years 2021-2025, values around the thresholds, a few missing or invalid. Only the evaluation is timed.
The 2026-2030 sets (fixtures/criteria/2026-2030: QĐ 51's illustrative set with thresholds by commune group, and
the hiện đại frame) are timed the same way with communes of groups 1, 2, 3 and none, in 2026.
The last line is machine-readable:
RESULT evaluate_mean_ms=<x> communes=<n> indicators=<k> evaluate_2026_ms=<y> indicators_2026=<j>.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "ntm_portal.settings"
os.environ["DATABASE_URL"] = "sqlite:///:memory:"  # never the checkout's db.sqlite3 nor a configured server

import django

django.setup()

from criteria.evaluation import (
    REGION_NAMES,
    CriterionDef,
    IndicatorDef,
    MeasureDef,
    ProgrammeDef,
    SetDef,
    ThresholdDef,
    UnitProfile,
    evaluate_programme,
)

PROGRAMME = "2021-2025"
FIXTURES = ROOT / "fixtures" / "criteria" / PROGRAMME
YEARS = [2021, 2022, 2023, 2024, 2025]
REGIONS = list(REGION_NAMES)


# ---------------------------------------------------------------- the programme


def programme_from_fixtures(code: str = PROGRAMME) -> ProgrammeDef | None:
    files = sorted((FIXTURES.parent / code).glob("*.yaml"))
    if not files:
        return None
    from django.core.management import call_command

    from criteria.definitions import build_programme

    call_command("migrate", verbosity=0)
    call_command("import_criteria", *map(str, files), stdout=io.StringIO())
    return build_programme(code)


def synthetic_programme() -> ProgrammeDef:
    """19 + 19 + 4 criteria with 57 + 75 + 4 indicators, thresholds by region, year and the TDMNPB rule."""
    rng = random.Random(2021)
    kinds = ["percent"] * 5 + ["boolean"] * 4 + ["count", "number"]
    measures = []
    for n in range(90):
        kind = rng.choice(kinds)
        low, high = (Decimal(0), Decimal(100)) if kind == "percent" else (Decimal(0), Decimal(2000))
        if kind == "boolean":
            low = high = None
        measures.append(MeasureDef(f"m{n:02d}", f"Số liệu {n}", kind, "", low, high))
    income = MeasureDef("income_per_capita", "Thu nhập", "number", "triệu đồng", Decimal(0), Decimal(2000))

    def rows(measure: MeasureDef, base: int) -> tuple[ThresholdDef, ...]:
        if measure.kind == "boolean":
            return (ThresholdDef(source="tổng hợp"),)
        shape = rng.random()
        if shape < 0.15:  # by region and year, like income in QĐ 318
            return (ThresholdDef(value=Decimal(base), source="tổng hợp"),) + tuple(
                ThresholdDef(
                    value=Decimal(min(base + r + (y - 2021) * 2, 99)), region=region, year=y, source="tổng hợp"
                )
                for r, region in enumerate(REGIONS)
                for y in YEARS[1:]
            )
        if shape < 0.45:  # by region
            return (ThresholdDef(value=Decimal(base), source="tổng hợp"),) + tuple(
                ThresholdDef(value=Decimal(base - r), region=region, source="tổng hợp")
                for r, region in enumerate(REGIONS)
            )
        if shape < 0.55:  # the TDMNPB rule
            return (
                ThresholdDef(value=Decimal(base), source="tổng hợp"),
                ThresholdDef(value=Decimal(base - 10), tdmnpb_rule=True, source="tổng hợp"),
            )
        return (ThresholdDef(value=Decimal(base), source="tổng hợp"),)

    def indicator(code: str, measure: MeasureDef) -> IndicatorDef:
        if measure.kind == "boolean":
            return IndicatorDef(code, code, "achieved", measure, rows(measure, 0))
        # One way per measure (as in the real sets): every fourth is a rate to keep low, like poverty.
        comparison = "<=" if measure is not income and int(measure.code[1:]) % 4 == 0 else ">="
        return IndicatorDef(code, code, comparison, measure, rows(measure, rng.randint(40, 90)))

    def criteria(sizes: list[int], pool: list[MeasureDef]) -> tuple[CriterionDef, ...]:
        result = []
        for number, size in enumerate(sizes, start=1):
            picked = [income] if number == 10 else []
            picked += rng.sample(pool, size - len(picked))
            result.append(
                CriterionDef(
                    number, f"Tiêu chí {number}", tuple(indicator(f"{number}.{k}", m) for k, m in enumerate(picked, 1))
                )
            )
        return tuple(result)

    standard = SetDef("commune-standard", "Xã NTM", "commune", "standard", 1, criteria([3] * 19, measures[:60]))
    advanced_criteria = criteria([4] * 18 + [3], measures[20:])
    advanced = SetDef(
        "commune-advanced",
        "Xã NTM nâng cao",
        "commune",
        "advanced",
        2,
        advanced_criteria,
    )
    model = SetDef(
        "commune-model",
        "Xã NTM kiểu mẫu",
        "commune",
        "model",
        3,
        (
            CriterionDef(1, "Đạt nâng cao", (IndicatorDef("1.1", "x", "reached", None, reference="commune-advanced"),)),
            CriterionDef(
                2,
                "Thu nhập",
                (
                    IndicatorDef(
                        "2.1",
                        "x",
                        ">=",
                        income,
                        (ThresholdDef(source="QĐ 319"),),
                        reference="commune-advanced/10.1",
                        multiplier=Decimal("1.1"),
                    ),
                ),
            ),
            CriterionDef(3, "Thôn thông minh", (indicator("3.1", measures[5]),)),
            CriterionDef(4, "Lĩnh vực nổi trội", (indicator("4.1", measures[7]),)),
        ),
    )
    return ProgrammeDef(PROGRAMME, (standard, advanced, model))


# ---------------------------------------------------------------- the communes


def commune_measures(programme: ProgrammeDef) -> dict[str, MeasureDef]:
    return {
        i.measure.code: i.measure
        for s in programme.ladder("commune")
        for c in s.criteria
        for i in c.indicators
        if i.measure is not None
    }


def targets(programme: ProgrammeDef) -> dict[str, tuple[str, list]]:
    """Per measure: which way is better (">=" or "<=") and the threshold values it is compared with."""
    found: dict[str, tuple[str, list]] = {}
    for s in programme.ladder("commune"):
        for c in s.criteria:
            for i in c.indicators:
                if i.measure is None:
                    continue
                direction, values = found.setdefault(i.measure.code, ("<=" if "<" in i.comparison else ">=", []))
                values.extend(t.value for t in i.thresholds if t.value is not None)
                values.extend(t.level_value for t in i.thresholds if t.level_value)
    return found


def random_value(rng: random.Random, measure: MeasureDef, target: tuple[str, list], quality: float):
    """A value on the good side of every threshold of the measure with probability `quality`."""
    roll = rng.random()
    if roll < 0.01:
        return None  # no data yet
    if roll < 0.012:  # an entry mistake: a boolean where a number is expected, or the reverse
        return True if measure.kind != "boolean" else 1
    good = rng.random() < quality
    if measure.kind == "boolean":
        return good
    if measure.kind == "level":
        required = max((measure.levels.index(v) for v in target[1] if v in measure.levels), default=0)
        if good:
            return measure.levels[rng.randint(required, len(measure.levels) - 1)]
        return measure.levels[rng.randint(0, max(0, required - 1))]
    direction, values = target
    numbers = [v for v in values if isinstance(v, Decimal)]
    low = measure.min_value if measure.min_value is not None else Decimal(0)
    high = measure.max_value if measure.max_value is not None else max([Decimal(1000), *numbers])
    if not numbers:
        value = low + (high - low) * Decimal(str(round(rng.random(), 4)))
    else:
        # The strictest threshold that way (110% for a relative one is covered by the spread above it).
        edge = max(numbers) if direction == ">=" else min(numbers)
        spread = max(Decimal(1), abs(edge) * Decimal("0.3"))
        step = spread * Decimal(str(round(rng.random(), 4)))
        value = (
            (edge + step if direction == ">=" else edge - step)
            if good
            else (edge - step - Decimal("0.01") if direction == ">=" else edge + step + Decimal("0.01"))
        )
    value = min(max(value.quantize(Decimal("0.01")), low), high)
    if measure.kind == "count":
        value = value.to_integral_value(rounding="ROUND_CEILING" if direction == ">=" else "ROUND_FLOOR")
    return value


def communes(
    programme: ProgrammeDef, n: int, seed: int = 318, years: list[int] = YEARS
) -> list[tuple[UnitProfile, int, dict]]:
    rng = random.Random(seed)
    measures = commune_measures(programme)
    wanted = targets(programme)
    result = []
    for _ in range(n):
        profile = UnitProfile(
            region=rng.choice(REGIONS),
            applies_tdmnpb=rng.random() < 0.2,
            group=rng.choice([None, None, None, 1, 2, 3]),
        )
        # A third of the communes do well almost everywhere (and reach a tier), the others vary.
        quality = 0.999 if rng.random() < 0.35 else rng.random()
        values = {code: random_value(rng, m, wanted.get(code, (">=", [])), quality) for code, m in measures.items()}
        result.append((profile, rng.choice(years), values))
    return result


# ---------------------------------------------------------------- timing


def run(programme: ProgrammeDef, cases) -> list:
    return [evaluate_programme(programme, profile, year, values, level="commune") for profile, year, values in cases]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="also profile one round with cProfile")
    parser.add_argument("--synthetic", action="store_true", help="use the synthetic programme even if fixtures exist")
    args = parser.parse_args()

    started = time.perf_counter()
    programme = None if args.synthetic else programme_from_fixtures()
    if programme is not None:
        files = len(list(FIXTURES.glob("*.yaml")))
        source = f"fixtures ({files} files in {FIXTURES.relative_to(ROOT)}, via build_programme)"
    else:
        programme = synthetic_programme()
        source = "synthetic, built in code" + ("" if args.synthetic else " (no fixtures/criteria/2021-2025/*.yaml)")
    ladder = programme.ladder("commune")
    indicators = sum(len(c.indicators) for s in ladder for c in s.criteria)
    thresholds = sum(len(i.thresholds) for s in ladder for c in s.criteria for i in c.indicators)
    print(f"programme {PROGRAMME}: {source}, built in {time.perf_counter() - started:.2f} s")
    for s in ladder:
        print(f"  {s.code}: {len(s.criteria)} criteria, {sum(len(c.indicators) for c in s.criteria)} indicators")
    print(f"  {indicators} indicators, {thresholds} threshold rows, {len(commune_measures(programme))} measures")

    cases = communes(programme, args.communes)
    run(programme, cases[:200])  # warm-up

    means = []
    for round_number in range(1, args.rounds + 1):
        t0 = time.perf_counter()
        results = run(programme, cases)
        elapsed = time.perf_counter() - t0
        means.append(elapsed / len(cases) * 1000)
        print(f"round {round_number}: {elapsed:.3f} s for {len(cases)} communes, {means[-1]:.4f} ms per commune")

    tiers = Counter(r.tier for r in results)
    outcomes = Counter(
        str(i.outcome) for r in results for s in r.sets.values() for c in s.criteria for i in c.indicators
    )
    print("tiers:", ", ".join(f"{tier or 'none'}={count}" for tier, count in sorted(tiers.items(), key=str)))
    print("indicator outcomes:", ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())))

    mean = statistics.median(means)
    print(f"load average while running: {os.getloadavg()[0]:.2f} (2 cores; other work on the machine skews the rounds)")
    print(f"fastest round: {min(means):.4f} ms per commune")
    print(
        f"mean per commune (median of {args.rounds} rounds): {mean:.4f} ms; "
        f"target < 1 ms: {'met' if mean < 1 else 'MISSED'}"
    )
    if args.profile or mean >= 1:
        profiler = cProfile.Profile()
        profiler.enable()
        run(programme, cases)
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(15)
        print(stream.getvalue())
    mean_2026, indicators_2026 = time_2026(args.communes, args.rounds)
    print(
        f"RESULT evaluate_mean_ms={mean:.4f} communes={len(cases)} indicators={indicators} "
        f"evaluate_2026_ms={mean_2026:.4f} indicators_2026={indicators_2026}"
    )


def time_2026(count: int, rounds: int) -> tuple[float, int]:
    """The mean time per commune against every commune set of 2026-2030 in force (median of the rounds)."""
    programme = programme_from_fixtures("2026-2030")
    if programme is None:
        print("2026-2030: no fixtures/criteria/2026-2030/*.yaml")
        return float("nan"), 0
    ladder = programme.ladder("commune")
    indicators = sum(len(c.indicators) for s in ladder for c in s.criteria)
    print(f"programme 2026-2030: {', '.join(s.code for s in ladder)}; {indicators} indicators")
    cases = communes(programme, count, seed=51, years=[2026])
    run(programme, cases[:200])
    means = []
    for round_number in range(1, rounds + 1):
        t0 = time.perf_counter()
        results = run(programme, cases)
        means.append((time.perf_counter() - t0) / len(cases) * 1000)
        print(f"2026 round {round_number}: {means[-1]:.4f} ms per commune")
    groups = Counter(profile.group for profile, _year, _values in cases)
    tiers = Counter(r.tier for r in results)
    print("2026 groups:", ", ".join(f"{g or 'chưa phân nhóm'}={n}" for g, n in sorted(groups.items(), key=str)))
    print("2026 tiers:", ", ".join(f"{t or 'none'}={n}" for t, n in sorted(tiers.items(), key=str)))
    mean = statistics.median(means)
    print(f"2026 mean per commune: {mean:.4f} ms; target < 1 ms: {'met' if mean < 1 else 'MISSED'}")
    return mean, indicators


if __name__ == "__main__":
    main()
