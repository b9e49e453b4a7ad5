"""Six-monthly and annual reporting periods: `2026-H1` (January-June), `2026-H2` (July-December), `2026` (the
year), parsed from a URL by the `<period:period>` path converter registered here.

A period's figures are those of its end month: its last month once it is over, else the current month (a report
of a period not yet over says "số liệu đến tháng 11/2026"). NĐ 27/2022 monitors the programme six-monthly and
yearly; the portal's figures are monthly, so a period is read at its start and end months.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.urls import register_converter
from django.urls.converters import get_converters
from django.utils.translation import gettext as _

from communes.months import MAX_YEAR, MIN_YEAR, months_between, this_month

PERIOD_RE = re.compile(r"(?P<year>[0-9]{4})(?:-H(?P<half>[12]))?")


@dataclass(frozen=True)
class Period:
    """A half-year or a year, read at its start month and its end month (first days of the months)."""

    code: str  # "2026-H1", "2026-H2", "2026"
    start_month: dt.date
    last_month: dt.date  # the period's own last month: June or December
    end_month: dt.date  # the month its figures are read at: the last month, or this month while it runs
    is_over: bool  # its last month has ended

    @property
    def year(self) -> int:
        return self.start_month.year

    @property
    def half(self) -> int | None:
        """1 or 2 for a half-year, None for a year."""
        return int(self.code[-1]) if "-H" in self.code else None

    @property
    def has_begun(self) -> bool:
        return self.end_month >= self.start_month

    @property
    def months(self) -> list[dt.date]:
        """The months from the start month to the end month, both included."""
        return months_between(self.start_month, self.end_month)

    @property
    def label(self) -> str:
        """The period as a title says it: "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "năm 2026"."""
        if self.half == 1:
            return _("6 tháng đầu năm %(year)s") % {"year": self.year}
        if self.half == 2:
            return _("6 tháng cuối năm %(year)s") % {"year": self.year}
        return _("năm %(year)s") % {"year": self.year}

    @property
    def figures_until(self) -> str:
        """Empty once the period is over, else "số liệu đến tháng 11/2026" (this month's figures may still change)."""
        if self.is_over:
            return ""
        return _("số liệu đến tháng %(month)s") % {"month": f"{self.end_month:%m/%Y}"}

    @property
    def slug(self) -> str:
        """For file names: 2026-h1, 2026."""
        return self.code.lower()


def parse_period(text: str, *, today_month: dt.date | None = None) -> Period:
    """'2026-H1' / '2026-H2' / '2026' -> its Period, read up to this month; ValueError for anything else."""
    match = PERIOD_RE.fullmatch(text)
    if match is None or not MIN_YEAR <= int(match["year"]) <= MAX_YEAR:
        raise ValueError(_("Kỳ '%(text)s' không hợp lệ: phải có dạng YYYY-H1, YYYY-H2 hoặc YYYY.") % {"text": text})
    year = int(match["year"])
    first, last = {"1": (1, 6), "2": (7, 12), None: (1, 12)}[match["half"]]
    start, last_month = dt.date(year, first, 1), dt.date(year, last, 1)
    current = today_month or this_month()
    return Period(
        code=text,
        start_month=start,
        last_month=last_month,
        end_month=min(last_month, current),
        is_over=current > last_month,
    )


class PeriodConverter:
    """`<period:period>` in a URL: YYYY-H1, YYYY-H2 or YYYY, given to the view as a Period; anything else is a 404
    (2026-H3 matches the pattern but not the parser, which makes the route not match)."""

    regex = r"[0-9]{4}(?:-H[0-9])?"

    def to_python(self, value: str) -> Period:
        return parse_period(value)

    def to_url(self, value: Period | str) -> str:
        return value.code if isinstance(value, Period) else str(value)


# Registered on import, before any URLconf that uses it is read (reports.urls imports the periodic views).
if "period" not in get_converters():
    register_converter(PeriodConverter, "period")
