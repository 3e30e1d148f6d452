"""The Django side of label suggestions: vocabulary from the database, the model from disk.

Clipping, the admin, `dateline labels` and the retrain task all ask the same two questions
("what labels fit this text?", "what has the blog taught us?"), so both are answered here
and nowhere else. The pure ranking lives in `suggest.py`; this module only gathers its
inputs. Building a `Suggester` is slow (the gazetteer's matcher), so one is kept per
process and rebuilt only when the labels or the model file change.
"""

import datetime as dt
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from django.conf import settings
from lxml import etree

from dateline.labelling import model as label_model
from dateline.labelling.gazetteer import default_gazetteer
from dateline.labelling.model import LabelModel, ModelInfo
from dateline.labelling.suggest import (
    LIMIT,
    Document,
    LabelTerms,
    Suggester,
    Suggestion,
)
from dateline.posts.labels import split_aliases
from dateline.posts.models import Label, Post

logger = logging.getLogger(__name__)

MODEL_FILENAME = "labels-model.bin"
MAX_LIMIT = 50  # the cached suggester ranks this many; callers slice to their own limit
_TAG = re.compile(r"<(?:[a-zA-Z][\w:-]*|/[a-zA-Z][\w:-]*|!--)[^>]*>")
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br",
           "figcaption", "tr", "pre", "section", "article")  # fmt: skip
_HIDDEN = ("script", "style", "template", "noscript")

SuggestedPost = tuple[Post, list[Suggestion]]


def model_path() -> Path:
    """Where the learned model lives: one file in the data dir, replaced atomically."""
    return Path(settings.DATA_DIR) / MODEL_FILENAME


# --- text -----------------------------------------------------------------------------


def looks_like_html(text: str) -> bool:
    """True when `text` contains markup; clipping may hand us either HTML or plain text."""
    return bool(_TAG.search(text))


def html_to_text(html: str) -> str:
    """Plain text with a blank line after each block, so the lead paragraph stays separate."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return _TAG.sub(" ", html)
    for hidden in list(root.iter(*_HIDDEN)):
        hidden.drop_tree()
    for block in root.iter(*_BLOCKS):
        block.tail = "\n\n" + (block.tail or "")
    paragraphs = (" ".join(part.split()) for part in root.text_content().split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def document_for(title: str, text: str) -> Document:
    """A `Document` from a title and a body that may be HTML or plain text."""
    body = html_to_text(text) if looks_like_html(text) else text
    return Document.from_text(html_to_text(title) if looks_like_html(title) else title, body)


# --- inputs: the blog's vocabulary and its model ----------------------------------------


def vocabulary() -> tuple[LabelTerms, ...]:
    """Every label of the blog with its aliases, read fresh (one query) on each call."""
    rows = Label.objects.order_by("name").values_list("name", "aliases")
    return tuple(LabelTerms(name, tuple(split_aliases(aliases))) for name, aliases in rows)


@dataclass
class _ModelSlot:
    signature: tuple[int, int, int] | None = None
    model: LabelModel | None = None


_model_slot = _ModelSlot()
_model_lock = threading.Lock()


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def current_model() -> LabelModel | None:
    """The trained model, loaded once per process and again whenever the file changes.

    A missing or unreadable file (say, written by another scikit-learn version) means no
    model: suggestions fall back to the vocabulary and the gazetteer, and we log why.
    """
    path = model_path()
    signature = _signature(path)
    with _model_lock:
        if signature != _model_slot.signature:
            _model_slot.signature, _model_slot.model = signature, None
            if signature is not None:
                try:
                    _model_slot.model = label_model.load(path)
                except (label_model.ModelFileError, OSError) as exc:
                    logger.warning("label model not used: %s", exc)
        return _model_slot.model


def model_info() -> ModelInfo | None:
    """The stored model's header (when it was trained, on what), or None without a model."""
    try:
        return label_model.read_info(model_path())
    except (FileNotFoundError, label_model.ModelFileError):
        return None


_suggester_slot: dict[str, tuple[object, Suggester]] = {}
_suggester_lock = threading.Lock()


def suggester() -> Suggester:
    """The process's suggester for the current labels and model (rebuilt when they change)."""
    terms, model = vocabulary(), current_model()
    key = (terms, model)  # a model compares by identity: a reload is a new object
    with _suggester_lock:
        cached = _suggester_slot.get("current")
        if cached is None or cached[0] != key:
            built = Suggester(terms, gazetteer=default_gazetteer(), model=model, limit=MAX_LIMIT)
            cached = _suggester_slot["current"] = (key, built)
        return cached[1]


# --- suggestions --------------------------------------------------------------------------


def rank(
    suggestions: list[Suggestion],
    limit: int = LIMIT,
    exclude: Iterable[str] = (),
    ranker: Suggester | None = None,
) -> list[Suggestion]:
    """At most `limit` suggestions in the order an author sees them (`Suggester.shown_order`
    of `ranker`, the process's suggester unless given: by chance with the blog's model, else
    the blog's own labels first and new ones after the best few), less `exclude` (names
    already on the post, any case)."""
    taken = {name.casefold() for name in exclude}
    fresh = (s for s in suggestions if s.label.casefold() not in taken)
    return (ranker or suggester()).shown_order(fresh)[: max(limit, 0)]


def suggest_labels_for(
    title: str, text: str, limit: int = LIMIT, exclude: Iterable[str] = ()
) -> list[Suggestion]:
    """Ranked label suggestions for a draft; `text` may be HTML or plain text. Labels in
    `exclude` (those already on the post) are never suggested again.

    Nothing is applied: the caller shows these for the author to confirm.
    """
    current = suggester()
    return rank(current.suggest(document_for(title, text)), limit, exclude, current)


def suggest_for_post(post: Post, limit: int = LIMIT) -> list[Suggestion]:
    """Suggestions for a stored post, from its title and rendered body, less its labels."""
    applied = [label.name for label in post.labels.all()] if post.pk else []
    return suggest_labels_for(post.title, post.body_html, limit, applied)


def suggest_for_posts(posts: Iterable[Post], limit: int = LIMIT) -> Iterator[SuggestedPost]:
    """Suggestions for many stored posts with one suggester (labels read once), for bulk review."""
    current = suggester()
    for post in posts:
        found = current.suggest(document_for(post.title, post.body_html))
        yield post, rank(found, limit, ranker=current)


# --- training ---------------------------------------------------------------------------


def post_text(post: Post) -> str:
    """The text the model learns from: as `Document.model_text` puts a draft's."""
    return label_model.model_text(post.title, html_to_text(post.body_html))


def training_posts() -> Iterator[tuple[str, list[str]]]:
    """(text, label names) for every published post, oldest first, streamed in chunks."""
    posts = (
        Post.objects.published()
        .order_by("published_at", "id")
        .only("title", "body_html")
        .prefetch_related("labels")
    )
    for post in posts.iterator(chunk_size=500):
        yield post_text(post), [label.name for label in post.labels.all()]


def retrain(now: dt.datetime | None = None) -> ModelInfo:
    """Learn from the published posts' labels and replace the model file atomically.

    Raises `model.NotEnoughHistoryError` (and leaves any existing model alone) when the
    blog has too few labelled posts to learn from.
    """
    learned = label_model.train(training_posts(), now=now)
    learned.save(model_path())
    return learned.info
