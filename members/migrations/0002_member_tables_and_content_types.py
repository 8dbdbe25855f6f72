"""The tables of invitations and profile changes take this app's names, and their content
types move with them, so the permissions given on them (to the Secretariat editors and
to anyone else) and the admin's history of them stay attached."""

from django.db import migrations

MODELS = ["invitation", "profilechange"]


def _move_content_types(apps, schema_editor, old, new):
    content_type = apps.get_model("contenttypes", "ContentType")
    manager = content_type.objects.db_manager(schema_editor.connection.alias)
    for model in MODELS:
        if not manager.filter(app_label=new, model=model).exists():
            manager.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "groups", "members")


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "members", "groups")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('groups', '0005_move_member_accounts'),
        ('members', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='invitation', table=None),
        migrations.AlterModelTable(name='profilechange', table=None),
        migrations.RunPython(forwards, backwards),
    ]
