"""Both lists of Vietnam's administrative units, and the lineage between them, from vietnam-provinces.

Before the reform (the package's `legacy` data, the statistics office's list of 2025-01-04): 63 provinces, 696
districts and 10,051 communes, in force until 30/06/2025. Since 01/07/2025: 34 provinces and 3,321 communes, no
districts. A unit is keyed by its level, its code and the day it starts (codes were reused: 23341 was Thị trấn Đắk
Glei and is Xã Đăk Pék), so loading one list never touches the other's units.

The lineage comes from the package's public API (each new unit's legacy sources). A legacy commune listed among
the sources of several new ones was divided: each of its links is marked split, so its figures are never carried
whole to one of them. What the package's table lacks or gets wrong is in fixtures/units/corrections-2025.yaml,
with its sources.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import connection
from django.utils import timezone

from communes import names
from communes.models import REFORM_DATE, AdministrativeUnit, Level, Lineage, split_name
from communes.regions import PROVINCE_REGIONS

FIELDS = [
    "name",
    "short_name",
    "kind",
    "former_names",
    "parent_id",
    "path",
    "search_key",
    "sort_key",
    "region",
    "valid_to",
]
CORRECTIONS = Path(settings.BASE_DIR) / "fixtures" / "units" / "corrections-2025.yaml"
LEGACY, SINCE_2025 = "legacy", "2025"


@dataclass
class LevelCount:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    renamed: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    counts: dict[tuple[str, str], LevelCount] = field(default_factory=dict)  # (era, level) -> counts
    kinds: dict[str, Counter] = field(default_factory=dict)  # era -> commune kinds
    links_created: int = 0
    links_updated: int = 0
    links_total: int = 0
    split_units: int = 0
    without_successor: list[str] = field(default_factory=list)
    corrections: int = 0
    classified: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.links_created or self.links_updated or any(c.created or c.updated for c in self.counts.values())
        )


def package_version() -> str:
    import vietnam_provinces

    return f"vietnam-provinces {vietnam_provinces.__version__} (dữ liệu {vietnam_provinces.__data_version__})"


def legacy_rows() -> dict[str, list[tuple[str, str, str | None]]]:
    """Level -> (code, name, parent code) of the list before the reform."""
    from vietnam_provinces import legacy

    return {
        Level.PROVINCE: [(f"{int(p.code):02d}", p.name, None) for p in legacy.Province.iter_all()],
        Level.DISTRICT: [
            (f"{int(d.code):03d}", d.name, f"{int(d.province_code):02d}") for d in legacy.District.iter_all()
        ],
        Level.COMMUNE: [(f"{int(w.code):05d}", w.name, f"{int(w.district_code):03d}") for w in legacy.Ward.iter_all()],
    }


def current_rows() -> dict[str, list[tuple[str, str, str | None]]]:
    """Level -> (code, name, parent code) of the list since the reform: communes sit under their province."""
    from vietnam_provinces import Province, Ward

    return {
        Level.PROVINCE: [(f"{int(p.code):02d}", p.name, None) for p in Province.iter_all()],
        Level.COMMUNE: [(f"{int(w.code):05d}", w.name, f"{int(w.province_code):02d}") for w in Ward.iter_all()],
    }


def import_all() -> ImportResult:
    """Both lists, then the lineage; the caller holds the transaction."""
    result = ImportResult()
    renames = correction_renames()
    units = {
        LEGACY: _sync_era(LEGACY, legacy_rows(), result, renames),
        SINCE_2025: _sync_era(SINCE_2025, current_rows(), result, renames),
    }
    _sync_lineage(units, result)
    result.classified = inherit_classification()
    analyze_tables(AdministrativeUnit, Lineage)
    return result


def analyze_tables(*models) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load. Until autovacuum gets to them (and never inside
    the loading transaction) the planner may scan the unit table once per row of a join: seconds per query."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def _sync_era(
    era: str, rows: dict[str, list[tuple]], result: ImportResult, renames: dict
) -> dict[str, dict[str, AdministrativeUnit]]:
    parent_level = {Level.DISTRICT: Level.PROVINCE, Level.COMMUNE: Level.DISTRICT if era == LEGACY else Level.PROVINCE}
    units: dict[str, dict[str, AdministrativeUnit]] = {}
    for level, level_rows in rows.items():
        parents = units.get(parent_level.get(level, ""), {})
        units[level] = _sync_level(era, level, level_rows, parents, result, renames)
    result.kinds[era] = Counter(u.kind for u in units[Level.COMMUNE].values())
    return units


def _era_units(era: str, level: str):
    units = AdministrativeUnit.objects.filter(level=level)
    return units.filter(valid_from__isnull=True) if era == LEGACY else units.filter(valid_from=REFORM_DATE)


def _sync_level(era, level, rows, parents, result: ImportResult, renames: dict | None = None):
    """One level of one list: create what is new, update what changed; returns the units by code."""
    existing = {u.code: u for u in _era_units(era, level)}
    renames = correction_renames() if renames is None else renames
    count = LevelCount(total=len(rows))
    to_create, to_update, units = [], [], {}
    for code, name, parent_code in rows:
        unit = existing.get(code) or AdministrativeUnit(
            code=code, level=level, valid_from=REFORM_DATE if era == SINCE_2025 else None
        )
        before = {f: getattr(unit, f) for f in FIELDS} if unit.pk else None
        if before and unit.name != name:
            # A rename or a change of kind (a province that became a city) is the same unit under a new name.
            count.renamed.append(f"{unit.name} → {name}")
        _rename(unit, name, level, renames.get((era, level, code), []))
        unit.parent = parents[parent_code] if parent_code else None
        if era == LEGACY:
            unit.valid_to = REFORM_DATE
            if level == Level.PROVINCE:
                # Keep a region an administrator corrected by hand; fill it only when empty.
                unit.region = unit.region or PROVINCE_REGIONS.get(code, "")
        unit.refresh_derived_fields()
        if before is None:
            to_create.append(unit)
        elif before != {f: getattr(unit, f) for f in FIELDS}:
            to_update.append(unit)
        units[code] = unit
    # bulk_create sets primary keys on PostgreSQL and SQLite >= 3.35, which the next level needs as parent ids.
    AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
    AdministrativeUnit.objects.bulk_update(to_update, FIELDS, batch_size=2000)
    count.created, count.updated = len(to_create), len(to_update)
    count.unchanged = count.total - count.created - count.updated
    result.counts[(era, level)] = count
    return units


def _rename(unit: AdministrativeUnit, name: str, level: str, corrections: list[dict]) -> None:
    """Give the unit the list's name, keeping the one it replaces (and the correction file's) as former names."""
    kind, short_name = split_name(name, level)
    if unit.pk and unit.name != name:
        # The data has no effective date: the day of the run is when the change was seen, not when it happened.
        entry = names.former_name(
            name=unit.name,
            short_name=unit.short_name,
            kind=unit.kind,
            until=timezone.localdate(),
            source=f"{package_version()}: tên mới thấy khi nạp lại danh mục, chưa rõ ngày đổi",
        )
        # The correction file may know this rename with a better date: its entry wins, the run's is then skipped.
        unit.former_names = names.with_rename(_with_corrections(unit.former_names, corrections, name), entry)
    else:
        unit.former_names = _with_corrections(unit.former_names, corrections, name)
    unit.name, unit.kind, unit.short_name = name, kind, short_name


def _with_corrections(former_names: list[dict], corrections: list[dict], name: str) -> list[dict]:
    # A correction whose name is still the list's current one (an older package) is not a former name yet.
    for entry in corrections:
        if entry["name"] != name:
            former_names = names.with_entry(former_names, entry)
    return former_names


def correction_renames() -> dict[tuple[str, str, str], list[dict]]:
    """(list, level, code) -> former names the package's data does not keep, from the correction file."""
    renames: dict[tuple[str, str, str], list[dict]] = {}
    for item in load_corrections().get("renames", []):
        level = str(item["level"])
        kind, short_name = split_name(item["name"], level)
        entry = names.former_name(
            name=item["name"],
            short_name=short_name,
            kind=kind,
            until=item["until"],
            source=f"fixtures/units/corrections-2025.yaml: {item.get('source', '')}",
            date_verified=item.get("date_verified", False),
        )
        renames.setdefault((str(item["era"]), level, str(item["code"])), []).append(entry)
    return renames


# ---------------------------------------------------------------- lineage


def lineage_pairs() -> tuple[list[tuple[str, str, str]], int]:
    """(new commune code, legacy commune code, source) of every link, corrections applied; and how many
    corrections. Province links are not read from the package: they follow from the communes' (the package's
    province table names Tiền Giang among Tây Ninh's sources because of two rows with a wrong province)."""
    from vietnam_provinces import Ward

    source = package_version()
    corrections = load_corrections()
    pairs = [
        (f"{int(ward.code):05d}", f"{int(old.code):05d}", source)
        for ward in Ward.iter_all()
        for old in ward.get_legacy_sources()
    ]
    false = {(str(link["successor"]), str(link["legacy_code"])) for link in corrections.get("false_links", [])}
    pairs = [pair for pair in pairs if pair[:2] not in false]
    for item in corrections.get("successors", []):
        pairs += [(str(new), str(item["legacy_code"]), _correction_source(item)) for new in item["successors"]]
    applied = sum(len(corrections.get(key, [])) for key in ("successors", "false_links", "province_fixes", "renames"))
    return pairs, applied


def _correction_source(item: dict) -> str:
    text = f"fixtures/units/corrections-2025.yaml: {item.get('source', '')}"
    return (text if item.get("verified", False) else f"{text} (chưa kiểm chứng)")[:300]


def load_corrections() -> dict:
    if not CORRECTIONS.exists():
        return {}
    return yaml.safe_load(CORRECTIONS.read_text(encoding="utf-8")) or {}


def _sync_lineage(units: dict, result: ImportResult) -> None:
    pairs, result.corrections = lineage_pairs()
    new_communes, old_communes = units[SINCE_2025][Level.COMMUNE], units[LEGACY][Level.COMMUNE]
    links = [(new_communes.get(new), old_communes.get(old), source) for new, old, source in pairs]
    # A code of the table in neither list (27076, made and gone within 2025) links nothing.
    links = [(new, old, source) for new, old, source in links if new is not None and old is not None]
    successors_of = Counter(old.pk for _new, old, _source in links)
    wanted = {(new.pk, old.pk): (successors_of[old.pk] > 1, source) for new, old, source in links}
    provinces = {LEGACY: units[LEGACY][Level.PROVINCE], SINCE_2025: units[SINCE_2025][Level.PROVINCE]}
    for new, old, source in links:
        new_province = provinces[SINCE_2025][new.province_code]
        old_province = provinces[LEGACY][old.province_code]
        wanted.setdefault((new_province.pk, old_province.pk), (False, source))
    result.links_created, result.links_updated = _save_links(wanted)
    result.links_total = len(wanted)
    result.split_units = sum(1 for n in successors_of.values() if n > 1)
    linked = set(successors_of)
    result.without_successor = sorted(f"{u.code} {u.name}" for u in old_communes.values() if u.pk not in linked)


def _save_links(wanted: dict[tuple[int, int], tuple[bool, str]]) -> tuple[int, int]:
    existing = {(link.successor_id, link.predecessor_id): link for link in Lineage.objects.all()}
    to_create, to_update = [], []
    for (successor_id, predecessor_id), (is_split, source) in wanted.items():
        link = existing.get((successor_id, predecessor_id))
        if link is None:
            to_create.append(
                Lineage(successor_id=successor_id, predecessor_id=predecessor_id, is_split=is_split, source=source)
            )
        elif (link.is_split, link.source) != (is_split, source):
            link.is_split, link.source = is_split, source
            to_update.append(link)
    Lineage.objects.bulk_create(to_create, batch_size=2000)
    Lineage.objects.bulk_update(to_update, ["is_split", "source"], batch_size=2000)
    return len(to_create), len(to_update)


# ---------------------------------------------------------------- classification for the 2021-2025 thresholds


def inherit_classification() -> int:
    """Give each post-reform commune without a region the region of its predecessors' provinces, and the TDMNPB
    flag of its predecessors, by the most predecessors; where they disagree, say so in classification_note for the
    office to settle (a region or flag set by hand is never overwritten). Returns how many communes were filled."""
    communes = list(
        AdministrativeUnit.objects.filter(level=Level.COMMUNE, valid_from=REFORM_DATE, region="").prefetch_related(
            "predecessors"
        )
    )
    regions = dict(
        AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_from__isnull=True).values_list("path", "region")
    )
    changed = []
    for commune in communes:
        predecessors = list(commune.predecessors.all())
        if not predecessors:
            continue
        region_votes = Counter(regions.get(p.province_path, "") for p in predecessors)
        flag_votes = Counter(p.applies_tdmnpb_thresholds for p in predecessors)
        commune.region = region_votes.most_common(1)[0][0]
        commune.applies_tdmnpb_thresholds = flag_votes.most_common(1)[0][0]
        notes = []
        if len(region_votes) > 1:
            notes.append("vùng: " + ", ".join(f"{region or '?'} ({n} đơn vị)" for region, n in region_votes.items()))
        if len(flag_votes) > 1:
            notes.append(f"ngưỡng TDMNPB: {flag_votes[True]} đơn vị có, {flag_votes[False]} đơn vị không")
        commune.classification_note = ("Các đơn vị tiền thân khác nhau về " + "; ".join(notes))[:300] if notes else ""
        changed.append(commune)
    AdministrativeUnit.objects.bulk_update(
        changed, ["region", "applies_tdmnpb_thresholds", "classification_note"], batch_size=2000
    )
    return len(changed)
