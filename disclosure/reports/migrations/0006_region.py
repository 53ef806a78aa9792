# Regions (行政区划) become a tree of their own: the written region of each agency
# and each office membership ("浙江省温州市鹿城区") is turned into Region rows, one per
# level, and the text fields are replaced by foreign keys.

import django.db.models.deletion
from django.db import migrations, models

from disclosure.reports.regions import path_of, split_names


def regions_from_text(apps, schema_editor):
    Region = apps.get_model("reports", "Region")
    Agency = apps.get_model("reports", "Agency")
    Membership = apps.get_model("reports", "Membership")

    def region_for(written):
        region, written_path = None, ""
        for name in split_names(written):
            written_path += name
            found = Region.objects.filter(parent=region, name=name).first()
            if found is None:
                found = Region.objects.create(
                    code=written_path, name=name, parent=region, full_name=written_path,
                    path=path_of(region.path if region else "", written_path),
                )
            region = found
        return region

    for agency in Agency.objects.exclude(region_text=""):
        agency.region = region_for(agency.region_text)
        agency.save(update_fields=["region"])
    for membership in Membership.objects.exclude(region_text=""):
        membership.region = region_for(membership.region_text)
        membership.save(update_fields=["region"])


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0005_explanation'),
    ]

    operations = [
        migrations.CreateModel(
            name='Region',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='通常为6位或12位行政区划代码', max_length=64, unique=True, verbose_name='行政区划代码')),
                ('name', models.CharField(max_length=50, verbose_name='名称')),
                ('path', models.CharField(db_index=True, editable=False, max_length=500, verbose_name='路径')),
                ('full_name', models.CharField(editable=False, help_text='如“浙江省温州市鹿城区”', max_length=300, verbose_name='全称')),
                ('deadline_month', models.PositiveSmallIntegerField(blank=True, help_text='本地区报送上年度报告的内部截止日期（月），留空为1月31日', null=True, verbose_name='内部截止月')),
                ('deadline_day', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='内部截止日')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='reports.region', verbose_name='上级地区')),
            ],
            options={
                'verbose_name': '地区',
                'verbose_name_plural': '地区',
                'ordering': ['path'],
            },
        ),
        migrations.RemoveConstraint(model_name='membership', name='membership_scope_required'),
        migrations.RenameField(model_name='agency', old_name='region', new_name='region_text'),
        migrations.RenameField(model_name='membership', old_name='region', new_name='region_text'),
        migrations.AddField(
            model_name='agency',
            name='region',
            field=models.ForeignKey(blank=True, help_text='政务公开办查看本地区及下级地区的机关', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='agencies', to='reports.region', verbose_name='所属地区'),
        ),
        migrations.AddField(
            model_name='membership',
            name='region',
            field=models.ForeignKey(blank=True, help_text='政务公开办用户：所管辖的地区（含下级地区）', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='offices', to='reports.region', verbose_name='管辖地区'),
        ),
        migrations.RunPython(regions_from_text, migrations.RunPython.noop),
        migrations.RemoveField(model_name='agency', name='region_text'),
        migrations.RemoveField(model_name='membership', name='region_text'),
        migrations.AlterModelOptions(name='agency', options={'ordering': ['name'], 'verbose_name': '机关', 'verbose_name_plural': '机关'}),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'office'), ('region__isnull', False)), models.Q(models.Q(('role', 'office'), _negated=True), ('agency__isnull', False)), _connector='OR'), name='membership_scope_required', violation_error_message='填报人和审核人必须属于一个机关；政务公开办用户必须填写管辖地区。'),
        ),
    ]
