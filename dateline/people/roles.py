"""The desk's two roles, as Django groups (their rights: people/rights.py).

An author writes and publishes their own posts and moderates comments; an editor may do
everything, including others' posts, the blog's settings and its people. A superuser is
an editor whatever their groups.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, Group

from dateline.people.rights import GROUP_NAMES

AUTHOR, EDITOR = "author", "editor"
GROUPS = GROUP_NAMES
ROLE_NAMES = {AUTHOR: "Author", EDITOR: "Editor"}
ROLE_CHOICES = [
    (AUTHOR, "Author: writes and publishes their own posts, moderates comments"),
    (EDITOR, "Editor: everything, including others' posts, settings and people"),
]


def role_of(user: AbstractBaseUser) -> str | None:
    """The user's role; None for an account with neither (it sees the desk only)."""
    if user.is_superuser:
        return EDITOR
    names = {group.name for group in user.groups.all()}
    if GROUPS[EDITOR] in names:
        return EDITOR
    if GROUPS[AUTHOR] in names:
        return AUTHOR
    return None


def set_role(user: AbstractBaseUser, role: str) -> None:
    """Put a saved user in exactly one role's group; the desk needs staff status."""
    if role not in GROUPS:
        raise ValueError(f"Unknown role {role!r}: use one of {', '.join(GROUPS)}.")
    groups = Group.objects.filter(name__in=GROUPS.values())
    if len(groups) != len(GROUPS):
        raise LookupError("The Author and Editor groups are missing: run `dateline migrate`.")
    by_name = {group.name: group for group in groups}
    user.groups.remove(*groups)
    user.groups.add(by_name[GROUPS[role]])
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def _active_staff(user: AbstractBaseUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def may_change_settings(user: AbstractBaseUser) -> bool:
    return _active_staff(user) and user.has_perm("site_settings.change_blogsettings")


def may_manage_people(user: AbstractBaseUser) -> bool:
    return _active_staff(user) and user.has_perm("people.manage_people")


def may_edit_post(user: AbstractBaseUser, author_id: int | None) -> bool:
    """Anyone's post with edit_any_post (editors); otherwise only one's own."""
    if not _active_staff(user):
        return False
    return user.has_perm("people.edit_any_post") or (author_id is not None and author_id == user.pk)
