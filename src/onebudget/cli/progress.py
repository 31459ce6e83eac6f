"""The progress bar every long CLI command shows: a step name, a bar, the time taken."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


def steps(console: Console, *, label_width: int) -> Progress:
    return Progress(
        TextColumn(f"{{task.description:<{label_width}}}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
