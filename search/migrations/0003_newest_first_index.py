"""The candidates of a search are read newest first, undated last (search/engine.py):
on PostgreSQL an index in exactly that order lets a broad term stop after COUNT_LIMIT
rows instead of sorting every match. SQLite's CREATE INDEX has no NULLS LAST (and its
embedded sites are small), so the index is PostgreSQL's only; the index it replaces
(date descending, NULLs first on PostgreSQL) matched neither backend's order."""

from django.db import migrations

CREATE = (
    "CREATE INDEX searchdocument_newest ON search_searchdocument (date DESC NULLS LAST, id)"
)
DROP = "DROP INDEX IF EXISTS searchdocument_newest"


def _postgres(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.RemoveIndex(model_name="searchdocument", name="searchdocument_by_date"),
        migrations.RunPython(_postgres(CREATE), _postgres(DROP)),
    ]
