"""Indexes a label page reads instead of rows: each link's post by label, and what the
visibility rule and listing order need of each post by id (posts.selectors)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0004_source_original_image_url_deskedit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["id", "kind", "status", "published_at"], name="posts_post_visible_by_id"
            ),
        ),
        # The links are Django's own table for Post.labels, which takes no Meta indexes.
        migrations.RunSQL(
            "CREATE INDEX posts_post_labels_label_post ON posts_post_labels (label_id, post_id)",
            "DROP INDEX posts_post_labels_label_post",
        ),
    ]
