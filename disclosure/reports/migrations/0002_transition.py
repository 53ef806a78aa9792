# Transition moves from the review app to reports; its table keeps its name,
# so this only changes Django's state (no schema change).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
        ('review', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Transition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('submit', '提交审核'), ('approve', '审核通过'), ('return', '退回修改'), ('reopen', '重新打开')], max_length=20, verbose_name='操作')),
                        ('from_status', models.CharField(choices=[('draft', '草稿'), ('submitted', '待审核'), ('returned', '已退回'), ('approved', '已通过')], max_length=20, verbose_name='原状态')),
                        ('to_status', models.CharField(choices=[('draft', '草稿'), ('submitted', '待审核'), ('returned', '已退回'), ('approved', '已通过')], max_length=20, verbose_name='新状态')),
                        ('actor_name', models.CharField(help_text='用户删除后仍保留', max_length=150, verbose_name='操作人用户名')),
                        ('comment', models.TextField(blank=True, verbose_name='意见')),
                        ('version', models.PositiveIntegerField(verbose_name='操作后版本')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='reports.annualreport', verbose_name='年度报告')),
                    ],
                    options={
                        'verbose_name': '审核记录',
                        'verbose_name_plural': '审核记录',
                        'ordering': ['-created_at', '-pk'],
                        'db_table': 'review_transition',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
