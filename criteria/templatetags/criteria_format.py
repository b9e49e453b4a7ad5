"""Show criteria values as people write them: 50 not 50.0000, ≥ not >=, Có not True."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from criteria.models import Comparison

register = template.Library()


@register.filter
def plain(value):
    """A Decimal without its stored trailing zeros (still localised by the template: 6,5 in Vietnamese)."""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, Decimal) and value.is_finite():
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return value


@register.filter
def comparison_symbol(code: str) -> str:
    """≥, ≤, …, or 'Đạt' for the comparisons whose threshold is no number."""
    try:
        return Comparison(code).label
    except ValueError:
        return code
