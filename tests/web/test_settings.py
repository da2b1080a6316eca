"""Settings come from the environment, with errors that name the variable."""

import os
import sqlite3
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.sqlite3.base import DatabaseWrapper

from carbonpeak.web.config import env


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False), ("", False)]
)
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env.env_bool("DEBUG") is expected


def test_env_bool_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env.env_bool("DEBUG")


def test_debug_is_off_unless_asked(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    assert env.env_bool("DEBUG", False) is False
    from django.conf import settings

    assert settings.DEBUG is False


def test_allowed_hosts(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "carbon.yangpu.gov.cn, 10.0.0.5 ,")
    assert env.env_list("ALLOWED_HOSTS", []) == ["carbon.yangpu.gov.cn", "10.0.0.5"]


@pytest.mark.django_db
def test_default_database_is_sqlite_in_the_data_dir_with_wal(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env.database(tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "carbonpeak.sqlite3")
    wrapper = DatabaseWrapper(
        {
            **config,
            "TIME_ZONE": None,
            "AUTOCOMMIT": True,
            "CONN_HEALTH_CHECKS": False,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        },
        alias="wal-check",
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x integer)")
    finally:
        wrapper.close()
    with sqlite3.connect(tmp_path / "carbonpeak.sqlite3") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_postgresql_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://cp:secret@db.internal:5433/carbonpeak")
    config = env.database(tmp_path)
    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        5433,
        "carbonpeak",
        "cp",
    )


def test_bad_database_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "oracle-ish://nowhere")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL='oracle-ish://nowhere' cannot be parsed"):
        env.database(tmp_path)


def test_secret_key_is_generated_once_and_private(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = env.secret_key(tmp_path)
    assert len(first) >= 50
    assert env.secret_key(tmp_path) == first
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert env.secret_key(tmp_path) == "from-the-environment"


def test_data_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CARBONPEAK_DATA_DIR", str(tmp_path / "nested" / "var"))
    assert env.data_dir() == tmp_path / "nested" / "var"
    assert (tmp_path / "nested" / "var").is_dir()
