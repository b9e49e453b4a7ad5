"""Filters of the lists, one FilterSet per model, shared by the HTML pages and /api/v1/: units, monthly reports,
recognition decisions, targets and commune plans."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.db.models import Value as V
from django.db.models.functions import StrIndex, Substr
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from communes.models import (
    AdministrativeUnit,
    CommunePlan,
    Level,
    RecognisedTier,
    Recognition,
    Report,
    ReportStatus,
    Target,
    TargetKind,
)
from communes.services import parse_month
from communes.text import fold
from criteria.choices import Region

IN_FORCE, REVOKED = "in_force", "revoked"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


def province_region() -> Subquery:
    """The region of a unit's province, for a queryset of units: only provinces record it, their units follow them."""
    province_path = Substr(OuterRef("path"), 1, StrIndex(OuterRef("path"), V("/")))
    return Subquery(AdministrativeUnit.objects.filter(path=province_path).values("region")[:1])


# ---------------------------------------------------------------- fields

# Query strings come from anywhere: every field below refuses what it cannot read with a 400, never a 500
# (a year beyond 9999 would break the date arithmetic of a __year lookup, a bad month the period filter).


class MonthField(forms.CharField):
    """A month written YYYY-MM, cleaned to its first day."""

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_month(text)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None


@extend_schema_field(
    {"type": "string", "pattern": MONTH_PATTERN, "example": "2024-05", "description": "Tháng, YYYY-MM"}
)
class MonthFilter(django_filters.CharFilter):
    field_class = MonthField


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=9999, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999, "description": "Năm"})
class YearFilter(django_filters.Filter):
    field_class = YearField


# ---------------------------------------------------------------- shared filter methods


def _search(queryset, name, value):
    """Records whose unit's name or code contains the text, ignoring case and diacritics."""
    folded = fold(value)
    return queryset.filter(unit__search_key__contains=folded) if folded else queryset


def _unit_in_province(queryset, name, value):
    """Records of the units of a province, given its code (a unit's path begins with its province's code)."""
    return queryset.filter(unit__path__startswith=f"{value}/")


# ---------------------------------------------------------------- units


class AdministrativeUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên hoặc mã, không cần dấu"), method="filter_q")
    level = django_filters.ChoiceFilter(label=_("Cấp"), choices=Level.choices, empty_label=_("Mọi cấp"))
    parent = django_filters.CharFilter(label=_("Mã đơn vị cấp trên"), field_name="parent__code")
    province = django_filters.CharFilter(label=_("Mã tỉnh"), method="filter_province")
    region = django_filters.ChoiceFilter(
        label=_("Vùng kinh tế - xã hội (của tỉnh)"),
        choices=Region.choices,
        empty_label=_("Mọi vùng"),
        method="filter_region",
    )
    as_of = django_filters.DateFilter(label=_("Có hiệu lực vào ngày (YYYY-MM-DD)"), method="filter_as_of")

    class Meta:
        model = AdministrativeUnit
        fields = ["q", "level", "parent", "province", "region", "as_of"]

    def filter_q(self, queryset, name, value: str):
        return queryset.search(value) if fold(value) else queryset

    def filter_province(self, queryset, name, value: str):
        return queryset.filter(path__startswith=f"{value}/")

    def filter_region(self, queryset, name, value: str):
        return queryset.alias(region_of_province=province_region()).filter(region_of_province=value)

    def filter_as_of(self, queryset, name, value):
        return queryset.current(on=value)


# ---------------------------------------------------------------- monthly reports


class ReportFilterSet(django_filters.FilterSet):
    month = MonthFilter(label=_("Tháng (YYYY-MM)"), field_name="period")
    unit = django_filters.CharFilter(label=_("Mã đơn vị"), field_name="unit__code")
    province = django_filters.CharFilter(label=_("Mã tỉnh"), method=_unit_in_province)
    district = django_filters.CharFilter(label=_("Mã huyện"), method="filter_district")
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=ReportStatus.choices, empty_label=_("Mọi trạng thái")
    )
    programme = django_filters.CharFilter(label=_("Mã giai đoạn"), field_name="programme__code")

    class Meta:
        model = Report
        fields = ["month", "unit", "province", "district", "status", "programme"]

    def filter_district(self, queryset, name, value: str):
        district = AdministrativeUnit.objects.filter(level=Level.DISTRICT, code=value).values("path")[:1]
        return queryset.filter(unit__path__startswith=Subquery(district))


# ---------------------------------------------------------------- records


class RecognitionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm đơn vị"), method=_search)
    tier = django_filters.ChoiceFilter(label=_("Mức"), choices=RecognisedTier.choices, empty_label=_("Mọi mức"))
    state = django_filters.ChoiceFilter(
        label=_("Hiệu lực"),
        choices=[(IN_FORCE, _("Còn hiệu lực")), (REVOKED, _("Đã thu hồi"))],
        empty_label=_("Tất cả"),
        method="filter_state",
    )
    year = YearFilter(label=_("Năm quyết định"), field_name="decision_date", lookup_expr="year")
    unit = django_filters.CharFilter(label=_("Mã đơn vị"), field_name="unit__code")
    province = django_filters.CharFilter(label=_("Mã tỉnh"), method=_unit_in_province)

    class Meta:
        model = Recognition
        fields = ["q", "tier", "state", "year", "unit", "province"]

    def filter_state(self, queryset, name, value: str):
        if value == IN_FORCE:
            return queryset.filter(revoked_date__isnull=True)
        if value == REVOKED:
            return queryset.filter(revoked_date__isnull=False)
        return queryset


class TargetFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm đơn vị"), method=_search)
    year = YearFilter(label=_("Năm"))
    kind = django_filters.ChoiceFilter(label=_("Loại chỉ tiêu"), choices=TargetKind.choices, empty_label=_("Mọi loại"))
    tier = django_filters.ChoiceFilter(label=_("Mức"), choices=RecognisedTier.choices, empty_label=_("Mọi mức"))
    unit = django_filters.CharFilter(label=_("Mã đơn vị"), field_name="unit__code")
    province = django_filters.CharFilter(label=_("Mã tỉnh"), method=_unit_in_province)

    class Meta:
        model = Target
        fields = ["q", "year", "kind", "tier", "unit", "province"]


class CommunePlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm xã"), method=_search)
    year = YearFilter(label=_("Năm"))
    tier = django_filters.ChoiceFilter(
        label=_("Mức phấn đấu"), choices=RecognisedTier.choices, empty_label=_("Mọi mức")
    )

    class Meta:
        model = CommunePlan
        fields = ["q", "year", "tier"]
