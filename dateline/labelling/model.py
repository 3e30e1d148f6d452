"""A label model learned from the blog's own labelled posts (TF-IDF + one-vs-rest logistic).

Topical labels ("Licensing", "Metadata") are rarely spelled out in a post, so the blog's
history is the only place to learn them from. The model is trained in the background,
stored in the data dir as one file (a JSON header with its metadata, then the pickled
estimator) and refused on load when the header does not match what we would write.
"""

import datetime as dt
import hashlib
import json
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dateline.labelling.text import strip_accents

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier

# scikit-learn (and numpy, scipy) are imported only where a model is trained or checked:
# every web worker imports this module, and most of them never touch a model.

FORMAT_VERSION = 1
MAGIC = b"DATELINE-LABEL-MODEL\n"
MIN_POSTS = 30  # below this a model only memorises; the other signals do better
MIN_EXAMPLES = 3  # a label seen fewer times cannot be learned, only guessed
MAX_HEADER = 1 << 20


class NotEnoughHistoryError(ValueError):
    """The blog has too few labelled posts (or labels with enough examples) to learn from."""


class ModelFileError(ValueError):
    """A model file is not one we wrote for this version of the code and of scikit-learn."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What a model was trained on and with: checked before the pickle is touched."""

    trained_at: str
    n_posts: int
    labels: tuple[str, ...]
    sklearn_version: str
    format_version: int = FORMAT_VERSION


class LabelModel:
    """A fitted vectorizer and classifier plus the metadata that identifies them."""

    def __init__(
        self, vectorizer: "TfidfVectorizer", classifier: "OneVsRestClassifier", info: ModelInfo
    ) -> None:
        self.vectorizer = vectorizer
        self.classifier = classifier
        self.info = info

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels this model can predict."""
        return self.info.labels

    def predict(self, text: str) -> dict[str, float]:
        """Probability of each known label for one document."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Probabilities for several documents in one vectorised call."""
        matrix = self.classifier.predict_proba(self.vectorizer.transform(texts))
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in matrix]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically (temp file + rename) so a reader never sees half a model."""
        payload = pickle.dumps((self.vectorizer, self.classifier), protocol=5)
        header = {**asdict(self.info), "sha256": hashlib.sha256(payload).hexdigest()}
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".labels-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC + json.dumps(header).encode() + b"\n" + payload)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def read_info(path: str | os.PathLike[str]) -> ModelInfo:
    """Read and check a model file's header without unpickling anything."""
    return _read(Path(path))[0]


def load(path: str | os.PathLike[str]) -> LabelModel:
    """Load a model we wrote; refuse any file whose header, version or checksum differs."""
    info, payload = _read(Path(path))
    # Safe: the bytes are unpickled only after the magic, format version, scikit-learn
    # version and SHA-256 recorded by `save()` all match; the file lives in our data dir.
    vectorizer, classifier = pickle.loads(payload)  # noqa: S301
    if len(classifier.estimators_) != len(info.labels):
        raise ModelFileError(f"{path}: labels in the header do not match the classifier")
    return LabelModel(vectorizer, classifier, info)


def _read(path: Path) -> tuple[ModelInfo, bytes]:
    data = path.read_bytes()
    if not data.startswith(MAGIC):
        raise ModelFileError(f"{path}: not a Dateline label model")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    try:
        header = json.loads(data[len(MAGIC) : end])
        checksum = header.pop("sha256")
        header["labels"] = tuple(header["labels"])
        info = ModelInfo(**header)
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(f"{path}: unreadable header ({exc})") from exc
    payload = data[end + 1 :]
    if info.format_version != FORMAT_VERSION:
        raise ModelFileError(f"{path}: format {info.format_version}, expected {FORMAT_VERSION}")
    import sklearn

    if info.sklearn_version != sklearn.__version__:
        raise ModelFileError(
            f"{path}: trained with scikit-learn {info.sklearn_version}, "
            f"running {sklearn.__version__}; retrain"
        )
    if hashlib.sha256(payload).hexdigest() != checksum:
        raise ModelFileError(f"{path}: checksum mismatch")
    return info, payload


def _preprocess(text: str) -> str:
    return strip_accents(text).lower()


def train(
    posts: Iterable[tuple[str, Iterable[str]]],
    *,
    min_posts: int = MIN_POSTS,
    min_examples: int = MIN_EXAMPLES,
    now: dt.datetime | None = None,
) -> LabelModel:
    """Fit a model on (text, labels) pairs; raise NotEnoughHistoryError when too few."""
    texts, label_sets = [], []
    for text, labels in posts:
        if labels := sorted(set(labels)):
            texts.append(text)
            label_sets.append(labels)
    counts = Counter(label for labels in label_sets for label in labels)
    keep = sorted(label for label, n in counts.items() if n >= min_examples)
    if len(texts) < min_posts or len(keep) < 2:
        raise NotEnoughHistoryError(
            f"{len(texts)} labelled posts and {len(keep)} labels with {min_examples}+ "
            f"examples; need {min_posts} posts and 2 labels"
        )
    kept = set(keep)
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    binarizer = MultiLabelBinarizer(classes=keep)
    targets = binarizer.fit_transform([[x for x in labels if x in kept] for labels in label_sets])
    vectorizer = _vectorizer(len(texts))
    features = vectorizer.fit_transform(texts)
    base = LogisticRegression(C=10.0, class_weight="balanced", max_iter=200)
    classifier = OneVsRestClassifier(base, n_jobs=1).fit(features, targets)
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    info = ModelInfo(stamp, len(texts), tuple(keep), sklearn.__version__)
    return LabelModel(vectorizer, classifier, info)


def _vectorizer(n_posts: int) -> "TfidfVectorizer":
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        preprocessor=_preprocess,
        sublinear_tf=True,
        ngram_range=(1, 2),
        min_df=2 if n_posts >= 100 else 1,
        max_df=0.9,
        max_features=50_000,
        stop_words="english",
        dtype=np.float32,
    )
