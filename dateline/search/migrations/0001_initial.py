"""The search document table, plus the engine's own index beside it.

SQLite: an FTS5 table over `search_document` as external content, with bm25 column
weights (title 10, labels 5, publisher 2, body 1) stored as its default `rank`.
PostgreSQL: a generated, weighted `tsvector` column with a GIN index.
"""

from django.db import migrations, models

import dateline.search.models

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, labels, publisher, body,
        content='search_document', content_rowid='post_id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    "INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(10.0, 5.0, 2.0, 1.0)')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]


# Split words the way FTS5's unicode61 does (any run of letters and digits), so that
# "news.example" is two words on both engines rather than one host name on PostgreSQL.
def _weighted(column: str, weight: str) -> str:
    words = f"regexp_replace({column}, '[^[:alnum:]]+', ' ', 'g')"
    return f"setweight(to_tsvector('simple', {words}), '{weight}')"


POSTGRES_FORWARD = [
    "ALTER TABLE search_document ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    + " || ".join(
        _weighted(column, weight)
        for column, weight in [("title", "A"), ("labels", "B"), ("publisher", "C"), ("body", "D")]
    )
    + ") STORED",
    "CREATE INDEX search_document_vector ON search_document USING GIN (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS vector",
]


def _run(statements: dict[str, list[str]]):
    """Run the statements for the database in use; other vendors get no index."""

    def run(apps, schema_editor) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("post_id", dateline.search.models.RowIdField(primary_key=True, serialize=False)),
                ("published_at", models.DateTimeField(db_index=True)),
                (
                    "month",
                    models.CharField(help_text="YYYY-MM in the site's time zone.", max_length=7),
                ),
                ("title", models.TextField()),
                ("labels", models.TextField(blank=True)),
                ("publisher", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
            ],
            options={"db_table": "search_document"},
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
