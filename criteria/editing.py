"""Entering the law without YAML (issue 15, item 4): a draft version of a set is copied from the version in force,
edited in the browser, checked by the same rules as a YAML import, and published.

A draft is never in force (CriteriaSetQuerySet.in_force_on: an amendment judges only once published). Publishing
records who and when and announces `set_published`, on which the statuses of the months the version covers are
recomputed (reports.receivers: criteria imports nothing of the portal).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from criteria.models import CriteriaSet, SetStatus
from criteria.services import copy_contents
from criteria.yaml_dump import dump_criteria_set
from criteria.yaml_io import parse_criteria_yaml
from criteria.yaml_reading import CriteriaFileError

# Sent after a set's version is published and committed: criteria_set, the version now in force from its day.
set_published = Signal()


class EditError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@transaction.atomic
def create_draft(source: CriteriaSet, *, effective_from: dt.date) -> CriteriaSet:
    """A draft amendment of `source`, with all its criteria, indicators and thresholds, applying from the day once
    published. Refused for a day not after the source's, outside the programme, or taken by another version."""
    programme = source.programme
    errors = []
    if source.effective_from and effective_from <= source.effective_from:
        errors.append(
            _("Ngày áp dụng: phải sau ngày áp dụng của phiên bản đang có (%(day)s).")
            % {"day": f"{source.effective_from:%d/%m/%Y}"}
        )
    if not programme.first_day <= effective_from <= programme.last_day:
        errors.append(
            _("Ngày áp dụng: phải trong giai đoạn %(code)s (%(first)s - %(last)s).")
            % {
                "code": programme.code,
                "first": f"{programme.first_day:%d/%m/%Y}",
                "last": f"{programme.last_day:%d/%m/%Y}",
            }
        )
    versions = CriteriaSet.objects.filter(programme=programme, code=source.code, province_code=source.province_code)
    if versions.filter(effective_from=effective_from).exists():
        errors.append(_("Ngày áp dụng: bộ này đã có phiên bản áp dụng từ ngày đó."))
    if errors:
        raise EditError(errors)
    draft = CriteriaSet.objects.get(pk=source.pk)
    draft.pk, draft.status, draft.effective_from = None, SetStatus.DRAFT, effective_from
    draft.published_by, draft.published_at = None, None
    draft.save()
    copy_contents(source, draft)
    return draft


def check_set(criteria_set: CriteriaSet) -> None:
    """EditError with every problem the YAML import would find in the set as it now stands (the same rules)."""
    try:
        parse_criteria_yaml(dump_criteria_set(criteria_set))
    except CriteriaFileError as exc:
        raise EditError(exc.errors) from None


def publish(criteria_set: CriteriaSet, *, by) -> CriteriaSet:
    """Publish a draft once it passes the import's rules: who and when are recorded; `set_published` follows."""
    if criteria_set.status != SetStatus.DRAFT:
        raise EditError([_("Bộ tiêu chí này đã ban hành.")])
    check_set(criteria_set)
    with transaction.atomic():
        criteria_set.status = SetStatus.PUBLISHED
        criteria_set.published_by, criteria_set.published_at = by, timezone.now()
        criteria_set.save(update_fields=["status", "published_by", "published_at"])
        transaction.on_commit(lambda: set_published.send(sender=CriteriaSet, criteria_set=criteria_set))
    return criteria_set
