"""Read platform settings from the environment, with errors that name the variable."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean variable; anything but a recognised spelling is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off")


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Return ``CARBONPEAK_DATA_DIR`` (default ``./var``), created if missing."""
    path = Path(os.environ.get("CARBONPEAK_DATA_DIR", "var")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """Return ``SECRET_KEY`` from the environment, else a random key kept in the data directory.

    The generated key is written once with mode 0600, so sessions survive restarts and no secret ever
    lives in the repository.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    path = directory / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def database(directory: Path) -> dict[str, Any]:
    """Return the default database settings from ``DATABASE_URL``.

    Without ``DATABASE_URL`` the platform uses ``carbonpeak.sqlite3`` in the data directory. SQLite runs
    in WAL mode (readers never block the writer) with ``BEGIN IMMEDIATE`` transactions, so concurrent
    writers queue instead of failing with "database is locked".
    """
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{directory / 'carbonpeak.sqlite3'}"
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} cannot be parsed: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    return config
