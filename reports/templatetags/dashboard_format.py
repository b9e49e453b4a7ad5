"""Words for tiers as the dashboards write them: "Đạt chuẩn NTM", "NTM nâng cao", "Chưa đạt chuẩn"."""

from django import template
from django.utils.translation import gettext as _

from criteria.models import Tier
from monthly.models import ReportStatus
from records.models import RecognisedTier
from reports.documents import builders

register = template.Library()


@register.filter
def tier_label(tier: str | None) -> str:
    """A computed or recognised tier in words; '' is a commune reaching none, None a month without figures."""
    if tier is None:
        return "—"
    if tier == "":
        return _("Chưa đạt chuẩn")
    if tier in RecognisedTier.values:
        return RecognisedTier(tier).label
    if tier in Tier.values:
        return Tier(tier).label
    return tier


@register.filter
def report_status_label(status: str | None) -> str:
    return ReportStatus(status).label if status in ReportStatus.values else "—"


register.filter("in_sentence", builders.in_sentence)
