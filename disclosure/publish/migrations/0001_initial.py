# Rendition moves from the review app to publish (the approval archive); its
# table keeps its name, so this only changes Django's state (no schema change).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reports', '0002_transition'),
        ('review', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Rendition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(verbose_name='报告版本')),
                        ('kind', models.CharField(choices=[('pdf', 'PDF'), ('html', 'HTML')], max_length=10, verbose_name='类型')),
                        ('content', models.BinaryField(verbose_name='文件内容')),
                        ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                        ('size', models.PositiveIntegerField(verbose_name='字节数')),
                        ('backfilled', models.BooleanField(default=False, verbose_name='首次下载时补存')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='生成人')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='renditions', to='reports.annualreport', verbose_name='年度报告')),
                        ('approval', models.ForeignKey(blank=True, help_text='导入的历史报告没有审核记录，首次下载时补存', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='renditions', to='reports.transition', verbose_name='审核通过记录')),
                    ],
                    options={
                        'verbose_name': '存档文件',
                        'verbose_name_plural': '存档文件',
                        'ordering': ['-created_at', 'kind'],
                        'db_table': 'review_rendition',
                        'constraints': [models.UniqueConstraint(fields=('report', 'version', 'kind'), name='one_rendition_per_approval')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
