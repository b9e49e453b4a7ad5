"""How fast the pages of the largest province serve under gunicorn with the production settings.

    cd /work/main && .venv/bin/python benchmarks/pages.py [--database-url postgresql://USER@HOST:PORT/DB]

Self-contained, in a scratch database (as benchmarks/status.py: a SQLite file under /tmp, or with --database-url a
PostgreSQL database created on that server and dropped at the end). Setup: migrate; import_divisions; the 2021-2025
criteria; twelve months (06/2023 to 05/2024) of approved figures for every rural commune of the province with the
most communes before the 2025 reform (Thanh Hóa), their statuses recomputed month by month; an office user of that
province; collectstatic (the manifest storage of production).

Then gunicorn starts on loopback with DJANGO_DEBUG=false and the portal's gunicorn.conf.py (the settings are
benchmarks/pages_settings.py: the portal's own plus /bench/bare/, a logged-in view that does nothing), the script
logs in through the login page, and measures:
  - latency, median of 7 requests, each after the page data version moved (so the body cache misses): the province
    dashboard (dashboard_cold_ms) and the busiest district's (district_cold_ms); and the scorecard of a commune
    (scorecard_ms, never cached);
  - requests per second with wrk (Debian's package; 2 threads, 8 connections, 10 s): the bare view, the dashboard
    warm (its data unchanged since the last view: the body from the cache) and the statuses API of the province.
The last line is machine-readable:
RESULT bare_rps=… dashboard_warm_rps=… dashboard_warm_ratio=… dashboard_cold_ms=… scorecard_ms=… district_cold_ms=…
api_rps=…
The issue's targets: dashboard_warm_ratio at least 0.5; the cold dashboard, district page and scorecard under 150 ms.
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


def months():
    import datetime as dt

    from communes.months import shift_month

    first = dt.date(*FIRST_MONTH, 1)
    return [shift_month(first, k) for k in range(MONTHS)]


def load() -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from communes.models import AdministrativeUnit, Kind, Level, Membership, Role
    from criteria.definitions import build_programme
    from criteria.models import Measure, Programme
    from monthly.latest import rebuild
    from monthly.models import Report, ReportStatus, Value
    from reports.services import recompute_statuses, tracked_units

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_divisions", stdout=io.StringIO())
    call_command("import_criteria", *map(str, sorted(FIXTURES.glob("*.yaml"))), stdout=io.StringIO())
    before = AdministrativeUnit.objects.filter(valid_from__isnull=True)
    provinces = before.filter(level=Level.PROVINCE)
    province = max(provinces, key=lambda p: before.filter(level=Level.COMMUNE, path__startswith=p.path).count())
    rural = list(before.filter(level=Level.COMMUNE, kind=Kind.XA, path__startswith=province.path).order_by("path"))
    programme = Programme.objects.get(code="2021-2025")
    measures = list(
        Measure.objects.filter(indicators__criterion__criteria_set__level="commune").distinct().order_by("code")
    )
    wanted = _targets(build_programme(programme.code))
    rng = random.Random(38)
    quality = {c.pk: 0.999 if rng.random() < 0.35 else rng.random() for c in rural}
    values = []
    for period in months():
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
    rebuild()
    units = tracked_units(province)
    for period in months():
        recompute_statuses(period=period, units=units, programme=programme)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = get_user_model().objects.create_user("vpdp.benchmark", password=PASSWORD)
    Membership.objects.create(user=user, unit=province, role=Role.OFFICE)
    district = (
        AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT)
        .annotate(n=Count("children"))
        .order_by("-n")
        .first()
    )
    print(
        f"{province.name}: {len(rural)} rural communes, {MONTHS} months of approved figures ({len(values)} values), "
        f"statuses recomputed; loaded in {time.perf_counter() - t0:.0f} s"
    )
    return {"province": province.code, "district": district.code, "commune": rural[len(rural) // 2].code}


def reused() -> dict:
    """The codes load() chose, read back from a database it filled."""
    from django.db.models import Count

    from communes.models import AdministrativeUnit, Kind, Level, Membership

    province = Membership.objects.get(user__username="vpdp.benchmark").unit
    district = (
        AdministrativeUnit.objects.filter(parent=province, level=Level.DISTRICT)
        .annotate(n=Count("children"))
        .order_by("-n")
        .first()
    )
    rural = list(
        AdministrativeUnit.objects.filter(
            level=Level.COMMUNE, kind=Kind.XA, path__startswith=province.path, valid_from__isnull=True
        ).order_by("path")
    )
    return {"province": province.code, "district": district.code, "commune": rural[len(rural) // 2].code}


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
            workers = len(re.findall(r"Booting worker", (work / "gunicorn.log").read_text()))
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
            print(f"  cold: dashboard {dashboard_cold:.1f} ms, district {district_cold:.1f} ms")
            print(f"  scorecard {scorecard_ms:.1f} ms (median of {LATENCY_ROUNDS})")
            bare_rps = wrk(f"{base}/bench/bare/", cookie, args.seconds)
            opener.open(dashboard).read()  # the body cached: nothing changes while wrk runs
            warm_rps = wrk(dashboard, cookie, args.seconds)
            api_rps = wrk(api, cookie, args.seconds)
        errors = (work / "gunicorn.log").read_text().count("Traceback")
        if errors:
            raise SystemExit(f"{errors} tracebacks in the gunicorn log ({work / 'gunicorn.log'})")
        ratio = warm_rps / bare_rps
        print(
            f"dashboard warm: {warm_rps:.1f} requests/s, {100 * ratio:.0f} % of the bare view (target >= 50 %); "
            f"cold dashboard {dashboard_cold:.0f} ms (target < 150 ms)"
        )
        print(
            f"RESULT bare_rps={bare_rps:.1f} dashboard_warm_rps={warm_rps:.1f} dashboard_warm_ratio={ratio:.2f} "
            f"dashboard_cold_ms={dashboard_cold:.1f} scorecard_ms={scorecard_ms:.1f} "
            f"district_cold_ms={district_cold:.1f} api_rps={api_rps:.1f}"
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
