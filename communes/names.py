"""A unit's kind and its former names.

The kind is what a unit's name begins with (Xã, Phường, Thị trấn…). A rename or a change of kind (a province that
became a city) is a new version of the same unit, not a new unit: the unit keeps the names it had in
`AdministrativeUnit.former_names`, each with the first day of the next name, so pages, dashboards and documents can
show the name in force in the period they show.

An entry is {"name", "short_name", "kind", "until" (ISO date: the first day of the next name), "source",
"date_verified"}. `until` is often only the day the change was first seen (the statistics office's data has no
effective dates): `date_verified` says whether it is the legal date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_FIELDS = ("name", "short_name", "kind")


class Kind(models.TextChoices):
    """The legal kind of a unit, which its name begins with."""

    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")
    THON = "thon", _("Thôn")
    BAN = "ban", _("Bản")
    LANG = "lang", _("Làng")
    BUON = "buon", _("Buôn")
    AP = "ap", _("Ấp")
    KHU_PHO = "khu_pho", _("Khu phố")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
    KHU_DAN_CU = "khu_dan_cu", _("Khu dân cư")


def former_name(
    *, name: str, short_name: str, kind: str, until: dt.date | str, source: str, date_verified: bool = False
) -> dict:
    """One entry of `former_names`, in the form it is stored (JSON: the date as ISO text)."""
    return {
        "name": name,
        "short_name": short_name,
        "kind": kind,
        "until": until.isoformat() if isinstance(until, dt.date) else str(until),
        "source": source,
        "date_verified": bool(date_verified),
    }


def until_of(entry: dict) -> dt.date:
    return dt.date.fromisoformat(str(entry["until"]))


def in_order(former_names: list[dict] | None) -> list[dict]:
    """Oldest first."""
    return sorted(former_names or [], key=until_of)


def name_in_force(former_names: list[dict] | None, day: dt.date) -> dict | None:
    """The former name in force on the day, or None when the current name is (the day is on or after every
    `until`)."""
    return next((entry for entry in in_order(former_names) if day < until_of(entry)), None)


def with_entry(former_names: list[dict] | None, entry: dict) -> list[dict]:
    """The list with a curated entry added, oldest first; the same list when an entry with that name and `until` is
    already there (loading the same correction twice changes nothing)."""
    former_names = former_names or []
    if any(e["name"] == entry["name"] and until_of(e) == until_of(entry) for e in former_names):
        return former_names
    return in_order([*former_names, entry])


def with_rename(former_names: list[dict] | None, entry: dict) -> list[dict]:
    """The list with a name just replaced by the import; the same list when the latest former name already is that
    name (a correction recorded this rename with a better date, or an earlier run did)."""
    former_names = former_names or []
    ordered = in_order(former_names)
    if ordered and ordered[-1]["name"] == entry["name"]:
        return former_names
    return [*ordered, entry]


@dataclass(frozen=True)
class FormerName:
    """A former name as a page shows it: its last day, not the first day of the next name."""

    name: str
    last_day: dt.date
    date_verified: bool
    source: str


def history(former_names: list[dict] | None) -> list[FormerName]:
    return [
        FormerName(
            name=entry["name"],
            last_day=until_of(entry) - dt.timedelta(days=1),
            date_verified=bool(entry.get("date_verified")),
            source=entry.get("source", ""),
        )
        for entry in in_order(former_names)
    ]
