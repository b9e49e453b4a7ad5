"""Keeps statuses in step with approvals. monthly announces approval changes; it must not import reports."""

from django.dispatch import receiver

from monthly.services import approval_changed
from reports.tasks import queue_after_approval


@receiver(approval_changed)
def recompute_on_approval_change(sender, *, units, period, **kwargs):
    queue_after_approval(units=units, period=period)
