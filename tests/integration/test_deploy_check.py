"""Production settings pass Django's deployment checks with zero warnings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="onebudget_web.settings.production", **extra_env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = run_check(
        {
            "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x7Qp9" * 10,
            "DATABASE_URL": "postgres://app:app@127.0.0.1:5432/app",
            "DJANGO_ALLOWED_HOSTS": "onebudget.example.org",
            "ONEBUDGET_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = run_check(
        {
            "DATABASE_URL": "postgres://app:app@127.0.0.1:5432/app",
            "ONEBUDGET_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


GOOD = {
    "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x7Qp9" * 10,
    "DATABASE_URL": "postgres://app:app@127.0.0.1:5432/app",
    "DJANGO_ALLOWED_HOSTS": "onebudget.example.org",
}


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "set DJANGO_SECRET_KEY"),
        ({"DATABASE_URL": "sqlite:///var/onebudget.sqlite3"}, "not SQLite"),
        ({"DATABASE_URL": ""}, "set DATABASE_URL to the PostgreSQL database"),
        ({"DJANGO_ALLOWED_HOSTS": "*"}, "without wildcards"),
        ({"DJANGO_ALLOWED_HOSTS": "onebudget.example.org,.example.org,*"}, "without wildcards"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "set DJANGO_ALLOWED_HOSTS"),
        ({"ONEBUDGET_REQUIRE_TWO_FACTOR": "false"}, "set ONEBUDGET_REQUIRE_TWO_FACTOR on"),
        (
            {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            "DJANGO_EMAIL_BACKEND to one that sends mail (SMTP), not the console",
        ),
    ],
    ids=[
        "no-key",
        "sqlite",
        "no-database",
        "wildcard",
        "wildcard-among",
        "no-hosts",
        "no-two-factor",
        "console-email",
    ],
)
def test_production_refuses_each_unsafe_setting_with_one_clear_line(
    tmp_path: Path, change: dict[str, str], said: str
) -> None:
    result = run_check({**GOOD, "ONEBUDGET_DATA_DIR": str(tmp_path), **change})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("OneBudget will not start in production: ")
    assert said in lines[0]
