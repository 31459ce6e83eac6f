"""Entry point of the ``onebudget`` command. Each command group lives in its own module."""

from __future__ import annotations

import typer
from rich.console import Console

from onebudget import __version__
from onebudget.cli import allocate, bcf, contract, data, fund, indicators, scenario, spend, synth
from onebudget.cli.service import run_service

app = typer.Typer(
    name="onebudget",
    help="OneBudget: integrated commissioning of health and social care.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err = Console(stderr=True)

HOST = typer.Option("127.0.0.1", help="Address to listen on.")
PORT = typer.Option(8000, min=1, max=65535, help="Port to listen on.")


def _show_version(value: bool) -> None:
    if value:
        console.print(f"onebudget {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """OneBudget: integrated commissioning of health and social care."""


@app.command()
def demo(host: str = HOST, port: int = PORT) -> None:
    """Create the embedded database, load the demo place and serve it."""
    raise typer.Exit(run_service("demo", host=host, port=port, console=err))


@app.command()
def serve(host: str = HOST, port: int = PORT) -> None:
    """Apply migrations and serve the web service on the configured database."""
    raise typer.Exit(run_service("serve", host=host, port=port, console=err))


app.command(name="synth")(synth.synth)
app.command(name="data-dictionary")(synth.dictionary)
app.command(name="indicators")(indicators.indicators)
app.command(name="segments")(indicators.segments)
app.command(name="spend")(spend.spend)
app.add_typer(fund.app, name="fund")
app.add_typer(allocate.app, name="allocate")
app.add_typer(data.app, name="data")
app.add_typer(bcf.app, name="bcf")
app.add_typer(contract.app, name="contract")
app.add_typer(scenario.app, name="scenario")
