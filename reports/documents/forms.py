"""The form that sets what goes on a printed document: number, date, signer, title, recipients, wording."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from reports.documents.builders import NUMBER_RE as NUMBER_PATTERN
from reports.documents.builders import template_errors
from reports.forms import MAX_YEAR, MIN_YEAR
from reports.models import DocumentSettings

# What a document page can hold: the Nơi nhận block of an official document lists a few bodies, not thousands,
# and every later PDF of the unit renders what is saved here.
MAX_RECIPIENT_LINES, MAX_RECIPIENTS_LENGTH = 40, 3000
MAX_BODY_LENGTH = 20000


class DocumentSettingsForm(forms.ModelForm):
    """Number, date, signer, title, recipients (and a directive's wording) before a document is printed."""

    class Meta:
        model = DocumentSettings
        fields = [
            "parent_body",
            "issuing_body",
            "number",
            "symbol",
            "place",
            "issued_on",
            "title",
            "sign_for",
            "signer_title",
            "signer_name",
            "recipients",
            "body",
        ]
        widgets = {
            "issuing_body": forms.Textarea(attrs={"rows": 2}),
            "sign_for": forms.Textarea(attrs={"rows": 2}),
            "title": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 7}),
            "body": forms.Textarea(attrs={"rows": 24}),
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "parent_body": _("Dòng trên tên cơ quan ban hành, in hoa, không đậm; để trống nếu không có."),
            "issuing_body": _("Mỗi dòng một dòng in, ví dụ ỦY BAN NHÂN DÂN / TỈNH KON TUM."),
            "number": _("Chỉ gồm chữ số Ả Rập; để trống khi chưa lấy số (văn bản in chừa chỗ ghi số)."),
            "symbol": _("Ví dụ BC-VPĐP, CT-UBND."),
            "place": _("Địa danh ghi trước ngày tháng, ví dụ Kon Tum."),
            "issued_on": _("Để trống: ngày in."),
            "sign_for": _("Mỗi dòng một dòng, ví dụ TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH."),
            "recipients": _("Mỗi dòng một nơi nhận; dòng cuối thường là Lưu: VT, …"),
        }
        error_messages = {
            "issued_on": {"invalid": _("Ngày ban hành: nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/01/2025.")},
        }

    def __init__(self, *args, directive: bool = False, editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # The date picker sends ISO; typed by hand, Vietnamese dates are day first.
        self.fields["issued_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.directive = directive
        if not directive:
            del self.fields["body"]
        else:
            self.fields["body"].help_text = _("Mỗi đoạn cách nhau một dòng trống; các biến $… được thay bằng số liệu.")
        for name in ("issuing_body", "symbol", "place", "title", "signer_title"):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = format_lazy(
                _("{field}: không được để trống."), field=self.fields[name].label.capitalize()
            )
        if not editable:
            for field in self.fields.values():
                field.disabled = True

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if number and not NUMBER_PATTERN.match(number):
            raise forms.ValidationError(_("Số văn bản: chỉ gồm chữ số Ả Rập (Nghị định 30/2020), ví dụ 15."))
        return number

    def clean_symbol(self) -> str:
        symbol = self.cleaned_data["symbol"].strip()
        if "/" in symbol or " " in symbol:
            raise forms.ValidationError(
                _("Ký hiệu: tên loại văn bản và cơ quan nối bằng gạch nối, không dấu cách hay “/”, ví dụ BC-UBND.")
            )
        return symbol

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR + 1:
            raise forms.ValidationError(
                format_lazy(_("Ngày ban hành: năm phải từ {low} đến {high}."), low=MIN_YEAR, high=MAX_YEAR + 1)
            )
        return day

    def clean_recipients(self) -> str:
        recipients = self.cleaned_data["recipients"]
        lines = [line for line in recipients.splitlines() if line.strip()]
        if len(recipients) > MAX_RECIPIENTS_LENGTH or len(lines) > MAX_RECIPIENT_LINES:
            raise forms.ValidationError(
                _("Nơi nhận: tối đa %(lines)d dòng và %(chars)d ký tự (hiện có %(count)d dòng, %(length)d ký tự).")
                % {
                    "lines": MAX_RECIPIENT_LINES,
                    "chars": MAX_RECIPIENTS_LENGTH,
                    "count": len(lines),
                    "length": len(recipients),
                }
            )
        return recipients

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body", "")
        if len(body) > MAX_BODY_LENGTH:
            raise forms.ValidationError(
                _("Nội dung: tối đa %(chars)d ký tự (hiện có %(length)d).")
                % {"chars": MAX_BODY_LENGTH, "length": len(body)}
            )
        errors = template_errors(body)
        if errors:
            raise forms.ValidationError([_("Nội dung: %(error)s") % {"error": error} for error in errors])
        return body
