"""Recompute the statuses of a month from approved figures: after loading data, or when criteria changed.

The work is a task (reports.tasks.recompute_month): with the immediate backend it runs here and the command says
how many statuses it stored; with the database backend it is queued for `manage.py db_worker`, and the units show
"đang tính lại" until the worker has run it.
"""

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus

from communes.models import AdministrativeUnit
from communes.months import parse_month
from reports.tasks import queue_month


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
        units, result = queue_month(period=period, scope=scope)
        where = f" của {scope.name}" if scope else ""
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(self.style.SUCCESS(f"Đã tính {result.return_value} kết quả tháng {period:%m/%Y}{where}."))
        elif result.status == TaskResultStatus.FAILED:
            error = result.errors[-1].exception_class_path if result.errors else ""
            raise CommandError(
                f"Không tính lại được kết quả tháng {period:%m/%Y}{where} ({error}); {units} đơn vị vẫn được đánh "
                "dấu 'đang tính lại'. Chi tiết lỗi ở nhật ký."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã xếp hàng tính lại {units} đơn vị tháng {period:%m/%Y}{where} (mã {result.id}); "
                    "tiến trình `manage.py db_worker` sẽ tính."
                )
            )
