"""How long recomputing a month's statuses takes for the whole country, against the floor of reading its figures.

    cd /work/main && .venv/bin/python benchmarks/status.py [--database-url postgresql://USER@HOST:PORT/DB] [--profile]

Self-contained, in a scratch database: by default a new SQLite file under /tmp; with --database-url, a fresh
PostgreSQL database ntm_bench_<pid> created on that server (the database named in the URL is only used to
connect) and dropped at the end. The checkout's db.sqlite3 and the environment's DATABASE_URL are never touched.

Setup: migrate; import_divisions (63 provinces, 696 districts, 10,051 communes); every criteria fixture of
2021-2025 through import_criteria; a seventh of the communes under the TDMNPB rule; then TWELVE months
(06/2023 to 05/2024) of approved reports, one per rural commune and month (xã: the communes that get a status),
with a value for every measure of the commune-level sets: the first month written with bulk_create (fixed seed: a
third of the communes do well almost everywhere, the others vary around the thresholds, so every tier occurs), the
eleven others copied from it in SQL (rows of their own, the same figures); then the maintained latest approved values
(monthly.latest) rebuilt from them, as `rebuild_latest_values` does.

Timed, after one untimed warm-up of each (which writes the statuses), 3 times each:
  (a) recompute_statuses(period, units=tracked_units()) of the FIRST month (11 later months approved: its values
      come from the history) and of the TWELFTH (the current month: from the latest values);
  (b) the floor: one SELECT of the month's approved values (unit, measure, value columns), the numbers cast to
      floating point in SQL so that no Decimal is made, on either database.
The last line is machine-readable (medians of the 3 runs):
RESULT recompute_s=<b> floor_s=<y> ratio=<b/y> history_months=12 first_s=<a> twelfth_s=<b> twelfth_vs_first=<b/a>
       first_ratio=<a/y>
recompute_s is the national month of the issue: the current month (the twelfth), recomputed with twelve months of
history behind it. The first month is another path, a past month recomputed with eleven later months approved (a
late approval's recompute, from its month on): its ratio is first_ratio. The issue's targets: ratio under 3, twelfth
month no slower than the first by more than 20 %. When either ratio is 3 or more (or with --profile), one more
recompute runs under cProfile and the time is broken down by phase.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "fixtures" / "criteria" / "2021-2025"
FIRST = dt.date(2023, 6, 1)
PERIOD = dt.date(2024, 5, 1)  # the twelfth month
HISTORY_MONTHS = 12
ROUNDS = 3
SEED = 2024


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to create the scratch database on, e.g. postgresql://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--profile", action="store_true", help="profile one recompute even if the target is met")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (its name is printed)")
    parser.add_argument("--reuse", metavar="NAME", help="time a database kept by --keep instead of building one")
    return parser.parse_args()


# ---------------------------------------------------------------- the scratch database


class Scratch:
    """A database that exists only for this run: a SQLite file, or a PostgreSQL database created and dropped."""

    def __init__(self, server_url: str | None, name: str | None = None):
        self.server_url = server_url
        self.reused = name is not None
        self.name = name or f"ntm_bench_{os.getpid()}"
        if server_url:
            parts = urlsplit(server_url)
            if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
                sys.exit(f"--database-url must be a PostgreSQL URL, not {parts.scheme}://")
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
            self.file = None
        else:
            self.file = Path(tempfile.gettempdir()) / f"{self.name}.sqlite3"
            self.url = f"sqlite:///{self.file}"  # four slashes: an absolute path

    def _admin(self, sql: str) -> None:
        import psycopg

        parts = urlsplit(self.server_url)
        # Only the server's address and credentials: the URL's query holds Django's OPTIONS, not libpq's.
        with psycopg.connect(urlunsplit(parts._replace(scheme="postgresql", query="")), autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> str:
        if self.server_url:
            self._admin(f'CREATE DATABASE "{self.name}"')
        return self.url

    def drop(self) -> None:
        if self.server_url:
            from django.db import connections

            connections.close_all()
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')
        elif self.file is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.file}{suffix}").unlink(missing_ok=True)

    @property
    def label(self) -> str:
        if self.server_url:
            parts = urlsplit(self.url)
            life = "kept from an earlier run" if self.reused else "created for this run, dropped after"
            return f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{self.name} ({life})"
        return f"SQLite {self.file} ({'kept from an earlier run' if self.reused else 'deleted after'})"


# ---------------------------------------------------------------- the data


@contextlib.contextmanager
def scratch_session(args: argparse.Namespace):
    """Django set up on the scratch database (built, or reused with --reuse) in production's DEBUG off; kept after
    with --keep or --reuse, else dropped. Yields the Scratch."""
    scratch = Scratch(args.database_url, args.reuse)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ntm_portal.settings"
    os.environ["DATABASE_URL"] = scratch.url if args.reuse else scratch.create()
    try:
        import django

        django.setup()
        from django.conf import settings

        settings.DEBUG = False  # as in production: no query log kept in memory
        print(f"database: {scratch.label}")
        yield scratch
    finally:
        if args.keep or args.reuse:
            print(f"kept: {scratch.label.split(' (')[0]} (--reuse {scratch.name})")
        else:
            scratch.drop()


def load(rng: random.Random) -> tuple[int, int]:
    from django.core.management import call_command
    from django.db import connection

    from communes.models import AdministrativeUnit, Kind, Level
    from communes.months import shift_month
    from criteria.definitions import build_programme
    from criteria.models import Measure, Programme
    from monthly.models import Report, ReportStatus, Value

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_divisions", stdout=io.StringIO())
    call_command("import_criteria", *map(str, sorted(FIXTURES.glob("*.yaml"))), stdout=io.StringIO())
    # Especially disadvantaged communes and the like use the TDMNPB thresholds wherever they are (QĐ 318).
    # May 2024: the communes of the list before the 2025 reform (import_divisions loads both lists).
    rural = AdministrativeUnit.objects.filter(level=Level.COMMUNE, kind=Kind.XA, valid_from__isnull=True)
    tdmnpb = [pk for pk in rural.values_list("pk", flat=True) if pk % 7 == 0]
    AdministrativeUnit.objects.filter(pk__in=tdmnpb).update(applies_tdmnpb_thresholds=True)
    before = AdministrativeUnit.objects.filter(level=Level.COMMUNE, valid_from__isnull=True).count()
    print(
        f"divisions and criteria: {before} communes before the reform "
        f"({rural.count()} rural, {len(tdmnpb)} under the TDMNPB rule), "
        f"{AdministrativeUnit.objects.filter(level=Level.DISTRICT).count()} districts, "
        f"in {time.perf_counter() - t0:.1f} s"
    )

    t0 = time.perf_counter()
    programme = Programme.objects.get(code="2021-2025")
    measures = list(
        Measure.objects.filter(indicators__criterion__criteria_set__level="commune").distinct().order_by("code")
    )
    wanted = _targets(build_programme(programme.code))
    reports = Report.objects.bulk_create(
        [
            Report(unit_id=pk, period=FIRST, programme=programme, status=ReportStatus.APPROVED, version=3)
            for pk in rural.order_by("pk").values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    values = []
    for report in reports:
        quality = 0.999 if rng.random() < 0.35 else rng.random()
        for measure in measures:
            values.append(
                value_row(report.pk, measure, _value(rng, measure, wanted.get(measure.code, (">=", [])), quality))
            )
    Value.objects.bulk_create(values, batch_size=5000)
    print(
        f"the first month of approved reports: {len(reports)} reports, {len(values)} values "
        f"({len(measures)} measures each), in {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    for month in range(1, HISTORY_MONTHS):
        _copy_month(programme, shift_month(FIRST, month))
    from monthly.latest import rebuild

    latest = rebuild()
    with connection.cursor() as cursor:
        # Planner statistics and (PostgreSQL) the visibility map for index-only scans, as autovacuum leaves a live
        # database after such a load.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        f"{HISTORY_MONTHS - 1} more months copied in SQL: {Value.objects.count()} approved values in all, "
        f"{latest} latest approved values rebuilt, in {time.perf_counter() - t0:.1f} s"
    )
    return len(reports), len(values)


def _copy_month(programme, period: dt.date) -> None:
    """The first month's reports and values again for `period`: rows of their own, as a month's approval writes
    (the same figures: drifting them would push values across their thresholds and ranges and judge a different
    country each month)."""
    from django.db import connection

    from monthly.models import Report, ReportStatus

    Report.objects.bulk_create(
        [
            Report(unit_id=pk, period=period, programme=programme, status=ReportStatus.APPROVED, version=3)
            for pk in Report.objects.filter(period=FIRST).values_list("unit_id", flat=True)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO communes_value (report_id, measure_id, number, flag, level, note)
            SELECT later.id, v.measure_id, v.number, v.flag, v.level, v.note
            FROM communes_value v
            JOIN communes_report first ON first.id = v.report_id AND first.period = %s
            JOIN communes_report later ON later.unit_id = first.unit_id AND later.period = %s
            """,
            [FIRST, period],
        )


def value_row(report_id: int, measure, value):
    """An approved Value with `value` in the column its measure's kind uses."""
    from criteria.models import MeasureKind
    from monthly.models import Value

    row = Value(report_id=report_id, measure_id=measure.pk)
    if measure.kind == MeasureKind.BOOLEAN:
        row.flag = value
    elif measure.kind == MeasureKind.LEVEL:
        row.level = value
    else:
        row.number = value
    return row


def _targets(programme) -> dict[str, tuple[str, list[Decimal]]]:
    """Per measure: which way is better and the threshold values it is compared with (110 % included)."""
    found: dict[str, tuple[str, list[Decimal]]] = {}
    for s in programme.ladder("commune"):
        for c in s.criteria:
            for i in c.indicators:
                if i.measure is None:
                    continue
                direction, numbers = found.setdefault(i.measure.code, ("<=" if "<" in i.comparison else ">=", []))
                numbers += [t.value * (i.multiplier or 1) for t in i.thresholds if t.value is not None]
    return found


def _value(rng: random.Random, measure, target: tuple[str, list[Decimal]], quality: float):
    good = rng.random() < quality
    if measure.kind == "boolean":
        return good
    if measure.kind == "level":
        return measure.levels[-1] if good else rng.choice(measure.levels)
    direction, numbers = target
    low = measure.min_value if measure.min_value is not None else Decimal(0)
    high = measure.max_value if measure.max_value is not None else max([Decimal(1000), *numbers])
    if not numbers:
        value = low + (high - low) * Decimal(rng.randint(0, 10000)) / 10000
    else:
        edge = max(numbers) if direction == ">=" else min(numbers)
        step = max(Decimal(1), abs(edge) * Decimal("0.3")) * Decimal(rng.randint(0, 10000)) / 10000
        outside = step + Decimal("0.01")
        value = (
            (edge + step if direction == ">=" else edge - step)
            if good
            else (edge - outside if direction == ">=" else edge + outside)
        )
    value = min(max(value.quantize(Decimal("0.01")), low), high)
    if measure.kind == "count":
        value = value.to_integral_value(rounding="ROUND_CEILING" if direction == ">=" else "ROUND_FLOOR")
    return value


# ---------------------------------------------------------------- timing


def recompute(period: dt.date = PERIOD) -> int:
    from reports.services import recompute_statuses, tracked_units

    return recompute_statuses(period=period, units=tracked_units())


def recompute_first() -> int:
    return recompute(FIRST)


FLOOR_SQL = """
SELECT r.unit_id, v.measure_id, CAST(v.number AS DOUBLE PRECISION), v.flag, v.level
FROM communes_value v JOIN communes_report r ON r.id = v.report_id
WHERE r.period = %s AND r.status = 'approved'
"""


def floor() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [PERIOD])
        return len(cursor.fetchall())


def timed(function, rounds: int) -> tuple[list[float], int]:
    function()  # warm-up: caches, and (for recompute) statuses to replace, as in every later run
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - t0)
    return times, result


def _check_same_as_history() -> None:
    """The maintained latest values give the history's answer, for the twelfth month and for the first."""
    from monthly.figures import carried_values
    from monthly.latest import current_values
    from reports.services import tracked_units

    units = tracked_units().filter(level="commune")
    sample = sorted(units.values_list("pk", flat=True))[::97]
    for period in (FIRST, PERIOD):
        assert current_values(units.filter(pk__in=sample), period) == carried_values(sample, period), period
    print(f"latest values checked against the history for {len(sample)} communes, both months: identical")


PHASES = [
    ("monthly.figures:carried_values", "the approved values, carried forward (1 query + Python)"),
    ("criteria.definitions:build_programmes_by_province", "criteria definitions (4 queries + build)"),
    ("criteria.batch:summarize_units", "judging every unit by columns (pure Python)"),
    ("reports.services:_status", "building Status objects"),
    ("criteria.summary:as_dict", "SetSummary.as_dict"),
    ("reports.services:_commune_shares", "district shares (2 queries + Python)"),
    ("django.db.models.query:delete", "deleting the month's statuses"),
    ("django.db.models.query:bulk_create", "inserting the statuses"),
    ("django.db.models.fields.json:get_db_prep_value", "JSON-encoding Status.sets"),
]


def phases() -> None:
    """Wall-clock time of each phase of one recompute, without the profiler's overhead."""
    from django.db.models.query import QuerySet

    import reports.services as services

    spent: dict[str, float] = {}

    def timing(label, function):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0) + time.perf_counter() - t0

        return wrapper

    patched = {
        (services, "current_values"): "the approved values: latest values (1 query) + history for later-approved units",
        (services, "approved_months"): "each unit's latest approved month (1 query)",
        (services, "build_programmes_by_province"): "criteria definitions: 4 queries + build",
        (services, "summarize_many"): "judging every unit: summarize_many, by columns (pure Python)",
        (services, "_commune_shares"): "district shares: 2 queries + Python",
        (services, "fingerprint"): "fingerprints of the results (JSON + hash)",
        (QuerySet, "bulk_create"): "upserting the changed statuses (bulk_create, batches of 1000)",
    }
    originals = {target: getattr(*target) for target in patched}
    for (owner, name), label in patched.items():
        setattr(owner, name, timing(label, originals[(owner, name)]))
    try:
        t0 = time.perf_counter()
        recompute()
        total = time.perf_counter() - t0
    finally:
        for (owner, name), function in originals.items():
            setattr(owner, name, function)
    print(f"\nphases of one recompute_statuses ({total:.2f} s):")
    for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {seconds:7.3f} s  {100 * seconds / total:5.1f} %  {label}")
    rest = total - sum(spent.values())
    print(
        f"  {rest:7.3f} s  {100 * rest / total:5.1f} %  the rest: units query, Status objects and as_dict, transaction"
    )


def profile() -> None:
    phases()
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.runcall(recompute)
    total = time.perf_counter() - t0
    stats = pstats.Stats(profiler)
    print(f"\nprofile of one recompute_statuses ({total:.2f} s under cProfile):")
    by_name = {}
    for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
        module = Path(filename).with_suffix("").as_posix()
        for key, _label in PHASES:
            wanted_module, wanted_name = key.split(":")
            if name == wanted_name and module.endswith(wanted_module.replace(".", "/")):
                by_name[key] = by_name.get(key, 0) + cumulative
    for key, label in PHASES:
        if key in by_name:
            print(f"  {by_name[key]:7.2f} s  {100 * by_name[key] / total:5.1f} %  {label} [{key}]")
    for order in ("cumulative", "tottime"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(order).print_stats(25)
        print(stream.getvalue())
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_callers(r"method 'sub'|quote|wait")
    print(stream.getvalue())


def main() -> None:
    args = parse_args()
    with scratch_session(args):
        from django.db import connection

        if args.reuse:
            from monthly.models import Report, Value

            communes = Report.objects.filter(period=FIRST).count()
            values = Value.objects.filter(report__period=PERIOD).count()
        else:
            communes, values = load(random.Random(SEED))

        t0 = time.perf_counter()
        written = recompute_first()
        print(f"first recompute of the first month, every status new: {time.perf_counter() - t0:.3f} s ({written})")
        first_times, _ = timed(recompute_first, ROUNDS)
        recompute_times, statuses = timed(recompute, ROUNDS)
        floor_times, rows = timed(floor, ROUNDS)
        assert rows == values, (rows, values)
        _check_same_as_history()

        from django.db.models import Count

        from reports.models import Status

        tiers = dict(Status.objects.filter(period=PERIOD).values_list("tier").annotate(n=Count("pk")).order_by())
        print(f"statuses: {statuses} ({communes} rural communes and the districts); tiers: {tiers}")
        for month, times in ((FIRST, first_times), (PERIOD, recompute_times)):
            print(f"recompute_statuses of {month:%m/%Y}, {ROUNDS} runs: " + ", ".join(f"{t:.3f} s" for t in times))
        print(f"floor (one query, {rows} rows), {ROUNDS} runs: " + ", ".join(f"{t:.3f} s" for t in floor_times))
        first_s, twelfth_s = statistics.median(first_times), statistics.median(recompute_times)
        recompute_s, floor_s = twelfth_s, statistics.median(floor_times)
        ratio, first_ratio = recompute_s / floor_s, first_s / floor_s
        print(
            f"median: first month {first_s:.3f} s, twelfth {twelfth_s:.3f} s ({twelfth_s / first_s:.2f}x the first, "
            f"target <= 1.2), floor {floor_s:.3f} s, ratio {ratio:.2f} (target < 3), "
            f"the first month as a past month {first_ratio:.2f}x the floor"
        )
        print(
            f"fastest: recompute {min(recompute_times):.3f} s, floor {min(floor_times):.3f} s, "
            f"ratio {min(recompute_times) / min(floor_times):.2f} (2 cores: other work on the machine skews runs)"
        )
        print(f"database vendor: {connection.vendor}; load average {os.getloadavg()[0]:.2f}")
        if args.profile or ratio >= 3 or first_ratio >= 3:
            profile()
        print(
            f"RESULT recompute_s={recompute_s:.3f} floor_s={floor_s:.3f} ratio={ratio:.2f} "
            f"history_months={HISTORY_MONTHS} first_s={first_s:.3f} twelfth_s={twelfth_s:.3f} "
            f"twelfth_vs_first={twelfth_s / first_s:.2f} first_ratio={first_ratio:.2f} communes={communes} "
            f"values={values}"
        )


if __name__ == "__main__":
    main()
