"""How long the forecast of the largest province takes, against one recompute of the same province's statuses.

    cd /work/main && .venv/bin/python benchmarks/forecast.py [--database-url postgresql://USER@HOST:PORT/DB]
                                                             [--rounds N] [--keep | --reuse NAME]

Self-contained, in a scratch database (benchmarks/status.py's Scratch: a SQLite file under /tmp, or with
--database-url a PostgreSQL database created on that server and dropped at the end). The data is benchmarks/pages.py's
load(): migrate; import_divisions; the 2021-2025 criteria; twelve months (06/2023 to 05/2024) of approved figures for
every rural commune of the province with the most communes, drawn afresh each month around the thresholds (fixed
seed), their statuses recomputed month by month. That province is Thanh Hóa before the 2025 reform (454 xã); the
largest after it is Thanh Hóa again, with 147 (both are counted and printed), so it is the largest of either period.

Timed as of 05/2024, after one untimed warm-up of each, N times (default 5):
  (a) the forecast of the whole province: reports.forecast_data.load_forecast_inputs (a fixed number of queries:
      the judgement of every commune as of the month and the twelve months of values of the measures it misses)
      then reports.forecast.forecast_scope (every commune for every tier, every target);
  (b) one recompute of the province's statuses for the month: recompute_statuses(period, units=tracked_units(
      province)), its communes and districts.
  (c) for the record, the forecast with every_trend=True (every commune judged again and every indicator's history
      read: what the back-test asks for, and the most a province's forecast can cost).
The last line is machine-readable (medians): RESULT forecast_ms=<a> communes=<n> recompute_ms=<b> ratio=<a/b>
load_ms=<the loading part of a> queries=<of a> every_trend_ms=<c>. The issue's target: a under b.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.status import scratch_session, timed  # noqa: E402 - after the path is set

PERIOD = dt.date(2024, 5, 1)  # the twelfth month of pages.load()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server to create the scratch database on")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each, after one warm-up")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (its name is printed)")
    parser.add_argument("--reuse", metavar="NAME", help="time a database kept by --keep instead of building one")
    return parser.parse_args()


def largest_provinces() -> str:
    """The province with the most rural communes in each list (before and since the 2025 reform)."""
    from communes.models import AdministrativeUnit, Kind, Level

    lines = []
    for before in (True, False):
        communes = AdministrativeUnit.objects.filter(level=Level.COMMUNE, kind=Kind.XA, valid_from__isnull=before)
        provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_from__isnull=before)
        size, name = max((communes.filter(path__startswith=p.path).count(), p.name) for p in provinces)
        lines.append(f"{'before' if before else 'since'} the reform {name}, {size} xã")
    return "; ".join(lines)


def forecast(province, every_trend: bool = False):
    from reports.forecast import forecast_scope
    from reports.forecast_data import load_forecast_inputs

    return forecast_scope(load_forecast_inputs(province, PERIOD, every_trend=every_trend))


def split(province) -> tuple[float, float, int]:
    """One forecast timed in its two parts, loading and computing, with its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.forecast import forecast_scope
    from reports.forecast_data import load_forecast_inputs

    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        inputs = load_forecast_inputs(province, PERIOD)
        t1 = time.perf_counter()
    forecast_scope(inputs)
    t2 = time.perf_counter()
    return 1000 * (t1 - t0), 1000 * (t2 - t1), len(queries)


def describe(result) -> None:
    from reports.forecast import ForecastState, counts_by

    deadline = dt.date(2025, 12, 1)
    for tier, forecasts in result.communes.items():
        states = {state: sum(1 for f in forecasts if f.state is state) for state in ForecastState}
        low, central, high = counts_by(forecasts, deadline)
        shown = ", ".join(f"{state.value} {n}" for state, n in states.items() if n)
        print(f"  {tier}: by 12/2025 {central} ({low}-{high}) of {len(forecasts)}; {shown}")
    indicators = {
        (f.unit_id, i.set_code, i.code): i
        for forecasts in result.communes.values()
        for f in forecasts
        for i in f.indicators
    }
    trends = sum(1 for i in indicators.values() if i.trend is not None)
    print(f"  {len(indicators)} indicators not met, {trends} with a trend")


def main() -> None:
    args = parse_args()
    with scratch_session(args):
        from django.db import connection

        from benchmarks.pages import load, reused
        from communes.models import AdministrativeUnit, Level
        from criteria.models import Programme
        from reports.services import recompute_statuses, tracked_units

        codes = reused() if args.reuse else load()
        print(f"largest provinces: {largest_provinces()}")
        province = AdministrativeUnit.objects.get(level=Level.PROVINCE, code=codes["province"], valid_from__isnull=True)
        programme = Programme.objects.get(code="2021-2025")

        def recompute() -> int:
            return recompute_statuses(period=PERIOD, units=tracked_units(province), programme=programme)

        forecast_times, result = timed(lambda: forecast(province), args.rounds)
        recompute_times, statuses = timed(recompute, args.rounds)
        full_times, _full = timed(lambda: forecast(province, every_trend=True), args.rounds)
        load_ms, compute_ms, queries = split(province)
        communes = sum(len(f) for f in list(result.communes.values())[:1])
        print(f"forecast of {province.name} as of {PERIOD:%m/%Y}: {communes} communes, {queries} queries")
        describe(result)
        print(f"  one run split: loading {load_ms:.0f} ms, computing {compute_ms:.0f} ms")
        print(f"forecast, {args.rounds} runs: " + ", ".join(f"{1000 * t:.0f} ms" for t in forecast_times))
        print(
            f"forecast with every trend (every commune judged again, every indicator's history: the back-test's "
            f"mode, the worst case of a province), {args.rounds} runs: "
            + ", ".join(f"{1000 * t:.0f} ms" for t in full_times)
        )
        print(
            f"recompute_statuses of the province ({statuses} statuses), {args.rounds} runs: "
            + ", ".join(f"{1000 * t:.0f} ms" for t in recompute_times)
        )
        forecast_ms = 1000 * statistics.median(forecast_times)
        recompute_ms = 1000 * statistics.median(recompute_times)
        ratio = forecast_ms / recompute_ms
        full_ms = 1000 * statistics.median(full_times)
        print(
            f"median: forecast {forecast_ms:.0f} ms, recompute {recompute_ms:.0f} ms, ratio {ratio:.2f} (target < 1); "
            f"database vendor {connection.vendor}; load average {os.getloadavg()[0]:.2f}"
        )
        print(
            f"RESULT forecast_ms={forecast_ms:.1f} communes={communes} recompute_ms={recompute_ms:.1f} "
            f"ratio={ratio:.2f} load_ms={load_ms:.1f} queries={queries} every_trend_ms={full_ms:.1f}"
        )


if __name__ == "__main__":
    main()
