"""Charts drawn once for what they show: a chart function's SVG kept by its inputs.

Drawing a chart (Altair's checks, then Vega-Lite to SVG) takes 50–300 ms, and a page draws
the same chart for every reader until its data change. ``kept`` keeps a chart function's
result under a SHA-256 of the function's name and its arguments: in this process (a small
LRU), and, once ``keep_in`` has named a folder, on disk, so that every process of a service
draws a chart once between them and a restart does not draw it again. New data are new
arguments, so a stale chart is never shown; nothing needs clearing.

Only arguments whose ``repr`` is their content (text, numbers, Decimals, dates, and lists,
tuples and dicts of them) make a key: anything else is drawn every time, never guessed at.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec

P = ParamSpec("P")
IN_MEMORY = 256  # charts; an SVG is 5–60 KB
_memory: OrderedDict[str, str] = OrderedDict()
_folder: list[Path] = []  # where charts are kept on disk, once named
_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")  # an object's default repr: not its content
_NOTHING = "\x00none"  # a chart function's "nothing to show", on disk


def keep_in(folder: Path | None) -> None:
    """Keep charts in ``folder`` (made if missing), shared by every process; None: memory only."""
    _folder.clear()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        _folder.append(folder)


def key_of(name: str, args: tuple[object, ...], kwargs: dict[str, object]) -> str | None:
    """The SHA-256 naming a call, or None when an argument's repr is not its content."""
    text = repr((name, args, sorted(kwargs.items())))
    if _ADDRESS.search(text):
        return None
    return hashlib.sha256(text.encode()).hexdigest()


def kept(draw: Callable[P, str | None]) -> Callable[P, str | None]:
    """``draw``, answered from the store when it has drawn the same arguments before."""
    name = f"{draw.__module__}.{draw.__qualname__}"

    @functools.wraps(draw)
    def answer(*args: P.args, **kwargs: P.kwargs) -> str | None:
        key = key_of(name, args, kwargs)
        if key is None:
            return draw(*args, **kwargs)
        found = _recall(key)
        if found is not None:
            return None if found == _NOTHING else found
        drawn = draw(*args, **kwargs)
        _remember(key, _NOTHING if drawn is None else drawn)
        return drawn

    return answer


def _recall(key: str) -> str | None:
    if key in _memory:
        _memory.move_to_end(key)
        return _memory[key]
    if _folder:
        try:
            text = (_folder[0] / f"{key}.svg").read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        _keep_in_memory(key, text)
        return text
    return None


def _remember(key: str, text: str) -> None:
    _keep_in_memory(key, text)
    if _folder:  # written whole, then renamed: another process never reads half a chart
        handle, temporary = tempfile.mkstemp(dir=_folder[0], suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, _folder[0] / f"{key}.svg")


def _keep_in_memory(key: str, text: str) -> None:
    _memory[key] = text
    _memory.move_to_end(key)
    while len(_memory) > IN_MEMORY:
        _memory.popitem(last=False)
