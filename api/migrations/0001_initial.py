"""ApiToken moved from communes, keeping its table (state only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('communes', '0004_api_token'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist (created under communes); only Django's model state moves.
            state_operations=[
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='Hệ thống nào dùng khóa này, ví dụ “CSDL Sở NN”', max_length=100, verbose_name='tên')),
                        ('prefix', models.CharField(editable=False, max_length=8, verbose_name='tiền tố')),
                        ('key_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='mã băm của khóa')),
                        ('can_write', models.BooleanField(default=False, help_text='Không chọn: khóa chỉ đọc. Chọn: được gửi và sửa số liệu.', verbose_name='được ghi')),
                        ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='hết hạn lúc')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='thu hồi lúc')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc')),
                        ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='dùng lần cuối')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='người dùng')),
                    ],
                    options={
                        'verbose_name': 'khóa truy cập API',
                        'verbose_name_plural': 'khóa truy cập API',
                        'db_table': 'communes_apitoken',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
        ),
    ]
