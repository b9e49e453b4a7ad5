"""The hiện đại pilot (issue 15, item 5): the tier needs the 2026-2030 standard first and the province's own
criteria; a province's set (same code, its province) inside the national frame replaces the frame for it."""

import pytest
from django.conf import settings

from criteria.definitions import build_programme
from criteria.evaluation import UnitProfile, evaluate_programme
from criteria.models import CriteriaSet
from criteria.yaml_dump import dump_criteria_set
from criteria.yaml_io import import_criteria_text

pytestmark = pytest.mark.django_db

GROUP_2 = UnitProfile(group=2, province_code="51")


@pytest.fixture
def programme():
    for name in ("2021-2025/commune-standard.yaml", "2026-2030/commune-standard.yaml", "2026-2030/commune-modern.yaml"):
        import_criteria_text((settings.BASE_DIR / "fixtures" / "criteria" / name).read_bytes())
    return build_programme("2026-2030", "51")


def _meeting(programme, set_code: str, profile: UnitProfile) -> dict:
    """Figures that meet every indicator of the set for the profile's group."""
    values = {}
    for criterion in programme.set(set_code).criteria:
        for indicator in criterion.indicators:
            if indicator.measure is None:
                continue
            if indicator.comparison == "achieved":
                values[indicator.measure.code] = True
                continue
            rows = [t for t in indicator.thresholds if t.group in (None, profile.group) and t.value is not None]
            if rows:
                values[indicator.measure.code] = rows[-1].value
    return values


def test_the_pilot_needs_the_standard_first_and_the_provinces_criteria(programme):
    standard = _meeting(programme, "commune-standard", GROUP_2)
    assert evaluate_programme(programme, GROUP_2, 2026, standard).tier == "standard"
    # Higher income and digital figures, but the province's criteria not met: still only the standard.
    better = {**standard, "income_per_capita": 80, "ehealth_record_pct": 96, "it_administration": True}
    assert evaluate_programme(programme, GROUP_2, 2026, better).tier == "standard"
    assert evaluate_programme(programme, GROUP_2, 2026, {**better, "modern_province_criteria": True}).tier == "modern"
    # Everything of the pilot but the standard tier: nothing.
    short = {**better, "modern_province_criteria": True, "poverty_rate": 9}
    assert evaluate_programme(programme, GROUP_2, 2026, short).tier is None


def test_a_provinces_own_set_replaces_the_frame_for_its_communes(programme):
    frame = CriteriaSet.objects.get(programme__code="2026-2030", code="commune-modern", province_code="")
    text = dump_criteria_set(frame)
    own = text.replace("  province: null\n", "  province:\n    code: '51'\n    name: Quảng Ngãi\n", 1)
    own = own.replace("status: draft", "status: published", 1)
    assert own != text
    import_criteria_text(own)
    quang_ngai = build_programme("2026-2030", "51")
    assert quang_ngai.set("commune-modern").province_code == "51"
    assert build_programme("2026-2030", "22").set("commune-modern").province_code == ""
