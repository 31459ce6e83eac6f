"""The one YAML reader of every definition and upload, and the writer of agreements.

``load`` reads safely (no Python objects), keeps floats as exact Decimals (a finance lead's
``contribution: 1200000.10`` is not a binary float), and refuses, as problems with their
path and line rather than as a traceback:

- aliases (``*name``), unless the caller passes ``aliases=True`` for reviewed definitions
  shipped with the package: a 400-byte upload of nested aliases expands to a billion items;
- nesting deeper than ``MAX_DEPTH`` (the composer recurses: 20,000 levels is a RecursionError)
  and text longer than ``MAX_CHARS``, for every file, shipped or uploaded;
- explicit tags but for ``!!str``, ``!!float``, ``!!int`` and ``!!null`` (``!!timestamp x``
  and ``!!bool x`` crash PyYAML's own constructors; people do not write tags in these
  files), and values that match YAML's patterns but are not values (``2024-13-45``, an
  integer of 5,000 digits, ``.nan``).

Every problem is raised as one ``YamlError`` (a ``ProblemsError``); each format keeps its
own validation and turns these problems into its own error.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from onebudget.io.problems import Problem, ProblemsError

MAX_DEPTH = 50
MAX_CHARS = 1_000_000
# The tags a reader takes: none, or the scalar types the writer itself marks (``dump``
# writes Decimal("0") as ``!!float '0'``), whose constructors fail only with a ValueError
_PLAIN = (None, "!", *(f"tag:yaml.org,2002:{t}" for t in ("str", "float", "int", "null")))
_START = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
TAGS = "tags (!!name) other than !!str, !!int, !!float and !!null are not read"


class YamlError(ProblemsError, yaml.YAMLError):
    """Text that is not YAML this reader takes. Also a ``yaml.YAMLError``, so code written
    for PyYAML's errors still catches it."""


class _Refused(yaml.YAMLError):
    """Raised inside the reader; ``load`` turns it into a ``YamlError``."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _line(mark: Any) -> int | None:
    return None if mark is None else int(mark.line) + 1


class _Reader(yaml.SafeLoader):
    """SafeLoader that knows the path of the node it is composing, and enforces the rules."""

    def __init__(self, text: str, *, aliases: bool) -> None:
        super().__init__(text)
        self.aliases = aliases
        self.keys: list[str] = []  # the path to the node being composed; kept on an error
        self.paths: dict[int, str] = {}  # id(node) -> its path, for errors on construction

    def where(self) -> str:
        return ".".join(self.keys[1:]) or "(file)"

    def refuse(self, event: Any, rule: str, value: Any = None) -> _Refused:
        mark = event.start_mark
        return _Refused(Problem(path=self.where(), value=value, rule=rule, line=_line(mark)))

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.keys.append(_part(parent, index))
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) and not self.aliases:
            rule = "aliases (*name) are not allowed here; write the value out"
            raise self.refuse(event, rule, f"*{event.anchor}")
        if isinstance(event, _START) and len(self.keys) > MAX_DEPTH:
            raise self.refuse(event, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(event, (yaml.ScalarEvent, *_START)) and event.tag not in _PLAIN:
            raise self.refuse(event, TAGS, event.tag)
        node = super().compose_node(parent, index)
        if node is not None:
            self.paths[id(node)] = self.where()
        self.keys.pop()
        return node

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:  # noqa: N803 (PyYAML's)
        """Refuse ``[[[[...`` as the scanner meets it: PyYAML's scanner checks every open
        bracket at each token, so 20,000 of them cost seconds before the composer sees one."""
        if self.flow_level >= MAX_DEPTH:
            rule = f"nested more than {MAX_DEPTH} levels deep"
            line = int(self.line) + 1
            raise _Refused(Problem(path=self.where(), value=None, rule=rule, line=line))
        super().fetch_flow_collection_start(TokenClass)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A scalar that fits YAML's pattern for its type but is not a value of it (a 13th
        month, an integer too long to read) is a problem at its path, not a ValueError."""
        if not isinstance(node, yaml.ScalarNode):
            return super().construct_object(node, deep)
        try:
            return super().construct_object(node, deep)
        except (ValueError, IndexError) as error:  # IndexError: !!int ''
            path = self.paths.get(id(node), "(file)")
            rule = f"not a value of its kind: {str(error).splitlines()[0][:80]}"
            problem = Problem(path=path, value=node.value, rule=rule, line=_line(node.start_mark))
            raise _Refused(problem) from None


def _part(parent: yaml.Node | None, index: Any) -> str:
    if parent is None:
        return ""
    if isinstance(index, int):
        return str(index)
    if isinstance(index, yaml.ScalarNode):
        return str(index.value)
    return "(key)"


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    try:
        value = Decimal(text)
    except InvalidOperation:  # 1:30.5, YAML 1.1's base 60
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValueError("a number is written in decimal digits, such as 1234.56")
    return value


_Reader.add_constructor("tag:yaml.org,2002:float", _decimal)


def load(text: str, *, source: str = "(text)", aliases: bool = False) -> Any:
    """The data in ``text``, or ``YamlError`` naming ``source`` and every problem found.
    ``aliases=True`` only for reviewed definitions shipped with the package."""
    if len(text) > MAX_CHARS:
        rule = f"longer than {MAX_CHARS:,} characters; a definition is a few thousand"
        raise YamlError(source, [Problem(path="(file)", value=None, rule=rule)])
    try:
        reader = _Reader(text, aliases=aliases)
    except yaml.YAMLError as error:  # a ReaderError: a character YAML does not allow
        raise YamlError(source, [_unreadable(error)]) from None
    try:
        return reader.get_single_data()
    except _Refused as refused:
        raise YamlError(source, [refused.problem]) from None
    except yaml.MarkedYAMLError as error:
        raise YamlError(source, [_syntax(error, reader.where())]) from None
    except yaml.YAMLError as error:
        raise YamlError(source, [_unreadable(error)]) from None
    finally:
        reader.dispose()


def _unreadable(error: yaml.YAMLError) -> Problem:
    return Problem(path="(file)", value=None, rule=f"not YAML: {str(error).splitlines()[0]}")


def _syntax(error: yaml.MarkedYAMLError, path: str) -> Problem:
    rule = f"not YAML: {error.problem or str(error).splitlines()[0]}"
    if error.context:
        rule += f" ({error.context}, line {_line(error.context_mark)})"
    return Problem(path=path, value=None, rule=rule, line=_line(error.problem_mark))


class MoneyDumper(yaml.SafeDumper):
    """Safe dumping, with Decimals as plain numbers, and never an alias: the reader refuses
    them, so a value used twice is written out twice and what is written reads back."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", f"{value:f}")


# Characters a YAML reader takes as a line break: written raw inside a quoted scalar they
# are folded to a space on reading, so a text holding one is written double-quoted, where
# they are escaped (\N, \L, \P) and read back as they were.
LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if any(c in value for c in LINE_BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


MoneyDumper.add_representer(Decimal, _represent_decimal)
MoneyDumper.add_representer(str, _represent_text)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=MoneyDumper, sort_keys=False, allow_unicode=True, width=96)


def lines(text: str) -> dict[str, int]:
    """The line of every place in a YAML text (``schemes.2.spend`` -> 41), so a problem
    found in the data it loaded to can be shown at its line; empty if it is not YAML."""
    found: dict[str, int] = {}

    def walk(node: Any, path: str) -> None:
        found[path or "(file)"] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, f"{path}.{key.value}" if path else str(key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}.{i}" if path else str(i))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # lines are a help: a text that is not YAML has none
        return found
    if root is not None:
        walk(root, "")
    return found


def with_lines(problems: list[Problem], where: dict[str, int]) -> list[Problem]:
    """Each problem with the line of its place, or of the nearest place around it."""
    placed = []
    for p in problems:
        path = p.path
        while path not in where and "." in path:
            path = path.rsplit(".", 1)[0]
        placed.append(p.model_copy(update={"line": where.get(path, p.line)}))
    return placed


def read_text(path: Path, error: type[ProblemsError]) -> str:
    """A YAML file's text, or ``error`` naming the file if it is not UTF-8 (a YAML file is
    text; reading it with replacement characters would load something else)."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problem = Problem(path="(file)", value=None, rule="not UTF-8 text: a YAML file is text")
        raise error(str(path), [problem]) from None
