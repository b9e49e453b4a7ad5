"""Links to units that stay right across the 2025 reform: a unit no longer (or not yet) in force is linked with the
day it was, so a reused code opens the unit meant (?on=, read by communes.months.requested_day)."""

from django import template
from django.urls import reverse
from django.utils import timezone

register = template.Library()

DETAIL_PAGES = {
    "province": "communes:province-detail",
    "district": "communes:district-detail",
    "commune": "communes:commune-detail",
}


@register.filter
def on_query(unit, separator: str = "?") -> str:
    """'?on=2025-06-30' for a unit not in force today (its last day, or its first), '' otherwise."""
    day = unit.day_in_force
    if day is None or unit.in_force_on(timezone.localdate()):
        return ""
    return f"{separator}on={day:%Y-%m-%d}"


@register.filter
def unit_url(unit) -> str:
    """The unit's page, resolving its code on a day it existed."""
    name = DETAIL_PAGES.get(unit.level)
    if name is None:
        return ""
    return reverse(name, args=[unit.code]) + on_query(unit)
