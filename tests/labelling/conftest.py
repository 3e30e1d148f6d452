"""Fixtures for the Django side of labelling: a private data dir, a seed-shaped story and a
labelled history big enough to learn from (all our own prose; nothing read from outside)."""

import random
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

# Countries named by demonyms, capitals and short forms as often as by name, like the seed.
SEED_TITLE = "US envoy and Iranian officials meet in Baghdad over militia attacks"
SEED_PARAGRAPHS = (
    "Washington and Tehran sent envoys to Baghdad on Thursday for a new round of talks on "
    "the militias that have attacked convoys across Iraq since the winter.",
    "The American delegation said Iranian rockets had been found near the border with Iraq. "
    "An Iranian official called the charge a pretext for keeping US troops in the country.",
    "Iraqi ministers hosted the meeting and said the Iraqis wanted both sides to stop "
    "treating Iraq as a battlefield. Tehran said it would send engineers to help rebuild.",
    "The United States and Iran have had no embassies in each other's capitals for decades. "
    "Americans and Iranians still argue over the nuclear programme that Washington fears. "
    "Observers from Kuwait and Oman watched the talks.",
)
SEED_TEXT = "\n\n".join(SEED_PARAGRAPHS)
SEED_HTML = "".join(f"<p>{p}</p>" for p in SEED_PARAGRAPHS)
SEED_LABELS = ["Iran", "Iraq", "United States"]

# Topical labels a post rarely spells out: only a learned model can find them.
TOPICS = {
    "Licensing": "licence copyright permission attribution share-alike terms rights reuse",
    "Metadata": "metadata rdfa triples schema vocabulary markup embedded machine-readable",
    "Events": "conference summit meetup talk schedule venue speakers registration",
}
FILLER = "the a of and this week we our project new update about with for team"
LICENSING_TEXT = (
    "We changed the copyright terms: attribution and share-alike permission now cover "
    "reuse of every photo, and the licence says which rights remain ours."
)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    """Each test gets its own data dir, so a model one test writes is seen by no other."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def labelled_history(make_post):
    """40 published posts on three topics, each labelled with its topic(s)."""
    rng = random.Random(11)
    names = sorted(TOPICS)
    posts = []
    for i in range(40):
        chosen = [names[i % len(names)]] + ([names[(i + 1) % len(names)]] if i % 4 == 0 else [])
        words = FILLER.split() * 2
        for topic in chosen:
            words += rng.choices(TOPICS[topic].split(), k=12)
        rng.shuffle(words)
        body = " ".join(words).capitalize() + "."
        posts.append(
            make_post(
                labels=tuple(chosen),
                title=f"Project note {i}",
                body_source=body,
                published_at=timezone.now() - timedelta(days=100 + i),
            )
        )
    return posts
