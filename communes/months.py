"""Months: `YYYY-MM` parsing, the `<month:month>` path converter and month arithmetic, used by URLs, forms,
filtersets and serializers alike. A month is the date of its first day."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
# The years the portal knows: beyond them a month in a URL is a 404, and a month's neighbours never overflow.
MIN_YEAR, MAX_YEAR = 1900, 2100


def parse_month(text: str) -> dt.date:
    """'2024-05' -> 2024-05-01; ValueError (with a Vietnamese message) for anything else."""
    try:
        year, month = text.split("-")
        # ASCII digits only: int() would also read other scripts' digits ("٢٠٢٤").
        if len(year) != 4 or len(month) != 2 or not (year + month).isascii() or not (year + month).isdigit():
            raise ValueError
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise ValueError
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(
            _("Tháng '%(text)s' không hợp lệ: phải có dạng YYYY-MM, ví dụ 2024-05.") % {"text": text}
        ) from None


def month_or_404(text: str) -> dt.date:
    """A month given in a query string (e.g. ?month=2024-05): a bad one is a 404, like a bad month in the path."""
    try:
        return parse_month(text)
    except ValueError:
        raise Http404(_("Tháng không hợp lệ.")) from None


def parse_day(text: str) -> dt.date | None:
    """A YYYY-MM-DD day in ASCII digits within the portal's years, else None."""
    if len(text) != 10 or not text.isascii() or text[4] != "-" or text[7] != "-":
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def requested_day(request) -> dt.date:
    """The day a page shows units as they stood: ?on=YYYY-MM-DD, else the first day of ?month=YYYY-MM, else today.
    Anything unreadable counts as not given."""
    day = parse_day(request.GET.get("on", ""))
    if day is None:
        try:
            day = parse_month(request.GET.get("month", ""))
        except ValueError:
            day = None
    return day or timezone.localdate()


def month_code(period: dt.date) -> str:
    """2024-05-01 -> '2024-05', the form a month takes in URLs and query strings."""
    return f"{period:%Y-%m}"


def shift_month(period: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before, when negative) the month of `period`."""
    index = period.year * 12 + period.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(period: dt.date) -> dt.date:
    """The last day of the month of `period`."""
    return shift_month(period, 1) - dt.timedelta(days=1)


def this_month() -> dt.date:
    """The first day of the current month, in the portal's time zone."""
    return timezone.localdate().replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from `first` to `last`, both included (empty when `last` is earlier)."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = shift_month(month, 1)
    return months


class UnitCodeConverter:
    """`<code:code>` in a URL: a unit's statistics-office code, checked by pattern before any query (a NUL byte or
    a 200-character code is a 404, never a database error)."""

    regex = r"[0-9A-Za-z]{1,12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class MonthConverter:
    """`<month:month>` in a URL: YYYY-MM, given to the view as the month's first day; anything else is a 404."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        return parse_month(value)  # a ValueError makes the pattern not match, so the page is a 404

    def to_url(self, value: dt.date | str) -> str:
        return month_code(value) if isinstance(value, dt.date) else str(value)
