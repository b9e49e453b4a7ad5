"""Recompute the statuses of a month from approved figures: after loading data, or when criteria changed."""

from django.core.management.base import BaseCommand, CommandError

from communes.models import AdministrativeUnit
from communes.months import parse_month
from reports.services import recompute_statuses, tracked_units


class Command(BaseCommand):
    help = "Tính lại kết quả đánh giá của một tháng từ số liệu đã duyệt."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="Tháng, dạng YYYY-MM")
        parser.add_argument("--unit", help="Chỉ tính đơn vị này và các đơn vị cấp dưới (mã tỉnh, huyện hoặc xã)")

    def handle(self, *args, **options):
        try:
            period = parse_month(options["month"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        scope = None
        if options["unit"]:
            scope = AdministrativeUnit.objects.filter(code=options["unit"]).order_by("level").first()
            if scope is None:
                raise CommandError(f"Không có đơn vị mã '{options['unit']}'.")
        count = recompute_statuses(period=period, units=tracked_units(scope))
        where = f" của {scope.name}" if scope else ""
        self.stdout.write(self.style.SUCCESS(f"Đã tính {count} kết quả tháng {period:%m/%Y}{where}."))
