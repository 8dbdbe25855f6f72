"""Memberships get created/updated timestamps, for the open-data API's `updated_since`.

Existing rows get the time of this migration: nobody recorded when they changed, and a
client syncing "what changed since" must not miss them, so they count as changed now
(one full re-read for clients that synced before; never a silent gap).
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0008_history_with_admin_forms"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="created at"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="membership",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        # The historical copies (django-simple-history) keep the same fields; versions
        # written before this migration get its time too.
        migrations.AddField(
            model_name="historicalmembership",
            name="created_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, editable=False,
                verbose_name="created at",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalmembership",
            name="updated_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, editable=False,
                verbose_name="updated at",
            ),
            preserve_default=False,
        ),
    ]
