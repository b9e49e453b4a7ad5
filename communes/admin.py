from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.models import (
    AdministrativeUnit,
    ApiToken,
    CommunePlan,
    Level,
    Membership,
    Recognition,
    Report,
    ReportEvent,
    Target,
    Value,
    ValueChange,
)
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


class ReadOnlyInline(admin.TabularInline):
    """Figures change only through the reporting pages, where every change is recorded; the admin only reads."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ValueInline(ReadOnlyInline):
    model = Value
    fields = ["measure", "number", "flag", "level", "note"]


class ReportEventInline(ReadOnlyInline):
    model = ReportEvent
    fields = ["action", "by", "at", "reason", "criterion_number"]


class ValueChangeInline(ReadOnlyInline):
    model = ValueChange
    fields = ["measure", "old_value", "new_value", "changed_by", "changed_at", "via"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: the workflow and the audit trail must not be rewritten behind the reporting pages."""

    list_display = ["unit", "period", "status", "is_late", "submitted_at", "approved_at", "version"]
    list_filter = ["status", "is_late", "period"]
    search_fields = ["unit__code", "unit__search_key"]
    list_select_related = ["unit"]
    inlines = [ValueInline, ReportEventInline, ValueChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnitProvinceFilter(ProvinceFilter):
    """The province filter for records that belong to a unit."""

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(unit__path__startswith=f"{self.value()}/")
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


@admin.register(CommunePlan)
class CommunePlanAdmin(admin.ModelAdmin):
    list_display = ["unit", "tier", "year", "note", "is_demo"]
    list_filter = ["year", "tier", UnitProvinceFilter, "is_demo"]
    search_fields = ["unit__code", "unit__search_key"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens for other agencies' systems: the key is shown once, on creation; revoking is one action."""

    list_display = ["name", "user", "prefix", "access", "expires_at", "revoked_at", "last_used_at", "created_at"]
    list_filter = ["can_write", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "can_write", "expires_at", "revoked_at", "prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    @admin.display(description=_("quyền"), boolean=False)
    def access(self, token: ApiToken) -> str:
        return token.access_label

    def save_model(self, request, obj, form, change):
        if not change:
            key = obj.issue_key()
            super().save_model(request, obj, form, change)
            self.message_user(
                request,
                _(
                    "Khóa truy cập của “%(name)s”: %(key)s — hãy sao chép ngay, khóa chỉ hiện một lần. "
                    "Gửi kèm mỗi yêu cầu: Authorization: Token <khóa>."
                )
                % {"name": obj.name, "key": key},
                messages.WARNING,
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Thu hồi các khóa đã chọn"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("Đã thu hồi %(count)d khóa.") % {"count": count}, messages.SUCCESS)
