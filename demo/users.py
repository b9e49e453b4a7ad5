"""The demo province (Kon Tum, code 62): generated villages and one user per role.

Everything generated here is deterministic (seeded by the unit codes) and marked as demo data.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Membership, Role
from communes.passwords import DEMO_PASSWORD

DEMO_PROVINCE_CODE = "62"  # Tỉnh Kon Tum
DEMO_DISTRICT_CODE = "610"  # Huyện Đắk Glei
KON_TUM_STORY = "số liệu năm 2024 (trước 07/2025)"

# Village names in the manner of Kon Tum's highland communes (Xơ Đăng, Giẻ Triêng, Ba Na), plus numbered thôn.
VILLAGE_STEMS = [
    "Đắk Xuân",
    "Kon Pia",
    "Đắk Ga",
    "Pêng Sal Pêng",
    "Đắk Nhoong",
    "Kon Jơ Ri",
    "Đắk Sút",
    "Măng Khên",
    "Ngọc Hoàng",
    "Đắk Tả",
    "Pờ Rồ",
    "Tu Rét",
    "Đắk Mế",
    "Kon Rá",
    "Lanh Tôn",
    "Đắk Rơ Manh",
    "Xốp Dùi",
    "Đăk Wấk",
    "Kon Dốp",
    "Tân Sang",
    "Chiên Chiết",
    "Đắk Đoát",
    "Làng Mới",
    "Kon Năng",
    "Măng Cành",
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str | None
    unit_code: str | None
    title: str
    department: str = ""  # as written on the criteria this department answers for
    since_reform: bool = False  # a unit of the list since 01/07/2025 (codes were reused: 23341)
    story: str = ""  # which months of the demo this account tells, printed by load_demo


DEMO_USERS = [
    DemoUser(
        "vpdp.kontum",
        "Nguyễn Thị Hạnh",
        Role.OFFICE,
        DEMO_PROVINCE_CODE,
        "Văn phòng Điều phối NTM tỉnh Kon Tum",
        story=KON_TUM_STORY,
    ),
    DemoUser(
        "huyen.dakglei",
        "A Vương",
        Role.DISTRICT,
        DEMO_DISTRICT_CODE,
        "Phòng Nông nghiệp và PTNT huyện Đắk Glei",
        story=KON_TUM_STORY,
    ),
    DemoUser(
        "so.nnptnt",
        "Trần Văn Minh",
        Role.DEPARTMENT,
        DEMO_PROVINCE_CODE,
        "Sở Nông nghiệp và PTNT tỉnh Kon Tum",
        department="Sở Nông nghiệp và PTNT",
        story=KON_TUM_STORY,
    ),
    DemoUser(
        "xem.kontum", "Lê Thu Trang", Role.VIEWER, DEMO_PROVINCE_CODE, "Ban Dân tộc tỉnh Kon Tum", story=KON_TUM_STORY
    ),
    # Since July 2025: the merged Quảng Ngãi (51, with Kon Tum) and Xã Đăk Pék (23341: Đắk Pék and the town).
    DemoUser(
        "vpdp.quangngai",
        "Phạm Minh Tuấn",
        Role.OFFICE,
        "51",
        "Văn phòng Điều phối NTM tỉnh Quảng Ngãi (từ 07/2025)",
        since_reform=True,
        story=(
            "số liệu 07/2025 - 11/2026, từ 02/2026 theo Bộ tiêu chí 2026 - 2030 và nhóm xã (2 xã chưa phân nhóm); "
            "tháng 11/2026 có báo cáo chờ duyệt, bản nháp và xã chưa nộp"
        ),
    ),
    DemoUser(
        "xa.dakpek",
        "Y Liên",
        Role.COMMUNE,
        "23341",
        "UBND xã Đăk Pék, tỉnh Quảng Ngãi (từ 07/2025)",
        since_reform=True,
        story="đã duyệt đến tháng 10/2026; tháng 11/2026 đã gửi, chờ duyệt; tháng 12/2026 chưa nhập",
    ),
    DemoUser("quantri", "Quản trị hệ thống", None, None, "Quản trị hệ thống"),
]


def demo_village_rows(communes: list[AdministrativeUnit]) -> list[tuple[str, str, str]]:
    """(commune code, village name, kind) for a few villages per rural commune, the same on every run."""
    rows = []
    for commune in communes:
        rng = random.Random(f"villages:{commune.code}")
        count = rng.randint(4, 8)
        stems = rng.sample(VILLAGE_STEMS, k=count)
        for i, stem in enumerate(stems, start=1):
            # About a third of villages are numbered thôn, as in most communes' own lists.
            if rng.random() < 0.35:
                rows.append((commune.code, f"Thôn {i}", Kind.THON))
            elif stem.startswith("Kon") or rng.random() < 0.3:
                rows.append((commune.code, f"Làng {stem}", Kind.LANG))
            else:
                rows.append((commune.code, f"Thôn {stem}", Kind.THON))
    return rows


@transaction.atomic
def load_demo_users() -> tuple[list[DemoUser], list[str]]:
    """Create one user per role, each with a membership in the demo province; the users, and the usernames whose
    password someone changed (kept: a run never puts the published password back)."""
    User = get_user_model()
    wanted = {(d.unit_code, d.since_reform) for d in DEMO_USERS if d.unit_code}
    units = {
        (u.code, u.valid_from is not None): u
        for u in AdministrativeUnit.objects.filter(code__in={code for code, _since in wanted}).filter(
            Q(valid_from__isnull=True) | Q(valid_from=REFORM_DATE)
        )
    }
    kept = []
    for demo in DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=demo.username,
            defaults={
                # Vietnamese names read family name first, so keep the whole name in one field.
                "first_name": demo.full_name,
                "last_name": "",
                "is_staff": demo.role is None,
                "is_superuser": demo.role is None,
                "is_active": True,
            },
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        elif not user.check_password(DEMO_PASSWORD):
            kept.append(user.username)
        unit = units.get((demo.unit_code, demo.since_reform))
        if demo.role and unit is not None:
            Membership.objects.update_or_create(
                user=user,
                unit=unit,
                role=demo.role,
                defaults={"title": demo.title, "department": demo.department},
            )
    return DEMO_USERS, kept
