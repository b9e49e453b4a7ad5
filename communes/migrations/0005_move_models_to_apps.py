"""Reports, values, records and API tokens now belong to the monthly, records and api apps: their tables stay,
Django's model state and the content types (so permissions and admin history follow) move."""

from django.db import migrations


MOVED = {
    "report": "monthly",
    "value": "monthly",
    "valuechange": "monthly",
    "reportevent": "monthly",
    "recognition": "records",
    "target": "records",
    "communeplan": "records",
    "apitoken": "api",
}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        if not ContentType.objects.filter(app_label=app_label, model=model).exists():
            ContentType.objects.filter(app_label="communes", model=model).update(app_label=app_label)


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        if not ContentType.objects.filter(app_label="communes", model=model).exists():
            ContentType.objects.filter(app_label=app_label, model=model).update(app_label="communes")


class Migration(migrations.Migration):

    dependencies = [
        ('communes', '0004_api_token'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('monthly', '0001_initial'),
        ('records', '0001_initial'),
        ('api', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist (created under communes); only Django's model state moves.
            state_operations=[
                migrations.RemoveField(
                    model_name='apitoken',
                    name='user',
                ),
                migrations.RemoveConstraint(
                    model_name='communeplan',
                    name='plan_unique',
                ),
                migrations.RemoveField(
                    model_name='recognition',
                    name='programme',
                ),
                migrations.RemoveField(
                    model_name='recognition',
                    name='unit',
                ),
                migrations.RemoveConstraint(
                    model_name='report',
                    name='report_unit_period_unique',
                ),
                migrations.RemoveField(
                    model_name='reportevent',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='valuechange',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='reportevent',
                    name='by',
                ),
                migrations.RemoveConstraint(
                    model_name='target',
                    name='target_unique',
                ),
                migrations.RemoveConstraint(
                    model_name='value',
                    name='value_report_measure_unique',
                ),
                migrations.RemoveField(
                    model_name='valuechange',
                    name='changed_by',
                ),
                migrations.RemoveField(
                    model_name='valuechange',
                    name='measure',
                ),
                migrations.DeleteModel(
                    name='ApiToken',
                ),
                migrations.RemoveField(
                    model_name='communeplan',
                    name='unit',
                ),
                migrations.DeleteModel(
                    name='Recognition',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='programme',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='updated_by',
                ),
                migrations.DeleteModel(
                    name='ReportEvent',
                ),
                migrations.RemoveField(
                    model_name='target',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='value',
                    name='measure',
                ),
                migrations.RemoveField(
                    model_name='value',
                    name='report',
                ),
                migrations.DeleteModel(
                    name='ValueChange',
                ),
                migrations.DeleteModel(
                    name='CommunePlan',
                ),
                migrations.DeleteModel(
                    name='Target',
                ),
                migrations.DeleteModel(
                    name='Report',
                ),
                migrations.DeleteModel(
                    name='Value',
                ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
