"""Filters of the computed statuses, one FilterSet per model."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from communes.models import AdministrativeUnit, Level
from communes.months import parse_month
from criteria.models import Tier
from reports.models import Status

NO_TIER = "none"
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class MonthField(forms.CharField):
    """'2024-05' -> the first day of that month."""

    default_error_messages = {"invalid": _("Tháng phải có dạng YYYY-MM, ví dụ 2024-05.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2024-05"})
class MonthFilter(django_filters.Filter):
    field_class = MonthField


class CountFilter(django_filters.NumberFilter):
    """A number of criteria: a whole number, bounded, so no text or huge number reaches the database."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        error_messages = {"invalid": _("Nhập một số nguyên, ví dụ 15.")}
        super().__init__(*args, min_value=0, max_value=1000, error_messages=error_messages, **kwargs)


class StatusOrderingFilter(django_filters.OrderingFilter):
    """The chosen order, then the unit tree and the id: pages never overlap when many rows tie."""

    def filter(self, qs, value):
        # "?ordering=,," passes the field's validation as empty names, which order_by() would choke on.
        params = [param for param in value or () if param]
        if not params:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in params), "unit__path", "pk")


class StatusFilterSet(django_filters.FilterSet):
    month = MonthFilter(label=_("Tháng (YYYY-MM)"), field_name="period")
    programme = django_filters.CharFilter(label=_("Mã giai đoạn"), field_name="programme__code")
    unit = django_filters.CharFilter(label=_("Mã đơn vị"), field_name="unit__code")
    subtree = django_filters.CharFilter(
        label=_("Mã đơn vị: đơn vị này và mọi đơn vị trực thuộc"), method="filter_subtree", max_length=12
    )
    level = django_filters.ChoiceFilter(
        label=_("Cấp"),
        field_name="unit__level",
        choices=[(Level.COMMUNE, Level.COMMUNE.label), (Level.DISTRICT, Level.DISTRICT.label)],
        empty_label=_("Mọi cấp"),
    )
    tier = django_filters.ChoiceFilter(
        label=_("Mức đạt theo số liệu ('none': chưa đạt mức nào)"),
        choices=[(NO_TIER, _("Chưa đạt mức nào")), *Tier.choices],
        empty_label=_("Mọi mức"),
        method="filter_tier",
    )
    criteria_met_min = CountFilter(label=_("Số tiêu chí đạt, từ"), field_name="criteria_met", lookup_expr="gte")
    criteria_met_max = CountFilter(label=_("Số tiêu chí đạt, đến"), field_name="criteria_met", lookup_expr="lte")
    ordering = StatusOrderingFilter(
        label=_("Sắp xếp"),
        fields=[("period", "month"), ("unit__path", "unit"), ("criteria_met", "criteria_met")],
    )

    class Meta:
        model = Status
        fields = ["month", "programme", "unit", "subtree", "level", "tier", "criteria_met_min", "criteria_met_max"]

    def filter_subtree(self, queryset, name, value):
        # Only narrows: the queryset is already the user's scope, so a unit of another province gives nothing.
        # A reused code (2025) names the unit in force in the month asked for (else today): of the units with the
        # code begun by then, the one ending last (communes.permissions.pick_at, in SQL).
        month = self.form.cleaned_data.get("month") if hasattr(self.form, "cleaned_data") else None
        day = month or timezone.localdate()
        path = (
            AdministrativeUnit.objects.filter(code=value)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            .order_by(F("valid_to").desc(nulls_first=True), "path")
            .values("path")[:1]
        )
        return queryset.filter(unit__path__startswith=Subquery(path))

    def filter_tier(self, queryset, name, value):
        return queryset.filter(tier="" if value == NO_TIER else value)
