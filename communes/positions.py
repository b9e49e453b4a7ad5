"""A point (centroid) for every commune-level unit of both lists, to place units on a map.

The points are reference data: fixtures/units/positions.csv (`era,code,latitude,longitude`, era `legacy` for the list
before 01/07/2025 and `2025` for the list since), made by `build_positions` from the SQLite file of the MIT-licensed
package vietnamadminunits (its tables `admin_units_legacy` and `admin_units`), with the notice and the source in
fixtures/units/POSITIONS-LICENSE.md. The portal never imports that package: it pulls shapely and geopy and can
geocode online. Points are matched by (era, code), since codes were reused in 2025 (23341 was Thị trấn Đắk Glei and
is Xã Đăk Pék). `import_divisions` loads the file after the lists, so every database with the units has the points.
"""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q

from communes.divisions import LEGACY, SINCE_2025
from communes.models import REFORM_DATE, AdministrativeUnit, Level

POSITIONS = Path(settings.BASE_DIR) / "fixtures" / "units" / "positions.csv"
NOTICE = POSITIONS.with_name("POSITIONS-LICENSE.md")
HEADER = ["era", "code", "latitude", "longitude"]
ERAS = [LEGACY, SINCE_2025]
# The dataset's table for each list, and its columns for a commune-level unit (a row without a ward code is a
# district with no communes, such as the island districts).
TABLES = {LEGACY: "admin_units_legacy", SINCE_2025: "admin_units"}
COLUMNS = "wardCode, ward, wardLat, wardLon"
SOURCE_URL = "https://pypi.org/project/vietnamadminunits/{version}/"
REPOSITORY_URL = "https://github.com/tranngocminhhieu/vietnamadminunits"

Point = tuple[Decimal, Decimal]
SIX_DECIMALS = Decimal("0.000001")


# ---------------------------------------------------------------- loading the fixture into the units


@dataclass
class LoadResult:
    with_point: Counter = field(default_factory=Counter)  # era -> commune-level units with a point
    updated: int = 0
    without_point: list[AdministrativeUnit] = field(default_factory=list)  # by era, then code
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (era, code) of rows naming no unit

    @property
    def total_with_point(self) -> int:
        return sum(self.with_point.values())


def era_of(unit: AdministrativeUnit) -> str:
    return LEGACY if unit.valid_from is None else SINCE_2025


def commune_units():
    """The commune-level units of both lists (as communes.divisions keys them), the list before the reform first."""
    return (
        AdministrativeUnit.objects.filter(level=Level.COMMUNE)
        .filter(Q(valid_from__isnull=True) | Q(valid_from=REFORM_DATE))
        .only("pk", "code", "name", "valid_from", "latitude", "longitude")
        .order_by(F("valid_from").asc(nulls_first=True), "code")
    )


def read_positions(path: Path = POSITIONS) -> dict[tuple[str, str], Point]:
    """(era, code) -> (latitude, longitude) of the fixture."""
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames != HEADER:
            raise ValueError(f"{path}: cột phải là {','.join(HEADER)}, không phải {reader.fieldnames}")
        return {(row["era"], row["code"]): _point(row, path, reader.line_num) for row in reader}


def _point(row: dict, path: Path, line: int) -> Point:
    # Rounded as the columns store them (six decimals), or a hand-edited longer value would differ on every run.
    try:
        latitude, longitude = (Decimal(row[name]).quantize(SIX_DECIMALS) for name in ("latitude", "longitude"))
    except (ArithmeticError, TypeError):
        raise ValueError(f"{path}, dòng {line}: tọa độ không phải là số") from None
    if row["era"] not in ERAS or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"{path}, dòng {line}: giai đoạn hoặc tọa độ không hợp lệ")
    return latitude, longitude


def match_positions(points: dict[tuple[str, str], Point], units) -> tuple[LoadResult, list[AdministrativeUnit]]:
    """Which units the points are for, without saving: the counts, and the units whose point would change (set on
    them in memory). A unit the file has no point for keeps one entered by hand; only one with none is listed."""
    result, changed, seen = LoadResult(), [], set()
    for unit in units:
        key = (era_of(unit), unit.code)
        point = points.get(key)
        if point is None:
            if unit.latitude is None or unit.longitude is None:
                result.without_point.append(unit)
            else:
                result.with_point[key[0]] += 1
            continue
        seen.add(key)
        result.with_point[key[0]] += 1
        if (unit.latitude, unit.longitude) != point:
            unit.latitude, unit.longitude = point
            changed.append(unit)
    result.unmatched = sorted(set(points) - seen, key=lambda key: (ERAS.index(key[0]), key[1]))
    return result, changed


@transaction.atomic
def load_positions(*, path: Path = POSITIONS) -> LoadResult:
    """Give every commune-level unit of both lists its point from the fixture; running it again changes nothing."""
    result, changed = match_positions(read_positions(path), commune_units())
    _save_points(changed)
    result.updated = len(changed)
    return result


def _save_points(units: list[AdministrativeUnit]) -> None:
    # bulk_update builds a CASE over every row: the first load's 13,000 points took 6 s on SQLite, more than the rest
    # of import_divisions. One prepared UPDATE run per row takes a fraction of a second on both databases.
    meta = AdministrativeUnit._meta
    quote = connection.ops.quote_name
    latitude, longitude, pk = (quote(meta.get_field(name).column) for name in ("latitude", "longitude", "id"))
    sql = f"UPDATE {quote(meta.db_table)} SET {latitude} = %s, {longitude} = %s WHERE {pk} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(unit.latitude, unit.longitude, unit.pk) for unit in units])


def describe_unit(unit: AdministrativeUnit) -> str:
    era = "trước 01/07/2025" if era_of(unit) == LEGACY else "từ 01/07/2025"
    return f"{unit.code} {unit.name} ({era})"


# ---------------------------------------------------------------- building the fixture from vietnamadminunits


@dataclass
class BuildResult:
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)  # era, code, latitude, longitude
    without_point: list[tuple[str, str, str]] = field(default_factory=list)  # era, code, name in the dataset
    shared_points: Counter = field(default_factory=Counter)  # era -> rows whose point another row has too

    def count(self, era: str) -> int:
        return sum(1 for row in self.rows if row[0] == era)


def build_rows(dataset: Path) -> BuildResult:
    """The fixture's rows from vietnamadminunits' dataset.db, read-only, both lists, by era then code."""
    result = BuildResult()
    database = sqlite3.connect(f"{Path(dataset).resolve().as_uri()}?mode=ro", uri=True)
    try:
        for era in ERAS:
            query = f"SELECT {COLUMNS} FROM {TABLES[era]} WHERE wardCode IS NOT NULL"  # constant names only
            rows = database.execute(query).fetchall()
            era_rows = _era_rows(era, rows, result)
            points = Counter(row[2:] for row in era_rows)
            result.shared_points[era] = sum(1 for row in era_rows if points[row[2:]] > 1)
            result.rows += era_rows
    finally:
        database.close()
    return result


def _era_rows(era: str, rows: list[tuple], result: BuildResult) -> list[tuple[str, str, str, str]]:
    found: dict[str, tuple[str, str, str, str]] = {}
    for raw_code, name, latitude, longitude in rows:
        code = f"{int(raw_code):05d}"
        if code in found:
            raise ValueError(f"{TABLES[era]}: mã {code} có hai dòng")
        if not _valid(latitude, -90, 90) or not _valid(longitude, -180, 180):
            result.without_point.append((era, code, name or ""))
            continue
        found[code] = (era, code, _coordinate(latitude), _coordinate(longitude))
    return [found[code] for code in sorted(found)]


def _valid(value, low: int, high: int) -> bool:
    return isinstance(value, int | float) and low <= value <= high


def _coordinate(value: float) -> str:
    # Six decimals are about 0.1 m, far finer than a centroid; trailing zeros would only grow the file.
    return f"{value:.6f}".rstrip("0").rstrip(".")


def write_positions(rows: list[tuple[str, str, str, str]], path: Path = POSITIONS) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def wheel_metadata(dataset: Path) -> tuple[str, Path] | None:
    """(version, licence file) of the unpacked wheel the dataset comes from, when it sits in one
    (<root>/vietnamadminunits/data/dataset.db beside <root>/vietnamadminunits-<version>.dist-info/)."""
    parents = Path(dataset).resolve().parents
    if len(parents) < 3:
        return None
    for info in sorted(parents[2].glob("vietnamadminunits-*.dist-info")):
        licence = info / "licenses" / "LICENSE"
        if licence.exists():
            return info.name.removeprefix("vietnamadminunits-").removesuffix(".dist-info"), licence
    return None


def render_notice(*, version: str, licence_text: str, dataset_sha256: str, generated: str, build: BuildResult) -> str:
    """fixtures/units/POSITIONS-LICENSE.md: where the points come from, and the licence they come under."""
    counts = ", ".join(f"{build.count(era)} `{era}`" for era in ERAS)
    command = "python manage.py build_positions --dataset <unpacked wheel>/vietnamadminunits/data/dataset.db"
    return f"""# Positions of the commune-level units: source and licence

`positions.csv` gives one point per commune-level unit (xã, phường, thị trấn, đặc khu) of both lists of
administrative units. `era` is `legacy` for the list in force until 30/06/2025 and `2025` for the list since
01/07/2025; `code` is the statistics office's code, matched together with the era (codes were reused in 2025);
`latitude` and `longitude` are WGS 84 degrees, at most six decimals. Rows: {counts}.

## Source

- Package: **vietnamadminunits {version}** by Tran Ngoc Minh Hieu, under the MIT licence below.
- Release: {SOURCE_URL.format(version=version)}
- Repository: {REPOSITORY_URL}
- File: `vietnamadminunits/data/dataset.db` of the wheel, SHA-256 `{dataset_sha256}`.
- Columns `wardCode`, `wardLat`, `wardLon` of table `{TABLES[LEGACY]}` (era `legacy`) and of table
  `{TABLES[SINCE_2025]}` (era `2025`). Nothing else of the package is used, and the portal does not depend on it.
- Generated on {generated} by `{command}`, which rewrites this file too.

## Notes

- The package's README names its sources: danhmuchanhchinh.gso.gov.vn, sapnhap.bando.com.vn and the Google
  Geocoding API. Its legacy table keeps the address each point was geocoded from (column `wardGeoAddress`), and
  {build.shared_points[LEGACY]} legacy rows share their point with another row, most likely a district's or a
  province's point where geocoding found no commune: good enough to place a unit on a map, not for distances.
- `import_divisions` loads this file and lists the units of the database it has no point for; so does
  `build_positions` after writing it.

## Licence of the source data

```text
{licence_text.strip()}
```
"""
