"""Excel downloads of a scope for a month: the statuses the figures reach, and the figures each commune reported.

Both workbooks end with a "Thông tin" sheet saying what the file holds: the scope, the month, the programme and
the criteria sets in force, how far the month's reports have got, whether thresholds are still unverified or the
data is a demonstration, and who made the file when. Each builder reads the database in a fixed number of
queries whatever the size of the scope (the tests pin them) and returns (filename, content type, bytes).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from communes.models import AdministrativeUnit, Level
from communes.months import month_end
from criteria.models import CriteriaSet, JudgedKinds, Measure, Programme, SetStatus, Threshold, Tier
from criteria.models import Level as CriteriaLevel
from monthly.models import Report, ReportStatus, Value
from monthly.services import entry_measures, programme_for
from records.models import Recognition
from reports.coverage import ensure_results
from reports.models import Status
from reports.scope import highest_by_unit, recognitions_on
from reports.services import judged_kinds_from, watch_list
from reports.templatetags.dashboard_format import tier_label

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CREATOR = "Cổng điều hành Nông thôn mới"
SET_LEVEL_ORDER = {CriteriaLevel.COMMUNE: 0, CriteriaLevel.DISTRICT: 1, CriteriaLevel.VILLAGE: 2}

_HEADER_FILL = PatternFill("solid", fgColor="DCE9E2")  # the Excel template's header colour (monthly.excel)
_THIN = Side(style="thin", color="B7C2C9")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
INFO_TEXT_WIDTH = 90
MEASURE_WIDTH = 18


# ---------------------------------------------------------------- what both workbooks read


@dataclass
class ScopeMonth:
    """The rows both workbooks read about a scope and a month (seven queries; six for a province, which has no
    ancestors)."""

    scope: AdministrativeUnit
    period: dt.date
    ancestors: list[AdministrativeUnit]
    programme: Programme | None
    units: list[AdministrativeUnit]  # the scope's districts and communes (the scope too), in Vietnamese order
    reports: dict[int, str]  # commune pk -> the month's report status
    sets: list[CriteriaSet]  # in force for the scope's province, a provincial version replacing the national one
    unverified: bool  # a threshold of those sets is not yet checked against its source
    demo_units: bool

    @property
    def units_by_pk(self) -> dict[int, AdministrativeUnit]:
        return {u.pk: u for u in [*self.ancestors, *self.units]}

    @property
    def communes(self) -> list[AdministrativeUnit]:
        return [u for u in self.units if u.level == Level.COMMUNE]


def load_scope_month(scope: AdministrativeUnit, period: dt.date) -> ScopeMonth:
    """Ancestors, programme, units, the month's reports, the sets in force, unverified thresholds, demo units."""
    ancestors = scope.ancestors()
    programme = programme_for(period)
    units = list(
        AdministrativeUnit.objects.filter(
            path__startswith=scope.path, level__in=[Level.DISTRICT, Level.COMMUNE]
        ).in_vietnamese_order()
    )
    reports = dict(
        Report.objects.filter(unit__path__startswith=scope.path, unit__level=Level.COMMUNE, period=period)
        .order_by()
        .values_list("unit_id", "status")
    )
    sets: list[CriteriaSet] = []
    if programme is not None:
        chosen: dict[str, CriteriaSet] = {}
        # National sets sort first, so a province's published version replaces its national set (as the
        # evaluation does, criteria.definitions.build_programme).
        for criteria_set in (
            CriteriaSet.objects.filter(programme=programme)
            .in_force_for(scope.province_code, month_end(period))
            .order_by("province_code", "rank")
        ):
            chosen[criteria_set.code] = criteria_set
        sets = sorted(chosen.values(), key=lambda s: (SET_LEVEL_ORDER.get(s.level, 9), s.rank, s.code))
    unverified = Threshold.objects.filter(
        indicator__criterion__criteria_set__in=[s.pk for s in sets], verified=False
    ).exists()
    demo_units = AdministrativeUnit.objects.filter(path__startswith=scope.path, is_demo=True).exists()
    return ScopeMonth(scope, period, ancestors, programme, units, reports, sets, unverified, demo_units)


def _grouped(units: Sequence[AdministrativeUnit]) -> list[AdministrativeUnit]:
    """Each district followed by its communes, then the communes right under the province (since 2025) or the
    scope commune itself; each group keeps the Vietnamese order it came in."""
    children: dict[int | None, list[AdministrativeUnit]] = defaultdict(list)
    for unit in units:
        if unit.level == Level.COMMUNE:
            children[unit.parent_id].append(unit)
    result = []
    for unit in units:
        if unit.level == Level.DISTRICT:
            result.append(unit)
            result.extend(children.pop(unit.pk, []))
    for rest in children.values():
        result.extend(rest)
    return result


def _district_name(unit: AdministrativeUnit, units_by_pk: dict[int, AdministrativeUnit]) -> str:
    parent = units_by_pk.get(unit.parent_id)
    return parent.name if parent is not None and parent.level == Level.DISTRICT else ""


# ---------------------------------------------------------------- statuses


@dataclass
class SetColumns:
    code: str
    label: str  # "xã đạt chuẩn", "huyện nâng cao"


def _set_columns(data: ScopeMonth, statuses: Sequence[Status]) -> list[SetColumns]:
    """The sets the statuses summarise, in the order of the sets in force; others (a set since withdrawn) last."""
    seen = {code for status in statuses for code in status.sets}
    columns = []
    for criteria_set in data.sets:
        if criteria_set.code in seen:
            level = str(CriteriaLevel(criteria_set.level).label).lower()
            tier = str(Tier(criteria_set.tier).label).lower() if criteria_set.tier in Tier.values else ""
            columns.append(SetColumns(criteria_set.code, f"{level} {tier}".strip()))
            seen.discard(criteria_set.code)
    columns.extend(SetColumns(code, code) for code in sorted(seen))
    return columns


def _decision(recognition: Recognition | None) -> str:
    if recognition is None:
        return ""
    return _("%(number)s ngày %(date)s") % {
        "number": recognition.decision_number,
        "date": f"{recognition.decision_date:%d/%m/%Y}",
    }


def _numbers(numbers) -> str:
    return ", ".join(str(n) for n in numbers or [])


def statuses_workbook(*, scope: AdministrativeUnit, period: dt.date, user) -> tuple[str, str, bytes]:
    """The month's status of every district and rural commune of the scope, beside its recognition
    (load_scope_month's queries, then statuses and recognitions)."""
    ensure_results(scope, [period])
    data = load_scope_month(scope, period)
    statuses: dict[int, Status] = {}
    if data.programme is not None:
        statuses = {
            s.unit_id: s
            for s in Status.objects.filter(
                unit__path__startswith=scope.path, period=period, programme=data.programme
            ).order_by()
        }
    recognitions = list(
        Recognition.objects.filter(unit__path__startswith=scope.path)
        .select_related("unit")
        .order_by("unit__path", "decision_date")
    )
    in_force = recognitions_on(recognitions, month_end(period))
    highest = highest_by_unit(in_force)
    at_risk = {item.unit.pk for item in watch_list(statuses, in_force) if item.at_risk}
    units_by_pk = data.units_by_pk
    # The units that get a status: the kinds the sets in force judge at each level (reports.services.judged_units).
    judged = judged_kinds_from({level: [s.unit_kinds for s in data.sets if s.level == level] for level in Level})
    rows = [u for u in _grouped(data.units) if u.pk in statuses and u.kind in judged.get(u.level, JudgedKinds())]
    set_columns = _set_columns(data, [statuses[u.pk] for u in rows])

    headers = _status_headers(set_columns)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Kết quả")
    _write_header(sheet, 1, headers)
    for row, unit in enumerate(rows, start=2):
        status = statuses[unit.pk]
        cells = _status_cells(unit, status, highest.get(unit.pk), set_columns, units_by_pk, unit.pk in at_risk)
        _write_row(sheet, row, cells)
    _finish_table(sheet, header_rows=1, columns=len(headers), rows=len(rows), frozen_columns=2)

    is_demo = data.demo_units or any(r.is_demo for r in recognitions)
    lines = _status_lines(rows, statuses, period)
    _write_info(workbook.create_sheet(_("Thông tin")), data, user, _("KẾT QUẢ ĐÁNH GIÁ NÔNG THÔN MỚI"), lines, is_demo)
    return _finish(workbook, "ket-qua-danh-gia", data, _("Kết quả đánh giá nông thôn mới"))


def _status_headers(set_columns: list[SetColumns]) -> list[tuple[str, float]]:
    """The results sheet's columns and their widths: the unit, its status, each set's figures, its recognition."""
    headers = [
        (_("Mã đơn vị"), 10),
        (_("Tên đơn vị"), 28),
        (_("Cấp"), 8),
        (_("Huyện"), 22),
        (_("Mức đạt theo số liệu"), 16),
        (_("Số tiêu chí đạt"), 10),
        (_("Tổng số tiêu chí"), 10),
    ]
    for columns in set_columns:
        headers += [
            (_("Số tiêu chí đạt (%(set)s)") % {"set": columns.label}, 12),
            (_("Tiêu chí chưa đạt (%(set)s)") % {"set": columns.label}, 18),
            (_("Tiêu chí chưa đủ số liệu (%(set)s)") % {"set": columns.label}, 18),
        ]
    headers += [(_("Mức được công nhận"), 16), (_("Quyết định công nhận"), 26), (_("Nguy cơ thu hồi"), 10)]
    return headers


def _status_cells(
    unit: AdministrativeUnit,
    status: Status,
    recognition: Recognition | None,
    set_columns: list[SetColumns],
    units_by_pk: dict[int, AdministrativeUnit],
    at_risk: bool,
) -> list[Any]:
    cells: list[Any] = [
        unit.code,
        unit.name,
        str(Level(unit.level).label),
        _district_name(unit, units_by_pk),
        tier_label(status.tier),
        status.criteria_met,
        status.criteria_total,
    ]
    for columns in set_columns:
        summary = status.sets.get(columns.code)
        if summary is None:
            cells += [None, None, None]
        else:
            cells += [
                summary.get("criteria_met"),
                _numbers(summary.get("failed")),
                _numbers(summary.get("no_data")),
            ]
    cells += [
        tier_label(recognition.tier) if recognition else "",
        _decision(recognition),
        _("Có") if at_risk else _("Không"),
    ]
    return cells


def _status_lines(
    rows: list[AdministrativeUnit], statuses: dict[int, Status], period: dt.date
) -> list[tuple[str, str]]:
    """What the information sheet says of the results: what they hold, how they are computed, how many reach."""
    commune_tiers = [statuses[u.pk].tier for u in rows if u.level == Level.COMMUNE]
    lines = [
        (
            _("Nội dung"),
            _("Mức đạt và số tiêu chí đạt của %(units)d đơn vị (huyện và xã) có kết quả đánh giá tháng %(month)s.")
            % {"units": len(rows), "month": f"{period:%m/%Y}"},
        ),
        (
            _("Cách tính"),
            _(
                "Kết quả được tính từ số liệu đã duyệt: mỗi số liệu lấy theo báo cáo được duyệt gần nhất đến tháng "
                "%(month)s; số liệu chưa duyệt (bản nháp, đã gửi, bị trả lại) không được tính. Mức được công nhận là "
                "quyết định công nhận còn hiệu lực đến ngày %(end)s; nguy cơ thu hồi theo Quyết định 18/2022/QĐ-TTg."
            )
            % {"month": f"{period:%m/%Y}", "end": f"{month_end(period):%d/%m/%Y}"},
        ),
        (
            _("Xã đạt chuẩn theo số liệu"),
            _("%(reached)d/%(communes)d xã có kết quả")
            % {"reached": sum(1 for tier in commune_tiers if tier), "communes": len(commune_tiers)},
        ),
    ]
    return lines


# ---------------------------------------------------------------- figures


def _measure_order(data: ScopeMonth, measures: list[Measure]) -> list[Measure]:
    """The order of the entry form and the Excel template (monthly.services.entry_measures), the rest by code."""
    if data.programme is None:
        return sorted(measures, key=lambda m: m.code)
    position = {
        entry.measure.pk: index
        for index, entry in enumerate(
            entry_measures(
                programme=data.programme,
                level=Level.COMMUNE,
                province_code=data.scope.province_code,
                on=month_end(data.period),
            )
        )
    }
    return sorted(measures, key=lambda m: (position.get(m.pk, len(position)), m.code))


def _cell_value(value: Any) -> Any:
    """A figure as Excel should hold it: numbers as numbers, yes/no in words, a level as its name."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def values_workbook(*, scope: AdministrativeUnit, period: dt.date, user) -> tuple[str, str, bytes]:
    """The figures of every commune's report of the month in the scope, as entered (load_scope_month's queries,
    then the values, their measures and the entry order of measures)."""
    data = load_scope_month(scope, period)
    month_values = Value.objects.filter(
        report__unit__path__startswith=scope.path, report__unit__level=Level.COMMUNE, report__period=period
    )
    figures: dict[int, dict[int, Any]] = defaultdict(dict)
    for unit_id, measure_id, number, flag, level in month_values.values_list(
        "report__unit_id", "measure_id", "number", "flag", "level"
    ):
        figures[unit_id][measure_id] = Value(number=number, flag=flag, level=level).value
    measures = _measure_order(data, list(Measure.objects.filter(pk__in=month_values.values("measure_id"))))
    units_by_pk = data.units_by_pk
    rows = [u for u in _grouped(data.units) if u.level == Level.COMMUNE and u.pk in data.reports]

    fixed = [(_("Mã xã"), 10), (_("Tên xã"), 26), (_("Huyện"), 22), (_("Trạng thái báo cáo"), 14)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Số liệu")
    # Row 1: the fixed headings and the measure codes (as the Excel template names them); row 2: names and units.
    _write_header(sheet, 1, [*fixed, *((m.code, MEASURE_WIDTH) for m in measures)])
    _write_header(sheet, 2, [("", 0)] * len(fixed) + [(_measure_title(m), 0) for m in measures])
    for column in range(1, len(fixed) + 1):
        sheet.merge_cells(start_row=1, start_column=column, end_row=2, end_column=column)
    sheet.row_dimensions[2].height = max((_height(_measure_title(m), MEASURE_WIDTH) for m in measures), default=15)
    for row, unit in enumerate(rows, start=3):
        values = figures.get(unit.pk, {})
        cells = [
            unit.code,
            unit.name,
            _district_name(unit, units_by_pk),
            str(ReportStatus(data.reports[unit.pk]).label),
            *(_cell_value(values.get(m.pk)) for m in measures),
        ]
        _write_row(sheet, row, cells)
    _finish_table(sheet, header_rows=2, columns=len(fixed) + len(measures), rows=len(rows), frozen_columns=2)

    lines = [
        (
            _("Nội dung"),
            _("Số liệu trong báo cáo tháng %(month)s của %(communes)d xã, %(measures)d số liệu.")
            % {"month": f"{period:%m/%Y}", "communes": len(rows), "measures": len(measures)},
        ),
        (
            _("Cách lấy số liệu"),
            _(
                "Chỉ gồm giá trị ghi trong báo cáo của chính tháng %(month)s, ở mọi trạng thái (xem cột Trạng thái "
                "báo cáo): số liệu chưa duyệt có thể còn thay đổi. Ô trống là xã không ghi số liệu đó trong tháng; số "
                "liệu của các tháng trước không được chép sang. Mức đạt trên cổng được tính từ số liệu đã duyệt."
            )
            % {"month": f"{period:%m/%Y}"},
        ),
    ]
    _write_info(
        workbook.create_sheet(_("Thông tin")), data, user, _("SỐ LIỆU BÁO CÁO NÔNG THÔN MỚI"), lines, data.demo_units
    )
    return _finish(workbook, "so-lieu-da-bao-cao", data, _("Số liệu báo cáo nông thôn mới"))


def _measure_title(measure: Measure) -> str:
    return f"{measure.name} ({measure.unit})" if measure.unit else measure.name


# ---------------------------------------------------------------- the metadata sheet


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None and user.is_authenticated else ""


def _write_info(sheet, data: ScopeMonth, user, title: str, lines: list[tuple[str, str]], is_demo: bool) -> None:
    period = data.period
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = INFO_TEXT_WIDTH
    for column in "CDEF":
        sheet.column_dimensions[column].width = 14
    sheet["A1"] = _("%(title)s THÁNG %(month)s") % {"title": title, "month": f"{period:%m/%Y}"}
    sheet["A1"].font = Font(bold=True, size=14)

    facts = _info_facts(data, user, lines, is_demo)
    row = 3
    for label, value in facts:
        sheet.cell(row, 1, label).font = Font(bold=True)
        sheet.cell(row, 1).alignment = _WRAP_TOP
        sheet.cell(row, 2, value).alignment = _WRAP_TOP
        sheet.row_dimensions[row].height = _height(value, INFO_TEXT_WIDTH)
        row += 1

    _write_sets(sheet, row + 1, data.sets)


def _info_facts(data: ScopeMonth, user, lines: list[tuple[str, str]], is_demo: bool) -> list[tuple[str, str]]:
    """The information sheet's label and value lines: scope, month, programme, the export's own lines, reports."""
    period, programme = data.period, data.programme
    counts = Counter(data.reports.values())
    without = sum(1 for u in data.communes if u.pk not in data.reports)
    report_line = "; ".join(
        f"{ReportStatus(status).label}: {counts.get(status, 0)}"
        for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.RETURNED)
    )
    report_line += "; " + _("chưa có báo cáo: %(count)d") % {"count": without}
    scope = _("%(name)s (mã %(code)s)") % {"name": data.scope.name, "code": data.scope.code}
    if data.ancestors:
        scope += ", " + ", ".join(a.name for a in reversed(data.ancestors))
    facts = [
        (_("Phạm vi"), scope),
        (_("Kỳ báo cáo"), f"{period:%m/%Y}"),
        (
            _("Giai đoạn"),
            f"{programme.code}: {programme.name}" if programme else _("Không có giai đoạn nào áp dụng cho tháng này"),
        ),
        *lines,
        (
            _("Báo cáo tháng của xã"),
            _("%(communes)d xã. %(counts)s.") % {"communes": len(data.communes), "counts": report_line},
        ),
        (
            _("Ngưỡng chưa xác minh"),
            _(
                "Có: một số ngưỡng của các bộ tiêu chí áp dụng chưa xác minh (chưa đối chiếu với văn bản gốc); kết "
                "quả cần kiểm tra lại trước khi dùng chính thức."
            )
            if data.unverified
            else _("Không: mọi ngưỡng của các bộ tiêu chí áp dụng đã được xác minh."),
        ),
        (
            _("Dữ liệu minh họa"),
            _("Có: phạm vi này có dữ liệu minh họa, không phải số liệu thật.") if is_demo else _("Không"),
        ),
        (_("Lập lúc"), f"{timezone.localtime():%d/%m/%Y %H:%M}"),
        (_("Người lập"), _person(user)),
    ]
    return facts


def _write_sets(sheet, row: int, sets) -> None:
    """The criteria sets applied, as a table starting at row."""
    sheet.cell(row, 1, _("Bộ tiêu chí áp dụng")).font = Font(bold=True, size=12)
    row += 1
    # By name: a set's code is for the YAML and the API, not for the people who read the workbook.
    headers = [
        (_("Tên"), 0),
        (_("Cấp"), 0),
        (_("Mức"), 0),
        (_("Trạng thái"), 0),
        (_("Phạm vi"), 0),
        (_("Phiên bản"), 0),
    ]
    _write_header(sheet, row, headers)
    for criteria_set in sets:
        row += 1
        cells = [
            criteria_set.name,
            str(CriteriaLevel(criteria_set.level).label),
            str(Tier(criteria_set.tier).label) if criteria_set.tier in Tier.values else criteria_set.tier,
            str(SetStatus(criteria_set.status).label),
            (criteria_set.province_name or criteria_set.province_code) if criteria_set.is_provincial else _("Quốc gia"),
            criteria_set.version_label,
        ]
        _write_row(sheet, row, cells)
        sheet.row_dimensions[row].height = _height(criteria_set.name, INFO_TEXT_WIDTH)
    if not sets:
        sheet.cell(row + 1, 1, _("Không có bộ tiêu chí nào."))


# ---------------------------------------------------------------- cells and files


def _write_header(sheet, row: int, headers: Sequence[tuple[str, float]]) -> None:
    for column, (text, width) in enumerate(headers, start=1):
        cell = sheet.cell(row, column, text or None)
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), _HEADER_FILL, _BOX, _HEADER_ALIGNMENT
        if width:
            sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[row].height = max((_height(text, width) for text, width in headers if width), default=15)


def _write_row(sheet, row: int, cells: Sequence[Any]) -> None:
    for column, value in enumerate(cells, start=1):
        if isinstance(value, Promise):
            value = str(value)  # a lazy choice label: openpyxl takes only plain types
        sheet.cell(row, column, None if value == "" else value).border = _BOX


def _finish_table(sheet, *, header_rows: int, columns: int, rows: int, frozen_columns: int) -> None:
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{header_rows + 1}"
    sheet.print_title_rows = f"1:{header_rows}"
    sheet.page_setup.orientation = "landscape"
    if columns:
        sheet.auto_filter.ref = f"A{header_rows}:{get_column_letter(columns)}{header_rows + max(rows, 1)}"


def _height(text: str, width: float) -> float:
    """Row height in points for wrapped text: Excel does not grow rows to fit when it opens a file."""
    per_line = max(int(width * 1.1), 1)
    lines = sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))
    return 15.0 * lines


def _finish(workbook: Workbook, prefix: str, data: ScopeMonth, title: str) -> tuple[str, str, bytes]:
    workbook.active = 0
    workbook.properties.title = f"{title} {data.period:%m/%Y} - {data.scope.name}"
    workbook.properties.creator = CREATOR
    buffer = BytesIO()
    workbook.save(buffer)
    # Unit codes are GSO digits; slugify keeps the name ASCII whatever a code holds.
    filename = f"{prefix}-{slugify(data.scope.code)}-{data.period:%Y-%m}.xlsx"
    return filename, CONTENT_TYPE, buffer.getvalue()
