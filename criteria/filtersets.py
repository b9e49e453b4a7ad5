"""Filters of the criteria sets, one FilterSet per model."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from criteria.models import CriteriaSet, Level, SetStatus, Tier


class CriteriaSetFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(label=_("Mã giai đoạn"), field_name="programme__code")
    code = django_filters.CharFilter(label=_("Mã bộ tiêu chí"))
    level = django_filters.ChoiceFilter(label=_("Cấp"), choices=Level.choices, empty_label=_("Mọi cấp"))
    tier = django_filters.ChoiceFilter(label=_("Mức"), choices=Tier.choices, empty_label=_("Mọi mức"))
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=SetStatus.choices, empty_label=_("Tất cả"))
    province = django_filters.CharFilter(
        label=_("Mã tỉnh (bộ tiêu chí của tỉnh)"), field_name="province_code", max_length=2
    )
    national = django_filters.BooleanFilter(label=_("Bộ tiêu chí quốc gia"), method="filter_national")

    class Meta:
        model = CriteriaSet
        fields = ["programme", "code", "level", "tier", "status", "province", "national"]

    def filter_national(self, queryset, name, value):
        # true: the national sets only; false: the provinces' versions only.
        return queryset.filter(province_code="") if value else queryset.exclude(province_code="")
