"""Criteria sets to and from YAML (the format of docs/criteria-yaml.md).

A province clones the national set, tightens thresholds and publishes its own; the office reviews the text
in any editor. Import checks the whole file first and names the line of every problem; nothing is saved
unless the whole file is right. The line-aware YAML reading is criteria.yaml_reading; writing a set out is
criteria.yaml_dump.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from criteria.choices import CommuneGroup, Region
from criteria.import_guard import fill_programme_days, refuse_redefinitions
from criteria.measures import allowed_range
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
from criteria.yaml_dump import dump_criteria_set, dump_parsed, plain
from criteria.yaml_reading import Checker, CriteriaFileError, LineMap, load_yaml

MAX_FILE_BYTES = 2 * 1024 * 1024


# ---------------------------------------------------------------- validation


@dataclass
class ParsedSet:
    programme: dict
    set: dict
    measures: list[dict]
    criteria: list[dict] = field(default_factory=list)


PROGRAMME_KEYS = ["code", "name", "legal_basis", "start_year", "end_year", "starts_on", "ends_on", "buckets"]
SET_KEYS = [
    *["code", "name", "level", "applies_to", "tier", "rank", "legal_basis", "province", "derived_from", "status"],
    *["description", "effective_from", "illustrative"],
]
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
THRESHOLD_KEYS = ["value", "region", "tdmnpb_rule", "group", "year", "when", "source", "verified"]
CONDITION_KEYS = ["measure", "comparison", "value"]
CONDITION_KINDS = {MeasureKind.NUMBER, MeasureKind.PERCENT, MeasureKind.COUNT}
NUMERIC_COMPARISONS = {">=", ">", "<=", "<", "=="}


def parse_criteria_yaml(text: str | bytes) -> ParsedSet:
    """Read and check a whole file; raise CriteriaFileError listing every problem by line."""
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise CriteriaFileError([_("Tệp: lớn quá 2 MB.")])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            message = _("Tệp: không phải văn bản UTF-8 (hãy lưu tệp YAML với bảng mã UTF-8).")
            raise CriteriaFileError([message]) from None
    if len(text) > MAX_FILE_BYTES:
        raise CriteriaFileError([_("Tệp: lớn quá 2 MB.")])
    if not text.strip():
        raise CriteriaFileError([_("Tệp: tệp rỗng.")])
    doc = load_yaml(text)
    check = Checker()
    if not isinstance(doc, dict):
        message = _("Dòng 1: tệp phải là một bảng với các khóa programme, set, measures, criteria.")
        raise CriteriaFileError([message])
    check.mapping(doc, _("tệp"), doc.line, ["programme", "set", "measures", "criteria"], ["programme", "set"])

    programme = _parse_programme(check, doc.get("programme"), doc.key_lines.get("programme", 1))
    set_data = _parse_set(check, doc.get("set"), doc.key_lines.get("set", 1))
    measures = _parse_measures(check, doc)
    criteria = _parse_criteria(check, doc, measures, set_data)
    if check.errors:
        raise CriteriaFileError(check.errors)
    return ParsedSet(programme=programme, set=set_data, measures=list(measures.values()), criteria=criteria)


def _parse_programme(check: Checker, m: Any, line: int) -> dict:
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
        # The days the programme judges from and to (QĐ 51/2025 took effect on 15/02/2026); absent: its years.
        "starts_on": check.date(m, "starts_on", where),
        "ends_on": check.date(m, "ends_on", where),
        "buckets": check.bands(m, "buckets", where),
        "line": m.line,
    }
    if data["start_year"] and data["end_year"] and data["start_year"] > data["end_year"]:
        check.error(m.key_lines["end_year"], _("'end_year' phải không nhỏ hơn 'start_year'."))
    if data["starts_on"] and data["ends_on"] and data["starts_on"] > data["ends_on"]:
        check.error(m.key_lines["ends_on"], _("'ends_on' phải không trước 'starts_on'."))
    return data


def _parse_set(check: Checker, m: Any, line: int) -> dict:
    m = check.mapping(m, "set", line, SET_KEYS, ["code", "name", "level", "tier", "rank"])
    if m is None:
        return {}
    where = "set"
    data = {
        "code": check.text(m, "code", where, 40),
        "name": check.text(m, "name", where, 300),
        "level": check.choice(m, "level", where, Level.values),
        "unit_kinds": check.kinds(m, "applies_to", where),
        "tier": check.choice(m, "tier", where, Tier.values),
        "rank": check.integer(m, "rank", where, minimum=1),
        "legal_basis": check.text(m, "legal_basis", where, 300),
        "derived_from": check.text(m, "derived_from", where, 40),
        "status": check.choice(m, "status", where, SetStatus.values, default=SetStatus.DRAFT),
        "description": check.text(m, "description", where, 10000),
        "illustrative": check.boolean(m, "illustrative", where),
        # A version of the set amended by a later decision applies from this day (none: the programme's start).
        "effective_from": check.date(m, "effective_from", where),
        "province_code": "",
        "province_name": "",
    }
    province = m.get("province")
    if province is not None:
        pm = check.mapping(province, "province", m.key_lines["province"], ["code", "name"], ["code"])
        if pm is not None:
            code = str(pm.get("code") or "")
            if not (len(code) == 2 and code.isdigit()):
                message = _("mã tỉnh '%(code)s' phải gồm 2 chữ số (mã GSO).") % {"code": code}
                check.error(pm.key_lines.get("code", pm.line), message)
            data["province_code"] = code.zfill(2)
            data["province_name"] = check.text(pm, "name", "province", 100)
    return data


def _parse_measures(check: Checker, doc: LineMap) -> dict[str, dict]:
    measures: dict[str, dict] = {}
    for item in check.sequence(doc, "measures", _("tệp")):
        line = getattr(item, "line", doc.line)
        m = check.mapping(item, "measure", line, MEASURE_KEYS, ["code", "name", "kind"])
        if m is None:
            continue
        code = check.text(m, "code", "measure", 60)
        where = f"measure '{code}'"
        if code and not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in code) or code != code.lower():
            message = _("mã '%(code)s' chỉ được gồm chữ thường không dấu, số, _ và -.") % {"code": code}
            check.error(m.key_lines.get("code", m.line), message)
        if code in measures:
            check.error(m.line, _("số liệu '%(code)s' được khai báo hai lần.") % {"code": code})
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
            check.error(m.key_lines["max"], _("%(where)s: 'max' nhỏ hơn 'min'.") % {"where": where})
        if data["kind"] == MeasureKind.LEVEL and not data["levels"]:
            check.error(m.line, _("%(where)s kiểu 'level' phải liệt kê các mức trong 'levels'.") % {"where": where})
        if data["kind"] == MeasureKind.BOOLEAN and (data["min_value"] is not None or data["max_value"] is not None):
            check.error(m.line, _("%(where)s kiểu 'boolean' không có 'min'/'max'.") % {"where": where})
        measures[code] = data
    return measures


def _parse_criteria(check: Checker, doc: LineMap, measures: dict[str, dict], set_data: dict) -> list[dict]:
    criteria: list[dict] = []
    numbers: set[int] = set()
    indicator_codes: set[str] = set()
    used_measures: set[str] = set()
    for item in check.sequence(doc, "criteria", _("tệp")):
        line = getattr(item, "line", doc.line)
        m = check.mapping(item, "criterion", line, CRITERION_KEYS, ["number", "name"])
        if m is None:
            continue
        number = check.integer(m, "number", "criterion", minimum=0)
        where = _("tiêu chí %(number)s") % {"number": number}
        if number is not None:
            if number in numbers:
                check.error(m.key_lines["number"], _("tiêu chí số %(number)s bị lặp lại.") % {"number": number})
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
                message = _("mã chỉ tiêu '%(code)s' bị lặp lại trong bộ tiêu chí.") % {"code": indicator["code"]}
                check.error(indicator["line"], message)
            indicator_codes.add(indicator["code"])
            if indicator["measure"]:
                used_measures.add(indicator["measure"])
            used_measures.update(t["when"]["measure"] for t in indicator["thresholds"] if t["when"])
            criterion["indicators"].append(indicator)
        criteria.append(criterion)
    for code, measure in measures.items():
        if code not in used_measures:
            check.error(measure["line"], _("số liệu '%(code)s' không được chỉ tiêu nào dùng.") % {"code": code})
    return criteria


def _parse_indicator(check: Checker, raw: Any, line: int, measures: dict[str, dict], set_data: dict) -> dict | None:
    m = check.mapping(raw, "indicator", line, INDICATOR_KEYS, ["code", "name", "comparison"])
    if m is None:
        return None
    code = check.text(m, "code", "indicator", 20)
    where = _("chỉ tiêu '%(code)s'") % {"code": code}
    comparison = check.choice(m, "comparison", where, Comparison.values)
    measure_code = m.get("measure")
    measure = None
    if measure_code is not None:
        measure = measures.get(str(measure_code))
        if measure is None:
            message = _("%(where)s dùng số liệu '%(measure)s' chưa khai báo trong 'measures'.")
            check.error(m.key_lines["measure"], message % {"where": where, "measure": measure_code})
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
    _check_comparison(check, m, where, indicator, measure["kind"] if measure else None, set_data)

    seen_scopes: set[tuple] = set()
    for raw_threshold in check.sequence(m, "thresholds", where):
        t_line = getattr(raw_threshold, "line", m.line)
        t = check.mapping(raw_threshold, "threshold", t_line, THRESHOLD_KEYS, ["source"])
        if t is None:
            continue
        threshold = _parse_threshold(check, t, where, indicator, measure)
        threshold["when"] = _parse_condition(check, t, where, measures)
        when = threshold["when"]
        scope = (
            threshold["region"],
            threshold["tdmnpb_rule"],
            threshold["commune_group"],
            threshold["year"],
            (when["measure"], when["comparison"], when["value"]) if when else None,
        )
        if scope in seen_scopes:
            message = _("%(where)s: hai ngưỡng cùng phạm vi (vùng, quy tắc TDMNPB, nhóm, năm, điều kiện); chỉ giữ một.")
            check.error(t.line, message % {"where": where})
        seen_scopes.add(scope)
        indicator["thresholds"].append(threshold)
    return indicator


def _parse_condition(check: Checker, t: LineMap, where: str, measures: dict[str, dict]) -> dict | None:
    """`when: {measure, comparison, value}`: the row applies only to units whose own figure meets it."""
    if t.get("when") is None:
        return None
    c = check.mapping(t["when"], "when", t.key_lines["when"], CONDITION_KEYS, ["measure", "comparison", "value"])
    if c is None:
        return None
    code = str(c.get("measure") or "")
    measure = measures.get(code)
    if code and measure is None:
        message = _("%(where)s: điều kiện dùng số liệu '%(measure)s' chưa khai báo trong 'measures'.")
        check.error(c.key_lines["measure"], message % {"where": where, "measure": code})
    elif measure is not None and measure["kind"] not in CONDITION_KINDS:
        message = _("%(where)s: điều kiện chỉ so sánh số liệu dạng số (number, percent, count), không phải '%(kind)s'.")
        check.error(c.key_lines["measure"], message % {"where": where, "kind": measure["kind"]})
    comparison = check.choice(c, "comparison", where, sorted(NUMERIC_COMPARISONS))
    value = check.number(c, "value", where)
    if not code or measure is None or comparison is None or value is None:
        return None
    return {"measure": code, "comparison": comparison, "value": value}


def _check_comparison(
    check: Checker, m: LineMap, where: str, indicator: dict, kind: str | None, set_data: dict
) -> None:
    """What the comparison needs: a lower set to reach, or a measure of a kind it can compare."""
    comparison, measure_code = indicator["comparison"], indicator["measure"]
    if comparison == Comparison.REACHED:
        if measure_code is not None:
            message = _("%(where)s so sánh 'reached' không đọc số liệu: để 'measure: null'.")
            check.error(m.key_lines["measure"], message % {"where": where})
        if not indicator["reference"]:
            message = _("%(where)s so sánh 'reached' phải ghi bộ tiêu chí phải đạt trong 'reference'.")
            check.error(m.line, message % {"where": where})
        elif indicator["reference"] == set_data.get("code"):
            message = _("%(where)s không thể tham chiếu chính bộ tiêu chí này.")
            check.error(m.key_lines["reference"], message % {"where": where})
    elif comparison is not None:
        if measure_code is None:
            check.error(m.line, _("%(where)s phải có 'measure'.") % {"where": where})
        if comparison == Comparison.ACHIEVED and kind not in (None, MeasureKind.BOOLEAN):
            message = _("%(where)s: 'achieved' chỉ dùng với số liệu kiểu boolean.")
            check.error(m.key_lines["comparison"], message % {"where": where})
        if comparison in NUMERIC_COMPARISONS and kind == MeasureKind.BOOLEAN:
            message = _("%(where)s: số liệu có/không không so sánh như số; dùng 'comparison: achieved'.")
            check.error(m.key_lines["comparison"], message % {"where": where})
    if indicator["multiplier"] is not None and "/" not in indicator["reference"]:
        message = _("%(where)s: 'multiplier' cần 'reference' dạng 'mã-bộ/mã-chỉ-tiêu'.")
        check.error(m.key_lines["multiplier"], message % {"where": where})


def _parse_threshold(check: Checker, t: LineMap, where: str, indicator: dict, measure: dict | None) -> dict:
    comparison = indicator["comparison"]
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
    if t.get("region") is not None:
        threshold["region"] = check.choice(t, "region", where, Region.values, default="")
    if t.get("group") is not None:
        threshold["commune_group"] = check.choice(t, "group", where, CommuneGroup.values)
    value = t.get("value")
    if measure is not None and measure["kind"] == MeasureKind.LEVEL:
        if value not in measure["levels"]:
            message = _("%(where)s: mức '%(value)s' không có trong 'levels'.")
            check.error(t.key_lines.get("value", t.line), message % {"where": where, "value": value})
        threshold["level_value"] = str(value)
    elif comparison in NUMERIC_COMPARISONS and not indicator["multiplier"]:
        number = check.number(t, "value", where)
        if number is None and "value" in t and value is not None:
            pass  # already reported
        elif number is None:
            message = _("%(where)s: ngưỡng phải có 'value' là số.") % {"where": where}
            check.error(t.key_lines.get("value", t.line), message)
        elif measure is not None:
            # A threshold no allowed value could meet (a percent is 0-100 unless the measure says otherwise).
            low, high = allowed_range(SimpleNamespace(**measure))
            if (low is not None and number < low) or (high is not None and number > high):
                message = _(
                    "%(where)s: ngưỡng %(value)s nằm ngoài khoảng hợp lệ của số liệu '%(measure)s' (%(range)s)."
                )
                shown = f"{'…' if low is None else plain(low)}–{'…' if high is None else plain(high)}"
                check.error(
                    t.key_lines["value"],
                    message % {"where": where, "value": value, "measure": measure["code"], "range": shown},
                )
        threshold["value"] = number
    elif value is not None and comparison is not None:
        # (an unknown comparison was reported above; a second message about it would only confuse)
        message = _("%(where)s: so sánh '%(comparison)s' không có giá trị ngưỡng (value: null).")
        check.error(t.key_lines["value"], message % {"where": where, "comparison": comparison})
    return threshold


# ---------------------------------------------------------------- saving


@transaction.atomic
def save_criteria_set(parsed: ParsedSet) -> tuple[CriteriaSet, str]:
    """Create the set, or replace a draft of it; a published set is never replaced. Returns the set and
    'created', 'replaced' or 'unchanged'."""
    p = parsed.programme
    s = parsed.set
    # The same version: the same programme, code, province and day it applies from (an amendment is a new one).
    existing = (
        CriteriaSet.objects.filter(
            programme__code=p["code"],
            code=s["code"],
            province_code=s["province_code"],
            effective_from=s.get("effective_from"),
        )
        .select_related("programme")
        .first()
    )
    if existing is not None:
        fill_programme_days(existing.programme, p)
        if _unchanged_or_refused(existing, parsed):
            return existing, "unchanged"

    refuse_redefinitions(parsed)
    # A day the file leaves out keeps the one the database has (files written before the days existed).
    days = {k: p[k] for k in ("starts_on", "ends_on", "buckets") if p[k]}
    programme, _created = Programme.objects.update_or_create(code=p["code"], defaults={**_programme_fields(p), **days})
    _check_references(parsed, programme)
    _save_measures(parsed.measures)
    derived_from = None
    if s["derived_from"]:
        derived_from = CriteriaSet.objects.filter(programme=programme, code=s["derived_from"], province_code="").first()
    fields = {
        "name": s["name"],
        "level": s["level"],
        "unit_kinds": s["unit_kinds"],
        "tier": s["tier"],
        "rank": s["rank"],
        "legal_basis": s["legal_basis"],
        "description": s["description"],
        "illustrative": s["illustrative"],
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
            programme=programme,
            code=s["code"],
            province_code=s["province_code"],
            effective_from=s.get("effective_from"),
            **fields,
        )
        outcome = "created"
    _save_criteria(criteria_set, parsed.criteria)
    return criteria_set, outcome


def _programme_fields(p: dict) -> dict:
    return {k: p[k] for k in ("name", "legal_basis", "start_year", "end_year")}


def _unchanged_or_refused(existing: CriteriaSet, parsed: ParsedSet) -> bool:
    """True when the file is the stored set as it is; CriteriaFileError when it would replace a published set."""
    if dump_criteria_set(existing) == dump_parsed(parsed):
        return True
    if existing.status == SetStatus.PUBLISHED:
        raise CriteriaFileError([_published_message(parsed.programme, parsed.set)])
    return False


def _published_message(p: dict, s: dict) -> str:
    label = f"'{s['code']}'"
    if s["province_code"]:
        label = _("%(set)s của tỉnh %(province)s") % {"set": label, "province": s["province_code"]}
    message = _(
        "Dòng 1: bộ tiêu chí %(set)s giai đoạn %(programme)s đã ban hành nên không thể thay thế. "
        "Hãy nhập dưới dạng dự thảo với mã khác, hoặc chuyển bộ hiện có về dự thảo trong trang quản trị."
    )
    return message % {"set": label, "programme": p["code"]}


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
            set_code, _slash, indicator_code = reference.partition("/")
            target = sets.get(set_code)
            params = {"line": indicator["line"], "indicator": indicator["code"], "set": set_code}
            if target is None:
                message = _(
                    "Dòng %(line)s: chỉ tiêu '%(indicator)s' tham chiếu bộ tiêu chí '%(set)s' chưa có trong giai đoạn "
                    "%(programme)s (hãy nhập bộ đó trước)."
                )
                errors.append(message % {**params, "programme": programme.code})
                continue
            if target.level != parsed.set["level"] or target.rank >= parsed.set["rank"]:
                message = _(
                    "Dòng %(line)s: chỉ tiêu '%(indicator)s' chỉ được tham chiếu bộ tiêu chí cùng cấp và có thứ bậc "
                    "thấp hơn."
                )
                errors.append(message % params)
            if (
                indicator_code
                and not Indicator.objects.filter(criterion__criteria_set=target, code=indicator_code).exists()
            ):
                message = _("Dòng %(line)s: bộ '%(set)s' không có chỉ tiêu '%(code)s' để tham chiếu.")
                errors.append(message % {**params, "code": indicator_code})
    if errors:
        raise CriteriaFileError(errors)


def _save_measures(measures: list[dict]) -> None:
    existing = {m.code: m for m in Measure.objects.filter(code__in=[m["code"] for m in measures])}
    errors = []
    for data in measures:
        measure = existing.get(data["code"])
        if measure is not None and measure.kind != data["kind"] and measure.indicators.exists():
            message = _(
                "Dòng %(line)s: số liệu '%(code)s' đã có với kiểu '%(kind)s', không thể đổi sang '%(new_kind)s' khi "
                "các bộ tiêu chí khác đang dùng."
            )
            errors.append(
                message % {"line": data["line"], "code": data["code"], "kind": measure.kind, "new_kind": data["kind"]}
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
            thresholds += [_threshold(indicator, t, measures) for t in item["thresholds"]]
    Threshold.objects.bulk_create(thresholds)


def _threshold(indicator: Indicator, t: dict, measures: dict[str, Measure]) -> Threshold:
    when = t.get("when")
    stored = {k: v for k, v in t.items() if k != "when"}
    if when:
        stored.update(
            condition_measure=measures[when["measure"]],
            condition_comparison=when["comparison"],
            condition_value=when["value"],
        )
    return Threshold(indicator=indicator, **stored)


def import_criteria_text(text: str | bytes) -> tuple[CriteriaSet, str]:
    """Parse and save in one go: what the command and the admin upload call."""
    return save_criteria_set(parse_criteria_yaml(text))
