"""The what-if page's two forms: who and when (programme, set, year, commune or region), then the values to try."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, Level
from criteria.choices import CommuneGroup, Region
from criteria.evaluation import UnitProfile
from criteria.measures import InvalidValue, coerce_typed, range_text, typed_input
from criteria.models import MeasureKind

MIN_YEAR, MAX_YEAR = 2021, 2030
MEASURE_PREFIX = "m_"


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
    """One field per measure, named m_<code>. Values are read as typed text is everywhere (criteria.measures); a
    number the engine cannot use is not a form error: the engine explains it in the result."""

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        for measure in measures:
            self.fields[MEASURE_PREFIX + measure.code] = _measure_field(measure)

    def values(self) -> dict[str, Any]:
        """Measure code -> value for the engine: True/False for yes/no, text for numbers and levels."""
        values = {}
        for measure in self.measures:
            raw = self.cleaned_data.get(MEASURE_PREFIX + measure.code, "")
            if raw == "":
                continue
            values[measure.code] = typed_input(measure, raw)
        return values


class MeasureChoiceField(forms.ChoiceField):
    """The select of a yes/no or level measure. A link may carry any word the measure accepts when typed ("có",
    "0"…): it is read like typed text, and refused with the same reason as on the entry form."""

    def __init__(self, *, measure, **kwargs):
        super().__init__(**kwargs)
        self.measure = measure

    def validate(self, value):
        if value in self.empty_values:
            super().validate(value)
            return
        try:
            coerce_typed(self.measure, value)
        except InvalidValue as exc:
            raise forms.ValidationError(str(exc), code="invalid_choice") from None


def _measure_field(measure) -> forms.Field:
    help_text = " · ".join(part for part in (measure.unit, range_text(measure)) if part)
    if measure.kind == MeasureKind.BOOLEAN:
        choices = [("", _("(trống)")), ("true", _("Có")), ("false", _("Không"))]
        return MeasureChoiceField(
            measure=measure, label=measure.name, required=False, choices=choices, help_text=help_text
        )
    if measure.kind == MeasureKind.LEVEL:
        choices = [("", _("(trống)")), *((level, level) for level in measure.levels)]
        return MeasureChoiceField(
            measure=measure, label=measure.name, required=False, choices=choices, help_text=help_text
        )
    return forms.CharField(
        label=measure.name,
        required=False,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
    )
