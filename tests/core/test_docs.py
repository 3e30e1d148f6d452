"""Settings are documented data: every DATELINE_* variable the code reads is in docs/settings.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"DATELINE_[A-Z_]+")


def variables_in_code() -> set[str]:
    found: set[str] = set()
    sources = [*(ROOT / "dateline").rglob("*.py"), *(ROOT / "tests").rglob("*.py"),
               *(ROOT / "scripts").iterdir(), ROOT / ".ci/run"]  # fmt: skip
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"""env_\w+\(\s*["'](DATELINE_[A-Z_]+)""", text))
        found |= set(re.findall(r"""\$\{?(DATELINE_[A-Z_]+)""", text))
        found |= set(re.findall(r"""environ(?:\.get)?\(\s*["'](DATELINE_[A-Z_]+)""", text))
        found |= set(re.findall(r"""^\s*(?:export\s+)?(DATELINE_[A-Z_]+)=""", text, re.M))
    return found


def test_every_environment_variable_is_documented():
    documented = set(VARIABLE.findall((ROOT / "docs/settings.md").read_text(encoding="utf-8")))
    variables = variables_in_code()
    assert "DATELINE_DATA_DIR" in variables and "DATELINE_SECRET_KEY" in variables
    assert variables - documented == set()


# Options every Django command has; docs/cli.md need not list them.
DJANGO_OPTIONS = {"-h", "--help", "--version", "-v", "--verbosity", "--settings", "--pythonpath",
                  "--traceback", "--no-color", "--force-color", "--skip-checks"}  # fmt: skip


def _options(parser) -> set[str]:
    """Every option string of a parser and of its sub-commands' parsers."""
    import argparse

    found = set()
    for action in parser._actions:
        found.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _options(sub)
    return found


def _parser(name: str):
    from django.core.management import get_commands, load_command_class

    return load_command_class(get_commands()[name], name).create_parser("dateline", name)


def test_docs_cli_md_lists_every_command_and_option_of_the_real_parsers():
    """docs/cli.md's table names every own command, every option it has, and no option
    the command does not have (Django's `migrate` and `check` are Django's to document)."""
    from dateline.cli import COMMANDS

    text = (ROOT / "docs" / "cli.md").read_text()
    rows = {}
    for line in text.splitlines():
        if line.startswith("| `"):
            command = line.split("`")[1].split()[0]
            rows.setdefault(command, []).append(line)
    own = [name for name in COMMANDS if name not in {"migrate", "check"}]
    assert set(own) <= set(rows), set(own) - set(rows)
    inherited = _options(_parser("createsuperuser"))
    for name in own:
        options = _options(_parser(name)) - DJANGO_OPTIONS
        if name == "createuser":
            options -= inherited
        missing = {option for option in options if option.startswith("--") and option not in text}
        assert not missing, f"{name}: {sorted(missing)} not in docs/cli.md"
        documented = {
            word.strip("`[]()|,.").split("=")[0]
            for line in rows[name]
            for word in line.split("|")[1].split()
            if word.strip("`[]").startswith("--")
        }
        unknown = {option for option in documented if option not in _options(_parser(name))}
        assert not unknown, f"{name}: docs/cli.md names {sorted(unknown)}, which it does not have"
