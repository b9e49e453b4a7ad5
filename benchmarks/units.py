"""How long import_divisions takes on an empty database, and how long a (code, day) takes to resolve to one unit.

    cd /work/main && .venv/bin/python benchmarks/units.py [--pairs N]

Self-contained: a throw-away SQLite file under /tmp (the checkout's db.sqlite3 and any DATABASE_URL are never
touched), migrated. Timed once: `import_divisions` on the empty database (both lists, 10,810 + 3,355 units, and the
lineage with the correction file), then a second run (nothing to change). Then N (default 10,000) pairs of a commune
code and a day, drawn with a fixed seed from every commune code of both lists and days from 2021 to 2026 (a fifth of
them codes reused in 2025), each resolved the way a page resolves it: one query for the units with the code
(communes.permissions.unit_or_404 without the scope filter) and communes.permissions.pick_at. Each answer is checked
against the unit in force that day where there is one. The issue's limit for the import is 60 s. The last line is
machine-readable: RESULT import_s=<s> rerun_s=<s> resolve_ms_per_1000=<ms>.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = Path(tempfile.gettempdir()) / f"ntm-units-bench-{os.getpid()}.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "ntm_portal.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"  # four slashes: an absolute path

import django

django.setup()

from django.core.management import call_command

from communes.models import AdministrativeUnit, Level, Lineage
from communes.permissions import pick_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=10_000)
    args = parser.parse_args()
    try:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        call_command("import_divisions", stdout=io.StringIO())
        import_s = time.perf_counter() - start
        start = time.perf_counter()
        call_command("import_divisions", stdout=io.StringIO())
        rerun_s = time.perf_counter() - start
        units = AdministrativeUnit.objects.count()
        print(
            f"import_divisions on an empty database: {import_s:.2f} s ({units} units, {Lineage.objects.count()} links)"
        )
        print(f"second run (no change): {rerun_s:.2f} s")

        communes = list(AdministrativeUnit.objects.filter(level=Level.COMMUNE).values("code", "valid_from", "valid_to"))
        codes = sorted({c["code"] for c in communes})
        reused = sorted(
            {c["code"] for c in communes if c["valid_from"]} & {c["code"] for c in communes if c["valid_to"]}
        )
        rng = random.Random(2025)
        first, days = dt.date(2021, 1, 1), (dt.date(2026, 12, 31) - dt.date(2021, 1, 1)).days
        pairs = [
            (rng.choice(reused if rng.random() < 0.2 else codes), first + dt.timedelta(days=rng.randrange(days)))
            for _ in range(args.pairs)
        ]
        start = time.perf_counter()
        resolved = [
            pick_at(list(AdministrativeUnit.objects.filter(code=code, level=Level.COMMUNE)), day) for code, day in pairs
        ]
        resolve_s = time.perf_counter() - start
        wrong = sum(
            1 for (code, day), unit in zip(pairs, resolved, strict=True) if unit is None or not _fits(unit, code, day)
        )
        print(
            f"{args.pairs} (code, day) pairs ({len(reused)} of {len(codes)} commune codes were reused in 2025): "
            f"{resolve_s:.2f} s, {resolve_s * 1000 / args.pairs * 1000:.0f} ms per 1,000; {wrong} wrong"
        )
        assert wrong == 0
        print(
            f"RESULT import_s={import_s:.2f} rerun_s={rerun_s:.2f} "
            f"resolve_ms_per_1000={resolve_s * 1000 / args.pairs * 1000:.0f}"
        )
    finally:
        DB_FILE.unlink(missing_ok=True)


def _fits(unit: AdministrativeUnit, code: str, day: dt.date) -> bool:
    """The unit in force that day, or, when none with the code was, one of its units (the last ended or the first
    to come)."""
    if unit.code != code:
        return False
    in_force = AdministrativeUnit.objects.filter(code=code, level=Level.COMMUNE).current(on=day)
    return unit in in_force if in_force.exists() else True


if __name__ == "__main__":
    main()
