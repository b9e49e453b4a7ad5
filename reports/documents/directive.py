"""The draft directive (Chỉ thị): the sentences each $name of the office's wording stands for, from the month's data,
and the wording with those facts filled in, paragraph by paragraph. Built on the province report's context."""

from __future__ import annotations

import datetime as dt
import re
import string

from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Level
from records.models import Target, TargetKind
from reports import dashboard
from reports.documents.builders import (
    count_words,
    decimal_words,
    directive_year,
    in_sentence,
    province_document,
    tier_phrase,
)
from reports.models import DocumentKind
from reports.services import TIER_RANK


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
    year = directive_year(period)
    month = f"{period:%m/%Y}"
    units_by_pk = {u.pk: u for u in rows.units}
    at_risk = [w.item for w in context["watch"] if w.item.at_risk]
    behind = _districts_behind(context, province, year)
    return {
        "nam": str(year),
        "thang": month,
        "tinh": in_sentence(province.name),
        "ket_qua": _results_sentence(context["summary"], month),
        "chua_dat_yeu_cau": _limits_sentence(at_risk, behind),
        "xa_nguy_co": _at_risk_sentence(at_risk, units_by_pk),
        "xa_ke_hoach": _plan_sentence(rows, units_by_pk, year),
        "huyen_cham_tien_do": _behind_sentence(behind, year),
        "han_bao_cao": _("ngày %(day)s hằng tháng") % {"day": f"{province.report_due_day:02d}"},
        "xa_qua_han": _overdue_sentence(context["overdue_units"], month),
    }


def _district_of(unit: AdministrativeUnit, units_by_pk: dict[int, AdministrativeUnit]) -> AdministrativeUnit | None:
    parent = units_by_pk.get(unit.parent_id)
    return parent if parent is not None and parent.level == Level.DISTRICT else None


def _results_sentence(summary: dashboard.Summary, month: str) -> str:
    tiers = {line.tier: line for line in summary.tiers}
    standard = tiers["standard"]
    values = {
        "month": month,
        "standard": count_words(standard.recognised),
        "total": standard.out_of,
        "computed": count_words(standard.computed),
        "average": decimal_words(summary.average),
    }
    if "modern" in tiers:  # 2026-2030: standard and the hiện đại pilot
        results = _(
            "Thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới, đến tháng %(month)s toàn tỉnh có "
            "%(standard)s/%(total)s xã được công nhận đạt chuẩn nông thôn mới, trong đó %(modern)s xã nông thôn mới "
            "hiện đại; theo số liệu đã được duyệt, %(computed)s xã đáp ứng đủ các tiêu chí xã đạt chuẩn, bình quân "
            "đạt %(average)s tiêu chí/xã."
        ) % {**values, "modern": count_words(tiers["modern"].recognised)}
    else:
        results = _(
            "Thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới, đến tháng %(month)s toàn tỉnh có "
            "%(standard)s/%(total)s xã được công nhận đạt chuẩn nông thôn mới, trong đó %(advanced)s xã đạt chuẩn "
            "nông thôn mới nâng cao và %(model)s xã đạt chuẩn nông thôn mới kiểu mẫu; theo số liệu đã được duyệt, "
            "%(computed)s xã đáp ứng đủ các tiêu chí xã đạt chuẩn, bình quân đạt %(average)s tiêu chí/xã."
        ) % {
            **values,
            "advanced": count_words(tiers["advanced"].recognised),
            "model": count_words(tiers["model"].recognised),
        }
    if standard.progress:
        results += " " + _("So với kế hoạch năm %(year)s (%(value)s xã), đạt %(percent)s%% kế hoạch.") % {
            "year": standard.progress.target.year,
            "value": standard.progress.target.value,
            "percent": decimal_words(standard.progress.percent),
        }
    if summary.basis is not None:
        results += " " + summary.basis.sentence
    return results


def _at_risk_sentence(at_risk: list, units_by_pk: dict[int, AdministrativeUnit]) -> str:
    if not at_risk:
        return ""
    parent_of = {item.unit.pk: _district_of(item.unit, units_by_pk) for item in at_risk}
    return _(
        "Riêng đối với %(n)s xã nông thôn mới hiện nay có số tiêu chí không duy trì đạt chuẩn vượt ngưỡng theo "
        "Quyết định số 18/2022/QĐ-TTg (%(names)s), các địa phương cần tập trung triển khai thực hiện duy trì đạt "
        "chuẩn các tiêu chí, không để tình trạng phải thu hồi quyết định công nhận xã nông thôn mới theo quy định."
    ) % {"n": count_words(len(at_risk)), "names": _named([i.unit for i in at_risk], parent_of)}


def _plan_sentence(rows: dashboard.ScopeRows, units_by_pk: dict[int, AdministrativeUnit], year: int) -> str:
    plans = [p for p in rows.plans if p.year == year and p.unit_id in units_by_pk]
    if not plans:
        return ""
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
                "names": _named(units, {u.pk: _district_of(u, units_by_pk) for u in units}),
            }
        )
    return _(
        "Các huyện, thành phố tập trung nguồn lực, chỉ đạo hoàn thành kế hoạch năm %(year)s: %(plans)s; rà soát, "
        "lựa chọn các xã, thôn tiêu biểu để xây dựng xã nông thôn mới kiểu mẫu, thôn nông thôn mới kiểu mẫu."
    ) % {"year": year, "plans": "; ".join(parts)}


def _behind_sentence(behind: list[tuple], year: int) -> str:
    if not behind:
        return ""
    return _(
        "%(names)s cần tăng cường các giải pháp, tập trung lãnh đạo, chỉ đạo để hoàn thành kế hoạch xây dựng "
        "nông thôn mới năm %(year)s theo lộ trình đã đề ra: %(details)s."
    ) % {
        "names": _("Ủy ban nhân dân %(districts)s") % {"districts": _join([in_sentence(d.name) for d, _x in behind])},
        "year": year,
        "details": "; ".join(f"{d.short_name or d.name}: {why}" for d, why in behind),
    }


def _limits_sentence(at_risk: list, behind: list[tuple]) -> str:
    limits = []
    if at_risk:
        limits.append(
            _("%(n)s xã đã được công nhận có số tiêu chí không duy trì đạt chuẩn vượt ngưỡng, có nguy cơ bị thu hồi")
            % {"n": count_words(len(at_risk))}
        )
    if behind:
        limits.append(_("%(n)s huyện chưa bảo đảm tiến độ kế hoạch") % {"n": count_words(len(behind))})
    if not limits:
        return ""
    return _("Tuy nhiên, kết quả thực hiện ở một số địa phương chưa đạt yêu cầu: %(limits)s.") % {
        "limits": "; ".join(limits)
    }


def _overdue_sentence(overdue: list[tuple], month: str) -> str:
    if not overdue:
        return ""
    return _("Đến nay còn %(n)s đơn vị chưa gửi số liệu tháng %(month)s đã quá hạn (%(names)s).") % {
        "n": count_words(len(overdue)),
        "month": month,
        "names": ", ".join(in_sentence(u.name) for u, _d in overdue[:12]) + (", …" if len(overdue) > 12 else ""),
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
