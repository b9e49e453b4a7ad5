"""A criteria import never changes what a published set judges with: a draft that redefines a shared measure or
the programme is refused by line with nothing saved; YAML aliases, deep nesting and oversized text are refused
(issue 13, item 4)."""

import datetime as dt
import time
from decimal import Decimal

import pytest

from criteria.models import CriteriaSet, Measure, Programme
from criteria.yaml_io import CriteriaFileError, import_criteria_text
from monthly.services import save_values
from tests.criteria.samples import STANDARD

pytestmark = pytest.mark.django_db


def _draft(text: str) -> str:
    """STANDARD as another set, a draft: the same programme and measures unless the caller changes them."""
    return text.replace("code: commune-standard", "code: commune-draft").replace("status: published", "status: draft")


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def _refused(text: str) -> list[str]:
    with pytest.raises(CriteriaFileError) as refused:
        import_criteria_text(text)
    return refused.value.errors


def test_a_draft_redefining_a_measure_of_a_published_set_is_refused_by_line():
    import_criteria_text(STANDARD)
    draft = _draft(STANDARD).replace('name: "Thu nhập bình quân đầu người"', 'name: "Thu nhập"')
    draft = draft.replace("max: 2000", "max: 100")

    errors = _refused(draft)

    line = _line_of(draft, "  - code: income_per_capita")
    assert errors == [
        f"Dòng {line}: số liệu 'income_per_capita' đang được dùng (bộ tiêu chí đã ban hành 'Bộ tiêu chí xã NTM "
        "(thử nghiệm)') nên tệp không được định nghĩa lại nó (name: 'Thu nhập bình quân đầu người' → 'Thu nhập'; "
        "max_value: 2000 → 100). Hãy ghi số liệu này đúng như đang có, hoặc đặt mã mới cho định nghĩa mới."
    ]
    measure = Measure.objects.get(code="income_per_capita")
    assert (measure.name, measure.max_value) == ("Thu nhập bình quân đầu người", Decimal("2000"))
    assert not CriteriaSet.objects.filter(code="commune-draft").exists()


def test_a_draft_changing_the_programme_of_published_sets_is_refused():
    import_criteria_text(STANDARD)
    draft = (
        _draft(STANDARD)
        .replace("end_year: 2025", "end_year: 2026")
        .replace("giai đoạn 2021 - 2025", "giai đoạn 2021 - 2026")
    )

    errors = _refused(draft)

    assert len(errors) == 1
    assert errors[0].startswith(f"Dòng {_line_of(draft, '  code: "2021-2025"')}: giai đoạn '2021-2025' đã có")
    assert "end_year: 2025 → 2026" in errors[0]
    programme = Programme.objects.get(code="2021-2025")
    assert (programme.end_year, programme.name.endswith("2021 - 2025")) == (2025, True)
    assert not CriteriaSet.objects.filter(code="commune-draft").exists()


def test_a_draft_reusing_shared_definitions_as_they_are_is_saved():
    import_criteria_text(STANDARD)
    criteria_set, outcome = import_criteria_text(_draft(STANDARD))
    assert (criteria_set.code, outcome) == ("commune-draft", "created")


def test_a_measure_only_drafts_read_can_still_be_redefined():
    import_criteria_text(_draft(STANDARD))
    import_criteria_text(_draft(STANDARD).replace("max: 2000", "max: 3000").replace("commune-draft", "other-draft"))
    assert Measure.objects.get(code="income_per_capita").max_value == Decimal("3000")


def test_a_measure_holding_monthly_figures_is_not_redefined(tree, district_user):
    import_criteria_text(_draft(STANDARD))
    # Figures entered while the set was in force; back to a draft, no published set reads the measure now.
    CriteriaSet.objects.filter(code="commune-draft").update(status="published")
    save_values(unit=tree.dak_pek, period=dt.date(2024, 5, 1), raw={"income_per_capita": "41,5"}, by=district_user)
    CriteriaSet.objects.filter(code="commune-draft").update(status="draft")

    errors = _refused(_draft(STANDARD).replace("max: 2000", "max: 100").replace("commune-draft", "other-draft"))

    assert "số liệu tháng đã lưu" in errors[0]
    assert Measure.objects.get(code="income_per_capita").max_value == Decimal("2000")


def test_yaml_aliases_are_refused_before_they_expand():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 10)}]\n" for n in range(8)
    )
    start = time.perf_counter()
    errors = _refused(bomb)
    assert errors == ["Dòng 2: tệp tiêu chí không dùng tham chiếu YAML (*a); hãy viết đầy đủ giá trị."]
    assert time.perf_counter() - start < 5  # refused at the first alias, not after expanding 10^9 items


def test_yaml_nested_too_deep_is_refused():
    assert _refused("[" * 20000 + "]" * 20000)[0].startswith("Tệp: ")


def test_text_over_the_size_limit_is_refused():
    assert _refused("# " + "x" * (2 * 1024 * 1024)) == ["Tệp: lớn quá 2 MB."]
