"""YAML for money: numbers are read as exact Decimals, never floats, and written back as such.

A finance lead writes ``contribution: 1200000.10`` in an agreement; PyYAML would read that as
a binary float. These loader and dumper classes keep the digits as written.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml


class MoneyLoader(yaml.SafeLoader):
    """Safe loading, with floats as Decimals (integers stay integers). Aliases are refused:
    a few lines of anchors and aliases can expand to billions of nodes, and files people
    write for OneBudget have no need of them."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed; write the value out", mark
            )
        return super().compose_node(parent, index)


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))  # type: ignore[arg-type]


MoneyLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


class MoneyDumper(yaml.SafeDumper):
    """Safe dumping, with Decimals as plain numbers."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", f"{value:f}")


MoneyDumper.add_representer(Decimal, _represent_decimal)


def load(text: str) -> Any:
    return yaml.load(text, Loader=MoneyLoader)  # noqa: S506 (a SafeLoader subclass)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=MoneyDumper, sort_keys=False, allow_unicode=True, width=96)
