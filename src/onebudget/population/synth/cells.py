"""Calibration over age × deprivation cells of England's population.

The national population is 101 single years of age × 10 IMD deciles (a tenth of people in
each decile, by construction of the deciles). Condition prevalence and frailty are logistic
in age and deprivation, with intercepts solved so that the national prevalence is the
published one. An event rate is then ``band_rate(age) × deprivation(decile) × the person's
condition and frailty multipliers ÷ their expectation in the cell``: exactly the published
national rate, in expectation, for a national-shaped population, while a local place differs
through its own mix of age, sex and deprivation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onebudget.population.reference import MAX_AGE, england_population
from onebudget.population.synth.rates import NationalRates

Array = npt.NDArray[np.float64]
AGES = np.arange(MAX_AGE + 1)
DECILES = np.arange(1, 11)
FRAILTY_GRADES = ("fit", "mild", "moderate", "severe")


def national_weights() -> Array:
    """Persons by (age, decile) in England: the ONS count by age, a tenth in each decile."""
    return np.repeat(england_population().sum(axis=1)[:, None] / 10, 10, axis=1)


def _logistic(x: Array) -> Array:
    return np.asarray(1 / (1 + np.exp(-x)), dtype=np.float64)


def _solve_intercept(linear: Array, weights: Array, target: float) -> float:
    """Intercept ``a`` with weighted mean of logistic(a + linear) equal to ``target``."""
    low, high = -30.0, 30.0
    for _ in range(100):
        mid = (low + high) / 2
        mean = float((weights * _logistic(mid + linear)).sum() / weights.sum())
        low, high = (mid, high) if mean < target else (low, mid)
    return (low + high) / 2


def logistic_prevalence(
    target: float, min_age: int, age_slope: float, deprivation_slope: float
) -> Array:
    """Prevalence by (age, decile), zero below ``min_age``, national mean ``target``."""
    linear = (age_slope * (AGES[:, None] - 50) / 10) + (deprivation_slope * (10 - DECILES[None, :]))
    weights = national_weights() * (AGES[:, None] >= min_age)
    intercept = _solve_intercept(linear, weights, target)
    return _logistic(intercept + linear) * (AGES[:, None] >= min_age)


@dataclass(frozen=True)
class CellModel:
    """Prevalence of each condition and of each frailty grade, by (age, decile)."""

    conditions: dict[str, Array]
    frailty: dict[str, Array]  # grade -> probability; grades sum to 1 in every cell
    deprivation: Array  # relative rate by decile (index 0 = decile 1), mean 1

    def expected_multiplier(
        self, condition_multipliers: Mapping[str, float], frailty_multipliers: Mapping[str, float]
    ) -> Array:
        """E[∏ m_k^{X_k} × frailty multiplier] in each (age, decile) cell.

        Conditions and frailty are independent given the cell, so the expectation factorises.
        """
        expected = np.ones((MAX_AGE + 1, 10))
        for name, m in condition_multipliers.items():
            expected *= 1 + (m - 1) * self.conditions[name]
        frail = sum(self.frailty[g] * frailty_multipliers.get(g, 1.0) for g in FRAILTY_GRADES)
        return np.asarray(expected * frail, dtype=np.float64)

    def share_without(self, names: tuple[str, ...], multipliers: Mapping[str, float]) -> Array:
        """Rate-weighted share of events in each cell from people with none of ``names``."""
        without = np.ones((MAX_AGE + 1, 10))
        for name, m in multipliers.items():
            p = self.conditions[name]
            without *= (1 - p) if name in names else 1 + (m - 1) * p
        for name in names:
            if name not in multipliers:
                without *= 1 - self.conditions[name]
        return np.asarray(without / self.expected_multiplier(multipliers, {}), dtype=np.float64)


def _frailty_grades(rates: NationalRates) -> dict[str, Array]:
    spec = rates.frailty
    any_frail = logistic_prevalence(
        spec.any_frailty_65_plus.value, 65, spec.age_slope, spec.deprivation_slope
    )
    grades = {"fit": 1 - any_frail}
    for grade, share in spec.grade_split.items():
        grades[grade] = any_frail * share
    return grades


_MODELS: dict[int, tuple[NationalRates, CellModel]] = {}


def cell_model(rates: NationalRates) -> CellModel:
    """The calibrated cell model for ``rates`` (computed once per rates object)."""
    cached = _MODELS.get(id(rates))
    if cached is not None and cached[0] is rates:
        return cached[1]
    model = _build_cell_model(rates)
    _MODELS[id(rates)] = (rates, model)
    return model


def _build_cell_model(rates: NationalRates) -> CellModel:
    conditions = {
        name: logistic_prevalence(c.prevalence, c.min_age, c.age_slope, c.deprivation_slope)
        for name, c in rates.conditions.items()
    }
    gradient = rates.deprivation.gradient_per_decile
    deprivation = 1 + gradient * (5.5 - DECILES.astype(np.float64))
    return CellModel(conditions, _frailty_grades(rates), deprivation / deprivation.mean())


def band_rates(shape: Mapping[int, float], per_person: float, *, min_age: int = 0) -> Array:
    """Rate per person-year by single year of age, from a banded relative shape.

    Scaled so that the rate over England's population aged ``min_age`` and over is
    ``per_person``; zero below ``min_age``.
    """
    bands = sorted(shape)
    index = np.searchsorted(bands, AGES, side="right") - 1
    relative = np.where(index >= 0, np.array([shape[bands[max(i, 0)]] for i in index]), 0.0)
    relative = relative * (min_age <= AGES)
    people = england_population().sum(axis=1)[min_age:]
    scale = per_person * people.sum() / (relative[min_age:] * people).sum()
    return np.asarray(relative * scale, dtype=np.float64)
