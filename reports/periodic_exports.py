"""Excel exports of the six-monthly and annual reports (issue 15, item 8), built from the same context as the
printed document (reports.documents.periodic), so the file and the PDF never disagree.

The province's workbook has a sheet of its judged communes at the start and the end month (group, tier, criteria
met, band, the change of standard tier, recognition and risk at the end) and a summary sheet; a commune's has its
criteria at both months, its figures that changed, and a summary sheet. Each returns (filename, content type, bytes).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from communes.groups import group_label
from communes.models import AdministrativeUnit
from reports.documents.periodic import build_context, filename, not_comparable
from reports.exports import (
    _WRAP_TOP,
    CONTENT_TYPE,
    CREATOR,
    INFO_TEXT_WIDTH,
    _cell_value,
    _decision,
    _finish_table,
    _height,
    _write_header,
    _write_row,
)
from reports.models import DocumentKind
from reports.periods import Period
from reports.templatetags.dashboard_format import tier_label

Table = tuple[str, list[str], list[list[Any]]]  # heading, column headings, rows


def periodic_workbook(*, kind: str, unit: AdministrativeUnit, period: Period, user) -> tuple[str, str, bytes]:
    """The period's workbook of a province or a commune (the document's queries, nothing more)."""
    context = build_context(kind, unit, period, user)
    workbook = Workbook()
    if kind == DocumentKind.PROVINCE:
        _communes_sheet(workbook.active, context)
        facts, tables = _province_summary(context)
    else:
        _criteria_sheet(workbook.active, context)
        _figures_sheet(workbook.create_sheet(_("Số liệu")), context)
        facts, tables = _commune_summary(context)
    _summary_sheet(workbook.create_sheet(_("Tổng hợp")), context, facts, tables)
    workbook.active = 0
    workbook.properties.title = context["doc"].title
    workbook.properties.creator = CREATOR
    buffer = BytesIO()
    workbook.save(buffer)
    return filename(kind, unit, period, "xlsx"), CONTENT_TYPE, buffer.getvalue()


def _month(context: dict, key: str) -> str:
    return f"{context[key]:%m/%Y}"


# ---------------------------------------------------------------- the province


def _communes_sheet(sheet, context: dict) -> None:
    start, end = _month(context, "start_period"), _month(context, "period")
    columns = [(_("Mã xã"), 10), (_("Tên xã"), 26), (_("Huyện"), 22)]
    for month in (start, end):
        columns += [
            (_("Nhóm xã tháng %(month)s") % {"month": month}, 14),
            (_("Mức đạt theo số liệu tháng %(month)s") % {"month": month}, 16),
            (_("Số tiêu chí đạt tháng %(month)s") % {"month": month}, 10),
            (_("Tổng số tiêu chí tháng %(month)s") % {"month": month}, 10),
            (_("Nhóm theo số tiêu chí đạt tháng %(month)s") % {"month": month}, 14),
        ]
    columns += [
        (_("Thay đổi mức đạt chuẩn"), 18),
        (_("Mức được công nhận (cuối kỳ)"), 16),
        (_("Quyết định công nhận"), 26),
        (_("Nguy cơ thu hồi (cuối kỳ)"), 10),
    ]
    sheet.title = _("Các xã")
    _write_header(sheet, 1, columns)
    for row, change in enumerate(context["communes"], start=2):
        cells = [change.unit.code, change.unit.name, change.district.name if change.district else ""]
        for status, group, band in (
            (change.start, change.start_group, change.start_band),
            (change.end, change.end_group, change.end_band),
        ):
            cells += [
                group,
                tier_label(status.tier) if status else "",
                status.criteria_met if status else None,
                status.criteria_total if status else None,
                band,
            ]
        movement = _("Mới đạt chuẩn") if change.reached else (_("Không còn đạt chuẩn") if change.lost else "")
        recognition = change.recognition
        cells += [
            movement,
            tier_label(recognition.tier) if recognition else "",
            _decision(recognition),
            _("Có") if change.at_risk else _("Không"),
        ]
        _write_row(sheet, row, cells)
    _finish_table(sheet, header_rows=1, columns=len(columns), rows=len(context["communes"]), frozen_columns=2)


def _province_summary(context: dict) -> tuple[list[tuple[str, str]], list[Table]]:
    start, end = _month(context, "start_period"), _month(context, "period")
    summary, start_summary = context["summary"], context["start_summary"]
    facts = [
        (_("Số xã thuộc phạm vi Chương trình"), str(summary.communes)),
        (
            _("Bình quân tiêu chí/xã"),
            _("đầu kỳ %(start)s, cuối kỳ %(end)s")
            % {
                "start": start_summary.average if start_summary.average is not None else "—",
                "end": summary.average if summary.average is not None else "—",
            }
            + (f" ({not_comparable()})" if context["yardsticks"].crossing else ""),
        ),
        (_("Xã mới đạt chuẩn theo số liệu"), "; ".join(c.unit.name for c in context["reached"]) or "0"),
        (_("Xã không còn đạt chuẩn theo số liệu"), "; ".join(c.unit.name for c in context["lost"]) or "0"),
        (
            _("Quyết định công nhận trong kỳ"),
            "; ".join(f"{r.unit.name}: {_decision(r)}" for r in context["decided"]) or "0",
        ),
        (_("Xã có nguy cơ thu hồi (cuối kỳ)"), "; ".join(w.item.unit.name for w in context["at_risk"]) or "0"),
    ]
    tiers = (
        _("Số xã theo mức đạt"),
        [
            _("Mức đạt"),
            _("Được công nhận %(month)s") % {"month": start},
            _("Được công nhận %(month)s") % {"month": end},
            _("Theo số liệu %(month)s") % {"month": start},
            _("Theo số liệu %(month)s") % {"month": end},
            _("Tăng/giảm theo số liệu"),
        ],
        [
            [t.label, t.start_recognised, t.end_recognised, t.start_computed, t.end_computed, t.computed_change]
            for t in context["tier_changes"]
        ],
    )
    reports = (
        _("Tình hình gửi số liệu"),
        [
            _("Tháng"),
            _("Hạn gửi"),
            _("Số xã phải gửi"),
            _("Gửi đúng hạn"),
            _("Gửi muộn"),
            _("Quá hạn chưa gửi"),
            _("Chưa đến hạn"),
        ],
        [
            [f"{m.period:%m/%Y}", f"{m.due:%d/%m/%Y}", m.asked, m.on_time, m.late, m.not_sent, m.pending]
            for m in context["month_reports"]
        ],
    )
    return facts, [tiers, *_band_tables(context, start, end), reports]


def _band_tables(context: dict, start: str, end: str) -> list[Table]:
    """One table of bands at both months under one programme; each month's own bands otherwise."""
    if context["band_changes"]:
        headers = [_("Số tiêu chí đạt"), start, end, _("Tăng/giảm")]
        rows = [[b.label, b.start, b.end, b.change] for b in context["band_changes"]]
        return [(_("Số xã theo số tiêu chí đạt"), headers, rows)]
    heading = _("Số xã theo số tiêu chí đạt tháng %(month)s (%(note)s)")
    return [
        (
            heading % {"month": month, "note": not_comparable()},
            [_("Số tiêu chí đạt"), _("Số xã")],
            [list(b) for b in buckets],
        )
        for month, buckets in ((start, context["start_summary"].buckets), (end, context["summary"].buckets))
    ]


# ---------------------------------------------------------------- a commune


def _criteria_sheet(sheet, context: dict) -> None:
    start, end = _month(context, "start_period"), _month(context, "period")
    columns = [
        (_("Bộ tiêu chí"), 36),
        (_("Số"), 6),
        (_("Tiêu chí"), 36),
        (_("Then chốt"), 10),
        (_("Kết quả tháng %(month)s") % {"month": start}, 16),
        (_("Kết quả tháng %(month)s") % {"month": end}, 16),
        (_("Thay đổi"), 10),
    ]
    sheet.title = _("Tiêu chí")
    _write_header(sheet, 1, columns)
    rows = context["criteria_changes"]
    for row, change in enumerate(rows, start=2):
        cells = [
            change.set_name,
            change.number,
            change.name,
            _("Có") if change.is_key else "",
            change.start_word
            if change.start is not None
            else (not_comparable() if context["yardsticks"].crossing else "—"),
            change.end_word,
            _("Có") if change.changed else "",
        ]
        _write_row(sheet, row, cells)
    _finish_table(sheet, header_rows=1, columns=len(columns), rows=len(rows), frozen_columns=3)


def _figures_sheet(sheet, context: dict) -> None:
    start, end = _month(context, "start_period"), _month(context, "period")
    columns = [(_("Mã số liệu"), 24), (_("Số liệu"), 50), (_("Đơn vị tính"), 12), (start, 14), (end, 14)]
    _write_header(sheet, 1, columns)
    rows = context["figure_changes"]
    for row, change in enumerate(rows, start=2):
        measure = change.measure
        cells = [measure.code, measure.name, measure.unit, _cell_value(change.start), _cell_value(change.end)]
        _write_row(sheet, row, cells)
    _finish_table(sheet, header_rows=1, columns=len(columns), rows=len(rows), frozen_columns=2)


def _commune_summary(context: dict) -> tuple[list[tuple[str, str]], list[Table]]:
    start, end = _month(context, "start_period"), _month(context, "period")
    start_result, result = context["start_result"], context["result"]
    recognition = context["recognition"]
    facts = [
        (
            _("Mức được công nhận (cuối kỳ)"),
            f"{tier_label(recognition.tier)} ({_decision(recognition)})" if recognition else _("chưa được công nhận"),
        ),
        (
            _("Mức đạt theo số liệu tháng %(month)s") % {"month": start},
            tier_label(start_result.tier or "") if start_result else "—",
        ),
        (_("Mức đạt theo số liệu tháng %(month)s") % {"month": end}, tier_label(result.tier or "") if result else "—"),
        (
            _("Nhóm xã tháng %(month)s") % {"month": end},
            str(group_label(result.group)) if result and result.uses_groups else "",
        ),
        (_("Nguy cơ thu hồi (cuối kỳ)"), _("Có") if context["at_risk"] else _("Không")),
    ]
    sets = [
        [month, s.name, s.criteria_met, s.criteria_total]
        for month, outcome in ((start, start_result), (end, result))
        if outcome is not None
        for s in outcome.sets.values()
    ]
    table = (
        _("Số tiêu chí đạt theo bộ tiêu chí"),
        [_("Tháng"), _("Bộ tiêu chí"), _("Số tiêu chí đạt"), _("Tổng số tiêu chí")],
        sets,
    )
    return facts, [table]


# ---------------------------------------------------------------- the summary sheet


def _summary_sheet(sheet, context: dict, facts: list[tuple[str, str]], tables: list[Table]) -> None:
    """What the file holds (scope, period, yardsticks, who made it when), the kind's facts, then its tables."""
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = INFO_TEXT_WIDTH
    for column in "CDEFG":
        sheet.column_dimensions[column].width = 16
    sheet["A1"] = context["doc"].title.upper()
    sheet["A1"].font = Font(bold=True, size=14)
    period: Period = context["span"]
    scope = context["scope"]
    lines = [
        (_("Phạm vi"), _("%(name)s (mã %(code)s)") % {"name": scope.name, "code": scope.code}),
        (
            _("Kỳ báo cáo"),
            _("%(label)s: từ tháng %(start)s đến tháng %(end)s")
            % {
                "label": period.label,
                "start": _month(context, "start_period"),
                "end": _month(context, "period"),
            },
        ),
        (_("Số liệu"), period.figures_until or _("kỳ báo cáo đã kết thúc")),
        (_("Bộ tiêu chí"), context["yardsticks"].sentence),
        *facts,
        (
            _("Dữ liệu minh họa"),
            _("Có: phạm vi này có dữ liệu minh họa, không phải số liệu thật.") if context["is_demo"] else _("Không"),
        ),
        (_("Lập lúc"), f"{timezone.localtime():%d/%m/%Y %H:%M}"),
        (_("Người lập"), context["generated_by"]),
    ]
    row = 3
    for label, value in lines:
        value = str(value)  # a lazy choice label: openpyxl takes only plain types
        sheet.cell(row, 1, label).font = Font(bold=True)
        sheet.cell(row, 1).alignment = _WRAP_TOP
        sheet.cell(row, 2, value).alignment = _WRAP_TOP
        sheet.row_dimensions[row].height = _height(value, INFO_TEXT_WIDTH)
        row += 1
    for heading, headers, rows in tables:
        row += 1
        sheet.cell(row, 1, heading).font = Font(bold=True, size=12)
        _write_header(sheet, row + 1, [(text, 0) for text in headers])
        for offset, cells in enumerate(rows, start=2):
            _write_row(sheet, row + offset, cells)
        row += len(rows) + 2
