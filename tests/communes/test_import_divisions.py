"""The national unit lists, loaded once for this module by tests/communes/conftest.py (some 20 s on SQLite)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from communes.divisions import load_corrections
from communes.models import AdministrativeUnit, Commune, District, Kind, Level, Lineage, Province
from communes.text import sort_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


REFORM = dt.date(2025, 7, 1)


def _before():
    return AdministrativeUnit.objects.filter(valid_from__isnull=True)


def _since():
    return AdministrativeUnit.objects.filter(valid_from=REFORM)


def test_counts_of_both_lists():
    assert _before().filter(level=Level.PROVINCE).count() == 63
    assert _before().filter(level=Level.DISTRICT).count() == 696
    assert _before().filter(level=Level.COMMUNE).count() == 10051
    assert _since().filter(level=Level.PROVINCE).count() == 34
    assert _since().filter(level=Level.DISTRICT).count() == 0
    assert _since().filter(level=Level.COMMUNE).count() == 3321
    # The list before the reform ends when the other begins.
    assert set(_before().values_list("valid_to", flat=True)) == {REFORM}
    assert set(_since().values_list("valid_to", flat=True)) == {None}


def test_kind_taken_from_the_name():
    before, since = _before().filter(level=Level.COMMUNE), _since().filter(level=Level.COMMUNE)
    assert before.filter(kind=Kind.XA).count() == 7717
    assert before.filter(kind=Kind.PHUONG).count() == 1716
    assert before.filter(kind=Kind.THI_TRAN).count() == 618
    assert (since.filter(kind=Kind.XA).count(), since.filter(kind=Kind.PHUONG).count()) == (2621, 687)
    assert since.filter(kind=Kind.DAC_KHU).count() == 13
    assert _before().filter(level=Level.PROVINCE, kind=Kind.THANH_PHO_TW).count() == 6
    # Nine cities under the centre by 2026 (Quảng Ninh, Bắc Ninh and Đồng Nai became cities in 2026).
    assert _since().filter(level=Level.PROVINCE, kind=Kind.THANH_PHO_TW).count() == 9
    assert _since().get(level=Level.PROVINCE, code="22").name == "Thành phố Quảng Ninh"
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
    assert _before().get(level=Level.COMMUNE, code="23353").path == "62/610/23353/"


def test_a_reused_code_names_two_units_told_apart_by_date():
    town, commune = _before().get(code="23341", level=Level.COMMUNE), _since().get(code="23341", level=Level.COMMUNE)
    assert (town.name, town.path, town.province_code) == ("Thị trấn Đắk Glei", "62/610/23341/", "62")
    assert (commune.name, commune.path, commune.province_code) == ("Xã Đăk Pék", "2025/51/23341/", "51")
    assert commune.parent == _since().get(level=Level.PROVINCE, code="51")
    assert (town.in_force_on(dt.date(2025, 6, 30)), town.in_force_on(REFORM)) == (True, False)
    assert (commune.in_force_on(dt.date(2025, 6, 30)), commune.in_force_on(REFORM)) == (False, True)
    # Province 15 was Yên Bái, and is Lào Cai (Lào Cai 10 + Yên Bái 15).
    assert _before().get(level=Level.PROVINCE, code="15").name == "Tỉnh Yên Bái"
    lao_cai = _since().get(level=Level.PROVINCE, code="15")
    assert lao_cai.name == "Tỉnh Lào Cai"
    assert {p.code for p in lao_cai.predecessors.all()} == {"10", "15"}


def test_lineage_both_ways_with_splits_marked():
    dak_pek = _since().get(code="23341", level=Level.COMMUNE)
    assert {(p.code, p.name) for p in dak_pek.predecessors.all()} == {
        ("23341", "Thị trấn Đắk Glei"),
        ("23353", "Xã Đắk Pék"),
    }
    assert list(_before().get(code="23353", level=Level.COMMUNE).successors.values_list("name", flat=True)) == [
        "Xã Đăk Pék"
    ]
    quang_ngai = _since().get(level=Level.PROVINCE, code="51")
    assert {p.name for p in quang_ngai.predecessors.all()} == {"Tỉnh Quảng Ngãi", "Tỉnh Kon Tum"}
    # The package's province table wrongly names Tiền Giang among Tây Ninh's sources; links follow the communes.
    assert {p.name for p in _since().get(level=Level.PROVINCE, code="80").predecessors.all()} == {
        "Tỉnh Long An",
        "Tỉnh Tây Ninh",
    }
    # The package divides 441 legacy units. One (27076) is not in the 2025-01-04 list; two (01615, 02485) are divided
    # only by the statistics office's code typos, which the correction file removes; Phường 15 of Phú Nhuận (27067),
    # missing from the table, is divided between two wards.
    split = Lineage.objects.filter(is_split=True).values("predecessor").distinct().count()
    assert split == 441 - 1 - 2 + 1
    hong_quang = _before().get(level=Level.COMMUNE, code="01615")
    assert list(hong_quang.successors.values_list("code", flat=True)) == ["01636"]
    assert not Lineage.objects.filter(is_split=True, predecessor__level=Level.PROVINCE).exists()
    # A split unit's every link is marked: no successor gets its figures whole.
    assert all(
        Lineage.objects.filter(predecessor=link.predecessor, is_split=False).count() == 0
        for link in Lineage.objects.filter(is_split=True)[:50]
    )


def test_every_legacy_commune_has_a_successor_with_the_correction_file():
    linked = Lineage.objects.values("predecessor")
    orphans = set(_before().filter(level=Level.COMMUNE).exclude(pk__in=linked).values_list("code", flat=True))
    corrections = load_corrections()
    corrected = {str(item["legacy_code"]) for item in corrections.get("successors", [])}
    assert orphans.isdisjoint(corrected)
    # The 28 communes the package's table lacks are the ones the file fills, each with its source.
    assert len(corrected) == 28
    assert orphans == set()
    assert all(item["source"] for item in corrections["successors"])
    chieng_ly = _before().get(level=Level.COMMUNE, code="03751")
    link = Lineage.objects.get(predecessor=chieng_ly)
    assert (link.successor.code, link.successor.name) == ("03721", "Xã Thuận Châu")
    assert link.source.startswith("fixtures/units/corrections-2025.yaml: Nghị quyết 1280/NQ-UBTVQH15")


def test_every_legacy_province_has_a_region():
    assert not _before().filter(level=Level.PROVINCE, region="").exists()
    assert Province.objects.get(code="24", valid_from__isnull=True).region == "TDMNPB"  # Bắc Giang


def test_second_run_changes_nothing_and_says_so(capsys):
    before = dict(AdministrativeUnit.objects.values_list("path", "name"))
    links = Lineage.objects.count()
    call_command("import_divisions")
    out = capsys.readouterr().out
    assert "không có thay đổi" in out
    assert "xã: 10051 (mới 0, cập nhật 0, không đổi 10051)" in out
    assert "xã: 3321 (mới 0, cập nhật 0, không đổi 3321)" in out
    assert "trong đó 2621 xã, 687 phường, 13 đặc khu" in out
    assert dict(AdministrativeUnit.objects.values_list("path", "name")) == before
    assert Lineage.objects.count() == links


def test_rerun_repairs_a_changed_name_and_says_so(capsys):
    District.objects.filter(code="610").update(name="Huyện Sai Tên")
    _since().filter(level=Level.PROVINCE, code="22").update(name="Tỉnh Quảng Ninh", kind=Kind.TINH)
    call_command("import_divisions")
    out = capsys.readouterr().out
    assert "huyện: 696 (mới 0, cập nhật 1, không đổi 695)" in out
    # The province that became a city is the same unit under its new name, not a new one.
    assert "tỉnh: 34 (mới 0, cập nhật 1, không đổi 33)" in out
    assert "đổi tên, loại: Tỉnh Quảng Ninh → Thành phố Quảng Ninh" in out
    assert District.objects.get(code="610").name == "Huyện Đắk Glei"
    assert _since().get(level=Level.PROVINCE, code="22").kind == Kind.THANH_PHO_TW


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


def test_a_post_reform_commune_takes_its_region_from_its_predecessors_province():
    # The merged Quảng Ngãi spans two regions: Kon Tum's communes are Tây Nguyên, Quảng Ngãi's the coast.
    dak_pek = _since().get(level=Level.COMMUNE, code="23341")
    assert (dak_pek.region, dak_pek.classification_note) == ("TN", "")
    assert dak_pek.threshold_profile().region == "TN"
    coast = _since().filter(level=Level.COMMUNE, path__startswith="2025/51/", region="DHNTB")
    assert coast.count() == 55
    assert _since().filter(level=Level.COMMUNE, path__startswith="2025/51/", region="TN").count() == 40
    # The province itself records none: its communes do.
    assert _since().get(level=Level.PROVINCE, code="51").region == ""
