"""The search document: one row per indexed post, derived data only.

Both engines keep the text here. On SQLite an FTS5 table indexes it as external
content (no second copy of the text); on PostgreSQL a generated `tsvector` column
with a GIN index lives on this table. Neither is visible to the ORM: the
migrations add them per database vendor.
"""

from django.db import models


class RowIdField(models.BigIntegerField):
    """`integer primary key` on SQLite, so the post id *is* the rowid FTS5 joins on."""

    def db_type(self, connection) -> str | None:
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class SearchDocument(models.Model):
    """What search reads for one post. Column order matters on SQLite: the short
    columns come first, so filtering by date never reads the long text's pages."""

    post_id = RowIdField(primary_key=True)
    published_at = models.DateTimeField(db_index=True)
    month = models.CharField(max_length=7, help_text="YYYY-MM in the site's time zone.")
    title = models.TextField()
    labels = models.TextField(blank=True)
    publisher = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        db_table = "search_document"
        indexes = [
            # The month facet reads each match's month: from this compact index, not from
            # the row that carries the text (see sqlite_fts5; bench/search.py measures it).
            models.Index(
                fields=["post_id", "month", "published_at"], name="search_doc_month_cover"
            ),
        ]

    def __str__(self) -> str:
        return self.title
