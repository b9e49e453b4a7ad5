"""What a measure accepts, written once: the default range of each kind, the words that mean yes and no, the
text of the allowed range, the coercion of a value to the measure's type, the comparison of a value with a
threshold, and a condition on a unit's own figure that picks a threshold row (`when:` in the YAML).

The engine, the entry form's service, the Excel upload and the what-if page all read values through here, so
the same typed text gives the same value, or the same refusal, wherever it is typed. Works on a
criteria.models.Measure and on the engine's MeasureDef alike: only kind, min_value, max_value and levels are
read. Kinds are compared as the plain strings stored (the MeasureKind values) so the engine needs no ORM.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import localize
from django.utils.translation import gettext as _

# The range a numeric kind allows when the measure sets no min_value or max_value; None is unbounded.
# A share is a percentage: 140% of households cannot have clean water.
DEFAULT_RANGES: dict[str, tuple[Decimal | None, Decimal | None]] = {
    "number": (None, None),
    "percent": (Decimal(0), Decimal(100)),
    "count": (None, None),
}

# What a person may type for a yes/no measure, in any case, with its diacritics or without any (see parse_boolean).
BOOLEAN_WORDS: dict[str, bool] = {
    "có": True,
    "true": True,
    "1": True,
    "không": False,
    "false": False,
    "0": False,
}


class InvalidValue(Exception):
    """A value the measure cannot hold: an error to show, never a failed criterion."""


def allowed_range(measure) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest values the measure accepts (None: no bound); its own min/max win over the kind's."""
    default_low, default_high = DEFAULT_RANGES.get(measure.kind, (None, None))
    low = default_low if measure.min_value is None else measure.min_value
    high = default_high if measure.max_value is None else measure.max_value
    return low, high


def _without_diacritics(word: str) -> str:
    # Đ is a letter of its own, not D with a combining mark, so NFD leaves it alone.
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# "khong" is what a keyboard without Vietnamese input gives; a word with other diacritics ("cố") is another word.
_WORD_FORMS = {form: meaning for word, meaning in BOOLEAN_WORDS.items() for form in (word, _without_diacritics(word))}


def parse_boolean(text: str) -> bool | None:
    """True or False for a yes/no word ("Có", "khong", "TRUE", "0"…), None for anything else."""
    # NFC: "có" typed with a combining accent is the same word as the precomposed one.
    return _WORD_FORMS.get(unicodedata.normalize("NFC", text.strip().lower()))


def range_text(measure) -> str:
    """The allowed range as the entry page shows it ("0 – 100", "từ 0", "đến 5"); empty for yes/no and levels."""
    if measure.kind not in DEFAULT_RANGES:
        return ""
    low, high = allowed_range(measure)
    if low is None and high is None:
        return ""
    if high is None:
        return _("từ %(low)s") % {"low": _localized(low)}
    if low is None:
        return _("đến %(high)s") % {"high": _localized(high)}
    return f"{_localized(low)} – {_localized(high)}"


def _localized(number: Decimal) -> str:
    number = Decimal(str(number))
    return localize(number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize())


def _plain(number: Decimal) -> int | float:
    # As the engine's JSON shows a number: 100, not 100.0000.
    if not isinstance(number, Decimal):
        return number
    return int(number) if number == number.to_integral_value() else float(number)


# A number as people type it: ASCII digits, an optional minus, the Vietnamese decimal comma or a point. No exponent,
# no other script's digits ("４５", "٤٥"), no underscores ("4_5"), which Decimal() would all accept.
NUMBER_TEXT = re.compile(r"-?[0-9]{1,15}(?:[.,][0-9]{1,10})?")


def parse_number(raw: Any) -> Decimal:
    """The one reading of a number from a form, a spreadsheet cell, a file or JSON: a finite Decimal, or
    InvalidValue. Text must match NUMBER_TEXT; numbers (not booleans) are taken as they are."""
    if isinstance(raw, bool):
        raise InvalidValue(_("giá trị có/không không dùng được cho số liệu dạng số"))
    if isinstance(raw, str):
        text = raw.strip()
        if not NUMBER_TEXT.fullmatch(text):
            raise InvalidValue(_("'%(value)s' không phải là số") % {"value": raw[:40]})
        return Decimal(text.replace(",", "."))
    try:
        number = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise InvalidValue(_("'%(value)s' không phải là số") % {"value": str(raw)[:40]}) from None
    if not number.is_finite():
        raise InvalidValue(_("'%(value)s' không phải là số") % {"value": raw})
    return number


def coerce_value(measure, raw: Any) -> Any:
    """A typed value for the measure, or InvalidValue with a Vietnamese reason. Booleans are never numbers.

    Strict: a yes/no measure takes only True or False. Text a person typed goes through coerce_typed first.
    """
    if measure.kind == "boolean":
        if isinstance(raw, bool):
            return raw
        raise InvalidValue(_("'%(value)s' không phải giá trị có/không") % {"value": raw})
    if measure.kind == "level":
        levels = measure.levels or ()
        if isinstance(raw, str) and raw in levels:
            return raw
        raise InvalidValue(
            _("'%(value)s' không phải một mức hợp lệ (%(levels)s)") % {"value": raw, "levels": ", ".join(levels)}
        )
    number = parse_number(raw)
    if measure.kind == "count" and number != number.to_integral_value():
        raise InvalidValue(_("%(value)s không phải số nguyên") % {"value": raw})
    low, high = allowed_range(measure)
    if low is not None and number < low:
        raise InvalidValue(
            _("%(value)s nhỏ hơn giá trị nhỏ nhất cho phép (%(low)s)") % {"value": raw, "low": _plain(low)}
        )
    if high is not None and number > high:
        raise InvalidValue(
            _("%(value)s lớn hơn giá trị lớn nhất cho phép (%(high)s)") % {"value": raw, "high": _plain(high)}
        )
    return number


def typed_input(measure, raw: Any) -> Any:
    """What a person typed (a form field, a spreadsheet cell, a link) as coerce_value takes it: surrounding
    spaces dropped, a yes/no word read as True or False, a trailing % on a percent dropped. Anything else is
    left as it is, for coerce_value to judge; values that are not text are untouched."""
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if measure.kind == "boolean":
        meaning = parse_boolean(text)
        return text if meaning is None else meaning
    if measure.kind == "percent" and text.endswith("%"):
        return text[:-1].strip()
    return text


def coerce_typed(measure, raw: Any) -> Any:
    """The value of what a person typed, None when blank, or InvalidValue with the reason."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return coerce_value(measure, typed_input(measure, raw))


# ---------------------------------------------------------------- comparing a value with a threshold

OPERATORS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}


def compare(comparison: str, value: Any, threshold: Any, measure) -> tuple[bool, Decimal | None]:
    """Met or not, and the gap: how much the value must still move to meet the threshold (None when met)."""
    if comparison == "achieved":
        return value is True, None
    if measure.kind == "level":
        value_rank, threshold_rank = measure.levels.index(value), measure.levels.index(threshold)
        met = OPERATORS[comparison](value_rank, threshold_rank)
        return met, None if met else Decimal(abs(threshold_rank - value_rank))
    met = OPERATORS[comparison](value, threshold)
    return met, None if met else abs(threshold - value)


# ---------------------------------------------------------------- conditions on a unit's own figures

CONDITION_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


@dataclass(frozen=True, slots=True)
class Condition:
    """Another figure of the same unit compared with a number, e.g. schools_count <= 3: a threshold row carrying
    one applies only to the units whose figure meets it (QĐ 1491/QĐ-BGDĐT: the level-1 share a commune needs
    depends on its number of schools)."""

    measure: str
    comparison: str
    value: Decimal
    measure_name: str = ""

    def holds(self, values: Mapping[str, Any] | None) -> bool | None:
        """True or False on the unit's figures; None when the figure is missing or not a number."""
        raw = None if values is None else values.get(self.measure)
        if raw is None or isinstance(raw, bool):
            return None
        try:
            number = parse_number(raw)
        except InvalidValue:
            return None
        return OPERATORS[self.comparison](number, self.value)

    def text(self) -> str:
        """The condition as the office reads it: "Số trường học ≤ 3"."""
        symbol = CONDITION_SYMBOLS.get(self.comparison, self.comparison)
        return f"{self.measure_name or self.measure} {symbol} {_plain(self.value)}"
