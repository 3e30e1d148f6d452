"""The coverage-guided harnesses in fuzz/ run in CI: a few thousand inputs each.

Each harness runs as its own process, as a person would run it, starting from its
committed seeds with a fixed libFuzzer seed (the same inputs on every run, so CI never
goes red by chance). The new corpus and any crash file go to the test's tmp dir, never
into fuzz/corpus/. A crash, a timeout (-timeout, per input) or a leak of memory makes
libFuzzer exit non-zero and prints the input that did it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HARNESSES = ["blogger", "wxr", "markdown", "render"]
RUNS = 2000

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("atheris") is None,
        reason="atheris is not installed (the test extra has wheels for Linux x86_64 only)",
    ),
    pytest.mark.own_sqlite,
]


@pytest.mark.parametrize("name", HARNESSES)
def test_the_harness_survives_its_runs(name: str, tmp_path: Path):
    work = tmp_path / "corpus"
    work.mkdir()
    argv = [sys.executable, str(ROOT / "fuzz" / f"{name}.py"), f"-runs={RUNS}", "-seed=1",
            "-timeout=20", "-print_final_stats=1", f"-artifact_prefix={tmp_path}/",
            str(work), str(ROOT / "fuzz" / "corpus" / name)]  # fmt: skip
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=900,
                          check=False, env=_env(tmp_path / "data"))  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    assert f"Done {RUNS} runs" in done.stderr, done.stderr[-2000:]
    assert list(tmp_path.glob("crash-*")) == []


def _env(data_dir: Path) -> dict[str, str]:
    """Our own scratch data dir and temporary folder (the harness's scratch inputs go there,
    not into the machine's /tmp); the harness picks the test settings itself."""
    data_dir.mkdir()
    (data_dir.parent / "tmp").mkdir()
    inherited = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    return {**env, "DATELINE_DATA_DIR": str(data_dir), "TMPDIR": str(data_dir.parent / "tmp")}
