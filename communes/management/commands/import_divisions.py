"""Load the pre-2025 administrative units of Vietnam from the vietnam-provinces package.

The package's `legacy` data is the National Statistics Office list as of 2025-01-04: 63 provinces, 696 districts
and 10,051 communes, in force until 30/06/2025. Running it again changes nothing and says so, so it is safe in
`make run`.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from communes.models import AdministrativeUnit, Level, split_name
from communes.regions import PROVINCE_REGIONS

FIELDS = ["name", "short_name", "kind", "parent_id", "path", "search_key", "sort_key", "region"]


class Command(BaseCommand):
    help = "Nạp danh mục đơn vị hành chính trước năm 2025 (63 tỉnh, 696 huyện, 10.051 xã) từ gói vietnam-provinces."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = import_divisions(legacy_divisions())
        total_new = sum(c["created"] for c in counts.values())
        total_changed = sum(c["updated"] for c in counts.values())
        for level, label in ((Level.PROVINCE, "tỉnh"), (Level.DISTRICT, "huyện"), (Level.COMMUNE, "xã")):
            c = counts[level]
            self.stdout.write(
                f"{label}: {c['total']} (mới {c['created']}, cập nhật {c['updated']}, không đổi {c['unchanged']})"
            )
        if total_new == 0 and total_changed == 0:
            self.stdout.write(self.style.SUCCESS("Danh mục đã đầy đủ, không có thay đổi."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nạp: {total_new} đơn vị mới, {total_changed} đơn vị cập nhật."))


def legacy_divisions() -> list[dict]:
    """The pre-reform list as nested provinces > districts > wards (the shape the package's JSON had until 2025)."""
    from vietnam_provinces import legacy

    wards: dict[int, list[dict]] = {}
    for ward in legacy.Ward.iter_all():
        wards.setdefault(int(ward.district_code), []).append({"code": int(ward.code), "name": ward.name})
    districts: dict[int, list[dict]] = {}
    for district in legacy.District.iter_all():
        districts.setdefault(int(district.province_code), []).append(
            {"code": int(district.code), "name": district.name, "wards": wards.get(int(district.code), [])}
        )
    return [
        {"code": int(province.code), "name": province.name, "districts": districts.get(int(province.code), [])}
        for province in legacy.Province.iter_all()
    ]


def import_divisions(provinces: list[dict]) -> dict[str, dict[str, int]]:
    """Create or update every unit of the nested list, level by level, in bulk."""
    counts = {}
    parents: dict[str, AdministrativeUnit] = {}
    rows = []
    for province in provinces:
        rows.append((Level.PROVINCE, f"{province['code']:02d}", province["name"], None))
    counts[Level.PROVINCE] = _sync_level(Level.PROVINCE, rows, parents)

    rows = []
    for province in provinces:
        for district in province["districts"]:
            rows.append((Level.DISTRICT, f"{district['code']:03d}", district["name"], f"{province['code']:02d}"))
    counts[Level.DISTRICT] = _sync_level(Level.DISTRICT, rows, parents)

    rows = []
    for province in provinces:
        for district in province["districts"]:
            for ward in district["wards"]:
                rows.append((Level.COMMUNE, f"{ward['code']:05d}", ward["name"], f"{district['code']:03d}"))
    counts[Level.COMMUNE] = _sync_level(Level.COMMUNE, rows, parents)
    return counts


def _sync_level(level: str, rows: list[tuple], parents: dict[str, AdministrativeUnit]) -> dict[str, int]:
    parent_level = {Level.DISTRICT: Level.PROVINCE, Level.COMMUNE: Level.DISTRICT}.get(level)
    existing = {u.code: u for u in AdministrativeUnit.objects.filter(level=level)}
    to_create, to_update, unchanged = [], [], 0
    for _level, code, name, parent_code in rows:
        kind, short_name = split_name(name, level)
        parent = parents[f"{parent_level}:{parent_code}"] if parent_code else None
        unit = existing.get(code) or AdministrativeUnit(code=code, level=level)
        before = {f: getattr(unit, f) for f in FIELDS} if unit.pk else None
        unit.name, unit.short_name, unit.kind, unit.parent = name, short_name, kind, parent
        if level == Level.PROVINCE:
            # Keep a region an administrator corrected by hand; fill it only when empty.
            unit.region = unit.region or PROVINCE_REGIONS.get(code, "")
        unit.refresh_derived_fields()
        if before is None:
            to_create.append(unit)
        elif before != {f: getattr(unit, f) for f in FIELDS}:
            to_update.append(unit)
        else:
            unchanged += 1
        parents[f"{level}:{code}"] = unit
    # bulk_create sets primary keys on PostgreSQL and SQLite >= 3.35, which the next level needs as parent ids.
    AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
    AdministrativeUnit.objects.bulk_update(to_update, FIELDS, batch_size=2000)
    return {"total": len(rows), "created": len(to_create), "updated": len(to_update), "unchanged": unchanged}
