"""Criteria sets to and from YAML (the format of docs/criteria-yaml.md).

A province clones the national set, tightens thresholds and publishes its own; the office reviews the text
in any editor. Import checks the whole file first and names the line of every problem; nothing is saved
unless the whole file is right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.db import transaction

from criteria.choices import CommuneGroup, Region
from criteria.models import (
    Comparison,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Indicator,
    Level,
    Measure,
    MeasureKind,
    Programme,
    SetStatus,
    Threshold,
    Tier,
)

MAX_FILE_BYTES = 2 * 1024 * 1024


class CriteriaFileError(Exception):
    """A criteria file that cannot be loaded; `errors` says which line and why."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# ---------------------------------------------------------------- reading with line numbers


class _Map(dict):
    line: int = 0
    key_lines: dict


class _List(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    mapping = _Map()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise CriteriaFileError(
                [f"Dòng {key_node.start_mark.line + 1}: khóa phải là chữ, không phải danh sách hay bảng."]
            )
        if key in mapping:
            raise CriteriaFileError([f"Dòng {key_node.start_mark.line + 1}: khóa '{key}' bị lặp lại."])
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _List:
    items = _List(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"Dòng {mark.line + 1}" if mark else "Tệp"
        raise CriteriaFileError([f"{line}: không đọc được YAML ({exc.problem or exc.context})."]) from None
    except yaml.YAMLError as exc:
        raise CriteriaFileError([f"Tệp: không đọc được YAML ({exc})."]) from None


# ---------------------------------------------------------------- validation


@dataclass
class ParsedSet:
    programme: dict
    set: dict
    measures: list[dict]
    criteria: list[dict] = field(default_factory=list)


PROGRAMME_KEYS = ["code", "name", "legal_basis", "start_year", "end_year"]
SET_KEYS = ["code", "name", "level", "tier", "rank", "legal_basis", "province", "derived_from", "status", "description"]
MEASURE_KEYS = ["code", "name", "name_en", "kind", "unit", "min", "max", "levels"]
CRITERION_KEYS = ["number", "name", "name_en", "group", "department", "key", "kind", "note", "indicators"]
INDICATOR_KEYS = [
    "code",
    "official_code",
    "name",
    "measure",
    "comparison",
    "reference",
    "multiplier",
    "note",
    "thresholds",
]
THRESHOLD_KEYS = ["value", "region", "tdmnpb_rule", "group", "year", "source", "verified"]
NUMERIC_COMPARISONS = {">=", ">", "<=", "<", "=="}


class _Checker:
    def __init__(self):
        self.errors: list[str] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(f"Dòng {line}: {message}")

    def mapping(self, value: Any, where: str, line: int, keys: list[str], required: list[str]) -> _Map | None:
        if not isinstance(value, dict):
            self.error(line, f"{where} phải là một bảng khóa: giá trị.")
            return None
        for key in value:
            if key not in keys:
                self.error(value.key_lines.get(key, value.line), f"khóa '{key}' không có trong định dạng ({where}).")
        for key in required:
            if value.get(key) in (None, ""):
                self.error(value.key_lines.get(key, value.line), f"{where} thiếu '{key}'.")
        return value

    def text(self, m: _Map, key: str, where: str, max_length: int, default: str = "") -> str:
        value = m.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(m.key_lines.get(key, m.line), f"'{key}' của {where} phải là chữ.")
            return default
        value = str(value)
        if len(value) > max_length:
            self.error(m.key_lines.get(key, m.line), f"'{key}' của {where} dài quá {max_length} ký tự.")
        return value

    def choice(self, m: _Map, key: str, where: str, choices: list, default=None):
        value = m.get(key, default)
        if value not in choices:
            shown = ", ".join(str(c) for c in choices)
            self.error(m.key_lines.get(key, m.line), f"'{key}' của {where} là '{value}', phải là một trong: {shown}.")
            return default
        return value

    def integer(self, m: _Map, key: str, where: str, *, required: bool = True, minimum: int = 0) -> int | None:
        value = m.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.error(m.key_lines.get(key, m.line), f"'{key}' của {where} phải là số nguyên từ {minimum} trở lên.")
            return None
        return value

    def number(self, m: _Map, key: str, where: str) -> Decimal | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.error(m.key_lines.get(key, m.line), f"'{key}' của {where} phải là số.")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.error(m.key_lines.get(key, m.line), f"'{key}' của {where} phải là số, không phải '{value}'.")
            return None
        if not number.is_finite():
            self.error(m.key_lines.get(key, m.line), f"'{key}' của {where} phải là số hữu hạn.")
            return None
        # The columns hold 4 decimals and 10 digits before the point (multipliers 4); rounding on save would
        # change the law's number silently, so refuse instead.
        _sign, digits, exponent = number.normalize().as_tuple()
        decimals = max(0, -exponent)
        integer_digits = max(0, len(digits) + exponent)
        limit = 4 if key == "multiplier" else 10
        if decimals > 4 or integer_digits > limit:
            self.error(
                m.key_lines.get(key, m.line),
                f"'{key}' của {where} ({value}) vượt quá độ chính xác lưu được: tối đa {limit} chữ số phần nguyên "
                "và 4 chữ số thập phân.",
            )
            return None
        return number

    def boolean(self, m: _Map, key: str, where: str, *, nullable: bool = False, default: bool = False) -> bool | None:
        value = m.get(key)
        if value is None:
            return None if nullable else default
        if not isinstance(value, bool):
            self.error(m.key_lines.get(key, m.line), f"'{key}' của {where} phải là true hoặc false.")
            return default
        return value

    def sequence(self, m: _Map, key: str, where: str) -> list:
        value = m.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(m.key_lines.get(key, m.line), f"'{key}' của {where} phải là một danh sách.")
            return []
        return value


def parse_criteria_yaml(text: str | bytes) -> ParsedSet:
    """Read and check a whole file; raise CriteriaFileError listing every problem by line."""
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise CriteriaFileError(["Tệp: lớn quá 2 MB."])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CriteriaFileError(["Tệp: không phải văn bản UTF-8 (hãy lưu tệp YAML với bảng mã UTF-8)."]) from None
    if not text.strip():
        raise CriteriaFileError(["Tệp: tệp rỗng."])
    doc = _load_yaml(text)
    check = _Checker()
    if not isinstance(doc, dict):
        raise CriteriaFileError(["Dòng 1: tệp phải là một bảng với các khóa programme, set, measures, criteria."])
    check.mapping(doc, "tệp", doc.line, ["programme", "set", "measures", "criteria"], ["programme", "set"])

    programme = _parse_programme(check, doc.get("programme"), doc.key_lines.get("programme", 1))
    set_data = _parse_set(check, doc.get("set"), doc.key_lines.get("set", 1))
    measures = _parse_measures(check, doc)
    criteria = _parse_criteria(check, doc, measures, set_data)
    if check.errors:
        raise CriteriaFileError(check.errors)
    return ParsedSet(programme=programme, set=set_data, measures=list(measures.values()), criteria=criteria)


def _parse_programme(check: _Checker, m: Any, line: int) -> dict:
    m = check.mapping(m, "programme", line, PROGRAMME_KEYS, ["code", "name", "start_year", "end_year"])
    if m is None:
        return {}
    where = "programme"
    data = {
        "code": check.text(m, "code", where, 20),
        "name": check.text(m, "name", where, 300),
        "legal_basis": check.text(m, "legal_basis", where, 300),
        "start_year": check.integer(m, "start_year", where, minimum=2000),
        "end_year": check.integer(m, "end_year", where, minimum=2000),
    }
    if data["start_year"] and data["end_year"] and data["start_year"] > data["end_year"]:
        check.error(m.key_lines["end_year"], "'end_year' phải không nhỏ hơn 'start_year'.")
    return data


def _parse_set(check: _Checker, m: Any, line: int) -> dict:
    m = check.mapping(m, "set", line, SET_KEYS, ["code", "name", "level", "tier", "rank"])
    if m is None:
        return {}
    where = "set"
    data = {
        "code": check.text(m, "code", where, 40),
        "name": check.text(m, "name", where, 300),
        "level": check.choice(m, "level", where, Level.values),
        "tier": check.choice(m, "tier", where, Tier.values),
        "rank": check.integer(m, "rank", where, minimum=1),
        "legal_basis": check.text(m, "legal_basis", where, 300),
        "derived_from": check.text(m, "derived_from", where, 40),
        "status": check.choice(m, "status", where, SetStatus.values, default=SetStatus.DRAFT),
        "description": check.text(m, "description", where, 10000),
        "province_code": "",
        "province_name": "",
    }
    province = m.get("province")
    if province is not None:
        pm = check.mapping(province, "province", m.key_lines["province"], ["code", "name"], ["code"])
        if pm is not None:
            code = str(pm.get("code") or "")
            if not (len(code) == 2 and code.isdigit()):
                check.error(pm.key_lines.get("code", pm.line), f"mã tỉnh '{code}' phải gồm 2 chữ số (mã GSO).")
            data["province_code"] = code.zfill(2)
            data["province_name"] = check.text(pm, "name", "province", 100)
    return data


def _parse_measures(check: _Checker, doc: _Map) -> dict[str, dict]:
    measures: dict[str, dict] = {}
    for item in check.sequence(doc, "measures", "tệp"):
        line = getattr(item, "line", doc.line)
        m = check.mapping(item, "measure", line, MEASURE_KEYS, ["code", "name", "kind"])
        if m is None:
            continue
        code = check.text(m, "code", "measure", 60)
        where = f"measure '{code}'"
        if code and not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in code) or code != code.lower():
            check.error(m.key_lines.get("code", m.line), f"mã '{code}' chỉ được gồm chữ thường không dấu, số, _ và -.")
        if code in measures:
            check.error(m.line, f"số liệu '{code}' được khai báo hai lần.")
        data = {
            "code": code,
            "name": check.text(m, "name", where, 300),
            "name_en": check.text(m, "name_en", where, 300),
            "kind": check.choice(m, "kind", where, MeasureKind.values),
            "unit": check.text(m, "unit", where, 60),
            "min_value": check.number(m, "min", where),
            "max_value": check.number(m, "max", where),
            "levels": [str(level) for level in check.sequence(m, "levels", where)],
            "line": m.line,
        }
        if data["min_value"] is not None and data["max_value"] is not None and data["min_value"] > data["max_value"]:
            check.error(m.key_lines["max"], f"{where}: 'max' nhỏ hơn 'min'.")
        if data["kind"] == MeasureKind.LEVEL and not data["levels"]:
            check.error(m.line, f"{where} kiểu 'level' phải liệt kê các mức trong 'levels'.")
        if data["kind"] == MeasureKind.BOOLEAN and (data["min_value"] is not None or data["max_value"] is not None):
            check.error(m.line, f"{where} kiểu 'boolean' không có 'min'/'max'.")
        measures[code] = data
    return measures


def _parse_criteria(check: _Checker, doc: _Map, measures: dict[str, dict], set_data: dict) -> list[dict]:
    criteria: list[dict] = []
    numbers: set[int] = set()
    indicator_codes: set[str] = set()
    used_measures: set[str] = set()
    for item in check.sequence(doc, "criteria", "tệp"):
        line = getattr(item, "line", doc.line)
        m = check.mapping(item, "criterion", line, CRITERION_KEYS, ["number", "name"])
        if m is None:
            continue
        number = check.integer(m, "number", "criterion", minimum=0)
        where = f"tiêu chí {number}"
        if number is not None:
            if number in numbers:
                check.error(m.key_lines["number"], f"tiêu chí số {number} bị lặp lại.")
            numbers.add(number)
        criterion = {
            "number": number,
            "name": check.text(m, "name", where, 300),
            "name_en": check.text(m, "name_en", where, 300),
            "group": check.text(m, "group", where, 200),
            "department": check.text(m, "department", where, 200),
            "is_key": check.boolean(m, "key", where),
            "kind": check.choice(m, "kind", where, CriterionKind.values, default=CriterionKind.CRITERION),
            "note": check.text(m, "note", where, 5000),
            "indicators": [],
        }
        for position, raw in enumerate(check.sequence(m, "indicators", where), start=1):
            indicator = _parse_indicator(check, raw, getattr(raw, "line", m.line), measures, set_data)
            if indicator is None:
                continue
            indicator["position"] = position
            if indicator["code"] in indicator_codes:
                check.error(indicator["line"], f"mã chỉ tiêu '{indicator['code']}' bị lặp lại trong bộ tiêu chí.")
            indicator_codes.add(indicator["code"])
            if indicator["measure"]:
                used_measures.add(indicator["measure"])
            criterion["indicators"].append(indicator)
        criteria.append(criterion)
    for code, measure in measures.items():
        if code not in used_measures:
            check.error(measure["line"], f"số liệu '{code}' không được chỉ tiêu nào dùng.")
    return criteria


def _parse_indicator(check: _Checker, raw: Any, line: int, measures: dict[str, dict], set_data: dict) -> dict | None:
    m = check.mapping(raw, "indicator", line, INDICATOR_KEYS, ["code", "name", "comparison"])
    if m is None:
        return None
    code = check.text(m, "code", "indicator", 20)
    where = f"chỉ tiêu '{code}'"
    comparison = check.choice(m, "comparison", where, Comparison.values)
    measure_code = m.get("measure")
    measure = None
    if measure_code is not None:
        measure = measures.get(str(measure_code))
        if measure is None:
            check.error(
                m.key_lines["measure"], f"{where} dùng số liệu '{measure_code}' chưa khai báo trong 'measures'."
            )
    indicator = {
        "code": code,
        "official_code": check.text(m, "official_code", where, 20),
        "name": check.text(m, "name", where, 400),
        "measure": str(measure_code) if measure_code is not None else None,
        "comparison": comparison,
        "reference": check.text(m, "reference", where, 80),
        "multiplier": check.number(m, "multiplier", where),
        "note": check.text(m, "note", where, 5000),
        "thresholds": [],
        "line": m.line,
    }
    kind = measure["kind"] if measure else None
    if comparison == Comparison.REACHED:
        if measure_code is not None:
            check.error(m.key_lines["measure"], f"{where} so sánh 'reached' không đọc số liệu: để 'measure: null'.")
        if not indicator["reference"]:
            check.error(m.line, f"{where} so sánh 'reached' phải ghi bộ tiêu chí phải đạt trong 'reference'.")
        elif indicator["reference"] == set_data.get("code"):
            check.error(m.key_lines["reference"], f"{where} không thể tham chiếu chính bộ tiêu chí này.")
    elif comparison is not None:
        if measure_code is None:
            check.error(m.line, f"{where} phải có 'measure'.")
        if comparison == Comparison.ACHIEVED and kind not in (None, MeasureKind.BOOLEAN):
            check.error(m.key_lines["comparison"], f"{where}: 'achieved' chỉ dùng với số liệu kiểu boolean.")
        if comparison in NUMERIC_COMPARISONS and kind == MeasureKind.BOOLEAN:
            check.error(
                m.key_lines["comparison"],
                f"{where}: số liệu có/không không so sánh như số; dùng 'comparison: achieved'.",
            )
    if indicator["multiplier"] is not None and "/" not in indicator["reference"]:
        check.error(m.key_lines["multiplier"], f"{where}: 'multiplier' cần 'reference' dạng 'mã-bộ/mã-chỉ-tiêu'.")

    seen_scopes: set[tuple] = set()
    for raw_threshold in check.sequence(m, "thresholds", where):
        t_line = getattr(raw_threshold, "line", m.line)
        t = check.mapping(raw_threshold, "threshold", t_line, THRESHOLD_KEYS, ["source"])
        if t is None:
            continue
        threshold = {
            "value": None,
            "level_value": "",
            "region": "",
            "tdmnpb_rule": check.boolean(t, "tdmnpb_rule", where, nullable=True),
            "commune_group": None,
            "year": check.integer(t, "year", where, required=False, minimum=2000),
            "source": check.text(t, "source", where, 500),
            "verified": check.boolean(t, "verified", where),
        }
        region = t.get("region")
        if region is not None:
            threshold["region"] = check.choice(t, "region", where, Region.values, default="")
        group = t.get("group")
        if group is not None:
            threshold["commune_group"] = check.choice(t, "group", where, CommuneGroup.values)
        value = t.get("value")
        if kind == MeasureKind.LEVEL:
            if value not in measure["levels"]:
                check.error(t.key_lines.get("value", t.line), f"{where}: mức '{value}' không có trong 'levels'.")
            threshold["level_value"] = str(value)
        elif comparison in NUMERIC_COMPARISONS and not indicator["multiplier"]:
            number = check.number(t, "value", where)
            if number is None and "value" in t and value is not None:
                pass  # already reported
            elif number is None:
                check.error(t.key_lines.get("value", t.line), f"{where}: ngưỡng phải có 'value' là số.")
            elif measure is not None:
                low, high = measure["min_value"], measure["max_value"]
                if (low is not None and number < low) or (high is not None and number > high):
                    check.error(
                        t.key_lines["value"],
                        f"{where}: ngưỡng {value} nằm ngoài khoảng hợp lệ của số liệu '{measure['code']}' "
                        f"({_plain(low)}–{_plain(high)}).",
                    )
            threshold["value"] = number
        elif value is not None and comparison is not None:
            # (an unknown comparison was reported above; a second message about it would only confuse)
            check.error(t.key_lines["value"], f"{where}: so sánh '{comparison}' không có giá trị ngưỡng (value: null).")
        scope = (threshold["region"], threshold["tdmnpb_rule"], threshold["commune_group"], threshold["year"])
        if scope in seen_scopes:
            check.error(t.line, f"{where}: hai ngưỡng cùng phạm vi (vùng, quy tắc TDMNPB, nhóm, năm); chỉ giữ một.")
        seen_scopes.add(scope)
        indicator["thresholds"].append(threshold)
    return indicator


def _plain(value: Decimal | None) -> Any:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# ---------------------------------------------------------------- saving


@transaction.atomic
def save_criteria_set(parsed: ParsedSet) -> tuple[CriteriaSet, str]:
    """Create the set, or replace a draft of it; a published set is never replaced. Returns the set and
    'created', 'replaced' or 'unchanged'."""
    p = parsed.programme
    s = parsed.set
    existing = (
        CriteriaSet.objects.filter(programme__code=p["code"], code=s["code"], province_code=s["province_code"])
        .select_related("programme")
        .first()
    )
    if existing is not None:
        if dump_criteria_set(existing) == dump_parsed(parsed):
            return existing, "unchanged"
        if existing.status == SetStatus.PUBLISHED:
            scope = f" của tỉnh {s['province_code']}" if s["province_code"] else ""
            raise CriteriaFileError(
                [
                    f"Dòng 1: bộ tiêu chí '{s['code']}'{scope} giai đoạn {p['code']} đã ban hành "
                    "nên không thể thay thế. "
                    "Hãy nhập dưới dạng dự thảo với mã khác, hoặc chuyển bộ hiện có về dự thảo trong trang quản trị."
                ]
            )

    programme, _ = Programme.objects.update_or_create(
        code=p["code"],
        defaults={k: p[k] for k in ("name", "legal_basis", "start_year", "end_year")},
    )
    _check_references(parsed, programme)
    _save_measures(parsed.measures)
    derived_from = None
    if s["derived_from"]:
        derived_from = CriteriaSet.objects.filter(programme=programme, code=s["derived_from"], province_code="").first()
    fields = {
        "name": s["name"],
        "level": s["level"],
        "tier": s["tier"],
        "rank": s["rank"],
        "legal_basis": s["legal_basis"],
        "description": s["description"],
        "province_name": s["province_name"],
        "derived_from": derived_from,
        "status": s["status"],
    }
    if existing is not None:
        existing.criteria.all().delete()
        for key, value in fields.items():
            setattr(existing, key, value)
        existing.save()
        criteria_set, outcome = existing, "replaced"
    else:
        criteria_set = CriteriaSet.objects.create(
            programme=programme, code=s["code"], province_code=s["province_code"], **fields
        )
        outcome = "created"
    _save_criteria(criteria_set, parsed.criteria)
    return criteria_set, outcome


def _check_references(parsed: ParsedSet, programme: Programme) -> None:
    errors = []
    sets = {
        c.code: c
        for c in CriteriaSet.objects.filter(programme=programme, province_code__in={"", parsed.set["province_code"]})
    }
    for criterion in parsed.criteria:
        for indicator in criterion["indicators"]:
            reference = indicator["reference"]
            if not reference:
                continue
            set_code, _, indicator_code = reference.partition("/")
            target = sets.get(set_code)
            if target is None:
                errors.append(
                    f"Dòng {indicator['line']}: chỉ tiêu '{indicator['code']}' tham chiếu bộ tiêu chí '{set_code}' "
                    f"chưa có trong giai đoạn {programme.code} (hãy nhập bộ đó trước)."
                )
                continue
            if target.level != parsed.set["level"] or target.rank >= parsed.set["rank"]:
                errors.append(
                    f"Dòng {indicator['line']}: chỉ tiêu '{indicator['code']}' chỉ được tham chiếu bộ tiêu chí "
                    "cùng cấp và có thứ bậc thấp hơn."
                )
            if (
                indicator_code
                and not Indicator.objects.filter(criterion__criteria_set=target, code=indicator_code).exists()
            ):
                errors.append(
                    f"Dòng {indicator['line']}: bộ '{set_code}' không có chỉ tiêu '{indicator_code}' để tham chiếu."
                )
    if errors:
        raise CriteriaFileError(errors)


def _save_measures(measures: list[dict]) -> None:
    existing = {m.code: m for m in Measure.objects.filter(code__in=[m["code"] for m in measures])}
    errors = []
    for data in measures:
        measure = existing.get(data["code"])
        if measure is not None and measure.kind != data["kind"] and measure.indicators.exists():
            errors.append(
                f"Dòng {data['line']}: số liệu '{data['code']}' đã có với kiểu '{measure.kind}', "
                f"không thể đổi sang '{data['kind']}' khi các bộ tiêu chí khác đang dùng."
            )
    if errors:
        raise CriteriaFileError(errors)
    for data in measures:
        Measure.objects.update_or_create(
            code=data["code"],
            defaults={k: data[k] for k in ("name", "name_en", "kind", "unit", "min_value", "max_value", "levels")},
        )


def _save_criteria(criteria_set: CriteriaSet, criteria: list[dict]) -> None:
    measures = {m.code: m for m in Measure.objects.all()}
    thresholds = []
    for data in criteria:
        criterion = Criterion.objects.create(
            criteria_set=criteria_set,
            **{k: data[k] for k in ("number", "name", "name_en", "group", "department", "is_key", "kind", "note")},
        )
        for item in data["indicators"]:
            indicator = Indicator.objects.create(
                criterion=criterion,
                measure=measures.get(item["measure"]) if item["measure"] else None,
                **{
                    k: item[k]
                    for k in (
                        "code",
                        "official_code",
                        "position",
                        "name",
                        "comparison",
                        "reference",
                        "multiplier",
                        "note",
                    )
                },
            )
            thresholds += [Threshold(indicator=indicator, **t) for t in item["thresholds"]]
    Threshold.objects.bulk_create(thresholds)


# ---------------------------------------------------------------- writing


def dump_criteria_set(criteria_set: CriteriaSet) -> str:
    """The set as YAML text; export, import and export again gives the same text."""
    from criteria.definitions import sets_with_contents

    criteria_set = sets_with_contents(CriteriaSet.objects.filter(pk=criteria_set.pk)).get()
    programme = criteria_set.programme
    measures: dict[str, Measure] = {}
    criteria = []
    for criterion in criteria_set.criteria.all():
        indicators = []
        for indicator in criterion.indicators.all():
            if indicator.measure is not None:
                measures.setdefault(indicator.measure.code, indicator.measure)
            indicators.append(
                {
                    "code": indicator.code,
                    "official_code": indicator.official_code or None,
                    "name": indicator.name,
                    "measure": indicator.measure.code if indicator.measure else None,
                    "comparison": indicator.comparison,
                    "reference": indicator.reference or None,
                    "multiplier": _plain(indicator.multiplier),
                    "note": indicator.note,
                    "thresholds": [
                        {
                            "value": t.level_value
                            if indicator.measure and indicator.measure.kind == "level"
                            else _plain(t.value),
                            "region": t.region or None,
                            "tdmnpb_rule": t.tdmnpb_rule,
                            "group": t.commune_group,
                            "year": t.year,
                            "source": t.source,
                            "verified": t.verified,
                        }
                        for t in indicator.thresholds.all()
                    ],
                }
            )
        criteria.append(
            {
                "number": criterion.number,
                "name": criterion.name,
                "name_en": criterion.name_en,
                "group": criterion.group,
                "department": criterion.department,
                "key": criterion.is_key,
                "kind": criterion.kind,
                "note": criterion.note,
                "indicators": indicators,
            }
        )
    document = {
        "programme": {
            "code": programme.code,
            "name": programme.name,
            "legal_basis": programme.legal_basis,
            "start_year": programme.start_year,
            "end_year": programme.end_year,
        },
        "set": {
            "code": criteria_set.code,
            "name": criteria_set.name,
            "level": criteria_set.level,
            "tier": criteria_set.tier,
            "rank": criteria_set.rank,
            "legal_basis": criteria_set.legal_basis,
            "province": (
                {"code": criteria_set.province_code, "name": criteria_set.province_name}
                if criteria_set.province_code
                else None
            ),
            "derived_from": criteria_set.derived_from.code if criteria_set.derived_from else None,
            "status": criteria_set.status,
            "description": criteria_set.description,
        },
        "measures": [
            {
                "code": m.code,
                "name": m.name,
                "name_en": m.name_en,
                "kind": m.kind,
                "unit": m.unit,
                "min": _plain(m.min_value),
                "max": _plain(m.max_value),
                "levels": list(m.levels or []),
            }
            for m in sorted(measures.values(), key=lambda m: m.code)
        ],
        "criteria": criteria,
    }
    return _dump(document)


def dump_parsed(parsed: ParsedSet) -> str:
    """The text a parsed file would export to, to tell whether an import changes anything."""
    s = parsed.set
    used = {i["measure"] for c in parsed.criteria for i in c["indicators"] if i["measure"]}
    document = {
        "programme": {k: parsed.programme[k] for k in PROGRAMME_KEYS},
        "set": {
            "code": s["code"],
            "name": s["name"],
            "level": s["level"],
            "tier": s["tier"],
            "rank": s["rank"],
            "legal_basis": s["legal_basis"],
            "province": {"code": s["province_code"], "name": s["province_name"]} if s["province_code"] else None,
            "derived_from": s["derived_from"] or None,
            "status": s["status"],
            "description": s["description"],
        },
        "measures": [
            {
                "code": m["code"],
                "name": m["name"],
                "name_en": m["name_en"],
                "kind": m["kind"],
                "unit": m["unit"],
                "min": _plain(m["min_value"]),
                "max": _plain(m["max_value"]),
                "levels": m["levels"],
            }
            for m in sorted(parsed.measures, key=lambda m: m["code"])
            if m["code"] in used
        ],
        "criteria": [
            {
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
                        "multiplier": _plain(i["multiplier"]),
                        "note": i["note"],
                        "thresholds": [
                            {
                                "value": t["level_value"] if t["level_value"] else _plain(t["value"]),
                                "region": t["region"] or None,
                                "tdmnpb_rule": t["tdmnpb_rule"],
                                "group": t["commune_group"],
                                "year": t["year"],
                                "source": t["source"],
                                "verified": t["verified"],
                            }
                            for t in i["thresholds"]
                        ],
                    }
                    for i in c["indicators"]
                ],
            }
            for c in sorted(parsed.criteria, key=lambda c: c["number"])
        ],
    }
    return _dump(document)


def _dump(document: dict) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)


def import_criteria_text(text: str | bytes) -> tuple[CriteriaSet, str]:
    """Parse and save in one go: what the command and the admin upload call."""
    return save_criteria_set(parse_criteria_yaml(text))
