"""Filters of the record lists (recognition decisions, targets, commune plans), one FilterSet per model."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from communes.models import CommunePlan, RecognisedTier, Recognition, Target, TargetKind
from communes.text import fold

IN_FORCE, REVOKED = "in_force", "revoked"


def _search(queryset, name, value):
    """Units whose name or code contains the text, ignoring case and diacritics."""
    folded = fold(value)
    return queryset.filter(unit__search_key__contains=folded) if folded else queryset


class RecognitionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm đơn vị"), method=_search)
    tier = django_filters.ChoiceFilter(label=_("Mức"), choices=RecognisedTier.choices, empty_label=_("Mọi mức"))
    state = django_filters.ChoiceFilter(
        label=_("Hiệu lực"),
        choices=[(IN_FORCE, _("Còn hiệu lực")), (REVOKED, _("Đã thu hồi"))],
        empty_label=_("Tất cả"),
        method="filter_state",
    )

    class Meta:
        model = Recognition
        fields = ["q", "tier", "state"]

    def filter_state(self, queryset, name, value):
        if value == IN_FORCE:
            return queryset.filter(revoked_date__isnull=True)
        if value == REVOKED:
            return queryset.filter(revoked_date__isnull=False)
        return queryset


class TargetFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm đơn vị"), method=_search)
    year = django_filters.NumberFilter(label=_("Năm"))
    kind = django_filters.ChoiceFilter(label=_("Loại chỉ tiêu"), choices=TargetKind.choices, empty_label=_("Mọi loại"))

    class Meta:
        model = Target
        fields = ["q", "year", "kind"]


class CommunePlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm xã"), method=_search)
    year = django_filters.NumberFilter(label=_("Năm"))
    tier = django_filters.ChoiceFilter(
        label=_("Mức phấn đấu"), choices=RecognisedTier.choices, empty_label=_("Mọi mức")
    )

    class Meta:
        model = CommunePlan
        fields = ["q", "year", "tier"]
