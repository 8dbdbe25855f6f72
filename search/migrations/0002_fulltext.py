"""The full-text structures the ORM does not manage, made for the database in use.

PostgreSQL: the unaccent and pg_trgm extensions; text search configurations `jli_en`
and `jli_fr` (English or French stemming after unaccent, so "Sante" finds "Santé");
the weighted `vector` (GIN-indexed) and the small `rank_vector` columns; a trigram
index on titles for suggestions. SQLite: the FTS5 table `search_fts` of stemmed texts,
its rowid the document's id. Each side is a no-op on the other database.
"""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS jli_en",
    "CREATE TEXT SEARCH CONFIGURATION jli_en (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION jli_en ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, english_stem",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS jli_fr",
    "CREATE TEXT SEARCH CONFIGURATION jli_fr (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION jli_fr ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, french_stem",
    "ALTER TABLE search_searchdocument ADD COLUMN vector tsvector NOT NULL DEFAULT ''",
    "ALTER TABLE search_searchdocument ADD COLUMN rank_vector tsvector NOT NULL DEFAULT ''",
    # Matching: every search.
    "CREATE INDEX searchdocument_vector ON search_searchdocument USING gin (vector)",
    # "Did you mean": titles holding a word like the one typed.
    "CREATE INDEX searchdocument_title_trgm ON search_searchdocument "
    "USING gin (title gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS searchdocument_title_trgm",
    "DROP INDEX IF EXISTS searchdocument_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS rank_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS jli_fr",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS jli_en",
]
SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, lead, body, extra, tokenize='unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_fts"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in statements.get(vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_searchdocument")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
