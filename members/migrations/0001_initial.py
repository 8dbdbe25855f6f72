"""Member accounts move out of `groups` into their own app, keeping their tables and rows.

Only Django's idea of the models moves here (state operations): the tables stay the
ones `groups` made (db_table), so no row is copied. `groups` 0005 forgets them in the
same way, and 0002 renames the tables to this app's names and moves their content
types (so permissions already given, like reviewing profile changes, stay given).
"""

import core.validators
import django.db.models.deletion
import django.utils.timezone
import django_countries.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('groups', '0004_membership_role_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='sent to')),
                        ('token_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='token hash')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='sent at')),
                        ('expires_at', models.DateTimeField(verbose_name='expires at')),
                        ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='used at')),
                        ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='groups.person', verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'invitation',
                        'verbose_name_plural': 'invitations',
                        'ordering': ['-created_at'],
                        'db_table': 'groups_invitation',
                    },
                ),
                migrations.CreateModel(
                    name='ProfileChange',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('pending', 'Waiting for review'), ('approved', 'Approved'), ('declined', 'Declined')], default='pending', max_length=10, verbose_name='status')),
                        ('bio', models.TextField(blank=True, max_length=3000, verbose_name='short biography')),
                        ('photo', models.ImageField(blank=True, upload_to=core.validators.UploadPath('people'), validators=[core.validators.validate_image_upload], verbose_name='new photo')),
                        ('remove_photo', models.BooleanField(default=False, verbose_name='remove the photo')),
                        ('photo_alt', models.CharField(blank=True, max_length=250, verbose_name='photo description')),
                        ('affiliation', models.CharField(blank=True, max_length=200, verbose_name='affiliation')),
                        ('position', models.CharField(blank=True, max_length=200, verbose_name='position')),
                        ('country', django_countries.fields.CountryField(blank=True, max_length=2, verbose_name='country')),
                        ('website', models.URLField(blank=True, verbose_name='web site')),
                        ('orcid', models.CharField(blank=True, max_length=19, validators=[core.validators.validate_orcid], verbose_name='ORCID iD')),
                        ('links', models.JSONField(blank=True, default=list, help_text='A list of {label, url}.', verbose_name='links')),
                        ('is_public', models.BooleanField(default=True, verbose_name='profile is public')),
                        ('email_visibility', models.CharField(choices=[('nobody', 'Nobody'), ('members', 'Signed-in members'), ('everyone', 'Everyone')], default='nobody', max_length=10, verbose_name='e-mail shown to')),
                        ('allow_indexing', models.BooleanField(default=True, verbose_name='search engines may index the profile')),
                        ('submitted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='submitted at')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                        ('review_message', models.TextField(blank=True, max_length=2000, verbose_name='message to the member')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='profile_changes', to='groups.person', verbose_name='person')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                        ('submitted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'verbose_name': 'profile change',
                        'verbose_name_plural': 'profile changes',
                        'ordering': ['-submitted_at'],
                        'db_table': 'groups_profilechange',
                        'permissions': [('review_profilechange', 'Can approve or decline profile changes')],
                        'indexes': [models.Index(fields=['status', 'submitted_at'], name='profilechange_queue'), models.Index(fields=['person', '-submitted_at'], name='profilechange_person')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('person',), name='profilechange_one_pending_per_person', violation_error_message='This person already has changes waiting for review.')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
