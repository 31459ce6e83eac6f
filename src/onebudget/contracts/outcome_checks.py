"""What is wrong with outcome-based terms and results, as named problems: every amount in
whole pence, percentages 0 to 100, weights positive, thresholds in order, one result per
indicator (with its interval where significance is required). ``outcome_payment.pay``
refuses terms with any of these before it pays anything."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from itertools import pairwise

from onebudget.contracts.outcome_terms import (
    HUNDRED,
    Indicator,
    Linear,
    Measured,
    OutcomeTerms,
    Polarity,
    SharedSaving,
    Stepped,
    Threshold,
    better_by,
    total_of,
)
from onebudget.io.problems import Problem
from onebudget.money import MoneyError, exact


def problems(
    terms: OutcomeTerms, results: Mapping[str, Measured], actual_cost: Decimal | None
) -> list[Problem]:
    """Everything that prevents ``pay``, each with its path, value and rule."""
    found = _pence("value", terms.value) + _percent_problems(
        "at_risk_percent", terms.at_risk_percent
    )
    found += _bound_problems(terms) + _weight_problems(terms.indicators)
    for n, indicator in enumerate(terms.indicators):
        found += _indicator_problems(f"indicators.{n}", indicator)
    for n, unit in enumerate(terms.per_unit):
        found += _finite(f"per_unit.{n}", {"baseline": unit.baseline})
        found += _pence(f"per_unit.{n}.price", unit.price)
    found += _code_problems(terms) + _result_problems(terms, results)
    if terms.saving is not None:
        found += _saving_problems(terms.saving, actual_cost)
    return found


def _pence(path: str, value: Decimal) -> list[Problem]:
    """Terms are money as the contract states it: a fraction of a penny is a mistake to
    report, not a value to round."""
    try:
        exact(value)
    except MoneyError as error:
        return [Problem(path=path, value=value, rule=error.rule)]
    return [Problem(path=path, value=value, rule="an amount of 0 or more")] if value < 0 else []


def _percent_problems(path: str, value: Decimal, most: Decimal | None = HUNDRED) -> list[Problem]:
    fine = isinstance(value, Decimal) and value.is_finite() and value >= 0
    if fine and (most is None or value <= most):
        return []
    rule = "a percentage of 0 or more" if most is None else f"a percentage from 0 to {most}"
    return [Problem(path=path, value=value, rule=rule)]


def _finite(path: str, values: Mapping[str, Decimal | None]) -> list[Problem]:
    """Problems for values that are not finite numbers (NaN cannot be compared)."""
    return [
        Problem(path=f"{path}.{name}", value=value, rule="a finite number")
        for name, value in values.items()
        if value is not None and not (isinstance(value, Decimal) and value.is_finite())
    ]


def _bound_problems(terms: OutcomeTerms) -> list[Problem]:
    found = [] if terms.floor is None else _pence("floor", terms.floor)
    found += [] if terms.cap is None else _pence("cap", terms.cap)
    floor, cap = terms.floor, terms.cap
    if not found and floor is not None and cap is not None and floor > cap:
        found.append(Problem(path="floor", value=floor, rule="not above the cap"))
    return found


def _weight_problems(indicators: tuple[Indicator, ...]) -> list[Problem]:
    found = [
        Problem(path=f"indicators.{n}.weight", value=i.weight, rule="a weight of 0 or more")
        for n, i in enumerate(indicators)
        if _finite("", {"": i.weight}) or i.weight < 0
    ]
    if indicators and not found and total_of(i.weight for i in indicators) == 0:
        found.append(Problem(path="indicators", value=None, rule="weights not all zero"))
    return found


def _indicator_problems(path: str, indicator: Indicator) -> list[Problem]:
    polarity, gradient, stretch = indicator.polarity, indicator.gradient, indicator.stretch
    ats = {f"gradient.thresholds.{n}.at": t.at for n, t in enumerate(_thresholds(gradient))}
    numbers = {"baseline": indicator.baseline, "target": indicator.target, "stretch": stretch}
    found = _finite(path, numbers | ats)
    if found:
        return found
    if better_by(indicator.target, indicator.baseline, polarity) <= 0:
        rule = f"better than the baseline ({polarity})"
        found.append(Problem(path=f"{path}.target", value=indicator.target, rule=rule))
    if stretch is not None and better_by(stretch, indicator.target, polarity) <= 0:
        rule = f"better than the target ({polarity})"
        found.append(Problem(path=f"{path}.stretch", value=stretch, rule=rule))
    if isinstance(gradient, Stepped):
        return found + _threshold_problems(f"{path}.gradient.thresholds", gradient, polarity)
    found += _percent_problems(f"{path}.gradient.stretch_percent", gradient.stretch_percent, None)
    if not found and gradient.stretch_percent > 0 and stretch is None:
        rule = "a stretch, since the gradient pays for one"
        found.append(Problem(path=f"{path}.stretch", value=None, rule=rule))
    return found


def _thresholds(gradient: Linear | Stepped) -> tuple[Threshold, ...]:
    return gradient.thresholds if isinstance(gradient, Stepped) else ()


def _threshold_problems(path: str, gradient: Stepped, polarity: Polarity) -> list[Problem]:
    if not gradient.thresholds:
        return [Problem(path=path, value=None, rule="at least one threshold")]
    found = []
    for n, threshold in enumerate(gradient.thresholds):
        found += _percent_problems(f"{path}.{n}.percent", threshold.percent, None)
    if found:
        return found
    for n, (before, after) in enumerate(pairwise(gradient.thresholds), start=1):
        if better_by(after.at, before.at, polarity) <= 0 or after.percent < before.percent:
            rule = f"better than the threshold before ({polarity}), paying no less"
            found.append(Problem(path=f"{path}.{n}", value=after.at, rule=rule))
    return found


def _code_problems(terms: OutcomeTerms) -> list[Problem]:
    codes = [i.code for i in terms.indicators] + [u.code for u in terms.per_unit]
    rule = "a code that names one indicator or outcome only"
    return [
        Problem(path="indicators", value=code, rule=rule)
        for code in sorted({c for c in codes if codes.count(c) > 1})
    ]


def _result_problems(terms: OutcomeTerms, results: Mapping[str, Measured]) -> list[Problem]:
    needed = [(i.code, i.significant) for i in terms.indicators]
    needed += [(u.code, u.significant) for u in terms.per_unit]
    found = []
    for code, significant in needed:
        found += _result_problem(f"results.{code}", results.get(code), significant)
    return found


def _result_problem(path: str, result: Measured | None, significant: bool) -> list[Problem]:
    if result is None:
        return [Problem(path=path, value=None, rule="a result for the period")]
    bounds = {"value": result.value, "lower": result.lower, "upper": result.upper}
    if numbers := _finite(path, bounds):
        return numbers
    if result.lower is None or result.upper is None:
        rule = "its 95% interval, since the change must be significant"
        return [Problem(path=path, value=result.value, rule=rule)] if significant else []
    if not result.lower <= result.value <= result.upper:
        return [Problem(path=path, value=result.value, rule="inside its 95% interval")]
    return []


def _saving_problems(saving: SharedSaving, actual_cost: Decimal | None) -> list[Problem]:
    found = _pence("saving.baseline_cost", saving.baseline_cost)
    found += _percent_problems("saving.share_percent", saving.share_percent)
    found += _percent_problems("saving.minimum_rate_percent", saving.minimum_rate_percent)
    if actual_cost is None:
        return [
            *found,
            Problem(path="actual_cost", value=None, rule="the actual cost, to share a saving"),
        ]
    return found + _pence("actual_cost", actual_cost)
