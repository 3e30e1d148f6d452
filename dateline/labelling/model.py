"""A label model learned from the blog's own labelled posts: TF-IDF, a one-vs-rest logistic
regression and the labels of the nearest earlier posts.

Topical labels ("Licensing", "Metadata") are rarely spelled out in a post, so the blog's
history is the only place to learn them from. The classifier learns labels with a few
examples; the neighbours also reach labels used once or twice, which a small blog has
plenty of (on the CC Labs export the two together beat either alone on validation).
The model also keeps how many posts use each candidate keyphrase, so new-label proposals
are weighed against the blog's own corpus. The model is trained in the background,
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

from dateline.labelling.keyphrases import Extractor
from dateline.labelling.text import strip_accents

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier

# scikit-learn (and numpy, scipy) are imported only where a model is trained or checked:
# every web worker imports this module, and most of them never touch a model.

FORMAT_VERSION = 2  # 2: neighbours and keyphrase document frequencies
MAGIC = b"DATELINE-LABEL-MODEL\n"
MIN_POSTS = 30  # below this a model only memorises; the other signals do better
MIN_EXAMPLES = 3  # a label seen fewer times cannot be learned, only guessed
MAX_HEADER = 1 << 20
NEIGHBOURS = 5  # posts whose labels vote; chosen on the bench's validation split
TITLE_REPEAT = 2  # the title counts twice in the text the model sees
PHRASE_POSTS = 2_000  # keyphrase frequencies are estimated on at most this many posts


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


@dataclass(frozen=True, slots=True)
class History:
    """What the model keeps of the training posts themselves (pickled with it)."""

    matrix: "csr_matrix"  # one L2-normalised TF-IDF row per post
    post_labels: tuple[tuple[int, ...], ...]  # each post's labels, as indices into `names`
    names: tuple[str, ...]  # every label used at least once
    phrase_df: dict[str, int]  # keyphrase key -> posts using it (keys used by 2+ posts)
    phrase_posts: int  # the posts counted for `phrase_df` (the newest, at most PHRASE_POSTS)

    def neighbour_votes(self, row: "csr_matrix", k: int = NEIGHBOURS) -> dict[str, float]:
        """Labels of the `k` most similar posts, each weighted by its share of similarity."""
        import numpy as np

        similarity = (self.matrix @ row.T).toarray().ravel()
        if not similarity.size:
            return {}
        top = np.argpartition(-similarity, min(k, similarity.size) - 1)[:k]
        top = top[similarity[top] > 0]
        total = float(similarity[top].sum())
        votes: Counter[str] = Counter()
        for index in top:
            for label in self.post_labels[index]:
                votes[self.names[label]] += float(similarity[index]) / total
        return dict(votes)


class LabelModel:
    """A fitted vectorizer, classifier and neighbours plus the metadata that identifies them."""

    def __init__(
        self,
        vectorizer: "TfidfVectorizer",
        classifier: "OneVsRestClassifier",
        info: ModelInfo,
        history: History,
    ) -> None:
        self.vectorizer = vectorizer
        self.classifier = classifier
        self.info = info
        self.history = history

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels the classifier learned (the neighbours know every label used)."""
        return self.info.labels

    def predict(self, text: str) -> dict[str, float]:
        """Each label's score for one document: the mean of the classifier's probability
        and the neighbours' vote, both in [0, 1]."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Scores for several documents in one vectorised call."""
        results = []
        for parts in self.predict_parts_many(texts):
            results.append({label: (p + n) / 2 for label, (p, n) in parts.items()})
        return results

    def predict_parts(self, text: str) -> dict[str, tuple[float, float]]:
        """Each label's two scores for one document, kept apart so that a ranker can weigh
        them: (the classifier's probability, the neighbours' vote), both in [0, 1]."""
        return self.predict_parts_many([text])[0]

    def predict_parts_many(self, texts: Sequence[str]) -> list[dict[str, tuple[float, float]]]:
        """`predict_parts` for several documents in one vectorised call."""
        rows = self.vectorizer.transform(texts)
        matrix = self.classifier.predict_proba(rows)
        results = []
        for i, probabilities in enumerate(matrix):
            parts = {
                label: (float(p), 0.0) for label, p in zip(self.labels, probabilities, strict=True)
            }
            for label, vote in self.history.neighbour_votes(rows[i]).items():
                parts[label] = (parts.get(label, (0.0, 0.0))[0], vote)
            results.append(parts)
        return results

    @property
    def corpus_size(self) -> int:
        """How many posts `document_frequency` counts in."""
        return self.history.phrase_posts

    def document_frequency(self, key: str) -> int:
        """How many of those posts use a keyphrase (0 when one post or none does)."""
        return self.history.phrase_df.get(key, 0)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically (temp file + rename) so a reader never sees half a model."""
        parts = (self.vectorizer, self.classifier, self.history)
        payload = pickle.dumps(parts, protocol=5)
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
    vectorizer, classifier, history = pickle.loads(payload)  # noqa: S301
    if len(classifier.estimators_) != len(info.labels):
        raise ModelFileError(f"{path}: labels in the header do not match the classifier")
    return LabelModel(vectorizer, classifier, info, history)


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


def model_text(title: str, body: str) -> str:
    """The text the model learns from and predicts on: the title (which says most about
    the labels, so it counts `TITLE_REPEAT` times), then the body."""
    return "\n\n".join([title] * TITLE_REPEAT + [body]) if title else body


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
    # liblinear's dual solver: the same rankings as lbfgs on the bench's validation split
    # and, with more features than posts as here, an order of magnitude faster to fit.
    base = LogisticRegression(
        C=10.0, class_weight="balanced", solver="liblinear", dual=True, max_iter=200
    )
    classifier = OneVsRestClassifier(base, n_jobs=1).fit(features, targets)
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    info = ModelInfo(stamp, len(texts), tuple(keep), sklearn.__version__)
    return LabelModel(vectorizer, classifier, info, _history(features, label_sets, texts))


def _history(features: "csr_matrix", label_sets: list[list[str]], texts: list[str]) -> History:
    """The neighbours' matrix and labels, and the keyphrases' document frequencies."""
    names = sorted({label for labels in label_sets for label in labels})
    index = {name: i for i, name in enumerate(names)}
    post_labels = tuple(tuple(index[label] for label in labels) for labels in label_sets)
    extractor = Extractor()
    counted = texts[-PHRASE_POSTS:]
    df = Counter(key for text in counted for key in extractor.keys(text))
    phrase_df = {key: n for key, n in df.items() if n >= 2}
    return History(features.tocsr(), post_labels, tuple(names), phrase_df, len(counted))


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
