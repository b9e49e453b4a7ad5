from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiToken


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
        self.message_user(
            request,
            ngettext("Đã thu hồi %(count)d khóa.", "Đã thu hồi %(count)d khóa.", count) % {"count": count},
            messages.SUCCESS,
        )
