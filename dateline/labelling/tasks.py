"""Retrain the label model in the background when the blog's labelling has moved on.

The schedule is deliberately simple and needs no cron:

- every label added to or removed from a post is counted (per process, in the cache);
  after `DATELINE_LABELS_RETRAIN_AFTER` such changes a retrain is enqueued;
- a label change also enqueues one when the model file is older than
  `DATELINE_LABELS_RETRAIN_HOURS` (or missing), so a slowly changing blog is retrained
  about once a day, and a blog whose labels never change is never retrained for nothing;
- enqueues wait for the transaction to commit (the task must see the new labels) and are
  debounced to one an hour per process, so a big import queues one retrain, not thousands.

`dateline worker` (started by `dateline serve`) runs the task; `dateline labels retrain`
does the same work at once, e.g. from cron. `DATELINE_LABELS_RETRAIN_AFTER=0` turns the
automatic schedule off.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from dateline.labelling import services
from dateline.labelling.model import NotEnoughHistoryError

logger = logging.getLogger(__name__)

CHANGES_KEY = "labelling:changes-since-retrain"
QUEUED_KEY = "labelling:retrain-queued"
DEBOUNCE_SECONDS = 3600


@task()
def retrain_labels() -> dict[str, object]:
    """Train on the published posts' labels and replace the model; tolerate a young blog."""
    try:
        info = services.retrain()
    except NotEnoughHistoryError as exc:
        logger.info("label model not retrained: %s", exc)
        return {"trained": False, "reason": str(exc)}
    logger.info("label model retrained on %d posts, %d labels", info.n_posts, len(info.labels))
    return {
        "trained": True,
        "n_posts": info.n_posts,
        "labels": len(info.labels),
        "trained_at": info.trained_at,
    }


def _count(changes: int) -> int:
    try:
        return cache.incr(CHANGES_KEY, changes)
    except ValueError:  # not in the cache yet (or evicted): start counting again
        cache.set(CHANGES_KEY, changes, None)
        return changes


def model_is_stale(max_age_hours: int) -> bool:
    """True when there is no model file, it is older than `max_age_hours`, or this version
    of the code cannot use it (written by an older format or scikit-learn)."""
    try:
        age = time.time() - services.model_path().stat().st_mtime
    except FileNotFoundError:
        return True
    return age > max_age_hours * 3600 or services.model_info() is None


def note_label_changes(changes: int = 1) -> bool:
    """Count label changes and enqueue a retrain (on commit) when one is due; say if it was."""
    after = settings.DATELINE_LABELS_RETRAIN_AFTER
    if after <= 0 or changes <= 0:
        return False
    total = _count(changes)
    due = total >= after or model_is_stale(settings.DATELINE_LABELS_RETRAIN_HOURS)
    if not due or not cache.add(QUEUED_KEY, True, DEBOUNCE_SECONDS):
        return False
    cache.set(CHANGES_KEY, 0, None)
    transaction.on_commit(retrain_labels.enqueue)
    return True
