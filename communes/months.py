"""Months: parsing `YYYY-MM` and month arithmetic, for URLs, forms, filtersets and serializers alike."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


def parse_month(text: str) -> dt.date:
    """'2024-05' -> 2024-05-01; ValueError for anything else."""
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(
            _("Tháng '%(text)s' không hợp lệ: phải có dạng YYYY-MM, ví dụ 2024-05.") % {"text": text}
        ) from None
