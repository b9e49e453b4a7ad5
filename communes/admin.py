from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, Level, Membership
from communes.text import fold


class ProvinceFilter(admin.SimpleListFilter):
    title = _("tỉnh")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return AdministrativeUnit.objects.filter(level=Level.PROVINCE).in_vietnamese_order().values_list("code", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(path__startswith=f"{self.value()}/")
        return queryset


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "region", "applies_tdmnpb_thresholds", "is_demo"]
    list_filter = ["level", ProvinceFilter, "region", "kind", "applies_tdmnpb_thresholds", "is_demo"]
    search_fields = ["code", "search_key"]
    search_help_text = _("Tìm theo tên (không cần dấu) hoặc mã")
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["predecessors"]
    readonly_fields = ["path"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["code", "level", "kind", "name", "short_name", "parent", "path"]}),
        (_("Phân loại áp ngưỡng"), {"fields": ["region", "applies_tdmnpb_thresholds", "commune_group"]}),
        (_("Hiệu lực và lịch sử"), {"fields": ["valid_from", "valid_to", "predecessors", "is_demo"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        # The search key is stored folded, so fold the term the same way: "dak glei" finds "Đắk Glei".
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "title", "department"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__search_key"]
    raw_id_fields = ["unit"]
    list_select_related = ["user", "unit"]
