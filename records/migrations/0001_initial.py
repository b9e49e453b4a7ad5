"""Records models moved from communes, keeping their tables (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('communes', '0004_api_token'),
        ('criteria', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist (created under communes); only Django's model state moves.
            state_operations=[
                migrations.CreateModel(
                    name='Recognition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('tier', models.CharField(choices=[('standard', 'Đạt chuẩn NTM'), ('advanced', 'NTM nâng cao'), ('model', 'NTM kiểu mẫu')], max_length=10, verbose_name='mức')),
                        ('decision_number', models.CharField(max_length=60, verbose_name='số quyết định')),
                        ('decision_date', models.DateField(verbose_name='ngày quyết định')),
                        ('issuer', models.CharField(max_length=200, verbose_name='người, cơ quan ký')),
                        ('revoked_decision_number', models.CharField(blank=True, max_length=60, verbose_name='số quyết định thu hồi')),
                        ('revoked_date', models.DateField(blank=True, null=True, verbose_name='ngày thu hồi')),
                        ('revocation_reason', models.TextField(blank=True, verbose_name='lý do thu hồi')),
                        ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                        ('is_demo', models.BooleanField(default=False, verbose_name='dữ liệu minh họa')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recognitions', to='criteria.programme', verbose_name='giai đoạn')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recognitions', to='communes.administrativeunit', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'quyết định công nhận',
                        'verbose_name_plural': 'quyết định công nhận',
                        'db_table': 'communes_recognition',
                        'ordering': ['unit__path', 'decision_date'],
                    },
                ),
                migrations.CreateModel(
                    name='CommunePlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('tier', models.CharField(choices=[('standard', 'Đạt chuẩn NTM'), ('advanced', 'NTM nâng cao'), ('model', 'NTM kiểu mẫu')], max_length=10, verbose_name='mức phấn đấu')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='ghi chú')),
                        ('is_demo', models.BooleanField(default=False, verbose_name='dữ liệu minh họa')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plans', to='communes.administrativeunit', verbose_name='xã')),
                    ],
                    options={
                        'verbose_name': 'kế hoạch của xã',
                        'verbose_name_plural': 'kế hoạch của xã',
                        'db_table': 'communes_communeplan',
                        'ordering': ['year', 'unit__path'],
                        'constraints': [models.UniqueConstraint(fields=('unit', 'tier'), name='plan_unique', violation_error_message='Xã đã có kế hoạch mức này.')],
                    },
                ),
                migrations.CreateModel(
                    name='Target',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='năm')),
                        ('kind', models.CharField(choices=[('units_at_tier', 'Số đơn vị đạt mức'), ('min_criteria', 'Mọi xã đạt tối thiểu số tiêu chí'), ('yearly_gain', 'Mỗi xã tăng thêm số tiêu chí mỗi năm')], max_length=16, verbose_name='loại chỉ tiêu')),
                        ('level', models.CharField(choices=[('province', 'Tỉnh'), ('district', 'Huyện'), ('commune', 'Xã'), ('village', 'Thôn')], default='commune', max_length=10, verbose_name='cấp được tính')),
                        ('tier', models.CharField(blank=True, choices=[('standard', 'Đạt chuẩn NTM'), ('advanced', 'NTM nâng cao'), ('model', 'NTM kiểu mẫu')], max_length=10, verbose_name='mức')),
                        ('value', models.PositiveIntegerField(verbose_name='giá trị')),
                        ('source', models.CharField(blank=True, max_length=300, verbose_name='văn bản giao chỉ tiêu')),
                        ('is_demo', models.BooleanField(default=False, verbose_name='dữ liệu minh họa')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='targets', to='communes.administrativeunit', verbose_name='đơn vị')),
                    ],
                    options={
                        'verbose_name': 'chỉ tiêu kế hoạch',
                        'verbose_name_plural': 'chỉ tiêu kế hoạch',
                        'db_table': 'communes_target',
                        'ordering': ['unit__path', 'year', 'kind', 'tier'],
                        'constraints': [models.UniqueConstraint(fields=('unit', 'year', 'kind', 'level', 'tier'), name='target_unique', violation_error_message='Đơn vị đã có chỉ tiêu này cho năm này.')],
                    },
                ),
            ],
        ),
    ]
