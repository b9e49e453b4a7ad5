"""Keeps statuses in step with approvals. monthly announces approval changes; it must not import reports."""

from django.dispatch import receiver

from criteria.editing import set_published
from monthly.services import approval_changed
from reports.tasks import queue_after_approval, queue_after_publication


@receiver(approval_changed)
def recompute_on_approval_change(sender, *, units, period, **kwargs):
    queue_after_approval(units=units, period=period)


@receiver(set_published)
def recompute_on_publication(sender, *, criteria_set, **kwargs):
    queue_after_publication(criteria_set)
