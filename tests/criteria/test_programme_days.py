"""Which yardstick judges which month (issue 15, item 1): the programme in force on the month's last day, by the days
set on the programme (2021-2025 until 14/02/2026, QĐ 51/2025 from 15/02/2026), else by its years."""

import datetime as dt

import pytest
from django.conf import settings

from criteria.import_guard import refuse_redefinitions
from criteria.models import CriteriaSet, Programme, judged_months
from criteria.yaml_dump import dump_criteria_set
from criteria.yaml_io import CriteriaFileError, import_criteria_text, parse_criteria_yaml
from monthly.services import programme_for
from tests.criteria.samples import STANDARD

pytestmark = pytest.mark.django_db

FIXTURES = settings.BASE_DIR / "fixtures" / "criteria"


@pytest.fixture
def both_programmes():
    import_criteria_text((FIXTURES / "2021-2025" / "commune-standard.yaml").read_bytes())
    import_criteria_text((FIXTURES / "2026-2030" / "commune-standard.yaml").read_bytes())


@pytest.mark.parametrize(
    ("month", "code"),
    [
        (dt.date(2025, 12, 1), "2021-2025"),
        (dt.date(2026, 1, 1), "2021-2025"),  # after the 2021-2025 years, before QĐ 51 took effect
        (dt.date(2026, 2, 1), "2026-2030"),  # QĐ 51 is in force on the month's last day
        (dt.date(2026, 12, 1), "2026-2030"),
        (dt.date(2020, 12, 1), None),
    ],
)
def test_a_month_is_judged_by_the_programme_in_force_on_its_last_day(both_programmes, month, code):
    programme = programme_for(month)
    assert (programme.code if programme else None) == code
    sets = CriteriaSet.objects.in_month(month).values_list("programme__code", flat=True).distinct()
    assert list(sets) == ([code] if code else [])


def test_a_programme_without_days_judges_its_years():
    import_criteria_text(STANDARD)
    programme = Programme.objects.get(code="2021-2025")
    assert (programme.starts_on, programme.ends_on) == (None, None)
    assert (programme.first_month, programme.last_month) == (dt.date(2021, 1, 1), dt.date(2025, 12, 1))
    assert programme_for(dt.date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    ("first", "last", "months"),
    [
        (dt.date(2026, 2, 15), dt.date(2030, 12, 31), (dt.date(2026, 2, 1), dt.date(2030, 12, 1))),
        (dt.date(2021, 1, 1), dt.date(2026, 2, 14), (dt.date(2021, 1, 1), dt.date(2026, 1, 1))),
        (dt.date(2021, 1, 1), dt.date(2026, 2, 28), (dt.date(2021, 1, 1), dt.date(2026, 2, 1))),
    ],
)
def test_the_months_judged_follow_from_the_days(first, last, months):
    assert judged_months(first, last) == months


def test_the_days_round_trip_through_yaml(both_programmes):
    text = dump_criteria_set(CriteriaSet.objects.get(programme__code="2026-2030", code="commune-standard"))
    assert "starts_on: '2026-02-15'" in text or "starts_on: 2026-02-15" in text
    assert parse_criteria_yaml(text).programme["starts_on"] == dt.date(2026, 2, 15)
    _set, outcome = import_criteria_text(text)
    assert outcome == "unchanged"


def test_a_published_programmes_days_may_be_filled_in_but_not_changed():
    import_criteria_text(STANDARD)  # published, without days
    filled = STANDARD.replace("  end_year: 2025\n", "  end_year: 2025\n  ends_on: 2026-02-14\n", 1)
    refuse_redefinitions(parse_criteria_yaml(filled))  # completing the programme is allowed
    Programme.objects.filter(code="2021-2025").update(ends_on=dt.date(2026, 2, 14))
    changed = STANDARD.replace("  end_year: 2025\n", "  end_year: 2025\n  ends_on: 2026-03-31\n", 1)
    with pytest.raises(CriteriaFileError) as refused:
        refuse_redefinitions(parse_criteria_yaml(changed))
    assert "ends_on: 2026-02-14 → 2026-03-31" in str(refused.value)


def test_days_in_the_wrong_order_are_refused_with_their_line():
    wrong = STANDARD.replace(
        "  end_year: 2025\n", "  end_year: 2025\n  starts_on: 2025-06-01\n  ends_on: 2021-01-01\n", 1
    )
    with pytest.raises(CriteriaFileError) as refused:
        parse_criteria_yaml(wrong)
    assert "'ends_on' phải không trước 'starts_on'" in str(refused.value)


def test_a_database_from_before_the_days_gets_them_from_the_files(both_programmes):
    Programme.objects.filter(code="2021-2025").update(ends_on=None)  # as a database made before the days existed
    _set, outcome = import_criteria_text((FIXTURES / "2021-2025" / "commune-standard.yaml").read_bytes())
    assert outcome == "unchanged"  # the published set is not replaced: its programme is completed
    programme = Programme.objects.get(code="2021-2025")
    assert (programme.ends_on, programme.last_month) == (dt.date(2026, 2, 14), dt.date(2026, 1, 1))


def test_the_programmes_bands_of_criteria_met_are_data(both_programmes):
    from reports.facts import bucket_label
    from reports.services import bands_of, bucket_counts

    new = Programme.objects.get(code="2026-2030")
    assert new.buckets == [[10, 10], [5, 9], [0, 4]]
    bands = bands_of(new)
    assert [bucket_label(code) for code, _low, _high in bands] == ["10 tiêu chí", "5-9 tiêu chí", "Dưới 5 tiêu chí"]

    class Met:
        def __init__(self, criteria_met):
            self.criteria_met = criteria_met

    assert bucket_counts([Met(10), Met(7), Met(5), Met(2)], bands) == {"10": 1, "5-9": 2, "<5": 1}
    old = bands_of(Programme.objects.get(code="2021-2025"))
    assert [code for code, _low, _high in old] == ["19", "15-18", "10-14", "5-9", "<5"]


def test_bands_in_the_wrong_shape_are_refused_with_their_line():
    wrong = STANDARD.replace("  end_year: 2025\n", "  end_year: 2025\n  buckets: [[10, 5]]\n", 1)
    with pytest.raises(CriteriaFileError) as refused:
        parse_criteria_yaml(wrong)
    assert "'buckets' của programme phải là danh sách các cặp [từ, đến]" in str(refused.value)
