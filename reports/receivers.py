"""Keeps statuses in step with approvals. communes announces approval changes; it must not import reports."""

from django.dispatch import receiver

from monthly.services import approval_changed
from reports.services import recompute_after_approval


@receiver(approval_changed)
def recompute_on_approval_change(sender, *, units, period, **kwargs):
    recompute_after_approval(units=units, period=period)
