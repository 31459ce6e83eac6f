"""Loading a contract: the shape by pydantic, then the rules between its fields.

Every problem is collected (dotted path in the file, its line, the value and the rule) before
anything is returned, so a commissioner fixes a file once rather than once per error. A
problem inside the mechanism is named by its path in the file (``mechanism.lines.0.price``),
not by pydantic's, which puts the kind in the path.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from onebudget.contracts.model import (
    ONE_PROVIDER,
    Activity,
    AlignedPayment,
    Capitation,
    Contract,
)
from onebudget.io import yamlio
from onebudget.io.problems import Problem, ProblemsError, validation_problems


class ContractError(ProblemsError):
    """Problems in a contract file."""


def load_contract(text: str, *, source: str = "contract.yaml") -> Contract:
    """The contract in ``text``, or ``ContractError`` with every problem, each with its line."""
    try:
        contract = Contract.model_validate(yamlio.load(text, source=source))
    except ProblemsError as error:
        raise ContractError(source, error.problems) from None
    except ValidationError as error:
        problems = _without_echoes([_in_file(p) for p in validation_problems(error)])
        raise ContractError(source, with_lines(problems, text)) from None
    problems = check(contract)
    if problems:
        raise ContractError(source, with_lines(problems, text))
    return contract


def read_contract(path: Path) -> Contract:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problem = Problem(path="(file)", value=None, rule="not UTF-8 text: a YAML file is text")
        raise ContractError(str(path), [problem]) from None
    return load_contract(text, source=str(path))


def dump_contract(contract: Contract) -> str:
    return yamlio.dump(contract.model_dump(mode="python", exclude_none=True))


def _in_file(problem: Problem) -> Problem:
    """``mechanism.activity.cap`` (pydantic's: a tagged union puts the kind second) as
    ``mechanism.cap``."""
    parts = problem.path.split(".")
    if len(parts) > 1 and parts[0] == "mechanism":
        return problem.model_copy(update={"path": ".".join(["mechanism", *parts[2:]])})
    return problem


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Without pydantic's "at least 1 item" for a list whose only items were refused: the
    items' own problems say what is wrong."""
    return [
        p
        for p in problems
        if not p.rule.startswith("Tuple should have at least")
        or not any(q.path.startswith(f"{p.path}.") for q in problems)
    ]


def check(contract: Contract) -> list[Problem]:
    """The rules between a contract's fields, each broken one named at its path."""
    problems = _parties(contract)
    if contract.term.end < contract.term.start:
        end = contract.term.end
        problems.append(
            Problem(path="term.end", value=end, rule="a term ends on or after it starts")
        )
    mechanism = contract.mechanism
    if isinstance(mechanism, Activity):
        problems += _activity(mechanism)
    if isinstance(mechanism, Capitation):
        names = [s.segment for s in mechanism.segments]
        problems += _once(names, "mechanism.segments", "segment")
    if isinstance(mechanism, AlignedPayment):
        problems += _once([v.line for v in mechanism.variable], "mechanism.variable", "line")
    return problems


def _parties(contract: Contract) -> list[Problem]:
    """Each party once, and one provider for the kinds that pay one."""
    problems = []
    places = [(f"commissioners.{i}.code", c.code) for i, c in enumerate(contract.commissioners)]
    places += [(f"providers.{i}.code", p.code) for i, p in enumerate(contract.providers)]
    seen: set[str] = set()
    for path, code in places:
        if code in seen:
            rule = "each party appears once among the commissioners and providers"
            problems.append(Problem(path=path, value=code, rule=rule))
        seen.add(code)
    if contract.mechanism.kind in ONE_PROVIDER and len(contract.providers) > 1:
        rule = f"the {contract.mechanism.kind} mechanism pays one provider"
        codes = [p.code for p in contract.providers]
        problems.append(Problem(path="providers", value=codes, rule=rule))
    return problems


def _activity(activity: Activity) -> list[Problem]:
    problems = _once([line.line for line in activity.lines], "mechanism.lines", "line")
    for i, line in enumerate(activity.lines):
        thresholds = [band.above for band in line.bands]
        for j, above in enumerate(thresholds):
            if above <= (thresholds[j - 1] if j else 0):
                rule = "band thresholds rise, each above the one before (the first above 0)"
                path = f"mechanism.lines.{i}.bands.{j}.above"
                problems.append(Problem(path=path, value=above, rule=rule))
    cap, floor = activity.cap, activity.floor
    if cap is not None and floor is not None and floor > cap:
        rule = f"the floor is at most the cap ({cap})"
        problems.append(Problem(path="mechanism.floor", value=floor, rule=rule))
    return problems


def _once(names: list[str], path: str, what: str) -> list[Problem]:
    """A problem at each repeat of a name in a list: the first is kept, the others named."""
    problems = []
    for i, name in enumerate(names):
        if name in names[:i]:
            at = f"{path}.{i}.{what}"
            problems.append(Problem(path=at, value=name, rule=f"each {what} appears once"))
    return problems


def with_lines(problems: Iterable[Problem], text: str) -> list[Problem]:
    """Each problem with the line of its place, or of the nearest place around it."""
    where = lines(text)
    placed = []
    for p in problems:
        path = p.path
        while path not in where and "." in path:
            path = path.rsplit(".", 1)[0]
        placed.append(p.model_copy(update={"line": where.get(path, p.line)}))
    return placed


def lines(text: str) -> dict[str, int]:
    """The line of every place in a YAML text that has loaded (so is safe to compose)."""
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
    except yaml.YAMLError:  # not reached for a text yamlio has read; lines are a help
        return found
    if root is not None:
        walk(root, "")
    return found
