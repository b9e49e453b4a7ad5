"""Changes to people's accounts that an administrator or the person makes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from communes.models import AccountSecurity


@transaction.atomic
def require_password_change(*, users: Iterable) -> int:
    """Make each of these users set a new password before opening any other page; returns how many."""
    count = 0
    for user in users:
        AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})
        count += 1
    return count


@transaction.atomic
def record_password_change(*, user) -> None:
    """The user has set a new password themselves: whatever an administrator required of them is done."""
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"must_change_password": False, "password_changed_at": timezone.now()}
    )
