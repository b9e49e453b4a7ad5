"""Official documents in the layout of Nghị định 30/2020: the letterhead, and one context builder per document.

Each builder returns the context of both the HTML preview and the PDF (reports.pdf renders the same HTML), made of
the page's dashboard context (reports.dashboard) plus the document's letterhead and its own sentences.

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
from records.models import RecognisedTier, Target, TargetKind
from reports import dashboard
from reports.models import DocumentKind, DocumentSettings
from reports.services import TIER_RANK

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
    month = f"{period:%m/%Y}"
    upper = unit.name.upper()
    common = {"place": province.short_name or province.name, "number": "", "issued_on": None, "signer_name": ""}
    if kind == DocumentKind.PROVINCE:
        return common | {
            "parent_body": _("BCĐ CÁC CTMTQG %(province)s") % {"province": upper},
            "issuing_body": _("VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI"),
            "symbol": "BC-VPĐP",
            "title": _("Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới tháng %(month)s") % {"month": month},
            "sign_for": "",
            "signer_title": _("CHÁNH VĂN PHÒNG"),
            "recipients": "\n".join(
                [
                    _("UBND tỉnh (b/c);"),
                    _("Ban Chỉ đạo các CTMTQG tỉnh (b/c);"),
                    _("Các sở, ban, ngành thành viên BCĐ;"),
                    _("UBND các huyện, thành phố;"),
                    _("Lưu: VT, VPĐP."),
                ]
            ),
            "body": "",
        }
    if kind == DocumentKind.DISTRICT:
        return common | {
            "place": unit.short_name or unit.name,
            "parent_body": "",
            "issuing_body": _("ỦY BAN NHÂN DÂN") + "\n" + upper,
            "symbol": "BC-UBND",
            "title": _("Kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới tháng %(month)s") % {"month": month},
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
    if kind == DocumentKind.COMMUNE:
        district = next((a for a in ancestors if a.level == Level.DISTRICT), None)
        above = _("UBND %(district)s (b/c);") % {"district": in_sentence(district.name)} if district else None
        return common | {
            "place": unit.short_name or unit.name,
            "parent_body": "",
            "issuing_body": _("ỦY BAN NHÂN DÂN") + "\n" + upper,
            "symbol": "BC-UBND",
            "title": _("Kết quả thực hiện các tiêu chí nông thôn mới của %(commune)s tháng %(month)s")
            % {"commune": in_sentence(unit.name), "month": month},
            "sign_for": _("TM. ỦY BAN NHÂN DÂN"),
            "signer_title": _("CHỦ TỊCH"),
            "recipients": "\n".join(
                [line for line in [above, _("Văn phòng Điều phối NTM tỉnh;"), _("Lưu: VT.")] if line]
            ),
            "body": "",
        }
    return common | {
        "parent_body": "",
        "issuing_body": _("ỦY BAN NHÂN DÂN") + "\n" + upper,
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
                _("UBND các huyện, thành phố;"),
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
        draft=kind == DocumentKind.DIRECTIVE and not complete,
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


def _named(units: list[AdministrativeUnit], parent_of: dict[int, AdministrativeUnit | None]) -> str:
    """Communes by district, as Chỉ thị 05 names them: "xã Ia Chim thuộc thành phố Kon Tum; các xã: Đăk Pék, Đăk
    Môn và Đắk KRoong thuộc huyện Đắk Glei"."""
    groups: dict[int | None, list[AdministrativeUnit]] = {}
    for unit in units:
        parent = parent_of.get(unit.pk)
        groups.setdefault(parent.pk if parent else None, []).append(unit)
    parts = []
    for key, members in groups.items():
        parent = parent_of.get(members[0].pk)
        if len(members) == 1:
            part = in_sentence(members[0].name)
        else:
            names = [u.short_name or u.name for u in members]
            part = _("các xã: %(names)s") % {"names": _join(names)}
        if parent is not None and key is not None:
            part += " " + _("thuộc %(district)s") % {"district": in_sentence(parent.name)}
        parts.append(part)
    return "; ".join(parts)


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " " + _("và") + " " + names[-1]


def _overdue_units(rows: dashboard.ScopeRows, province: AdministrativeUnit, period: dt.date) -> list:
    today = timezone.localdate()
    return [
        u
        for u in rows.units
        if u.level == Level.COMMUNE and is_overdue(period, province.report_due_day, rows.reports.get(u.pk), today)
    ]


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
    context = dashboard.scorecard_context(commune=commune, period=period, user=user)
    context["doc"] = letterhead(DocumentKind.COMMUNE, commune, period)
    return context


# ---------------------------------------------------------------- the draft directive


def directive_document(*, province: AdministrativeUnit, period: dt.date, user) -> dict:
    """A draft Chỉ thị whose facts come from the month's data and whose wording is the office's template."""
    context = province_document(province=province, period=period, user=user, kind=DocumentKind.DIRECTIVE)
    doc = context["doc"]
    facts = directive_facts(context, province, period)
    context["facts"] = facts
    context["paragraphs"] = directive_paragraphs(doc.body, facts)
    return context


def directive_facts(context: dict, province: AdministrativeUnit, period: dt.date) -> dict[str, str]:
    """The sentences each $name of the wording stands for, from the month's data (one query beyond the report's)."""
    rows: dashboard.ScopeRows = context["rows"]
    summary: dashboard.Summary = context["summary"]
    year = directive_year(period)
    month = f"{period:%m/%Y}"
    units_by_pk = {u.pk: u for u in rows.units}

    def district_of(unit):
        parent = units_by_pk.get(unit.parent_id)
        return parent if parent is not None and parent.level == Level.DISTRICT else None

    tiers = {line.tier: line for line in summary.tiers}
    standard = tiers["standard"]
    results = _(
        "Thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới, đến tháng %(month)s toàn tỉnh có "
        "%(standard)s/%(total)s xã được công nhận đạt chuẩn nông thôn mới, trong đó %(advanced)s xã đạt chuẩn nông "
        "thôn mới nâng cao và %(model)s xã đạt chuẩn nông thôn mới kiểu mẫu; theo số liệu đã được duyệt, "
        "%(computed)s xã đáp ứng đủ các tiêu chí xã đạt chuẩn, bình quân đạt %(average)s tiêu chí/xã."
    ) % {
        "month": month,
        "standard": count_words(standard.recognised),
        "total": standard.out_of,
        "advanced": count_words(tiers["advanced"].recognised),
        "model": count_words(tiers["model"].recognised),
        "computed": count_words(standard.computed),
        "average": decimal_words(summary.average),
    }
    if standard.progress:
        results += " " + _("So với kế hoạch năm %(year)s (%(value)s xã), đạt %(percent)s%% kế hoạch.") % {
            "year": standard.progress.target.year,
            "value": standard.progress.target.value,
            "percent": decimal_words(standard.progress.percent),
        }

    at_risk = [w.item for w in context["watch"] if w.item.at_risk]
    parent_of = {item.unit.pk: district_of(item.unit) for item in at_risk}
    at_risk_sentence = ""
    if at_risk:
        at_risk_sentence = _(
            "Riêng đối với %(n)s xã nông thôn mới hiện nay có số tiêu chí không duy trì đạt chuẩn vượt ngưỡng theo "
            "Quyết định số 18/2022/QĐ-TTg (%(names)s), các địa phương cần tập trung triển khai thực hiện duy trì đạt "
            "chuẩn các tiêu chí, không để tình trạng phải thu hồi quyết định công nhận xã nông thôn mới theo quy định."
        ) % {"n": count_words(len(at_risk)), "names": _named([i.unit for i in at_risk], parent_of)}

    plans = [p for p in rows.plans if p.year == year and p.unit_id in units_by_pk]
    plan_sentence = ""
    if plans:
        by_tier: dict[str, list] = {}
        for plan in plans:
            by_tier.setdefault(plan.tier, []).append(units_by_pk[plan.unit_id])
        parts = []
        for tier in sorted(by_tier, key=lambda t: TIER_RANK.get(t, 0)):
            units = by_tier[tier]
            parts.append(
                _("%(n)s xã %(tier)s (%(names)s)")
                % {
                    "n": count_words(len(units)),
                    "tier": tier_phrase(tier),
                    "names": _named(units, {u.pk: district_of(u) for u in units}),
                }
            )
        plan_sentence = _(
            "Các huyện, thành phố tập trung nguồn lực, chỉ đạo hoàn thành kế hoạch năm %(year)s: %(plans)s; rà soát, "
            "lựa chọn các xã, thôn tiêu biểu để xây dựng xã nông thôn mới kiểu mẫu, thôn nông thôn mới kiểu mẫu."
        ) % {"year": year, "plans": "; ".join(parts)}

    behind = _districts_behind(context, province, year)
    behind_sentence = ""
    if behind:
        behind_sentence = _(
            "%(names)s cần tăng cường các giải pháp, tập trung lãnh đạo, chỉ đạo để hoàn thành kế hoạch xây dựng "
            "nông thôn mới năm %(year)s theo lộ trình đã đề ra: %(details)s."
        ) % {
            "names": _("Ủy ban nhân dân %(districts)s")
            % {"districts": _join([in_sentence(d.name) for d, _x in behind])},
            "year": year,
            "details": "; ".join(f"{d.short_name or d.name}: {why}" for d, why in behind),
        }

    limits = []
    if at_risk:
        limits.append(
            _("%(n)s xã đã được công nhận có số tiêu chí không duy trì đạt chuẩn vượt ngưỡng, có nguy cơ bị thu hồi")
            % {"n": count_words(len(at_risk))}
        )
    if behind:
        limits.append(_("%(n)s huyện chưa bảo đảm tiến độ kế hoạch") % {"n": count_words(len(behind))})
    limits_sentence = ""
    if limits:
        limits_sentence = _("Tuy nhiên, kết quả thực hiện ở một số địa phương chưa đạt yêu cầu: %(limits)s.") % {
            "limits": "; ".join(limits)
        }

    overdue = context["overdue_units"]
    overdue_sentence = ""
    if overdue:
        overdue_sentence = _("Đến nay còn %(n)s đơn vị chưa gửi số liệu tháng %(month)s đã quá hạn (%(names)s).") % {
            "n": count_words(len(overdue)),
            "month": month,
            "names": ", ".join(in_sentence(u.name) for u, _d in overdue[:12]) + (", …" if len(overdue) > 12 else ""),
        }
    return {
        "nam": str(year),
        "thang": month,
        "tinh": in_sentence(province.name),
        "ket_qua": results,
        "chua_dat_yeu_cau": limits_sentence,
        "xa_nguy_co": at_risk_sentence,
        "xa_ke_hoach": plan_sentence,
        "huyen_cham_tien_do": behind_sentence,
        "han_bao_cao": _("ngày %(day)s hằng tháng") % {"day": f"{province.report_due_day:02d}"},
        "xa_qua_han": overdue_sentence,
    }


def _districts_behind(context: dict, province: AdministrativeUnit, year: int) -> list[tuple]:
    """Districts whose plan for the year is not reached: their own district target (QĐ 320) not yet recognised,
    or communes planned for the year not reaching their tier by the figures (one query for district targets)."""
    rows: dashboard.ScopeRows = context["rows"]
    district_ids = [d.unit.pk for d in context["districts"] if d.unit is not None]
    targets: dict[int, list[Target]] = {}
    for target in Target.objects.filter(
        unit_id__in=district_ids, kind=TargetKind.UNITS_AT_TIER, level=Level.DISTRICT, year__lte=year
    ).order_by("year"):
        targets.setdefault(target.unit_id, []).append(target)
    communes_of: dict[int, set[int]] = {}
    for unit in rows.units:
        communes_of.setdefault(unit.parent_id, set()).add(unit.pk)
    behind = []
    for row in context["districts"]:
        if row.unit is None:
            continue
        reasons = []
        for target in targets.get(row.unit.pk, []):
            if not dashboard.reaches(row.recognition, target.tier or "standard"):
                reasons.append(
                    _("chưa được công nhận huyện nông thôn mới (kế hoạch năm %(year)s)") % {"year": target.year}
                )
        commune_ids = communes_of.get(row.unit.pk, set())
        planned = [p for p in rows.plans if p.year == year and p.unit_id in commune_ids]
        missing = [p for p in planned if not dashboard.reaches(rows.statuses.get(p.unit_id), p.tier)]
        if missing:
            reasons.append(
                _("%(missing)s/%(planned)s xã có kế hoạch năm %(year)s chưa đạt mức phấn đấu theo số liệu")
                % {"missing": count_words(len(missing)), "planned": count_words(len(planned)), "year": year}
            )
        if reasons:
            behind.append((row.unit, ", ".join(reasons)))
    return behind


def directive_paragraphs(body: str, facts: dict[str, str]) -> list[str]:
    """The wording with its facts filled in, paragraph by paragraph; a paragraph its facts left empty (or only its
    number) is dropped and the numbered items that follow are renumbered."""
    text = string.Template(body or "").safe_substitute(facts)
    paragraphs = []
    number = 0
    for block in re.split(r"\n\s*\n", text):
        block = " ".join(block.split())
        numbered = re.match(r"^(\d+)\.\s*(.*)$", block)
        if numbered:
            if not numbered.group(2).strip():
                continue
            number += 1
            block = f"{number}. {numbered.group(2)}"
        if block:
            paragraphs.append(block)
    return paragraphs
