"""One factory per model, and a small unit tree most tests share."""

from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model

from communes.models import AdministrativeUnit, Level, Membership, Role, split_name
from criteria.choices import Region


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    level = Level.COMMUNE
    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    kind = factory.LazyAttribute(lambda o: split_name(o.name, o.level)[0])
    short_name = factory.LazyAttribute(lambda o: split_name(o.name, o.level)[1])
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Người dùng {n}")
    password = factory.PostGenerationMethodCall("set_password", "matkhau-thu-nghiem")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.VIEWER


def unit(code: str, name: str, level: str, parent=None, **extra) -> AdministrativeUnit:
    return UnitFactory(code=code, name=name, level=level, parent=parent, **extra)


@dataclass
class KonTumTree:
    province: AdministrativeUnit
    dak_glei: AdministrativeUnit
    ngoc_hoi: AdministrativeUnit
    dak_pek: AdministrativeUnit
    dak_mon: AdministrativeUnit
    dak_glei_town: AdministrativeUnit
    other_province: AdministrativeUnit
    other_commune: AdministrativeUnit


def kon_tum_tree() -> KonTumTree:
    """The part of Kon Tum that most tests need, with the real GSO codes, and Gia Lai as 'another province'."""
    kon_tum = unit("62", "Tỉnh Kon Tum", Level.PROVINCE, region=Region.TN)
    dak_glei = unit("610", "Huyện Đắk Glei", Level.DISTRICT, kon_tum)
    ngoc_hoi = unit("611", "Huyện Ngọc Hồi", Level.DISTRICT, kon_tum)
    dak_glei_town = unit("23338", "Thị trấn Đắk Glei", Level.COMMUNE, dak_glei)
    dak_pek = unit("23353", "Xã Đắk Pék", Level.COMMUNE, dak_glei)
    dak_mon = unit("23341", "Xã Đắk Môn", Level.COMMUNE, dak_glei)
    unit("23368", "Thị trấn Plei Kần", Level.COMMUNE, ngoc_hoi)
    unit("23380", "Xã Đắk Xú", Level.COMMUNE, ngoc_hoi)
    gia_lai = unit("64", "Tỉnh Gia Lai", Level.PROVINCE, region=Region.TN)
    kbang = unit("625", "Huyện KBang", Level.DISTRICT, gia_lai)
    other = unit("23617", "Xã Đông", Level.COMMUNE, kbang)
    return KonTumTree(kon_tum, dak_glei, ngoc_hoi, dak_pek, dak_mon, dak_glei_town, gia_lai, other)


@dataclass
class ReformedTree:
    quang_ngai: AdministrativeUnit
    dak_pek: AdministrativeUnit


def reform_kon_tum(tree: KonTumTree) -> ReformedTree:
    """The 2025 reform over the test tree: Kon Tum's units end on 30/06/2025; the merged Quảng Ngãi (51) begins,
    with Xã Đăk Pék under the reused code 23341 (the tree's Xã Đắk Môn), formed from Đắk Môn and Đắk Pék."""
    from communes.models import REFORM_DATE, Kind, Lineage

    AdministrativeUnit.objects.filter(pk__in=[u.pk for u in vars(tree).values()]).update(valid_to=REFORM_DATE)
    AdministrativeUnit.objects.filter(path__startswith="62/").update(valid_to=REFORM_DATE)
    quang_ngai = AdministrativeUnit.objects.create(
        code="51",
        level=Level.PROVINCE,
        kind=Kind.TINH,
        name="Tỉnh Quảng Ngãi",
        short_name="Quảng Ngãi",
        valid_from=REFORM_DATE,
    )
    dak_pek = AdministrativeUnit.objects.create(
        code="23341",
        level=Level.COMMUNE,
        kind=Kind.XA,
        name="Xã Đăk Pék",
        short_name="Đăk Pék",
        parent=quang_ngai,
        valid_from=REFORM_DATE,
    )
    for old in (tree.dak_mon, tree.dak_pek):
        Lineage.objects.create(successor=dak_pek, predecessor=old)
    Lineage.objects.create(successor=quang_ngai, predecessor=tree.province)
    return ReformedTree(quang_ngai, dak_pek)
