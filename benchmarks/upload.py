"""How long a district's filled Excel template takes to check and save: 25 communes × every commune measure.

    cd /work/main && .venv/bin/python benchmarks/upload.py [--communes N] [--rounds R] [--profile]

Self-contained: a throw-away SQLite file under /tmp (the checkout's db.sqlite3 and any DATABASE_URL are never
touched), migrated, with the real criteria of fixtures/criteria/2021-2025/*.yaml imported through the
import_criteria command. A district of N communes gets its template built by monthly.excel_template.export_template and
every data cell filled with a valid value (fixed seed); then monthly.excel.apply_upload, the function the upload
view calls (read_upload, then save_values per commune in one transaction), is timed. Each round uses a fresh
month, so every round creates N reports from nothing. A re-upload of a corrected file (one value changed per
commune) is timed too. The last line is machine-readable:
RESULT upload_s=<median seconds> communes=<n> measures=<n> cells=<n>.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = Path(tempfile.gettempdir()) / f"ntm-upload-bench-{os.getpid()}.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "ntm_portal.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"  # four slashes: an absolute path

import django

django.setup()

from django.core.management import call_command
from openpyxl import load_workbook

from communes.models import AdministrativeUnit, Level, Membership, Role
from criteria.models import MeasureKind
from monthly.excel import (
    FIRST_DATA_ROW,
    FIRST_MEASURE_COLUMN,
    SHEET_DATA,
    apply_upload,
    district_month,
    read_upload,
)
from monthly.excel_template import export_template
from monthly.models import Value, ValueChange

FIXTURES = ROOT / "fixtures" / "criteria" / "2021-2025"


def setup(communes: int):
    call_command("migrate", verbosity=0)
    call_command("import_criteria", *map(str, sorted(FIXTURES.glob("*.yaml"))), stdout=io.StringIO())
    province = AdministrativeUnit.objects.create(
        code="62", level=Level.PROVINCE, kind="tinh", name="Tỉnh Kon Tum", short_name="Kon Tum", region="TN"
    )
    district = AdministrativeUnit.objects.create(
        code="610", level=Level.DISTRICT, kind="huyen", name="Huyện Đắk Glei", short_name="Đắk Glei", parent=province
    )
    for n in range(communes):
        AdministrativeUnit.objects.create(
            code=f"{23300 + n}",
            level=Level.COMMUNE,
            kind="xa",
            name=f"Xã Thử {n + 1}",
            short_name=f"Thử {n + 1}",
            parent=district,
        )
    from django.contrib.auth import get_user_model

    official = get_user_model().objects.create_user("can-bo-huyen", password="x")
    Membership.objects.create(user=official, unit=district, role=Role.DISTRICT)
    return district, official


def filled(template: bytes, measures, rng: random.Random, changed_only: bool = False) -> bytes:
    """Every data cell given a valid value, as a person would type it; or, for a correction, one cell per row."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[SHEET_DATA]
    kinds = [m.kind for m in measures.values()]
    for row in range(FIRST_DATA_ROW, sheet.max_row + 1):
        columns = [rng.randrange(len(kinds))] if changed_only else range(len(kinds))
        for offset in columns:
            sheet.cell(row, FIRST_MEASURE_COLUMN + offset, value(kinds[offset], rng))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def value(kind: str, rng: random.Random):
    if kind == MeasureKind.BOOLEAN:
        return rng.choice(["Có", "Không"])
    if kind == MeasureKind.PERCENT:
        return round(rng.uniform(0, 100), 1)
    if kind == MeasureKind.COUNT:
        return rng.randrange(0, 50)
    return round(rng.uniform(0, 900), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print the 25 costliest functions of one round")
    args = parser.parse_args()
    rng = random.Random(2024)
    district, official = setup(args.communes)
    first = dt.date(2024, 1, 1)
    month = district_month(district, first)
    measures = month.measures
    cells = args.communes * len(measures)
    print(f"District of {args.communes} communes, {len(measures)} measures each: {cells} cells per upload.")

    uploads, reads, builds, corrections = [], [], [], []
    for round_ in range(args.rounds):
        period = dt.date(2024, 1 + round_, 1)
        start = time.perf_counter()
        template = export_template(district=district, period=period)[2]
        builds.append(time.perf_counter() - start)
        content = filled(template, measures, rng)

        start = time.perf_counter()
        read_upload(content, district=district, period=period, communes=month.communes, measures=measures)
        reads.append(time.perf_counter() - start)

        profiler = cProfile.Profile() if args.profile and round_ == 0 else None
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        summary = apply_upload(content, district=district, period=period, by=official)
        if profiler:
            profiler.disable()
        uploads.append(time.perf_counter() - start)
        saved = Value.objects.filter(report__period=period).count()
        assert summary.communes == args.communes, summary
        assert saved == cells, saved

        correction = filled(export_template(district=district, period=period)[2], measures, rng, changed_only=True)
        start = time.perf_counter()
        apply_upload(correction, district=district, period=period, by=official)
        corrections.append(time.perf_counter() - start)
        print(
            f"  {period:%m/%Y}: template {builds[-1]:.3f} s, read_upload {reads[-1]:.3f} s, "
            f"apply_upload {uploads[-1]:.3f} s ({summary.changes} changes), corrected re-upload {corrections[-1]:.3f} s"
        )
        if profiler:
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(25)

    print(f"Template build: median {statistics.median(builds):.3f} s")
    print(f"read_upload alone: median {statistics.median(reads):.3f} s")
    print(
        f"apply_upload (read + save {cells} values): median {statistics.median(uploads):.3f} s, "
        f"max {max(uploads):.3f} s"
    )
    print(f"Corrected re-upload: median {statistics.median(corrections):.3f} s")
    print(f"ValueChange rows written: {ValueChange.objects.count()}")
    print(
        f"RESULT upload_s={statistics.median(uploads):.3f} communes={args.communes} measures={len(measures)} "
        f"cells={cells}"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)
