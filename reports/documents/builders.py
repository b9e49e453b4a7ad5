"""Official documents in the layout of Nghị định 30/2020: the letterhead and its defaults, and the context builders
of the province, district and commune reports (the draft directive's are in reports.documents.directive).

Each builder returns the context of both the HTML preview and the PDF (reports.documents.pdf renders the same
HTML), made of the page's dashboard context (reports.dashboard) plus the document's letterhead and its own sentences.

The letterhead's month-bound fields (number, date, title) belong to one month; the standing ones (issuing body,
symbol, place, signer, recipients, the directive's wording) carry forward from the unit's latest saved settings.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Level
from monthly.services import is_overdue
from records.models import RecognisedTier
from reports import dashboard
from reports.models import DocumentKind, DocumentSettings
from reports.scorecard import scorecard_context

DOCUMENT_TYPES = {
    DocumentKind.PROVINCE: "BÁO CÁO",
    DocumentKind.DISTRICT: "BÁO CÁO",
    DocumentKind.COMMUNE: "BÁO CÁO",
    DocumentKind.DIRECTIVE: "CHỈ THỊ",
}
MONTH_FIELDS = ("number", "issued_on", "title")
STANDING_FIELDS = (
    "parent_body",
    "issuing_body",
    "symbol",
    "place",
    "sign_for",
    "signer_title",
    "signer_name",
    "recipients",
    "body",
)
NUMBER_RE = re.compile(r"^[0-9]{1,6}$")


# ---------------------------------------------------------------- words of the format


def official_date(day: dt.date) -> str:
    """NĐ 30's date: days 1-9 and months 1-2 take a leading zero ("ngày 05 tháng 01 năm 2025", "tháng 3")."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {"day": f"{day.day:02d}", "month": month, "year": day.year}


def count_words(n: int) -> str:
    """Counts as official texts write them: "04 xã", "12 xã", "0 xã"."""
    return f"{n:02d}" if 0 < n < 10 else str(n)


def in_sentence(name: str) -> str:
    """'Huyện Đắk Glei' → 'huyện Đắk Glei' inside a sentence."""
    return name[:1].lower() + name[1:] if name else name


def decimal_words(value: Decimal | None, places: int = 1) -> str:
    return "—" if value is None else number_format(value, places)


def tier_phrase(tier: str) -> str:
    """A tier as a sentence names it: "đạt chuẩn nông thôn mới nâng cao"."""
    phrases = {
        "standard": _("đạt chuẩn nông thôn mới"),
        "advanced": _("đạt chuẩn nông thôn mới nâng cao"),
        "model": _("đạt chuẩn nông thôn mới kiểu mẫu"),
    }
    return phrases.get(tier) or (RecognisedTier(tier).label if tier in RecognisedTier.values else tier)


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ---------------------------------------------------------------- defaults


def _province_of(unit: AdministrativeUnit, ancestors: list[AdministrativeUnit]) -> AdministrativeUnit:
    return ancestors[0] if ancestors else unit


def directive_year(period: dt.date) -> int:
    # A directive written from the last months' figures steers the coming year, as Chỉ thị 05 of 22/01/2024
    # steered 2024 from 2023's results; from October the year ahead is the next one.
    return period.year + 1 if period.month >= 10 else period.year


def defaults(kind: str, unit: AdministrativeUnit, period: dt.date, ancestors: list[AdministrativeUnit]) -> dict:
    """The letterhead a unit gets before anyone sets it: the usual issuing body, symbol, signer and recipients."""
    province = _province_of(unit, ancestors)
    common = {"place": province.short_name or province.name, "number": "", "issued_on": None, "signer_name": ""}
    own = {
        DocumentKind.PROVINCE: _province_defaults,
        DocumentKind.DISTRICT: _district_defaults,
        DocumentKind.COMMUNE: _commune_defaults,
    }.get(kind, _directive_defaults)
    return common | own(unit, period, ancestors)


def _report_title(period: dt.date) -> str:
    return _("Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới tháng %(month)s") % {
        "month": f"{period:%m/%Y}"
    }


def _province_defaults(unit: AdministrativeUnit, period: dt.date, ancestors: list[AdministrativeUnit]) -> dict:
    return {
        "parent_body": _("BCĐ CÁC CTMTQG %(province)s") % {"province": unit.name.upper()},
        "issuing_body": _("VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI"),
        "symbol": "BC-VPĐP",
        "title": _report_title(period),
        "sign_for": "",
        "signer_title": _("CHÁNH VĂN PHÒNG"),
        "recipients": "\n".join(
            [
                _("UBND tỉnh (b/c);"),
                _("Ban Chỉ đạo các CTMTQG tỉnh (b/c);"),
                _("Các sở, ban, ngành thành viên BCĐ;"),
                _local_governments(unit),
                _("Lưu: VT, VPĐP."),
            ]
        ),
        "body": "",
    }


def _district_defaults(unit: AdministrativeUnit, period: dt.date, ancestors: list[AdministrativeUnit]) -> dict:
    return {
        "place": unit.short_name or unit.name,
        "parent_body": "",
        "issuing_body": _("ỦY BAN NHÂN DÂN") + "\n" + unit.name.upper(),
        "symbol": "BC-UBND",
        "title": _report_title(period),
        "sign_for": _("TM. ỦY BAN NHÂN DÂN") + "\n" + _("KT. CHỦ TỊCH"),
        "signer_title": _("PHÓ CHỦ TỊCH"),
        "recipients": "\n".join(
            [
                _("UBND tỉnh (b/c);"),
                _("Văn phòng Điều phối NTM tỉnh (b/c);"),
                _("UBND các xã;"),
                _("Lưu: VT."),
            ]
        ),
        "body": "",
    }


def _local_governments(unit: AdministrativeUnit) -> str:
    # Since July 2025 a province's local governments are its communes, wards and special zones: no districts.
    if unit.is_post_reform:
        return _("UBND các xã, phường, đặc khu;")
    return _("UBND các huyện, thành phố;")


def _commune_defaults(unit: AdministrativeUnit, period: dt.date, ancestors: list[AdministrativeUnit]) -> dict:
    # The commune reports to its district until June 2025, to its province since (there are no districts).
    above_unit = next((a for a in ancestors if a.level == Level.DISTRICT), None) or (
        ancestors[0] if ancestors else None
    )
    above = _("UBND %(district)s (b/c);") % {"district": in_sentence(above_unit.name)} if above_unit else None
    return {
        "place": unit.short_name or unit.name,
        "parent_body": "",
        "issuing_body": _("ỦY BAN NHÂN DÂN") + "\n" + unit.name.upper(),
        "symbol": "BC-UBND",
        "title": _("Kết quả thực hiện các tiêu chí nông thôn mới của %(commune)s tháng %(month)s")
        % {"commune": in_sentence(unit.name), "month": f"{period:%m/%Y}"},
        "sign_for": _("TM. ỦY BAN NHÂN DÂN"),
        "signer_title": _("CHỦ TỊCH"),
        "recipients": "\n".join([line for line in [above, _("Văn phòng Điều phối NTM tỉnh;"), _("Lưu: VT.")] if line]),
        "body": "",
    }


def _directive_defaults(unit: AdministrativeUnit, period: dt.date, ancestors: list[AdministrativeUnit]) -> dict:
    return {
        "parent_body": "",
        "issuing_body": _("ỦY BAN NHÂN DÂN") + "\n" + unit.name.upper(),
        "symbol": "CT-UBND",
        "title": _(
            "Về việc tăng cường vai trò, trách nhiệm của các đơn vị, địa phương trong thực hiện Chương trình mục tiêu "
            "quốc gia xây dựng nông thôn mới năm %(year)s"
        )
        % {"year": directive_year(period)},
        "sign_for": "",
        "signer_title": _("CHỦ TỊCH"),
        "recipients": "\n".join(
            [
                _("Văn phòng Điều phối NTM Trung ương (b/c);"),
                _("Thường trực Tỉnh ủy (b/c);"),
                _("Thường trực HĐND tỉnh (b/c);"),
                _("Chủ tịch, các PCT UBND tỉnh;"),
                _("Các sở, ban, ngành thuộc tỉnh;"),
                _local_governments(unit),
                _("Lưu: VT, VPĐP."),
            ]
        ),
        "body": DIRECTIVE_BODY,
    }


# The directive's wording, in the voice of Chỉ thị 05/CT-UBND (Kon Tum, 22/01/2024). The office edits it; each
# $name is filled from the data (DIRECTIVE_PLACEHOLDERS), and a paragraph left empty by its facts is dropped.
DIRECTIVE_BODY = """\
$ket_qua

$chua_dat_yeu_cau

Để hoàn thành các mục tiêu, nhiệm vụ của Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm $nam, Chủ tịch \
Ủy ban nhân dân $tinh yêu cầu:

1. Ủy ban nhân dân các huyện, thành phố và Chủ tịch Ủy ban nhân dân các huyện, thành phố chủ động triển khai các \
giải pháp phù hợp nhằm nâng cao trách nhiệm chính trị trong xây dựng nông thôn mới; chú trọng hoạt động hỗ trợ \
phát triển sản xuất, bảo vệ môi trường, tạo sinh kế bền vững và nâng cao thu nhập cho người dân bên cạnh hoạt \
động đầu tư cơ sở hạ tầng kinh tế - xã hội.

2. Tập trung chỉ đạo duy trì và nâng cao chất lượng các tiêu chí đã đạt chuẩn; phấn đấu 100% số xã nông thôn mới \
bảo đảm duy trì đạt chuẩn một cách bền vững. $xa_nguy_co

3. $xa_ke_hoach

4. $huyen_cham_tien_do

5. Ủy ban nhân dân các huyện, thành phố chỉ đạo các xã cập nhật số liệu thực hiện các tiêu chí hằng tháng trên \
Cổng điều hành nông thôn mới của tỉnh trước $han_bao_cao. $xa_qua_han

6. Các sở, ngành được phân công phụ trách tiêu chí nông thôn mới có trách nhiệm phối hợp, hỗ trợ các địa phương \
trong rà soát và tổ chức thực hiện đạt chuẩn các tiêu chí chuyên ngành; chịu trách nhiệm về đạt chuẩn chỉ tiêu, \
tiêu chí do ngành trực tiếp quản lý.

Yêu cầu Thủ trưởng các sở, ban, ngành; Chủ tịch Ủy ban nhân dân các huyện, thành phố nghiêm túc triển khai thực \
hiện Chỉ thị này./.
"""

DIRECTIVE_PLACEHOLDERS = {
    "nam": "năm mà chỉ thị chỉ đạo",
    "thang": "tháng của số liệu (MM/YYYY)",
    "tinh": "tên tỉnh",
    "ket_qua": "kết quả đến tháng: số xã được công nhận, đạt theo số liệu, bình quân tiêu chí",
    "chua_dat_yeu_cau": "tóm tắt các hạn chế: xã có nguy cơ thu hồi, huyện chậm tiến độ",
    "xa_nguy_co": "các xã đã được công nhận có nguy cơ thu hồi (QĐ 18/2022)",
    "xa_ke_hoach": "các xã có kế hoạch đạt chuẩn/nâng cao/kiểu mẫu trong năm",
    "huyen_cham_tien_do": "các huyện chưa đạt kế hoạch",
    "han_bao_cao": "hạn gửi số liệu hằng tháng",
    "xa_qua_han": "các xã chưa gửi số liệu tháng đúng hạn",
}


def template_errors(text: str) -> list[str]:
    """The wording's problems, in the words the form shows: a $name the portal does not know, a lone $."""
    errors = []
    for match in string.Template.pattern.finditer(text or ""):
        name = match.group("named") or match.group("braced")
        if name and name not in DIRECTIVE_PLACEHOLDERS:
            errors.append(_("Không có biến $%(name)s: chỉ dùng các biến được liệt kê.") % {"name": name})
        elif match.group("invalid") is not None:
            errors.append(_('Dấu $ đứng một mình: viết "$$" để in ký hiệu $.'))
    return errors


# ---------------------------------------------------------------- the letterhead


@dataclass
class Letterhead:
    kind: str
    doc_type: str
    parent_body: list[str]
    issuing_body: list[str]
    number: str
    symbol: str
    place: str
    issued_on: dt.date
    title: str
    sign_for: list[str]
    signer_title: str
    signer_name: str
    recipients: list[str]
    draft: bool
    body: str = ""

    @property
    def number_line(self) -> str:
        # An unnumbered document leaves the space the clerk writes the number in, as printed drafts do.
        number = self.number or "\u2007" * 5
        return _("Số: %(number)s/%(symbol)s") % {"number": number, "symbol": self.symbol}

    @property
    def date_line(self) -> str:
        return f"{self.place}, {official_date(self.issued_on)}"


def settings_for(kind: str, unit: AdministrativeUnit, period: dt.date) -> tuple[DocumentSettings | None, dict]:
    """The month's saved settings (or None) and the values the form starts from: the month's own, else the
    unit's latest earlier standing fields over the defaults (two queries)."""
    ancestors = unit.ancestors()
    values = defaults(kind, unit, period, ancestors)
    saved = DocumentSettings.objects.filter(unit=unit, kind=kind, period=period).first()
    if saved is not None:
        return saved, values | {name: getattr(saved, name) for name in (*MONTH_FIELDS, *STANDING_FIELDS)}
    latest = DocumentSettings.objects.filter(unit=unit, kind=kind, period__lt=period).order_by("-period").first()
    if latest is not None:
        values |= {name: getattr(latest, name) for name in STANDING_FIELDS if getattr(latest, name)}
    return None, values


def letterhead(kind: str, unit: AdministrativeUnit, period: dt.date) -> Letterhead:
    saved, values = settings_for(kind, unit, period)
    # A directive stays a draft until this month's settings carry a number, a signer and recipients.
    complete = saved is not None and bool(saved.number and saved.signer_name.strip() and saved.recipients.strip())
    return letterhead_from(kind, values, draft=kind == DocumentKind.DIRECTIVE and not complete)


def letterhead_from(kind: str, values: dict, *, draft: bool = False) -> Letterhead:
    """The letterhead of the form's values (settings_for's, or a period's: reports.documents.periodic)."""
    return Letterhead(
        kind=kind,
        doc_type=DOCUMENT_TYPES[kind],
        parent_body=lines(values["parent_body"]),
        issuing_body=lines(values["issuing_body"]),
        number=values["number"],
        symbol=values["symbol"],
        place=values["place"],
        issued_on=values["issued_on"] or timezone.localdate(),
        title=values["title"],
        sign_for=lines(values["sign_for"]),
        signer_title=values["signer_title"],
        signer_name=values["signer_name"],
        recipients=lines(values["recipients"]),
        draft=draft,
        body=values["body"],
    )


# ---------------------------------------------------------------- documents


def filename(kind: str, unit: AdministrativeUnit, period: dt.date) -> str:
    stem = {
        DocumentKind.PROVINCE: "bao-cao-ntm",
        DocumentKind.DISTRICT: "bao-cao-ntm-huyen",
        DocumentKind.COMMUNE: "bao-cao-tieu-chi-xa",
        DocumentKind.DIRECTIVE: "du-thao-chi-thi",
    }[kind]
    return f"{stem}-{unit.code}-{period:%Y-%m}.pdf"


@dataclass
class TierRow:
    label: str
    recognised: int
    computed: int
    out_of: int
    target_value: int | None
    target_year: int | None
    percent: Decimal | None


def _tier_rows(summary: dashboard.Summary) -> list[TierRow]:
    rows = []
    for line in summary.tiers:
        target = line.progress.target if line.progress else None
        rows.append(
            TierRow(
                label=line.label,
                recognised=line.recognised,
                computed=line.computed,
                out_of=line.out_of,
                target_value=target.value if target else None,
                target_year=target.year if target else None,
                percent=line.progress.percent if line.progress else None,
            )
        )
    return rows


def _overdue_units(rows: dashboard.ScopeRows, province: AdministrativeUnit, period: dt.date) -> list:
    """The judged communes (rows.rural: wards and towns are not asked for NTM figures) overdue with the month."""
    today = timezone.localdate()
    return [u for u in rows.rural if is_overdue(period, province.report_due_day, rows.reports.get(u.pk), today)]


def province_document(
    *, province: AdministrativeUnit, period: dt.date, user, kind: str = DocumentKind.PROVINCE
) -> dict:
    """The province's monthly report: figures against targets, buckets, districts, watch-list, overdue units
    (the draft directive builds on the same facts under its own letterhead)."""
    context = dashboard.province_context(province=province, period=period, user=user)
    rows: dashboard.ScopeRows = context["rows"]
    units_by_pk = {u.pk: u for u in rows.units}
    overdue = _overdue_units(rows, province, period)
    context.update(
        doc=letterhead(kind, province, period),
        tier_rows=_tier_rows(context["summary"]),
        overdue_units=[(u, units_by_pk.get(u.parent_id)) for u in overdue],
        at_risk=[w for w in context["watch"] if w.item.at_risk],
        next_tasks=_next_tasks(context, len(overdue)),
    )
    return context


def _next_tasks(context: dict, overdue: int) -> list[str]:
    """The report's closing tasks, each drawn from a figure of the month."""
    tasks = []
    at_risk = [w for w in context["watch"] if w.item.at_risk]
    if at_risk:
        tasks.append(
            _(
                "Chỉ đạo %(n)s xã đã được công nhận nhưng có nguy cơ bị thu hồi quyết định công nhận tập trung khắc "
                "phục các tiêu chí không còn đạt: %(names)s."
            )
            % {"n": count_words(len(at_risk)), "names": ", ".join(w.item.unit.short_name for w in at_risk)}
        )
    for line in context["summary"].tiers:
        if line.progress and line.progress.target.value > line.recognised:
            tasks.append(
                _(
                    "%(tier)s: còn %(missing)s xã để đạt kế hoạch năm %(year)s (%(value)s xã); hiện %(computed)s xã "
                    "đạt theo số liệu."
                )
                % {
                    "tier": line.label,
                    "missing": count_words(line.progress.target.value - line.recognised),
                    "year": line.progress.target.year,
                    "value": line.progress.target.value,
                    "computed": line.computed,
                }
            )
    if overdue:
        tasks.append(
            _("Đôn đốc %(n)s đơn vị chưa gửi số liệu tháng %(month)s đã quá hạn.")
            % {"n": count_words(overdue), "month": f"{context['period']:%m/%Y}"}
        )
    return tasks


def district_document(*, district: AdministrativeUnit, period: dt.date, user) -> dict:
    context = dashboard.district_context(district=district, period=period, user=user)
    rows: dashboard.ScopeRows = context["rows"]
    context.update(
        doc=letterhead(DocumentKind.DISTRICT, district, period),
        tier_rows=_tier_rows(context["summary"]),
        overdue_units=[(u, None) for u in _overdue_units(rows, context["province"], period)],
        at_risk=[w for w in context["watch"] if w.item.at_risk],
    )
    return context


def commune_document(*, commune: AdministrativeUnit, period: dt.date, user) -> dict:
    context = scorecard_context(commune=commune, period=period, user=user)
    context["doc"] = letterhead(DocumentKind.COMMUNE, commune, period)
    return context
