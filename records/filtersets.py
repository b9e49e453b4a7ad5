"""Filters of recognitions, targets and commune plans, shared by the HTML pages and /api/v1/."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from communes.filtersets import YearFilter, search_unit, unit_in_province
from records.models import CommunePlan, RecognisedTier, Recognition, Target, TargetKind

IN_FORCE, REVOKED = "in_force", "revoked"


class RecognitionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm đơn vị"), method=search_unit)
    tier = django_filters.ChoiceFilter(label=_("Mức"), choices=RecognisedTier.choices, empty_label=_("Mọi mức"))
    state = django_filters.ChoiceFilter(
        label=_("Hiệu lực"),
        choices=[(IN_FORCE, _("Còn hiệu lực")), (REVOKED, _("Đã thu hồi"))],
        empty_label=_("Tất cả"),
        method="filter_state",
    )
    year = YearFilter(label=_("Năm quyết định"), field_name="decision_date", lookup_expr="year")
    unit = django_filters.CharFilter(label=_("Mã đơn vị"), field_name="unit__code")
    province = django_filters.CharFilter(label=_("Mã tỉnh"), method=unit_in_province)

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
    q = django_filters.CharFilter(label=_("Tìm đơn vị"), method=search_unit)
    year = YearFilter(label=_("Năm"))
    kind = django_filters.ChoiceFilter(label=_("Loại chỉ tiêu"), choices=TargetKind.choices, empty_label=_("Mọi loại"))
    tier = django_filters.ChoiceFilter(label=_("Mức"), choices=RecognisedTier.choices, empty_label=_("Mọi mức"))
    unit = django_filters.CharFilter(label=_("Mã đơn vị"), field_name="unit__code")
    province = django_filters.CharFilter(label=_("Mã tỉnh"), method=unit_in_province)

    class Meta:
        model = Target
        fields = ["q", "year", "kind", "tier", "unit", "province"]


class CommunePlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm xã"), method=search_unit)
    year = YearFilter(label=_("Năm"))
    tier = django_filters.ChoiceFilter(
        label=_("Mức phấn đấu"), choices=RecognisedTier.choices, empty_label=_("Mọi mức")
    )

    class Meta:
        model = CommunePlan
        fields = ["q", "year", "tier"]
