"""Monthly models moved from communes, keeping their tables (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('communes', '0004_api_token'),
        ('criteria', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist (created under communes); only Django's model state moves.
            state_operations=[
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('period', models.DateField(help_text='Ngày đầu tháng của kỳ báo cáo', verbose_name='tháng')),
                        ('status', models.CharField(choices=[('draft', 'Bản nháp'), ('submitted', 'Đã gửi'), ('returned', 'Bị trả lại'), ('approved', 'Đã duyệt')], default='draft', max_length=10, verbose_name='trạng thái')),
                        ('version', models.PositiveIntegerField(default=0, verbose_name='phiên bản')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='sửa lúc')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='gửi lúc')),
                        ('is_late', models.BooleanField(default=False, verbose_name='gửi muộn')),
                        ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='duyệt lúc')),
                        ('return_reason', models.TextField(blank=True, verbose_name='lý do trả lại')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='criteria.programme', verbose_name='giai đoạn')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='communes.administrativeunit', verbose_name='đơn vị')),
                        ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người sửa')),
                    ],
                    options={
                        'verbose_name': 'báo cáo tháng',
                        'verbose_name_plural': 'báo cáo tháng',
                        'db_table': 'communes_report',
                        'ordering': ['-period', 'unit__path'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('submitted', 'Gửi'), ('returned', 'Trả lại'), ('approved', 'Duyệt'), ('unapproved', 'Hủy duyệt'), ('commented', 'Góp ý')], max_length=12, verbose_name='thao tác')),
                        ('at', models.DateTimeField(auto_now_add=True, verbose_name='lúc')),
                        ('reason', models.TextField(blank=True, verbose_name='lý do, nội dung')),
                        ('criterion_number', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='tiêu chí')),
                        ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='monthly.report', verbose_name='báo cáo')),
                    ],
                    options={
                        'verbose_name': 'bước xử lý báo cáo',
                        'verbose_name_plural': 'các bước xử lý báo cáo',
                        'db_table': 'communes_reportevent',
                        'ordering': ['at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Value',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True, verbose_name='giá trị số')),
                        ('flag', models.BooleanField(blank=True, null=True, verbose_name='có/không')),
                        ('level', models.CharField(blank=True, max_length=60, verbose_name='mức')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='ghi chú')),
                        ('measure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='values', to='criteria.measure', verbose_name='số liệu')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='monthly.report', verbose_name='báo cáo')),
                    ],
                    options={
                        'verbose_name': 'giá trị',
                        'verbose_name_plural': 'giá trị',
                        'db_table': 'communes_value',
                    },
                ),
                migrations.CreateModel(
                    name='ValueChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('old_value', models.CharField(blank=True, max_length=80, verbose_name='giá trị cũ')),
                        ('new_value', models.CharField(blank=True, max_length=80, verbose_name='giá trị mới')),
                        ('changed_at', models.DateTimeField(auto_now_add=True, verbose_name='lúc')),
                        ('via', models.CharField(default='form', max_length=10, verbose_name='qua')),
                        ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người sửa')),
                        ('measure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='criteria.measure', verbose_name='số liệu')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='monthly.report', verbose_name='báo cáo')),
                    ],
                    options={
                        'verbose_name': 'lịch sử sửa số liệu',
                        'verbose_name_plural': 'lịch sử sửa số liệu',
                        'db_table': 'communes_valuechange',
                        'ordering': ['-changed_at', '-pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='report',
                    constraint=models.UniqueConstraint(fields=('unit', 'period'), name='report_unit_period_unique', violation_error_message='Đơn vị đã có báo cáo của tháng này.'),
                ),
                migrations.AddConstraint(
                    model_name='value',
                    constraint=models.UniqueConstraint(fields=('report', 'measure'), name='value_report_measure_unique', violation_error_message='Báo cáo đã có giá trị của số liệu này.'),
                ),
            ],
        ),
    ]
