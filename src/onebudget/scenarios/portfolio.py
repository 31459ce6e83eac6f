"""From reviewed interventions to what the engine and the optimiser read: an intervention at a
chosen scale (``chosen``), and each intervention's figures at full scale, run by run, for
the optimiser (``options``: the engine run with that intervention alone, less the run with
none, so what is left is the intervention's own cost and saving)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from onebudget.scenarios.engine import POD_LIST, Baseline, Chosen, Payer, Runs, Scenario, simulate
from onebudget.scenarios.interventions import Intervention
from onebudget.scenarios.model import AGE_BANDS, SEGMENTS, SEXES
from onebudget.scenarios.optimise import Option


def chosen(intervention: Intervention, scale: float = 1.0) -> Chosen:
    """The intervention as the engine reads it, at ``scale`` of its full scale."""
    target = intervention.target
    mask = np.zeros((len(SEGMENTS), len(AGE_BANDS), len(SEXES)))
    for s in target.segments:
        for a in target.age_bands:
            for x in target.sexes:
                mask[SEGMENTS.index(s), AGE_BANDS.index(a), SEXES.index(x)] = 1.0
    effects = tuple(
        (e.pod, e.change, Payer(e.saving_to.partner, e.saving_to.budget))
        for e in intervention.effects
    )
    bearer = intervention.cost_bearer
    return Chosen(
        id=intervention.id, mask=mask, reach=intervention.reach, uptake=intervention.uptake,
        ramp_up=tuple(intervention.ramp_up), lag_years=intervention.lag_years,
        per_person=intervention.cost.per_person, fixed=intervention.cost.fixed,
        cost_bearer=Payer(bearer.partner, bearer.budget), effects=effects, scale=scale,
    )  # fmt: skip


def net_saving(runs: Runs) -> np.ndarray:
    """Savings less the interventions' costs, by run and year (pounds)."""
    saved = sum(runs.saving.values(), np.zeros(runs.activity.shape[:2]))
    spent = sum(runs.intervention_cost.values(), np.zeros(runs.activity.shape[:2]))
    return np.asarray(saved - spent)


NET_SAVING = "net saving"


def _value(runs: Runs, measure: str) -> np.ndarray:
    """By run, over the years after the baseline: net saving (pounds) or activity avoided."""
    if measure == NET_SAVING:
        return np.asarray(net_saving(runs)[:, 1:].sum(axis=1))
    return np.asarray(runs.avoided[:, 1:, POD_LIST.index(measure)].sum(axis=1))


def options(
    baseline: Baseline,
    scenario: Scenario,
    interventions: Sequence[Intervention],
    limits: Mapping[str, tuple[float, float]] | None = None,
    measure: str = NET_SAVING,
) -> list[Option]:
    """Each intervention alone at full scale, run with the scenario's seed (the same draws
    of growth and inflation for every option): its cost by year (the part per person and
    the fixed part) and its value over the years, for the optimiser: its net saving, or the
    activity it avoids at a point of delivery (``measure``: the POD). ``limits``: an
    intervention's (least, most) scale."""
    found = []
    for i in interventions:
        runs = simulate(baseline, replace(scenario, interventions=(chosen(i),)))
        total = runs.intervention_cost[i.id][:, 1:]
        fixed_cost = runs.intervention_fixed[i.id][:, 1:]
        least, most = (limits or {}).get(i.id, (0.0, 1.0))
        bearer = i.cost_bearer.partner
        value = _value(runs, measure)
        found.append(Option(i.id, bearer, total - fixed_cost, fixed_cost, value, least, most))
    return found
