"""The sentences a dashboard and its printed document share: each is written once, here, from the same numbers.

A page and the PDF built on it (reports.documents) read these, so they can never disagree about what the figures
rest on or whether a comparison has a basis.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communes.models import Level
from criteria.models import Level as CriteriaLevel
from monthly.models import ReportStatus
from records.models import TargetKind


@dataclass
class FiguresBasis:
    """What a month's results rest on, over the judged communes of a scope.

    Each commune falls in exactly one of: approved for the month itself, carried from an earlier month's approved
    figures, or missing (no approved figures yet). Reports sent for the month and awaiting review are counted apart:
    their figures are not judged until approved.
    """

    period: dt.date
    communes: int
    approved: int
    carried: list[tuple[dt.date, int]] = field(default_factory=list)  # (month, communes), latest month first
    missing: int = 0
    awaiting: int = 0

    @property
    def carried_total(self) -> int:
        return sum(count for _month, count in self.carried)

    @property
    def sentence(self) -> str:
        return basis_sentence(self)


def figures_basis(communes, statuses: dict, reports: dict, period: dt.date) -> FiguresBasis:
    """Count the judged `communes` by where their result for `period` comes from (`statuses` by unit id, each with
    its basis_period) and their month's report (`reports`: unit id -> report status)."""
    carried: Counter = Counter()
    approved = missing = 0
    for unit in communes:
        status = statuses.get(unit.pk)
        if status is None:
            missing += 1
        elif status.basis_period is None or status.basis_period >= period:
            approved += 1
        else:
            carried[status.basis_period] += 1
    awaiting = sum(1 for unit in communes if reports.get(unit.pk) == ReportStatus.SUBMITTED)
    return FiguresBasis(
        period=period,
        communes=len(communes),
        approved=approved,
        carried=sorted(carried.items(), reverse=True),
        missing=missing,
        awaiting=awaiting,
    )


def basis_sentence(basis: FiguresBasis) -> str:
    """E.g. "Kết quả tháng 01/2025 dựa trên số liệu đã duyệt: 1 xã có số liệu tháng 01/2025; 80 xã dùng số liệu
    của tháng trước (78 xã tháng 12/2024, 2 xã tháng 11/2024); 4 xã chưa có số liệu được duyệt. 3 báo cáo tháng
    01/2025 đang chờ duyệt, chưa được tính."."""
    month = f"{basis.period:%m/%Y}"
    parts = [
        ngettext(
            "%(n)d xã có số liệu tháng %(month)s được duyệt",
            "%(n)d xã có số liệu tháng %(month)s được duyệt",
            basis.approved,
        )
        % {"n": basis.approved, "month": month}
    ]
    if basis.carried:
        months = ", ".join(
            ngettext("%(n)d xã tháng %(month)s", "%(n)d xã tháng %(month)s", count)
            % {"n": count, "month": f"{carried:%m/%Y}"}
            for carried, count in basis.carried
        )
        parts.append(
            ngettext(
                "%(n)d xã dùng số liệu đã duyệt của tháng trước (%(months)s)",
                "%(n)d xã dùng số liệu đã duyệt của tháng trước (%(months)s)",
                basis.carried_total,
            )
            % {"n": basis.carried_total, "months": months}
        )
    if basis.missing:
        parts.append(
            ngettext(
                "%(n)d xã chưa có số liệu nào được duyệt",
                "%(n)d xã chưa có số liệu nào được duyệt",
                basis.missing,
            )
            % {"n": basis.missing}
        )
    text = _("Kết quả tháng %(month)s dựa trên số liệu đã duyệt: %(parts)s.") % {
        "month": month,
        "parts": "; ".join(parts),
    }
    if basis.awaiting:
        text += " " + ngettext(
            "%(n)d báo cáo tháng %(month)s đang chờ duyệt, chưa được tính.",
            "%(n)d báo cáo tháng %(month)s đang chờ duyệt, chưa được tính.",
            basis.awaiting,
        ) % {"n": basis.awaiting, "month": month}
    return text


def _share_line(progress) -> str:
    """A target as a share of the communes (the 2030 programme's ~65 % NTM): the share now and the progress."""
    target = progress.target
    share = Decimal(100 * progress.achieved) / progress.out_of if progress.out_of else Decimal(0)
    return _(
        "%(tier)s: %(value)s%% số xã (mục tiêu %(year)s); hiện %(achieved)s/%(total)s xã được công nhận "
        "(%(share)s%%), đạt %(percent)s%% mục tiêu"
    ) % {
        "tier": target.get_tier_display(),
        "value": target.value,
        "year": target.year,
        "achieved": progress.achieved,
        "total": progress.out_of,
        "share": share.quantize(Decimal("0.1")),
        "percent": progress.percent if progress.percent is not None else "—",
    }


def target_line(progress, *, gain_baseline: dt.date, gain_baseline_units: int) -> str:
    """One target that is not a count of recognised communes, as the page and the document both word it; a yearly
    gain with no results for its baseline month says so rather than counting zero."""
    target = progress.target
    if target.kind == TargetKind.MIN_CRITERIA:
        template = _(
            "Mọi xã đạt tối thiểu %(value)s tiêu chí (kế hoạch %(year)s): %(achieved)s/%(total)s xã đạt theo số liệu"
        )
        return template % {
            "value": target.value,
            "year": target.year,
            "achieved": progress.achieved,
            "total": progress.out_of,
        }
    if target.kind == TargetKind.SHARE_AT_TIER:
        return _share_line(progress)
    if target.kind == TargetKind.YEARLY_GAIN:
        head = _("Mỗi xã tăng thêm ít nhất %(value)s tiêu chí mỗi năm (kế hoạch %(year)s)") % {
            "value": target.value,
            "year": target.year,
        }
        if not gain_baseline_units:
            return head + ": " + no_basis(gain_baseline)
        return (
            head
            + ": "
            + _("%(achieved)s/%(total)s xã đã tăng đủ so với tháng %(baseline)s")
            % {
                "achieved": progress.achieved,
                "total": progress.out_of,
                "baseline": f"{gain_baseline:%m/%Y}",
            }
        )
    values = {
        "tier": target.get_tier_display(),
        "value": target.value,
        "year": target.year,
        "achieved": progress.achieved,
        "total": progress.out_of,
        "percent": progress.percent if progress.percent is not None else "—",
    }
    if target.level == Level.DISTRICT:
        return (
            _(
                "%(tier)s (cấp huyện): %(achieved)s/%(total)s huyện được công nhận; kế hoạch %(year)s: %(value)s "
                "huyện, đạt %(percent)s%% kế hoạch"
            )
            % values
        )
    template = _(
        "%(tier)s: %(achieved)s/%(total)s được công nhận; kế hoạch %(year)s: %(value)s, đạt %(percent)s%% kế hoạch"
    )
    return template % {**values, "tier": f"{values['tier']} ({target.get_level_display()})"}


def no_basis(month: dt.date) -> str:
    """The words for a comparison with a month that has no results: the same on every page and document."""
    return _("chưa có kết quả tháng %(month)s để so sánh") % {"month": f"{month:%m/%Y}"}


def bucket_label(code: str) -> str:
    """ "19 tiêu chí", "15-18 tiêu chí", "Dưới 5 tiêu chí" from a band's code (reports.services.band_code)."""
    if code.startswith("<"):
        return _("Dưới %(count)s tiêu chí") % {"count": code[1:]}
    return _("%(count)s tiêu chí") % {"count": code}


def communes_word(count) -> str:
    return ngettext("xã", "xã", int(count or 0))


def yardstick(sets) -> list:
    """The sets that judge a month, each in its version in force then; a province's own version replaces the
    national one of the same code (as criteria.definitions.build_programme does)."""
    chosen: dict[str, object] = {}
    for criteria_set in sorted(sets, key=lambda s: s.province_code):
        chosen[criteria_set.code] = criteria_set
    return sorted(chosen.values(), key=lambda s: (s.level, s.rank))


def yardstick_sentence(sets) -> str:
    """Which sets judged the month, the same on the dashboard and in its document: the programme's sets as issued,
    naming only those amended since, with the version in force (e.g. "…; phiên bản sửa đổi đang áp dụng: Bộ tiêu
    chí … (211/QĐ-TTg, từ 01/03/2024)")."""
    chosen = [s for s in yardstick(sets) if s.level in JUDGED_LEVELS]
    if not chosen:
        return ""
    programme = chosen[0].programme.code
    amended = [s for s in chosen if s.effective_from]
    if not amended:
        return _("Đánh giá theo các bộ tiêu chí giai đoạn %(programme)s, bản áp dụng từ đầu giai đoạn.") % {
            "programme": programme
        }
    return _("Đánh giá theo các bộ tiêu chí giai đoạn %(programme)s; phiên bản sửa đổi đang áp dụng: %(sets)s.") % {
        "programme": programme,
        "sets": "; ".join(f"{s.name} ({s.version_label})" for s in amended),
    }


def illustrative_note(names: list[str]) -> str:
    """The warning every page and document that judges by an illustrative set carries (QĐ 51/2025's indicators
    are not in hand yet: the portal ships a stand-in, never passed off as the law)."""
    if not names:
        return ""
    return _(
        "Chú ý: %(sets)s là bộ minh họa (chỉ tiêu và ngưỡng chờ văn bản gốc, chưa xác minh): kết quả đánh giá theo bộ "
        "này chỉ để tham khảo, không dùng để công nhận."
    ) % {"sets": "; ".join(names)}


def illustrative_sets_note(sets) -> str:
    """illustrative_note for the sets that judge a dashboard's month."""
    return illustrative_note([s.name for s in yardstick(sets) if s.level in JUDGED_LEVELS and s.illustrative])


# The levels whose sets judge what dashboards and documents count (villages are the province's own business).
JUDGED_LEVELS = (CriteriaLevel.COMMUNE, CriteriaLevel.DISTRICT)
