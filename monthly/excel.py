"""A district's monthly figures as an Excel round trip: the checks on a filled template, and saving it.

The template itself is written by monthly.excel_template, with the layout defined here. read_upload only reads
the database. apply_upload checks a whole file, then saves each commune's row whose cells differ from what the
portal holds through the same save_values as the web form, in one transaction: all of the file or nothing.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from communes.models import AdministrativeUnit, Level
from communes.months import month_end
from criteria.models import Measure, MeasureKind
from monthly.excel_versions import SHEET_VERSIONS, StaleWorkbook, TemplateVersions, read_versions, refuse_if_stale
from monthly.figures import carried_values
from monthly.judged import judged_kinds_in, only_judged
from monthly.models import Report, Value, ValueChange
from monthly.services import (
    EntryMeasure,
    ReportError,
    entry_measures,
    locked_reason,
    no_programme_message,
    programme_for,
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


class UploadError(Exception):
    """A refused upload, with every problem found, in Vietnamese, addressed by sheet and cell."""

    def __init__(self, errors: list[str], *, stale: bool = False):
        super().__init__("\n".join(errors))
        self.errors = errors
        # The file is sound but older than the figures on the portal: not errors to fix, a fresh template to fill.
        self.stale = stale


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
    """What an upload did: `communes` saved (their cells differed), `changes` values changed, of `rows` read."""

    communes: int
    changes: int
    rows: int = 0


def district_month(district: AdministrativeUnit, period: dt.date) -> DistrictMonth:
    """The communes and measures of a workbook's month (three queries); ReportError when no programme applies.

    The workbook follows the month's structure: a district's communes before July 2025; since, one commune's own
    workbook (`district` is the commune) or the whole province's for its coordination office."""
    programme = programme_for(period)
    if programme is None:
        raise ReportError(no_programme_message(period))
    communes = list(workbook_communes(district, period))
    entries = entry_measures(
        programme=programme, level=Level.COMMUNE, province_code=district.province_code, on=month_end(period)
    )
    return DistrictMonth(district, period, communes, entries, {e.measure.code: e.measure for e in entries})


def workbook_communes(unit: AdministrativeUnit, period: dt.date):
    """The communes of the unit's workbook, in the order its pages list them (a queryset)."""
    if unit.level == Level.COMMUNE:
        return AdministrativeUnit.objects.filter(pk=unit.pk)
    if unit.level == Level.PROVINCE:
        # Wards and special zones are not asked for figures; the communes that existed in the month.
        communes = AdministrativeUnit.objects.filter(path__startswith=unit.path, level=Level.COMMUNE).current(on=period)
        return only_judged(communes, judged_kinds_in(period, Level.COMMUNE, unit.province_code)).in_vietnamese_order()
    # The same communes, in the same order, as the district's month page lists.
    return AdministrativeUnit.objects.filter(parent=unit, level=Level.COMMUNE).in_vietnamese_order()


def current_values(
    unit_ids: Sequence[int], period: dt.date, *, carried: Mapping[int, Mapping[int, Any]] | None = None
) -> dict[int, dict[int, Any]]:
    """Each unit's figures as the entry form shows them: this month's report over the last approved ones
    (`carried`, the units' carried_values, when the caller has them already)."""
    if carried is None:
        carried = carried_values(unit_ids, period)
    result = {unit_id: dict(values) for unit_id, values in carried.items()}
    rows = Value.objects.filter(report__unit_id__in=list(unit_ids), report__period=period).values_list(
        "report__unit_id", "measure_id", "number", "flag", "level"
    )
    for unit_id, measure_id, number, flag, level in rows:
        result.setdefault(unit_id, {})[measure_id] = Value(number=number, flag=flag, level=level).value
    return result


# ---------------------------------------------------------------- reading a filled template


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def too_large_message(size: int) -> str:
    return _(
        "Tệp nặng %(size)s MB, vượt quá giới hạn %(limit)d MB nên không "
        "được đọc. Hãy dùng tệp mẫu tải từ cổng (chỉ vài chục KB) và xóa các sheet, hình ảnh đã thêm."
    ) % {"size": _megabytes(size), "limit": MAX_UPLOAD_BYTES // 1024 // 1024}


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
    return read_filled(data, district=district, period=period, communes=communes, measures=measures)[0]


def read_filled(
    data: bytes,
    *,
    district: AdministrativeUnit,
    period: dt.date,
    communes: Sequence[AdministrativeUnit],
    measures: Mapping[str, Measure],
) -> tuple[dict[int, dict[str, Any]], TemplateVersions | None]:
    """read_upload's figures, and the report versions the template was made from (None when it carries none)."""
    workbook = _open_workbook(data)
    try:
        _check_origin(workbook, district, period)
        if SHEET_DATA not in workbook.sheetnames:
            found = ", ".join(f"'{name}'" for name in workbook.sheetnames if name != SHEET_VERSIONS)
            raise UploadError(
                [
                    _(
                        "Tệp không có sheet '%(sheet)s' (tệp có: %(found)s). Hãy điền vào tệp mẫu tải từ cổng và "
                        "giữ nguyên tên sheet '%(sheet)s'."
                    )
                    % {"sheet": SHEET_DATA, "found": found}
                ]
            )
        sheet = workbook[SHEET_DATA]
        # Some programs write a wrong <dimension>; without it every row and cell present is read.
        sheet.reset_dimensions()
        rows = _rows(sheet)
        versions = read_versions(workbook, {c.code: c for c in communes})
    except StaleWorkbook as exc:
        raise UploadError(exc.errors, stale=True) from None
    finally:
        workbook.close()
    return _Reader(district, period, communes, measures).read(rows), versions


def _open_workbook(data: bytes):
    if not data:
        raise UploadError([_("Tệp tải lên rỗng (0 byte). Hãy chọn tệp Excel .xlsx đã điền từ tệp mẫu.")])
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError([too_large_message(len(data))])
    if data.startswith(OLE2_SIGNATURE):
        raise UploadError(
            [
                _(
                    "Tệp có định dạng Excel 97-2003 (.xls) hoặc là tệp Excel có đặt mật khẩu, cổng không đọc được. "
                    "Hãy mở tệp, bỏ mật khẩu nếu có, chọn Lưu thành (Save As) kiểu 'Excel Workbook (*.xlsx)' rồi tải "
                    "lên lại."
                )
            ]
        )
    not_xlsx = _(
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
            [
                _("Nội dung tệp khi giải nén quá lớn (trên %(limit)d MB). Hãy dùng tệp mẫu.")
                % {"limit": MAX_UNPACKED_BYTES // 1024 // 1024}
            ]
        )
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception:
        # openpyxl raises many kinds of errors on a damaged or foreign package; all mean the same to the user.
        raise UploadError(
            [
                _(
                    "Không đọc được tệp Excel: tệp bị hỏng hoặc không phải bảng tính .xlsx. Hãy mở bằng Excel, lưu "
                    "lại dạng .xlsx rồi tải lên lại."
                )
            ]
        ) from None


def _rows(sheet) -> list[tuple]:
    """Every row of the sheet, read now: a read-only workbook parses the sheet's XML only here. defusedxml (which
    openpyxl uses when installed) refuses a DTD or an external entity in it: a file no spreadsheet program writes."""
    try:
        return list(sheet.iter_rows(min_row=1, min_col=1))
    except (DefusedXmlException, ElementTree.ParseError, ValueError):
        raise UploadError(
            [
                _(
                    "Tệp Excel chứa khai báo DTD hoặc thực thể ngoài, hoặc dữ liệu XML hỏng, nên không được đọc. Hãy "
                    "điền vào tệp mẫu tải từ cổng, lưu bằng Excel rồi tải lên lại."
                )
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
                _(
                    "Tệp này là tệp mẫu của đơn vị mã %(code)s tháng %(file_month)s, không phải của %(district)s "
                    "tháng %(month)s đang tải lên. Hãy tải tệp mẫu của tháng %(month)s trên trang của "
                    "%(district)s, điền rồi tải lên."
                )
                % {"code": file_district, "file_month": month, "district": district.name, "month": f"{period:%m/%Y}"}
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
        if not where and column == 0:
            where = _("dòng %(row)d") % {"row": row}
        elif not where:
            where = _("ô %(cell)s") % {"cell": f"{get_column_letter(column)}{row}"}
        where = _("Sheet '%(sheet)s', %(where)s") % {"sheet": SHEET_DATA, "where": where}
        self.errors.append((row, column, f"{where}: {message}"))

    def read(self, rows: list[tuple]) -> dict[int, dict[str, Any]]:
        if not rows:
            raise UploadError(
                [_("Sheet '%(sheet)s' trống: không có dòng tiêu đề và số liệu nào.") % {"sheet": SHEET_DATA}]
            )
        self.columns, self.refused = self._read_header(rows[0])
        self.headless_reported: set[int] = set()
        found: dict[int, tuple[int, dict[str, Any]]] = {}  # commune id -> (row, raw values)
        for row, cells in enumerate(rows[FIRST_DATA_ROW - 1 :], start=FIRST_DATA_ROW):
            self._read_row(row, cells, found)
        results = self._validate(found)
        if self.errors:
            errors = [message for _row, _column, message in sorted(self.errors, key=lambda e: e[:2])]
            if len(errors) > MAX_LISTED_ERRORS:
                more = len(errors) - MAX_LISTED_ERRORS
                errors = errors[:MAX_LISTED_ERRORS] + [
                    ngettext("… và %(count)d lỗi khác.", "… và %(count)d lỗi khác.", more) % {"count": more}
                ]
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
                    _(
                        "tiêu đề phải là '%(expected)s' (đang là '%(found)s'); không sửa dòng tiêu đề, hãy "
                        "tải lại tệp mẫu."
                    )
                    % {"expected": expected, "found": texts.get(index, "")},
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
                    _(
                        "'%(code)s' không phải mã số liệu của bộ tiêu chí áp dụng cho xã tháng %(month)s; "
                        "không sửa mã số liệu ở dòng 1 (hãy tải lại tệp mẫu)."
                    )
                    % {"code": code, "month": f"{self.period:%m/%Y}"},
                )
            elif code in seen:
                refused.add(index)
                self.error(
                    1,
                    index,
                    _("mã số liệu '%(code)s' trùng với cột ở ô %(cell)s; mỗi số liệu một cột.")
                    % {"code": code, "cell": seen[code]},
                )
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
                message = _("ô chứa công thức (%(formula)s); hãy gõ giá trị, không dùng công thức.")
                self.error(row, index, message % {"formula": formula})
        code = _code(cells[0])
        commune = self.by_code.get(code) or (self.by_number.get(code.lstrip("0")) if code.isdigit() else None)
        if not code:
            self.error(row, 1, _("dòng có số liệu nhưng thiếu mã xã; không xóa hay sửa cột mã xã."))
            return
        if commune is None:
            self.error(
                row,
                1,
                _(
                    "mã xã '%(code)s' không phải một xã của %(district)s; không sửa mã xã và không thêm dòng "
                    "cho xã khác."
                )
                % {"code": code, "district": self.district.name},
            )
            return
        if commune.pk in found:
            first = found[commune.pk][0]
            self.error(
                row,
                0,
                _("xã %(code)s (%(name)s) có hai dòng, dòng %(first)d và dòng %(row)d; mỗi xã chỉ một dòng.")
                % {"code": commune.code, "name": commune.name, "first": first, "row": row},
            )
            return
        raw: dict[str, Any] = {}
        for index, cell in enumerate(cells[FIRST_MEASURE_COLUMN - 1 :], start=FIRST_MEASURE_COLUMN):
            measure = self.columns.get(index)
            if measure is None:
                if index not in self.refused and not _blank(cell) and index not in self.headless_reported:
                    self.headless_reported.add(index)
                    letter = get_column_letter(index)
                    message = _("có số liệu nhưng ô %(cell)s không có mã số liệu.") % {"cell": f"{letter}1"}
                    self.error(1, index, message, where=_("cột %(column)s") % {"column": letter})
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
                where = _("ô %(cell)s (%(commune)s, %(code)s)") % {
                    "cell": f"{get_column_letter(column)}{row}",
                    "commune": commune.name,
                    "code": code,
                }
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
    """A cell's value as validate_values expects it: text as typed, numbers exact, 1/0 as booleans.

    Typed text is read by validate_values like the entry form's (yes/no words, "12,5 %"): see criteria.measures.
    What is left here is what Excel itself did to the cell: numbers, percentage formats, dates.
    """
    value = cell.value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip()
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
        code: _("%(measure)s: %(value)s quá lớn, phải nhỏ hơn %(limit)s.")
        % {"measure": measures[code].name, "value": value, "limit": _LIMIT_TEXT}
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


def _area_name(unit: AdministrativeUnit) -> str:
    """What the workbook's communes belong to, for messages ("1 xã thuộc Tỉnh Quảng Ngãi")."""
    if unit.level == Level.COMMUNE and unit.parent_id:
        return unit.parent.name
    return unit.name


def apply_upload(data: bytes, *, district: AdministrativeUnit, period: dt.date, by) -> UploadSummary:
    """Check a filled template and save, in one transaction or not at all, the communes whose cells differ from
    the figures the portal holds (a row left as the template gave it: no save, no new draft, no new version).
    A workbook any of whose communes' reports changed since it was downloaded is refused whole."""
    try:
        month = district_month(district, period)
    except ReportError as exc:
        raise UploadError([exc.message]) from None
    rows, template = read_filled(
        data, district=district, period=period, communes=month.communes, measures=month.measures
    )
    units = {c.pk: c for c in month.communes}
    commune = None
    try:
        with transaction.atomic():
            # Under the reports' locks: a colleague's save either landed before (and the file is refused) or
            # waits for this upload to finish.
            expected = refuse_if_stale(
                template, {pk: units[pk] for pk in rows}, period, by=by, district_name=_area_name(district)
            )
            carried = carried_values(list(rows), period)
            current = current_values(list(rows), period, carried=carried)
            changed = {
                unit_id: raw
                for unit_id, raw in rows.items()
                # read_filled refused the file if any value was invalid: here validation only types them.
                if _changed(validate_values(month.measures, raw)[0], month.measures, current.get(unit_id, {}))
            }
            changes = ValueChange.objects.filter(report__unit_id__in=list(changed), report__period=period)
            before = changes.count() if changed else 0
            for unit_id, raw in changed.items():
                commune = units[unit_id]
                save_values(
                    unit=commune,
                    period=period,
                    raw=raw,
                    by=by,
                    via="excel",
                    measures=month.measures,
                    previous=carried.get(unit_id, {}),
                    expected_version=expected[unit_id],
                    workbook=template.template_id,
                )
            after = changes.count() if changed else 0
            return UploadSummary(communes=len(changed), changes=after - before, rows=len(rows))
    except StaleWorkbook as exc:
        raise UploadError(exc.errors, stale=True) from None
    except ReportError as exc:
        # A report created by someone else between the check and the save (or a value refused): rolled back.
        raise UploadError([f"{commune.name if commune else district.name}: {exc.message}"]) from None
