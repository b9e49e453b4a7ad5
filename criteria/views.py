"""Read-only pages of the criteria: programmes and their sets, one set, one criterion with every region's thresholds.

Criteria are reference data: every signed-in user may read every set, national or provincial.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from criteria.choices import CommuneGroup, Region
from criteria.definitions import sets_with_contents
from criteria.models import (
    Comparison,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Indicator,
    Programme,
    SetStatus,
    Threshold,
)

ALL_REGIONS = ""  # the column of thresholds without a region


def _province_param(request) -> str:
    """The ?province= of a provincial version, as stored (two digits); '' for the national set."""
    code = request.GET.get("province", "").strip()
    if not code:
        return ""
    if not code.isdigit() or len(code) > 2:
        raise Http404(_("Mã tỉnh không hợp lệ."))
    return code.zfill(2)


@require_GET
def programme_list(request):
    # Two queries: the programmes, then every set with its counts.
    sets = CriteriaSet.objects.annotate(
        criteria_count=Count("criteria", filter=Q(criteria__kind=CriterionKind.CRITERION), distinct=True),
        condition_count=Count("criteria", filter=Q(criteria__kind=CriterionKind.CONDITION), distinct=True),
        indicator_count=Count("criteria__indicators", distinct=True),
    ).order_by("level", "rank", "province_code", "code")
    programmes = Programme.objects.prefetch_related(Prefetch("sets", queryset=sets)).order_by("-start_year")
    rows = [
        {
            "programme": programme,
            "national": [s for s in programme.sets.all() if not s.province_code],
            "provincial": [s for s in programme.sets.all() if s.province_code],
        }
        for programme in programmes
    ]
    return render(request, "criteria/programme_list.html", {"rows": rows})


def _on_param(request) -> dt.date:
    """The ?on=YYYY-MM-DD whose version of a set to show (a set amended later has several); today by default."""
    text = request.GET.get("on", "").strip()
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Http404(_("Ngày không hợp lệ.")) from None


def _versions_on(request, programme: str, set_code: str):
    """The versions of a set in force on ?on= (one per province), by programme and code."""
    sets = CriteriaSet.objects.filter(programme__code=programme, code=set_code)
    return sets.in_force_on(_on_param(request))


def _set_or_404(request, programme: str, set_code: str) -> CriteriaSet:
    """The set with its criteria, indicators, measures and thresholds, in four queries whatever its size."""
    sets = sets_with_contents(_versions_on(request, programme, set_code))
    return get_object_or_404(sets, province_code=_province_param(request))


def _amendments(criteria_set: CriteriaSet) -> list[CriteriaSet]:
    """Every version of this set for its scope, oldest first (one query)."""
    return sorted(
        CriteriaSet.objects.filter(
            programme_id=criteria_set.programme_id, code=criteria_set.code, province_code=criteria_set.province_code
        ).only("code", "legal_basis", "effective_from", "province_code", "status"),
        key=lambda s: s.effective_from or dt.date.min,
    )


def _versions(criteria_set: CriteriaSet) -> list[CriteriaSet]:
    """The national set and every province's version of it, national first (one query)."""
    return list(
        CriteriaSet.objects.filter(programme_id=criteria_set.programme_id, code=criteria_set.code)
        .in_force_on(criteria_set.effective_from or timezone.localdate())
        .only("code", "province_code", "province_name", "status")
        .order_by("province_code")
    )


def _name_references(criteria_set: CriteriaSet, criteria) -> None:
    """An indicator that refers to another set (reached, or a threshold relative to it) names that set, not its code:
    `reference_label` (one query)."""
    names = dict(
        CriteriaSet.objects.filter(
            programme_id=criteria_set.programme_id, province_code__in=["", criteria_set.province_code]
        )
        .order_by("province_code")  # the province's own version last, so it wins
        .values_list("code", "name")
    )
    for criterion in criteria:
        for indicator in criterion.indicators.all():
            set_code, _slash, indicator_code = indicator.reference.partition("/")
            label = names.get(set_code, set_code)
            indicator.reference_label = f"{label}, {_('chỉ tiêu')} {indicator_code}" if indicator_code else label


@require_GET
def set_detail(request, programme: str, set_code: str):
    criteria_set = _set_or_404(request, programme, set_code)
    criteria = list(criteria_set.criteria.all())
    _name_references(criteria_set, criteria)
    unverified = sum(1 for c in criteria for i in c.indicators.all() for t in i.thresholds.all() if not t.verified)
    amendments = _amendments(criteria_set)
    return render(
        request,
        "criteria/set_detail.html",
        {
            "programme": criteria_set.programme,
            "criteria_set": criteria_set,
            "criteria": criteria,
            "versions": _versions(criteria_set),
            "amendments": amendments,
            "province_query": f"?province={criteria_set.province_code}" if criteria_set.province_code else "",
            "unverified_count": unverified,
            # Drafts of this set waiting to be published (never in force, so not reached through ?on=).
            "drafts": [v for v in amendments if v.status == SetStatus.DRAFT and v.effective_from],
        },
    )


@require_GET
def criterion_detail(request, programme: str, set_code: str, number: int):
    province_code = _province_param(request)
    criterion = get_object_or_404(
        Criterion.objects.select_related("criteria_set__programme").prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.select_related("measure").order_by("position")),
            Prefetch("indicators__thresholds", queryset=Threshold.objects.order_by("pk")),
        ),
        criteria_set__in=_versions_on(request, programme, set_code),
        criteria_set__province_code=province_code,
        number=number,
    )
    siblings = list(
        Criterion.objects.filter(criteria_set_id=criterion.criteria_set_id).order_by("number").values("number", "name")
    )
    position = next(i for i, s in enumerate(siblings) if s["number"] == criterion.number)
    _name_references(criterion.criteria_set, [criterion])
    table = region_table(criterion)
    return render(
        request,
        "criteria/criterion_detail.html",
        {
            "programme": criterion.criteria_set.programme,
            "criteria_set": criterion.criteria_set,
            "criterion": criterion,
            "table": table,
            "previous": siblings[position - 1] if position > 0 else None,
            "next": siblings[position + 1] if position + 1 < len(siblings) else None,
            "province_query": f"?province={province_code}" if province_code else "",
        },
    )


# ---------------------------------------------------------------- the table of every region's thresholds


@dataclass
class Cell:
    thresholds: list[tuple[Threshold, int | None]] = field(default_factory=list)  # (row, footnote number)


@dataclass
class Row:
    indicator: Indicator
    label: str
    cells: list[Cell]
    first: bool = False  # first row of its indicator: carries the indicator's name, spanning its rows
    span: int = 1
    note: str = ""  # instead of cells: the threshold is computed or is a lower set reached


@dataclass
class RegionTable:
    columns: list[tuple[str, str]]
    rows: list[Row]
    footnotes: list[str]  # sources of unverified thresholds, numbered from 1 in order of appearance


def region_table(criterion: Criterion) -> RegionTable:
    """One row per indicator and qualifier (year, TDMNPB rule, commune group), one column per region and 'every
    region'; unverified thresholds get a footnote with their source, shared by rows quoting the same source."""
    columns = [*Region.choices, (ALL_REGIONS, _("Mọi vùng"))]
    column_index = {code: i for i, (code, _label) in enumerate(columns)}
    footnotes: dict[str, int] = {}
    rows: list[Row] = []
    for indicator in criterion.indicators.all():
        indicator_rows = _indicator_rows(indicator, columns, column_index, footnotes)
        indicator_rows[0].first, indicator_rows[0].span = True, len(indicator_rows)
        rows += indicator_rows
    return RegionTable(columns=columns, rows=rows, footnotes=list(footnotes))


def _indicator_rows(indicator: Indicator, columns, column_index, footnotes: dict[str, int]) -> list[Row]:
    thresholds = list(indicator.thresholds.all())
    notes = []
    if indicator.comparison == Comparison.REACHED:
        notes.append(_("Phải đạt bộ tiêu chí %(code)s") % {"code": indicator.reference})
    elif indicator.reference and indicator.multiplier is not None:
        notes.append(
            _("Ngưỡng = %(percent)s%% ngưỡng của %(reference)s theo cùng vùng và năm")
            % {"percent": _percent(indicator.multiplier), "reference": indicator.reference}
        )
    if not thresholds:
        return [Row(indicator, "", [], note=" ".join(notes) or _("Chưa có ngưỡng"))]

    by_qualifier: dict[tuple, list[Cell]] = {}
    for t in sorted(thresholds, key=_qualifier_order):
        cells = by_qualifier.setdefault(_qualifier(t), [Cell() for _column in columns])
        footnote = None
        if not t.verified:
            footnote = footnotes.setdefault(t.source, len(footnotes) + 1)
        cells[column_index[t.region or ALL_REGIONS]].thresholds.append((t, footnote))
    rows = [Row(indicator, _qualifier_label(*key), cells) for key, cells in by_qualifier.items()]
    if notes:
        rows[0].label = f"{rows[0].label} · {notes[0]}" if rows[0].label else notes[0]
    return rows


def _qualifier(t: Threshold) -> tuple:
    return (t.year, t.tdmnpb_rule, t.commune_group)


def _qualifier_order(t: Threshold) -> tuple:
    # Every-year rows first, then by year; within a year: all communes, then the TDMNPB-rule rows, then groups.
    rule_order = {None: 0, True: 1, False: 2}[t.tdmnpb_rule]
    return (t.year is not None, t.year or 0, t.commune_group or 0, rule_order)


def _qualifier_label(year: int | None, tdmnpb_rule: bool | None, group: int | None) -> str:
    parts = [_("Năm %(year)s") % {"year": year} if year else _("Mọi năm")]
    if tdmnpb_rule is True:
        parts.append(_("chỉ xã áp dụng ngưỡng TDMNPB"))
    elif tdmnpb_rule is False:
        parts.append(_("xã không áp dụng ngưỡng TDMNPB"))
    if group is not None:
        parts.append(str(CommuneGroup(group).label))
    return ", ".join(parts)


def _percent(multiplier) -> str:
    value = multiplier * 100
    return str(value.quantize(1) if value == value.to_integral_value() else value.normalize())
