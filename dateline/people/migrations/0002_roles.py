"""The Author and Editor groups with their permissions (dateline.people.roles)."""

from django.db import migrations

# What each role may do, as "app_label.codename". Frozen here: a later change of a role's
# rights is a new migration, so every blog's groups say the same.
AUTHOR = [
    "posts.add_post", "posts.change_post", "posts.delete_post", "posts.view_post",
    "posts.add_label", "posts.change_label", "posts.view_label",
    "posts.add_source", "posts.change_source", "posts.view_source",
    "comments.change_comment", "comments.delete_comment", "comments.view_comment",
    "clipping.add_clipjob", "clipping.view_clipjob", "clipping.view_snapshot",
]  # fmt: skip
EDITOR_APPS = ("posts", "comments", "clipping", "interchange", "site_settings", "people")
EDITOR_EXTRA = ["auth.add_user", "auth.change_user", "auth.view_user"]


def _permissions(apps, schema_editor):
    """Permissions are made after migrations run (post_migrate); a new database has none
    yet, so make them now."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(schema_editor.connection.alias).select_related("content_type")


def _named(permissions, names):
    wanted = {tuple(name.split(".")) for name in names}
    found = [p for p in permissions if (p.content_type.app_label, p.codename) in wanted]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise RuntimeError(f"Permissions missing for the roles: {sorted(missing)}")
    return found


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    alias = schema_editor.connection.alias
    permissions = list(_permissions(apps, schema_editor))
    editor_rights = [p for p in permissions if p.content_type.app_label in EDITOR_APPS]
    editor_rights += _named(permissions, EDITOR_EXTRA)
    for name, rights in (("Author", _named(permissions, AUTHOR)), ("Editor", editor_rights)):
        group, _ = Group.objects.using(alias).get_or_create(name=name)
        group.permissions.add(*rights)


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
