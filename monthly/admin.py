from django.contrib import admin

from monthly.models import Report, ReportEvent, Value, ValueChange


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
