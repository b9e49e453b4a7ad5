"""The monthly entry form: one field per measure the unit reports, named m_<code>, and the report's version."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import localize
from django.utils.translation import gettext_lazy as _

from criteria.models import MeasureKind
from monthly import services

FIELD_PREFIX = "m_"
BOOLEAN_TEXT = {True: "true", False: "false"}
MISSING_VERSION = _("Thiếu phiên bản của báo cáo: hãy tải lại trang.")
NOT_A_CHOICE = _("Chọn một giá trị trong danh sách.")


def input_text(value: Any) -> str:
    """A stored value as the form shows it: 'true'/'false' for the Có/Không select, numbers without zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return BOOLEAN_TEXT[value]
    if isinstance(value, Decimal):
        plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        return localize(plain)
    return str(value)


def measure_field(measure) -> forms.Field:
    """Có/Không for a yes-no measure, its levels for a rating, text for a number (a decimal comma is fine)."""
    if measure.kind == MeasureKind.BOOLEAN:
        choices = [("", _("(trống)")), ("true", _("Có")), ("false", _("Không"))]
    elif measure.kind == MeasureKind.LEVEL:
        choices = [("", _("(trống)")), *((level, level) for level in measure.levels)]
    else:
        widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 10, "autocomplete": "off"})
        return forms.CharField(label=measure.name, required=False, widget=widget)
    return forms.ChoiceField(
        label=measure.name, required=False, choices=choices, error_messages={"invalid_choice": NOT_A_CHOICE}
    )


class ReportValuesForm(forms.Form):
    """The figures of one unit's month. The values are checked by monthly.services.validate_values, the rules the
    save and the Excel upload follow; the form only carries the text as typed and puts each error by its field."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, error_messages={"required": MISSING_VERSION, "invalid": MISSING_VERSION}
    )

    def __init__(self, data=None, *, measures: Iterable, values: Mapping[str, Any] | None = None, version: int = 0):
        initial = {FIELD_PREFIX + code: input_text(value) for code, value in (values or {}).items()}
        super().__init__(data, initial={**initial, "version": version}, label_suffix="")
        self.measures = {measure.code: measure for measure in measures}
        for measure in self.measures.values():
            self.fields[FIELD_PREFIX + measure.code] = measure_field(measure)

    def clean(self):
        cleaned = super().clean()
        raw = {code: text for code, text in self.raw_values().items() if FIELD_PREFIX + code not in self.errors}
        _values, errors = services.validate_values(self.measures, raw)
        self.add_value_errors(errors)
        return cleaned

    def raw_values(self) -> dict[str, str]:
        """Measure code -> the text as typed. A field missing from the POST is left alone; an empty one clears."""
        return {code: self.data[FIELD_PREFIX + code] for code in self.measures if FIELD_PREFIX + code in self.data}

    def add_value_errors(self, errors: Mapping[str, str]) -> None:
        """Put the services' errors (by measure code, 'Name: message.') under their fields, without the name."""
        for code, message in errors.items():
            measure = self.measures.get(code)
            if measure is None:
                self.add_error(None, message)
            else:
                self.add_error(FIELD_PREFIX + code, message.removeprefix(f"{measure.name}: "))

    def field_for(self, code: str) -> forms.BoundField:
        return self[FIELD_PREFIX + code]
