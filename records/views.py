"""The coordination office's records: recognition decisions (and their revocation), targets and commune plans.

Everyone sees the records of the units in their scope; only the coordination office of a unit writes them.
A record outside the user's scope is 404, like a missing one; a write their role may not make is 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communes.models import AdministrativeUnit, Level
from communes.permissions import can_manage_records, can_review, require
from records.filtersets import CommunePlanFilterSet, RecognitionFilterSet, TargetFilterSet
from records.forms import CommunePlanForm, RecognitionForm, RecordForm, RevokeForm, TargetForm
from records.models import CommunePlan, RecognisedTier, Recognition, Target, TargetKind

PAGE_SIZE = 100
UNIT_CHOICES_LIMIT = 400  # beyond this many units (an administrator's country), no suggestion list


@dataclass(frozen=True)
class Records:
    """What differs between the three kinds of record: model, form, filters, templates and words."""

    name: str  # URL names: records:<name>-list, -create, -edit, -delete
    model: type
    form_class: type[RecordForm]
    filterset_class: type
    title: Any  # lazy text
    saved: Any  # lazy message, with %(record)s and %(unit)s


RECOGNITIONS = Records(
    "recognition",
    Recognition,
    RecognitionForm,
    RecognitionFilterSet,
    gettext_lazy("Quyết định công nhận"),
    gettext_lazy("Đã lưu quyết định công nhận %(record)s của %(unit)s."),
)
TARGETS = Records(
    "target",
    Target,
    TargetForm,
    TargetFilterSet,
    gettext_lazy("Chỉ tiêu kế hoạch"),
    gettext_lazy("Đã lưu chỉ tiêu “%(record)s” của %(unit)s."),
)
PLANS = Records(
    "plan",
    CommunePlan,
    CommunePlanForm,
    CommunePlanFilterSet,
    gettext_lazy("Kế hoạch của xã"),
    gettext_lazy("Đã lưu kế hoạch %(record)s của %(unit)s."),
)


# ---------------------------------------------------------------- scope and permission


def records_in_scope(model, user):
    """The records the user may see (communes.permissions' scope), with what the list shows joined in."""
    queryset = model.objects.visible_to(user).select_related("unit__parent")
    return queryset.select_related("programme") if model is Recognition else queryset


NOT_OFFICE = gettext_lazy("Chỉ Văn phòng điều phối NTM của đơn vị ghi quyết định công nhận, chỉ tiêu và kế hoạch.")


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _list_url(records: Records) -> str:
    return reverse(f"records:{records.name}-list")


# ---------------------------------------------------------------- how records read


def target_text(target: Target) -> str:
    """A target as a sentence: 'Ít nhất 60 xã đạt chuẩn NTM'."""
    if target.kind == TargetKind.MIN_CRITERIA:
        return _("Mọi xã đạt ít nhất %(value)s tiêu chí") % {"value": target.value}
    if target.kind == TargetKind.YEARLY_GAIN:
        return _("Mỗi xã đạt thêm ít nhất %(value)s tiêu chí mỗi năm") % {"value": target.value}
    units = Level(target.level).label.lower() if target.level else _("đơn vị")
    reached = {
        RecognisedTier.STANDARD: _("đạt chuẩn NTM"),
        RecognisedTier.ADVANCED: _("đạt chuẩn NTM nâng cao"),
        RecognisedTier.MODEL: _("đạt chuẩn NTM kiểu mẫu"),
        RecognisedTier.MODERN: _("đạt chuẩn NTM hiện đại"),
    }.get(target.tier, "")
    if target.kind == TargetKind.SHARE_AT_TIER:
        return _("%(value)s%% số %(units)s %(reached)s") % {"value": target.value, "units": units, "reached": reached}
    return _("Ít nhất %(value)s %(units)s %(reached)s") % {"value": target.value, "units": units, "reached": reached}


def _record_label(record) -> str:
    if isinstance(record, Recognition):
        return record.decision_number
    if isinstance(record, Target):
        return f"{target_text(record)} ({record.year})"
    return f"{record.get_tier_display()} ({record.year})"


# ---------------------------------------------------------------- lists


def _list(request, records: Records, template: str, extra=None):
    user = request.user
    filterset = records.filterset_class(request.GET or None, queryset=records_in_scope(records.model, user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"record": record, "editable": can_review(user, record.unit), **(extra(record) if extra else {})}
        for record in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {
            "records": records,
            "filterset": filterset,
            "page": page,
            "rows": rows,
            "can_add": can_manage_records(user),
            "page_query": query.urlencode(),
            "here": request.get_full_path(),
        },
    )


@require_GET
def recognition_list(request):
    return _list(request, RECOGNITIONS, "records/recognition_list.html")


@require_GET
def target_list(request):
    return _list(request, TARGETS, "records/target_list.html", lambda t: {"text": target_text(t)})


@require_GET
def plan_list(request):
    return _list(request, PLANS, "records/plan_list.html")


# ---------------------------------------------------------------- forms


def _unit_choices(form: RecordForm) -> list[AdministrativeUnit]:
    """Suggestions for the unit code: the units of the office's scope, when they are not the whole country."""
    units = list(form.scope().select_related("parent").in_vietnamese_order()[: UNIT_CHOICES_LIMIT + 1])
    return units if len(units) <= UNIT_CHOICES_LIMIT else []


def _form_page(request, records: Records, instance=None, *, revoke_form=None, status: int = 200):
    """The create or edit page: GET shows the form, POST saves it or shows it again with its errors."""
    user = request.user
    if instance is None:
        require(can_manage_records(user), NOT_OFFICE)
    else:
        require(can_review(user, instance.unit), NOT_OFFICE)
    back = _safe_next(request, _list_url(records))
    form = records.form_class(instance=instance, user=user)
    if request.method == "POST" and revoke_form is None:
        form = records.form_class(request.POST, instance=instance, user=user)
        if form.is_valid():
            record = form.save()
            messages.success(request, str(records.saved) % {"record": _record_label(record), "unit": record.unit.name})
            return redirect(back)
        status = 400
    if isinstance(instance, Recognition) and revoke_form is None and not instance.revoked_date:
        revoke_form = RevokeForm(instance=instance)
    return render(
        request,
        f"records/{records.name}_form.html",
        {
            "records": records,
            "form": form,
            "record": instance,
            "revoke_form": revoke_form,
            "unit_choices": _unit_choices(form),
            "back": back,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def recognition_create(request):
    return _form_page(request, RECOGNITIONS)


@require_http_methods(["GET", "POST"])
def recognition_edit(request, pk: int):
    return _form_page(request, RECOGNITIONS, _get(request, Recognition, pk))


@require_POST
def recognition_revoke(request, pk: int):
    """Record the decision revoking a recognition (QĐ 18/2022/QĐ-TTg): number, date and reason."""
    recognition = _get(request, Recognition, pk)
    require(can_review(request.user, recognition.unit), NOT_OFFICE)
    form = RevokeForm(request.POST, instance=recognition)
    if not form.is_valid():
        # Show the decision again with the revocation's errors; the record is unchanged.
        recognition.refresh_from_db()
        return _form_page(request, RECOGNITIONS, recognition, revoke_form=form, status=400)
    form.save()
    messages.success(
        request,
        _("Đã ghi thu hồi quyết định %(number)s của %(unit)s (quyết định thu hồi %(revoked)s ngày %(date)s).")
        % {
            "number": recognition.decision_number,
            "unit": recognition.unit.name,
            "revoked": recognition.revoked_decision_number,
            "date": date_format(recognition.revoked_date, "d/m/Y"),
        },
    )
    return redirect(_safe_next(request, _list_url(RECOGNITIONS)))


@require_http_methods(["GET", "POST"])
def target_create(request):
    return _form_page(request, TARGETS)


@require_http_methods(["GET", "POST"])
def target_edit(request, pk: int):
    return _form_page(request, TARGETS, _get(request, Target, pk))


@require_http_methods(["GET", "POST"])
def plan_create(request):
    return _form_page(request, PLANS)


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    return _form_page(request, PLANS, _get(request, CommunePlan, pk))


def _get(request, model, pk: int) -> Any:
    """A record of a unit in the user's scope, else 404 (out of scope reads as missing)."""
    return get_object_or_404(records_in_scope(model, request.user), pk=pk)


def _delete(request, records: Records, pk: int):
    record = _get(request, records.model, pk)
    require(can_review(request.user, record.unit), NOT_OFFICE)
    label, unit = _record_label(record), record.unit.name
    record.delete()
    messages.success(request, _("Đã xóa “%(record)s” của %(unit)s.") % {"record": label, "unit": unit})
    return redirect(_safe_next(request, _list_url(records)))


@require_POST
def target_delete(request, pk: int):
    return _delete(request, TARGETS, pk)


@require_POST
def plan_delete(request, pk: int):
    return _delete(request, PLANS, pk)
