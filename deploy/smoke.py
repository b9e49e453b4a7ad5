"""The production configuration end to end, without containers: DEBUG off, the manifest static storage, gunicorn.

    .venv/bin/python deploy/smoke.py [--database-url URL] [--keep]
    .venv/bin/python deploy/smoke.py --base-url http://127.0.0.1:8000   # a portal already running, with the demo

On a throw-away SQLite database (or the given one): migrate, ensure_admin, load_demo, collectstatic, compilemessages;
start gunicorn with gunicorn.conf.py on a free loopback port; then /healthz, a log-in of the Quảng Ngãi office and of
Xã Đăk Pék's official, and every kind of page and document (dashboards, scorecard, desk, groups, monthly and periodic
PDFs, Excel exports and templates), each checked for its status and content type. .ci/run calls it after the tests
(building the image too when a Docker engine answers). With --base-url it starts nothing and checks a portal that
serves the demo already (`docker compose run --rm -e LOAD_DEMO=1 setup` on a demonstration machine, then
`docker compose up`). Exit status 0 when everything answered as expected.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PDF, XLSX, HTML = "application/pdf", "application/vnd.openxmlformats", "text/html"
PAGES = {
    "vpdp.quangngai": [
        ("/dashboard/51/?month=2026-11", HTML, "Tổng quan nông thôn mới"),
        ("/scorecard/23341/?month=2026-10", HTML, "Bảng điểm"),
        ("/monthly/review/2026-11/", HTML, "Duyệt báo cáo"),
        ("/monthly/overdue/2026-11/", HTML, "Tình hình gửi báo cáo"),
        ("/groups/51/", HTML, "Phân nhóm xã"),
        ("/criteria/2026-2030/commune-standard/", HTML, "Bộ minh họa"),
        ("/pdf/province/51/2026-11/", PDF, ""),
        ("/pdf/commune/23341/2026-10/", PDF, ""),
        ("/pdf/directive/51/2026-11/", PDF, ""),
        ("/pdf/province/51/2026-H1/", PDF, ""),
        ("/pdf/province/51/2026/", PDF, ""),
        ("/pdf/commune/23341/2026/", PDF, ""),
        ("/excel/province/51/2026/", XLSX, ""),
        ("/excel/statuses/51/2026-11/", XLSX, ""),
        ("/excel/values/51/2026-11/", XLSX, ""),
        ("/monthly/province/51/2026-11/template.xlsx", XLSX, ""),
        ("/groups/51/nhom-xa.xlsx", XLSX, ""),
        ("/criteria/2026-2030/commune-standard/workbook.xlsx", XLSX, ""),
        ("/api/v1/units/?level=province", "application/json", ""),
    ],
    "xa.dakpek": [
        ("/monthly/23341/2026-12/", HTML, "Xã Đăk Pék"),
        ("/monthly/23341/2026-12/template.xlsx", XLSX, ""),
    ],
    "vpdp.kontum": [
        ("/dashboard/62/?month=2024-12", HTML, "Tỉnh Kon Tum"),
        ("/pdf/district/610/2024-12/", PDF, ""),
        ("/pdf/province/62/2024/", PDF, ""),
    ],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=10)
            return
        except OSError:  # refused while gunicorn starts, or a first request still loading
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def log_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(base + "/login/", data=data.encode(), headers={"Referer": base + "/login/"})
    landed = opener.open(request)
    if "/login/" in landed.url:
        raise SystemExit(f"log-in of {username} failed")
    return opener


def check_pages(base: str) -> int:
    failures = 0
    for username, pages in PAGES.items():
        opener = log_in(base, username, "ntm-demo-2024")
        for path, content_type, text in pages:
            started = time.perf_counter()
            try:
                response = opener.open(base + path)
                status, body, kind = response.status, response.read(), response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as exc:
                status, body, kind = exc.code, b"", ""
            ok = status == 200 and kind.startswith(content_type) and (not text or text in body.decode(errors="ignore"))
            failures += not ok
            elapsed = (time.perf_counter() - started) * 1000
            print(f"{'ok  ' if ok else 'FAIL'} {status} {elapsed:6.0f} ms {len(body):8d} B {username:15} {path}")
    return failures


def check_running(base: str) -> int:
    """/healthz, then every page and document; the number of failures."""
    health = urllib.request.urlopen(base + "/healthz").read().decode()
    print("healthz:", health)
    return check_pages(base) + ('"status": "ok"' not in health)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a database to use instead of a throw-away SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--base-url", help="check a portal already serving the demo here instead of starting one")
    args = parser.parse_args()
    if args.base_url:
        failures = check_running(args.base_url.rstrip("/"))
        if failures:
            raise SystemExit(f"smoke test failed: {failures} checks")
        print("smoke test passed")
        return
    work = Path(tempfile.mkdtemp(prefix="ntm-smoke-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url or f"sqlite:///{work / 'smoke.sqlite3'}",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "smoke-test-secret-key-not-for-any-real-server-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ADMIN_USERNAME": "quantri.smoke",
        "DJANGO_ADMIN_PASSWORD": "Smoke-test-admin-password-2026",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "ensure_admin")
    manage(env, "load_demo", "--allow-demo-passwords")
    manage(env, "collectstatic", "--noinput", "-v0")
    print(f"database ready in {time.monotonic() - started:.0f} s")
    base = f"http://127.0.0.1:{port}"
    with open(work / "gunicorn.log", "w") as log:
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "ntm_portal.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(base + "/healthz")
            failures = check_running(base)
        finally:
            server.terminate()
            server.wait(timeout=30)
            shutil.rmtree(ROOT / "staticfiles", ignore_errors=True)
    errors = (work / "gunicorn.log").read_text().count("Traceback")
    print(f"gunicorn log: {errors} tracebacks")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    if failures or errors:
        raise SystemExit(f"smoke test failed: {failures} pages, {errors} tracebacks")
    print("smoke test passed")


if __name__ == "__main__":
    main()
