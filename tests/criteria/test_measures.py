"""What a measure accepts (criteria.measures), and the three places a person types a value reading it alike:
the entry form's service, the Excel upload and the what-if page."""

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from criteria.evaluation import MeasureDef, Outcome
from criteria.measures import (
    InvalidValue,
    allowed_range,
    coerce_typed,
    coerce_value,
    parse_boolean,
    range_text,
)
from criteria.models import Measure
from criteria.yaml_io import import_criteria_text
from monthly.excel import SHEET_DATA, UploadError, district_month, read_upload
from monthly.excel_template import export_template
from monthly.services import validate_values
from tests.criteria.samples import STANDARD

D = Decimal


def measure_def(kind: str, low=None, high=None, levels=()) -> MeasureDef:
    return MeasureDef("m", "Số liệu", kind, "", low, high, tuple(levels))


def measure_row(kind: str, low=None, high=None, levels=()) -> Measure:
    return Measure(code="m", name="Số liệu", kind=kind, min_value=low, max_value=high, levels=list(levels))


# Every rule reads a database row and an engine definition alike.
both_shapes = pytest.mark.parametrize("build", [measure_def, measure_row], ids=["MeasureDef", "Measure"])


# ---------------------------------------------------------------- ranges


@both_shapes
def test_a_percent_is_0_to_100_unless_the_measure_says_otherwise(build):
    assert allowed_range(build("percent")) == (0, 100)
    assert allowed_range(build("percent", high=D(50))) == (0, 50)
    assert allowed_range(build("percent", low=D(-10), high=D(200))) == (-10, 200)


@both_shapes
def test_numbers_and_counts_have_no_default_range(build):
    assert allowed_range(build("number")) == (None, None)
    assert allowed_range(build("count", low=D(0))) == (0, None)


@both_shapes
@pytest.mark.parametrize(
    ("kind", "low", "high", "text"),
    [
        ("number", D(0), D(2000), "0 – 2000"),
        ("number", D("0.5"), D("1.25"), "0,5 – 1,25"),
        ("number", D(0), None, "từ 0"),
        ("number", None, D(5), "đến 5"),
        ("number", None, None, ""),
        ("percent", None, None, "0 – 100"),
        ("percent", None, D(50), "0 – 50"),
        ("count", D(0), None, "từ 0"),
        ("boolean", None, None, ""),
        ("level", None, None, ""),
    ],
)
def test_range_text_for_each_kind(build, kind, low, high, text):
    assert range_text(build(kind, low, high, levels=("yếu", "khá"))) == text


# ---------------------------------------------------------------- yes/no words


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("Có", True),
        ("có", True),
        ("CÓ", True),
        ("co", True),
        (unicodedata.normalize("NFD", "có"), True),  # the accent typed as a combining mark
        (" có ", True),
        ("true", True),
        ("True", True),
        ("1", True),
        ("Không", False),
        ("KHÔNG", False),
        ("khong", False),
        ("false", False),
        ("FALSE", False),
        ("0", False),
    ],
)
def test_yes_no_words_are_read_whatever_the_case_and_diacritics(text, meaning):
    assert parse_boolean(text) is meaning


@pytest.mark.parametrize("text", ["có lẽ", "cố", "x", "yes", "đúng", "2", "", "1.0"])
def test_other_words_are_not_yes_or_no(text):
    assert parse_boolean(text) is None


# ---------------------------------------------------------------- coercion


@both_shapes
@pytest.mark.parametrize(
    ("kind", "typed", "value"),
    [
        ("number", "3,5", D("3.5")),
        ("number", "3.5", D("3.5")),
        ("number", " 1200 ", D(1200)),
        ("percent", "85", D(85)),
        ("percent", "12,5 %", D("12.5")),
        ("count", "3.0", D(3)),
        ("boolean", "Có", True),
        ("boolean", "khong", False),
        ("level", " khá ", "khá"),
        ("number", "  ", None),
        ("number", None, None),
    ],
)
def test_typed_text_becomes_the_measures_value(build, kind, typed, value):
    assert coerce_typed(build(kind, levels=("yếu", "khá")), typed) == value


@both_shapes
@pytest.mark.parametrize(
    ("kind", "typed", "reason"),
    [
        ("percent", "140", "140 lớn hơn giá trị lớn nhất cho phép (100)"),
        ("percent", "-1", "-1 nhỏ hơn giá trị nhỏ nhất cho phép (0)"),
        ("percent", "100,5", "100,5 lớn hơn giá trị lớn nhất cho phép (100)"),
        ("number", "năm mươi", "'năm mươi' không phải là số"),
        ("number", "nan", "'nan' không phải là số"),
        ("count", "2,5", "2,5 không phải số nguyên"),
        ("boolean", "có lẽ", "'có lẽ' không phải giá trị có/không"),
        ("level", "giỏi", "'giỏi' không phải một mức hợp lệ (yếu, khá)"),
    ],
)
def test_typed_text_the_measure_cannot_hold_is_refused_with_its_reason(build, kind, typed, reason):
    with pytest.raises(InvalidValue) as refused:
        coerce_typed(build(kind, levels=("yếu", "khá")), typed)
    assert str(refused.value) == reason


@both_shapes
def test_the_measures_own_bounds_are_checked(build):
    measure = build("number", low=D(0), high=D(2000))
    assert coerce_value(measure, D(2000)) == 2000
    with pytest.raises(InvalidValue, match=r"^2500 lớn hơn giá trị lớn nhất cho phép \(2000\)$"):
        coerce_value(measure, "2500")


def test_the_engine_takes_only_true_and_false_for_a_yes_no_measure():
    # Words are read where a person types them (coerce_typed); the engine's values are already typed.
    measure = measure_def("boolean")
    assert coerce_value(measure, True) is True
    for raw in ("có", "true", 1):
        with pytest.raises(InvalidValue, match="không phải giá trị có/không"):
            coerce_value(measure, raw)
    with pytest.raises(InvalidValue, match="^giá trị có/không không dùng được cho số liệu dạng số$"):
        coerce_value(measure_def("number"), True)


# ---------------------------------------------------------------- the same typed text, wherever it is typed


@dataclass(frozen=True)
class Refused:
    reason: str


# STANDARD's measures: income_per_capita (number 0-2000), poverty_rate (percent 0-100), plan_approved (yes/no).
TYPED = [
    ("income_per_capita", "52,5", D("52.5")),
    ("income_per_capita", " 52.5 ", D("52.5")),
    ("income_per_capita", "năm mươi", Refused("'năm mươi' không phải là số")),
    ("income_per_capita", "2500", Refused("2500 lớn hơn giá trị lớn nhất cho phép (2000)")),
    ("poverty_rate", "12,5 %", D("12.5")),
    ("poverty_rate", "-1", Refused("-1 nhỏ hơn giá trị nhỏ nhất cho phép (0)")),
    ("plan_approved", "Có", True),
    ("plan_approved", "khong", False),
    ("plan_approved", "TRUE", True),
    ("plan_approved", "0", False),
    ("plan_approved", "có lẽ", Refused("'có lẽ' không phải giá trị có/không")),
]
typed_cases = pytest.mark.parametrize(("code", "typed", "expected"), TYPED, ids=[f"{c}={t!r}" for c, t, _e in TYPED])
PERIOD = dt.date(2024, 5, 1)


@pytest.fixture
def standard(db):
    import_criteria_text(STANDARD)


def assert_read_as(expected, value=None, error: str | None = None):
    if isinstance(expected, Refused):
        assert error is not None
        assert expected.reason in error
    else:
        assert error is None
        assert value == expected
        assert type(value) is type(expected)


@typed_cases
def test_entry_form_service_reads_typed_text(standard, code, typed, expected):
    values, errors = validate_values({code: Measure.objects.get(code=code)}, {code: typed})
    assert_read_as(expected, values.get(code), errors.get(code))


@typed_cases
def test_excel_upload_reads_typed_text(standard, tree, code, typed, expected):
    month = district_month(tree.dak_glei, PERIOD)
    workbook = load_workbook(io.BytesIO(export_template(district=tree.dak_glei, period=PERIOD)[2]))
    sheet = workbook[SHEET_DATA]
    column = next(cell.column for cell in sheet[1] if cell.value == code)
    row = next(cell.row for cell in sheet["A"] if cell.value == tree.dak_pek.code)
    sheet.cell(row, column, typed)  # text, as typed into a cell formatted as text
    buffer = io.BytesIO()
    workbook.save(buffer)
    try:
        rows = read_upload(
            buffer.getvalue(), district=tree.dak_glei, period=PERIOD, communes=month.communes, measures=month.measures
        )
    except UploadError as exc:
        assert_read_as(expected, error="\n".join(exc.errors))
        return
    # What apply_upload saves: the row's raw values through the entry form's service.
    values, errors = validate_values(month.measures, rows[tree.dak_pek.pk])
    assert_read_as(expected, values.get(code), errors.get(code))


@typed_cases
def test_what_if_page_reads_typed_text(standard, district_client, code, typed, expected):
    query = {"programme": "2021-2025", "year": 2024, "region": "TN", f"m_{code}": typed}
    response = district_client.get(reverse("reports:what-if"), query)
    assert response.status_code == 200
    # A yes/no select refuses an unknown word as a form error; a number is explained in the result.
    field_errors = response.context["values_form"].errors.get(f"m_{code}")
    if field_errors:
        assert_read_as(expected, error=field_errors[0])
        return
    result = response.context["result"]
    indicator = next(i for c in result.sets["commune-standard"].criteria for i in c.indicators if i.measure == code)
    if indicator.outcome is Outcome.ERROR:
        assert_read_as(expected, error=indicator.message)
    else:
        assert_read_as(expected, indicator.value)
