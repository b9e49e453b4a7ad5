"""Every "may see / may do" decision of the portal, in one module, used by every view and endpoint.

Seeing: a user sees the subtrees of their memberships (an administrator everything); a unit outside them answers
404, like a missing one (`unit_or_404`, and the `visible_to(user)` querysets of each listed model, which all go
through `AdministrativeUnitQuerySet.in_scope_of`). Doing: an action the user's role may not take on a unit they
can see answers 403 (`require`). Roles are per unit: the coordination office reviews and keeps records, district
officials enter and submit figures, departments comment on the criteria they answer for, viewers read.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Level, Membership, Role, user_history_paths, user_unit_paths
from communes.months import requested_day

REPORTING_LEVELS = [Level.COMMUNE, Level.VILLAGE, Level.DISTRICT]


# ---------------------------------------------------------------- seeing


def unit_or_404(request, code: str, levels: list[str] | None = None, on: dt.date | None = None) -> AdministrativeUnit:
    """A unit in the user's scope (the subtrees of their memberships), else 404 — never trust a code from the URL.

    Codes were reused in 2025, so the code is resolved on a day: `on` (a page's month: only a unit that existed
    then), else the request's ?on= or ?month=, else today (communes.months.requested_day; see pick_at). The unit
    carries the name in force that day (AdministrativeUnit.named_on), and so do its ancestors()."""
    units = AdministrativeUnit.objects.in_scope_of(request.user).filter(code=code)
    if levels:
        units = units.filter(level__in=levels)
    units = list(units.order_by("level"))
    day = on or requested_day(request)
    unit = pick_at(units, day, strict=bool(on))
    if unit is None:
        raise Http404(_("Không có đơn vị này trong phạm vi của bạn."))
    return unit.named_on(day)


def pick_at(units: list[AdministrativeUnit], day: dt.date, strict: bool = False) -> AdministrativeUnit | None:
    """Of units sharing a code, the one in force on the day; when none was (and not `strict`), the last that ended
    before it (an old link to a unit merged away still opens its history), else the first that began after it."""
    in_force = [u for u in units if u.in_force_on(day)]
    if in_force or strict:
        return in_force[0] if in_force else None
    ended = sorted((u for u in units if u.valid_to and u.valid_to <= day), key=lambda u: u.valid_to)
    if ended:
        return ended[-1]
    return min(units, key=lambda u: u.valid_from or dt.date.min, default=None)


def in_scope(user, unit: AdministrativeUnit) -> bool:
    """Whether a unit lies in the user's subtrees (not merely above them, as the ancestors shown for navigation),
    or in the history of their units (what they were formed from in 2025), which is theirs to read."""
    return _under(user, unit, None) or any(unit.path.startswith(path) for path in user_history_paths(user))


def has_scope(user) -> bool:
    """Whether the user works for any unit at all (an administrator always does)."""
    return user.is_superuser or bool(user_unit_paths(user))


# ---------------------------------------------------------------- doing


REPORTER_ROLES = {Role.DISTRICT, Role.COMMUNE}


def can_edit(user, unit: AdministrativeUnit) -> bool:
    """Enter and submit a unit's monthly figures: a district official of the unit's district (until June 2025), or
    an official of the commune itself (since)."""
    return _under(user, unit, REPORTER_ROLES)


def can_review(user, unit: AdministrativeUnit) -> bool:
    """Approve, return and un-approve a unit's reports: the coordination office of its province."""
    return _under(user, unit, {Role.OFFICE})


def can_comment(user, unit: AdministrativeUnit) -> bool:
    """Comment on a unit's report, on the criteria their department answers for: a department of the province."""
    return _under(user, unit, {Role.DEPARTMENT})


def is_office(user) -> bool:
    """Works for some coordination office (or is an administrator): may open the review desk and keep records."""
    return user.is_superuser or bool(user_unit_paths(user, {Role.OFFICE}))


def is_national(user) -> bool:
    """Works for the national coordination office (or is an administrator): may open the country's dashboard."""
    return user.is_superuser or bool(user_unit_paths(user, {Role.NATIONAL}))


def is_district_official(user) -> bool:
    return bool(user_unit_paths(user, {Role.DISTRICT}))


def can_manage_records(user) -> bool:
    """Record recognitions, targets and commune plans: the coordination office (for its own units, which the
    records' forms offer through `AdministrativeUnitQuerySet.reviewable_by`)."""
    return is_office(user)


def can_set_document(user, unit: AdministrativeUnit, *, unit_document: bool) -> bool:
    """Set a printed document's number, signer and recipients: the office for every document of its province; a
    district's officials also for a district's or a commune's own document (`unit_document`)."""
    return can_review(user, unit) or (unit_document and can_edit(user, unit))


def departments_of(user) -> set[str]:
    """The department names a user answers for, as written on criteria (one query)."""
    return set(
        Membership.objects.filter(user=user, role=Role.DEPARTMENT)
        .exclude(department="")
        .values_list("department", flat=True)
    )


def require(allowed: bool, message: str) -> None:
    """403 with the message when the user may see the unit but not do this."""
    if not allowed:
        raise PermissionDenied(message)


def _under(user, unit: AdministrativeUnit, roles: set[str] | None) -> bool:
    if user.is_superuser:
        return True
    return any(unit.path.startswith(path) for path in user_unit_paths(user, roles))
