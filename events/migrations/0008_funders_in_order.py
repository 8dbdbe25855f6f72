"""A funder's supported events in the funder's own order.

The funders relation gets a through model with a position (EventFunder) over the table
it had, so every link stays. Each funder's events are numbered as its page listed them
until now (most recent first), and each link gets a first version in its own history.
The event's versions keep their copy of the links (the table is renamed
with the through model's name and gains the position).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def number_by_date(apps, schema_editor):
    EventFunder = apps.get_model("events", "EventFunder")
    History = apps.get_model("events", "HistoricalEventFunderLink")
    rows = EventFunder.objects.order_by(
        "funder_id", F("event__start_date").desc(), "event__title", "event_id"
    )
    position, funder, changed = 0, None, []
    for row in rows:
        position = position + 1 if row.funder_id == funder else 1
        funder = row.funder_id
        row.position = position
        changed.append(row)
    EventFunder.objects.bulk_update(changed, ["position"], batch_size=500)
    now = timezone.now()
    History.objects.bulk_create(
        [
            History(
                id=row.pk,
                event_id=row.event_id,
                funder_id=row.funder_id,
                position=row.position,
                history_date=now,
                history_type="+",
                history_change_reason="Ordered by date when funders' order began",
            )
            for row in changed
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("funders", "0007_french_versions_in_history"),
        ("events", "0007_french_versions_in_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table Django made for the relation becomes the through model's, as it is.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EventFunder",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("funder", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="supported_%(app_label)s", to="funders.funder", verbose_name="funder")),
                        ("event", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="funder_links", to="events.event", verbose_name="event")),
                    ],
                    options={
                        "verbose_name": "funder of an event",
                        "verbose_name_plural": "funders of events",
                        "db_table": "events_event_funders",
                        "ordering": ["position", "pk"],
                        "abstract": False,
                        "unique_together": {("event", "funder")},
                    },
                ),
                migrations.AlterField(
                    model_name="event",
                    name="funders",
                    field=models.ManyToManyField(blank=True, related_name="events", through="events.EventFunder", to="funders.funder", verbose_name="funders"),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="eventfunder",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="order"),
        ),
        # The event's versions' copy of its links: named after the through model.
        migrations.RenameModel("HistoricalEvent_funders", "HistoricalEventFunder"),
        migrations.AlterModelOptions(
            name="historicaleventfunder",
            options={"verbose_name": "HistoricalEventFunder"},
        ),
        migrations.AddField(
            model_name="historicaleventfunder",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="order"),
        ),
        migrations.AlterField(
            model_name="historicaleventfunder",
            name="funder",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="funders.funder", verbose_name="funder"),
        ),
        migrations.AlterField(
            model_name="historicaleventfunder",
            name="event",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="events.event", verbose_name="event"),
        ),
        # Each link's own history: reordering on the funder's page included.
        migrations.CreateModel(
            name="HistoricalEventFunderLink",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("position", models.PositiveIntegerField(default=0, verbose_name="order")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                ("funder", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="funders.funder", verbose_name="funder")),
                ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("event", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="events.event", verbose_name="event")),
            ],
            options={
                "verbose_name": "historical funder of an event",
                "verbose_name_plural": "historical funders of events",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(number_by_date, migrations.RunPython.noop),
    ]
