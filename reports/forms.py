"""The what-if page's two forms: who and when (programme, set, year, commune or region), then the values to try."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import localize
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, Level
from criteria.choices import CommuneGroup, Region
from criteria.evaluation import UnitProfile
from criteria.models import MeasureKind
from reports.documents import NUMBER_RE as NUMBER_PATTERN
from reports.documents import template_errors
from reports.models import DocumentSettings

MIN_YEAR, MAX_YEAR = 2021, 2030
MEASURE_PREFIX = "m_"
BOOLEAN_VALUES = {"true": True, "false": False}


class WhatIfForm(forms.Form):
    """Which criteria, which year, and whose thresholds: a commune in the user's scope, or a region with its flags."""

    programme = forms.ChoiceField(label=_("Giai đoạn"))
    set = forms.ChoiceField(label=_("Bộ tiêu chí"), required=False)
    year = forms.IntegerField(
        label=_("Năm đánh giá"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "required": _("Nhập năm đánh giá."),
            "invalid": _("Năm phải là một số nguyên, ví dụ 2024."),
            "min_value": format_lazy(_("Năm phải từ {low} đến {high}."), low=MIN_YEAR, high=MAX_YEAR),
            "max_value": format_lazy(_("Năm phải từ {low} đến {high}."), low=MIN_YEAR, high=MAX_YEAR),
        },
    )
    commune = forms.CharField(
        label=_("Mã xã"),
        required=False,
        max_length=12,
        help_text=_("Mã xã của Tổng cục Thống kê, ví dụ 23353. Khi nhập mã xã, vùng và nhóm lấy theo xã."),
    )
    region = forms.ChoiceField(label=_("Vùng"), required=False, choices=[("", _("(chọn vùng)")), *Region.choices])
    tdmnpb = forms.BooleanField(
        label=_("Áp dụng ngưỡng TDMNPB"),
        required=False,
        help_text=_("Xã đặc biệt khó khăn, xã an toàn khu… dùng ngưỡng vùng Trung du và miền núi phía Bắc."),
    )
    group = forms.TypedChoiceField(
        label=_("Nhóm xã"),
        required=False,
        choices=[("", _("(không)")), *CommuneGroup.choices],
        coerce=int,
        empty_value=None,
        help_text=_("Chỉ dùng cho giai đoạn 2026-2030."),
    )

    def __init__(self, *args, user, programmes, set_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.programmes = {p.code: p for p in programmes}
        self.fields["programme"].choices = [(p.code, f"{p.code} · {p.name}") for p in programmes]
        self.fields["set"].choices = [("", _("Mọi bộ tiêu chí cấp xã")), *set_choices]
        self.unit: AdministrativeUnit | None = None

    def clean_commune(self) -> str:
        code = self.cleaned_data["commune"].strip()
        if not code:
            return ""
        self.unit = AdministrativeUnit.objects.visible_to(self.user).filter(level=Level.COMMUNE, code=code).first()
        if self.unit is None:
            raise forms.ValidationError(
                _("Không có xã mã %(code)s trong phạm vi bạn được xem."), params={"code": code}, code="unknown"
            )
        return code

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("commune") and not cleaned.get("region") and "commune" not in self.errors:
            self.add_error("region", _("Chọn một vùng, hoặc nhập mã một xã."))
        programme, year = self.programmes.get(cleaned.get("programme")), cleaned.get("year")
        if programme is not None and year is not None and not programme.start_year <= year <= programme.end_year:
            self.add_error(
                "year",
                _("Năm %(year)s nằm ngoài giai đoạn %(programme)s.") % {"year": year, "programme": programme.code},
            )
        return cleaned

    def profile(self) -> UnitProfile:
        """Whose thresholds: the commune's when one was given, else the region and flags as typed."""
        if self.unit is not None:
            return self.unit.threshold_profile()
        return UnitProfile(
            region=self.cleaned_data["region"],
            applies_tdmnpb=self.cleaned_data["tdmnpb"],
            group=self.cleaned_data["group"],
        )


class MeasureValuesForm(forms.Form):
    """One field per measure, named m_<code>. Numbers stay text: the engine checks them and explains errors."""

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        for measure in measures:
            self.fields[MEASURE_PREFIX + measure.code] = _measure_field(measure)

    def values(self) -> dict[str, Any]:
        """Measure code -> value for the engine: text for numbers and levels, True/False for booleans."""
        values = {}
        for measure in self.measures:
            raw = self.cleaned_data.get(MEASURE_PREFIX + measure.code, "")
            if raw == "":
                continue
            values[measure.code] = BOOLEAN_VALUES[raw] if measure.kind == MeasureKind.BOOLEAN else raw
        return values


def _measure_field(measure) -> forms.Field:
    help_text = " · ".join(part for part in (measure.unit, _range_text(measure)) if part)
    if measure.kind == MeasureKind.BOOLEAN:
        choices = [("", _("(trống)")), ("true", _("Có")), ("false", _("Không"))]
        return forms.ChoiceField(label=measure.name, required=False, choices=choices, help_text=help_text)
    if measure.kind == MeasureKind.LEVEL:
        choices = [("", _("(trống)")), *((level, level) for level in measure.levels)]
        return forms.ChoiceField(label=measure.name, required=False, choices=choices, help_text=help_text)
    return forms.CharField(
        label=measure.name,
        required=False,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
    )


def _range_text(measure) -> str:
    if measure.kind in (MeasureKind.BOOLEAN, MeasureKind.LEVEL):
        return ""
    low, high = _plain(measure.min_value), _plain(measure.max_value)
    if low is None and high is None:
        return ""
    if high is None:
        return _("từ %(low)s") % {"low": low}
    if low is None:
        return _("đến %(high)s") % {"high": high}
    return _("từ %(low)s đến %(high)s") % {"low": low, "high": high}


def _plain(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return localize(value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize())


# ---------------------------------------------------------------- what goes on a printed document


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

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body", "")
        errors = template_errors(body)
        if errors:
            raise forms.ValidationError([_("Nội dung: %(error)s") % {"error": error} for error in errors])
        return body
