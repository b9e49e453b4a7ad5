"""communes.months: the one place months are parsed, shifted and read from URLs."""

import datetime as dt

import pytest
from django.urls import reverse

from communes.months import MonthConverter, month_code, month_end, months_between, parse_month, shift_month

# Every route that takes a month in its path, with a unit code the office may see.
MONTH_ROUTES = [
    "/monthly/review/{month}/",
    "/monthly/overdue/{month}/",
    "/monthly/district/610/{month}/",
    "/monthly/district/610/{month}/template.xlsx",
    "/monthly/23353/{month}/",
    "/excel/statuses/62/{month}/",
    "/excel/values/62/{month}/",
    "/pdf/province/62/{month}/",
    "/pdf/province/62/{month}/form/",
    "/pdf/commune/23353/{month}/",
]


@pytest.mark.parametrize("route", MONTH_ROUTES)
@pytest.mark.parametrize("month", ["2024-13", "2024-00", "2024-5", "24-05", "2024_05", "abcd-ef", "2024-05-01"])
def test_a_path_with_a_month_that_is_no_month_is_a_404(office_client, route, month):
    assert office_client.get(route.format(month=month)).status_code == 404


@pytest.mark.parametrize("route", MONTH_ROUTES[:2])
def test_a_real_month_reaches_the_page(office_client, route):
    assert office_client.get(route.format(month="2024-05")).status_code == 200


def test_the_converter_gives_views_the_first_day_and_reverses_dates_and_text():
    converter = MonthConverter()
    assert converter.to_python("2024-05") == dt.date(2024, 5, 1)
    with pytest.raises(ValueError, match="YYYY-MM"):
        converter.to_python("2024-13")
    assert converter.to_url(dt.date(2024, 5, 17)) == "2024-05"
    assert reverse("monthly:review", args=[dt.date(2024, 5, 1)]) == reverse("monthly:review", args=["2024-05"])


@pytest.mark.parametrize(
    ("period", "months", "expected"),
    [
        (dt.date(2024, 1, 1), -1, dt.date(2023, 12, 1)),
        (dt.date(2024, 12, 1), 1, dt.date(2025, 1, 1)),
        (dt.date(2024, 5, 31), 0, dt.date(2024, 5, 1)),
        (dt.date(2024, 5, 1), -17, dt.date(2022, 12, 1)),
        (dt.date(2024, 5, 1), 24, dt.date(2026, 5, 1)),
    ],
)
def test_shift_month_crosses_years(period, months, expected):
    assert shift_month(period, months) == expected


def test_month_end_code_and_range():
    assert month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert month_end(dt.date(2023, 12, 1)) == dt.date(2023, 12, 31)
    assert month_code(dt.date(2024, 5, 1)) == "2024-05"
    assert months_between(dt.date(2024, 11, 1), dt.date(2025, 2, 1)) == [
        dt.date(2024, 11, 1),
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 1),
    ]
    assert months_between(dt.date(2025, 2, 1), dt.date(2024, 11, 1)) == []
    assert parse_month("2024-05") == dt.date(2024, 5, 1)
