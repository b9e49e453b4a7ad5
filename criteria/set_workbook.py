"""A criteria set as an Excel workbook that an office can fill (issue 15, item 4): the layout, and writing it.

The workbook holds what the YAML file of docs/criteria-yaml.md holds, in sheets a person reads: the programme and
set fields one per row, the measures one per row, the indicators one per row with a column per commune group for
the threshold, and the thresholds that do not fit that grid (by region, year, TDMNPB rule, condition, or with a
source of their own) one per row in a sheet of their own. criteria.set_workbook_reader reads a filled workbook back
into YAML text, so a workbook is imported through the same checks and the same save as a YAML file.

The workbook is written from the set's YAML export itself, so export, read back and export again gives the same
text: an unchanged workbook uploaded again changes nothing, and is not refused for a published set.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import yaml
from defusedxml import DefusedXmlException
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from criteria.choices import Region
from criteria.models import Comparison, CriteriaSet, CriterionKind, Level, MeasureKind, SetStatus, Tier
from criteria.yaml_dump import dump_criteria_set
from criteria.yaml_reading import CriteriaFileError

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_GUIDE = "Hướng dẫn"
SHEET_SET = "Bộ tiêu chí"
SHEET_MEASURES = "Số liệu"
SHEET_INDICATORS = "Chỉ tiêu"
SHEET_OTHER = "Ngưỡng khác"
DATA_SHEETS = [SHEET_SET, SHEET_MEASURES, SHEET_INDICATORS, SHEET_OTHER]
# A threshold without a value (an 'achieved' or 'reached' indicator, or one computed from another set's threshold)
# is written in a group column as this word; an empty cell is no threshold for that group.
MARKER = "Đạt"
TRUE, FALSE = "true", "false"
LEVEL_SEPARATOR = ";"
GRID_GROUPS = [None, 1, 2, 3]  # the threshold columns of 'Chỉ tiêu', left to right: general, then groups 1, 2, 3
VALIDATION_ROWS = 1000  # how far down the drop-down lists reach
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip: a few kilobytes can unpack to gigabytes of XML, so the unpacked size is capped too.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx files encrypted with a password


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the YAML key it holds, its header (fixed text: the reader checks it) and what it
    means (the read-me sheet)."""

    key: str
    header: str
    help: Any
    width: int = 14
    choices: str = ""  # a drop-down list, comma-separated
    text: bool = False  # formatted as text, so Excel keeps codes such as 2.10 as typed


@dataclass(frozen=True)
class Field:
    """One row of the 'Bộ tiêu chí' sheet: the YAML key (dotted), whether it is required, what it means."""

    key: str
    help: Any
    required: bool = False
    kind: str = "text"  # text | integer | date | boolean | kinds | bands
    choices: str = ""


BOOLEANS = f"{TRUE},{FALSE}"
STATUSES = ",".join(SetStatus.values)
KINDS, CKINDS, COMPS = ",".join(MeasureKind.values), ",".join(CriterionKind.values), ",".join(Comparison.values)
NUMERIC_COMPARISONS = [">=", ">", "<=", "<", "=="]
NUMERIC_LIST = ",".join(NUMERIC_COMPARISONS)

SET_FIELDS = [
    Field("programme.code", _("Mã giai đoạn, ví dụ 2026-2030."), required=True),
    Field("programme.name", _("Tên giai đoạn (chương trình)."), required=True),
    Field("programme.legal_basis", _("Căn cứ pháp lý của giai đoạn.")),
    Field("programme.start_year", _("Năm bắt đầu, ví dụ 2026."), required=True, kind="integer"),
    Field("programme.end_year", _("Năm kết thúc, ví dụ 2030."), required=True, kind="integer"),
    Field("programme.starts_on", _("Ngày bắt đầu đánh giá (YYYY-MM-DD); để trống: từ đầu năm."), kind="date"),
    Field("programme.ends_on", _("Ngày kết thúc (YYYY-MM-DD); để trống: đến cuối năm."), kind="date"),
    Field(
        "programme.buckets",
        _("Nhóm theo số tiêu chí đạt, từ cao xuống thấp: 'từ-đến' cách nhau bởi dấu chấm phẩy, ví dụ 10-10; 5-9; 0-4."),
        kind="bands",
    ),
    Field("set.code", _("Mã bộ tiêu chí, ví dụ commune-standard."), required=True),
    Field("set.name", _("Tên bộ tiêu chí."), required=True),
    Field("set.level", _("Cấp đánh giá."), required=True, choices=",".join(Level.values)),
    Field("set.applies_to", _("Mã loại đơn vị áp dụng, cách nhau bởi dấu phẩy (xa, phuong…)."), kind="kinds"),
    Field("set.tier", _("Mức của bộ."), required=True, choices=",".join(Tier.values)),
    Field("set.rank", _("Thứ bậc (1 là thấp nhất) trong cùng cấp."), required=True, kind="integer"),
    Field("set.legal_basis", _("Căn cứ pháp lý của bộ.")),
    Field("set.province.code", _("Bộ của tỉnh: mã tỉnh 2 chữ số (mã GSO); để trống: bộ quốc gia.")),
    Field("set.province.name", _("Bộ của tỉnh: tên tỉnh.")),
    Field("set.derived_from", _("Bộ của tỉnh: mã bộ quốc gia được nhân bản.")),
    Field("set.status", _("draft (dự thảo) hoặc published (ban hành: tệp không thay được)."), choices=STATUSES),
    Field("set.effective_from", _("Bản sửa đổi áp dụng từ ngày (YYYY-MM-DD); trống: từ đầu giai đoạn."), kind="date"),
    Field("set.illustrative", _("true khi bộ chỉ là minh họa (chưa có văn bản)."), kind="boolean", choices=BOOLEANS),
    Field("set.description", _("Mô tả, ghi chú về bộ.")),
]

MEASURE_COLUMNS = [
    Column("code", "Mã số liệu", _("Bắt buộc. Chữ thường không dấu, số, _ và -; dùng chung các bộ."), 28, text=True),
    Column("name", "Tên", _("Bắt buộc."), 48),
    Column("name_en", "Tên tiếng Anh", _("Không bắt buộc."), 30),
    Column("kind", "Kiểu", _("Bắt buộc: number, percent (%), count, boolean (có/không), level (mức)."), 12, KINDS),
    Column("unit", "Đơn vị", _("Không bắt buộc, ví dụ %, triệu đồng/người/năm."), 16),
    Column("min", "Nhỏ nhất", _("Giá trị nhỏ nhất hợp lệ; để trống: không giới hạn."), 10),
    Column("max", "Lớn nhất", _("Giá trị lớn nhất hợp lệ; để trống: không giới hạn."), 10),
    Column("levels", "Các mức", _("Chỉ kiểu level: các mức từ thấp đến cao, cách nhau bởi dấu chấm phẩy (;)."), 30),
]

GRID_HEADERS = {None: "Chung", 1: "Nhóm 1", 2: "Nhóm 2", 3: "Nhóm 3"}
CRITERION_COLUMNS = [
    Column("criterion.number", "Số tiêu chí", _("Bắt buộc ở mọi dòng: số của tiêu chí chứa chỉ tiêu."), 8),
    Column("criterion.name", "Tên tiêu chí", _("Bắt buộc ở dòng đầu của tiêu chí; dòng sau: trống hoặc y hệt."), 24),
    Column("criterion.name_en", "Tên tiêu chí tiếng Anh", _("Như tên tiêu chí: ở dòng đầu của tiêu chí."), 18),
    Column("criterion.group", "Nhóm tiêu chí", _("Nhóm nội dung, ví dụ Hạ tầng kinh tế - xã hội."), 18),
    Column("criterion.department", "Cơ quan phụ trách", _("Sở, ngành phụ trách tiêu chí."), 18),
    Column("criterion.key", "Tiêu chí then chốt", _("true hoặc false (để trống: false)."), 10, BOOLEANS),
    Column(
        "criterion.kind", "Loại tiêu chí", _("criterion hoặc condition (điều kiện phải đạt, không đếm)."), 11, CKINDS
    ),
    Column("criterion.note", "Ghi chú tiêu chí", _("Không bắt buộc."), 18),
]
INDICATOR_COLUMNS = [
    *CRITERION_COLUMNS,
    Column("code", "Mã chỉ tiêu", _("Bắt buộc, không trùng trong bộ, ví dụ 2.1."), 9, text=True),
    Column("official_code", "Số hiệu trong văn bản", _("Số thứ tự của chỉ tiêu trong văn bản, khi có."), 9, text=True),
    Column("name", "Tên chỉ tiêu", _("Bắt buộc."), 40),
    Column("measure", "Mã số liệu", _("Một mã của sheet 'Số liệu'; trống chỉ khi so sánh reached."), 24, text=True),
    Column(
        "comparison", "So sánh", _(">=, >, <=, <, == (gõ được 'bằng'), achieved (có), reached (đạt bộ)."), 10, COMPS
    ),
    Column("reference", "Tham chiếu", _("reached: mã bộ phải đạt; hoặc 'mã-bộ/mã-chỉ-tiêu' (nhân Hệ số)."), 18),
    Column("multiplier", "Hệ số", _("Hệ số nhân ngưỡng tham chiếu, ví dụ 1.1 (cần Tham chiếu mã-bộ/mã-chỉ-tiêu)."), 8),
    Column("note", "Ghi chú chỉ tiêu", _("Không bắt buộc."), 24),
    Column("group.0", GRID_HEADERS[None], _("Ngưỡng áp dụng cho mọi xã (không phân nhóm)."), 9),
    Column("group.1", GRID_HEADERS[1], _("Ngưỡng cho xã nhóm 1 (Quyết định 51/2025/QĐ-TTg)."), 9),
    Column("group.2", GRID_HEADERS[2], _("Ngưỡng cho xã nhóm 2."), 9),
    Column("group.3", GRID_HEADERS[3], _("Ngưỡng cho xã nhóm 3."), 9),
    Column("source", "Nguồn ngưỡng", _("Bắt buộc khi có ngưỡng ở các cột Chung/Nhóm: văn bản quy định ngưỡng."), 30),
    Column("verified", "Đã xác minh", _("true khi ngưỡng đã đối chiếu văn bản gốc; để trống: false."), 10, BOOLEANS),
]

OTHER_COLUMNS = [
    Column("indicator", "Mã chỉ tiêu", _("Bắt buộc: mã một chỉ tiêu của sheet 'Chỉ tiêu'."), 10, text=True),
    Column("value", "Giá trị", _("Số, tên mức (số liệu level), hoặc trống (achieved, reached, hệ số)."), 10),
    Column("region", "Vùng", _("Để trống (mọi vùng) hoặc một trong: %(regions)s."), 10, ",".join(Region.values)),
    Column(
        "tdmnpb_rule",
        "Quy tắc TDMNPB",
        _("true: xã áp dụng ngưỡng TDMNPB; false: xã khác; trống: mọi xã."),
        10,
        BOOLEANS,
    ),
    Column("group", "Nhóm xã", _("1, 2, 3 hoặc để trống (mọi nhóm)."), 8, "1,2,3"),
    Column("year", "Năm", _("Năm áp dụng, ví dụ 2024; để trống: mọi năm."), 8),
    Column(
        "when.measure", "Điều kiện: số liệu", _("Ngưỡng chỉ áp dụng khi số liệu này thỏa điều kiện."), 20, text=True
    ),
    Column("when.comparison", "Điều kiện: so sánh", _(">=, >, <=, <, == (hoặc chữ 'bằng')."), 10, NUMERIC_LIST),
    Column("when.value", "Điều kiện: giá trị", _("Một số."), 10),
    Column("source", "Nguồn", _("Bắt buộc: văn bản quy định ngưỡng."), 36),
    Column("verified", "Đã xác minh", _("true hoặc false (để trống: false)."), 10, BOOLEANS),
]
SHEET_COLUMNS = {SHEET_MEASURES: MEASURE_COLUMNS, SHEET_INDICATORS: INDICATOR_COLUMNS, SHEET_OTHER: OTHER_COLUMNS}
SET_HEADERS = ["Trường", "Giá trị", "Ý nghĩa"]

_HEADER_FILL = PatternFill("solid", fgColor="DCE9E2")
_GRID_FILL = PatternFill("solid", fgColor="FFFDF2")


# ---------------------------------------------------------------- writing


def set_workbook_filename(criteria_set: CriteriaSet) -> str:
    scope = f"-{criteria_set.province_code}" if criteria_set.province_code else ""
    version = f"-{criteria_set.effective_from:%Y-%m-%d}" if criteria_set.effective_from else ""
    return f"{criteria_set.programme.code}_{criteria_set.code}{scope}{version}.xlsx"


def export_set_workbook(criteria_set: CriteriaSet) -> bytes:
    """The set as a workbook to fill; read back by criteria.set_workbook_reader.read_set_workbook."""
    return document_workbook(yaml.safe_load(dump_criteria_set(criteria_set)))


def document_workbook(document: dict) -> bytes:
    """The workbook of a criteria file's document (the YAML of docs/criteria-yaml.md, loaded)."""
    workbook = Workbook()
    _write_guide(workbook.active)
    _write_set(workbook.create_sheet(SHEET_SET), document)
    measures = document.get("measures") or []
    _write_rows(workbook.create_sheet(SHEET_MEASURES), MEASURE_COLUMNS, [_measure_row(m) for m in measures])
    rows, others = _indicator_rows(document.get("criteria") or [])
    _write_rows(workbook.create_sheet(SHEET_INDICATORS), INDICATOR_COLUMNS, rows)
    _write_rows(workbook.create_sheet(SHEET_OTHER), OTHER_COLUMNS, others)
    _measure_list(workbook[SHEET_INDICATORS], "L")
    _measure_list(workbook[SHEET_OTHER], "G")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cell_text(value: Any) -> Any:
    """A YAML value as a cell holds it: booleans as true/false, days as YYYY-MM-DD, None as an empty cell."""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _put(sheet, row: int, column: int, value: Any):
    cell = sheet.cell(row, column, cell_text(value))
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"  # '==' is a comparison, not a formula
    return cell


def _write_rows(sheet, columns: list[Column], rows: list[dict]) -> None:
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(1, number, column.header)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            for row in range(2, VALIDATION_ROWS + 1):
                sheet.cell(row, number).number_format = "@"
        if column.choices:
            _drop_down(sheet, f'"{column.choices}"', f"{letter}2:{letter}{VALIDATION_ROWS}")
    for row, values in enumerate(rows, start=2):
        for number, column in enumerate(columns, start=1):
            cell = _put(sheet, row, number, values.get(column.key))
            if column.key.startswith("group."):
                cell.fill = _GRID_FILL
    sheet.freeze_panes = "B2"


def _drop_down(sheet, formula: str, cells: str) -> None:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = str(_("Hãy chọn một giá trị trong danh sách."))
    validation.add(cells)
    sheet.add_data_validation(validation)


def _measure_list(sheet, letter: str) -> None:
    """A drop-down of the measure codes of 'Số liệu' (a code not declared there is refused on import anyway)."""
    validation = DataValidation(
        type="list", formula1=f"'{SHEET_MEASURES}'!$A$2:$A${VALIDATION_ROWS}", allow_blank=True, showErrorMessage=False
    )
    validation.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
    sheet.add_data_validation(validation)


def _write_set(sheet, document: dict) -> None:
    values = _set_values(document)
    for number, header in enumerate(SET_HEADERS, start=1):
        cell = sheet.cell(1, number, header)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    for row, field in enumerate(SET_FIELDS, start=2):
        sheet.cell(row, 1, field.key).font = Font(bold=field.required)
        cell = _put(sheet, row, 2, values.get(field.key))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if field.kind in ("text", "date"):
            cell.number_format = "@"
        sheet.cell(row, 3, str(field.help) + (" " + str(_("Bắt buộc.")) if field.required else ""))
        if field.choices:
            _drop_down(sheet, f'"{field.choices}"', f"B{row}")
    for letter, width in zip("ABC", (24, 70, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B2"


def _set_values(document: dict) -> dict[str, Any]:
    programme, set_data = document.get("programme") or {}, document.get("set") or {}
    values = {f"programme.{key}": value for key, value in programme.items()}
    values["programme.buckets"] = "; ".join(f"{low}-{high}" for low, high in programme.get("buckets") or []) or None
    values |= {f"set.{key}": value for key, value in set_data.items() if key not in ("province", "applies_to")}
    province = set_data.get("province") or {}
    values["set.province.code"] = province.get("code")
    values["set.province.name"] = province.get("name")
    values["set.applies_to"] = ", ".join(str(kind) for kind in set_data.get("applies_to") or [])
    return values


def _measure_row(measure: dict) -> dict:
    levels = measure.get("levels") or []
    return {**measure, "levels": f"{LEVEL_SEPARATOR} ".join(str(level) for level in levels) or None}


def _indicator_rows(criteria: list[dict]) -> tuple[list[dict], list[dict]]:
    """One row per indicator (a criterion without indicators: one row of its own), and the 'Ngưỡng khác' rows."""
    rows: list[dict] = []
    others: list[dict] = []
    for criterion in criteria:
        first = {f"criterion.{key}": value for key, value in criterion.items() if key != "indicators"}
        indicators = criterion.get("indicators") or []
        if not indicators:
            rows.append(first)
        for position, indicator in enumerate(indicators):
            row = dict(first) if position == 0 else {"criterion.number": criterion.get("number")}
            row |= {key: value for key, value in indicator.items() if key != "thresholds"}
            grid, rest = split_grid(indicator.get("thresholds") or [])
            for threshold in grid:
                row[f"group.{threshold.get('group') or 0}"] = _grid_value(threshold)
            if grid:
                row["source"], row["verified"] = grid[0].get("source"), grid[0].get("verified")
            rows.append(row)
            others += [_other_row(indicator.get("code"), threshold) for threshold in rest]
    return rows, others


def fits_grid(threshold: dict) -> bool:
    """A threshold with no qualifier but (at most) a commune group has a place in the group columns."""
    qualifiers = ("region", "tdmnpb_rule", "year", "when")
    return all(threshold.get(key) in (None, "") for key in qualifiers) and threshold.get("group") in GRID_GROUPS


def split_grid(thresholds: list[dict]) -> tuple[list[dict], list[dict]]:
    """The thresholds written in the group columns, and the rest (for 'Ngưỡng khác').

    The reader puts a row's group columns first, left to right, then its 'Ngưỡng khác' rows in order; so the grid
    takes the longest leading run that keeps that order and shares one source and verified flag, and the order
    of a set's thresholds survives the round trip."""
    grid: list[dict] = []
    for threshold in thresholds:
        if not fits_grid(threshold):
            break
        if grid:
            same_note = (threshold.get("source"), threshold.get("verified")) == (
                grid[0].get("source"),
                grid[0].get("verified"),
            )
            if not same_note or GRID_GROUPS.index(threshold.get("group")) <= GRID_GROUPS.index(grid[-1].get("group")):
                break
        grid.append(threshold)
    return grid, thresholds[len(grid) :]


def _grid_value(threshold: dict) -> Any:
    value = threshold.get("value")
    return MARKER if value is None else value


def _other_row(indicator_code: Any, threshold: dict) -> dict:
    when = threshold.get("when") or {}
    row = {"indicator": indicator_code, **{key: value for key, value in threshold.items() if key != "when"}}
    row |= {f"when.{key}": value for key, value in when.items()}
    return row


GUIDE = [
    _("Bộ tiêu chí dạng bảng tính: tải xuống, sửa, rồi tải lên lại để nhập vào cổng."),
    _("Tệp có bốn sheet dữ liệu; không đổi tên sheet, không thêm, xóa hay đổi thứ tự cột, không dùng công thức."),
    _(
        "Sheet 'Bộ tiêu chí': mỗi dòng một trường của giai đoạn (programme.*) và của bộ (set.*): cột A tên trường, "
        "cột B giá trị."
    ),
    _("Sheet 'Số liệu': mỗi dòng một số liệu mà các chỉ tiêu đọc (kể cả số liệu trong điều kiện của ngưỡng)."),
    _(
        "Sheet 'Chỉ tiêu': mỗi dòng một chỉ tiêu. Số tiêu chí ghi ở mọi dòng; tên và các trường khác của tiêu chí ghi "
        "ở dòng đầu của tiêu chí (các dòng sau để trống hoặc ghi giống hệt)."
    ),
    _(
        "Ngưỡng: cột Chung (mọi xã) và Nhóm 1, Nhóm 2, Nhóm 3 (nhóm xã theo Quyết định 51/2025/QĐ-TTg). Ô trống: "
        "không có ngưỡng cho nhóm đó. Chỉ tiêu so sánh achieved, reached hoặc có Hệ số không có giá trị ngưỡng: ghi "
        "chữ '%(marker)s' vào cột của nhóm có ngưỡng."
    ),
    _(
        "Các cột Chung/Nhóm của một dòng dùng chung một Nguồn và một Đã xác minh. Ngưỡng theo vùng, năm, quy tắc "
        "TDMNPB, có điều kiện, hoặc có nguồn riêng ghi ở sheet 'Ngưỡng khác', mỗi dòng một ngưỡng."
    ),
    _(
        "Số thập phân viết bằng dấu chấm hoặc dấu phẩy (6.5 hoặc 6,5). Ngày viết YYYY-MM-DD. Đúng/sai viết true hoặc "
        "false."
    ),
    _(
        "Bộ đã ban hành (published) không thay được bằng tệp: để sửa, ghi mã bộ mới, hoặc ngày áp dụng mới "
        "(set.effective_from) cho phiên bản sửa đổi, với set.status là draft."
    ),
    _(
        "Khi tải lên, cổng kiểm tra cả tệp: mọi lỗi được liệt kê theo sheet và ô; không có gì được lưu nếu tệp còn "
        "lỗi. Tệp tối đa 5 MB."
    ),
]


def _write_guide(sheet) -> None:
    sheet.title = SHEET_GUIDE
    for row, text in enumerate(GUIDE, start=1):
        sheet.cell(row, 1, str(text) % {"marker": MARKER} if "%(marker)s" in str(text) else str(text))
    sheet.cell(1, 1).font = Font(bold=True)
    row = len(GUIDE) + 2
    sheet.cell(row, 1, str(_("Các cột"))).font = Font(bold=True)
    regions = ", ".join(f"{code} ({label})" for code, label in Region.choices)
    for sheet_name, columns in SHEET_COLUMNS.items():
        for column in columns:
            row += 1
            help_text = str(column.help)
            sheet.cell(row, 1, f"{sheet_name} · {column.header}")
            cell = sheet.cell(row, 2, help_text % {"regions": regions} if "%(regions)s" in help_text else help_text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 110


# ---------------------------------------------------------------- reading: the file, and where a YAML line came from


@dataclass(frozen=True)
class Place:
    """Where something is in the workbook: a sheet, a row of it, or a cell (with its column's header)."""

    sheet: str
    row: int = 0
    column: int = 0
    header: str = ""

    def __str__(self) -> str:
        params = {"sheet": self.sheet, "row": self.row, "header": self.header}
        if not self.row:
            return gettext("Sheet '%(sheet)s'") % params
        if not self.column:
            return gettext("Sheet '%(sheet)s', dòng %(row)d") % params
        params["cell"] = f"{get_column_letter(self.column)}{self.row}"
        return gettext("Sheet '%(sheet)s', ô %(cell)s (%(header)s)") % params

    def order(self) -> tuple:
        return (DATA_SHEETS.index(self.sheet) if self.sheet in DATA_SHEETS else -1, self.row, self.column)


@dataclass
class WorkbookYaml:
    """The YAML text a workbook describes, and where each of its lines came from."""

    text: str
    places: dict[int, Place]

    def locate(self, errors: list[str]) -> list[str]:
        """Messages that name a line of the YAML text, naming the sheet and cell instead (in workbook order)."""
        template = gettext("Dòng %(line)s: %(message)s")
        before, _line, after = template.partition("%(line)s")
        pattern = re.compile(re.escape(before) + r"(\d+)" + re.escape(after.partition("%(message)s")[0]))
        located: list[tuple[tuple, str]] = []
        for message in errors:
            match = pattern.match(message)
            if match is None:
                located.append(((-2, 0, 0), message))
                continue
            place = self._place(int(match.group(1)))
            located.append((place.order(), f"{place}: {message[match.end() :]}"))
        return [message for _order, message in sorted(located, key=lambda item: item[0])]

    def _place(self, line: int) -> Place:
        earlier = [known for known in self.places if known <= line]
        return self.places[max(earlier)] if earlier else Place(SHEET_SET)


def yaml_line_paths(node: Any, path: tuple, lines: dict[int, tuple]) -> None:
    """Each line of the loaded YAML -> the path of the mapping or key on it."""
    if isinstance(node, dict):
        lines.setdefault(getattr(node, "line", 0), path)
        for key, value in node.items():
            lines[node.key_lines[key]] = (*path, key)
            yaml_line_paths(value, (*path, key), lines)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yaml_line_paths(item, (*path, index), lines)


def open_workbook(data: bytes):
    """The workbook, read-only (openpyxl parses its XML with defusedxml); CriteriaFileError for an empty, too large,
    encrypted, .xls or foreign file."""
    if not data:
        raise CriteriaFileError([gettext("Tệp tải lên rỗng (0 byte). Hãy chọn tệp Excel .xlsx của bộ tiêu chí.")])
    if len(data) > MAX_UPLOAD_BYTES:
        size = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        message = gettext("Tệp nặng %(size)s MB, vượt quá giới hạn %(limit)d MB nên không được đọc.")
        raise CriteriaFileError([message % {"size": size, "limit": MAX_UPLOAD_BYTES // 1024 // 1024}])
    if data.startswith(OLE2_SIGNATURE):
        message = gettext(
            "Tệp có định dạng Excel 97-2003 (.xls) hoặc là tệp Excel có đặt mật khẩu, cổng không đọc được. Hãy mở "
            "tệp, bỏ mật khẩu nếu có, chọn Lưu thành (Save As) kiểu 'Excel Workbook (*.xlsx)' rồi tải lên lại."
        )
        raise CriteriaFileError([message])
    not_xlsx = gettext(
        "Tệp không phải tệp Excel .xlsx (có thể là tệp YAML, .csv, .xls hay tệp khác được đổi đuôi). Hãy tải tệp "
        "Excel của bộ tiêu chí từ cổng, sửa rồi lưu dạng .xlsx."
    )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise CriteriaFileError([not_xlsx]) from None
    if "[Content_Types].xml" not in names:
        raise CriteriaFileError([not_xlsx])
    if unpacked > MAX_UNPACKED_BYTES:
        message = gettext("Nội dung tệp khi giải nén quá lớn (trên %(limit)d MB).")
        raise CriteriaFileError([message % {"limit": MAX_UNPACKED_BYTES // 1024 // 1024}])
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        if isinstance(exc, DefusedXmlException) or isinstance(exc.__cause__, DefusedXmlException):
            raise CriteriaFileError([dtd_message()]) from None
        # openpyxl raises many kinds of errors on a damaged or foreign package; all mean the same to the user.
        message = gettext(
            "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải bảng tính .xlsx. Hãy mở bằng Excel, lưu lại dạng "
            ".xlsx rồi tải lên lại."
        )
        raise CriteriaFileError([message]) from None


def dtd_message() -> str:
    """Why a package declaring a DTD or an entity (which no spreadsheet program writes) is not read."""
    return gettext(
        "Tệp Excel chứa khai báo DTD hoặc thực thể ngoài, hoặc dữ liệu XML hỏng, nên không được đọc. Hãy mở bằng "
        "Excel, lưu lại rồi tải lên lại."
    )


def same_text(a: Any, b: str) -> bool:
    return isinstance(a, str) and " ".join(a.split()).casefold() == b.casefold()


def sheet_cells(sheet: str, columns: list[Column], number: int, values: list) -> dict[str, tuple[Place, Any]]:
    """A row's values by column key, each with its cell."""
    return {
        column.key: (Place(sheet, number, position, column.header), value)
        for position, (column, value) in enumerate(zip(columns, values, strict=True), start=1)
    }


def threshold_document(value, region, tdmnpb_rule, group, year, when, source, verified) -> dict:
    """A threshold as the YAML file writes it (`when` only when there is one)."""
    threshold = {"value": value, "region": region, "tdmnpb_rule": tdmnpb_rule, "group": group, "year": year}
    if when is not None:
        threshold["when"] = when
    return {**threshold, "source": source, "verified": verified}
