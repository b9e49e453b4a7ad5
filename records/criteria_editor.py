"""The coordination office edits the law in the browser (issue 15, item 4): a draft version of a criteria set is
copied from the version in force, its indicators' names and thresholds (by group, region, year, with their sources
and verified flags) edited and checked by the YAML import's rules, then published (criteria.editing).

It lives with the office's records because who may edit is the office's role (communes.permissions), which the
criteria app does not import.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.forms import modelformset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from communes.permissions import can_manage_records, require
from criteria.choices import CommuneGroup, Region
from criteria.editing import EditError, check_set, create_draft, publish
from criteria.models import CriteriaSet, Criterion, Indicator, Measure, SetStatus, Threshold

NOT_OFFICE = gettext_lazy("Chỉ Văn phòng điều phối mới sửa và ban hành bộ tiêu chí.")


class DraftForm(forms.Form):
    effective_from = forms.DateField(
        label=gettext_lazy("Áp dụng từ ngày"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": gettext_lazy("Ghi ngày phiên bản mới bắt đầu áp dụng, dạng ngày/tháng/năm."),
            "invalid": gettext_lazy("Ngày phải viết dạng ngày/tháng/năm, ví dụ 15/02/2026."),
        },
    )


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = Threshold
        fields = ["indicator", "value", "level_value", "commune_group", "region", "year", "source", "verified"]
        widgets = {"source": forms.TextInput(attrs={"size": 40})}

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code}. {i.name[:60]}"
        self.fields["commune_group"].choices = [("", _("mọi nhóm")), *CommuneGroup.choices]
        self.fields["region"].choices = [("", _("mọi vùng")), *Region.choices]
        self.fields["source"].required = True


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "department", "is_key"]
        widgets = {"name": forms.TextInput(attrs={"size": 36}), "department": forms.TextInput(attrs={"size": 24})}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["criterion", "code", "official_code", "name", "measure", "comparison", "reference", "multiplier"]
        widgets = {"name": forms.TextInput(attrs={"size": 40}), "code": forms.TextInput(attrs={"size": 5})}

    def __init__(self, *args, criteria=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criteria
        self.fields["criterion"].label_from_instance = lambda c: f"{c.number}. {c.name[:40]}"
        self.fields["measure"].queryset = Measure.objects.order_by("code")
        self.fields["measure"].label_from_instance = lambda m: f"{m.code} · {m.name[:40]}"


def _formsets(request, draft: CriteriaSet):
    """The draft's criteria, indicators (and a new one) and thresholds (and three new ones), bound to the POST."""
    criteria = Criterion.objects.filter(criteria_set=draft).order_by("number")
    indicators = Indicator.objects.filter(criterion__criteria_set=draft).select_related("criterion", "measure")
    thresholds = (
        Threshold.objects.filter(indicator__in=indicators)
        .select_related("indicator")
        .order_by("indicator__criterion__number", "indicator__position", "commune_group", "region", "year", "pk")
    )
    data = request.POST or None
    return (
        modelformset_factory(Criterion, form=CriterionForm, extra=0)(data, queryset=criteria, prefix="crit"),
        modelformset_factory(Indicator, form=IndicatorForm, extra=1)(
            data,
            queryset=indicators.order_by("criterion__number", "position"),
            prefix="ind",
            form_kwargs={"criteria": criteria},
        ),
        modelformset_factory(Threshold, form=ThresholdForm, extra=3, can_delete=True)(
            data, queryset=thresholds, form_kwargs={"indicators": indicators}
        ),
    )


def _set(request, pk: int) -> CriteriaSet:
    require(can_manage_records(request.user), NOT_OFFICE)
    return get_object_or_404(CriteriaSet.objects.select_related("programme"), pk=pk)


def _set_url(criteria_set: CriteriaSet) -> str:
    url = reverse("criteria:set-detail", args=[criteria_set.programme.code, criteria_set.code])
    query = {"on": f"{criteria_set.effective_from:%Y-%m-%d}"} if criteria_set.effective_from else {}
    if criteria_set.province_code:
        query["province"] = criteria_set.province_code
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@require_POST
def new_draft(request, pk: int):
    """Copy the version shown into a draft applying from the given day, and open it for editing."""
    source = _set(request, pk)
    form = DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_set_url(source))
    try:
        draft = create_draft(source, effective_from=form.cleaned_data["effective_from"])
    except EditError as exc:
        messages.error(request, " ".join(exc.errors))
        return redirect(_set_url(source))
    messages.success(request, _("Đã tạo bản dự thảo: sửa rồi bấm Ban hành để áp dụng."))
    return redirect("records:criteria-edit", pk=draft.pk)


@require_http_methods(["GET", "POST"])
def edit_draft(request, pk: int):
    """A draft's criteria, indicators and thresholds; saved only if the whole set passes the import's rules."""
    draft = _set(request, pk)
    if draft.status != SetStatus.DRAFT:
        messages.error(request, _("Bộ tiêu chí đã ban hành không sửa được: hãy tạo một phiên bản dự thảo."))
        return redirect(_set_url(draft))
    criteria, indicators, formset = _formsets(request, draft)
    errors: list[str] = []
    if request.method == "POST" and all(f.is_valid() for f in (criteria, indicators, formset)):
        try:
            with transaction.atomic():
                criteria.save()
                indicators.save()
                formset.save()
                check_set(draft)
        except EditError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Đã lưu bản dự thảo; bộ tiêu chí hợp lệ."))
            return redirect("records:criteria-edit", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "draft": draft,
        "criteria_formset": criteria,
        "indicator_formset": indicators,
        "formset": formset,
        "errors": errors,
        "set_url": _set_url(draft),
    }
    return render(request, "records/criteria_editor.html", context, status=status)


@require_POST
def publish_draft(request, pk: int):
    draft = _set(request, pk)
    try:
        publish(draft, by=request.user)
    except EditError as exc:
        messages.error(request, _("Chưa ban hành được: %(errors)s") % {"errors": " ".join(exc.errors)})
        return redirect("records:criteria-edit", pk=draft.pk)
    messages.success(
        request,
        _("Đã ban hành %(set)s, áp dụng từ %(day)s; kết quả các tháng từ ngày đó được tính lại.")
        % {
            "set": draft.name,
            "day": f"{draft.effective_from:%d/%m/%Y}" if draft.effective_from else _("đầu giai đoạn"),
        },
    )
    return redirect(_set_url(draft))
