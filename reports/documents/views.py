"""Printed documents: the PDF, its HTML preview (?preview=1), and the form that sets what goes on it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from communes.models import Level
from communes.months import month_code
from communes.permissions import can_set_document, require, unit_or_404
from criteria.models import Threshold
from reports.documents import builders
from reports.documents.directive import directive_document
from reports.documents.forms import DocumentSettingsForm
from reports.documents.pdf import render_pdf
from reports.models import DocumentKind

DOCUMENT_LANGUAGE = "vi"
LEVELS = {
    DocumentKind.PROVINCE: [Level.PROVINCE],
    DocumentKind.DISTRICT: [Level.DISTRICT],
    DocumentKind.COMMUNE: [Level.COMMUNE],
    DocumentKind.DIRECTIVE: [Level.PROVINCE],
}
TEMPLATES = {
    DocumentKind.PROVINCE: "reports/print/province.html",
    DocumentKind.DISTRICT: "reports/print/district.html",
    DocumentKind.COMMUNE: "reports/print/commune.html",
    DocumentKind.DIRECTIVE: "reports/print/directive.html",
}


def build_context(kind: str, unit, period, user) -> dict:
    """The one context of a document, for its preview and its PDF alike (build and render it in Vietnamese)."""
    if kind == DocumentKind.PROVINCE:
        context = builders.province_document(province=unit, period=period, user=user)
    elif kind == DocumentKind.DISTRICT:
        context = builders.district_document(district=unit, period=period, user=user)
    elif kind == DocumentKind.COMMUNE:
        context = builders.commune_document(commune=unit, period=period, user=user)
    else:
        context = directive_document(province=unit, period=period, user=user)
    programme = context.get("programme")
    context["unverified_thresholds"] = bool(
        programme
        and Threshold.objects.filter(verified=False, indicator__criterion__criteria_set__programme=programme).exists()
    )
    return context


def render_document(kind: str, unit, period, user) -> tuple[str, bytes]:
    """(filename, PDF bytes) of a document; the benchmark and the tests call this too."""
    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string(TEMPLATES[kind], build_context(kind, unit, period, user))
    return builders.filename(kind, unit, period), render_pdf(html)


def can_set(user, kind: str, unit) -> bool:
    """Who may set a document's number, signer and recipients (communes.permissions); others print what was set."""
    return can_set_document(user, unit, unit_document=kind in (DocumentKind.DISTRICT, DocumentKind.COMMUNE))


def _urls(kind: str, unit, period: dt.date) -> dict:
    month = month_code(period)
    back = {
        DocumentKind.PROVINCE: reverse("reports:province-dashboard", args=[unit.code]),
        DocumentKind.DIRECTIVE: reverse("reports:province-dashboard", args=[unit.code]),
        DocumentKind.DISTRICT: reverse("reports:district-dashboard", args=[unit.code]),
        DocumentKind.COMMUNE: reverse("reports:scorecard", args=[unit.code]),
    }[kind]
    pdf = reverse(f"reports:pdf-{kind}", args=[unit.code, month])
    return {
        "pdf_url": pdf,
        "preview_url": pdf + "?preview=1",
        "form_url": reverse(f"reports:pdf-{kind}-form", args=[unit.code, month]),
        "back_url": f"{back}?month={month}",
    }


@require_GET
def document(request, kind: str, code: str, month: dt.date):
    """The document as a PDF (shown in the browser, saved under a telling name), or ?preview=1 for its HTML."""
    unit = unit_or_404(request, code, LEVELS[kind], on=month)
    period = month
    # An official document is Vietnamese whatever language the portal is read in.
    with translation.override(DOCUMENT_LANGUAGE):
        context = build_context(kind, unit, period, request.user)
        if request.GET.get("preview") == "1":
            context.update(_urls(kind, unit, month), preview=True)
            return render(request, TEMPLATES[kind], context)
        html = render_to_string(TEMPLATES[kind], context, request=request)
    pdf = render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{builders.filename(kind, unit, period)}"'
    return response


@require_http_methods(["GET", "POST"])
def document_form(request, kind: str, code: str, month: dt.date):
    """Before printing: number, date, signer, title, recipients; remembered for the unit."""
    unit = unit_or_404(request, code, LEVELS[kind], on=month)
    period = month
    editable = can_set(request.user, kind, unit)
    saved, initial = builders.settings_for(kind, unit, period)
    directive = kind == DocumentKind.DIRECTIVE
    if request.method == "POST":
        require(editable, _("Chỉ văn phòng điều phối (hoặc cán bộ huyện với văn bản của huyện) được sửa thông tin in."))
        form = DocumentSettingsForm(request.POST, instance=saved, directive=directive)
        if form.is_valid():
            with transaction.atomic():
                settings = form.save(commit=False)
                settings.unit, settings.kind, settings.period = unit, kind, period
                settings.updated_by = request.user
                settings.save()
            messages.success(request, _("Đã lưu thông tin in của văn bản."))
            urls = _urls(kind, unit, month)
            return redirect(urls["preview_url"] if request.POST.get("then") == "preview" else urls["pdf_url"])
    else:
        form = DocumentSettingsForm(
            instance=saved, initial=initial if saved is None else None, directive=directive, editable=editable
        )
    return render(
        request,
        "reports/document_form.html",
        {
            "unit": unit,
            "period": period,
            "kind": kind,
            "kind_label": DocumentKind(kind).label,
            "form": form,
            "editable": editable,
            "saved": saved,
            "placeholders": builders.DIRECTIVE_PLACEHOLDERS if directive else {},
            "draft_rule": directive,
            **_urls(kind, unit, month),
        },
    )
