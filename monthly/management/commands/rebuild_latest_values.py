"""Rewrite the latest approved value of every unit and measure from the approved reports."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from monthly.latest import rebuild


class Command(BaseCommand):
    help = (
        "Tính lại bảng giá trị đã duyệt mới nhất của từng đơn vị và số liệu từ các báo cáo đã duyệt "
        "(sau khi nạp dữ liệu trực tiếp vào cơ sở dữ liệu, hoặc khi nghi bảng không khớp)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = rebuild()
        self.stdout.write(f"{rows} giá trị đã duyệt mới nhất, trong {time.perf_counter() - started:.1f} s.")
