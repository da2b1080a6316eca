"""Shared fixtures."""

import shutil
from pathlib import Path

import pytest

from carbonpeak.data import DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged reference data, to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def edit_csv(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a CSV file (it must be there once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
