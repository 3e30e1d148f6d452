"""What each role may do, as Django groups: made by a migration and kept by every migrate.

`ensure_roles` only adds: a right an editor took away from a group in the admin stays
away until this list changes; a flushed database (the tests' transactional runs) gets its
groups back, since `flush` sends post_migrate as `migrate` does.
"""

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions

# "app_label.codename"; an editor has every right of these apps and the few named after.
AUTHOR_RIGHTS = (
    "posts.add_post", "posts.change_post", "posts.delete_post", "posts.view_post",
    "posts.add_label", "posts.change_label", "posts.view_label",
    "posts.add_source", "posts.change_source", "posts.view_source",
    "comments.change_comment", "comments.delete_comment", "comments.view_comment",
    "clipping.add_clipjob", "clipping.view_clipjob", "clipping.view_snapshot",
)  # fmt: skip
EDITOR_APPS = ("posts", "comments", "clipping", "interchange", "site_settings", "people")
EDITOR_RIGHTS = ("auth.add_user", "auth.change_user", "auth.view_user")
GROUP_NAMES = {"author": "Author", "editor": "Editor"}


def ensure_roles(apps: Apps = global_apps, using: str = "default") -> None:
    """Create the Author and Editor groups if missing and give them their rights."""
    # Permissions are made by post_migrate, after every migration has run: a migration on
    # a new database finds none yet, so make them here (a migration's app configs are
    # stubs without a models module, which create_permissions would skip).
    for config in apps.get_app_configs():
        stub = getattr(config, "models_module", None) is None
        if stub:
            config.models_module = True
        try:
            create_permissions(config, verbosity=0, using=using, apps=apps)
        finally:
            if stub:
                config.models_module = None
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    permissions = list(permission_model.objects.using(using).select_related("content_type"))
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in permissions}
    missing = (set(AUTHOR_RIGHTS) | set(EDITOR_RIGHTS)) - by_name.keys()
    if missing:
        raise LookupError(f"Permissions missing for the roles: {sorted(missing)}")
    editor = [p for p in permissions if p.content_type.app_label in EDITOR_APPS]
    editor += [by_name[name] for name in EDITOR_RIGHTS]
    rights = {"author": [by_name[name] for name in AUTHOR_RIGHTS], "editor": editor}
    for role, name in GROUP_NAMES.items():
        group, _ = group_model.objects.using(using).get_or_create(name=name)
        group.permissions.add(*rights[role])
