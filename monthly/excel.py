"""A district's monthly figures as an Excel round trip: a template to fill offline, and the checks on the filled file.

build_template and read_upload only read the database. apply_upload checks a whole file, then saves every
commune's row through the same save_values as the web form, in one transaction: all of the file or nothing.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from communes.models import AdministrativeUnit, Level
from criteria.models import Measure, MeasureKind
from monthly.models import Report, ReportStatus, Value, ValueChange
from monthly.services import (
    EntryMeasure,
    ReportError,
    carried_values,
    due_date,
    entry_measures,
    locked_reason,
    programme_for,
    province_due_day,
    save_values,
    validate_values,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_GUIDE = "Hướng dẫn"
SHEET_DATA = "Số liệu"
HEADER_CODE, HEADER_NAME = "Mã xã", "Tên xã"
FIRST_DATA_ROW = 4  # row 1 codes, row 2 names, row 3 unit and range
FIRST_MEASURE_COLUMN = 3  # A code, B name
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip: a few kilobytes can unpack to gigabytes of XML, so the unpacked size is capped too.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_LISTED_ERRORS = 300
# Written into the workbook's custom properties so a template of another district or month is recognised.
PROP_DISTRICT, PROP_MONTH = "ntm_district", "ntm_month"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx files encrypted with a password

TRUE_WORD, FALSE_WORD = "Có", "Không"
LOCKED_LABELS = {ReportStatus.SUBMITTED: "đã gửi, chờ duyệt", ReportStatus.APPROVED: "đã duyệt"}

_HEADER_FILL = PatternFill("solid", fgColor="DCE9E2")
_LOCKED_FILL = PatternFill("solid", fgColor="E4E4E4")
_INPUT_FILL = PatternFill("solid", fgColor="FFFDF2")
_THIN = Side(style="thin", color="B7C2C9")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)
GUIDE_TEXT_WIDTH = 80
MEASURE_WIDTH = 20


class UploadError(Exception):
    """A refused upload, with every problem found, in Vietnamese, addressed by sheet and cell."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class DistrictMonth:
    """What a district's template covers: its communes (as its month page lists them) and the measures they report."""

    district: AdministrativeUnit
    period: dt.date
    communes: list[AdministrativeUnit]
    entries: list[EntryMeasure]
    measures: dict[str, Measure]


@dataclass
class UploadSummary:
    communes: int
    changes: int


def district_month(district: AdministrativeUnit, period: dt.date) -> DistrictMonth:
    """The communes and measures of a district's month (three queries); ReportError when no programme applies."""
    programme = programme_for(period)
    if programme is None:
        raise ReportError(f"Không có giai đoạn nào của Chương trình áp dụng cho tháng {period:%m/%Y}.")
    # The same communes, in the same order, as the district's month page lists.
    communes = list(AdministrativeUnit.objects.filter(parent=district, level=Level.COMMUNE).in_vietnamese_order())
    entries = entry_measures(programme=programme, level=Level.COMMUNE, province_code=district.province_code)
    return DistrictMonth(district, period, communes, entries, {e.measure.code: e.measure for e in entries})


def current_values(unit_ids: Sequence[int], period: dt.date) -> dict[int, dict[int, Any]]:
    """Each unit's figures as the entry form shows them: this month's report over the last approved ones."""
    result = carried_values(unit_ids, period)
    rows = Value.objects.filter(report__unit_id__in=list(unit_ids), report__period=period).values_list(
        "report__unit_id", "measure_id", "number", "flag", "level"
    )
    for unit_id, measure_id, number, flag, level in rows:
        result.setdefault(unit_id, {})[measure_id] = Value(number=number, flag=flag, level=level).value
    return result


def template_filename(district: AdministrativeUnit, period: dt.date) -> str:
    return f"so-lieu-{district.code}-{period:%Y-%m}.xlsx"


def export_template(*, district: AdministrativeUnit, period: dt.date) -> tuple[str, str, bytes]:
    """The district's template for the month, filled with the current figures: (filename, content type, bytes)."""
    month = district_month(district, period)
    ids = [c.pk for c in month.communes]
    locked = {
        r.unit_id: LOCKED_LABELS[r.status]
        for r in Report.objects.filter(unit_id__in=ids, period=period)
        if not r.is_open_for_entry and r.status in LOCKED_LABELS
    }
    content = build_template(
        district=district,
        period=period,
        communes=month.communes,
        measures=month.measures,
        values_by_unit=current_values(ids, period),
        locked=locked,
        criterion_labels={e.measure.code: e.criterion_label for e in month.entries},
    )
    return template_filename(district, period), CONTENT_TYPE, content


# ---------------------------------------------------------------- the template


def build_template(
    *,
    district: AdministrativeUnit,
    period: dt.date,
    communes: Sequence[AdministrativeUnit],
    measures: Mapping[str, Measure],
    values_by_unit: Mapping[int, Mapping[int, Any]],
    locked: Mapping[int, str] | None = None,
    criterion_labels: Mapping[str, str] | None = None,
) -> bytes:
    """An .xlsx with a read-me and one row per commune, prefilled with `values_by_unit` (unit id → measure id →
    value). Communes in `locked` (unit id → why) are greyed out and protected."""
    locked = locked or {}
    workbook = Workbook()
    guide = workbook.active
    guide.title = SHEET_GUIDE
    with translation.override("vi"):
        _write_guide(guide, district, period, communes, measures, locked, criterion_labels or {})
    _write_data(workbook.create_sheet(SHEET_DATA), communes, measures, values_by_unit, locked)
    workbook.active = 1
    workbook.properties.title = f"Số liệu nông thôn mới tháng {period:%m/%Y} - {district.name}"
    workbook.properties.creator = "Cổng điều hành Nông thôn mới"
    workbook.custom_doc_props.append(StringProperty(name=PROP_DISTRICT, value=district.code))
    workbook.custom_doc_props.append(StringProperty(name=PROP_MONTH, value=f"{period:%Y-%m}"))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_guide(sheet, district, period, communes, measures, locked, criterion_labels) -> None:
    due = due_date(period, province_due_day(district))
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = GUIDE_TEXT_WIDTH
    for column in "CDEF":
        sheet.column_dimensions[column].width = 20
    sheet["A1"] = f"MẪU NHẬP SỐ LIỆU NÔNG THÔN MỚI THÁNG {period:%m/%Y}"
    sheet["A1"].font = Font(bold=True, size=14)
    facts = [
        ("Đơn vị", f"{district.name} (mã {district.code})"),
        ("Tháng báo cáo", f"{period:%m/%Y}"),
        ("Hạn gửi báo cáo", f"ngày {due:%d/%m/%Y}"),
        ("Số xã trong tệp", str(len(communes))),
        ("Số liệu mỗi xã", str(len(measures))),
        ("Tạo lúc", timezone.localtime().strftime("%H:%M ngày %d/%m/%Y")),
    ]
    row = 3
    for label, value in facts:
        sheet.cell(row, 1, label).font = Font(bold=True)
        sheet.cell(row, 2, value)
        row += 1

    row += 1
    sheet.cell(row, 1, "Cách điền").font = Font(bold=True, size=12)
    row += 1
    steps = [
        f"Tệp này dùng để nhập số liệu tháng {period:%m/%Y} của các xã thuộc {district.name} rồi tải lên cổng một "
        f"lần. Điền ở sheet '{SHEET_DATA}': mỗi dòng là một xã, mỗi cột là một số liệu.",
        "Dòng 1 là mã số liệu, dòng 2 là tên, dòng 3 là đơn vị tính và khoảng giá trị cho phép. Không sửa, xóa, "
        "thêm hay đổi thứ tự các dòng tiêu đề, các cột và mã xã (các ô này đã khóa).",
        f"Số liệu có/không: ghi '{TRUE_WORD}' hoặc '{FALSE_WORD}' (cũng nhận True/False, 1/0).",
        "Số liệu mức xếp loại: ghi đúng tên mức như trong danh sách bên dưới.",
        "Tỷ lệ (%): ghi số từ 0 đến 100, ví dụ 85,5 cho 85,5%.",
        "Số thập phân ghi bằng dấu chấm hoặc dấu phẩy (12.5 hoặc 12,5); số lượng phải là số nguyên không âm.",
        "Ô để trống: xã không có số liệu đó trong tháng. Số đã điền sẵn là số liệu hiện có (báo cáo tháng này, "
        "nếu chưa có thì số liệu được duyệt gần nhất): giữ nguyên nếu không đổi, sửa nếu đã thay đổi.",
        "Gõ giá trị vào ô; không dùng công thức (=...), kể cả công thức tham chiếu ô khác.",
        "Xã có nền xám là xã có báo cáo tháng này đã gửi hoặc đã duyệt nên đã khóa: giữ nguyên dòng đó; muốn "
        "sửa, đề nghị Văn phòng điều phối trả lại hoặc hủy duyệt.",
        f"Lưu tệp dạng Excel .xlsx (không lưu .xls hay .csv), dung lượng tối đa {MAX_UPLOAD_BYTES // 1024 // 1024} "
        f"MB, rồi tải lên ở trang số liệu tháng {period:%m/%Y} của {district.name} trên cổng.",
        "Nếu tệp có lỗi, không số liệu nào được lưu: cổng liệt kê mọi lỗi theo sheet và ô để sửa rồi tải lên lại. "
        "Tải lên lại một tệp đã sửa sẽ cập nhật số liệu đã lưu, không tạo bản trùng.",
    ]
    for number, text in enumerate(steps, start=1):
        sheet.cell(row, 1, f"{number}.").alignment = Alignment(horizontal="right", vertical="top")
        sheet.cell(row, 2, text).alignment = _WRAP_TOP
        sheet.row_dimensions[row].height = _height(text, GUIDE_TEXT_WIDTH)
        row += 1

    if locked:
        row += 1
        sheet.cell(row, 1, "Xã đã khóa").font = Font(bold=True, size=12)
        row += 1
        for commune in communes:
            if commune.pk in locked:
                sheet.cell(row, 1, commune.code)
                sheet.cell(row, 2, f"{commune.name}: {locked[commune.pk]}")
                row += 1

    row += 1
    sheet.cell(row, 1, "Danh sách số liệu").font = Font(bold=True, size=12)
    row += 1
    headers = ["Mã số liệu", "Tên số liệu", "Tiêu chí", "Kiểu", "Đơn vị tính", "Giá trị cho phép"]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row, column, text)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BOX
    for measure in measures.values():
        row += 1
        cells = [
            measure.code,
            measure.name,
            criterion_labels.get(measure.code, ""),
            str(MeasureKind(measure.kind).label),
            measure.unit,
            describe_range(measure),
        ]
        for column, text in enumerate(cells, start=1):
            cell = sheet.cell(row, column, text)
            cell.alignment, cell.border = _WRAP_TOP, _BOX
        sheet.row_dimensions[row].height = max(_height(measure.name, GUIDE_TEXT_WIDTH), _height(cells[2], 20))
    sheet.protection.sheet = True


def _write_data(sheet, communes, measures, values_by_unit, locked) -> None:
    measure_list = list(measures.values())
    last_row = FIRST_DATA_ROW + len(communes) - 1
    sheet.cell(1, 1, HEADER_CODE)
    sheet.cell(1, 2, HEADER_NAME)
    sheet.cell(2, 2, "Tên số liệu →")
    sheet.cell(3, 2, "Đơn vị · giá trị cho phép →")
    for offset, measure in enumerate(measure_list):
        column = FIRST_MEASURE_COLUMN + offset
        sheet.cell(1, column, measure.code)
        sheet.cell(2, column, measure.name)
        sheet.cell(3, column, " · ".join(p for p in (measure.unit, describe_range(measure)) if p))
        sheet.column_dimensions[get_column_letter(column)].width = MEASURE_WIDTH
        validation = _validation(measure)
        if validation is not None and communes:
            validation.add(f"{get_column_letter(column)}{FIRST_DATA_ROW}:{get_column_letter(column)}{last_row}")
            sheet.add_data_validation(validation)
    for row in (1, 2, 3):
        for column in range(1, FIRST_MEASURE_COLUMN + len(measure_list)):
            cell = sheet.cell(row, column)
            cell.fill, cell.border, cell.alignment = _HEADER_FILL, _BOX, _WRAP_TOP
            cell.font = Font(bold=row == 1, italic=row == 3, size=10 if row > 1 else 11)
    sheet.row_dimensions[2].height = max((_height(m.name, MEASURE_WIDTH) for m in measure_list), default=15)
    sheet.row_dimensions[3].height = max((_height(describe_range(m), MEASURE_WIDTH) for m in measure_list), default=15)
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 30

    for row, commune in enumerate(communes, start=FIRST_DATA_ROW):
        is_locked = commune.pk in locked
        name = f"{commune.name} ({locked[commune.pk]}, đã khóa)" if is_locked else commune.name
        sheet.cell(row, 1, commune.code).border = _BOX
        sheet.cell(row, 2, name).border = _BOX
        values = values_by_unit.get(commune.pk, {})
        for offset, measure in enumerate(measure_list):
            cell = sheet.cell(row, FIRST_MEASURE_COLUMN + offset, _cell_value(values.get(measure.pk)))
            cell.border = _BOX
            if is_locked:
                cell.fill = _LOCKED_FILL
            else:
                cell.fill, cell.protection = _INPUT_FILL, _UNLOCKED
        if is_locked:
            sheet.cell(row, 1).fill = sheet.cell(row, 2).fill = _LOCKED_FILL

    sheet.freeze_panes = f"{get_column_letter(FIRST_MEASURE_COLUMN)}{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"1:{FIRST_DATA_ROW - 1}"
    sheet.page_setup.orientation = "landscape"
    # No password: the lock prevents slips, not people (see "Hướng dẫn").
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _height(text: str, width: float) -> float:
    """Row height in points for wrapped text: Excel does not grow rows to fit when it opens a file."""
    per_line = max(int(width * 1.1), 1)  # a column width unit is one digit; letters average a little less
    lines = sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))
    return 15.0 * lines


def describe_range(measure: Measure) -> str:
    """What a measure accepts, as the template's row 3 says it: "0–100", "≥ 0", "Có/Không"."""
    if measure.kind == MeasureKind.BOOLEAN:
        return f"{TRUE_WORD}/{FALSE_WORD}"
    if measure.kind == MeasureKind.LEVEL:
        return "mức: " + ", ".join(measure.levels or [])
    low, high = _bounds(measure)
    if low is not None and high is not None:
        return f"{_plain(low)}–{_plain(high)}"
    if low is not None:
        return f"≥ {_plain(low)}"
    if high is not None:
        return f"≤ {_plain(high)}"
    return ""


def _bounds(measure: Measure) -> tuple[Decimal | None, Decimal | None]:
    low, high = measure.min_value, measure.max_value
    if measure.kind == MeasureKind.PERCENT:
        # As coerce_value checks it: a share is between 0 and 100 unless the measure says otherwise.
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
    return low, high


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _validation(measure: Measure) -> DataValidation | None:
    """A drop-down or a range warning in Excel; the portal checks again on upload, so Excel only warns."""
    common = {"allow_blank": True, "errorStyle": "warning", "showErrorMessage": True, "errorTitle": measure.code}
    if measure.kind == MeasureKind.BOOLEAN:
        return DataValidation(
            type="list", formula1=f'"{TRUE_WORD},{FALSE_WORD}"', error=f"Ghi {TRUE_WORD} hoặc {FALSE_WORD}.", **common
        )
    if measure.kind == MeasureKind.LEVEL:
        levels = measure.levels or []
        listed = ",".join(levels)
        if not levels or "," in "".join(levels) or len(listed) > 250:
            return None
        return DataValidation(type="list", formula1=f'"{listed}"', error="Chọn một mức trong danh sách.", **common)
    low, high = _bounds(measure)
    if low is None or high is None:
        return None
    return DataValidation(
        type="whole" if measure.kind == MeasureKind.COUNT else "decimal",
        operator="between",
        formula1=_plain(low),
        formula2=_plain(high),
        error=f"Giá trị cho phép: {describe_range(measure)}.",
        **common,
    )


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if value is True:
        return TRUE_WORD
    if value is False:
        return FALSE_WORD
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# ---------------------------------------------------------------- reading a filled template


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def too_large_message(size: int) -> str:
    return (
        f"Tệp nặng {_megabytes(size)} MB, vượt quá giới hạn {MAX_UPLOAD_BYTES // 1024 // 1024} MB nên không "
        "được đọc. Hãy dùng tệp mẫu tải từ cổng (chỉ vài chục KB) và xóa các sheet, hình ảnh đã thêm."
    )


def read_upload(
    data: bytes,
    *,
    district: AdministrativeUnit,
    period: dt.date,
    communes: Sequence[AdministrativeUnit],
    measures: Mapping[str, Measure],
) -> dict[int, dict[str, Any]]:
    """The figures of a filled template by commune id and measure code, or UploadError listing every problem.

    Rows left entirely blank for communes without a report are skipped (nothing to save); rows of locked
    reports are skipped when unchanged and refused when changed.
    """
    workbook = _open_workbook(data)
    try:
        _check_origin(workbook, district, period)
        if SHEET_DATA not in workbook.sheetnames:
            found = ", ".join(f"'{name}'" for name in workbook.sheetnames)
            raise UploadError(
                [
                    f"Tệp không có sheet '{SHEET_DATA}' (tệp có: {found}). Hãy điền vào tệp mẫu tải từ cổng và "
                    f"giữ nguyên tên sheet '{SHEET_DATA}'."
                ]
            )
        sheet = workbook[SHEET_DATA]
        # Some programs write a wrong <dimension>; without it every row and cell present is read.
        sheet.reset_dimensions()
        rows = list(sheet.iter_rows(min_row=1, min_col=1))
    finally:
        workbook.close()
    return _Reader(district, period, communes, measures).read(rows)


def _open_workbook(data: bytes):
    if not data:
        raise UploadError(["Tệp tải lên rỗng (0 byte). Hãy chọn tệp Excel .xlsx đã điền từ tệp mẫu."])
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError([too_large_message(len(data))])
    if data.startswith(OLE2_SIGNATURE):
        raise UploadError(
            [
                "Tệp có định dạng Excel 97-2003 (.xls) hoặc là tệp Excel có đặt mật khẩu, cổng không đọc được. Hãy "
                "mở tệp, bỏ mật khẩu nếu có, chọn Lưu thành (Save As) kiểu 'Excel Workbook (*.xlsx)' rồi tải lên lại."
            ]
        )
    not_xlsx = (
        "Tệp không phải tệp Excel .xlsx (có thể là tệp .csv, .xls hay tệp khác được đổi đuôi thành .xlsx). "
        "Hãy điền vào tệp mẫu tải từ cổng và lưu dạng Excel .xlsx."
    )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise UploadError([not_xlsx]) from None
    if "[Content_Types].xml" not in names:
        raise UploadError([not_xlsx])
    if unpacked > MAX_UNPACKED_BYTES:
        raise UploadError(
            [f"Nội dung tệp khi giải nén quá lớn (trên {MAX_UNPACKED_BYTES // 1024 // 1024} MB). Hãy dùng tệp mẫu."]
        )
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception:
        # openpyxl raises many kinds of errors on a damaged or foreign package; all mean the same to the user.
        raise UploadError(
            [
                "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải bảng tính .xlsx. Hãy mở bằng Excel, lưu lại "
                "dạng .xlsx rồi tải lên lại."
            ]
        ) from None


def _check_origin(workbook, district: AdministrativeUnit, period: dt.date) -> None:
    # Files saved by other tools may drop the properties: then the commune codes are the check.
    props = {p.name: p.value for p in workbook.custom_doc_props}
    file_district, file_month = props.get(PROP_DISTRICT), props.get(PROP_MONTH)
    if file_district is None or file_month is None:
        return
    if (file_district, file_month) != (district.code, f"{period:%Y-%m}"):
        try:
            month = dt.date.fromisoformat(f"{file_month}-01").strftime("%m/%Y")
        except ValueError:
            month = file_month
        raise UploadError(
            [
                f"Tệp này là tệp mẫu của đơn vị mã {file_district} tháng {month}, không phải của {district.name} "
                f"tháng {period:%m/%Y} đang tải lên. Hãy tải tệp mẫu của tháng {period:%m/%Y} trên trang của "
                f"{district.name}, điền rồi tải lên."
            ]
        )


class _Reader:
    """One pass over the data sheet's rows, collecting every error before deciding."""

    def __init__(self, district, period, communes, measures):
        self.district, self.period, self.measures = district, period, measures
        self.by_code = {c.code: c for c in communes}
        # A code retyped as a number loses its leading zeros (Hà Nội's communes start 000…).
        self.by_number = {c.code.lstrip("0"): c for c in communes if c.code.isdigit()}
        self.by_id = {c.pk: c for c in communes}
        self.errors: list[tuple[int, int, str]] = []  # (row, column, message), listed in sheet order

    def error(self, row: int, column: int, message: str, where: str = "") -> None:
        where = where or (f"dòng {row}" if column == 0 else f"ô {get_column_letter(column)}{row}")
        self.errors.append((row, column, f"Sheet '{SHEET_DATA}', {where}: {message}"))

    def read(self, rows: list[tuple]) -> dict[int, dict[str, Any]]:
        if not rows:
            raise UploadError([f"Sheet '{SHEET_DATA}' trống: không có dòng tiêu đề và số liệu nào."])
        self.columns, self.refused = self._read_header(rows[0])
        self.headless_reported: set[int] = set()
        found: dict[int, tuple[int, dict[str, Any]]] = {}  # commune id -> (row, raw values)
        for row, cells in enumerate(rows[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
            self._read_row(row, cells, found)
        results = self._validate(found)
        if self.errors:
            errors = [message for _row, _column, message in sorted(self.errors, key=lambda e: e[:2])]
            if len(errors) > MAX_LISTED_ERRORS:
                errors = errors[:MAX_LISTED_ERRORS] + [f"… và {len(errors) - MAX_LISTED_ERRORS} lỗi khác."]
            raise UploadError(errors)
        return results

    # -------------------------------------------------------- header

    def _read_header(self, cells: tuple) -> tuple[dict[int, Measure], set[int]]:
        """The measure of each column, and the columns whose header was refused (their cells are not read)."""
        columns: dict[int, Measure] = {}
        refused: set[int] = set()
        seen: dict[str, str] = {}
        texts = {index: _text(cell) for index, cell in enumerate(cells, start=1)}
        for index, expected in ((1, HEADER_CODE), (2, HEADER_NAME)):
            if texts.get(index, "") != expected:
                self.error(
                    1,
                    index,
                    f"tiêu đề phải là '{expected}' (đang là '{texts.get(index, '')}'); không sửa dòng tiêu đề, hãy "
                    "tải lại tệp mẫu.",
                )
        for index in range(FIRST_MEASURE_COLUMN, len(cells) + 1):
            code = texts[index]
            if not code:
                continue
            coordinate = f"{get_column_letter(index)}1"
            measure = self.measures.get(code)
            if measure is None:
                refused.add(index)
                self.error(
                    1,
                    index,
                    f"'{code}' không phải mã số liệu của bộ tiêu chí áp dụng cho xã tháng {self.period:%m/%Y}; "
                    "không sửa mã số liệu ở dòng 1 (hãy tải lại tệp mẫu).",
                )
            elif code in seen:
                refused.add(index)
                self.error(1, index, f"mã số liệu '{code}' trùng với cột ở ô {seen[code]}; mỗi số liệu một cột.")
            else:
                seen[code] = coordinate
                columns[index] = measure
        return columns, refused

    # -------------------------------------------------------- rows

    def _read_row(self, row: int, cells: tuple, found: dict) -> None:
        if all(_blank(cell) for cell in cells):
            return
        for index, cell in enumerate(cells, start=1):
            if getattr(cell, "data_type", None) == "f":
                formula = getattr(cell.value, "text", cell.value)  # an array formula is an object
                self.error(row, index, f"ô chứa công thức ({formula}); hãy gõ giá trị, không dùng công thức.")
        code = _code(cells[0])
        commune = self.by_code.get(code) or (self.by_number.get(code.lstrip("0")) if code.isdigit() else None)
        if not code:
            self.error(row, 1, "dòng có số liệu nhưng thiếu mã xã; không xóa hay sửa cột mã xã.")
            return
        if commune is None:
            self.error(
                row,
                1,
                f"mã xã '{code}' không phải một xã của {self.district.name}; không sửa mã xã và không thêm dòng "
                "cho xã khác.",
            )
            return
        if commune.pk in found:
            first = found[commune.pk][0]
            self.error(
                row,
                0,
                f"xã {commune.code} ({commune.name}) có hai dòng, dòng {first} và dòng {row}; mỗi xã chỉ một dòng.",
            )
            return
        raw: dict[str, Any] = {}
        for index, cell in enumerate(cells[FIRST_MEASURE_COLUMN - 1 :], start=FIRST_MEASURE_COLUMN):
            measure = self.columns.get(index)
            if measure is None:
                if index not in self.refused and not _blank(cell) and index not in self.headless_reported:
                    self.headless_reported.add(index)
                    letter = get_column_letter(index)
                    self.error(1, index, f"có số liệu nhưng ô {letter}1 không có mã số liệu.", where=f"cột {letter}")
                continue
            if cell.data_type != "f":
                raw[measure.code] = _raw(cell, measure)
        found[commune.pk] = (row, raw)

    # -------------------------------------------------------- values and locked reports

    def _validate(self, found: dict) -> dict[int, dict[str, Any]]:
        column_of = {measure.code: index for index, measure in self.columns.items()}
        reports = {
            r.unit_id: r
            for r in Report.objects.filter(unit_id__in=list(found), period=self.period).select_related("unit")
        }
        locked = [unit_id for unit_id in found if unit_id in reports and not reports[unit_id].is_open_for_entry]
        current = current_values(locked, self.period) if locked else {}
        results: dict[int, dict[str, Any]] = {}
        for unit_id, (row, raw) in found.items():
            commune = self.by_id[unit_id]
            values, errors = validate_values(self.measures, raw)
            errors.update(_too_large(values, self.measures))
            for code, message in errors.items():
                column = column_of[code]
                where = f"ô {get_column_letter(column)}{row} ({commune.name}, {code})"
                self.error(row, column, message, where=where)
            if unit_id in locked:
                # The template carries locked rows as they stand: unchanged, they are skipped; changed, refused.
                if errors or _changed(values, self.measures, current.get(unit_id, {})):
                    self.error(row, 0, locked_reason(reports[unit_id]))
                continue
            if unit_id not in reports and all(v is None for v in raw.values()):
                continue  # nothing to save, and no empty draft to create
            results[unit_id] = raw
        return results


def _blank(cell) -> bool:
    value = getattr(cell, "value", None)
    return value is None or (isinstance(value, str) and not value.strip())


def _text(cell) -> str:
    value = getattr(cell, "value", None)
    return "" if value is None else str(value).strip()


def _code(cell) -> str:
    value = getattr(cell, "value", None)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _raw(cell, measure: Measure) -> Any:
    """A cell's value as validate_values expects it: text as typed, numbers exact, 1/0 as booleans."""
    value = cell.value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        value = value.strip()
        if measure.kind == MeasureKind.PERCENT and value.endswith("%"):
            value = value[:-1].strip()
        return value
    if isinstance(value, int | float):
        if measure.kind == MeasureKind.BOOLEAN and value in (0, 1):
            return value == 1
        # repr gives the shortest decimal that reads back as the same float: 33.3, not 33.29999999999999715783.
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if measure.kind == MeasureKind.PERCENT and "%" in (cell.number_format or ""):
            # Excel stores "85%" typed into a cell as 0.85 shown as a percentage: the person meant 85.
            number *= 100
        return _tidy(number)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        # Excel turned what was typed into a date (e.g. 12.5 read as 12 May in some locales).
        return f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value)
    return str(value)


def _tidy(number: Decimal) -> int | Decimal:
    """140 rather than 140.0 or 1.4E+2, so messages show the number as the person typed it."""
    if not number.is_finite():
        return number
    if number == number.to_integral_value():
        return int(number)
    return number.normalize()


_NUMBER_FIELD = Value._meta.get_field("number")
NUMBER_LIMIT = Decimal(10) ** (_NUMBER_FIELD.max_digits - _NUMBER_FIELD.decimal_places)
_LIMIT_TEXT = f"{NUMBER_LIMIT:,.0f}".replace(",", ".")  # 10.000.000.000, the Vietnamese way


def _too_large(values: Mapping[str, Any], measures: Mapping[str, Measure]) -> dict[str, str]:
    """Numbers the value column cannot hold (a measure without a maximum lets them through validate_values)."""
    return {
        code: f"{measures[code].name}: {value} quá lớn, phải nhỏ hơn {_LIMIT_TEXT}."
        for code, value in values.items()
        if isinstance(value, Decimal) and value.is_finite() and abs(value) >= NUMBER_LIMIT
    }


def _changed(values: Mapping[str, Any], measures: Mapping[str, Measure], current: Mapping[int, Any]) -> bool:
    for code, value in values.items():
        old = current.get(measures[code].pk)
        if isinstance(old, bool) or isinstance(value, bool):
            if old is not value:
                return True
        elif old != value:
            return True
    return False


# ---------------------------------------------------------------- saving


def apply_upload(data: bytes, *, district: AdministrativeUnit, period: dt.date, by) -> UploadSummary:
    """Check a filled template and save every commune's figures in one transaction, or nothing at all."""
    try:
        month = district_month(district, period)
    except ReportError as exc:
        raise UploadError([exc.message]) from None
    rows = read_upload(data, district=district, period=period, communes=month.communes, measures=month.measures)
    units = {c.pk: c for c in month.communes}
    changes = ValueChange.objects.filter(report__unit_id__in=list(rows), report__period=period)
    commune = None
    try:
        with transaction.atomic():
            before = changes.count()
            for unit_id, raw in rows.items():
                commune = units[unit_id]
                save_values(unit=commune, period=period, raw=raw, by=by, via="excel", measures=month.measures)
            return UploadSummary(communes=len(rows), changes=changes.count() - before)
    except ReportError as exc:
        # A report locked between the check and the save (or a value refused): the transaction rolled back.
        raise UploadError([f"{commune.name if commune else district.name}: {exc.message}"]) from None
