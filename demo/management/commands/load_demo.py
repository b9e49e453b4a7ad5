"""Load the demo province into any database: what `make run` uses, and what later features extend.

Kon Tum (62) is the demo province. The command imports the national unit list if it is missing and the
national criteria sets of fixtures/criteria, generates a few villages per rural commune of Kon Tum (marked
as demo data), creates one user per role, then tells Kon Tum's 2024 (demo.story: approved monthly figures,
recognition decisions, the 2025 targets, plans and the monthly statuses), then the merged Quảng Ngãi's July 2025 to
January 2026 (demo.reform_story: villages, the ex-Kon Tum communes' figures and statuses), then its 2026 under the
2026-2030 criteria (demo.story_2026: commune groups, every commune's figures of February to December, statuses,
targets and plans) and prints the log-ins. Every step is idempotent.

It lives in reports because the statuses are computed there; communes must not import reports.
"""

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from communes.management.commands.import_villages import load_village_rows
from communes.models import REFORM_DATE, AdministrativeUnit, Kind, Level
from demo.reform_story import load_reform_story
from demo.story import load_demo_statuses
from demo.story_2026 import load_story_2026
from demo.users import DEMO_PASSWORD, DEMO_PROVINCE_CODE, demo_village_rows, load_demo_users


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu minh họa: tỉnh Kon Tum, thôn minh họa, một tài khoản cho mỗi vai trò và số liệu, "
        "quyết định công nhận, chỉ tiêu, kế hoạch năm 2024; từ 07/2025, số liệu các tháng của tỉnh Quảng Ngãi mới; năm "
        "2026: phân nhóm xã, số liệu theo Bộ tiêu chí 2026 - 2030, chỉ tiêu và kế hoạch."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-passwords",
            action="store_true",
            help="Cho phép tạo tài khoản minh họa với mật khẩu công khai khi DEBUG tắt (máy trình diễn)",
        )

    def handle(self, *args, **options):
        # With DEBUG off this may be a real server: accounts with a published password (an administrator among
        # them) would be an open door.
        if not settings.DEBUG and not options["allow_demo_passwords"]:
            raise CommandError(
                f"DEBUG đang tắt: load_demo không tạo tài khoản với mật khẩu công khai '{DEMO_PASSWORD}' trên máy "
                "chủ có thể là máy thật. Nếu đây là máy trình diễn, chạy lại với --allow-demo-passwords."
            )
        # Both lists: a database made before the 2025 list was loaded (no post-reform provinces) gets it too.
        provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE)
        if (
            provinces.filter(valid_from__isnull=True).count() < 63
            or provinces.filter(valid_from=REFORM_DATE).count() < 34
        ):
            call_command("import_divisions", stdout=self.stdout)

        # The national criteria sets as the portal ships them (unverified thresholds marked as such).
        criteria_files = sorted(str(p) for p in (settings.BASE_DIR / "fixtures" / "criteria").glob("*/*.yaml"))
        if criteria_files:
            call_command("import_criteria", *criteria_files, stdout=self.stdout)

        communes = list(
            AdministrativeUnit.objects.filter(
                level=Level.COMMUNE, kind=Kind.XA, path__startswith=f"{DEMO_PROVINCE_CODE}/"
            ).order_by("code")
        )
        # Kon Tum's communes as they stood before the reform: their codes may name another commune since.
        counts = load_village_rows(demo_village_rows(communes), demo=True, on=REFORM_DATE - dt.timedelta(days=1))
        self.stdout.write(
            f"Thôn minh họa cho {len(communes)} xã của tỉnh Kon Tum: mới {counts['created']}, "
            f"không đổi {counts['unchanged']}."
        )

        users, kept = load_demo_users()
        load_demo_statuses(stdout=self.stdout)
        load_reform_story(stdout=self.stdout)
        load_story_2026(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):"))
        for demo in users:
            note = " (mật khẩu đã được đổi, giữ nguyên)" if demo.username in kept else ""
            story = f": {demo.story}" if demo.story else ""
            self.stdout.write(f"  {demo.username:<14} {demo.title}{note}{story}")
        self.stdout.write(
            self.style.WARNING("Đây là dữ liệu minh họa: không dùng các tài khoản này trên máy chủ thật.")
        )
