"""Codes shared by the criteria and the units they judge (criteria imports nothing of ours, so they live here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """The 7 socio-economic regions whose thresholds differ in QĐ 318/QĐ-TTg (2022)."""

    TDMNPB = "TDMNPB", _("Trung du và miền núi phía Bắc")
    DBSH = "DBSH", _("Đồng bằng sông Hồng")
    BTB = "BTB", _("Bắc Trung Bộ")
    DHNTB = "DHNTB", _("Duyên hải Nam Trung Bộ")
    TN = "TN", _("Tây Nguyên")
    DNB = "DNB", _("Đông Nam Bộ")
    DBSCL = "DBSCL", _("Đồng bằng sông Cửu Long")


class CommuneGroup(models.IntegerChoices):
    """Commune groups of the 2026-2030 set (QĐ 51/2025), whose thresholds differ by group."""

    GROUP_1 = 1, _("Nhóm 1")
    GROUP_2 = 2, _("Nhóm 2")
    GROUP_3 = 3, _("Nhóm 3")
