"""Telling the district what the coordination office decided: a returned (or un-approved) report and an approval
are announced on the district official's home page and sent to them by email.

Both read ReportEvent rows, the workflow's own record, so monthly.services stays free of side effects: the email
goes from a `post_save` receiver once the transaction commits (an approval rolled back sends nothing).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, Role, user_unit_paths
from communes.months import month_code
from monthly.models import ReportAction, ReportEvent

# What the district hears about: the office's decisions, not its own steps nor the departments' comments.
ANNOUNCED = [ReportAction.RETURNED, ReportAction.UNAPPROVED, ReportAction.APPROVED]
ANNOUNCEMENT_DAYS = 30
ANNOUNCEMENT_LIMIT = 10


def announcements_for(user, unit: AdministrativeUnit, *, days: int = ANNOUNCEMENT_DAYS) -> QuerySet[ReportEvent]:
    """The office's recent decisions on the reports of a unit's subtree that the user enters as a district
    official, newest first (none for anyone else)."""
    # The memberships the page's scope check already read: no query for anyone who is not a district official.
    paths = [
        path
        for path in user_unit_paths(user, {Role.DISTRICT, Role.COMMUNE})
        if unit.path.startswith(path) or path.startswith(unit.path)
    ]
    if not paths:
        return ReportEvent.objects.none()
    # Within the unit, and within the user's district scope (the unit may be an ancestor of it).
    within = Q()
    for path in paths:
        within |= Q(report__unit__path__startswith=max(path, unit.path, key=len))
    since = timezone.now() - dt.timedelta(days=days)
    return (
        ReportEvent.objects.filter(within, action__in=ANNOUNCED, at__gte=since)
        .select_related("report__unit", "by")
        .order_by("-at", "-pk")
    )


def district_officials(unit: AdministrativeUnit) -> QuerySet:
    """Active users with an email address who enter this unit's figures: district officials of a unit above it, or
    the commune's own officials."""
    paths = [unit.path[: i + 1] for i, ch in enumerate(unit.path) if ch == "/"]
    return (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__role__in=[Role.DISTRICT, Role.COMMUNE], memberships__unit__path__in=paths
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _message(event: ReportEvent) -> tuple[str, str]:
    report = event.report
    facts = {"unit": report.unit.name, "month": f"{report.period:%m/%Y}"}
    link = settings.SITE_URL.rstrip("/") + reverse("monthly:report", args=[report.unit.code, month_code(report.period)])
    if event.action == ReportAction.APPROVED:
        subject = _("Báo cáo %(unit)s tháng %(month)s đã được duyệt") % facts
        lines = [_("Văn phòng điều phối đã duyệt báo cáo tháng %(month)s của %(unit)s.") % facts]
    else:
        subject = _("Báo cáo %(unit)s tháng %(month)s bị trả lại") % facts
        lines = [
            _("Văn phòng điều phối đã trả lại báo cáo tháng %(month)s của %(unit)s để sửa.") % facts,
            _("Lý do: %(reason)s") % {"reason": event.reason},
        ]
    lines += ["", _("Mở báo cáo: %(link)s") % {"link": link}, "", _("Cổng điều hành Nông thôn mới")]
    return subject, "\n".join(lines)


def send_decision_email(event: ReportEvent) -> int:
    """One email about the office's decision on a report to each district official of its unit; how many went."""
    recipients = list(district_officials(event.report.unit))
    if not recipients:
        return 0
    # Written in the portal's language, whatever the language of the office member who decided.
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _message(event)
    messages = [EmailMessage(subject, body, to=[user.email]) for user in recipients]
    return mailers.default.send_messages(messages) or 0


@receiver(post_save, sender=ReportEvent, dispatch_uid="monthly.notifications.email_on_decision")
def email_on_decision(sender, instance: ReportEvent, created: bool, **kwargs) -> None:
    if created and instance.action in ANNOUNCED:
        # robust: a mail server that is down is logged, and never turns a committed approval into an error page.
        transaction.on_commit(lambda: send_decision_email(instance), robust=True)
