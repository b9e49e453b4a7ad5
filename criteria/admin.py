"""Admin for criteria: edit sets in place, download and upload them as YAML, clone a national set for a province."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from criteria.models import CriteriaSet, Criterion, Indicator, Measure, Programme, SetStatus, Threshold
from criteria.services import clone_set_for_province
from criteria.yaml_dump import dump_criteria_set
from criteria.yaml_io import MAX_FILE_BYTES, CriteriaFileError, import_criteria_text


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "start_year", "end_year"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["number", "name", "group", "department", "is_key", "kind"]
    extra = 0
    show_change_link = True


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp YAML"), help_text=_("Định dạng như tệp tải xuống; tối đa 2 MB."))


class CloneForm(forms.Form):
    province_code = forms.RegexField(
        label=_("Mã tỉnh (GSO)"), regex=r"^\d{2}$", error_messages={"invalid": _("Mã tỉnh gồm 2 chữ số, ví dụ 62.")}
    )
    province_name = forms.CharField(label=_("Tên tỉnh"), max_length=100, initial="Tỉnh ")


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = [
        *["code", "programme", "level", "applies_to", "tier", "rank", "province_code", "status", "derived_from"]
    ]
    list_filter = ["programme", "level", "tier", "status", "province_code"]
    search_fields = ["code", "name", "province_name"]
    list_select_related = ["programme", "derived_from"]
    inlines = [CriterionInline]
    actions = ["download_yaml", "publish"]
    change_form_template = "admin/criteria/criteriaset/change_form.html"
    change_list_template = "admin/criteria/criteriaset/change_list.html"

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="criteria_criteriaset_upload"),
            path("<int:pk>/yaml/", self.admin_site.admin_view(self.yaml_view), name="criteria_criteriaset_yaml"),
            path("<int:pk>/clone/", self.admin_site.admin_view(self.clone_view), name="criteria_criteriaset_clone"),
            *super().get_urls(),
        ]

    @admin.display(description=_("loại đơn vị áp dụng"))
    def applies_to(self, obj: CriteriaSet) -> str:
        return ", ".join(obj.unit_kinds) if obj.unit_kinds else _("mọi loại của cấp")

    @admin.action(description=_("Tải xuống YAML"))
    def download_yaml(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Chọn đúng một bộ tiêu chí để tải xuống."), messages.WARNING)
            return None
        return self.yaml_view(request, queryset.get().pk)

    @admin.action(description=_("Ban hành (khóa, không thể thay bằng tệp nhập)"))
    def publish(self, request, queryset):
        # One save per set, not queryset.update(): saves send post_save, which moves the cached pages' data version.
        updated = 0
        for criteria_set in queryset.exclude(status=SetStatus.PUBLISHED):
            criteria_set.status = SetStatus.PUBLISHED
            criteria_set.save(update_fields=["status"])
            updated += 1
        message = ngettext("Đã ban hành %(n)d bộ tiêu chí.", "Đã ban hành %(n)d bộ tiêu chí.", updated)
        self.message_user(request, message % {"n": updated}, messages.SUCCESS)

    def yaml_view(self, request, pk: int):
        criteria_set = get_object_or_404(CriteriaSet, pk=pk)
        if not self.has_view_permission(request, criteria_set):
            return HttpResponse(status=403)
        scope = f"-{criteria_set.province_code}" if criteria_set.province_code else ""
        filename = f"{criteria_set.programme.code}_{criteria_set.code}{scope}.yaml"
        response = HttpResponse(dump_criteria_set(criteria_set), content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def upload_view(self, request):
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        form = UploadForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_FILE_BYTES:
                errors = [str(_("Tệp lớn quá 2 MB."))]
            else:
                try:
                    criteria_set, outcome = import_criteria_text(upload.read())
                except CriteriaFileError as exc:
                    errors = exc.errors
                else:
                    labels = {
                        "created": _("Đã tạo bộ tiêu chí %(set)s."),
                        "replaced": _("Đã thay bản dự thảo %(set)s."),
                        "unchanged": _("Bộ tiêu chí %(set)s không thay đổi."),
                    }
                    self.message_user(request, labels[outcome] % {"set": criteria_set}, messages.SUCCESS)
                    return redirect(reverse("admin:criteria_criteriaset_change", args=[criteria_set.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nạp bộ tiêu chí từ YAML"),
            "form": form,
            "file_errors": errors,
            "opts": self.model._meta,
        }
        return render(request, "admin/criteria/criteriaset/upload.html", context)

    def clone_view(self, request, pk: int):
        criteria_set = get_object_or_404(CriteriaSet, pk=pk)
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        form = CloneForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                clone = clone_set_for_province(
                    criteria_set=criteria_set,
                    province_code=form.cleaned_data["province_code"],
                    province_name=form.cleaned_data["province_name"].strip(),
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request,
                    _("Đã tạo bản dự thảo %(set)s; chỉnh ngưỡng rồi ban hành để áp dụng cho các xã của tỉnh.")
                    % {"set": clone},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:criteria_criteriaset_change", args=[clone.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nhân bản bộ tiêu chí cho một tỉnh"),
            "form": form,
            "original": criteria_set,
            "opts": self.model._meta,
        }
        return render(request, "admin/criteria/criteriaset/clone.html", context)


class ThresholdInline(admin.TabularInline):
    model = Threshold
    fields = ["value", "level_value", "region", "tdmnpb_rule", "commune_group", "year", "source", "verified"]
    extra = 0


class IndicatorInline(admin.StackedInline):
    model = Indicator
    fields = [("code", "official_code", "position"), "name", ("measure", "comparison"), ("reference", "multiplier")]
    extra = 0
    show_change_link = True


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "criteria_set", "is_key", "kind", "department"]
    list_filter = ["criteria_set__programme", "criteria_set__code", "is_key"]
    search_fields = ["name"]
    list_select_related = ["criteria_set__programme"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "criterion", "measure", "comparison"]
    list_filter = ["criterion__criteria_set__programme", "criterion__criteria_set__code", "comparison"]
    search_fields = ["code", "name", "measure__code"]
    list_select_related = ["criterion__criteria_set__programme", "measure"]
    inlines = [ThresholdInline]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "unit", "min_value", "max_value"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin):
    list_display = ["indicator", "value", "region", "tdmnpb_rule", "commune_group", "year", "verified"]
    list_filter = ["verified", "region", "year", "indicator__criterion__criteria_set__code"]
    search_fields = ["indicator__code", "indicator__name", "source"]
    list_select_related = ["indicator"]
