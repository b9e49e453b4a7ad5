"""Filters of the unit lists, shared by the HTML pages and /api/v1/, and the month and year filters every app's
FilterSets use."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.db.models import Value as V
from django.db.models.functions import StrIndex, Substr
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from communes.models import ERA_2025_ROOT, AdministrativeUnit, Level
from communes.months import MONTH_PATTERN, parse_month
from communes.text import fold
from criteria.choices import Region


def province_region() -> Subquery:
    """The region of a unit's province, for a queryset of units: only provinces record it, their units follow them.
    (Pre-reform provinces: a post-reform commune's region comes from its predecessors, not its province.)"""
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
            # django-filter formats each message with %: a "%" typed into the month must not be read as one.
            raise ValidationError(str(exc).replace("%", "%%"), code="invalid") from None


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


def search_unit(queryset, name, value):
    """Records whose unit's name or code contains the text, ignoring case and diacritics."""
    folded = fold(value)
    return queryset.filter(unit__search_key__contains=folded) if folded else queryset


def in_province(value: str, field: str = "path") -> Q:
    """Units (or through `field`, their records) of the province with this code, in either list: its path begins
    with the code, after the 2025 list's root for a post-reform province. Narrow by day to tell the two apart."""
    return Q(**{f"{field}__startswith": f"{value}/"}) | Q(**{f"{field}__startswith": f"{ERA_2025_ROOT}{value}/"})


def unit_in_province(queryset, name, value):
    """Records of the units of a province, given its code."""
    return queryset.filter(in_province(value, "unit__path"))


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
        return queryset.filter(in_province(value))

    def filter_region(self, queryset, name, value: str):
        return queryset.alias(region_of_province=province_region()).filter(region_of_province=value)

    def filter_as_of(self, queryset, name, value):
        return queryset.current(on=value)
