"""How fast the pages of the largest province serve under gunicorn with the production settings.

    cd /work/main && .venv/bin/python benchmarks/pages.py [--database-url postgresql://USER@HOST:PORT/DB]

Self-contained, in a scratch database (as benchmarks/status.py: a SQLite file under /tmp, or with --database-url a
PostgreSQL database created on that server and dropped at the end). Setup: migrate; import_divisions; the 2021-2025
criteria; twelve months (06/2023 to 05/2024) of approved figures for every rural commune of the province with the
most rural communes before the 2025 reform (Thanh Hóa), their statuses recomputed month by month; the same for the
largest province after the reform (below); an office user of each province; collectstatic (the manifest storage of
production).

Then gunicorn starts on loopback with DJANGO_DEBUG=false and the portal's gunicorn.conf.py (the settings are
benchmarks/pages_settings.py: the portal's own plus /bench/bare/, a logged-in view that does nothing), the script
logs in through the login page, and measures:
  - latency, median of 7 requests, each after the page data version moved (so the body cache misses): the province
    dashboard (dashboard_cold_ms) and the busiest district's (district_cold_ms); and the scorecard of a commune
    (scorecard_ms, never cached);
  - requests per second with wrk (Debian's package; 2 threads, 8 connections, 10 s): the bare view, the dashboard
    warm (its data unchanged since the last view: the body from the cache) and the statuses API of the province.
After the reform (the largest of the 34 provinces, 10 months of the 2026-2030 programme, 02/2026 to 11/2026, each
commune in a group): its dashboard cold and a commune's scorecard, as another office user of that province.
The last line is machine-readable:
RESULT bare_rps=… dashboard_warm_rps=… dashboard_warm_ratio=… dashboard_cold_ms=… scorecard_ms=… district_cold_ms=…
api_rps=… dashboard_cold_before_ms=… dashboard_cold_after_ms=… scorecard_after_ms=…
dashboard_cold_ms and scorecard_ms are the slower of the two periods'. The issue's targets: dashboard_warm_ratio at
least 0.5; the cold dashboard, district page and scorecard under 150 ms.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.status import FIXTURES, Scratch, _targets, _value, value_row  # noqa: E402 - after the path is set

FIRST_MONTH = (2023, 6)
MONTHS = 12
AFTER_FIRST_MONTH = (2026, 2)  # QĐ 51/2025 judges from 15 February 2026
AFTER_MONTHS = 10  # to November 2026
PASSWORD = "Benchmark-office-password-2026"
SECRET = "benchmark-secret-key-not-for-any-real-server-0123456789"
LATENCY_ROUNDS = 7
WARM_UP_REQUESTS = 20  # four per worker, five workers


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server to create the scratch database on")
    parser.add_argument("--seconds", type=int, default=10, help="how long each wrk run lasts")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (its name is printed)")
    parser.add_argument("--reuse", metavar="NAME", help="measure a database kept by --keep instead of building one")
    return parser.parse_args()


# ---------------------------------------------------------------- the data


def months(first: tuple[int, int] = FIRST_MONTH, count: int = MONTHS) -> list:
    import datetime as dt

    from communes.months import shift_month

    return [shift_month(dt.date(*first, 1), k) for k in range(count)]


def load() -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from communes.models import AdministrativeUnit, Level

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_divisions", stdout=io.StringIO())
    files = sorted([*FIXTURES.glob("*.yaml"), *(FIXTURES.parent / "2026-2030").glob("*.yaml")])
    call_command("import_criteria", *map(str, files), stdout=io.StringIO())
    province, rural, values = _load_era(before=True)
    after, after_rural, after_values = _load_era(before=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    district = (
        AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT)
        .annotate(n=Count("children"))
        .order_by("-n")
        .first()
    )
    print(
        f"{province.name} before the reform: {len(rural)} rural communes, {MONTHS} months ({values} values); "
        f"{after.name} after it: {len(after_rural)}, {AFTER_MONTHS} months ({after_values} values); statuses "
        f"recomputed; loaded in {time.perf_counter() - t0:.0f} s"
    )
    return {
        "province": province.code,
        "district": district.code,
        "commune": rural[len(rural) // 2].code,
        "province_after": after.code,
        "commune_after": after_rural[len(after_rural) // 2].code,
    }


def _load_era(*, before: bool):
    """The province with the most rural communes of the list before the 2025 reform (and the 2021-2025 programme) or
    after it (and the 2026-2030 programme, each commune in a group): approved figures for every rural commune, month
    by month, their statuses recomputed, and its office user. Returns the province, its rural communes and the
    number of values written."""
    from django.contrib.auth import get_user_model

    from communes.groups import CommuneGroupAssignment
    from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level, Membership, Role
    from criteria.definitions import build_programme
    from criteria.models import Measure, Programme
    from monthly.latest import rebuild
    from reports.services import recompute_statuses, tracked_units

    era = (
        AdministrativeUnit.objects.filter(valid_from__isnull=True)
        if before
        else AdministrativeUnit.objects.filter(valid_from__gte=REFORM_DATE)
    )
    provinces = era.filter(level=Level.PROVINCE)
    # The most rural communes (xã, which the criteria judge): Hồ Chí Minh City has more units since the reform, mostly
    # wards.
    rural_of = era.filter(level=Level.COMMUNE, kind=Kind.XA)
    province = max(provinces, key=lambda p: rural_of.filter(path__startswith=p.path).count())
    rural = list(rural_of.filter(path__startswith=province.path).order_by("path"))
    programme = Programme.objects.get(code="2021-2025" if before else "2026-2030")
    periods = months() if before else months(AFTER_FIRST_MONTH, AFTER_MONTHS)
    rng = random.Random(38 if before else 2026)
    if not before:
        # QĐ 51/2025's thresholds depend on the commune's group: the province's decision, one group per commune.
        CommuneGroupAssignment.objects.bulk_create(
            CommuneGroupAssignment(unit=c, group=rng.choice([1, 2, 2, 2, 3]), valid_from=periods[0]) for c in rural
        )
    measures = list(
        Measure.objects.filter(
            indicators__criterion__criteria_set__level="commune",
            indicators__criterion__criteria_set__programme=programme,
        )
        .distinct()
        .order_by("code")
    )
    values = _approved_figures(rural, programme, periods, measures, build_programme(programme.code), rng)
    rebuild([c.pk for c in rural])
    units = tracked_units(province)
    for period in periods:
        recompute_statuses(period=period, units=units, programme=programme)
    username = "vpdp.benchmark" if before else "vpdp.benchmark.2026"
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, unit=province, role=Role.OFFICE)
    return province, rural, values


def _approved_figures(rural, programme, periods, measures, definition, rng) -> int:
    """An approved report for each commune and month with a value for every measure (a third of the communes do well
    almost everywhere, the others vary around the thresholds); the number of values."""
    from monthly.models import Report, ReportStatus, Value

    wanted = _targets(definition)
    quality = {c.pk: 0.999 if rng.random() < 0.35 else rng.random() for c in rural}
    values = []
    for period in periods:
        reports = Report.objects.bulk_create(
            [
                Report(unit=c, period=period, programme=programme, status=ReportStatus.APPROVED, version=3)
                for c in rural
            ],
            batch_size=2000,
        )
        for report in reports:
            for measure in measures:
                value = _value(rng, measure, wanted.get(measure.code, (">=", [])), quality[report.unit_id])
                values.append(value_row(report.pk, measure, value))
    Value.objects.bulk_create(values, batch_size=5000)
    return len(values)


def reused() -> dict:
    """The codes load() chose, read back from a database it filled."""
    from django.db.models import Count

    from communes.models import AdministrativeUnit, Kind, Level, Membership

    province = Membership.objects.get(user__username="vpdp.benchmark").unit
    after = Membership.objects.get(user__username="vpdp.benchmark.2026").unit
    district = (
        AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT)
        .annotate(n=Count("children"))
        .order_by("-n")
        .first()
    )

    def middle(scope) -> str:
        rural = AdministrativeUnit.objects.filter(level=Level.COMMUNE, kind=Kind.XA, path__startswith=scope.path)
        if scope.valid_from is None:  # before the reform: as load() chose them
            rural = rural.filter(valid_from__isnull=True)
        rural = list(rural.order_by("path"))
        return rural[len(rural) // 2].code

    return {
        "province": province.code,
        "district": district.code,
        "commune": middle(province),
        "province_after": after.code,
        "commune_after": middle(after),
    }


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def booted(log: Path, expected: int) -> int:
    """The workers gunicorn has started, once `expected` have or after 10 s (forked from the preloaded master, the
    first one can answer /healthz before the others have written their line)."""
    deadline = time.monotonic() + 10
    while True:
        found = len(re.findall(r"Booting worker", log.read_text()))
        if found >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def log_in(base: str, username: str) -> tuple[urllib.request.OpenerDirector, str]:
    """Through the login page, as a person does; returns the opener and the Cookie header wrk sends."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(base + "/login/", data=data.encode(), headers={"Referer": base + "/login/"})
    landed = opener.open(request)
    if "/login/" in landed.url:
        raise SystemExit("could not log in")
    return opener, "; ".join(f"{c.name}={c.value}" for c in jar)


def latency_ms(opener, url: str, *, cold: bool) -> float:
    """Median time of one request, the body cache missed first when `cold`."""
    from reports.freshness import bump_data_version

    times = []
    # Each worker's first build of a page loads its templates and code: a process cold, not the data cold this
    # measures. Enough requests that every worker (gunicorn spreads them) has built the page once, each after the
    # version moved when `cold` (else the kept page would answer them all and only one worker would build it).
    for _ in range(WARM_UP_REQUESTS):
        if cold:
            bump_data_version()
        opener.open(url).read()
    for _ in range(LATENCY_ROUNDS):
        if cold:
            bump_data_version()
        t0 = time.perf_counter()
        response = opener.open(url)
        response.read()
        times.append(1000 * (time.perf_counter() - t0))
        assert response.status == 200, (url, response.status)
    print(f"    {url}: {', '.join(f'{t:.0f}' for t in times)} ms")
    return statistics.median(times)


def wrk(url: str, cookie: str, seconds: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx or 3xx responses" in out:
        raise SystemExit(f"wrk saw errors on {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    print(f"  wrk {url}: {rps:.1f} requests/s")
    return rps


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    scratch = Scratch(args.database_url, args.reuse)
    work = Path(tempfile.mkdtemp(prefix="ntm-pages-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.pages_settings",
        "DATABASE_URL": scratch.url if args.reuse else scratch.create(),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_LOGIN_FAILURE_LIMIT": "1000",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DJANGO", "DATABASE"))})
    server = None
    try:
        import django

        django.setup()
        codes = reused() if args.reuse else load()
        collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, cwd=ROOT, env=env, check=True)
        with open(work / "gunicorn.log", "w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "ntm_portal.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            wait_for(base + "/healthz")
            workers = booted(work / "gunicorn.log", os.cpu_count() * 2 + 1)
            print(f"gunicorn on {base}, {workers} workers (gunicorn.conf.py: 2 per core + 1), DEBUG off")
            opener, cookie = log_in(base, "vpdp.benchmark")
            dashboard = f"{base}/dashboard/{codes['province']}/?month=2024-05"
            district = f"{base}/dashboard/district/{codes['district']}/?month=2024-05"
            scorecard = f"{base}/scorecard/{codes['commune']}/?month=2024-05"
            api = f"{base}/api/v1/statuses/?month=2024-05&subtree={codes['province']}"
            for url in (dashboard, district, scorecard, api):
                opener.open(url).read()
            dashboard_cold = latency_ms(opener, dashboard, cold=True)
            district_cold = latency_ms(opener, district, cold=True)
            scorecard_ms = latency_ms(opener, scorecard, cold=False)
            print(f"  before the reform, cold: dashboard {dashboard_cold:.1f} ms, district {district_cold:.1f} ms")
            print(f"  scorecard {scorecard_ms:.1f} ms (median of {LATENCY_ROUNDS})")
            # After the reform: the largest province of the 34, its communes judged by QĐ 51/2025 and their groups.
            after_opener, _cookie = log_in(base, "vpdp.benchmark.2026")
            after_dashboard = f"{base}/dashboard/{codes['province_after']}/?month=2026-11"
            after_scorecard = f"{base}/scorecard/{codes['commune_after']}/?month=2026-11"
            for url in (after_dashboard, after_scorecard):
                after_opener.open(url).read()
            after_cold = latency_ms(after_opener, after_dashboard, cold=True)
            after_scorecard_ms = latency_ms(after_opener, after_scorecard, cold=False)
            print(f"  after the reform: cold dashboard {after_cold:.1f} ms, scorecard {after_scorecard_ms:.1f} ms")
            bare_rps = wrk(f"{base}/bench/bare/", cookie, args.seconds)
            opener.open(dashboard).read()  # the body cached: nothing changes while wrk runs
            warm_rps = wrk(dashboard, cookie, args.seconds)
            api_rps = wrk(api, cookie, args.seconds)
        errors = (work / "gunicorn.log").read_text().count("Traceback")
        if errors:
            raise SystemExit(f"{errors} tracebacks in the gunicorn log ({work / 'gunicorn.log'})")
        ratio = warm_rps / bare_rps
        # The figures are the largest province's of either period: the slower of the two.
        slowest_dashboard = max(dashboard_cold, after_cold)
        slowest_scorecard = max(scorecard_ms, after_scorecard_ms)
        print(
            f"dashboard warm: {warm_rps:.1f} requests/s, {100 * ratio:.0f} % of the bare view (target >= 50 %); "
            f"cold dashboard {slowest_dashboard:.0f} ms, the slower of both periods (target < 150 ms)"
        )
        print(
            f"RESULT bare_rps={bare_rps:.1f} dashboard_warm_rps={warm_rps:.1f} dashboard_warm_ratio={ratio:.2f} "
            f"dashboard_cold_ms={slowest_dashboard:.1f} scorecard_ms={slowest_scorecard:.1f} "
            f"district_cold_ms={district_cold:.1f} api_rps={api_rps:.1f} dashboard_cold_before_ms={dashboard_cold:.1f} "
            f"dashboard_cold_after_ms={after_cold:.1f} scorecard_after_ms={after_scorecard_ms:.1f}"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(ROOT / "staticfiles", ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        if args.keep or args.reuse:
            print(f"kept: {scratch.label.split(' (')[0]} (--reuse {scratch.name})")
        else:
            scratch.drop()


if __name__ == "__main__":
    main()
