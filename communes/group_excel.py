"""Commune groups through Excel: the province's communes with their groups in force, to fill a new group and day
beside each one and upload back. Every error is named by cell; nothing is saved unless the whole file is right."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill, Protection

from communes.groups import CommuneGroupAssignment, group_label
from communes.models import REFORM_DATE, AdministrativeUnit

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "Nhóm xã"
HEADERS = ["Mã xã", "Tên xã", "Nhóm hiện nay", "Áp dụng từ", "Nhóm mới (1, 2, 3)", "Từ ngày (dd/mm/yyyy)", "Căn cứ"]
MAX_BYTES = 2 * 1024 * 1024
MAX_ERRORS = 200
_INPUT = PatternFill("solid", fgColor="FFFDF2")
_HEADER = PatternFill("solid", fgColor="DCE9E2")


class GroupUploadError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def export_groups(province: AdministrativeUnit, rows, day: dt.date) -> tuple[str, str, bytes]:
    """(filename, content type, bytes): one row per commune, its group in force on the day, empty cells to fill."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    for column, text in enumerate(HEADERS, start=1):
        cell = sheet.cell(1, column, text)
        cell.font, cell.fill = Font(bold=True), _HEADER
    for offset, row in enumerate(rows, start=2):
        current = row.current
        sheet.cell(offset, 1, row.unit.code)
        sheet.cell(offset, 2, row.unit.name)
        sheet.cell(offset, 3, group_label(current.group if current else None))
        sheet.cell(offset, 4, f"{current.valid_from:%d/%m/%Y}" if current else "")
        for column in (5, 6, 7):
            cell = sheet.cell(offset, column)
            cell.fill, cell.protection = _INPUT, Protection(locked=False)
    for column, width in zip("ABCDEFG", (10, 28, 16, 12, 18, 20, 36), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True
    guide = workbook.create_sheet("Hướng dẫn")
    lines = [
        _("Phân nhóm xã của %(province)s theo Quyết định 51/2025/QĐ-TTg (tình hình ngày %(day)s).")
        % {"province": province.name, "day": f"{day:%d/%m/%Y}"},
        _(
            "Nhóm 1: xã giáp ranh đô thị hiện hữu, định hướng phát triển thành đô thị, hoặc tỷ trọng nông nghiệp "
            "dưới 10%, hoặc khu vực đô thị mới."
        ),
        _("Nhóm 3: xã khu vực II, III vùng đồng bào dân tộc thiểu số và miền núi. Nhóm 2: các xã còn lại."),
        _("Ở xã cần ghi nhóm: điền nhóm mới (1, 2 hoặc 3) ở cột E và ngày bắt đầu áp dụng ở cột F; căn cứ ở cột G."),
        _("Để trống cột E và F ở xã không đổi. Không sửa mã xã. Nhóm cũ được giữ trong lịch sử phân nhóm."),
        _("Nếu tệp có lỗi, không phân nhóm nào được ghi: cổng liệt kê lỗi theo ô để sửa rồi tải lên lại."),
    ]
    for number, text in enumerate(lines, start=1):
        guide.cell(number, 1, text)
    guide.column_dimensions["A"].width = 120
    buffer = BytesIO()
    workbook.save(buffer)
    return f"nhom-xa-{province.code}-{day:%Y-%m-%d}.xlsx", CONTENT_TYPE, buffer.getvalue()


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _group(value) -> int | None:
    text = str(value).strip().removeprefix("Nhóm").strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text in {"1", "2", "3"} else None


def _open(uploaded):
    if uploaded.size > MAX_BYTES:
        raise GroupUploadError([_("Tệp lớn hơn 2 MB: hãy dùng tệp mẫu tải từ trang phân nhóm.")])
    try:
        workbook = load_workbook(BytesIO(uploaded.read()), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many kinds of errors on a damaged or foreign file; all mean the same to the user.
        raise GroupUploadError(
            [_("Không đọc được tệp: tệp không phải bảng tính Excel .xlsx. Hãy điền vào tệp mẫu rồi tải lên.")]
        ) from None
    if SHEET not in workbook.sheetnames:
        raise GroupUploadError([_("Tệp không có sheet '%(sheet)s' của tệp mẫu.") % {"sheet": SHEET}])
    try:
        return list(workbook[SHEET].iter_rows(min_row=2, max_col=7, values_only=True))
    except Exception:
        raise GroupUploadError([_("Sheet '%(sheet)s' bị hỏng, không đọc được.") % {"sheet": SHEET}]) from None
    finally:
        workbook.close()


def _read_row(number: int, cells: tuple, communes: dict, seen: dict, errors: list[str], province) -> tuple | None:
    cells = tuple(cells) + (None,) * (7 - len(cells))
    code, group_cell, day_cell, decision = cells[0], cells[4], cells[5], cells[6]
    if code in (None, "") and group_cell in (None, "") and day_cell in (None, ""):
        return None
    code = str(code).strip().removesuffix(".0") if code is not None else ""
    unit = communes.get(code) or communes.get(code.zfill(5))
    if unit is None:
        errors.append(
            _("Ô A%(row)d: mã xã '%(code)s' không phải một xã của %(province)s.")
            % {"row": number, "code": code, "province": province.name}
        )
        return None
    if group_cell in (None, "") and day_cell in (None, ""):
        return None
    group, day = _group(group_cell) if group_cell not in (None, "") else None, None
    if group is None:
        errors.append(_("Ô E%(row)d (%(name)s): nhóm phải là 1, 2 hoặc 3.") % {"row": number, "name": unit.name})
    if day_cell in (None, ""):
        errors.append(_("Ô F%(row)d (%(name)s): thiếu ngày bắt đầu áp dụng nhóm.") % {"row": number, "name": unit.name})
    else:
        day = _day(day_cell)
        if day is None:
            errors.append(
                _("Ô F%(row)d (%(name)s): '%(value)s' không phải ngày dạng ngày/tháng/năm.")
                % {"row": number, "name": unit.name, "value": str(day_cell)[:30]}
            )
        elif day < REFORM_DATE or day > timezone.localdate() + dt.timedelta(days=366):
            errors.append(
                _("Ô F%(row)d (%(name)s): ngày phải từ 01/07/2025 đến một năm tới.")
                % {"row": number, "name": unit.name}
            )
            day = None
    if group is None or day is None:
        return None
    if (unit.pk, day) in seen:
        errors.append(
            _("Ô A%(row)d: %(name)s đã có ở dòng %(first)d với cùng ngày.")
            % {"row": number, "name": unit.name, "first": seen[(unit.pk, day)]}
        )
        return None
    seen[(unit.pk, day)] = number
    text = str(decision).strip()[:200] if decision not in (None, "") else ""
    return unit, group, day, text


def read_groups(uploaded, communes: dict[str, AdministrativeUnit], *, by, province) -> int:
    """Save the filled workbook's assignments in one transaction (the number new or changed), or GroupUploadError
    with every problem by cell and nothing saved."""
    errors: list[str] = []
    seen: dict = {}
    wanted = []
    for number, cells in enumerate(_open(uploaded), start=2):
        row = _read_row(number, cells, communes, seen, errors, province)
        if row is not None:
            wanted.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise GroupUploadError(errors)
    existing = {
        (a.unit_id, a.valid_from): a
        for a in CommuneGroupAssignment.objects.filter(unit_id__in=[u.pk for u, *_rest in wanted])
    }
    saved = 0
    with transaction.atomic():
        for unit, group, day, decision in wanted:
            current = existing.get((unit.pk, day))
            if current is not None and (current.group, current.decision) == (group, decision or current.decision):
                continue
            CommuneGroupAssignment.objects.update_or_create(
                unit=unit, valid_from=day, defaults={"group": group, "decision": decision, "assigned_by": by}
            )
            saved += 1
    return saved
