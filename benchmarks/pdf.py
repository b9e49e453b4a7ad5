"""How long the province's monthly report takes to print, against WeasyPrint alone on the same final HTML.

    cd /work/main && .venv/bin/python benchmarks/pdf.py [--rounds R] [--month YYYY-MM] [--save FILE.pdf]

Self-contained: a throw-away SQLite file under /tmp (the checkout's db.sqlite3 and any DATABASE_URL are never
touched), migrated, with the demo loaded by `manage.py load_demo` exactly as `make run` does (the national unit
list, the criteria, Kon Tum's 2024 story) — about a minute before anything is timed.

Timed, each round:
- `full`: GET /pdf/province/62/<month>/ through Django's test client as the demo office user: the request, the
  scoped lookups, the context builder (the dashboard's queries and charts), the template and WeasyPrint;
- `weasyprint`: reports.documents.pdf.render_pdf on the HTML that the full path rendered (the same final HTML, fonts and
  stylesheet, nothing of ours before it).

The issue asks for full < 3 s and full < 1.5 × weasyprint. The last line is machine-readable:
RESULT pdf_s=<median full> weasyprint_s=<median WeasyPrint only> ratio=<pdf_s / weasyprint_s> pages=<n>.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = Path(tempfile.gettempdir()) / f"ntm-pdf-bench-{os.getpid()}.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "ntm_portal.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"  # four slashes: an absolute path

import django

django.setup()

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import setup_test_environment
from pypdf import PdfReader

from communes.models import AdministrativeUnit, Level
from communes.months import parse_month
from demo.story import OFFICE_USER
from reports.documents.pdf import render_pdf
from reports.documents.views import TEMPLATES, build_context
from reports.models import DocumentKind

PROVINCE = "62"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--month", default="2024-12")
    parser.add_argument("--save", help="write the last PDF here, to look at it")
    options = parser.parse_args()
    try:
        run(options)
    finally:
        DB_FILE.unlink(missing_ok=True)


def run(options) -> None:
    setup_test_environment()  # the test client's ALLOWED_HOSTS 'testserver'
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--allow-demo-passwords", stdout=io.StringIO())
    print(f"demo loaded in {time.perf_counter() - started:.1f} s (scratch database {DB_FILE})")

    user = get_user_model().objects.get(username=OFFICE_USER)
    province = AdministrativeUnit.objects.get(code=PROVINCE, level=Level.PROVINCE)
    period = parse_month(options.month)
    client = Client()
    client.force_login(user)
    url = f"/pdf/province/{PROVINCE}/{options.month}/"

    # One warm-up of each path: WeasyPrint's first document loads fonts and its user-agent stylesheet.
    assert client.get(url).status_code == 200
    html = render_to_string(TEMPLATES[DocumentKind.PROVINCE], build_context("province", province, period, user))
    render_pdf(html)

    full, weasy = [], []
    pdf = b""
    for _round in range(options.rounds):
        t0 = time.perf_counter()
        response = client.get(url)
        full.append(time.perf_counter() - t0)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        pdf = response.content

        html = render_to_string(TEMPLATES[DocumentKind.PROVINCE], build_context("province", province, period, user))
        t0 = time.perf_counter()
        render_pdf(html)
        weasy.append(time.perf_counter() - t0)

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if options.save:
        Path(options.save).write_bytes(pdf)
    print(f"province monthly report of {province.name}, {options.month}: {pages} pages, {len(pdf) / 1024:.0f} KiB")
    print("full request (s):   " + " ".join(f"{t:.3f}" for t in full))
    print("WeasyPrint only (s): " + " ".join(f"{t:.3f}" for t in weasy))
    pdf_s, weasy_s = statistics.median(full), statistics.median(weasy)
    ratio = pdf_s / weasy_s
    print(f"median: full {pdf_s:.3f} s, WeasyPrint only {weasy_s:.3f} s, ratio {ratio:.2f} (targets < 3 s, < 1.5)")
    print(f"RESULT pdf_s={pdf_s:.3f} weasyprint_s={weasy_s:.3f} ratio={ratio:.2f} pages={pages}")


if __name__ == "__main__":
    main()
