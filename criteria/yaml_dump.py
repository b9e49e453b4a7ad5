"""Criteria sets as YAML text (the format of docs/criteria-yaml.md): what export writes, and what an import is
compared with to tell whether it changes anything.

A set in the database and a parsed file are written by the same function, from the same plain shape (the one
criteria.yaml_io.parse_criteria_yaml returns), so export, import and export again gives the same text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import yaml

from criteria.models import CriteriaSet, MeasureKind

if TYPE_CHECKING:
    from criteria.yaml_io import ParsedSet


def dump_criteria_set(criteria_set: CriteriaSet) -> str:
    """The set as YAML text; export, import and export again gives the same text."""
    from criteria.definitions import sets_with_contents

    criteria_set = sets_with_contents(CriteriaSet.objects.filter(pk=criteria_set.pk)).get()
    programme = criteria_set.programme
    measures: dict[str, dict] = {}
    criteria = []
    for criterion in criteria_set.criteria.all():
        indicators = []
        for indicator in criterion.indicators.all():
            for measure in [indicator.measure, *(t.condition_measure for t in indicator.thresholds.all())]:
                if measure is not None:
                    measures.setdefault(measure.code, _measure_data(measure))
            indicators.append(_indicator_data(indicator))
        criteria.append(
            {
                "number": criterion.number,
                "name": criterion.name,
                "name_en": criterion.name_en,
                "group": criterion.group,
                "department": criterion.department,
                "is_key": criterion.is_key,
                "kind": criterion.kind,
                "note": criterion.note,
                "indicators": indicators,
            }
        )
    set_data = {
        "code": criteria_set.code,
        "name": criteria_set.name,
        "level": criteria_set.level,
        "unit_kinds": list(criteria_set.unit_kinds or []),
        "tier": criteria_set.tier,
        "rank": criteria_set.rank,
        "legal_basis": criteria_set.legal_basis,
        "province_code": criteria_set.province_code,
        "province_name": criteria_set.province_name,
        "derived_from": criteria_set.derived_from.code if criteria_set.derived_from else "",
        "status": criteria_set.status,
        "description": criteria_set.description,
        "illustrative": criteria_set.illustrative,
        "effective_from": criteria_set.effective_from,
    }
    programme_data = {key: getattr(programme, key) for key in ("code", "name", "legal_basis", "start_year", "end_year")}
    programme_data |= {
        key: getattr(programme, key) for key in ("starts_on", "ends_on", "buckets") if getattr(programme, key)
    }
    return _document(programme_data, set_data, list(measures.values()), criteria)


def _measure_data(measure) -> dict:
    return {
        "code": measure.code,
        "name": measure.name,
        "name_en": measure.name_en,
        "kind": measure.kind,
        "unit": measure.unit,
        "min_value": measure.min_value,
        "max_value": measure.max_value,
        "levels": list(measure.levels or []),
    }


def _indicator_data(indicator) -> dict:
    is_level = indicator.measure is not None and indicator.measure.kind == MeasureKind.LEVEL
    return {
        "code": indicator.code,
        "official_code": indicator.official_code,
        "name": indicator.name,
        "measure": indicator.measure.code if indicator.measure else None,
        "comparison": indicator.comparison,
        "reference": indicator.reference,
        "multiplier": indicator.multiplier,
        "note": indicator.note,
        "thresholds": [
            {
                "value": t.value,
                # A level threshold is its level's name; a number's stray level text is not part of it.
                "level_value": t.level_value if is_level else "",
                "region": t.region,
                "tdmnpb_rule": t.tdmnpb_rule,
                "commune_group": t.commune_group,
                "year": t.year,
                "when": _condition_data(t),
                "source": t.source,
                "verified": t.verified,
            }
            for t in indicator.thresholds.all()
        ],
    }


def _condition_data(t) -> dict | None:
    if t.condition_measure_id is None:
        return None
    return {"measure": t.condition_measure.code, "comparison": t.condition_comparison, "value": t.condition_value}


def dump_parsed(parsed: ParsedSet) -> str:
    """The text a parsed file would export to, to tell whether an import changes anything."""
    return _document(parsed.programme, parsed.set, parsed.measures, parsed.criteria)


def _document(programme: dict, set_data: dict, measures: list[dict], criteria: list[dict]) -> str:
    """The YAML of a set given in the shape parse_criteria_yaml returns; only the measures its indicators read."""
    used = {i["measure"] for c in criteria for i in c["indicators"] if i["measure"]}
    used |= {t["when"]["measure"] for c in criteria for i in c["indicators"] for t in i["thresholds"] if t.get("when")}
    s = set_data
    document = {
        "programme": {
            key: programme[key].isoformat() if key in ("starts_on", "ends_on") else programme.get(key)
            for key in ("code", "name", "legal_basis", "start_year", "end_year", "starts_on", "ends_on", "buckets")
            # The days and bands are written only when set: a programme without them judges by its years.
            if key not in ("starts_on", "ends_on", "buckets") or programme.get(key)
        },
        "set": {
            "code": s["code"],
            "name": s["name"],
            "level": s["level"],
            "applies_to": s.get("unit_kinds") or [],
            "tier": s["tier"],
            "rank": s["rank"],
            "legal_basis": s["legal_basis"],
            "province": {"code": s["province_code"], "name": s["province_name"]} if s["province_code"] else None,
            "derived_from": s["derived_from"] or None,
            "status": s["status"],
            "description": s["description"],
            **({"illustrative": True} if s.get("illustrative") else {}),
            **({"effective_from": s["effective_from"].isoformat()} if s.get("effective_from") else {}),
        },
        "measures": [
            {
                "code": m["code"],
                "name": m["name"],
                "name_en": m["name_en"],
                "kind": m["kind"],
                "unit": m["unit"],
                "min": plain(m["min_value"]),
                "max": plain(m["max_value"]),
                "levels": m["levels"],
            }
            for m in sorted(measures, key=lambda m: m["code"])
            if m["code"] in used
        ],
        "criteria": [_criterion_document(c) for c in sorted(criteria, key=lambda c: c["number"])],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)


def _criterion_document(c: dict) -> dict:
    return {
        "number": c["number"],
        "name": c["name"],
        "name_en": c["name_en"],
        "group": c["group"],
        "department": c["department"],
        "key": c["is_key"],
        "kind": c["kind"],
        "note": c["note"],
        "indicators": [
            {
                "code": i["code"],
                "official_code": i["official_code"] or None,
                "name": i["name"],
                "measure": i["measure"],
                "comparison": i["comparison"],
                "reference": i["reference"] or None,
                "multiplier": plain(i["multiplier"]),
                "note": i["note"],
                "thresholds": [_threshold_document(t) for t in i["thresholds"]],
            }
            for i in c["indicators"]
        ],
    }


def _threshold_document(t: dict) -> dict:
    document = {
        "value": t["level_value"] if t["level_value"] else plain(t["value"]),
        "region": t["region"] or None,
        "tdmnpb_rule": t["tdmnpb_rule"],
        "group": t["commune_group"],
        "year": t["year"],
    }
    if t.get("when"):
        when = t["when"]
        document["when"] = {"measure": when["measure"], "comparison": when["comparison"], "value": plain(when["value"])}
    return {**document, "source": t["source"], "verified": t["verified"]}


def plain(value: Decimal | None) -> Any:
    """A number as YAML writes it plainly: 54 rather than 54.0000, 6.5 rather than '6.5000'."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
