"""Signals only maintain derived data: any change readers could see bumps the content version."""

from collections.abc import Callable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from dateline.core.versioning import bump_version
from dateline.posts.signals import posts_imported

WATCHED_MODELS = ("posts.Post", "posts.Label", "posts.Source", "posts.Redirect",
                  "comments.Comment",
                  # Every page shows the blog's settings; posts and feeds an author's name
                  # (and the account's, when the profile has none: see USER_FIELDS_SHOWN).
                  "site_settings.BlogSettings", "people.Profile")  # fmt: skip


# Sent after each bump, inside the writing transaction, with `counter` (the number this
# bump set) and the change's own `change_sender` and arguments: whoever keeps something
# derived can tell the changes it heard from the ones it did not (siteexport.ledger).
version_bumped = Signal()


# Of an account, readers see only the name a byline falls back to (people.names); a login
# saves the account too (its last_login), which must not empty every cache.
USER_FIELDS_SHOWN = frozenset({"first_name", "last_name"})


def _bump(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: fixtures bring their own state
    counter = bump_version()
    kwargs.pop("signal", None)
    version_bumped.send(sender=None, counter=counter, change_sender=sender, change=kwargs)


def on_content_change(receiver: Callable[..., None], name: str) -> None:
    """Call `receiver(sender, **kwargs)` on every change readers could see: the one list of
    what counts as a change, for the content version and for anything else derived."""
    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        post_save.connect(receiver, sender=model, dispatch_uid=f"{name}-save-{label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{name}-delete-{label}")

    def account_changed(sender, **kwargs) -> None:
        fields = kwargs.get("update_fields")
        if fields is None or USER_FIELDS_SHOWN & fields:
            receiver(sender, **kwargs)

    user = get_user_model()
    for signal, kind in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(account_changed, sender=user, weak=False,
                       dispatch_uid=f"{name}-{kind}-user")  # fmt: skip
    labels_through = apps.get_model("posts.Post").labels.through
    m2m_changed.connect(receiver, sender=labels_through, dispatch_uid=f"{name}-post-labels")
    # Imports write in bulk (no post_save); they announce what they wrote instead.
    posts_imported.connect(receiver, dispatch_uid=f"{name}-import")


def connect() -> None:
    on_content_change(_bump, "version")
