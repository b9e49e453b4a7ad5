"""The one place monthly-report pages decide who may see and do what.

A unit outside the user's scope answers 404, like a missing one; an action the user's role may not take
on a unit they can see answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Level, Role, user_unit_paths

REPORTING_LEVELS = [Level.COMMUNE, Level.VILLAGE, Level.DISTRICT]


def unit_or_404(request, code: str, levels: list[str] | None = None) -> AdministrativeUnit:
    """A unit in the user's scope (the subtrees of their memberships), else 404 — never trust a code from the URL."""
    units = AdministrativeUnit.objects.in_scope_of(request.user).filter(code=code)
    if levels:
        units = units.filter(level__in=levels)
    unit = units.order_by("level").first()
    if unit is None:
        raise Http404(_("Không có đơn vị này trong phạm vi của bạn."))
    return unit


def can_edit(user, unit: AdministrativeUnit) -> bool:
    return _under(user, unit, {Role.DISTRICT})


def can_review(user, unit: AdministrativeUnit) -> bool:
    return _under(user, unit, {Role.OFFICE})


def can_comment(user, unit: AdministrativeUnit) -> bool:
    return _under(user, unit, {Role.DEPARTMENT})


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _under(user, unit: AdministrativeUnit, roles: set[str]) -> bool:
    if user.is_superuser:
        return True
    return any(unit.path.startswith(path) for path in user_unit_paths(user, roles))
