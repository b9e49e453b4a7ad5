"""A district's monthly figures as an Excel template to fill offline: a read-me sheet and a prefilled data sheet.

The upload side (reading and saving a filled template) is monthly.excel; the layout both share (sheet names,
header codes, rows and columns) is defined there. The codes the upload checks (sheet names, the code row,
Có/Không) stay in Vietnamese whatever the language; the texts for people follow the active language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from communes.models import AdministrativeUnit, Level
from criteria.measures import allowed_range
from criteria.models import Measure, MeasureKind
from monthly.excel import (
    CONTENT_TYPE,
    FALSE_WORD,
    FIRST_DATA_ROW,
    FIRST_MEASURE_COLUMN,
    HEADER_CODE,
    HEADER_NAME,
    MAX_UPLOAD_BYTES,
    PROP_DISTRICT,
    PROP_MONTH,
    SHEET_DATA,
    SHEET_GUIDE,
    TRUE_WORD,
    current_values,
    district_month,
)
from monthly.excel_versions import write_versions
from monthly.models import Report, ReportStatus
from monthly.services import due_date, province_due_day, time_and_date

LOCKED_LABELS = {
    ReportStatus.SUBMITTED: gettext_lazy("đã gửi, chờ duyệt"),
    ReportStatus.APPROVED: gettext_lazy("đã duyệt"),
}

_HEADER_FILL = PatternFill("solid", fgColor="DCE9E2")
_LOCKED_FILL = PatternFill("solid", fgColor="E4E4E4")
_INPUT_FILL = PatternFill("solid", fgColor="FFFDF2")
_THIN = Side(style="thin", color="B7C2C9")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)
GUIDE_TEXT_WIDTH = 80
MEASURE_WIDTH = 20


def template_filename(district: AdministrativeUnit, period: dt.date) -> str:
    return f"so-lieu-{district.code}-{period:%Y-%m}.xlsx"


def export_template(*, district: AdministrativeUnit, period: dt.date) -> tuple[str, str, bytes]:
    """The district's template for the month, filled with the current figures: (filename, content type, bytes)."""
    month = district_month(district, period)
    ids = [c.pk for c in month.communes]
    reports = list(Report.objects.filter(unit_id__in=ids, period=period))
    locked = {
        r.unit_id: str(LOCKED_LABELS[r.status])
        for r in reports
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
        versions={r.unit_id: r.version for r in reports},
    )
    return template_filename(district, period), CONTENT_TYPE, content


def build_template(
    *,
    district: AdministrativeUnit,
    period: dt.date,
    communes: Sequence[AdministrativeUnit],
    measures: Mapping[str, Measure],
    values_by_unit: Mapping[int, Mapping[int, Any]],
    locked: Mapping[int, str] | None = None,
    criterion_labels: Mapping[str, str] | None = None,
    versions: Mapping[int, int] | None = None,
) -> bytes:
    """An .xlsx with a read-me and one row per commune, prefilled with `values_by_unit` (unit id → measure id →
    value). Communes in `locked` (unit id → why) are greyed out and protected. `versions` (unit id → report
    version; none: no report) are what the upload checks the reports against."""
    locked = locked or {}
    workbook = Workbook()
    guide = workbook.active
    guide.title = SHEET_GUIDE
    _write_guide(guide, district, period, communes, measures, locked, criterion_labels or {})
    _write_data(workbook.create_sheet(SHEET_DATA), communes, measures, values_by_unit, locked)
    write_versions(workbook, communes, versions or {})
    workbook.active = 1
    workbook.properties.title = _("Số liệu nông thôn mới tháng %(month)s - %(district)s") % {
        "month": f"{period:%m/%Y}",
        "district": district.name,
    }
    workbook.properties.creator = _("Cổng điều hành Nông thôn mới")
    workbook.custom_doc_props.append(StringProperty(name=PROP_DISTRICT, value=district.code))
    workbook.custom_doc_props.append(StringProperty(name=PROP_MONTH, value=f"{period:%Y-%m}"))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the read-me sheet


def _write_guide(sheet, district, period, communes, measures, locked, criterion_labels) -> None:
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = GUIDE_TEXT_WIDTH
    for column in "CDEF":
        sheet.column_dimensions[column].width = 20
    sheet["A1"] = _("MẪU NHẬP SỐ LIỆU NÔNG THÔN MỚI THÁNG %(month)s") % {"month": f"{period:%m/%Y}"}
    sheet["A1"].font = Font(bold=True, size=14)
    row = _write_facts(sheet, 3, district, period, communes, measures)
    row = _write_steps(sheet, row + 1, district, period)
    if locked:
        row = _write_locked(sheet, row + 1, communes, locked)
    _write_measure_list(sheet, row + 1, measures, criterion_labels)
    sheet.protection.sheet = True


def _write_facts(sheet, row: int, district, period, communes, measures) -> int:
    """The district, month and deadline the template is for, from `row` on; the next free row."""
    due = due_date(period, province_due_day(district))
    facts = [
        (_("Đơn vị"), _("%(name)s (mã %(code)s)") % {"name": district.name, "code": district.code}),
        (_("Tháng báo cáo"), f"{period:%m/%Y}"),
        (_("Hạn gửi báo cáo"), _("ngày %(date)s") % {"date": f"{due:%d/%m/%Y}"}),
        (_("Số xã trong tệp"), str(len(communes))),
        (_("Số liệu mỗi xã"), str(len(measures))),
        (_("Tạo lúc"), time_and_date(timezone.now())),
    ]
    for label, value in facts:
        sheet.cell(row, 1, label).font = Font(bold=True)
        sheet.cell(row, 2, value)
        row += 1
    return row


def _guide_steps(district, period) -> list[str]:
    month = f"{period:%m/%Y}"
    if district.level == Level.COMMUNE:
        purpose = _(
            "Tệp này dùng để nhập số liệu tháng %(month)s của %(district)s rồi tải lên cổng. Điền ở sheet "
            "'%(sheet)s': dòng của xã, mỗi cột là một số liệu."
        )
    else:
        purpose = _(
            "Tệp này dùng để nhập số liệu tháng %(month)s của các xã thuộc %(district)s rồi tải lên cổng một "
            "lần. Điền ở sheet '%(sheet)s': mỗi dòng là một xã, mỗi cột là một số liệu."
        )
    return [
        purpose % {"month": month, "district": district.name, "sheet": SHEET_DATA},
        _(
            "Dòng 1 là mã số liệu, dòng 2 là tên, dòng 3 là đơn vị tính và khoảng giá trị cho phép. Không sửa, xóa, "
            "thêm hay đổi thứ tự các dòng tiêu đề, các cột và mã xã (các ô này đã khóa)."
        ),
        _("Số liệu có/không: ghi '%(true)s' hoặc '%(false)s' (cũng nhận True/False, 1/0).")
        % {"true": TRUE_WORD, "false": FALSE_WORD},
        _("Số liệu mức xếp loại: ghi đúng tên mức như trong danh sách bên dưới."),
        _("Tỷ lệ (%%): ghi số từ 0 đến 100, ví dụ 85,5 cho 85,5%%.") % {},
        _("Số thập phân ghi bằng dấu chấm hoặc dấu phẩy (12.5 hoặc 12,5); số lượng phải là số nguyên không âm."),
        _(
            "Ô để trống: xã không có số liệu đó trong tháng. Số đã điền sẵn là số liệu hiện có (báo cáo tháng này, "
            "nếu chưa có thì số liệu được duyệt gần nhất): giữ nguyên nếu không đổi, sửa nếu đã thay đổi."
        ),
        _("Gõ giá trị vào ô; không dùng công thức (=...), kể cả công thức tham chiếu ô khác."),
        _(
            "Xã có nền xám là xã có báo cáo tháng này đã gửi hoặc đã duyệt nên đã khóa: giữ nguyên dòng đó; muốn "
            "sửa, đề nghị Văn phòng điều phối trả lại hoặc hủy duyệt."
        ),
        _(
            "Lưu tệp dạng Excel .xlsx (không lưu .xls hay .csv), dung lượng tối đa %(size)d "
            "MB, rồi tải lên ở trang số liệu tháng %(month)s của %(district)s trên cổng."
        )
        % {"size": MAX_UPLOAD_BYTES // 1024 // 1024, "month": month, "district": district.name},
        _(
            "Nếu tệp có lỗi, không số liệu nào được lưu: cổng liệt kê mọi lỗi theo sheet và ô để sửa rồi tải lên lại. "
            "Tải lên lại một tệp đã sửa sẽ cập nhật số liệu đã lưu, không tạo bản trùng."
        ),
        _(
            "Tệp ghi nhớ số liệu trên cổng lúc tải xuống. Nếu sau đó người khác sửa số liệu của một xã trong tệp (trên "
            "web, qua API hay bằng tệp khác), cả tệp bị từ chối để không ghi đè: tải tệp mẫu mới rồi điền lại. Tải "
            "lên lại chính tệp này sau khi sửa thì vẫn được nhận."
        ),
    ]


def _write_steps(sheet, row: int, district, period) -> int:
    sheet.cell(row, 1, _("Cách điền")).font = Font(bold=True, size=12)
    row += 1
    for number, text in enumerate(_guide_steps(district, period), start=1):
        sheet.cell(row, 1, f"{number}.").alignment = Alignment(horizontal="right", vertical="top")
        sheet.cell(row, 2, text).alignment = _WRAP_TOP
        sheet.row_dimensions[row].height = _height(text, GUIDE_TEXT_WIDTH)
        row += 1
    return row


def _write_locked(sheet, row: int, communes, locked) -> int:
    sheet.cell(row, 1, _("Xã đã khóa")).font = Font(bold=True, size=12)
    row += 1
    for commune in communes:
        if commune.pk in locked:
            sheet.cell(row, 1, commune.code)
            sheet.cell(row, 2, f"{commune.name}: {locked[commune.pk]}")
            row += 1
    return row


def _write_measure_list(sheet, row: int, measures, criterion_labels) -> None:
    sheet.cell(row, 1, _("Danh sách số liệu")).font = Font(bold=True, size=12)
    row += 1
    headers = [_("Mã số liệu"), _("Tên số liệu"), _("Tiêu chí"), _("Kiểu"), _("Đơn vị tính"), _("Giá trị cho phép")]
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


# ---------------------------------------------------------------- the data sheet


def _write_data(sheet, communes, measures, values_by_unit, locked) -> None:
    measure_list = list(measures.values())
    last_row = FIRST_DATA_ROW + len(communes) - 1
    sheet.cell(1, 1, HEADER_CODE)
    sheet.cell(1, 2, HEADER_NAME)
    sheet.cell(2, 2, _("Tên số liệu →"))
    sheet.cell(3, 2, _("Đơn vị · giá trị cho phép →"))
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
        name = (
            _("%(commune)s (%(why)s, đã khóa)") % {"commune": commune.name, "why": locked[commune.pk]}
            if is_locked
            else commune.name
        )
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
        return _("mức: %(levels)s") % {"levels": ", ".join(measure.levels or [])}
    low, high = allowed_range(measure)
    if low is not None and high is not None:
        return f"{_plain(low)}–{_plain(high)}"
    if low is not None:
        return f"≥ {_plain(low)}"
    if high is not None:
        return f"≤ {_plain(high)}"
    return ""


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _validation(measure: Measure) -> DataValidation | None:
    """A drop-down or a range warning in Excel; the portal checks again on upload, so Excel only warns."""
    common = {"allow_blank": True, "errorStyle": "warning", "showErrorMessage": True, "errorTitle": measure.code}
    if measure.kind == MeasureKind.BOOLEAN:
        return DataValidation(
            type="list",
            formula1=f'"{TRUE_WORD},{FALSE_WORD}"',
            error=_("Ghi %(true)s hoặc %(false)s.") % {"true": TRUE_WORD, "false": FALSE_WORD},
            **common,
        )
    if measure.kind == MeasureKind.LEVEL:
        levels = measure.levels or []
        listed = ",".join(levels)
        if not levels or "," in "".join(levels) or len(listed) > 250:
            return None
        return DataValidation(type="list", formula1=f'"{listed}"', error=_("Chọn một mức trong danh sách."), **common)
    low, high = allowed_range(measure)
    if low is None or high is None:
        return None
    return DataValidation(
        type="whole" if measure.kind == MeasureKind.COUNT else "decimal",
        operator="between",
        formula1=_plain(low),
        formula2=_plain(high),
        error=_("Giá trị cho phép: %(range)s.") % {"range": describe_range(measure)},
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
