"""The one error shape of /api/v1/, for the schema."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error (api.exceptions), for the schema."""

    status = serializers.IntegerField(help_text=_("Mã trạng thái HTTP, như ở dòng trạng thái"))
    code = serializers.CharField(help_text=_("Loại lỗi: invalid, not_found, permission_denied, error…"))
    detail = serializers.CharField(help_text=_("Câu giải thích bằng tiếng Việt"))
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=_("Chỉ khi lỗi nằm ở trường cụ thể: tên trường (hoặc mã số liệu) → các thông báo"),
    )
