"""A filled criteria-set workbook (criteria.set_workbook) read back into the YAML text of docs/criteria-yaml.md.

The cells are checked first, each problem named by sheet and cell in words an office uses. The YAML text built from
them then goes through parse_criteria_yaml, and its import through import_criteria_text, like any criteria file:
the same rules apply, and each of their line-addressed messages is turned back into the sheet and cell the line came
from. Nothing is saved unless the whole workbook is right.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import yaml
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from criteria.choices import Region
from criteria.measures import InvalidValue, parse_number
from criteria.models import Comparison, CriteriaSet, CriterionKind, MeasureKind, SetStatus
from criteria.set_workbook import (
    DATA_SHEETS,
    FALSE,
    GRID_GROUPS,
    INDICATOR_COLUMNS,
    LEVEL_SEPARATOR,
    MARKER,
    MEASURE_COLUMNS,
    NUMERIC_COMPARISONS,
    OTHER_COLUMNS,
    SET_FIELDS,
    SET_HEADERS,
    SHEET_COLUMNS,
    SHEET_INDICATORS,
    SHEET_MEASURES,
    SHEET_OTHER,
    SHEET_SET,
    TRUE,
    Field,
    Place,
    WorkbookYaml,
    dtd_message,
    open_workbook,
    same_text,
    sheet_cells,
    threshold_document,
    yaml_line_paths,
)
from criteria.yaml_dump import plain
from criteria.yaml_io import import_criteria_text, parse_criteria_yaml
from criteria.yaml_reading import CriteriaFileError, load_yaml

MAX_ROWS = 3000  # filled rows of one sheet; a national set has about a hundred
MAX_SHEET_ROWS = 20000  # rows looked at, blank ones included
EXTRA_COLUMNS = 10  # columns right of the template's, read only to refuse what was typed there
MAX_LISTED_ERRORS = 300
EQUALS_WORDS = {"=", "==", "bằng"}
INVALID = object()  # a cell already reported


def read_set_workbook(data: bytes) -> str:
    """The YAML text of the set a filled workbook describes, checked as an import checks a file; CriteriaFileError
    listing every problem by sheet and cell."""
    return read_workbook_yaml(data).text


def read_workbook_yaml(data: bytes) -> WorkbookYaml:
    """read_set_workbook's text, with the workbook place of each line (to name cells in later messages)."""
    workbook = open_workbook(data)
    try:
        reader = _Reader()
        document = reader.read(workbook)
    finally:
        workbook.close()
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    lines: dict[int, tuple] = {}
    yaml_line_paths(load_yaml(text), (), lines)
    result = WorkbookYaml(text, {line: reader.place_for(path) for line, path in lines.items()})
    try:
        parse_criteria_yaml(text)
    except CriteriaFileError as exc:
        raise CriteriaFileError(result.locate(exc.errors)) from None
    return result


def import_set_workbook(data: bytes) -> tuple[CriteriaSet, str]:
    """Import a filled workbook as import_criteria_text imports a file (all or nothing; a published set is never
    replaced): the set and 'created', 'replaced' or 'unchanged', or CriteriaFileError by sheet and cell."""
    result = read_workbook_yaml(data)
    try:
        return import_criteria_text(result.text)
    except CriteriaFileError as exc:
        raise CriteriaFileError(result.locate(exc.errors)) from None


# ---------------------------------------------------------------- the cells


class _Reader:
    """One pass over the four sheets, collecting every problem before deciding; builds the YAML document."""

    def __init__(self):
        self.errors: list[tuple[tuple, str]] = []
        self.places: dict[tuple, Place] = {(): Place(SHEET_SET)}
        self.measures: dict[str, tuple[str | None, list[str]]] = {}  # code -> (kind, levels)
        self.indicators: dict[str, tuple[dict, tuple, dict]] = {}  # code -> (document, path, {key: Place})
        self.broken_headers = False

    def error(self, place: Place, message: str, **params) -> None:
        self.errors.append((place.order(), f"{place}: {message % params if params else message}"))

    def place_for(self, path: tuple) -> Place:
        while path not in self.places:
            path = path[:-1]
        return self.places[path]

    def read(self, workbook) -> dict:
        missing = [name for name in DATA_SHEETS if name not in workbook.sheetnames]
        if missing:
            found = ", ".join(f"'{name}'" for name in workbook.sheetnames)
            message = _(
                "Tệp không có sheet '%(sheet)s' (tệp có: %(found)s). Hãy dùng tệp Excel tải từ trang bộ "
                "tiêu chí và giữ nguyên tên các sheet."
            )
            raise CriteriaFileError([message % {"sheet": name, "found": found} for name in missing])
        headers = {SHEET_SET: SET_HEADERS} | {name: [c.header for c in cols] for name, cols in SHEET_COLUMNS.items()}
        rows = {name: self._rows(workbook[name], headers[name]) for name in DATA_SHEETS}
        if not self.broken_headers:
            programme, set_data = self._set_sheet(rows[SHEET_SET])
            measures = self._measures(rows[SHEET_MEASURES])
            criteria = self._indicators(rows[SHEET_INDICATORS])
            self._others(rows[SHEET_OTHER])
        if self.errors:
            errors = [message for _order, message in sorted(self.errors, key=lambda error: error[0])]
            if len(errors) > MAX_LISTED_ERRORS:
                more = len(errors) - MAX_LISTED_ERRORS
                errors = [*errors[:MAX_LISTED_ERRORS], _("… và %(count)d lỗi khác.") % {"count": more}]
            raise CriteriaFileError(errors)
        return {"programme": programme, "set": set_data, "measures": measures, "criteria": criteria}

    def _rows(self, sheet, headers: list[str]) -> list[tuple[int, list]]:
        """The filled rows under the header, as (row number, cleaned values); formulas and cells right of the
        template's columns are refused."""
        sheet.reset_dimensions()  # some programs write a wrong <dimension>
        width, name, found = len(headers), sheet.title, []
        try:
            for number, cells in enumerate(sheet.iter_rows(max_col=width + EXTRA_COLUMNS), start=1):
                if number > MAX_SHEET_ROWS or len(found) > MAX_ROWS:
                    message = _("sheet có quá nhiều dòng (tối đa %(count)d dòng có dữ liệu).")
                    self.error(Place(name, number), message, count=MAX_ROWS)
                    break
                values = [
                    self._cell(Place(name, number, column, _header(headers, column)), cell)
                    for column, cell in enumerate(cells, start=1)
                ]
                values += [None] * (width - len(values))
                if number == 1:
                    self._header(name, values, headers)
                elif any(value is not None for value in values):
                    for column, value in enumerate(values[width:], start=width + 1):
                        if value is not None:
                            message = _("ô nằm ngoài các cột của mẫu; hãy xóa, hoặc chuyển nội dung vào cột ghi chú.")
                            self.error(Place(name, number, column, _header(headers, column)), message)
                    found.append((number, values[:width]))
        except (DefusedXmlException, ElementTree.ParseError, ValueError, KeyError):
            raise CriteriaFileError([dtd_message()]) from None
        return found

    def _header(self, name: str, values: list, headers: list[str]) -> None:
        for column, expected in enumerate(headers, start=1):
            if not same_text(values[column - 1], expected):
                self.broken_headers = True
                message = _(
                    "tiêu đề cột phải là '%(expected)s', tệp ghi '%(found)s'. Không thêm, xóa hay đổi thứ tự "
                    "cột của mẫu."
                )
                place = Place(name, 1, column, expected)
                self.error(place, message, expected=expected, found=values[column - 1] or "")

    def _cell(self, place: Place, cell) -> Any:
        value = cell.value
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value).strip()
        if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and value not in EQUALS_WORDS):
            message = _(
                "ô chứa công thức hoặc chữ bắt đầu bằng '=' (%(value)s); hãy ghi giá trị, không dùng công thức."
            )
            self.error(place, message, value=str(value)[:40])
            return None
        return None if value == "" else value

    # -------------------------------------------------------- typed cells

    def text(self, place: Place, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, bool | str | int | float):
            return str(value)
        self.error(place, _("phải là chữ hoặc số, không phải '%(value)s'."), value=value)
        return ""

    def integer(self, place: Place, value: Any) -> int | None:
        if value is None:
            return None
        try:
            number = parse_number(value)
        except InvalidValue:
            number = None
        if number is None or number != number.to_integral_value():
            self.error(place, _("phải là số nguyên, không phải '%(value)s'."), value=str(value)[:40])
            return None
        return int(number)

    def number(self, place: Place, value: Any) -> Any:
        if value is None:
            return None
        try:
            return plain(parse_number(value))
        except InvalidValue as exc:
            self.error(place, _("phải là số (%(reason)s)."), reason=exc.args[0] if exc.args else value)
            return INVALID

    def boolean(self, place: Place, value: Any, *, nullable: bool = False) -> bool | None:
        if value is None:
            return None if nullable else False
        if isinstance(value, bool):
            return value
        if same_text(value, TRUE) or same_text(value, FALSE):
            return same_text(value, TRUE)
        allowed = f"{TRUE}, {FALSE}" + (_(" hoặc để trống") if nullable else "")
        self.error(place, _("'%(value)s' không hợp lệ; ghi %(allowed)s."), value=str(value)[:40], allowed=allowed)
        return None

    def choice(self, place: Place, value: Any, choices: list[str], what: str) -> str | None:
        if value is None:
            return None
        text = self.text(place, value)
        if same_text(text, "bằng") or text in ("=", "=="):
            text = "=="
        if text in choices:
            return text
        message = _("%(what)s '%(value)s' không hợp lệ; dùng một trong %(choices)s.")
        self.error(place, message, what=what, value=text[:40], choices=", ".join(choices))
        return None

    def required(self, place: Place, value: Any) -> bool:
        if value is None:
            self.error(place, _("bắt buộc, chưa có giá trị."))
            return False
        return True

    # -------------------------------------------------------- 'Bộ tiêu chí'

    def _set_sheet(self, rows: list[tuple[int, list]]) -> tuple[dict, dict]:
        fields = {field.key: field for field in SET_FIELDS}
        given: dict[str, tuple[int, Any]] = {}
        for number, (key, value, _help) in rows:
            place = Place(SHEET_SET, number, 1, SET_HEADERS[0])
            if key is None:
                if value is not None:
                    self.error(place, _("thiếu tên trường ở cột A cho giá trị ở cột B."))
            elif str(key) not in fields:
                message = _("trường '%(key)s' không có trong mẫu; các trường: %(fields)s.")
                self.error(place, message, key=key, fields=", ".join(fields))
            elif str(key) in given:
                self.error(place, _("trường '%(key)s' đã ghi ở dòng %(first)d."), key=key, first=given[str(key)][0])
            else:
                given[str(key)] = (number, value)
        values = {}
        for field in SET_FIELDS:
            number, value = given.get(field.key, (0, None))
            place = Place(SHEET_SET, number, 2, field.key) if number else Place(SHEET_SET)
            self.places[tuple(field.key.split("."))] = place
            if field.required and not number:
                self.error(place, _("thiếu dòng của trường bắt buộc '%(key)s'."), key=field.key)
            elif field.required and not self.required(place, value):
                continue
            values[field.key] = self._field(place, field, value)
        return self._programme_and_set(values)

    def _field(self, place: Place, field: Field, value: Any) -> Any:
        if value is None:
            return [] if field.kind == "kinds" else None
        if field.kind == "integer":
            return self.integer(place, value)
        if field.kind == "boolean":
            return self.boolean(place, value)
        if field.kind == "kinds":
            return [kind.strip() for kind in re.split(r"[,;]", self.text(place, value)) if kind.strip()]
        if field.kind == "bands":
            return self._bands(place, self.text(place, value))
        if field.kind == "date":
            if hasattr(value, "date"):
                return value.date().isoformat()
            text = self.text(place, value)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                self.error(place, _("'%(value)s' không phải ngày dạng YYYY-MM-DD, ví dụ 2026-02-15."), value=text[:40])
            return text
        if field.choices:
            return self.choice(place, value, field.choices.split(","), _("giá trị"))
        return self.text(place, value)

    def _bands(self, place: Place, text: str) -> list[list[int]]:
        bands = [re.fullmatch(r"(\d+)\s*-\s*(\d+)", part.strip()) for part in text.split(LEVEL_SEPARATOR)]
        if all(bands):
            return [[int(band.group(1)), int(band.group(2))] for band in bands]
        self.error(
            place,
            _("'%(value)s' không hợp lệ; ghi các nhóm 'từ-đến' cách nhau bởi ';', ví dụ 10-10; 5-9; 0-4."),
            value=text[:60],
        )
        return []

    def _programme_and_set(self, values: dict) -> tuple[dict, dict]:
        programme = {key.partition(".")[2]: v for key, v in values.items() if key.startswith("programme.")}
        set_data = {key.partition(".")[2]: v for key, v in values.items() if key.startswith("set.")}
        code, name = set_data.pop("province.code", None), set_data.pop("province.name", None)
        if isinstance(code, str) and code.isdigit() and len(code) < 2:
            code = code.zfill(2)  # Excel drops the leading zero of 08
        self.places[("set", "province")] = self.places[("set", "province", "code")]
        if name and not code:
            self.error(self.places[("set", "province", "name")], _("tên tỉnh cần mã tỉnh ở trường set.province.code."))
        order = ["code", "name", "level", "applies_to", "tier", "rank", "legal_basis"]
        ordered = {key: set_data.get(key) for key in order}
        ordered["province"] = {"code": code, "name": name or ""} if code else None
        tail = ["derived_from", "status", "description", "effective_from", "illustrative"]
        ordered |= {key: set_data.get(key) for key in tail}
        ordered["status"] = ordered["status"] or SetStatus.DRAFT
        ordered["illustrative"] = bool(ordered["illustrative"])
        return programme, ordered

    # -------------------------------------------------------- 'Số liệu'

    def _measures(self, rows: list[tuple[int, list]]) -> list[dict]:
        measures: list[dict] = []
        first_rows: dict[str, int] = {}
        for number, values in rows:
            cells = sheet_cells(SHEET_MEASURES, MEASURE_COLUMNS, number, values)
            code = self.text(*cells["code"])
            if self.required(*cells["code"]) and code in first_rows:
                message = _("số liệu '%(code)s' đã khai báo ở dòng %(first)d.")
                self.error(cells["code"][0], message, code=code, first=first_rows[code])
            first_rows.setdefault(code, number)
            self.required(*cells["name"])
            self.required(*cells["kind"])
            levels = self.text(*cells["levels"]).split(LEVEL_SEPARATOR)
            measure = {
                "code": code,
                "name": self.text(*cells["name"]),
                "name_en": self.text(*cells["name_en"]),
                "kind": self.choice(*cells["kind"], MeasureKind.values, _("kiểu")),
                "unit": self.text(*cells["unit"]),
                "min": self.number(*cells["min"]),
                "max": self.number(*cells["max"]),
                "levels": [level.strip() for level in levels if level.strip()],
            }
            self.measures.setdefault(code, (measure["kind"], measure["levels"]))
            self._register(("measures", len(measures)), number, SHEET_MEASURES, cells)
            measures.append(measure)
        return measures

    def _register(self, path: tuple, number: int, sheet: str, cells: dict[str, tuple[Place, Any]]) -> None:
        self.places[path] = Place(sheet, number)
        for key, (place, _value) in cells.items():
            self.places[(*path, *key.split("."))] = place

    # -------------------------------------------------------- 'Chỉ tiêu'

    def _indicators(self, rows: list[tuple[int, list]]) -> list[dict]:
        criteria: dict[int, tuple[int, dict]] = {}  # number -> (first row, document)
        for number, values in rows:
            cells = sheet_cells(SHEET_INDICATORS, INDICATOR_COLUMNS, number, values)
            criterion = self._criterion(number, cells, criteria)
            if all(value is None for key, (_place, value) in cells.items() if not key.startswith("criterion.")):
                continue  # a criterion's own row, without an indicator
            indicator = self._indicator(cells)
            if criterion is None or indicator is None:
                continue
            index = list(criteria).index(criterion["number"])
            path = ("criteria", index, "indicators", len(criterion["indicators"]))
            indicator_cells = {key: value for key, value in cells.items() if not key.startswith("criterion.")}
            self._register(path, number, SHEET_INDICATORS, indicator_cells)
            for position, threshold in enumerate(indicator["thresholds"]):
                grid_place = cells[f"group.{threshold['group'] or 0}"][0]
                self.places[(*path, "thresholds", position)] = grid_place
                self.places[(*path, "thresholds", position, "source")] = cells["source"][0]
                self.places[(*path, "thresholds", position, "verified")] = cells["verified"][0]
            self.indicators[indicator["code"]] = (indicator, path, {key: p for key, (p, _v) in cells.items()})
            criterion["indicators"].append(indicator)
        return [document for _first, document in criteria.values()]

    def _criterion(self, number: int, cells: dict, criteria: dict[int, tuple[int, dict]]) -> dict | None:
        if cells["criterion.number"][1] is None:
            self.error(cells["criterion.number"][0], _("thiếu số tiêu chí: mỗi dòng phải ghi số của tiêu chí chứa nó."))
        criterion_number = self.integer(*cells["criterion.number"])
        if criterion_number is None:
            return None
        given = {key.partition(".")[2]: value for key, (_p, value) in cells.items() if key.startswith("criterion.")}
        document = {
            "number": criterion_number,
            "name": self.text(*cells["criterion.name"]),
            "name_en": self.text(*cells["criterion.name_en"]),
            "group": self.text(*cells["criterion.group"]),
            "department": self.text(*cells["criterion.department"]),
            "key": self.boolean(*cells["criterion.key"]) or False,
            "kind": self.choice(*cells["criterion.kind"], CriterionKind.values, _("loại")) or CriterionKind.CRITERION,
            "note": self.text(*cells["criterion.note"]),
            "indicators": [],
        }
        if criterion_number not in criteria:
            if given["name"] is None:
                message = _("tiêu chí %(number)d chưa có tên: ghi tên ở dòng đầu tiên của tiêu chí.")
                self.error(cells["criterion.name"][0], message, number=criterion_number)
            path = ("criteria", len(criteria))
            self.places[path] = Place(SHEET_INDICATORS, number)
            for key in given:
                self.places[(*path, key)] = cells[f"criterion.{key}"][0]
            criteria[criterion_number] = (number, document)
            return document
        first, stored = criteria[criterion_number]
        for key, value in given.items():
            if key != "number" and value is not None and document[key] != stored[key]:
                message = _(
                    "tiêu chí %(number)d đã ghi '%(field)s' khác ở dòng %(first)d; các dòng sau của một tiêu "
                    "chí để trống các cột của tiêu chí, hoặc ghi giống hệt dòng đầu."
                )
                header = cells[f"criterion.{key}"][0].header
                self.error(cells[f"criterion.{key}"][0], message, number=criterion_number, field=header, first=first)
        return stored

    def _indicator(self, cells: dict) -> dict | None:
        code = self.text(*cells["code"])
        if self.required(*cells["code"]) and code in self.indicators:
            first = self.indicators[code][2]["code"].row
            self.error(cells["code"][0], _("mã chỉ tiêu '%(code)s' đã có ở dòng %(first)d."), code=code, first=first)
            code = ""
        self.required(*cells["name"])
        measure = self._measure_code(*cells["measure"])
        comparison = None
        if self.required(*cells["comparison"]):
            comparison = self.choice(*cells["comparison"], Comparison.values, _("phép so sánh"))
        multiplier = self.number(*cells["multiplier"])
        rule = _ValueRule(comparison, measure, self.measures, multiplier)
        source = self.text(*cells["source"])
        verified = self.boolean(*cells["verified"])
        thresholds = []
        for group in GRID_GROUPS:
            place, raw = cells[f"group.{group or 0}"]
            if raw is not None:
                value = self._value(place, raw, rule)
                thresholds.append(threshold_document(value, None, None, group, None, None, source, verified))
        if thresholds and not source:
            self.error(cells["source"][0], _("bắt buộc khi có ngưỡng ở các cột Chung, Nhóm 1, Nhóm 2, Nhóm 3."))
        if not thresholds and (source or verified):
            message = _("có nguồn hoặc xác minh nhưng không có ngưỡng nào ở các cột Chung, Nhóm 1, Nhóm 2, Nhóm 3.")
            self.error(cells["source"][0], message)
        if not code or INVALID in (measure, multiplier):
            return None
        return {
            "code": code,
            "official_code": self.text(*cells["official_code"]) or None,
            "name": self.text(*cells["name"]),
            "measure": measure,
            "comparison": comparison,
            "reference": self.text(*cells["reference"]) or None,
            "multiplier": multiplier,
            "note": self.text(*cells["note"]),
            "thresholds": thresholds,
        }

    def _measure_code(self, place: Place, value: Any) -> Any:
        if value is None:
            return None
        code = self.text(place, value)
        if code not in self.measures:
            message = _("mã số liệu '%(code)s' không có trong sheet '%(sheet)s'; hãy khai báo số liệu ở đó trước.")
            self.error(place, message, code=code, sheet=SHEET_MEASURES)
            return INVALID
        return code

    def _value(self, place: Place, raw: Any, rule: _ValueRule, *, blank: bool = False) -> Any:
        """A threshold's value as the indicator's comparison and measure want it (blank: in 'Ngưỡng khác')."""
        if rule.unknown:
            return INVALID  # the comparison or measure is reported already
        if rule.levels is not None:
            text = self.text(place, raw)
            if text not in rule.levels:
                message = _("mức '%(value)s' không có trong các mức của số liệu (%(levels)s).")
                self.error(place, message, value=text[:40], levels=", ".join(rule.levels))
            return text
        if rule.numeric:
            if raw is None or same_text(raw, MARKER):
                message = _("chỉ tiêu so sánh '%(comparison)s' cần ngưỡng là một số.")
                self.error(place, message, comparison=rule.comparison)
                return INVALID
            return self.number(place, raw)
        if raw is not None and not same_text(raw, MARKER):
            if blank:
                message = _("chỉ tiêu %(what)s không có giá trị ngưỡng: để trống ô này.")
            else:
                message = _(
                    "chỉ tiêu %(what)s không có giá trị ngưỡng: ghi '%(marker)s' để đặt ngưỡng cho cột "
                    "này, hoặc để trống."
                )
            self.error(place, message, what=rule.label(), marker=MARKER)
        return None

    # -------------------------------------------------------- 'Ngưỡng khác'

    def _others(self, rows: list[tuple[int, list]]) -> None:
        for number, values in rows:
            cells = sheet_cells(SHEET_OTHER, OTHER_COLUMNS, number, values)
            code = self.text(*cells["indicator"])
            target = self.indicators.get(code)
            if self.required(*cells["indicator"]) and target is None:
                message = _("chỉ tiêu '%(code)s' không có (hoặc có lỗi) ở sheet '%(sheet)s'.")
                self.error(cells["indicator"][0], message, code=code, sheet=SHEET_INDICATORS)
            value = None
            if target is not None:
                indicator = target[0]
                rule = _ValueRule(indicator["comparison"], indicator["measure"], self.measures, indicator["multiplier"])
                value = self._value(*cells["value"], rule, blank=True)
            group = self.integer(*cells["group"])
            if group is not None and group not in (1, 2, 3):
                self.error(cells["group"][0], _("nhóm xã phải là 1, 2 hoặc 3."))
            threshold = threshold_document(
                value,
                self.choice(*cells["region"], Region.values, _("vùng")),
                self.boolean(*cells["tdmnpb_rule"], nullable=True),
                group,
                self.integer(*cells["year"]),
                self._condition(cells),
                self.text(*cells["source"]) if self.required(*cells["source"]) else "",
                self.boolean(*cells["verified"]),
            )
            if target is not None:
                thresholds = target[0]["thresholds"]
                self._register((*target[1], "thresholds", len(thresholds)), number, SHEET_OTHER, cells)
                thresholds.append(threshold)

    def _condition(self, cells: dict) -> dict | None:
        keys = ("when.measure", "when.comparison", "when.value")
        if all(cells[key][1] is None for key in keys):
            return None
        if not all([self.required(*cells[key]) for key in keys]):
            return None
        measure = self._measure_code(*cells["when.measure"])
        comparison = self.choice(*cells["when.comparison"], NUMERIC_COMPARISONS, _("phép so sánh của điều kiện"))
        return {"measure": measure, "comparison": comparison, "value": self.number(*cells["when.value"])}


@dataclass
class _ValueRule:
    """What a threshold value of an indicator must be: a number, a level of its measure, or none."""

    comparison: str | None
    measure: Any
    measures: dict[str, tuple[str | None, list[str]]]
    multiplier: Any

    @property
    def unknown(self) -> bool:
        return self.comparison is None or self.measure is INVALID or self.multiplier is INVALID

    @property
    def levels(self) -> list[str] | None:
        kind, levels = self.measures.get(self.measure, (None, []))
        return levels if kind == MeasureKind.LEVEL else None

    @property
    def numeric(self) -> bool:
        return self.comparison in NUMERIC_COMPARISONS and not self.multiplier

    def label(self) -> str:
        if self.comparison in NUMERIC_COMPARISONS:
            return _("có ngưỡng tính theo Tham chiếu × Hệ số")
        return _("so sánh '%(comparison)s'") % {"comparison": self.comparison}


def _header(headers: list[str], column: int) -> str:
    return headers[column - 1] if column <= len(headers) else get_column_letter(column)
