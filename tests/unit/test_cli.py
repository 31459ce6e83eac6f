from typer.testing import CliRunner

from onebudget import __version__
from onebudget.cli.main import app

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
