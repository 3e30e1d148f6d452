"""Typed readers for DATELINE_* environment variables (every one is in docs/settings.md)."""

import os
import secrets
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(RuntimeError):
    """A DATELINE_* variable holds a value we cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the database, media, snapshots and generated secrets live.

    Created 0700: the database, the secret key, unpublished drafts' snapshots and backups
    are the site's own, and a directory only its owner can enter keeps every file in it
    private whatever mode that file was created with. An existing directory is left as
    its owner set it.
    """
    path = Path(env_str("DATELINE_DATA_DIR", "dateline-data")).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    else:
        path.chmod(0o700)  # mkdir's mode passes through the umask
    return path


def private_sqlite_file(path: Path) -> Path:
    """`path` made to exist with mode 0600 before SQLite opens it.

    SQLite creates a database with the umask's mode (0644 for most users) and gives its
    -wal and -shm files the database file's mode, so a database it creates is readable by
    every user of the machine. An empty file is a valid empty database; an existing one
    readable by others (from before this rule) is made private, with its -wal and -shm.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except FileNotFoundError:
            pass
    return path


def secret_key(directory: Path) -> str:
    """DATELINE_SECRET_KEY, or a key generated once and kept (mode 0600) in the data dir."""
    from_env = env_str("DATELINE_SECRET_KEY")
    if from_env:
        return from_env
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    # Write aside, then link into place: two workers starting at once agree on one key.
    temp_file = directory / f".secret_key.{os.getpid()}"
    fd = os.open(temp_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(64))
    try:
        os.link(temp_file, key_file)
    except FileExistsError:
        pass
    finally:
        temp_file.unlink()
    return key_file.read_text().strip()
