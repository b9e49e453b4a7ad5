"""Forms of the coordination office's records: recognition decisions, targets and commune plans.

The unit is typed as its GSO code and looked up in the units the person reviews (the coordination office's
province): a unit id from the browser is never trusted. Every message names the field it is about, in the
words of the form, so it reads the same in the list of errors at the top of the page.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from communes.models import AdministrativeUnit, Kind, Level
from criteria.models import Programme, SetStatus
from records.models import CommunePlan, RecognisedTier, Recognition, Target, TargetKind

MIN_YEAR, MAX_YEAR = 2021, 2035
CRITERIA_COUNT = 19  # criteria of a commune set, 2021-2025 and 2026-2030 alike


class DateInput(forms.DateInput):
    """The browser's date picker, which sends and expects ISO dates whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date(value) -> str:
    return date_format(value, "d/m/Y")


def _year_field() -> forms.IntegerField:
    between = format_lazy(_("Năm phải từ {low} đến {high}."), low=MIN_YEAR, high=MAX_YEAR)
    return forms.IntegerField(
        label=_("Năm"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "required": _("Nhập năm."),
            "invalid": _("Năm phải là một số nguyên, ví dụ 2025."),
            "min_value": between,
            "max_value": between,
        },
    )


class RecordForm(forms.ModelForm):
    """A record of a unit in the office's scope, chosen by code."""

    # Rural communes (xã) are the NTM programme's subject; towns and wards are not recognised as NTM.
    unit_filter = Q(level=Level.COMMUNE, kind=Kind.XA)
    unit_label = _("Mã đơn vị")

    unit_code = forms.CharField(max_length=12)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["unit_code"]
        field.label = self.unit_label
        field.error_messages["required"] = _("Nhập %(label)s.") % {"label": str(self.unit_label).lower()}
        field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "list": "unit-codes"})
        if self.instance.pk:
            field.initial = self.instance.unit.code
        # Keep the field order of Meta.fields, with the unit first.
        self.order_fields(["unit_code", *self._meta.fields])

    def scope(self):
        """The units this person may record things for."""
        return AdministrativeUnit.objects.reviewable_by(self.user).filter(self.unit_filter)

    def clean_unit_code(self) -> str:
        code = self.cleaned_data["unit_code"].strip()
        unit = self.scope().filter(code=code).order_by("level").first()
        if unit is None:
            raise forms.ValidationError(
                _("%(label)s: không có đơn vị mã %(code)s trong phạm vi Văn phòng điều phối của bạn."),
                params={"label": self.unit_label, "code": code},
                code="unknown",
            )
        self.instance.unit = unit
        return code

    @property
    def unit(self) -> AdministrativeUnit | None:
        return self.instance.unit if self.instance.unit_id else None

    def _post_clean(self):
        # The model's own checks repeat this form's field checks in other words: run them (and build the instance)
        # only when the form found nothing, so each problem is said once, beside its field.
        if not self._errors:
            super()._post_clean()


class RecognitionForm(RecordForm):
    """A recognition decision (QĐ 18/2022/QĐ-TTg), and its revocation when there is one."""

    unit_filter = Q(level=Level.COMMUNE, kind=Kind.XA) | Q(level=Level.DISTRICT)
    unit_label = _("Mã xã hoặc huyện")

    class Meta:
        model = Recognition
        fields = [
            "tier",
            "programme",
            "decision_number",
            "decision_date",
            "issuer",
            "note",
            "revoked_decision_number",
            "revoked_date",
            "revocation_reason",
        ]
        widgets = {
            "decision_date": DateInput(),
            "revoked_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
            "revocation_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "decision_number": _("Ví dụ 1234/QĐ-UBND"),
            "issuer": _("Ví dụ Chủ tịch UBND tỉnh Kon Tum"),
            "revoked_decision_number": _("Chỉ ghi khi quyết định công nhận đã bị thu hồi"),
        }
        error_messages = {
            "tier": {"required": _("Chọn mức được công nhận.")},
            "programme": {"required": _("Chọn giai đoạn của bộ tiêu chí.")},
            "decision_number": {"required": _("Nhập số quyết định công nhận.")},
            "decision_date": {
                "required": _("Nhập ngày quyết định công nhận."),
                "invalid": _("Ngày quyết định không hợp lệ."),
            },
            "issuer": {"required": _("Nhập người, cơ quan ký quyết định.")},
            "revoked_date": {"invalid": _("Ngày thu hồi không hợp lệ.")},
        }

    REVOCATION_FIELDS = ("revoked_decision_number", "revoked_date", "revocation_reason")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["tier"].choices = [("", _("(chọn mức)")), *RecognisedTier.choices]
        self.programmes = list(Programme.objects.order_by("start_year"))
        self.fields["programme"].queryset = Programme.objects.order_by("start_year")
        self.fields["programme"].empty_label = None
        if not self.instance.pk:
            self.fields["programme"].initial = _default_programme()
        elif not self.instance.revoked_date:
            # A decision in force is revoked through its own form (number, date and reason all required).
            for name in self.REVOCATION_FIELDS:
                del self.fields[name]

    @property
    def has_revocation_fields(self) -> bool:
        return "revoked_date" in self.fields

    def clean_decision_date(self):
        date = self.cleaned_data["decision_date"]
        if date and date > timezone.localdate():
            raise forms.ValidationError(_("Ngày quyết định không được sau hôm nay."), code="future")
        return date

    def clean_revoked_date(self):
        date = self.cleaned_data["revoked_date"]
        if date and date > timezone.localdate():
            raise forms.ValidationError(_("Ngày thu hồi không được sau hôm nay."), code="future")
        return date

    def clean(self):
        cleaned = super().clean()
        self._check_programme(cleaned)
        if not self.has_revocation_fields:
            self._check_one_in_force(cleaned, None)
            return cleaned
        number = (cleaned.get("revoked_decision_number") or "").strip()
        revoked = cleaned.get("revoked_date")
        if "revoked_date" in cleaned and bool(number) != bool(revoked):
            if number:
                self.add_error("revoked_date", _("Ngày thu hồi: cần ghi cùng số quyết định thu hồi."))
            else:
                self.add_error("revoked_decision_number", _("Số quyết định thu hồi: cần ghi cùng ngày thu hồi."))
        decided = cleaned.get("decision_date")
        if revoked and decided and revoked < decided:
            self.add_error(
                "revoked_date",
                _("Ngày thu hồi không thể trước ngày quyết định công nhận (%(date)s).") % {"date": _date(decided)},
            )
        if cleaned.get("revocation_reason") and not (number or revoked) and not self.has_error("revoked_date"):
            self.add_error("revocation_reason", _("Lý do thu hồi: chỉ ghi khi có số và ngày quyết định thu hồi."))
        self._check_one_in_force(cleaned, revoked)
        return cleaned

    def _check_programme(self, cleaned) -> None:
        """A decision of 2022 belongs to 2021-2025; one from before every programme here may name any."""
        programme, decided = cleaned.get("programme"), cleaned.get("decision_date")
        if programme is None or decided is None:
            return
        covering = next((p for p in self.programmes if p.start_year <= decided.year <= p.end_year), None)
        if covering is not None and covering != programme:
            self.add_error(
                "programme",
                _("Giai đoạn: quyết định ngày %(date)s thuộc giai đoạn %(programme)s.")
                % {"date": _date(decided), "programme": covering.code},
            )

    def _check_one_in_force(self, cleaned, revoked) -> None:
        tier, unit = cleaned.get("tier"), self.unit
        if not tier or unit is None or revoked or self.has_error("unit_code"):
            return
        other = (
            Recognition.objects.in_force()
            .filter(unit=unit, tier=tier)
            .exclude(pk=self.instance.pk)
            .order_by("decision_date")
            .first()
        )
        if other is not None:
            self.add_error(
                "tier",
                _(
                    "Mức: %(unit)s đã có quyết định công nhận mức “%(tier)s” còn hiệu lực (số %(number)s ngày "
                    "%(date)s). Mỗi đơn vị chỉ có một quyết định còn hiệu lực ở mỗi mức: sửa quyết định đó, hoặc "
                    "ghi thu hồi nó trước."
                )
                % {
                    "unit": unit.name,
                    "tier": RecognisedTier(tier).label,
                    "number": other.decision_number,
                    "date": _date(other.decision_date),
                },
            )


def _default_programme() -> int | None:
    """The latest programme already begun whose criteria are in force (2021-2025 while 2026-2030 is a draft)."""
    year = timezone.localdate().year
    begun = Programme.objects.filter(start_year__lte=year).order_by("-start_year")
    chosen = begun.filter(sets__status=SetStatus.PUBLISHED).first() or begun.first()
    return chosen.pk if chosen else None


class RevokeForm(forms.ModelForm):
    """Revoking a recognition (QĐ 18/2022/QĐ-TTg): the revoking decision's number and date, and why."""

    class Meta:
        model = Recognition
        fields = ["revoked_decision_number", "revoked_date", "revocation_reason"]
        widgets = {"revoked_date": DateInput(), "revocation_reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "revocation_reason": _("Ví dụ: 7/19 tiêu chí không duy trì đạt chuẩn, trong đó có tiêu chí Thu nhập"),
        }
        error_messages = {
            "revoked_decision_number": {"required": _("Nhập số quyết định thu hồi.")},
            "revoked_date": {"required": _("Nhập ngày thu hồi."), "invalid": _("Ngày thu hồi không hợp lệ.")},
            "revocation_reason": {"required": _("Nhập lý do thu hồi.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
        # The date the form shows and checks against: the decision being revoked.
        self.decision_date = self.instance.decision_date

    def clean_revoked_date(self):
        date = self.cleaned_data["revoked_date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Ngày thu hồi không được sau hôm nay."), code="future")
        if date < self.decision_date:
            raise forms.ValidationError(
                _("Ngày thu hồi không thể trước ngày quyết định công nhận (%(date)s).")
                % {"date": _date(self.decision_date)},
                code="before_decision",
            )
        return date

    def clean(self):
        cleaned = super().clean()
        if self.instance.revoked_date:
            raise forms.ValidationError(
                _("Quyết định này đã bị thu hồi ngày %(date)s (số %(number)s).")
                % {"date": _date(self.instance.revoked_date), "number": self.instance.revoked_decision_number},
                code="already_revoked",
            )
        return cleaned

    def _post_clean(self):
        if not self._errors:
            super()._post_clean()


class TargetForm(RecordForm):
    """A target the province or a district must reach by a year."""

    unit_filter = Q(level__in=[Level.PROVINCE, Level.DISTRICT])
    unit_label = _("Mã tỉnh hoặc huyện")

    year = _year_field()

    class Meta:
        model = Target
        fields = ["year", "kind", "level", "tier", "value", "source"]
        labels = {"value": _("Giá trị")}
        help_texts = {
            "level": _("Cấp của các đơn vị được đếm, ví dụ xã khi chỉ tiêu là số xã đạt chuẩn"),
            "tier": _("Chỉ chọn khi chỉ tiêu là số đơn vị đạt mức"),
            "value": _("Số đơn vị, hoặc số tiêu chí"),
            "source": _("Ví dụ Chương trình hành động số 3299/CTr-UBND ngày 04/10/2022"),
        }
        error_messages = {
            "kind": {"required": _("Chọn loại chỉ tiêu.")},
            "level": {"required": _("Chọn cấp được tính.")},
            "value": {"required": _("Nhập giá trị."), "invalid": _("Giá trị phải là một số nguyên.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["level"].choices = [(Level.COMMUNE, Level.COMMUNE.label), (Level.DISTRICT, Level.DISTRICT.label)]
        self.fields["tier"].choices = [("", _("(không)")), *RecognisedTier.choices]
        self.fields["kind"].choices = [("", _("(chọn loại chỉ tiêu)")), *TargetKind.choices]

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value < 1:
            raise forms.ValidationError(_("Giá trị phải từ 1 trở lên."), code="min_value")
        return value

    def clean(self):
        cleaned = super().clean()
        kind, level, tier, value = (cleaned.get(k) for k in ("kind", "level", "tier", "value"))
        if kind in (TargetKind.UNITS_AT_TIER, TargetKind.SHARE_AT_TIER) and not tier and "tier" in cleaned:
            self.add_error("tier", _("Mức: chọn mức khi chỉ tiêu là số hoặc tỷ lệ đơn vị đạt mức."))
        if kind == TargetKind.SHARE_AT_TIER and value and value > 100:
            self.add_error("value", _("Giá trị: tỷ lệ phần trăm phải từ 1 đến 100."))
        if kind in (TargetKind.MIN_CRITERIA, TargetKind.YEARLY_GAIN):
            if tier:
                self.add_error("tier", _("Mức: bỏ trống với loại chỉ tiêu này, vì chỉ tiêu đếm tiêu chí của xã."))
            if level and level != Level.COMMUNE:
                self.add_error("level", _("Cấp được tính: chỉ tiêu về số tiêu chí tính cho các xã."))
            if value and value > CRITERIA_COUNT:
                self.add_error(
                    "value",
                    _("Giá trị: một xã có %(count)s tiêu chí, không thể quá %(count)s.") % {"count": CRITERIA_COUNT},
                )
        self._check_unique(cleaned)
        return cleaned

    def _check_unique(self, cleaned) -> None:
        unit = self.unit
        keys = {k: cleaned.get(k) for k in ("year", "kind", "level")}
        if unit is None or None in keys.values() or self.has_error("unit_code"):
            return
        other = (
            Target.objects.filter(unit=unit, tier=cleaned.get("tier") or "", **keys)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if other is not None:
            self.add_error(
                None,
                _(
                    "%(unit)s đã có chỉ tiêu “%(kind)s” năm %(year)s cùng cấp và mức này (giá trị %(value)s): sửa chỉ "
                    "tiêu đó thay vì thêm mới."
                )
                % {"unit": unit.name, "kind": other.get_kind_display(), "year": other.year, "value": other.value},
            )


class CommunePlanForm(RecordForm):
    """The tier a commune is to reach, and by which year."""

    unit_label = _("Mã xã")

    year = _year_field()

    class Meta:
        model = CommunePlan
        fields = ["tier", "year", "note"]
        error_messages = {"tier": {"required": _("Chọn mức phấn đấu.")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["tier"].choices = [("", _("(chọn mức)")), *RecognisedTier.choices]

    def clean(self):
        cleaned = super().clean()
        unit, tier = self.unit, cleaned.get("tier")
        if unit is None or not tier or self.has_error("unit_code"):
            return cleaned
        other = CommunePlan.objects.filter(unit=unit, tier=tier).exclude(pk=self.instance.pk).first()
        if other is not None:
            self.add_error(
                "tier",
                _("Mức phấn đấu: %(unit)s đã có kế hoạch mức “%(tier)s” (năm %(year)s): sửa kế hoạch đó.")
                % {"unit": unit.name, "tier": other.get_tier_display(), "year": other.year},
            )
        return cleaned
