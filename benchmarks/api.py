"""How long /api/v1/statuses/ takes to answer a page of 1,000 statuses to a system calling with a token.

    cd /work/main && .venv/bin/python benchmarks/api.py [--rounds N] [--profile]

Self-contained: a throw-away SQLite file under /tmp (the checkout's db.sqlite3 and any DATABASE_URL are never
touched), migrated, with import_divisions (63 provinces, 696 districts, 10,051 communes) and the real criteria of
fixtures/criteria/2021-2025/*.yaml. One month (05/2024) of statuses for every rural commune and district of the
country is judged from random values (fixed seed: a third of the communes do well almost everywhere, the others
vary around the thresholds) with criteria.summary.summarize_programme, as reports.services.recompute_statuses
judges approved figures, and written with bulk_create: the `sets` JSON is the real one, failing indicators and all.

The caller is a read-only token of a coordination office member of the three provinces with the most communes, so
the scope is real (about 1,500 statuses of ~10,700). Timed, after one untimed warm-up, N times (default 9):
GET /api/v1/statuses/?month=2024-05&page_size=1000 through django.test.Client (the whole stack: middleware,
token authentication, throttle, filters, pagination, serialisation, JSON rendering). The last line is
machine-readable: RESULT list_1000_statuses_ms=<median> queries=<n>. The issue's target is under 200 ms.
"""

from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = Path(tempfile.gettempdir()) / f"ntm-api-bench-{os.getpid()}.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "ntm_portal.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"  # four slashes: an absolute path

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import setup_test_environment

from api.models import ApiToken
from communes.models import AdministrativeUnit, Kind, Level, Membership, Role
from criteria.definitions import build_programmes_by_province
from criteria.models import Measure, MeasureKind, Programme
from monthly.services import CRITERIA_LEVEL
from reports.models import Status
from reports.services import tracked_units

FIXTURES = ROOT / "fixtures" / "criteria" / "2021-2025"
PERIOD = dt.date(2024, 5, 1)
URL = "/api/v1/statuses/?month=2024-05&page_size=1000"
SEED = 2024


def setup(rng: random.Random) -> str:
    """The units, the criteria, one month of statuses; returns a read-only token's key."""
    from criteria.summary import summarize_programme

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_divisions", stdout=io.StringIO())
    call_command("import_criteria", *map(str, sorted(FIXTURES.glob("*.yaml"))), stdout=io.StringIO())
    print(f"divisions and criteria in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    programme = Programme.objects.get(code="2021-2025")
    # The month is before the 2025 reform: the units of the list then (by path: province codes were reused).
    units = [u for u in tracked_units() if u.in_force_on(PERIOD)]
    regions = dict(AdministrativeUnit.objects.filter(level=Level.PROVINCE).values_list("path", "region"))
    definitions = build_programmes_by_province(programme.code, {u.province_code for u in units})
    measures = list(Measure.objects.filter(indicators__criterion__criteria_set__level="commune").distinct())
    edges = _edges(definitions)
    statuses = []
    for unit in units:
        quality = 0.999 if rng.random() < 0.35 else rng.random()
        values = {m.code: _value(rng, m, edges.get(m.code), quality) for m in measures}
        tier, summaries = summarize_programme(
            definitions[unit.province_code],
            unit.threshold_profile(regions.get(unit.province_path, "")),
            PERIOD.year,
            values,
            level=CRITERIA_LEVEL[unit.level],
            failing_for="next",
        )
        lowest = next(iter(summaries.values()), None)
        statuses.append(
            Status(
                unit=unit,
                period=PERIOD,
                programme=programme,
                tier=tier or "",
                criteria_met=lowest.criteria_met if lowest else 0,
                criteria_total=lowest.criteria_total if lowest else 0,
                sets={code: summary.as_dict() for code, summary in summaries.items()},
            )
        )
    Status.objects.bulk_create(statuses, batch_size=1000)

    # The caller: the coordination office of the three provinces with the most rural communes.
    largest = (
        AdministrativeUnit.objects.filter(level=Level.COMMUNE, kind=Kind.XA, valid_from__isnull=True)
        .values("parent__parent_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[:3]
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("van-phong", password="bench")
    for row in largest:
        Membership.objects.create(user=user, unit_id=row["parent__parent_id"], role=Role.OFFICE)
    token = ApiToken(user=user, name="benchmark")
    key = token.issue_key()
    token.save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    in_scope = Status.objects.visible_to(user).filter(period=PERIOD).count()
    sizes = [len(str(s.sets)) for s in statuses[:500]]
    print(
        f"{len(statuses)} statuses of 05/2024 ({in_scope} in the token's scope; `sets` ~{statistics.mean(sizes):.0f} "
        f"characters each) in {time.perf_counter() - t0:.1f} s"
    )
    return key


def _edges(definitions) -> dict[str, tuple[str, Decimal]]:
    """Per measure, which way is better and the strictest threshold of the commune sets (any province)."""
    found: dict[str, tuple[str, Decimal]] = {}
    programme = next(iter(definitions.values()))
    for set_def in programme.ladder("commune"):
        for criterion in set_def.criteria:
            for indicator in criterion.indicators:
                numbers = [t.value for t in indicator.thresholds if t.value is not None]
                if indicator.measure is None or not numbers:
                    continue
                lower_better = "<" in indicator.comparison
                edge = min(numbers) if lower_better else max(numbers)
                found[indicator.measure.code] = ("<=" if lower_better else ">=", edge * (indicator.multiplier or 1))
    return found


def _value(rng: random.Random, measure: Measure, edge, quality: float):
    good = rng.random() < quality
    if measure.kind == MeasureKind.BOOLEAN:
        return good
    if measure.kind == MeasureKind.LEVEL:
        return measure.levels[-1] if good else rng.choice(measure.levels)
    low = measure.min_value if measure.min_value is not None else Decimal(0)
    high = measure.max_value if measure.max_value is not None else Decimal(1000)
    if edge is None:
        value = low + (high - low) * Decimal(rng.randint(0, 100)) / 100
    else:
        direction, threshold = edge
        step = max(Decimal(1), abs(threshold) * Decimal("0.2")) * Decimal(rng.randint(1, 100)) / 100
        value = threshold + step if (direction == ">=") == good else threshold - step
    value = min(max(value.quantize(Decimal("0.01")), low), high)
    return value.to_integral_value() if measure.kind == MeasureKind.COUNT else value


def list_once(client: Client, key: str) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {key}")
    elapsed = time.perf_counter() - t0
    assert response.status_code == 200, response.content[:500]
    return elapsed, len(response.json()["results"]), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--profile", action="store_true", help="profile one request even if the target is met")
    args = parser.parse_args()
    settings.DEBUG = False  # as in production: no query log kept in memory
    setup_test_environment()  # the test client's ALLOWED_HOSTS 'testserver'
    try:
        key = setup(random.Random(SEED))
        client = Client()
        _elapsed, rows, size = list_once(client, key)  # warm-up: caches, and the token's last-used time
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            list_once(client, key)
        times = [list_once(client, key)[0] * 1000 for _ in range(args.rounds)]
        median = statistics.median(times)
        print(f"GET {URL}: {rows} statuses, {size / 1024:.0f} KiB of JSON, {len(queries)} queries:")
        for sql in queries:
            print(f"  {sql[:160]}")
        print(f"{args.rounds} runs: " + ", ".join(f"{t:.0f}" for t in times) + " ms")
        print(f"median {median:.0f} ms, fastest {min(times):.0f} ms (target < 200 ms); SQLite, DEBUG off")
        if args.profile or median >= 200:
            profiler = cProfile.Profile()
            profiler.runcall(list_once, client, key)
            stream = io.StringIO()
            pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(30)
            print(stream.getvalue())
        print(f"RESULT list_1000_statuses_ms={median:.0f} queries={len(queries)}")
    finally:
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
