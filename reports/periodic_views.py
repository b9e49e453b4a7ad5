"""A province's or a commune's six-monthly or annual report (issue 15, item 8): the PDF (?preview=1 for its HTML)
and the Excel export, at /pdf/<kind>/<code>/<period>/ and /excel/<kind>/<code>/<period>/ with a period such as
2026-H1, 2026-H2 or 2026 (reports.periods registers the `<period:period>` converter on import)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from communes.models import AdministrativeUnit, Level
from communes.permissions import unit_or_404
from reports.documents.pdf import render_pdf
from reports.documents.periodic import TEMPLATES, build_context, filename
from reports.models import DocumentKind
from reports.periodic_exports import periodic_workbook
from reports.periods import Period

DOCUMENT_LANGUAGE = "vi"
LEVELS = {DocumentKind.PROVINCE: [Level.PROVINCE], DocumentKind.COMMUNE: [Level.COMMUNE]}


def _unit(request, kind: str, code: str, period: Period) -> AdministrativeUnit:
    """The unit in the user's scope as it stood at the period's end month; a period not begun yet is a 404."""
    if not period.has_begun:
        raise Http404(_("Kỳ báo cáo này chưa bắt đầu."))
    return unit_or_404(request, code, LEVELS[kind], on=period.end_month)


@require_GET
def periodic_document(request, kind: str, code: str, period: Period):
    """The period's document as a PDF (shown in the browser, saved under a telling name), or ?preview=1 for its
    HTML (without the monthly preview's toolbar: a period's document has no settings form of its own)."""
    unit = _unit(request, kind, code, period)
    # An official document is Vietnamese whatever language the portal is read in.
    with translation.override(DOCUMENT_LANGUAGE):
        context = build_context(kind, unit, period, request.user)
        if request.GET.get("preview") == "1":
            return render(request, TEMPLATES[kind], context)
        html = render_to_string(TEMPLATES[kind], context, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename(kind, unit, period)}"'
    return response


@require_GET
def periodic_excel(request, kind: str, code: str, period: Period):
    """The period's communes (or the commune's criteria and figures) at the start and end months, as .xlsx."""
    unit = _unit(request, kind, code, period)
    name, content_type, content = periodic_workbook(kind=kind, unit=unit, period=period, user=request.user)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
