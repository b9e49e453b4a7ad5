"""The national unit list, loaded once for this module (about 3 s) and removed afterwards."""

import pytest
from django.core.management import call_command
from django.db import connection

from communes.models import AdministrativeUnit, Commune, District, Kind, Level, Membership, Province
from communes.text import sort_key


def _clear_units():
    Membership.objects.all().delete()
    AdministrativeUnit.predecessors.through.objects.all().delete()
    # Children before parents: parent is PROTECT.
    for level in [Level.VILLAGE, Level.COMMUNE, Level.DISTRICT, Level.PROVINCE]:
        AdministrativeUnit.objects.filter(level=level).delete()


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _clear_units()
        call_command("import_divisions", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        _clear_units()


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_counts_of_the_pre_2025_list():
    assert Province.objects.count() == 63
    assert District.objects.count() == 696
    assert Commune.objects.count() == 10051


def test_kind_taken_from_the_name():
    assert Commune.objects.filter(kind=Kind.XA).count() == 7717
    assert Commune.objects.filter(kind=Kind.PHUONG).count() == 1716
    assert Commune.objects.filter(kind=Kind.THI_TRAN).count() == 618
    assert Province.objects.filter(kind=Kind.THANH_PHO_TW).count() == 6
    assert District.objects.get(code="058").kind == Kind.THANH_PHO  # "Thành Phố Bắc Kạn", capitalised in the source


def test_kon_tum_has_10_districts_and_102_communes():
    kon_tum = Province.objects.get(code="62")
    assert kon_tum.name == "Tỉnh Kon Tum"
    assert kon_tum.region == "TN"
    assert District.objects.filter(parent=kon_tum).count() == 10
    assert Commune.objects.filter(path__startswith=kon_tum.path).count() == 102
    assert Commune.objects.filter(path__startswith=kon_tum.path, kind=Kind.XA).count() == 85


def test_dak_glei_has_12_communes_and_dak_pek_path():
    dak_glei = District.objects.get(code="610")
    assert dak_glei.name == "Huyện Đắk Glei"
    assert Commune.objects.filter(parent=dak_glei).count() == 12
    assert Commune.objects.get(code="23353").path == "62/610/23353/"


def test_every_province_has_a_region():
    assert not Province.objects.filter(region="").exists()
    assert Province.objects.get(code="24").region == "TDMNPB"  # Bắc Giang


def test_second_run_changes_nothing_and_says_so(capsys):
    before = dict(AdministrativeUnit.objects.values_list("path", "name"))
    call_command("import_divisions")
    out = capsys.readouterr().out
    assert "không có thay đổi" in out
    assert "xã: 10051 (mới 0, cập nhật 0, không đổi 10051)" in out
    assert dict(AdministrativeUnit.objects.values_list("path", "name")) == before


def test_rerun_repairs_a_changed_name(capsys):
    District.objects.filter(code="610").update(name="Huyện Sai Tên")
    call_command("import_divisions")
    assert "huyện: 696 (mới 0, cập nhật 1, không đổi 695)" in capsys.readouterr().out
    assert District.objects.get(code="610").name == "Huyện Đắk Glei"


@pytest.mark.parametrize("query", ["dak glei", "ĐẮK GLEI", "Đăk Glei", "  Dak   Glei "])
def test_search_without_diacritics_finds_the_district(query):
    found = AdministrativeUnit.objects.search(query)
    assert District.objects.get(code="610") in found


def test_search_handles_the_apostrophe_spelling_of_ia_h_drai():
    assert AdministrativeUnit.objects.search("Ia H'Drai").filter(level=Level.DISTRICT, code="618").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collation is PostgreSQL's")
def test_postgresql_vietnamese_order_puts_d_stroke_after_d_and_agrees_with_sort_key():
    names = list(Province.objects.in_vietnamese_order().values_list("short_name", flat=True))
    initials = "".join(name[0] for name in names)
    # No province starts with D: the Đ names sit between C and G, not after Z as the C collation has them.
    assert "CĐ" in initials
    assert "ĐG" in initials
    assert initials.endswith("Y")

    # ICU and the key SQLite sorts by agree on the letters of every commune of Kon Tum.
    def primary(name: str) -> str:
        return sort_key(name).split("\x01")[0]

    communes = Commune.objects.filter(path__startswith="62/").in_vietnamese_order().values_list("short_name", flat=True)
    assert [primary(n) for n in communes] == sorted(primary(n) for n in communes)
