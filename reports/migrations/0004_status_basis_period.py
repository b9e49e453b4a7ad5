from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_basis(apps, schema_editor):
    """Statuses computed before: the month of the latest approved report at or before theirs. Communes without one
    keep a stored result that meant nothing met; the next recompute of their month removes it."""
    Status = apps.get_model("reports", "Status")
    Report = apps.get_model("monthly", "Report")
    latest = (
        Report.objects.filter(unit_id=OuterRef("unit_id"), status="approved", period__lte=OuterRef("period"))
        .order_by("-period")
        .values("period")[:1]
    )
    Status.objects.update(basis_period=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_recompute_mark"),
        ("monthly", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="status",
            name="basis_period",
            field=models.DateField(blank=True, null=True, verbose_name="số liệu đã duyệt của tháng"),
        ),
        migrations.RunPython(fill_basis, migrations.RunPython.noop),
    ]
