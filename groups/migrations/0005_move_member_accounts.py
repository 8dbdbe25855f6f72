"""Invitations and profile changes now belong to the `members` app (members 0001): only
Django's idea of the models is removed here; their tables and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0004_membership_role_index'),
        ('members', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='profilechange', name='person'),
                migrations.RemoveField(model_name='profilechange', name='reviewed_by'),
                migrations.RemoveField(model_name='profilechange', name='submitted_by'),
                migrations.DeleteModel(name='Invitation'),
                migrations.DeleteModel(name='ProfileChange'),
            ],
            database_operations=[],
        ),
    ]
