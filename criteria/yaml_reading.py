"""YAML read with the line of every mapping, key and list, and a checker that reports each problem by line.

The plumbing under criteria.yaml_io: it knows YAML and value types (text, numbers, choices, booleans), not the
criteria file's format.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CriteriaFileError(Exception):
    """A criteria file that cannot be loaded; `errors` says which line and why."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class LineMap(dict):
    """A YAML mapping that remembers its line, and each key's line in `key_lines`."""

    line: int = 0
    key_lines: dict


class _List(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        # A criteria file never needs anchors and aliases (&a / *a); refused, they cannot multiply a few lines into
        # gigabytes (the "billion laughs").
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            message = _("Dòng %(line)s: tệp tiêu chí không dùng tham chiếu YAML (*%(alias)s); hãy viết đầy đủ giá trị.")
            raise CriteriaFileError([message % {"line": event.start_mark.line + 1, "alias": event.anchor}])
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMap:
    mapping = LineMap()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            message = _("Dòng %(line)s: khóa phải là chữ, không phải danh sách hay bảng.")
            raise CriteriaFileError([message % {"line": key_node.start_mark.line + 1}])
        if key in mapping:
            message = _("Dòng %(line)s: khóa '%(key)s' bị lặp lại.")
            raise CriteriaFileError([message % {"line": key_node.start_mark.line + 1, "key": key}])
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _List:
    items = _List(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _("Dòng %(line)s") % {"line": mark.line + 1} if mark else _("Tệp")
        message = _("%(where)s: không đọc được YAML (%(problem)s).")
        raise CriteriaFileError([message % {"where": where, "problem": exc.problem or exc.context}]) from None
    except yaml.YAMLError as exc:
        raise CriteriaFileError([_("Tệp: không đọc được YAML (%(problem)s).") % {"problem": exc}]) from None
    except RecursionError:
        raise CriteriaFileError([_("Tệp: lồng nhau quá sâu, không phải tệp tiêu chí.")]) from None


class Checker:
    """Reads typed values out of mappings, collecting every problem with its line instead of stopping at one."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(_("Dòng %(line)s: %(message)s") % {"line": line, "message": message})

    def mapping(self, value: Any, where: str, line: int, keys: list[str], required: list[str]) -> LineMap | None:
        if not isinstance(value, dict):
            self.error(line, _("%(where)s phải là một bảng khóa: giá trị.") % {"where": where})
            return None
        for key in value:
            if key not in keys:
                unknown = _("khóa '%(key)s' không có trong định dạng (%(where)s).") % {"key": key, "where": where}
                self.error(value.key_lines.get(key, value.line), unknown)
        for key in required:
            if value.get(key) in (None, ""):
                missing = _("%(where)s thiếu '%(key)s'.") % {"where": where, "key": key}
                self.error(value.key_lines.get(key, value.line), missing)
        return value

    def text(self, m: LineMap, key: str, where: str, max_length: int, default: str = "") -> str:
        value = m.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.field_error(m, key, where, _("'%(key)s' của %(where)s phải là chữ."))
            return default
        value = str(value)
        if len(value) > max_length:
            too_long = ngettext(
                "'%(key)s' của %(where)s dài quá %(count)s ký tự.",
                "'%(key)s' của %(where)s dài quá %(count)s ký tự.",
                max_length,
            )
            self.field_error(m, key, where, too_long, count=max_length)
        return value

    def choice(self, m: LineMap, key: str, where: str, choices: list, default=None):
        value = m.get(key, default)
        if value not in choices:
            shown = ", ".join(str(c) for c in choices)
            message = _("'%(key)s' của %(where)s là '%(value)s', phải là một trong: %(choices)s.")
            self.field_error(m, key, where, message, value=value, choices=shown)
            return default
        return value

    def integer(self, m: LineMap, key: str, where: str, *, required: bool = True, minimum: int = 0) -> int | None:
        value = m.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            message = _("'%(key)s' của %(where)s phải là số nguyên từ %(minimum)s trở lên.")
            self.field_error(m, key, where, message, minimum=minimum)
            return None
        return value

    def number(self, m: LineMap, key: str, where: str) -> Decimal | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.field_error(m, key, where, _("'%(key)s' của %(where)s phải là số."))
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            message = _("'%(key)s' của %(where)s phải là số, không phải '%(value)s'.")
            self.field_error(m, key, where, message, value=value)
            return None
        if not number.is_finite():
            self.field_error(m, key, where, _("'%(key)s' của %(where)s phải là số hữu hạn."))
            return None
        # The columns hold 4 decimals and 10 digits before the point (multipliers 4); rounding on save would
        # change the law's number silently, so refuse instead.
        _sign, digits, exponent = number.normalize().as_tuple()
        decimals = max(0, -exponent)
        integer_digits = max(0, len(digits) + exponent)
        limit = 4 if key == "multiplier" else 10
        if decimals > 4 or integer_digits > limit:
            message = ngettext(
                "'%(key)s' của %(where)s (%(value)s) vượt quá độ chính xác lưu được: tối đa %(count)s chữ số phần "
                "nguyên và 4 chữ số thập phân.",
                "'%(key)s' của %(where)s (%(value)s) vượt quá độ chính xác lưu được: tối đa %(count)s chữ số phần "
                "nguyên và 4 chữ số thập phân.",
                limit,
            )
            self.field_error(m, key, where, message, value=value, count=limit)
            return None
        return number

    def boolean(
        self, m: LineMap, key: str, where: str, *, nullable: bool = False, default: bool = False
    ) -> bool | None:
        value = m.get(key)
        if value is None:
            return None if nullable else default
        if not isinstance(value, bool):
            self.field_error(m, key, where, _("'%(key)s' của %(where)s phải là true hoặc false."))
            return default
        return value

    def bands(self, m: LineMap, key: str, where: str) -> list[list[int]]:
        """Bands of criteria met, highest first: [[10, 10], [5, 9], [0, 4]]."""
        pairs = self.sequence(m, key, where)
        if all(
            isinstance(p, list) and len(p) == 2 and all(type(n) is int and 0 <= n <= p[1] for n in p) for p in pairs
        ):
            return [[low, high] for low, high in pairs]  # plain lists: the parser's carry line numbers
        self.field_error(
            m, key, where, _("'%(key)s' của %(where)s phải là danh sách các cặp [từ, đến] số nguyên, từ ≤ đến.")
        )
        return []

    def sequence(self, m: LineMap, key: str, where: str) -> list:
        value = m.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.field_error(m, key, where, _("'%(key)s' của %(where)s phải là một danh sách."))
            return []
        return value

    def kinds(self, m: LineMap, key: str, where: str) -> list[str]:
        """A list of unit kind codes (lower-case letters and '_', e.g. xa, thi_tran), in order, without repeats."""
        kinds: list[str] = []
        for item in self.sequence(m, key, where):
            if not (isinstance(item, str) and item.isascii() and item.replace("_", "").isalpha() and item.islower()):
                message = _(
                    "'%(key)s' của %(where)s chỉ gồm mã loại đơn vị (xa, phuong, thi_tran…), không phải '%(item)s'."
                )
                self.field_error(m, key, where, message, item=item)
            elif item not in kinds:
                kinds.append(item)
        return kinds

    def date(self, m: LineMap, key: str, where: str) -> dt.date | None:
        """A day written YYYY-MM-DD (YAML may already have read it as a date); None when absent."""
        value = m.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        text = str(value)
        try:
            if len(text) == 10 and text[4] == "-" and text[7] == "-":
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
        self.field_error(
            m, key, where, _("'%(key)s' của %(where)s phải là một ngày có thật dạng YYYY-MM-DD, ví dụ 2024-03-01.")
        )
        return None

    def field_error(self, m: LineMap, key: str, where: str, message: str, **params) -> None:
        """A message about one key of a mapping, on that key's line; it names the key and where it is."""
        self.error(m.key_lines.get(key, m.line), message % {"key": key, "where": where, **params})
