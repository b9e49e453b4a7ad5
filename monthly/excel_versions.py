"""The version check of the Excel round trip: the template remembers which version of each commune's report its
figures come from, and an upload whose reports changed since is refused whole.

A workbook downloaded at 9:00 and uploaded at 11:00 would otherwise put back, for every commune in it, the figures
of 9:00 over what colleagues typed in the browser (or uploaded) in between. The versions sit in a very hidden,
protected sheet (a spreadsheet program keeps it; a person does not see it in Excel's "Unhide" list), the moment of
download in a custom document property, so the refusal can say when the file was taken.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.packaging.custom import StringProperty

from communes.models import AdministrativeUnit
from monthly.models import Report
from monthly.services import time_and_date

SHEET_VERSIONS = "Phiên bản"
PROP_DOWNLOADED = "ntm_downloaded"
PROP_TEMPLATE = "ntm_template"
HEADER_VERSION = "Phiên bản báo cáo"


class StaleWorkbook(Exception):
    """The workbook's reports changed since it was downloaded (or it carries no versions): every line of the
    refusal, in Vietnamese."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class TemplateVersions:
    """What the template was made from: unit id -> report version (0: no report yet), when it was made, and its id
    (each download has its own)."""

    versions: dict[int, int]
    downloaded_at: dt.datetime | None
    template_id: str = ""


def write_versions(workbook, communes: Sequence[AdministrativeUnit], versions: Mapping[int, int]) -> None:
    sheet = workbook.create_sheet(SHEET_VERSIONS)
    sheet.append(["Mã xã", HEADER_VERSION])
    for commune in communes:
        sheet.append([commune.code, versions.get(commune.pk, 0)])
    sheet.sheet_state = "veryHidden"
    # No password, like the data sheet: the lock prevents slips; a changed version only makes the check stricter
    # or refuses the file.
    sheet.protection.sheet = True
    workbook.custom_doc_props.append(StringProperty(name=PROP_DOWNLOADED, value=timezone.now().isoformat()))
    workbook.custom_doc_props.append(StringProperty(name=PROP_TEMPLATE, value=uuid.uuid4().hex))


def read_versions(workbook, by_code: Mapping[str, AdministrativeUnit]) -> TemplateVersions | None:
    """The versions a filled template was made from; None when it has none (not a template of this portal, or one
    made before templates carried them); StaleWorkbook when they were tampered with."""
    if SHEET_VERSIONS not in workbook.sheetnames:
        return None
    versions: dict[int, int] = {}
    for row in workbook[SHEET_VERSIONS].iter_rows(min_row=2, max_col=2, values_only=True):
        code, version = (str(row[0]).strip() if row and row[0] is not None else ""), row[1] if len(row) > 1 else None
        unit = by_code.get(code)
        if unit is None:
            continue
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise StaleWorkbook(
                [
                    _(
                        "Thông tin phiên bản của %(commune)s trong tệp (sheet ẩn '%(sheet)s') đã bị sửa. Hãy tải tệp "
                        "mẫu mới, điền rồi tải lên."
                    )
                    % {"commune": unit.name, "sheet": SHEET_VERSIONS}
                ]
            )
        versions[unit.pk] = version
    props = {p.name: p.value for p in workbook.custom_doc_props}
    try:
        downloaded_at = dt.datetime.fromisoformat(str(props[PROP_DOWNLOADED]))
    except (KeyError, ValueError):
        downloaded_at = None
    template_id = str(props.get(PROP_TEMPLATE) or "")
    return TemplateVersions(versions, downloaded_at, template_id if template_id.isalnum() else "")


def refuse_if_stale(
    template: TemplateVersions | None,
    units: Mapping[int, AdministrativeUnit],
    period: dt.date,
    *,
    by,
    district_name: str,
) -> dict[int, int]:
    """Lock the reports of the workbook's communes (`units`) for the caller's transaction and refuse the workbook
    if any of them is not at the version the template was made from, naming each commune, who changed it and when.
    A commune missing from the versions sheet counts as having had no report. A report whose only writes since were
    `by`'s uploads of this same file is not stale: a corrected file goes up again. Returns unit id -> the version
    each save must find."""
    if template is None:
        raise StaleWorkbook(
            [
                _(
                    "Tệp không mang thông tin phiên bản số liệu của tệp mẫu (sheet ẩn '%(sheet)s'), nên cổng không "
                    "biết số liệu trong tệp có cũ hơn số liệu đang có hay không. Hãy tải tệp mẫu mới trên trang của "
                    "huyện, điền rồi tải lên."
                )
                % {"sheet": SHEET_VERSIONS}
            ]
        )
    reports = {
        r.unit_id: r
        for r in Report.objects.select_for_update(of=("self",))
        .filter(unit_id__in=list(units), period=period)
        .select_related("updated_by")
        .order_by("pk")
    }
    lines, expected = [], {}
    for unit_id, unit in units.items():
        report = reports.get(unit_id)
        now, then = (report.version if report else 0), template.versions.get(unit_id, 0)
        expected[unit_id] = now
        if now != then and not (report and _own_upload(report, template, by)):
            lines.append(_changed_line(unit, report, now, then))
    if not lines:
        return expected
    when = time_and_date(template.downloaded_at) if template.downloaded_at else _("(không rõ lúc nào)")
    head = ngettext(
        "Tệp được tải xuống lúc %(when)s; từ đó số liệu của %(count)d xã thuộc %(district)s đã thay đổi trên cổng. "
        "Cả tệp không được lưu, để không ghi đè số liệu người khác vừa nhập: hãy tải tệp mẫu mới (có số liệu mới "
        "nhất), điền lại phần của bạn rồi tải lên.",
        "Tệp được tải xuống lúc %(when)s; từ đó số liệu của %(count)d xã thuộc %(district)s đã thay đổi trên cổng. "
        "Cả tệp không được lưu, để không ghi đè số liệu người khác vừa nhập: hãy tải tệp mẫu mới (có số liệu mới "
        "nhất), điền lại phần của bạn rồi tải lên.",
        len(lines),
    ) % {"when": when, "count": len(lines), "district": district_name}
    raise StaleWorkbook([head, *lines])


def _own_upload(report: Report, template: TemplateVersions, by) -> bool:
    return (
        bool(template.template_id)
        and report.updated_by_id == by.pk
        and report.saved_from_workbook == f"{template.template_id}:{report.version}"
    )


def _changed_line(unit: AdministrativeUnit, report: Report, now: int, then: int) -> str:
    who = (report.updated_by.get_full_name() or report.updated_by.username) if report.updated_by else ""
    return _("%(commune)s: %(who)s cập nhật lúc %(when)s (phiên bản %(now)d; tệp được lập từ phiên bản %(then)d).") % {
        "commune": unit.name,
        "who": who or _("người khác"),
        "when": time_and_date(report.updated_at),
        "now": now,
        "then": then,
    }
