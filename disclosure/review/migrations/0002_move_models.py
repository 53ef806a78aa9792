# Transition moved to reports and Rendition to publish, keeping their tables:
# the review app forgets them in Django's state only (no schema change).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('review', '0001_initial'),
        ('reports', '0002_transition'),
        ('publish', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Rendition'),
                migrations.DeleteModel(name='Transition'),
            ],
            database_operations=[],
        ),
    ]
