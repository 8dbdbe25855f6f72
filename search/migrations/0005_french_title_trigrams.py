"""Suggestions ("did you mean") draw on the French titles too (search/engine.py): on
PostgreSQL a trigram index on them, as 0002 made on the titles, serves the ILIKE that
finds the candidates. SQLite scans (its embedded sites are small)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX searchdocument_title_fr_trgm ON search_searchdocument "
    "USING gin (title_fr gin_trgm_ops)"
)
DROP = "DROP INDEX IF EXISTS searchdocument_title_fr_trgm"


def _postgres(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_french_versions")]

    operations = [migrations.RunPython(_postgres(CREATE), _postgres(DROP))]
