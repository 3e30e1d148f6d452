"""What every harness shares: Django set up once, our code instrumented, libFuzzer's flags.

The readers need settings (time zones, media URLs), so Django is set up with the test
settings on a throwaway data dir before the targets are imported. Only Dateline and the
pure-Python parsers it drives are instrumented: coverage there is what guides the fuzzer,
and instrumenting Django as well would only make every input slower.

Run a harness as a script (`python fuzz/blogger.py [libFuzzer flags] [CORPUS_DIR…]`).
Without a corpus dir it starts from its seeds in `fuzz/corpus/NAME/` and writes what it
learns (and any crash) into a scratch dir, so the committed seeds never change.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
INSTRUMENTED = ["dateline", "frontmatter", "markdown_it", "yaml"]
# Per input: a hang is any input that takes longer than this (libFuzzer reports a timeout).
DEFAULTS = ["-timeout=10", "-rss_limit_mb=2048", "-max_len=65536"]


def instrumented() -> atheris.import_hook.HookManager:
    """Import Django and the targets inside this block so our code is instrumented."""
    return atheris.instrument_imports(include=INSTRUMENTED)


def setup_django() -> None:
    """Test settings on a scratch data dir: the harness never touches a real site."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATELINE_DATA_DIR", tempfile.mkdtemp(prefix="dateline-fuzz-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dateline.settings.test")
    import django

    django.setup()


def libfuzzer_args(name: str, argv: list[str]) -> list[str]:
    """argv with our defaults, and a scratch corpus plus the seeds when no corpus is named."""
    flags = [arg for arg in argv[1:] if arg.startswith("-")]
    dirs = [arg for arg in argv[1:] if not arg.startswith("-")]
    given = {flag.split("=", 1)[0] for flag in flags}
    flags += [flag for flag in DEFAULTS if flag.split("=", 1)[0] not in given]
    if not dirs:
        work = Path(tempfile.gettempdir()) / "dateline-fuzz" / name
        work.mkdir(parents=True, exist_ok=True)
        dirs = [str(work), str(FUZZ / "corpus" / name)]
        if "-artifact_prefix" not in given:
            flags.append(f"-artifact_prefix={work}/")
    return [argv[0], *flags, *dirs]


def scratch_file(name: str) -> Path:
    """One file per harness process, rewritten for every input (the readers take paths)."""
    return Path(tempfile.mkdtemp(prefix="dateline-fuzz-input-")) / name


def run(name: str, test_one_input: Callable[[bytes], None]) -> None:
    """Hand the target to libFuzzer; a Python exception escaping it is reported as a crash."""
    atheris.Setup(libfuzzer_args(name, sys.argv), test_one_input)
    atheris.Fuzz()
