"""Every shipped criteria file loads, has the shape the law gives it, and never claims an unverified number."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from criteria.definitions import build_programme
from criteria.evaluation import UnitProfile, evaluate_programme
from criteria.models import CriteriaSet, Indicator, Threshold

pytestmark = pytest.mark.django_db

FILES = sorted(str(p) for p in (Path(settings.BASE_DIR) / "fixtures" / "criteria").glob("*/*.yaml"))


@pytest.fixture
def loaded(capsys):
    call_command("import_criteria", *FILES)
    return capsys.readouterr().out


def _set(programme: str, code: str) -> CriteriaSet:
    return CriteriaSet.objects.get(programme__code=programme, code=code, province_code="")


def _indicators(criteria_set: CriteriaSet) -> int:
    return Indicator.objects.filter(criterion__criteria_set=criteria_set).count()


def test_every_file_loads_and_a_second_load_changes_nothing(loaded, capsys):
    assert len(FILES) == 10
    assert loaded.count("đã tạo") == 10
    call_command("import_criteria", *FILES)
    assert capsys.readouterr().out.count("không thay đổi") == 10


def test_2021_2025_commune_sets_have_the_sizes_of_qd_318_and_319(loaded):
    standard, advanced = _set("2021-2025", "commune-standard"), _set("2021-2025", "commune-advanced")
    # 57 indicators in QĐ 318; the schools indicator (5.1/5.2) and 14.1 (14.1/14.1b) are each two rows here.
    assert (standard.criteria.count(), _indicators(standard)) == (19, 59)
    assert (advanced.criteria.count(), _indicators(advanced)) == (19, 75)
    assert _set("2021-2025", "commune-model").criteria.count() == 4
    assert [c.name for c in standard.criteria.filter(is_key=True).order_by("number")] == [
        "Thu nhập",
        "Môi trường và an toàn thực phẩm",
        "Quốc phòng và An ninh",
    ]
    assert set(advanced.criteria.filter(is_key=True).values_list("name", flat=True)) >= {
        "Môi trường",
        "Chất lượng môi trường sống",
    }


def test_income_is_one_measure_judged_by_every_commune_tier(loaded):
    sets = set(
        Indicator.objects.filter(measure__code="income_per_capita").values_list(
            "criterion__criteria_set__code", flat=True
        )
    )
    # Both programmes read the same measure: a commune's income carries across 2025/2026.
    assert sets == {"commune-standard", "commune-advanced", "commune-model", "commune-modern"}


def test_district_set_has_the_qd_320_conditions(loaded):
    district = _set("2021-2025", "district-standard")
    conditions = district.criteria.get(kind="condition")
    comparisons = dict(conditions.indicators.values_list("measure__code", "comparison"))
    assert comparisons["district_communes_standard_pct"] == "=="
    assert comparisons["district_communes_advanced_pct"] == ">="
    assert district.criteria.filter(kind="criterion").count() == 9


def test_2026_2030_skeleton_has_10_criteria_and_the_modern_pilot(loaded):
    standard, modern = _set("2026-2030", "commune-standard"), _set("2026-2030", "commune-modern")
    assert standard.criteria.count() == 10
    assert modern.tier == "modern"
    # Illustrative until QĐ 51's annexes are in hand: every threshold unverified, the sets say so.
    assert standard.illustrative
    assert modern.illustrative
    assert not Threshold.objects.filter(indicator__criterion__criteria_set__in=[standard, modern], verified=True)
    # The pilot needs the standard tier and the province's own criteria (no province set: nobody is modern).
    first = modern.criteria.get(number=1).indicators.get()
    assert (first.comparison, first.reference) == ("reached", "commune-standard")
    assert modern.criteria.get(number=4).indicators.get().measure.code == "modern_province_criteria"


def test_no_threshold_number_of_qd_318_claims_to_be_verified(loaded):
    # Only structural rules seen in the sources (QĐ 319 model rules, QĐ 320 conditions) are verified.
    verified = Threshold.objects.filter(verified=True)
    assert set(verified.values_list("indicator__criterion__criteria_set__code", flat=True)) <= {
        "commune-model",
        "district-standard",
        "commune-standard",
    }
    # In the standard set only the education values MOET's QĐ 1491/QĐ-BGDĐT publishes are verified.
    standard_verified = verified.filter(indicator__criterion__criteria_set__code="commune-standard")
    assert set(standard_verified.values_list("indicator__code", flat=True)) == {"5.1", "5.2", "14.1", "14.1b"}
    assert all("QĐ 1491/QĐ-BGDĐT" in source for source in standard_verified.values_list("source", flat=True))
    unverified = Threshold.objects.filter(verified=False, indicator__criterion__criteria_set__code="commune-standard")
    assert not unverified.filter(source="").exists()


def test_model_income_is_110_percent_of_the_advanced_threshold(loaded):
    programme = build_programme("2021-2025")
    result = evaluate_programme(programme, UnitProfile(region="TN"), 2024, {"income_per_capita": 1})
    model_income = next(
        i for c in result.sets["commune-model"].criteria for i in c.indicators if i.measure == "income_per_capita"
    )
    advanced_income = next(
        i for c in result.sets["commune-advanced"].criteria for i in c.indicators if i.code == "10.1"
    )
    assert model_income.threshold == (advanced_income.threshold * 11 / 10).quantize(model_income.threshold)
    assert "110%" in model_income.basis
    assert model_income.verified is False  # the advanced income it is computed from is unverified
