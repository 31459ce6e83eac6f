import io
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from onebudget import __version__
from onebudget.cli import service
from onebudget.cli.main import app
from onebudget.cli.tables import cell, print_across, print_rows
from onebudget.population.synth.writer import data_dictionary

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"onebudget {__version__}"


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "demo" in result.output
    assert "serve" in result.output


def test_a_bad_port_is_refused_with_a_clear_message() -> None:
    result = runner.invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "--port" in result.output
    assert "65535" in result.output


# -- tables: every figure whole, whatever the terminal's width -------------------------------

# A scheme's figures, from a few pence to more than a billion pounds, and one that was cut
FIGURES = [Decimal("-1192.50"), Decimal("0.07"), Decimal("1234567890.12"), Decimal("-5864.20")]
ROWS = [
    {
        "scheme": f"BCF{i:02}",
        **{f"figure_{c}": FIGURES[(i + c) % 4] * (c + 1) for c in range(6)},
    }
    for i in range(5)
]
PARTNERS = [
    {"partner": "E06099001", "name": "[/red] Council", "contributions": Decimal("-1192.50")},
    {
        "partner": "QZZ",
        "name": "NHS Synthetic place Integrated Care Board",
        "contributions": Decimal("137438.86"),
    },
    {"partner": "E10000034", "name": "Worcestershire", "contributions": Decimal("1234567.89")},
]


def printed(width: int, show: Callable[[Console], None]) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    show(console)
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()


def money(rows: list[dict[str, Any]]) -> list[str]:
    return [cell(v) for row in rows for v in row.values() if isinstance(v, Decimal)]


@pytest.mark.parametrize("width", [120, 80, 60, 40])
def test_every_figure_is_printed_whole_and_the_table_fits_the_terminal(width: int) -> None:
    shown = printed(width, lambda console: print_rows(console, "Quarter 2", ROWS))
    words = shown.split()
    assert all(figure in words for figure in money(ROWS))  # whole, on one line
    assert all(f"BCF{i:02}" in words for i in range(5))
    assert "…" not in shown
    assert max(len(line) for line in shown.splitlines()) <= width
    assert ("(continued)" in shown) == (width < 120)  # in parts only where it must be


@pytest.mark.parametrize("width", [80, 60, 40])
def test_partners_across_wrap_their_names_not_their_figures(width: int) -> None:
    shown = printed(width, lambda console: print_across(console, "[bold]Settlement", PARTNERS))
    words = shown.split()
    assert all(figure in words for figure in money(PARTNERS))
    assert all(p["partner"] in words for p in PARTNERS)
    assert "[/red]" in words  # text from a file, shown as it is: not markup
    assert "[bold]Settlement" in words
    assert "Integrated" in words
    assert "…" not in shown
    assert max(len(line) for line in shown.splitlines()) <= width


def test_a_figure_wider_than_the_terminal_is_folded_never_cut() -> None:
    rows = [{"scheme": "S1", "amount": Decimal("-92233720368547758.07")}]
    shown = printed(16, lambda console: print_rows(console, "Overspent", rows))
    assert "…" not in shown
    assert "-92,233,720,368,547,758.07" in "".join(shown.split())


# -- output for a file or another program ----------------------------------------------------


def test_the_data_dictionary_is_written_as_it_is_not_wrapped() -> None:
    result = runner.invoke(app, ["data-dictionary"], env={"COLUMNS": "60"})
    assert result.exit_code == 0
    assert result.stdout == data_dictionary() + "\n"
    rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert max(len(line) for line in rows) > 60  # a row longer than the terminal is one line
    assert all(line.endswith("|") for line in rows)


# -- extras: how to install what is missing --------------------------------------------------


def test_the_web_service_without_its_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "whitenoise", None)  # `import whitenoise` fails
    monkeypatch.setattr(service.subprocess, "call", lambda *a, **k: pytest.fail("started"))
    result = runner.invoke(app, ["demo"], env={"COLUMNS": "40"})
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "The web service needs the web extra: pip install 'onebudget[web]' "
        "(or run `make demo`); not installed: whitenoise"
    ]
