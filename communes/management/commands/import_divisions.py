"""Load both lists of Vietnam's administrative units and the lineage between them (communes.divisions).

Before the reform: 63 provinces, 696 districts, 10,051 communes, in force until 30/06/2025. Since 01/07/2025:
34 provinces, 3,321 communes. Running it again changes nothing and says so, so it is safe in `make run`; after a
newer package it says what changed (renames, kinds, new links). Then it gives the communes their points for maps from
fixtures/units/positions.csv (communes.positions) and lists those the file has no point for.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from communes.divisions import LEGACY, SINCE_2025, import_all, package_version
from communes.models import Kind, Level
from communes.positions import POSITIONS, LoadResult, describe_unit, load_positions
from communes.signals import units_imported

LABELS = {Level.PROVINCE: "tỉnh", Level.DISTRICT: "huyện", Level.COMMUNE: "xã"}
ERAS = {LEGACY: "Trước 01/07/2025", SINCE_2025: "Từ 01/07/2025"}
LISTED = 50  # units without a point named in the output (all of them with -v 2)


class Command(BaseCommand):
    help = (
        "Nạp danh mục đơn vị hành chính trước cải cách (63 tỉnh, 696 huyện, 10.051 xã, đến 30/06/2025) và từ "
        "01/07/2025 (34 tỉnh, 3.321 xã), cùng quan hệ sáp nhập, chia tách, từ gói vietnam-provinces."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            result = import_all()
            positions = load_positions() if POSITIONS.exists() else None
            if result.changed or result.classified or (positions is not None and positions.updated):
                units_imported.send(sender=self.__class__)
        self.stdout.write(f"Nguồn: {package_version()}")
        for era, era_label in ERAS.items():
            self.stdout.write(f"{era_label}:")
            for (count_era, level), c in result.counts.items():
                if count_era != era:
                    continue
                self.stdout.write(
                    f"  {LABELS[level]}: {c.total} (mới {c.created}, cập nhật {c.updated}, không đổi {c.unchanged})"
                )
                for rename in c.renamed:
                    self.stdout.write(f"    đổi tên, loại: {rename}")
            kinds = result.kinds[era]
            self.stdout.write(
                "  trong đó " + ", ".join(f"{kinds[k]} {label.lower()}" for k, label in Kind.choices if kinds.get(k))
            )
        self.stdout.write(
            f"Sáp nhập, chia tách: {result.links_total} liên kết (mới {result.links_created}, cập nhật "
            f"{result.links_updated}); {result.split_units} xã cũ được chia cho nhiều xã mới; "
            f"{result.corrections} điều chỉnh từ fixtures/units/corrections-2025.yaml."
        )
        if result.classified:
            self.stdout.write(f"Vùng, cờ TDMNPB thừa hưởng từ đơn vị tiền thân: {result.classified} xã mới.")
        if result.without_successor:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.without_successor)} xã cũ chưa có đơn vị kế tiếp: "
                    + ", ".join(result.without_successor[:30])
                )
            )
        self._report_positions(positions, options["verbosity"])
        if result.changed or result.classified or (positions and positions.updated):
            self.stdout.write(self.style.SUCCESS("Đã cập nhật danh mục."))
        else:
            self.stdout.write(self.style.SUCCESS("Danh mục đã đầy đủ, không có thay đổi."))

    def _report_positions(self, positions: LoadResult | None, verbosity: int) -> None:
        if positions is None:
            self.stdout.write(self.style.WARNING(f"Không có tệp {POSITIONS.name}: chưa nạp tọa độ các xã."))
            return
        missing = positions.without_point
        line = (
            f"Tọa độ: {positions.total_with_point} xã có tọa độ (cập nhật {positions.updated}), "
            f"{len(missing)} xã chưa có"
        )
        if not missing:
            self.stdout.write(line + ".")
            return
        shown = missing if verbosity > 1 else missing[:LISTED]
        more = f" và {len(missing) - len(shown)} xã khác" if len(shown) < len(missing) else ""
        self.stdout.write(self.style.WARNING(f"{line}: " + ", ".join(describe_unit(u) for u in shown) + more))
