"""Loading a contract: the shape by pydantic, then the rules between its fields.

Every problem is collected (dotted path in the file, its line, the value and the rule) before
anything is returned, so a commissioner fixes a file once rather than once per error. A
problem inside the mechanism is named by its path in the file (``mechanism.lines.0.price``),
not by pydantic's, which puts the kind in the path.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from onebudget.contracts.model import (
    ONE_PROVIDER,
    Activity,
    AlignedPayment,
    Capitation,
    Contract,
)
from onebudget.contracts.model_outcomes import Alliance, OutcomeBased, PrimeProvider
from onebudget.contracts.outcome_contracts import term_problems
from onebudget.contracts.prime import share_problems
from onebudget.io import yamlio
from onebudget.io.problems import Problem, ProblemsError, validation_problems

# The kinds of a nested union (a prime's or subcontract's mechanism, an outcome gradient),
# which pydantic puts in a problem's path after the field's name
NESTED = {"prime_mechanism": ONE_PROVIDER, "mechanism": ONE_PROVIDER}
NESTED |= {"gradient": frozenset({"linear", "stepped"})}


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
    text = yamlio.read_text(path, ContractError)
    return load_contract(text, source=str(path))


def dump_contract(contract: Contract) -> str:
    return yamlio.dump(contract.model_dump(mode="python", exclude_none=True))


def _in_file(problem: Problem) -> Problem:
    """``mechanism.activity.cap`` (pydantic's: a tagged union puts the kind second) as
    ``mechanism.cap``."""
    parts = problem.path.split(".")
    if len(parts) > 1 and parts[0] == "mechanism":
        parts = ["mechanism", *parts[2:]]
        # and a nested mechanism's kind: mechanism.prime_mechanism.block.annual
        parts = [p for i, p in enumerate(parts) if i < 2 or p not in NESTED.get(parts[i - 1], ())]
        return problem.model_copy(update={"path": ".".join(parts)})
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
    if isinstance(mechanism, OutcomeBased):
        problems += _outcome_based(contract, mechanism)
    if isinstance(mechanism, Alliance):
        problems += _alliance(contract, mechanism)
    if isinstance(mechanism, PrimeProvider):
        problems += _prime(contract, mechanism)
    return problems + term_problems(contract)


def _outcome_based(contract: Contract, mechanism: OutcomeBased) -> list[Problem]:
    """One provider (each indicator or outcome named once is the engine's rule)."""
    if len(contract.providers) == 1:
        return []
    codes = [p.code for p in contract.providers]
    rule = f"the {mechanism.kind} mechanism pays one provider"
    return [Problem(path="providers", value=codes, rule=rule)]


def _alliance(contract: Contract, mechanism: Alliance) -> list[Problem]:
    """Every member a provider of the contract, and every provider a member (each member
    named once is the engine's rule)."""
    providers = [p.code for p in contract.providers]
    members = [m.provider for m in mechanism.members]
    problems = []
    rule = f"a provider of the contract: one of {', '.join(providers)}"
    for i, code in enumerate(members):
        if code not in providers:
            path = f"mechanism.members.{i}.provider"
            problems.append(Problem(path=path, value=code, rule=rule))
    for i, code in enumerate(providers):
        if code not in members:
            rule = "a member of the alliance: each provider shares its gain and pain"
            problems.append(Problem(path=f"providers.{i}.code", value=code, rule=rule))
    return problems


def _prime(contract: Contract, mechanism: PrimeProvider) -> list[Problem]:
    """The prime and each subcontractor a provider of the contract, each once; every
    provider one of them; each subcontract paid one way."""
    providers = [p.code for p in contract.providers]
    paid = [mechanism.prime, *(s.provider for s in mechanism.subcontracts)]
    rule = f"a provider of the contract: one of {', '.join(providers)}"
    problems = []
    if mechanism.prime not in providers:
        problems.append(Problem(path="mechanism.prime", value=mechanism.prime, rule=rule))
    for i, sub in enumerate(mechanism.subcontracts):
        path = f"mechanism.subcontracts.{i}"
        if sub.provider not in providers:
            problems.append(Problem(path=f"{path}.provider", value=sub.provider, rule=rule))
        elif sub.provider in paid[: i + 1]:
            once = "each subcontractor appears once, and is not the prime"
            problems.append(Problem(path=f"{path}.provider", value=sub.provider, rule=once))
        ways = [w for w in ("fixed", "share_percent", "mechanism") if getattr(sub, w) is not None]
        if len(ways) != 1:
            how = "exactly one of fixed, share_percent or mechanism (the subcontract's pay)"
            problems.append(Problem(path=path, value=ways, rule=how))
    for i, code in enumerate(providers):
        if code not in paid:
            why = "the prime or a subcontractor: the contract pays every provider"
            problems.append(Problem(path=f"providers.{i}.code", value=code, rule=why))
    shares = [s.share_percent for s in mechanism.subcontracts if s.share_percent is not None]
    return problems + share_problems(shares, "mechanism.subcontracts")


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
    """Each problem with the line of its place in ``text``, or of the nearest around it."""
    return yamlio.with_lines(list(problems), yamlio.lines(text))
