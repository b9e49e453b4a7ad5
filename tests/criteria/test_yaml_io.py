"""Criteria sets to and from YAML: import, round trip, refusals with the line, the commands, provincial copies."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from criteria.definitions import build_programme
from criteria.evaluation import UnitProfile, choose_threshold, evaluate_programme
from criteria.models import CriteriaSet, Criterion, Indicator, Measure, Programme, SetStatus, Threshold
from criteria.services import clone_set_for_province
from criteria.yaml_dump import dump_criteria_set
from criteria.yaml_io import CriteriaFileError, import_criteria_text, parse_criteria_yaml
from tests.criteria.samples import PROGRAMME, STANDARD

pytestmark = pytest.mark.django_db

ADVANCED = (
    PROGRAMME
    + """\
set:
  code: commune-advanced
  name: "Bộ tiêu chí xã NTM nâng cao (thử nghiệm)"
  level: commune
  tier: advanced
  rank: 2
  legal_basis: "319/QĐ-TTg"
  province: null
  derived_from: null
  status: draft
  description: "Nhiều dòng: mô tả
    dài"
measures:
  - code: income_per_capita
    name: "Thu nhập bình quân đầu người"
    name_en: "Income per person"
    kind: number
    unit: "triệu đồng/người/năm"
    min: 0
    max: 2000
    levels: []
  - code: security_rating
    name: "Xếp loại an ninh trật tự"
    name_en: ""
    kind: level
    unit: ""
    min: null
    max: null
    levels: ["yếu", "trung bình", "khá", "tốt"]
  - code: clean_water_rate
    name: "Tỷ lệ hộ dùng nước sạch"
    kind: percent
    unit: "%"
    min: 0
    max: 100
criteria:
  - number: 0
    name: "Đạt chuẩn xã NTM"
    kind: condition
    indicators:
      - code: "0.1"
        name: "Đã đạt chuẩn xã nông thôn mới"
        measure: null
        comparison: reached
        reference: commune-standard
        thresholds: []
  - number: 10
    name: "Thu nhập"
    key: true
    indicators:
      - code: "10.1"
        official_code: "10"
        name: "Thu nhập bình quân đầu người"
        measure: income_per_capita
        comparison: ">="
        note: "ghi chú"
        thresholds:
          - value: 60
            source: "minh họa"
          - value: 41.35
            region: TN
            year: 2024
            source: "minh họa TN 2024"
            verified: true
          - value: 55.5
            tdmnpb_rule: true
            source: "minh họa TDMNPB"
          - value: 70
            group: 2
            source: "minh họa nhóm 2"
  - number: 17
    name: "Nước sạch và an ninh"
    indicators:
      - code: "17.1"
        name: "Tỷ lệ hộ dùng nước sạch"
        measure: clean_water_rate
        comparison: ">"
        thresholds:
          - value: 79.5
            source: "minh họa"
      - code: "17.2"
        name: "An ninh trật tự"
        measure: security_rating
        comparison: ">="
        thresholds:
          - value: "khá"
            source: "minh họa"
"""
)

MODEL = (
    PROGRAMME
    + """\
set:
  code: commune-model
  name: "Xã NTM kiểu mẫu (thử nghiệm)"
  level: commune
  tier: model
  rank: 3
  status: draft
measures:
  - code: income_per_capita
    name: "Thu nhập bình quân đầu người"
    name_en: "Income per person"
    kind: number
    unit: "triệu đồng/người/năm"
    min: 0
    max: 2000
    levels: []
criteria:
  - number: 1
    name: "Đạt chuẩn nâng cao"
    indicators:
      - code: "1.1"
        name: "Đã đạt chuẩn xã NTM nâng cao"
        measure: null
        comparison: reached
        reference: commune-advanced
  - number: 2
    name: "Thu nhập cao hơn 10%"
    indicators:
      - code: "2.1"
        name: "Thu nhập cao hơn ít nhất 10% so với xã nâng cao"
        measure: income_per_capita
        comparison: ">="
        reference: commune-advanced/10.1
        multiplier: 1.1
        thresholds:
          - value: null
            source: "319/QĐ-TTg"
"""
)

PROVINCIAL = STANDARD.replace("  province: null\n", '  province: {code: "62", name: "Tỉnh Kon Tum"}\n').replace(
    "  derived_from: null\n", "  derived_from: commune-standard\n"
)

MODELS = (Programme, CriteriaSet, Criterion, Indicator, Threshold, Measure)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing needle, found independently of the importer."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[occurrence - 1]


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def threshold_values(criteria_set: CriteriaSet) -> list[tuple]:
    return list(
        Threshold.objects.filter(indicator__criterion__criteria_set=criteria_set)
        .order_by("indicator__criterion__number", "indicator__position", "pk")
        .values_list(
            "indicator__criterion__number",
            "indicator__code",
            "value",
            "level_value",
            "region",
            "tdmnpb_rule",
            "commune_group",
            "year",
            "source",
            "verified",
        )
    )


# ---------------------------------------------------------------- import


def test_import_of_the_sample_creates_the_set():
    criteria_set, outcome = import_criteria_text(STANDARD)

    assert outcome == "created"
    assert (criteria_set.code, criteria_set.level, criteria_set.tier, criteria_set.rank) == (
        "commune-standard",
        "commune",
        "standard",
        1,
    )
    assert criteria_set.status == SetStatus.PUBLISHED
    assert criteria_set.programme.code == "2021-2025"
    assert list(criteria_set.criteria.values_list("number", flat=True)) == [1, 10, 11]
    assert Criterion.objects.get(criteria_set=criteria_set, number=10).is_key is True
    assert counts() == {
        "Programme": 1,
        "CriteriaSet": 1,
        "Criterion": 3,
        "Indicator": 3,
        "Threshold": 5,
        "Measure": 3,
    }
    income = Indicator.objects.get(criterion__criteria_set=criteria_set, code="10.1")
    assert income.measure.code == "income_per_capita"
    assert list(income.thresholds.order_by("pk").values_list("value", "region", "year")) == [
        (Decimal(50), "", None),
        (Decimal(54), "TN", 2024),
        (Decimal(39), "TDMNPB", 2024),
    ]
    poverty = Threshold.objects.get(indicator__code="11.1")
    assert (poverty.value, poverty.verified, poverty.source) == (Decimal("6.5"), True, "minh họa")


def test_import_of_the_sample_judges_like_the_file_says():
    import_criteria_text(STANDARD)
    programme = build_programme("2021-2025")

    result = evaluate_programme(
        programme,
        UnitProfile(region="TN"),
        2024,
        {"plan_approved": True, "income_per_capita": 54, "poverty_rate": "6.5"},
    )

    assert result.tier == "standard"
    income = result.sets["commune-standard"].criteria[1].indicators[0]
    assert (income.threshold, income.basis, income.source) == (
        Decimal(54),
        "vùng Tây Nguyên, năm 2024",
        "minh họa TN 2024",
    )


def test_import_of_a_tier_that_refers_to_the_one_below():
    import_criteria_text(STANDARD)
    import_criteria_text(ADVANCED)
    _, outcome = import_criteria_text(MODEL)

    assert outcome == "created"
    model_income = Indicator.objects.get(criterion__criteria_set__code="commune-model", code="2.1")
    assert (model_income.reference, model_income.multiplier) == ("commune-advanced/10.1", Decimal("1.1"))
    result = evaluate_programme(
        build_programme("2021-2025"),
        UnitProfile(region="TN"),
        2024,
        {
            "plan_approved": True,
            "income_per_capita": 60,
            "poverty_rate": 3,
            "clean_water_rate": 80,
            "security_rating": "khá",
        },
    )
    assert result.tier == "model"
    income = result.sets["commune-model"].criteria[1].indicators[0]
    assert abs(income.threshold - Decimal("45.485")) <= Decimal("0.005")  # 110% of the advanced TN 2024 row
    assert income.basis.startswith("110% ngưỡng của Bộ tiêu chí xã NTM nâng cao (thử nghiệm) (vùng Tây Nguyên")


def test_import_of_unchanged_text_says_unchanged():
    import_criteria_text(STANDARD)
    before = counts()

    criteria_set, outcome = import_criteria_text(STANDARD)

    assert outcome == "unchanged"
    assert criteria_set.code == "commune-standard"
    assert counts() == before


def test_import_of_its_own_export_says_unchanged():
    criteria_set, _ = import_criteria_text(STANDARD)

    assert import_criteria_text(dump_criteria_set(criteria_set))[1] == "unchanged"


def test_import_replaces_a_draft():
    draft = STANDARD.replace("status: published", "status: draft")
    import_criteria_text(draft)
    before = counts()

    criteria_set, outcome = import_criteria_text(draft.replace("value: 6.5", "value: 5"))

    assert outcome == "replaced"
    assert counts() == before
    assert Threshold.objects.get(indicator__criterion__criteria_set=criteria_set, indicator__code="11.1").value == 5
    assert CriteriaSet.objects.get().pk == criteria_set.pk


def test_import_may_publish_a_draft():
    import_criteria_text(STANDARD.replace("status: published", "status: draft"))

    criteria_set, outcome = import_criteria_text(STANDARD)

    assert outcome == "replaced"
    assert criteria_set.status == SetStatus.PUBLISHED


def test_import_refuses_to_replace_a_published_set_and_saves_nothing():
    criteria_set, _ = import_criteria_text(STANDARD)
    exported = dump_criteria_set(criteria_set)
    before = counts()
    changed = STANDARD.replace("value: 6.5", "value: 5").replace("Nghị quyết 25/2021/QH15", "Nghị quyết khác")

    with pytest.raises(CriteriaFileError) as exc_info:
        import_criteria_text(changed)

    assert exc_info.value.errors == [
        "Dòng 1: bộ tiêu chí 'commune-standard' giai đoạn 2021-2025 đã ban hành nên không thể thay thế. "
        "Hãy nhập dưới dạng dự thảo với mã khác, hoặc chuyển bộ hiện có về dự thảo trong trang quản trị."
    ]
    assert counts() == before
    assert dump_criteria_set(criteria_set) == exported
    assert Programme.objects.get().legal_basis == "Nghị quyết 25/2021/QH15; Quyết định 263/QĐ-TTg (22/02/2022)"


def test_published_provincial_set_refusal_names_the_province():
    import_criteria_text(STANDARD)
    import_criteria_text(PROVINCIAL)

    with pytest.raises(CriteriaFileError) as exc_info:
        import_criteria_text(PROVINCIAL.replace("value: 6.5", "value: 4"))

    assert exc_info.value.errors[0].startswith(
        "Dòng 1: bộ tiêu chí 'commune-standard' của tỉnh 62 giai đoạn 2021-2025 đã ban hành"
    )


def test_import_of_a_provincial_set_links_the_national_one():
    national, _ = import_criteria_text(STANDARD)

    provincial, outcome = import_criteria_text(PROVINCIAL)

    assert outcome == "created"
    assert (provincial.province_code, provincial.province_name, provincial.derived_from) == (
        "62",
        "Tỉnh Kon Tum",
        national,
    )
    assert CriteriaSet.objects.count() == 2


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize(
    "texts", [[STANDARD], [STANDARD, ADVANCED], [STANDARD, ADVANCED, MODEL], [STANDARD, PROVINCIAL]]
)
def test_export_import_export_gives_the_same_text(texts):
    for text in texts:
        criteria_set, _ = import_criteria_text(text)
    first = dump_criteria_set(criteria_set)
    before = counts()

    criteria_set.delete()
    again, outcome = import_criteria_text(first)

    assert outcome == "created"
    assert again.pk != criteria_set.pk
    assert dump_criteria_set(again) == first
    assert counts() == before


def test_export_keeps_every_field_of_the_file():
    import_criteria_text(STANDARD)
    criteria_set, _ = import_criteria_text(ADVANCED)

    exported = parse_criteria_yaml(dump_criteria_set(criteria_set))
    original = parse_criteria_yaml(ADVANCED)

    def without_lines(parsed):
        return (
            [{k: v for k, v in m.items() if k != "line"} for m in sorted(parsed.measures, key=lambda m: m["code"])],
            [
                {
                    **c,
                    "indicators": [{k: v for k, v in i.items() if k != "line"} for i in c["indicators"]],
                }
                for c in parsed.criteria
            ],
        )

    assert exported.set == original.set
    assert exported.programme == original.programme
    assert without_lines(exported) == without_lines(original)


def _import_or_errors(text) -> tuple[CriteriaSet | None, list[str]]:
    try:
        criteria_set, _ = import_criteria_text(text)
    except CriteriaFileError as exc:
        return None, exc.errors
    return criteria_set, []


def test_five_decimal_threshold_is_either_refused_or_kept_exactly():
    # The database keeps 4 decimals: a file with more must be refused with its line, never silently rounded
    # (a published set imported twice from the same file would then be refused as 'changed').
    text = STANDARD.replace("value: 6.5", "value: 6.12345")

    criteria_set, errors = _import_or_errors(text)

    if errors:
        assert errors[0].startswith(f"Dòng {line_of(text, 'value: 6.12345')}: ")
        assert counts()["CriteriaSet"] == 0
        return
    stored = Threshold.objects.get(indicator__criterion__criteria_set=criteria_set, indicator__code="11.1").value
    assert stored == Decimal("6.12345")
    assert import_criteria_text(text)[1] == "unchanged"


def test_threshold_too_large_for_the_database_is_either_refused_or_read_back():
    # Thresholds are DecimalField(max_digits=14, decimal_places=4): at most 10 digits before the point.
    text = STANDARD.replace("    max: 2000\n", "    max: null\n", 1).replace("value: 50\n", "value: 12345678901\n")

    criteria_set, errors = _import_or_errors(text)

    if errors:
        assert errors[0].startswith(f"Dòng {line_of(text, 'value: 12345678901')}: ")
        assert counts()["CriteriaSet"] == 0
        return
    # Accepted: then the set must still be readable (export, evaluation).
    assert "value: 12345678901" in dump_criteria_set(criteria_set)
    assert _income(build_programme("2021-2025")).thresholds[0].value == Decimal(12345678901)


def _income(programme):
    return programme.set("commune-standard").criteria[1].indicators[0]


# ---------------------------------------------------------------- malformed files


def _case(name, text, *messages):
    return pytest.param(text, list(messages), id=name)


def _malformed():
    s = STANDARD
    cases = []

    text = replace_once(s, "  code: commune-standard", "  code: [commune-standard")
    cases.append(
        _case(
            "yaml-syntax",
            text,
            f"Dòng {line_of(text, 'code: [commune-standard') + 1}: không đọc được YAML "
            "(expected ',' or ']', but got ':').",
        )
    )

    text = replace_once(s, '  name: "Bộ tiêu chí xã NTM (thử nghiệm)"', '  name: "Bộ tiêu chí xã NTM (thử nghiệm)')
    cases.append(
        _case(
            "unclosed-quote",  # the quoted text runs on to the next quote, where PyYAML notices
            text,
            f"Dòng {line_of(text, 'legal_basis: "318')}: không đọc được YAML "
            "(expected <block end>, but found '<scalar>').",
        )
    )

    cases.append(_case("empty", "", "Tệp: tệp rỗng."))
    cases.append(_case("blank", "  \n\n", "Tệp: tệp rỗng."))
    cases.append(
        _case(
            "comments-only",
            "# chỉ có chú thích\n",
            "Dòng 1: tệp phải là một bảng với các khóa programme, set, measures, criteria.",
        )
    )
    cases.append(
        _case(
            "not-a-mapping",
            "- programme\n- set\n",
            "Dòng 1: tệp phải là một bảng với các khóa programme, set, measures, criteria.",
        )
    )

    text = replace_once(s, '  legal_basis: "318/QĐ-TTg"', '  legal_bassis: "318/QĐ-TTg"')
    cases.append(
        _case(
            "unknown-key",
            text,
            f"Dòng {line_of(text, 'legal_bassis')}: khóa 'legal_bassis' không có trong định dạng (set).",
        )
    )

    text = replace_once(s, "  code: commune-standard\n", "")
    cases.append(
        _case("missing-set-code", text, f"Dòng {line_of(text, 'Bộ tiêu chí xã NTM (thử nghiệm)')}: set thiếu 'code'.")
    )

    text = replace_once(s, "level: commune", "level: hamlet")
    cases.append(
        _case(
            "bad-level",
            text,
            f"Dòng {line_of(text, 'level: hamlet')}: 'level' của set là 'hamlet', "
            "phải là một trong: commune, village, district, province.",
        )
    )

    text = replace_once(s, "tier: standard", "tier: gold")
    cases.append(
        _case(
            "bad-tier",
            text,
            f"Dòng {line_of(text, 'tier: gold')}: 'tier' của set là 'gold', "
            "phải là một trong: standard, advanced, model, smart, modern, complete.",
        )
    )

    text = replace_once(s, "region: TN", "region: TayNguyen")
    cases.append(
        _case(
            "bad-region",
            text,
            f"Dòng {line_of(text, 'region: TayNguyen')}: 'region' của chỉ tiêu '10.1' là 'TayNguyen', "
            "phải là một trong: TDMNPB, DBSH, BTB, DHNTB, TN, DNB, DBSCL.",
        )
    )

    text = replace_once(s, "number: 11", "number: 10")
    cases.append(
        _case(
            "duplicated-criterion-number",
            text,
            f"Dòng {line_of(text, 'number: 10', 2)}: tiêu chí số 10 bị lặp lại.",
        )
    )

    text = replace_once(s, 'code: "11.1"', 'code: "10.1"')
    cases.append(
        _case(
            "duplicated-indicator-code",
            text,
            f"Dòng {line_of(text, 'code: "10.1"', 2)}: mã chỉ tiêu '10.1' bị lặp lại trong bộ tiêu chí.",
        )
    )

    text = replace_once(s, "comparison: achieved", 'comparison: ">="')
    cases.append(
        _case(
            "boolean-compared-as-number",
            text,
            f"Dòng {line_of(text, 'comparison: ">="')}: chỉ tiêu '1.1': số liệu có/không không so sánh như số; "
            "dùng 'comparison: achieved'.",
            f"Dòng {line_of(text, 'value: null')}: chỉ tiêu '1.1': ngưỡng phải có 'value' là số.",
        )
    )

    text = replace_once(s, 'comparison: "<="', "comparison: achieved")
    cases.append(
        _case(
            "achieved-on-a-number",
            text,
            f"Dòng {line_of(text, 'comparison: achieved', 2)}: chỉ tiêu '11.1': "
            "'achieved' chỉ dùng với số liệu kiểu boolean.",
            f"Dòng {line_of(text, 'value: 6.5')}: chỉ tiêu '11.1': so sánh 'achieved' không có giá trị ngưỡng "
            "(value: null).",
        )
    )

    text = replace_once(s, "measure: poverty_rate", "measure: poverty_ratio")
    cases.append(
        _case(
            "measure-not-declared",
            text,
            f"Dòng {line_of(text, 'measure: poverty_ratio')}: chỉ tiêu '11.1' dùng số liệu 'poverty_ratio' "
            "chưa khai báo trong 'measures'.",
            f"Dòng {line_of(text, '- code: poverty_rate')}: số liệu 'poverty_rate' không được chỉ tiêu nào dùng.",
        )
    )

    text = replace_once(
        s,
        "criteria:\n",
        '  - code: forest_cover\n    name: "Tỷ lệ che phủ rừng"\n    kind: percent\n    min: 0\n    max: 100\n'
        "criteria:\n",
    )
    cases.append(
        _case(
            "measure-unused",
            text,
            f"Dòng {line_of(text, '- code: forest_cover')}: số liệu 'forest_cover' không được chỉ tiêu nào dùng.",
        )
    )

    text = replace_once(s, "value: 6.5", "value: 140")
    cases.append(
        _case(
            "threshold-out-of-range",
            text,
            f"Dòng {line_of(text, 'value: 140')}: chỉ tiêu '11.1': ngưỡng 140 nằm ngoài khoảng hợp lệ "
            "của số liệu 'poverty_rate' (0–100).",
        )
    )

    text = replace_once(s, "value: 6.5", "value: -1")
    cases.append(
        _case(
            "threshold-negative-percent",
            text,
            f"Dòng {line_of(text, 'value: -1')}: chỉ tiêu '11.1': ngưỡng -1 nằm ngoài khoảng hợp lệ "
            "của số liệu 'poverty_rate' (0–100).",
        )
    )

    text = replace_once(s, "value: 6.5", 'value: "sáu phẩy năm"')
    cases.append(
        _case(
            "threshold-not-a-number",
            text,
            f"Dòng {line_of(text, 'sáu phẩy năm')}: 'value' của chỉ tiêu '11.1' phải là số, không phải 'sáu phẩy năm'.",
        )
    )

    text = replace_once(s, "value: 6.5", "value: true")
    cases.append(
        _case(
            "threshold-boolean-value",
            text,
            f"Dòng {line_of(text, 'value: true')}: 'value' của chỉ tiêu '11.1' phải là số.",
        )
    )

    text = replace_once(s, "kind: percent", "kind: level")
    cases.append(
        _case(
            "level-without-levels",
            text,
            f"Dòng {line_of(text, '- code: poverty_rate')}: measure 'poverty_rate' kiểu 'level' phải liệt kê "
            "các mức trong 'levels'.",
            f"Dòng {line_of(text, 'value: 6.5')}: chỉ tiêu '11.1': mức '6.5' không có trong 'levels'.",
        )
    )

    text = replace_once(s, "  rank: 1\n", "  rank: 1\n  rank: 2\n")
    cases.append(_case("duplicated-key", text, f"Dòng {line_of(text, 'rank: 2')}: khóa 'rank' bị lặp lại."))

    cases.append(
        _case(
            "not-utf-8",
            STANDARD.replace("Thu nhập", "Thu nh\u1eadp").encode("cp1258", errors="replace"),
            "Tệp: không phải văn bản UTF-8 (hãy lưu tệp YAML với bảng mã UTF-8).",
        )
    )

    text = replace_once(s, "  province: null\n", '  province: {code: "6", name: "Tỉnh Kon Tum"}\n')
    cases.append(
        _case(
            "bad-province-code",
            text,
            f"Dòng {line_of(text, 'province: {')}: mã tỉnh '6' phải gồm 2 chữ số (mã GSO).",
        )
    )

    text = replace_once(s, "multiplier: null", "multiplier: 1.1")
    cases.append(
        _case(
            "multiplier-without-indicator-reference",
            text,
            f"Dòng {line_of(text, 'multiplier: 1.1')}: chỉ tiêu '1.1': 'multiplier' cần 'reference' dạng "
            "'mã-bộ/mã-chỉ-tiêu'.",
        )
    )

    text = replace_once(s, "  rank: 1\n", "  rank: first\n")
    cases.append(
        _case(
            "rank-not-an-integer",
            text,
            f"Dòng {line_of(text, 'rank: first')}: 'rank' của set phải là số nguyên từ 1 trở lên.",
        )
    )
    return cases


@pytest.fixture
def other_sets():
    """Something already in the database, so that 'nothing saved' is not merely 'still empty'."""
    import_criteria_text(
        STANDARD.replace("code: commune-standard", "code: village-standard").replace("level: commune", "level: village")
    )
    return counts()


@pytest.mark.parametrize(("text", "messages"), _malformed())
def test_malformed_file_is_refused_with_its_line_and_nothing_is_saved(other_sets, text, messages):
    with pytest.raises(CriteriaFileError) as exc_info:
        import_criteria_text(text)

    assert exc_info.value.errors == messages
    assert counts() == other_sets


def test_reached_naming_a_set_not_yet_imported_is_refused_and_nothing_is_saved(other_sets):
    with pytest.raises(CriteriaFileError) as exc_info:
        import_criteria_text(ADVANCED)

    assert exc_info.value.errors == [
        f"Dòng {line_of(ADVANCED, 'code: "0.1"')}: chỉ tiêu '0.1' tham chiếu bộ tiêu chí 'commune-standard' "
        "chưa có trong giai đoạn 2021-2025 (hãy nhập bộ đó trước)."
    ]
    assert counts() == other_sets


BASIC = (
    PROGRAMME
    + """\
set:
  code: commune-basic
  name: "Bộ thử"
  level: commune
  tier: standard
  rank: 1
criteria:
  - number: 1
    name: "Đạt mức khác"
    indicators:
      - code: "1.1"
        name: "Đạt mức khác"
        comparison: reached
        reference: commune-advanced
"""
)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(BASIC, id="higher-rank"),
        pytest.param(BASIC.replace("level: commune", "level: village").replace("rank: 1", "rank: 5"), id="other-level"),
    ],
)
def test_reached_naming_a_higher_tier_or_another_level_is_refused(text):
    import_criteria_text(STANDARD)
    import_criteria_text(ADVANCED)
    before = counts()

    with pytest.raises(CriteriaFileError) as exc_info:
        import_criteria_text(text)

    assert exc_info.value.errors == [
        f"Dòng {line_of(text, 'code: "1.1"')}: chỉ tiêu '1.1' chỉ được tham chiếu bộ tiêu chí "
        "cùng cấp và có thứ bậc thấp hơn."
    ]
    assert counts() == before


def test_key_that_is_a_list_is_a_line_error_not_a_crash(other_sets):
    text = replace_once(STANDARD, "  rank: 1\n", "  rank: 1\n  ? [a, b]\n  : c\n")

    with pytest.raises(CriteriaFileError) as exc_info:
        import_criteria_text(text)

    assert exc_info.value.errors[0].startswith(f"Dòng {line_of(text, '? [a, b]')}: ")
    assert counts() == other_sets


def test_file_over_2_mb_is_refused():
    with pytest.raises(CriteriaFileError) as exc_info:
        import_criteria_text(STANDARD.encode() + b"#" * (2 * 1024 * 1024))

    assert exc_info.value.errors == ["Tệp: lớn quá 2 MB."]


def test_every_problem_of_a_file_is_listed_at_once():
    text = STANDARD.replace("level: commune", "level: hamlet").replace("value: 6.5", "value: 140")

    with pytest.raises(CriteriaFileError) as exc_info:
        parse_criteria_yaml(text)

    assert [e.split(":")[0] for e in exc_info.value.errors] == [
        f"Dòng {line_of(text, 'level: hamlet')}",
        f"Dòng {line_of(text, 'value: 140')}",
    ]


# ---------------------------------------------------------------- commands


def test_import_command_loads_files_lowest_rank_first(tmp_path):
    paths = []
    for name, text in [("model.yaml", MODEL), ("advanced.yaml", ADVANCED), ("standard.yaml", STANDARD)]:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    out = StringIO()

    call_command("import_criteria", *paths, stdout=out)

    assert out.getvalue().splitlines() == [
        "2021-2025 · commune-standard: 3 tiêu chí, 3 chỉ tiêu — đã tạo",
        "2021-2025 · commune-advanced: 3 tiêu chí, 4 chỉ tiêu — đã tạo",
        "2021-2025 · commune-model: 2 tiêu chí, 2 chỉ tiêu — đã tạo",
    ]


def test_import_command_says_unchanged_the_second_time(tmp_path):
    path = tmp_path / "standard.yaml"
    path.write_text(STANDARD, encoding="utf-8")
    call_command("import_criteria", str(path), stdout=StringIO())
    out = StringIO()

    call_command("import_criteria", str(path), stdout=out)

    assert out.getvalue() == "2021-2025 · commune-standard: 3 tiêu chí, 3 chỉ tiêu — không thay đổi\n"


def test_import_command_names_the_file_and_line_and_loads_nothing(tmp_path):
    good = tmp_path / "standard.yaml"
    good.write_text(STANDARD, encoding="utf-8")
    bad = tmp_path / "advanced.yaml"
    bad_text = ADVANCED.replace("tier: advanced", "tier: better")
    bad.write_text(bad_text, encoding="utf-8")

    with pytest.raises(CommandError) as exc_info:
        call_command("import_criteria", str(good), str(bad), str(tmp_path / "missing.yaml"), stdout=StringIO())

    assert str(exc_info.value) == (
        "Không nạp gì.\n"
        f"{bad}: Dòng {line_of(bad_text, 'tier: better')}: 'tier' của set là 'better', "
        "phải là một trong: standard, advanced, model, smart, modern, complete.\n"
        f"{tmp_path / 'missing.yaml'}: không tìm thấy tệp."
    )
    assert counts() == dict.fromkeys(counts(), 0)


def test_import_command_rolls_back_every_file_when_one_is_refused_on_save(tmp_path):
    import_criteria_text(STANDARD)
    before = counts()
    advanced = tmp_path / "advanced.yaml"
    advanced.write_text(ADVANCED, encoding="utf-8")
    changed = tmp_path / "standard.yaml"
    changed.write_text(STANDARD.replace("value: 6.5", "value: 5"), encoding="utf-8")

    with pytest.raises(CommandError) as exc_info:
        call_command("import_criteria", str(advanced), str(changed), stdout=StringIO())

    assert str(exc_info.value).startswith("Không nạp gì.\nDòng 1: bộ tiêu chí 'commune-standard' giai đoạn 2021-2025")
    assert counts() == before


def test_export_command_prints_the_set(tmp_path):
    criteria_set, _ = import_criteria_text(STANDARD)
    out = StringIO()

    call_command("export_criteria", "--programme", "2021-2025", "--set", "commune-standard", stdout=out)

    assert out.getvalue() == dump_criteria_set(criteria_set)
    assert parse_criteria_yaml(out.getvalue()).set["code"] == "commune-standard"


def test_export_command_writes_a_file_that_imports_as_unchanged(tmp_path):
    import_criteria_text(STANDARD)
    path = tmp_path / "out.yaml"
    out = StringIO()

    call_command(
        "export_criteria", "--programme", "2021-2025", "--set", "commune-standard", "-o", str(path), stdout=out
    )

    assert out.getvalue() == f"Đã ghi {path}.\n"
    assert import_criteria_text(path.read_bytes())[1] == "unchanged"


def test_export_command_of_a_provincial_set():
    import_criteria_text(STANDARD)
    provincial, _ = import_criteria_text(PROVINCIAL)
    out = StringIO()

    call_command(
        "export_criteria", "--programme", "2021-2025", "--set", "commune-standard", "--province", "62", stdout=out
    )

    assert out.getvalue() == dump_criteria_set(provincial)
    assert "  province:\n    code: '62'\n    name: Tỉnh Kon Tum\n  derived_from: commune-standard\n" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "commune-nope"], "Không có bộ tiêu chí 'commune-nope' trong giai đoạn '2021-2025'."),
        (
            ["--set", "commune-standard", "--province", "64"],
            "Không có bộ tiêu chí 'commune-standard' trong giai đoạn '2021-2025' của tỉnh 64.",
        ),
    ],
)
def test_export_command_of_an_unknown_set(args, message):
    import_criteria_text(STANDARD)

    with pytest.raises(CommandError) as exc_info:
        call_command("export_criteria", "--programme", "2021-2025", *args, stdout=StringIO())

    assert str(exc_info.value) == message


# ---------------------------------------------------------------- provincial copies


def test_clone_for_a_province_is_a_draft_copy_with_the_national_thresholds():
    national, _ = import_criteria_text(STANDARD)

    clone = clone_set_for_province(criteria_set=national, province_code="62", province_name="Tỉnh Kon Tum")

    assert clone.pk != national.pk
    assert (clone.code, clone.province_code, clone.province_name) == ("commune-standard", "62", "Tỉnh Kon Tum")
    assert clone.status == SetStatus.DRAFT
    assert clone.derived_from == national
    assert clone.name == "Bộ tiêu chí xã NTM (thử nghiệm) (Tỉnh Kon Tum)"
    assert sorted(threshold_values(clone), key=str) == sorted(threshold_values(national), key=str)
    assert len(threshold_values(clone)) == 5
    assert list(clone.criteria.values_list("number", "is_key")) == list(
        national.criteria.values_list("number", "is_key")
    )
    # The national set is untouched.
    assert national.criteria.count() == 3
    assert Threshold.objects.count() == 10


def test_second_clone_for_the_same_province_is_refused():
    national, _ = import_criteria_text(STANDARD)
    clone_set_for_province(criteria_set=national, province_code="62", province_name="Tỉnh Kon Tum")
    before = counts()

    with pytest.raises(ValueError, match="^Tỉnh Kon Tum đã có bộ tiêu chí 'commune-standard' của giai đoạn này.$"):
        clone_set_for_province(criteria_set=national, province_code="62", province_name="Tỉnh Kon Tum")

    assert counts() == before


def test_a_provincial_set_cannot_be_cloned():
    national, _ = import_criteria_text(STANDARD)
    clone = clone_set_for_province(criteria_set=national, province_code="62", province_name="Tỉnh Kon Tum")

    with pytest.raises(ValueError, match="^Chỉ nhân bản được bộ tiêu chí quốc gia.$"):
        clone_set_for_province(criteria_set=clone, province_code="64", province_name="Tỉnh Gia Lai")


def _poverty(programme):
    return programme.set("commune-standard").criteria[2].indicators[0]


def test_provincial_set_wins_for_its_province_only():
    national, _ = import_criteria_text(STANDARD)
    clone = clone_set_for_province(criteria_set=national, province_code="62", province_name="Tỉnh Kon Tum")
    Threshold.objects.filter(indicator__criterion__criteria_set=clone, indicator__code="11.1").update(value=4)
    clone.status = SetStatus.PUBLISHED
    clone.save()
    values = {"plan_approved": True, "income_per_capita": 60, "poverty_rate": 5}

    kon_tum = build_programme("2021-2025", "62")
    gia_lai = build_programme("2021-2025", "64")

    assert kon_tum.set("commune-standard").province_code == "62"
    assert _poverty(kon_tum).thresholds[0].value == 4
    assert gia_lai.set("commune-standard").province_code == ""
    assert _poverty(gia_lai).thresholds[0].value == Decimal("6.5")
    assert build_programme("2021-2025").set("commune-standard").province_code == ""

    in_kon_tum = evaluate_programme(kon_tum, UnitProfile(region="TN", province_code="62"), 2024, values)
    in_gia_lai = evaluate_programme(gia_lai, UnitProfile(region="TN", province_code="64"), 2024, values)
    poverty = in_kon_tum.sets["commune-standard"].criteria[2].indicators[0]
    assert (poverty.threshold, poverty.met) == (4, False)
    assert poverty.basis == "bộ tiêu chí của Tỉnh Kon Tum: mọi vùng"
    assert in_kon_tum.tier is None
    assert in_gia_lai.tier == "standard"


def test_provincial_draft_judges_nobody_yet():
    national, _ = import_criteria_text(STANDARD)
    clone = clone_set_for_province(criteria_set=national, province_code="62", province_name="Tỉnh Kon Tum")
    Threshold.objects.filter(indicator__criterion__criteria_set=clone, indicator__code="11.1").update(value=4)

    kon_tum = build_programme("2021-2025", "62")

    assert kon_tum.set("commune-standard").province_code == ""
    assert _poverty(kon_tum).thresholds[0].value == Decimal("6.5")


def test_clone_keeps_the_order_of_the_thresholds_and_judges_like_the_national_set():
    # Two rows equally specific for a Tây Nguyên commune in 2024 (one by region, one by year): the engine takes
    # the first in the set's order, so a copy that reorders the rows would judge differently.
    text = STANDARD.replace(
        "          - value: 54\n            region: TN\n            tdmnpb_rule: null\n            group: null\n"
        "            year: 2024\n",
        "          - value: 54\n            region: null\n            tdmnpb_rule: null\n            group: null\n"
        "            year: 2024\n",
    ).replace(
        "          - value: 39\n            region: TDMNPB\n            tdmnpb_rule: null\n            group: null\n"
        "            year: 2024\n",
        "          - value: 45\n            region: TN\n            tdmnpb_rule: null\n            group: null\n"
        "            year: null\n",
    )
    national, _ = import_criteria_text(text)
    clone = clone_set_for_province(criteria_set=national, province_code="62", province_name="Tỉnh Kon Tum")
    clone.status = SetStatus.PUBLISHED
    clone.save()

    national_income = _income(build_programme("2021-2025"))
    provincial_income = _income(build_programme("2021-2025", "62"))
    profile = UnitProfile(region="TN")
    assert choose_threshold(provincial_income.thresholds, profile, 2024) == choose_threshold(
        national_income.thresholds, profile, 2024
    )
    assert threshold_values(clone) == threshold_values(national)
