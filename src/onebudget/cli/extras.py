"""The optional extras of ``pyproject.toml`` that commands need, and the one line that says
how to install one that is missing (an ImportError's "No module named 'sqlglot'" does not)."""

from __future__ import annotations

import importlib
import importlib.util

import typer

# The modules each extra installs, as [project.optional-dependencies] lists their packages
MODULES: dict[str, tuple[str, ...]] = {
    "spark": ("pyspark", "sqlglot"),
    "web": (
        *("django", "ninja", "axes", "whitenoise", "argon2", "psycopg", "dj_database_url"),
        *("gunicorn", "django_otp", "segno", "onebudget_web"),
    ),
}


def install_hint(what: str, extra: str) -> str:
    return f"{what} needs the {extra} extra: pip install 'onebudget[{extra}]'"


def missing(extra: str) -> list[str]:
    """The extra's modules that are not installed, found without importing them (the CLI
    never imports the web service: ADR 0003)."""
    return [name for name in MODULES[extra] if _spec(name) is None]


def load(extra: str, what: str) -> None:
    """Import the extra's modules, or say which extra to install and exit 2."""
    try:
        for name in MODULES[extra]:
            importlib.import_module(name)
    except ImportError:
        raise not_installed(what, extra) from None


def not_installed(what: str, extra: str) -> typer.Exit:
    """The install hint on stderr, as one line; the exit (code 2) to raise."""
    typer.echo(install_hint(what, extra), err=True)
    return typer.Exit(2)


def _spec(name: str) -> object | None:
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):  # a module set to None, or with no __spec__
        return None
