"""`{% report_announcements unit %}`: the office's recent decisions on the reports a district official enters,
for the pages of other apps (communes' district page) without those apps importing monthly."""

from django import template

from communes.months import month_code
from monthly.notifications import ANNOUNCEMENT_DAYS, ANNOUNCEMENT_LIMIT, announcements_for

register = template.Library()


@register.inclusion_tag("monthly/includes/announcements.html", takes_context=True)
def report_announcements(context, unit):
    user = context["request"].user
    events = list(announcements_for(user, unit)[:ANNOUNCEMENT_LIMIT])
    return {
        "announcements": [(event, month_code(event.report.period)) for event in events],
        "days": ANNOUNCEMENT_DAYS,
    }
