"""The Author and Editor groups with their rights (dateline.people.rights)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from dateline.people.rights import ensure_roles

    ensure_roles(apps, schema_editor.connection.alias)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=("Author", "Editor")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("site_settings", "0001_initial"),
        ("posts", "0003_paths_checked"),
        ("comments", "0002_comment_post_status_index"),
        ("clipping", "0001_initial"),
        ("interchange", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
