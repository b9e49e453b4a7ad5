import pytest

from communes.models import AdministrativeUnit, Commune, District, Kind, Level, Province, Role, split_name
from communes.regions import PROVINCE_REGIONS
from communes.text import fold, sort_key
from criteria.choices import Region
from tests.factories import MembershipFactory, UserFactory, unit


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Huyện Đắk Glei", "huyen dak glei"),
        ("ĐẮK GLEI", "dak glei"),
        ("Đăk Glei", "dak glei"),
        ("  Ia H' Drai ", "ia h'drai"),
        ("Ia H’Drai", "ia h'drai"),
        ("Thừa Thiên Huế", "thua thien hue"),
    ],
)
def test_fold_ignores_case_diacritics_and_apostrophe_spacing(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("name", "level", "kind", "short"),
    [
        ("Thành phố Hà Nội", Level.PROVINCE, Kind.THANH_PHO_TW, "Hà Nội"),
        ("Tỉnh Kon Tum", Level.PROVINCE, Kind.TINH, "Kon Tum"),
        ("Thành Phố Bắc Kạn", Level.DISTRICT, Kind.THANH_PHO, "Bắc Kạn"),
        ("Thị xã Sơn Tây", Level.DISTRICT, Kind.THI_XA, "Sơn Tây"),
        ("Thị trấn Đắk Glei", Level.COMMUNE, Kind.THI_TRAN, "Đắk Glei"),
        ("Phường Quyết Thắng", Level.COMMUNE, Kind.PHUONG, "Quyết Thắng"),
        ("Tổ dân phố 3", Level.VILLAGE, Kind.TO_DAN_PHO, "3"),
    ],
)
def test_split_name_reads_the_kind_from_the_name(name, level, kind, short):
    assert split_name(name, level) == (kind, short)


def test_split_name_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="known kind"):
        split_name("Làng Kon Pia", Level.COMMUNE)


def test_path_joins_codes_from_the_root(tree):
    assert tree.dak_pek.path == "62/610/23353/"
    assert tree.dak_glei.path == "62/610/"
    assert tree.province.path == "62/"


def test_subtree_by_path_prefix(tree):
    subtree = AdministrativeUnit.objects.filter(path__startswith=tree.dak_glei.path)
    assert set(subtree.values_list("code", flat=True)) == {"610", "23338", "23353", "23341"}
    assert set(
        AdministrativeUnit.objects.filter(path__startswith=tree.province.path).values_list("level", flat=True)
    ) == {
        Level.PROVINCE,
        Level.DISTRICT,
        Level.COMMUNE,
    }
    assert tree.other_commune not in AdministrativeUnit.objects.filter(path__startswith=tree.province.path)


def test_proxy_models_each_see_their_level(tree):
    assert set(Province.objects.values_list("code", flat=True)) == {"62", "64"}
    assert set(District.objects.values_list("code", flat=True)) == {"610", "611", "625"}
    assert Commune.objects.count() == 6
    assert District.objects.get(code="610").name == "Huyện Đắk Glei"


def test_commune_may_sit_directly_under_its_province(tree):
    # The two-tier structure since 1 July 2025: no district between.
    merged = unit("23400", "Xã Đăk Pék Mới", Level.COMMUNE, tree.province)
    assert merged.path == "62/23400/"
    assert merged.ancestors() == [tree.province]


def test_ancestors_from_root(tree):
    assert tree.dak_pek.ancestors() == [tree.province, tree.dak_glei]


def test_visible_to_a_district_official_is_their_subtree_and_its_ancestors(tree):
    user = MembershipFactory(unit=tree.dak_glei, role=Role.DISTRICT).user
    visible = set(AdministrativeUnit.objects.visible_to(user).values_list("code", flat=True))
    assert visible == {"62", "610", "23338", "23353", "23341"}


def test_visible_to_someone_without_membership_is_nothing(tree):
    assert not AdministrativeUnit.objects.visible_to(UserFactory()).exists()


def test_visible_to_superuser_is_everything(tree):
    admin = UserFactory(is_superuser=True)
    assert AdministrativeUnit.objects.visible_to(admin).count() == AdministrativeUnit.objects.count()


def test_search_key_folds_name(tree):
    assert tree.dak_glei.search_key == "huyen dak glei 610"
    for query in ["dak glei", "ĐẮK GLEI", "Đăk Glei", "huyện đắk glei"]:
        assert tree.dak_glei in AdministrativeUnit.objects.search(query), query


def test_vietnamese_order_puts_d_stroke_after_d(db):
    for code, name in [
        ("01", "Tỉnh Đắk Lắk"),
        ("02", "Tỉnh Dương Minh"),
        ("03", "Tỉnh An Giang"),
        ("04", "Tỉnh Ăn Lạc"),
    ]:
        unit(code, name, Level.PROVINCE)
    names = list(AdministrativeUnit.objects.in_vietnamese_order().values_list("short_name", flat=True))
    assert names == ["An Giang", "Ăn Lạc", "Dương Minh", "Đắk Lắk"]


def test_sort_key_orders_letters_then_tones():
    names = ["Đắk Lắk", "Zô", "Bá", "Ba", "Ân Thi", "An", "Bà", "An Giang", "Ê Đê", "Dương"]
    assert sorted(names, key=sort_key) == [
        "An",
        "An Giang",
        "Ân Thi",
        "Ba",
        "Bà",
        "Bá",
        "Dương",
        "Đắk Lắk",
        "Ê Đê",
        "Zô",
    ]


def test_every_province_code_has_a_region_and_the_counts_match_the_gso_grouping():
    per_region = {region: 0 for region in Region.values}
    for region in PROVINCE_REGIONS.values():
        per_region[region] += 1
    assert per_region == {"TDMNPB": 14, "DBSH": 11, "BTB": 6, "DHNTB": 8, "TN": 5, "DNB": 6, "DBSCL": 13}
    assert PROVINCE_REGIONS["62"] == Region.TN
    assert PROVINCE_REGIONS["10"] == Region.TDMNPB
    assert PROVINCE_REGIONS["24"] == Region.TDMNPB
