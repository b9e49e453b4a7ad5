"""No input reaches a server error: codes and months are checked by pattern before any query, JSON nested past the
recursion limit is the API's 400, a workbook declaring a DTD is refused with a message, and numbers are read by one
function that takes only ASCII digits with a decimal comma or point (issue 13, item 3)."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import resolve
from django.urls.exceptions import Resolver404
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from communes.months import MAX_YEAR, MIN_YEAR, parse_month, shift_month
from criteria.measures import InvalidValue, parse_number
from criteria.yaml_io import import_criteria_text
from monthly.excel import SHEET_DATA, UploadError, read_upload
from tests.criteria.samples import STANDARD

pytestmark = pytest.mark.django_db

NUL_CODE = "62%00"
LONG_CODE = "6" * 200


@pytest.mark.parametrize("code", [NUL_CODE, LONG_CODE, "62'--", "%E2%80%AE62"])
@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/{code}/",
        "/dashboard/district/{code}/?month=2024-05",
        "/scorecard/{code}/",
        "/monthly/{code}/2024-05/",
        "/monthly/district/{code}/2024-05/",
        "/pdf/province/{code}/2024-05/?preview=1",
        "/excel/statuses/{code}/2024-05/",
        "/provinces/{code}/",
        "/api/v1/units/{code}/",
    ],
)
def test_a_malformed_unit_code_is_a_404_before_any_query(office_user, client_for, path, code):
    response = client_for(office_user).get(path.format(code=code))
    assert response.status_code == 404


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1899-12", "2101-01", "2024-13", "2024-00"])
def test_a_month_outside_the_calendar_the_portal_knows_is_a_404(office_user, client_for, month):
    client = client_for(office_user)
    assert client.get(f"/monthly/23353/{month}/").status_code == 404
    assert client.get(f"/dashboard/62/?month={month}").status_code == 404
    assert client.get(f"/pdf/province/62/{month}/?preview=1").status_code == 404


def test_the_last_month_the_portal_knows_opens_and_links_on_without_overflow(office_user, client_for):
    import_criteria_text(STANDARD)
    client = client_for(office_user)
    for path in ("/dashboard/62/?month=2100-12", "/dashboard/62/?month=1900-01", "/monthly/23353/2100-12/"):
        assert client.get(path).status_code == 200, path


def test_json_nested_past_the_recursion_limit_is_the_apis_400(office_user, client_for):
    body = "[" * 100_000 + "]" * 100_000
    response = client_for(office_user).post("/api/v1/evaluate/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert "JSON không hợp lệ" in response.json()["detail"]


def _workbook_with_a_dtd() -> bytes:
    """A workbook whose sheet XML declares a DTD with an external entity, as no spreadsheet program writes."""
    book = Workbook()
    book.active.title = SHEET_DATA
    book.active["A1"] = "Mã xã"
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                head, _sep, rest = text.partition("?>")
                data = (head + '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + rest).encode()
            target.writestr(item, data)
    return target_buffer.getvalue()


def test_a_workbook_declaring_a_dtd_is_refused_with_a_message(tree):
    with pytest.raises(UploadError) as refused:
        read_upload(
            _workbook_with_a_dtd(), district=tree.dak_glei, period=dt.date(2024, 5, 1), communes=[], measures={}
        )
    assert "khai báo DTD hoặc thực thể ngoài" in refused.value.errors[0]


def test_the_upload_page_answers_a_dtd_workbook_with_its_message(tree, district_user, client_for):
    import_criteria_text(STANDARD)
    upload = io.BytesIO(_workbook_with_a_dtd())
    upload.name = "so-lieu.xlsx"
    response = client_for(district_user).post("/monthly/district/610/2024-05/upload/", {"file": upload})
    assert response.status_code in (200, 400)
    assert "khai báo DTD hoặc thực thể ngoài" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "number"),
    [("45", 45), ("4,5", "4.5"), ("4.5", "4.5"), ("-3", -3), (" 12 ", 12), (45, 45), (4.5, "4.5")],
)
def test_numbers_as_people_type_them(text, number):
    assert parse_number(text) == type(parse_number("0"))(str(number))


@pytest.mark.parametrize(
    "text", ["４５", "٤٥", "4_5", "9e99", "1e999999", "NaN", "Infinity", "", "1.2.3", "0x10", True]
)
def test_anything_else_is_not_a_number(text):
    with pytest.raises(InvalidValue):
        parse_number(text)


def test_what_if_answers_a_huge_number_with_a_message(district_user, client_for):
    import_criteria_text(STANDARD)
    query = {"programme": "2021-2025", "region": "TN", "year": "2024", "m_poverty_rate": "9e99"}
    response = client_for(district_user).get("/what-if/", query)
    assert response.status_code == 200
    assert "không phải là số" in response.content.decode()


# ---------------------------------------------------------------- fuzz: only the expected refusals


@given(st.text(max_size=12))
def test_parse_month_either_reads_a_month_or_refuses(text):
    try:
        month = parse_month(text)
    except ValueError:
        return
    assert MIN_YEAR <= month.year <= MAX_YEAR
    shift_month(month, 1)
    shift_month(month, -1)


@given(st.text(max_size=30))
def test_a_code_in_a_url_either_matches_the_pattern_or_is_not_routed(text):
    try:
        match = resolve(f"/dashboard/{text}/")
    except (Resolver404, ValueError):
        return
    if match.url_name == "province-dashboard":
        assert text.isascii()
        assert text.isalnum()
        assert len(text) <= 12


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.decimals(allow_nan=True)))
def test_parse_number_either_reads_a_finite_number_or_refuses(raw):
    try:
        number = parse_number(raw)
    except InvalidValue:
        return
    assert number.is_finite()


def test_a_month_with_a_percent_sign_is_the_apis_400(tree, client_for, office_user):
    # django-filter formats its messages with %: the month's text, quoted in the message, must not break it.
    response = client_for(office_user).get("/api/v1/reports/", {"month": "5%Úw"})
    assert response.status_code == 400
    assert "5%Úw" in str(response.json())
