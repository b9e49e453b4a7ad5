from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communes.groups import CommuneGroupAssignment
from communes.models import AccountSecurity, AdministrativeUnit, Level, Lineage, Membership
from communes.services import require_password_change
from communes.text import fold


class ProvinceFilter(admin.SimpleListFilter):
    title = _("tỉnh")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        # By path, not code: province codes were reused in 2025 (51 is Quảng Ngãi before and after, 15 is Yên Bái
        # then Lào Cai).
        provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE).in_vietnamese_order()
        return [(p.path, f"{p.name} ({p.period_label})" if p.period_label else p.name) for p in provinces]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(path__startswith=self.value())
        return queryset


class PredecessorInline(admin.TabularInline):
    model = Lineage
    fk_name = "successor"
    raw_id_fields = ["predecessor"]
    extra = 0
    verbose_name = _("đơn vị trước")
    verbose_name_plural = _("hình thành từ")


class GroupInline(admin.TabularInline):
    model = CommuneGroupAssignment
    raw_id_fields = ["assigned_by"]
    extra = 0
    readonly_fields = ["assigned_at"]


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "region", "applies_tdmnpb_thresholds", "is_demo"]
    list_filter = ["level", ProvinceFilter, "region", "kind", "applies_tdmnpb_thresholds", "is_demo"]
    search_fields = ["code", "search_key"]
    search_help_text = _("Tìm theo tên (không cần dấu) hoặc mã")
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    inlines = [PredecessorInline, GroupInline]
    readonly_fields = ["path"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["code", "level", "kind", "name", "short_name", "parent", "path"]}),
        (_("Phân loại áp ngưỡng"), {"fields": ["region", "applies_tdmnpb_thresholds"]}),
        (_("Hiệu lực và lịch sử"), {"fields": ["valid_from", "valid_to", "former_names", "is_demo"]}),
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


class AccountSecurityInline(admin.StackedInline):
    model = AccountSecurity
    can_delete = False
    fields = ["must_change_password", "password_changed_at"]
    readonly_fields = ["password_changed_at"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PortalUserAdmin(UserAdmin):
    """Django's user admin, plus a required password change: to reset a forgotten password, set a temporary one
    (the password form linked from the user's page) and tick "phải đổi mật khẩu", or use the action on the list."""

    inlines = [*UserAdmin.inlines, AccountSecurityInline]
    list_display = [*UserAdmin.list_display, "must_change_password"]
    list_select_related = ["account_security"]
    actions = ["require_password_change"]

    @admin.display(description=_("phải đổi mật khẩu"), boolean=True)
    def must_change_password(self, user) -> bool:
        return AccountSecurity.requires_change(user)

    @admin.action(description=_("Buộc đổi mật khẩu ở lần mở trang tới"), permissions=["change"])
    def require_password_change(self, request, queryset):
        count = require_password_change(users=queryset)
        message = ngettext(
            "%(count)d người dùng phải đặt mật khẩu mới trước khi mở trang khác.",
            "%(count)d người dùng phải đặt mật khẩu mới trước khi mở trang khác.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    """Axes' failed logins: deleting the rows of an account or an address lifts its lockout at once."""

    actions = [*AccessAttemptAdmin.actions, "unlock"]

    @admin.action(description=_("Mở khóa: xóa các lần đăng nhập sai đã chọn"), permissions=["delete"])
    def unlock(self, request, queryset):
        count = queryset.count()
        queryset.delete()
        message = ngettext(
            "Đã mở khóa: xóa %(count)d lần đăng nhập sai.", "Đã mở khóa: xóa %(count)d lần đăng nhập sai.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
