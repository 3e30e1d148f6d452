"""Tests: a throwaway data dir, fast hashing; database from DATABASE_URL or a SQLite file."""

import atexit
import os
import shutil
import sys
import tempfile


def _own_data_dir(prefix: str) -> str:
    """A new data dir, removed when the process that made it exits (processes it starts
    share it and must not remove it, so only this one does)."""
    made = tempfile.mkdtemp(prefix=prefix)
    maker = os.getpid()
    atexit.register(lambda: os.getpid() == maker and shutil.rmtree(made, ignore_errors=True))
    return made


# pytest-xdist starts its workers with the controller's environment, data dir included:
# each worker takes a data dir of its own (media, snapshots, the label model), as it has a
# database of its own (pytest-django's _gwN suffix). Only the worker itself, which has pytest
# loaded: a process one of its tests starts inherits the worker's dir, or is given its own.
if os.environ.get("PYTEST_XDIST_WORKER") and "pytest" in sys.modules:
    worker = os.environ["PYTEST_XDIST_WORKER"]
    os.environ["DATELINE_DATA_DIR"] = _own_data_dir(f"dateline-test-{worker}-")
elif "DATELINE_DATA_DIR" not in os.environ:
    os.environ["DATELINE_DATA_DIR"] = _own_data_dir("dateline-test-")

from dateline.settings.base import *  # noqa: E402, F403 - after choosing the data dir
from dateline.settings.base import DATA_DIR, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = True  # serve from the apps; no collectstatic before tests
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so the tests see the same WAL and locking behaviour as production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DATELINE_COMMENT_MIN_SECONDS = 0
# A request's database budget far above the default: scripts/test runs many test processes
# on few cores, and a page that is quick alone (an admin form, a clip) could pass the
# default while it waits for a core, a 503 no reader would see. The budget's own tests set
# a short one (tests/core/test_dbbudget.py, tests/search/test_too_slow.py).
DATELINE_REQUEST_DB_BUDGET = 60
# Tasks run at once, inside the test, so their effects can be asserted directly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# No automatic label-model retraining: a model in the shared test data dir would change
# other tests' suggestions. tests/labelling/test_tasks.py turns it on where it is tested.
DATELINE_LABELS_RETRAIN_AFTER = 0
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405 - the test client's host
# The clipping tests fetch from their own HTTP server on 127.0.0.1 (its port is added to
# DATELINE_CLIP_TEST_PORTS by the tests). Explicit and test-only: base.py keeps it off and
# no environment variable can turn it on.
DATELINE_CLIP_ALLOW_LOOPBACK = True
