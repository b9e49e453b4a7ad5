"""Evaluate a unit, or a region with its flags, against a programme's criteria and print the explained result.

The same function (criteria.services.evaluate_values) serves the what-if page and the API, so the command
is a way to check by hand what they will show.
"""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communes.models import AdministrativeUnit, Level
from criteria.choices import CommuneGroup, Region
from criteria.evaluation import UnitProfile
from criteria.models import Measure
from criteria.services import UnknownCriteria, evaluate_values
from monthly.figures import carried_values

UNIT_LEVELS = {Level.COMMUNE: "commune", Level.DISTRICT: "district", Level.VILLAGE: "village"}


class Command(BaseCommand):
    help = "Đánh giá một đơn vị (hoặc một vùng) theo bộ tiêu chí, in kết quả có giải thích dạng JSON."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="Mã giai đoạn, ví dụ 2021-2025")
        parser.add_argument("--set", dest="set_code", help="Chỉ đánh giá một bộ tiêu chí, ví dụ commune-standard")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--unit", help="Mã đơn vị (xã, huyện, thôn)")
        who.add_argument("--region", choices=Region.values, help="Vùng kinh tế - xã hội")
        parser.add_argument("--tdmnpb", action="store_true", help="Xã áp dụng ngưỡng vùng TDMNPB (với --region)")
        parser.add_argument("--group", type=int, choices=CommuneGroup.values, help="Nhóm xã 1/2/3 (với --region)")
        parser.add_argument("--province", default="", help="Mã tỉnh, để dùng bộ tiêu chí của tỉnh (với --region)")
        parser.add_argument("--year", type=int, required=True, help="Năm đánh giá")
        parser.add_argument(
            "--values",
            required=True,
            metavar="FILE.json",
            help="Tệp JSON: mã số liệu → giá trị (với --unit, số liệu đã duyệt của đơn vị bổ sung phần thiếu)",
        )

    def handle(self, *args, **options):
        values = self._read_values(options["values"])
        level = None
        if options["unit"]:
            if options["tdmnpb"] or options["group"] or options["province"]:
                raise CommandError("--tdmnpb, --group và --province chỉ dùng với --region; đơn vị đã có phân loại.")
            unit = (
                AdministrativeUnit.objects.filter(code=options["unit"], level__in=list(UNIT_LEVELS))
                .order_by("level")
                .first()
            )
            if unit is None:
                raise CommandError(f"Không có xã, huyện hay thôn mã '{options['unit']}'.")
            profile = unit.threshold_profile()
            level = UNIT_LEVELS[unit.level]
            # The unit's last approved figures (up to the end of the year) fill what the file leaves out.
            approved = carried_values([unit.pk], dt.date(options["year"], 12, 1)).get(unit.pk, {})
            codes = dict(Measure.objects.filter(pk__in=approved).values_list("pk", "code"))
            values = {**{codes[pk]: value for pk, value in approved.items()}, **values}
        else:
            profile = UnitProfile(
                region=options["region"],
                applies_tdmnpb=options["tdmnpb"],
                group=options["group"],
                province_code=options["province"],
            )
        try:
            result = evaluate_values(
                programme=options["programme"],
                profile=profile,
                year=options["year"],
                values=values,
                set_code=options["set_code"],
                level=level,
            )
        except UnknownCriteria as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))

    def _read_values(self, name: str) -> dict:
        path = Path(name)
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {name}.") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"Tệp {name} không phải JSON hợp lệ: {exc}.") from None
        if not isinstance(values, dict):
            raise CommandError(f"Tệp {name} phải là một đối tượng JSON: mã số liệu → giá trị.")
        return values
