from django.db import migrations


def mark_existing_files_pending(apps, schema_editor):
    """PDFs uploaded before text extraction existed wait for it (`manage.py extract_pdf_text`)."""
    Publication = apps.get_model("publications", "Publication")
    Publication.objects.exclude(file="").filter(text_status="none").update(text_status="pending")


class Migration(migrations.Migration):

    dependencies = [
        ("publications", "0005_publication_text"),
    ]

    operations = [
        # Reversing needs nothing: going back past 0005 drops the column.
        migrations.RunPython(mark_existing_files_pending, migrations.RunPython.noop),
    ]
