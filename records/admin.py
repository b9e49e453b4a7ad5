from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communes.admin import ProvinceFilter
from communes.text import fold
from records.models import CommunePlan, NationalTarget, Recognition, Target


class UnitProvinceFilter(ProvinceFilter):
    """The province filter for records that belong to a unit."""

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(unit__path__startswith=self.value())
        return queryset


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["unit", "tier", "decision_number", "decision_date", "issuer", "revoked_date", "is_demo"]
    list_filter = ["tier", UnitProvinceFilter, ("revoked_date", admin.EmptyFieldListFilter), "is_demo"]
    search_fields = ["unit__code", "unit__search_key", "decision_number", "revoked_decision_number"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]
    date_hierarchy = "decision_date"
    fieldsets = [
        (None, {"fields": ["unit", "tier", "programme", "decision_number", "decision_date", "issuer", "note"]}),
        (_("Thu hồi"), {"fields": ["revoked_decision_number", "revoked_date", "revocation_reason"]}),
        (None, {"fields": ["is_demo"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "kind", "level", "tier", "value", "source", "is_demo"]
    list_filter = ["year", "kind", "level", "tier", UnitProvinceFilter, "is_demo"]
    search_fields = ["unit__code", "unit__search_key", "source"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]


@admin.register(NationalTarget)
class NationalTargetAdmin(admin.ModelAdmin):
    list_display = ["programme_code", "year", "tier", "share", "approximate", "source"]
    list_filter = ["programme_code", "year", "tier"]


@admin.register(CommunePlan)
class CommunePlanAdmin(admin.ModelAdmin):
    list_display = ["unit", "tier", "year", "note", "is_demo"]
    list_filter = ["year", "tier", UnitProvinceFilter, "is_demo"]
    search_fields = ["unit__code", "unit__search_key"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]
