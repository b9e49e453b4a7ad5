"""Write a criteria set as YAML (docs/criteria-yaml.md), to review, edit or load elsewhere."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from criteria.models import CriteriaSet
from criteria.yaml_dump import dump_criteria_set


class Command(BaseCommand):
    help = "Xuất một bộ tiêu chí ra YAML."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="Mã giai đoạn, ví dụ 2021-2025")
        parser.add_argument("--set", required=True, dest="set_code", help="Mã bộ tiêu chí, ví dụ commune-standard")
        parser.add_argument("--province", default="", help="Mã tỉnh của bộ tiêu chí cấp tỉnh (bỏ trống: quốc gia)")
        parser.add_argument(
            "--on", default="", help="Phiên bản có hiệu lực vào ngày YYYY-MM-DD (bỏ trống: hôm nay), khi bộ đã sửa đổi"
        )
        parser.add_argument("--output", "-o", help="Ghi ra tệp thay vì màn hình")

    def handle(self, *args, **options):
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError:
            raise CommandError(
                _("Ngày '%(text)s' không hợp lệ: phải có dạng YYYY-MM-DD.") % {"text": options["on"]}
            ) from None
        criteria_set = (
            CriteriaSet.objects.filter(
                programme__code=options["programme"], code=options["set_code"], province_code=options["province"]
            )
            .in_force_on(on)
            .first()
        )
        if criteria_set is None:
            params = {"set": options["set_code"], "programme": options["programme"], "province": options["province"]}
            if options["province"]:
                message = _("Không có bộ tiêu chí '%(set)s' trong giai đoạn '%(programme)s' của tỉnh %(province)s.")
            else:
                message = _("Không có bộ tiêu chí '%(set)s' trong giai đoạn '%(programme)s'.")
            raise CommandError(message % params)
        text = dump_criteria_set(criteria_set)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(_("Đã ghi %(file)s.") % {"file": options["output"]})
        else:
            self.stdout.write(text, ending="")
