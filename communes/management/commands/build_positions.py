"""Regenerate fixtures/units/positions.csv, a point per commune-level unit of both lists, and its licence notice
POSITIONS-LICENSE.md, from the SQLite data of the MIT-licensed package vietnamadminunits (communes.positions).

The package is neither installed nor imported (it pulls shapely and geopy and can geocode online): download its wheel,
unzip it and pass vietnamadminunits/data/dataset.db with --dataset; the version and the licence are read from the
wheel's .dist-info beside it. The command then lists the units of this database the new file has no point for;
`import_divisions` loads the points.
"""

import sqlite3
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from communes.divisions import LEGACY, SINCE_2025
from communes.positions import (
    NOTICE,
    POSITIONS,
    build_rows,
    commune_units,
    describe_unit,
    file_sha256,
    match_positions,
    render_notice,
    wheel_metadata,
    write_positions,
)

ERA_LABELS = {LEGACY: "trước 01/07/2025", SINCE_2025: "từ 01/07/2025"}


class Command(BaseCommand):
    help = (
        "Tạo lại fixtures/units/positions.csv (tọa độ điểm trung tâm của các xã trước và từ 01/07/2025) và "
        "POSITIONS-LICENSE.md từ tệp dataset.db của gói vietnamadminunits (giấy phép MIT), rồi liệt kê các xã "
        "của cơ sở dữ liệu chưa có tọa độ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dataset",
            type=Path,
            required=True,
            help="Tệp vietnamadminunits/data/dataset.db trong gói wheel đã giải nén",
        )
        parser.add_argument(
            "--license",
            type=Path,
            help="Tệp giấy phép của gói (mặc định: licenses/LICENSE trong thư mục .dist-info của gói wheel)",
        )
        parser.add_argument(
            "--package-version", help="Phiên bản của gói (mặc định: đọc từ tên thư mục .dist-info của gói wheel)"
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=POSITIONS,
            help="Tệp CSV sẽ ghi (mặc định fixtures/units/positions.csv), giấy phép vào POSITIONS-LICENSE.md cạnh nó",
        )

    def handle(self, *args, dataset: Path, output: Path, **options):
        if not dataset.is_file():
            raise CommandError(f"Không thấy tệp {dataset}.")
        found = wheel_metadata(dataset)
        version = options["package_version"] or (found[0] if found else None)
        licence = options["license"] or (found[1] if found else None)
        if not version or not licence:
            raise CommandError(
                "Không tìm thấy phiên bản hoặc giấy phép của gói cạnh tệp dữ liệu: dùng --package-version và --license."
            )
        try:
            build = build_rows(dataset)
        except (ValueError, OSError, sqlite3.Error) as exc:  # not the package's database, or a changed one
            raise CommandError(f"Không đọc được {dataset}: {exc}") from None
        write_positions(build.rows, output)
        notice = render_notice(
            version=version,
            licence_text=licence.read_text(encoding="utf-8"),
            dataset_sha256=file_sha256(dataset),
            generated=timezone.localdate().isoformat(),
            build=build,
        )
        output.with_name(NOTICE.name).write_text(notice, encoding="utf-8")
        counts = ", ".join(f"{build.count(era)} xã {label}" for era, label in ERA_LABELS.items())
        self.stdout.write(f"Đã ghi {output}: {counts} (vietnamadminunits {version}).")
        if build.without_point:
            listed = ", ".join(f"{code} {name} ({ERA_LABELS[era]})" for era, code, name in build.without_point)
            self.stdout.write(
                self.style.WARNING(f"{len(build.without_point)} đơn vị của dữ liệu nguồn không có tọa độ: {listed}")
            )
        self._compare_with_database(build.rows)

    def _compare_with_database(self, rows) -> None:
        units = commune_units()
        if not units.exists():
            self.stdout.write("Cơ sở dữ liệu chưa có xã nào: chạy import_divisions để nạp danh mục và tọa độ.")
            return
        points = {(era, code): (Decimal(lat), Decimal(lon)) for era, code, lat, lon in rows}
        result, _changed = match_positions(points, units)
        missing = result.without_point
        self.stdout.write(
            f"Đối chiếu với cơ sở dữ liệu: {result.total_with_point} xã có tọa độ, {len(missing)} xã chưa có"
            + (": " + ", ".join(describe_unit(unit) for unit in missing) if missing else ".")
        )
        if result.unmatched:
            self.stdout.write(
                f"{len(result.unmatched)} dòng của tệp không ứng với đơn vị nào của cơ sở dữ liệu: "
                + ", ".join(f"{code} ({ERA_LABELS[era]})" for era, code in result.unmatched)
            )
        self.stdout.write(self.style.SUCCESS("Chạy import_divisions để nạp tọa độ vào cơ sở dữ liệu."))
