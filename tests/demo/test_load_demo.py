import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from communes.models import REFORM_DATE, AdministrativeUnit, Level, Membership, Role
from tests.factories import kon_tum_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _development(settings):
    """`make run` has DEBUG on; the tests of the refusal turn it off."""
    settings.DEBUG = True


@pytest.fixture(autouse=True)
def _provinces_present():
    """load_demo imports the national lists only when provinces are missing: 61 stand-ins before the reform (and
    the test tree's two) and 34 after keep these tests small."""
    AdministrativeUnit.objects.bulk_create(
        [
            AdministrativeUnit(code=str(i), level=Level.PROVINCE, name=f"Tỉnh {i}", kind="tinh", path=f"{i}/")
            for i in range(100, 161)
        ]
        + [
            AdministrativeUnit(
                code=str(i),
                level=Level.PROVINCE,
                name=f"Tỉnh {i}",
                kind="tinh",
                path=f"2025/{i}/",
                valid_from=REFORM_DATE,
            )
            for i in range(200, 234)
        ]
    )


def test_load_demo_creates_one_user_per_role_and_demo_villages(capsys):
    tree = kon_tum_tree()
    call_command("load_demo")
    out = capsys.readouterr().out
    for username in ["vpdp.kontum", "huyen.dakglei", "so.nnptnt", "xem.kontum", "quantri"]:
        assert username in out
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {
        "vpdp.kontum": Role.OFFICE,
        "huyen.dakglei": Role.DISTRICT,
        "so.nnptnt": Role.DEPARTMENT,
        "xem.kontum": Role.VIEWER,
    }
    assert Membership.objects.get(user__username="huyen.dakglei").unit == tree.dak_glei
    assert get_user_model().objects.get(username="quantri").is_superuser
    assert get_user_model().objects.get(username="vpdp.kontum").check_password("ntm-demo-2024")

    villages = AdministrativeUnit.objects.filter(level=Level.VILLAGE)
    # Rural communes (xã) of Kon Tum get 4 to 8 villages each; towns and other provinces none.
    assert set(villages.values_list("parent__code", flat=True)) == {"23353", "23341", "23380"}
    assert 12 <= villages.count() <= 24
    assert not villages.filter(is_demo=False).exists()


def test_load_demo_twice_changes_nothing(capsys):
    kon_tum_tree()
    call_command("load_demo")
    first = sorted(AdministrativeUnit.objects.filter(level=Level.VILLAGE).values_list("code", "name"))
    call_command("load_demo")
    assert "mới 0" in capsys.readouterr().out
    assert sorted(AdministrativeUnit.objects.filter(level=Level.VILLAGE).values_list("code", "name")) == first
    assert Membership.objects.count() == 4


def test_with_debug_off_load_demo_refuses_the_published_passwords(settings):
    settings.DEBUG = False
    kon_tum_tree()
    with pytest.raises(CommandError, match="--allow-demo-passwords"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()
    assert not AdministrativeUnit.objects.filter(level=Level.VILLAGE).exists()


def test_a_demo_machine_may_allow_them(settings, capsys):
    settings.DEBUG = False
    kon_tum_tree()
    call_command("load_demo", "--allow-demo-passwords")
    assert get_user_model().objects.get(username="quantri").check_password("ntm-demo-2024")


def test_a_changed_password_is_never_put_back(capsys):
    kon_tum_tree()
    call_command("load_demo")
    admin = get_user_model().objects.get(username="quantri")
    admin.set_password("mat-khau-rieng-cua-tinh")
    admin.save()

    call_command("load_demo")

    admin.refresh_from_db()
    assert admin.check_password("mat-khau-rieng-cua-tinh")
    out = capsys.readouterr().out
    assert re.search(r"quantri +Quản trị hệ thống \(mật khẩu đã được đổi, giữ nguyên\)", out)


def test_a_database_without_the_2025_list_gets_it_and_the_new_demo_users(capsys):
    kon_tum_tree()
    AdministrativeUnit.objects.filter(valid_from=REFORM_DATE).delete()
    call_command("load_demo")
    assert "Từ 01/07/2025:" in capsys.readouterr().out
    assert AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_from=REFORM_DATE, code="51").exists()
    office = Membership.objects.get(user__username="vpdp.quangngai")
    commune = Membership.objects.get(user__username="xa.dakpek")
    assert (office.role, office.unit.name, office.unit.path) == (Role.OFFICE, "Tỉnh Quảng Ngãi", "2025/51/")
    assert (commune.role, commune.unit.name, commune.unit.path) == (Role.COMMUNE, "Xã Đăk Pék", "2025/51/23341/")
