"""The administrative units being tracked, and who works for which of them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _

from communes import names
from communes.groups import CommuneGroupAssignment  # noqa: F401 (a model of this app)
from communes.names import Kind
from communes.text import fold, sort_key
from criteria.choices import Region
from criteria.evaluation import UnitProfile

# The 2025 reform: from this day 34 provinces, no districts, 3,321 communes, many under codes that named other units
# before. A post-reform unit's path starts with ERA_2025_ROOT, so the two trees never share a path even where a code
# was reused (province 51 was Quảng Ngãi before and is the merged Quảng Ngãi since).
REFORM_DATE = dt.date(2025, 7, 1)
ERA_2025_ROOT = "2025/"

# ICU's Vietnamese collation sorts Ă, Â after A and Đ after D; PostgreSQL's C.UTF-8 puts them after Z.
VIETNAMESE_COLLATION = "vi-x-icu"
SEARCH_KEY_LENGTH = 400  # room for the name, the code and a few former names (a search by an old name finds it)


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")
    VILLAGE = "village", _("Thôn")


# Name prefixes by level, longest first so "Thành phố" is not read as something shorter.
NAME_PREFIXES: dict[str, list[tuple[str, str]]] = {
    Level.PROVINCE: [("Thành phố", Kind.THANH_PHO_TW), ("Tỉnh", Kind.TINH)],
    Level.DISTRICT: [
        ("Thành phố", Kind.THANH_PHO),
        ("Thị xã", Kind.THI_XA),
        ("Huyện", Kind.HUYEN),
        ("Quận", Kind.QUAN),
    ],
    Level.COMMUNE: [
        ("Thị trấn", Kind.THI_TRAN),
        ("Phường", Kind.PHUONG),
        ("Đặc khu", Kind.DAC_KHU),
        ("Xã", Kind.XA),
    ],
    Level.VILLAGE: [
        ("Tổ dân phố", Kind.TO_DAN_PHO),
        ("Khu dân cư", Kind.KHU_DAN_CU),
        ("Khu phố", Kind.KHU_PHO),
        ("Thôn", Kind.THON),
        ("Bản", Kind.BAN),
        ("Làng", Kind.LANG),
        ("Buôn", Kind.BUON),
        ("Ấp", Kind.AP),
    ],
}


def split_name(name: str, level: str) -> tuple[str, str]:
    """The kind a unit's name declares and the name without it: ("Huyện Đắk Glei", district) -> (huyen, "Đắk Glei")."""
    # The source data sometimes capitalises the kind ("Thành Phố Bắc Kạn").
    for prefix, kind in NAME_PREFIXES[level]:
        if name.lower().startswith(prefix.lower() + " "):
            return kind, name[len(prefix) + 1 :].strip()
    raise ValueError(f"{name!r} does not start with a known kind of {level}")


class AdministrativeUnitQuerySet(models.QuerySet):
    def visible_to(self, user) -> AdministrativeUnitQuerySet:
        """Units a user may see: the subtrees of their memberships, and the ancestors that lead to them."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        paths = user_unit_paths(user) + user_history_paths(user)
        if not paths:
            return self.none()
        condition = Q(path__in={ancestor for path in paths for ancestor in ancestor_paths(path)})
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def _within_roles(self, user, roles: set[str], history: bool = False) -> AdministrativeUnitQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        paths = user_unit_paths(user, roles) + (user_history_paths(user) if history else [])
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def in_scope_of(self, user) -> AdministrativeUnitQuerySet:
        """The subtrees of a user's memberships and of the units they were formed from (history, to read), without
        the ancestors that visible_to adds for navigation."""
        return self._within_roles(user, set(Role.values), history=True)

    def reviewable_by(self, user) -> AdministrativeUnitQuerySet:
        """Units whose reports a user may approve, return and un-approve: the coordination office's province."""
        return self._within_roles(user, {Role.OFFICE})

    def current(self, on=None) -> AdministrativeUnitQuerySet:
        """Units in force on a date (today when not given)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )

    def in_vietnamese_order(self) -> AdministrativeUnitQuerySet:
        """Alphabetical by name without its kind, Đ after D: ICU on PostgreSQL, a computed key on SQLite."""
        if connection.vendor == "postgresql":
            return self.order_by(Collate("short_name", VIETNAMESE_COLLATION), "code")
        return self.order_by("sort_key", "short_name", "code")

    def search(self, query: str) -> AdministrativeUnitQuerySet:
        """Units whose name contains the query, ignoring case, diacritics and the spacing of apostrophes."""
        folded = fold(query)
        if not folded:
            return self.none()
        return self.filter(search_key__contains=folded)

    def by_level_then_name(self) -> AdministrativeUnitQuerySet:
        """Provinces and districts before the many communes and villages that share their name."""
        rank = models.Case(
            *(models.When(level=level, then=i) for i, level in enumerate(Level.values)),
            output_field=models.IntegerField(),
        )
        return self.annotate(level_rank=rank).order_by("level_rank", "sort_key", "code")

    def with_child_counts(self) -> AdministrativeUnitQuerySet:
        """Counts for list pages: direct children, and communes anywhere below (a commune may sit under a province)."""
        return self.annotate(
            child_count=models.Count("children", distinct=True),
            commune_count=models.Subquery(
                AdministrativeUnit.objects.filter(level=Level.COMMUNE, path__startswith=models.OuterRef("path"))
                .order_by()
                .values("level")
                .annotate(n=models.Count("pk"))
                .values("n"),
                output_field=models.IntegerField(),
            ),
        )


class AdministrativeUnit(models.Model):
    """A province, district, commune or village, one table for all levels, held together by a materialised path."""

    code = models.CharField(_("mã"), max_length=12, help_text=_("Mã đơn vị hành chính của Tổng cục Thống kê"))
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices, db_index=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=120)
    short_name = models.CharField(_("tên rút gọn"), max_length=120, help_text=_("Tên không kèm loại đơn vị"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("đường dẫn"), max_length=80, unique=True, editable=False)
    former_names = models.JSONField(
        _("tên trước đây"),
        default=list,
        blank=True,
        help_text=_("Tên, loại trước khi đổi, mỗi tên kèm ngày bắt đầu tên sau (communes.names)"),
    )
    search_key = models.CharField(max_length=SEARCH_KEY_LENGTH, editable=False, db_index=True)
    sort_key = models.CharField(max_length=250, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị tiền thân"),
        symmetrical=False,
        blank=True,
        related_name="successors",
        through="Lineage",
        through_fields=("successor", "predecessor"),
    )
    region = models.CharField(
        _("vùng kinh tế - xã hội"),
        max_length=8,
        choices=Region.choices,
        blank=True,
        help_text=_(
            "Ghi ở cấp tỉnh (trước 07/2025), đơn vị cấp dưới theo vùng của tỉnh; xã từ 07/2025 ghi vùng của chính "
            "mình, thừa hưởng từ tỉnh của các đơn vị tiền thân (tỉnh mới có thể trải trên hai vùng)"
        ),
    )
    applies_tdmnpb_thresholds = models.BooleanField(
        _("áp dụng ngưỡng vùng TDMNPB"),
        default=False,
        help_text=_("Xã đặc biệt khó khăn, xã an toàn khu… áp dụng ngưỡng vùng Trung du và miền núi phía Bắc (QĐ 318)"),
    )
    classification_note = models.CharField(
        _("ghi chú phân loại"),
        max_length=300,
        blank=True,
        help_text=_("Khi các đơn vị tiền thân khác vùng hoặc khác cờ TDMNPB: cần Văn phòng điều phối xác định"),
    )
    # A point to place the unit on a map (WGS 84). import_divisions sets it from fixtures/units/positions.csv
    # (communes.positions) wherever the file has one, so a correction belongs in that file.
    latitude = models.DecimalField(
        _("vĩ độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Vĩ độ điểm trung tâm của đơn vị (WGS 84), để đặt đơn vị lên bản đồ"),
    )
    longitude = models.DecimalField(
        _("kinh độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Kinh độ điểm trung tâm của đơn vị (WGS 84)"),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    report_due_day = models.PositiveSmallIntegerField(
        _("hạn nộp báo cáo tháng"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Ngày trong tháng (1-28) mà số liệu của tháng phải được gửi; chỉ dùng ở cấp tỉnh"),
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            # A code names one unit of a level at a time: once among the units without a start date (the list
            # before the reform), once per start date after (codes were reused in July 2025).
            models.UniqueConstraint(
                fields=["code", "level"],
                condition=Q(valid_from__isnull=True),
                name="unit_code_level_unique",
                violation_error_message=_("Mã đơn vị đã tồn tại ở cấp này."),
            ),
            models.UniqueConstraint(
                fields=["code", "level", "valid_from"],
                name="unit_code_level_from_unique",
                violation_error_message=_("Mã đơn vị đã tồn tại ở cấp này từ ngày này."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self._restore_stored_names()
        self.refresh_derived_fields()
        super().save(*args, **kwargs)

    def refresh_derived_fields(self) -> None:
        """Recompute the path and search fields from code, parent and names (bulk loaders call this too)."""
        root = ERA_2025_ROOT if self.valid_from and self.valid_from >= REFORM_DATE else ""
        self.path = (self.parent.path if self.parent_id else root) + f"{self.code}/"
        self.sort_key = sort_key(self.short_name or self.name)
        former = " ".join(entry["name"] for entry in names.in_order(self.former_names) if entry["name"] != self.name)
        self.search_key = fold(f"{self.name} {self.code} {former}")[:SEARCH_KEY_LENGTH]

    def named_on(self, day: dt.date) -> AdministrativeUnit:
        """This unit, its name, short name and kind those in force on the day (in memory only: save() writes the
        current names back; never hand a named unit to bulk_update). Its ancestors() are named on the same day."""
        stored = getattr(self, "_stored_names", None) or {f: getattr(self, f) for f in names.NAME_FIELDS}
        entry = names.name_in_force(self.former_names, day)
        shown = {f: entry.get(f) or stored[f] for f in names.NAME_FIELDS} if entry else stored
        for field, value in shown.items():
            setattr(self, field, value)
        self._stored_names, self._shown_names, self._named_day = stored, shown, day
        return self

    def _restore_stored_names(self) -> None:
        # A field still showing a former name gets its stored value back; one the caller changed keeps the change.
        stored, shown = getattr(self, "_stored_names", None), getattr(self, "_shown_names", None)
        if not stored:
            return
        for field in names.NAME_FIELDS:
            if getattr(self, field) == shown[field]:
                setattr(self, field, stored[field])
        self._stored_names = self._shown_names = self._named_day = None

    @property
    def current_name(self) -> str:
        """The unit's name today when the page shows an earlier one (for "nay là …"), else ""."""
        stored = getattr(self, "_stored_names", None)
        return stored["name"] if stored and stored["name"] != self.name else ""

    @property
    def name_history(self) -> list[names.FormerName]:
        """The unit's former names, oldest first, each with its last day."""
        return names.history(self.former_names)

    @property
    def ancestor_paths(self) -> list[str]:
        return ancestor_paths(self.path)

    def ancestors(self) -> list[AdministrativeUnit]:
        """From the root down to the parent, in one query; named on the day this unit was named on, if it was."""
        by_path = {u.path: u for u in AdministrativeUnit.objects.filter(path__in=self.ancestor_paths)}
        found = [by_path[p] for p in self.ancestor_paths if p in by_path]
        day = getattr(self, "_named_day", None)
        return [unit.named_on(day) for unit in found] if day else found

    @property
    def province_code(self) -> str:
        return province_code_of(self.path)

    @property
    def province_path(self) -> str:
        return (ERA_2025_ROOT if self.is_post_reform else "") + f"{self.province_code}/"

    @property
    def is_post_reform(self) -> bool:
        return self.path.startswith(ERA_2025_ROOT)

    def in_force_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)

    @property
    def day_in_force(self) -> dt.date | None:
        """A day the unit existed (its last, when it has ended), for links that resolve its code; None: always."""
        if self.valid_to:
            return self.valid_to - dt.timedelta(days=1)
        return self.valid_from

    @property
    def period_label(self) -> str:
        """When the unit existed, for labels that tell a reused code's two units apart: "đến 30/06/2025"."""
        if self.valid_from and self.valid_to:
            return _("%(start)s – %(end)s") % {
                "start": f"{self.valid_from:%d/%m/%Y}",
                "end": f"{self.valid_to - dt.timedelta(days=1):%d/%m/%Y}",
            }
        if self.valid_from:
            return _("từ %(date)s") % {"date": f"{self.valid_from:%d/%m/%Y}"}
        if self.valid_to:
            return _("đến %(date)s") % {"date": f"{self.valid_to - dt.timedelta(days=1):%d/%m/%Y}"}
        return ""

    def threshold_profile(self, province_region: str | None = None) -> UnitProfile:
        """What picks this unit's thresholds. Pass the province's region when already known, to save a query. A
        commune that records its own region (those since 07/2025: a merged province may span two) uses it."""
        if self.level != Level.PROVINCE and self.region:
            province_region = self.region
        elif province_region is None:
            province_region = (
                self.region
                if self.level == Level.PROVINCE
                else AdministrativeUnit.objects.filter(path=self.province_path).values_list("region", flat=True).first()
                or ""
            )
        return UnitProfile(
            region=province_region,
            applies_tdmnpb=self.applies_tdmnpb_thresholds,
            # The 2026-2030 commune group is dated data (communes.groups): the evaluation reads it for the month.
            province_code=self.province_code,
        )


class UnitScopedQuerySet(models.QuerySet):
    """Rows that belong to a unit (reports, statuses, recognitions…): `visible_to(user)` is the one scope rule."""

    def visible_to(self, user):
        """Rows of the units in the subtrees of the user's memberships (every row for an administrator)."""
        if user.is_authenticated and user.is_superuser:
            return self
        return self.filter(unit__in=AdministrativeUnit.objects.in_scope_of(user))


def province_code_of(path: str) -> str:
    """'62/610/23353/' -> '62'; '2025/51/23341/' -> '51'."""
    return path.removeprefix(ERA_2025_ROOT).split("/", 1)[0]


def ancestor_paths(path: str) -> list[str]:
    """'62/610/23353/' -> ['62/', '62/610/']."""
    parts = path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def user_unit_paths(user, roles: set[str] | None = None) -> list[str]:
    """The paths of a user's units (for some roles only, when given), read once per request object."""
    _read_memberships(user)
    return [path for path, role in user._unit_roles if roles is None or role in roles]


def user_history_paths(user) -> list[str]:
    """The paths of the units a user's units were formed from (the 2025 reform), the user's to read, never change:
    the merged Quảng Ngãi's office reads Kon Tum and the old Quảng Ngãi; a commune's official the communes it was
    formed from, not the other successors of a divided one."""
    _read_memberships(user)
    return user._history_paths


def _read_memberships(user) -> None:
    # One query, once per request object: memberships with their units' predecessors (and the header's names).
    if hasattr(user, "_unit_roles"):
        return
    rows = Membership.objects.filter(user=user).values_list(
        "unit__path", "role", "unit__predecessor_links__predecessor__path", "unit_id", "unit__name"
    )
    roles, history, memberships = [], [], []
    for path, role, predecessor_path, unit_id, name in rows:
        path = path or ""  # the national office's membership has no unit: every path starts with ""
        if (path, role) not in roles:
            roles.append((path, role))
            unit = AdministrativeUnit(pk=unit_id, path=path, name=name) if unit_id else None  # for the header
            memberships.append((path, Membership(user=user, unit=unit, role=role)))
        if predecessor_path and predecessor_path not in history:
            history.append(predecessor_path)
    by_path = [m for _p, m in sorted(memberships, key=lambda pair: pair[0])]
    user._unit_roles, user._history_paths, user._memberships = roles, history, by_path


class _LevelManager(models.Manager.from_queryset(AdministrativeUnitQuerySet)):
    level: str = ""

    def get_queryset(self):
        return super().get_queryset().filter(level=self.level)


def _level_manager(level: str) -> _LevelManager:
    return type(f"{level.title()}Manager", (_LevelManager,), {"level": level})()


class Province(AdministrativeUnit):
    objects = _level_manager(Level.PROVINCE)

    class Meta:
        proxy = True
        verbose_name = _("tỉnh")
        verbose_name_plural = _("tỉnh, thành phố")


class District(AdministrativeUnit):
    objects = _level_manager(Level.DISTRICT)

    class Meta:
        proxy = True
        verbose_name = _("huyện")
        verbose_name_plural = _("huyện, quận, thị xã, thành phố")


class Commune(AdministrativeUnit):
    objects = _level_manager(Level.COMMUNE)

    class Meta:
        proxy = True
        verbose_name = _("xã")
        verbose_name_plural = _("xã, phường, thị trấn")


class Village(AdministrativeUnit):
    objects = _level_manager(Level.VILLAGE)

    class Meta:
        proxy = True
        verbose_name = _("thôn")
        verbose_name_plural = _("thôn, bản, tổ dân phố")


class Lineage(models.Model):
    """One link of the 2025 reform (or a later change): `predecessor` became, wholly or in part, `successor`."""

    successor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị mới"), on_delete=models.CASCADE, related_name="predecessor_links"
    )
    predecessor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị trước"), on_delete=models.CASCADE, related_name="successor_links"
    )
    is_split = models.BooleanField(
        _("chia tách"),
        default=False,
        help_text=_("Đơn vị trước được chia cho nhiều đơn vị mới: số liệu của nó không chuyển nguyên cho đơn vị này"),
    )
    source = models.CharField(_("nguồn"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sáp nhập, chia tách")
        verbose_name_plural = _("sáp nhập, chia tách")
        constraints = [models.UniqueConstraint(fields=["successor", "predecessor"], name="lineage_unique")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Role(models.TextChoices):
    OFFICE = "office", _("Văn phòng điều phối NTM")
    DISTRICT = "district", _("Cán bộ huyện")
    # Since July 2025 there are no districts: a commune's own officials enter and send its figures.
    COMMUNE = "commune", _("Cán bộ xã")
    DEPARTMENT = "department", _("Sở, ngành")
    VIEWER = "viewer", _("Người xem")
    # The national coordination office: every province, to read and compare; a membership without a unit.
    NATIONAL = "national", _("Văn phòng Điều phối NTM Trung ương")


class Membership(models.Model):
    """Who works for which unit, as what. A user's scope is the subtree of their units."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        help_text=_("Bỏ trống với vai trò Văn phòng Điều phối NTM Trung ương (phạm vi cả nước)"),
    )
    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices)
    title = models.CharField(_("chức danh, cơ quan"), max_length=200, blank=True)
    department = models.CharField(
        _("sở, ngành phụ trách tiêu chí"),
        max_length=200,
        blank=True,
        help_text=_("Với vai trò sở, ngành: tên cơ quan như ghi ở cột 'cơ quan phụ trách' của tiêu chí"),
    )

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique",
                violation_error_message=_("Người dùng đã có vai trò này ở đơn vị này."),
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.NATIONAL) & Q(unit__isnull=True))
                | (~Q(role=Role.NATIONAL) & Q(unit__isnull=False)),
                name="membership_unit_unless_national",
                violation_error_message=_("Đơn vị: bỏ trống khi và chỉ khi vai trò là VP Điều phối NTM Trung ương."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit or _('cả nước')}"


class AccountSecurity(models.Model):
    """What an administrator requires of a person's sign-in: a new password before any other page.

    One row per user, made when first needed; no row means nothing is required.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="account_security",
    )
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu"),
        default=False,
        help_text=_(
            "Người dùng phải đặt mật khẩu mới trước khi mở trang khác (ví dụ sau khi quản trị viên đặt lại mật khẩu "
            "tạm). Tự bỏ chọn khi họ đã đổi."
        ),
    )
    password_changed_at = models.DateTimeField(_("tự đổi mật khẩu lúc"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("bảo mật tài khoản")
        verbose_name_plural = _("bảo mật tài khoản")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def requires_change(cls, user) -> bool:
        """Whether this user must set a new password; no query when the user was loaded by AccountBackend."""
        try:
            return user.account_security.must_change_password
        except cls.DoesNotExist:
            return False
