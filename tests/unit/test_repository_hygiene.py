"""The repository holds no secret key, database or upload: a key committed once (src/var/
secret_key) signed the sessions of anyone who ran the service from src/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A data directory at any depth, a key or certificate, a database file, an uploads folder
FORBIDDEN = re.compile(
    r"(^|/)var/|secret_key|\.(sqlite3?|db|pem|key|p12|pfx)(-wal|-shm)?$|(^|/)uploads?/",
    re.IGNORECASE,
)


def tracked_files() -> list[str]:
    git = shutil.which("git")
    if not (ROOT / ".git").exists() or git is None:
        pytest.skip("not a git checkout (a source archive): nothing is tracked")
    found = subprocess.run(
        [git, "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert found, "git ls-files listed nothing"
    return found


def test_no_key_database_or_upload_is_tracked() -> None:
    assert [f for f in tracked_files() if FORBIDDEN.search(f)] == []


@pytest.mark.parametrize(
    "path",
    [
        "src/var/secret_key",
        "var/onebudget.sqlite3",
        "var/onebudget.sqlite3-wal",
        "deploy/server.key",
        "a/b/uploads/actuals.csv",
        "data.db",
    ],
)
def test_the_rule_catches_what_it_is_for(path: str) -> None:
    assert FORBIDDEN.search(path)


def test_the_data_directory_does_not_follow_the_current_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from onebudget_web.settings.base import default_data_dir

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    assert default_data_dir() == tmp_path / "xdg" / "onebudget"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_data_dir() == Path.home() / ".local" / "share" / "onebudget"
