"""Filters of the monthly reports, shared by the HTML pages and /api/v1/."""

from __future__ import annotations

import django_filters
from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _

from communes.filtersets import MonthFilter, unit_in_province
from communes.models import AdministrativeUnit, Level
from monthly.models import Report, ReportStatus


class ReportFilterSet(django_filters.FilterSet):
    month = MonthFilter(label=_("Tháng (YYYY-MM)"), field_name="period")
    unit = django_filters.CharFilter(label=_("Mã đơn vị"), field_name="unit__code")
    province = django_filters.CharFilter(label=_("Mã tỉnh"), method=unit_in_province)
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
