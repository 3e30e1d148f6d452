"""Settings are documented data: every DATELINE_* variable the code reads is in docs/settings.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"DATELINE_[A-Z_]+")


def variables_in_code() -> set[str]:
    found: set[str] = set()
    sources = [*(ROOT / "dateline").rglob("*.py"), *(ROOT / "scripts").iterdir(), ROOT / ".ci/run"]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"""env_\w+\(\s*["'](DATELINE_[A-Z_]+)""", text))
        found |= set(re.findall(r"""\$\{?(DATELINE_[A-Z_]+)""", text))
        found |= set(re.findall(r"""environ(?:\.get)?\(\s*["'](DATELINE_[A-Z_]+)""", text))
    return found


def test_every_environment_variable_is_documented():
    documented = set(VARIABLE.findall((ROOT / "docs/settings.md").read_text(encoding="utf-8")))
    variables = variables_in_code()
    assert "DATELINE_DATA_DIR" in variables and "DATELINE_SECRET_KEY" in variables
    assert variables - documented == set()
