"""Labels and redirects of imported posts, written in bulk.

Labels match ignoring case (as `labels_named` does), are created once, and
are kept in a key → id cache, so a post costs no label query of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from dateline.core.text import clean_name
from dateline.posts.labels import label_key
from dateline.posts.models import Label, Post, Redirect
from dateline.posts.paths import label_path, local_path_problem

from .bulk import insert_rows
from .records import PostRecord

if TYPE_CHECKING:
    from .summary import ImportSummary

LABEL_MAX, REDIRECT_MAX = 100, 500
Through = Post.labels.through


def label_name(name: str) -> str:
    """A label name as `Label.save()` stores it (`clean_name`), cut to fit its column."""
    return clean_name(name)[:LABEL_MAX]


class LabelWriter:
    """Creates missing labels and sets each post's labels to the record's."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary
        stored = Label.objects.values_list("key", "id", "name")
        self.ids: dict[str, int] = {key: pk for key, pk, _ in stored}
        self.stored_names: dict[str, str] = {key: name for key, _, name in stored}
        self.seen: set[str] = set()
        self.named: dict[str, tuple[str, str]] = {}  # as in the file → (name, key)
        self.touched_posts: set[int] = set()  # posts whose labels were added or removed

    def _name_and_key(self, raw: str) -> tuple[str, str]:
        """Cleaned once per distinct label: 10,000 posts share a few hundred."""
        if (known := self.named.get(raw)) is None:
            name = label_name(raw)
            known = self.named[raw] = (name, label_key(name)[:LABEL_MAX])
        return known

    def _label_ids(self, names: tuple[str, ...]) -> set[int]:
        keys = {key for name, key in map(self._name_and_key, names) if name}
        self.seen.update(keys)
        self.summary.labels = len(self.seen)
        return {self.ids[key] for key in keys}

    def ensure(self, names: Sequence[str]) -> None:
        """Labels a file lists without any post (WordPress's empty categories) exist too."""
        self._create_missing(names)
        self._label_ids(tuple(names))

    def page_of(self, raw: str) -> str:
        """The path of the label's page (under the name it is stored with)."""
        name, key = self._name_and_key(raw)
        return label_path(self.stored_names.get(key, name))

    def _create_missing(self, names: Iterable[str]) -> None:
        missing: dict[str, Label] = {}
        for name, key in map(self._name_and_key, names):
            if name and key not in self.ids and key not in missing:
                missing[key] = Label(name=name, key=key)
        Label.objects.bulk_create(missing.values(), batch_size=500)
        self.ids.update((label.key, label.pk) for label in missing.values())
        self.stored_names.update((label.key, label.name) for label in missing.values())
        self.summary.changes["labels created"] += len(missing)

    def set_labels(
        self, records: Sequence[PostRecord], post_ids: dict[str, int], new_ids: set[int]
    ) -> None:
        """Make each post's labels exactly the record's; new posts need no lookup."""
        self._create_missing(name for record in records for name in record.labels)
        wanted = {post_ids[r.import_id]: self._label_ids(r.labels) for r in records}
        current: dict[int, set[int]] = {pid: set() for pid in wanted}
        old = [pid for pid in wanted if pid not in new_ids]
        for post_id, label_id in Through.objects.filter(post_id__in=old).values_list(
            "post_id", "label_id"
        ):
            current[post_id].add(label_id)
        add = [(pid, lid) for pid, ids in wanted.items() for lid in sorted(ids - current[pid])]
        gone = [(pid, current[pid] - ids) for pid, ids in wanted.items() if current[pid] - ids]
        for post_id, label_ids in gone:
            Through.objects.filter(post_id=post_id, label_id__in=label_ids).delete()
        insert_rows(Through, ("post_id", "label_id"), add)
        self.touched_posts.update(pid for pid, _ in add)
        self.touched_posts.update(pid for pid, _ in gone)
        self.summary.changes["labels added to posts"] += len(add)
        self.summary.changes["labels removed from posts"] += sum(len(ids) for _, ids in gone)


class RedirectWriter:
    """Adds a Redirect from each old address of a post to where it lives now."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.seen: set[str] = set()

    def add_records(self, records: Sequence[PostRecord], post_paths: dict[str, str]) -> None:
        pairs = {}
        for record in records:
            new_path = post_paths.get(record.import_id)
            for old in record.old_paths:
                if new_path and old != new_path:
                    pairs[old] = new_path
        self.store(pairs)

    def add(self, old: str, new: str) -> None:
        self.store({old: new})

    def store(self, pairs: dict[str, str]) -> None:
        """Create or repoint redirects; an address too long to store is noted, not kept."""
        for old, new in list(pairs.items()):
            problem = local_path_problem(old) or local_path_problem(new)
            if len(old) > REDIRECT_MAX:
                problem = "too long"
            if problem:
                del pairs[old]
                self.summary.notes[f"no redirect from an old address {problem}"] += 1
        if not pairs:
            return
        existing = {r.old_path: r for r in Redirect.objects.filter(old_path__in=list(pairs))}
        changed = []
        for old, new in pairs.items():
            redirect = existing.get(old)
            if redirect is not None and redirect.new_path != new:
                redirect.new_path = new
                changed.append(redirect)
        fresh = [Redirect(old_path=o, new_path=n) for o, n in pairs.items() if o not in existing]
        Redirect.objects.bulk_create(fresh, batch_size=500)
        Redirect.objects.bulk_update(changed, ["new_path"], batch_size=500)
        self.seen.update(pairs)
        self.summary.redirects = len(self.seen)
        self.summary.changes["redirects created"] += len(fresh)
        self.summary.changes["redirects updated"] += len(changed)
