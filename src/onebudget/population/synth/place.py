"""The place the synthetic people live in: its LSOAs (with IMD 2025 deciles) and practices.

By default a place shaped like England (LSOAs drawn evenly across the ten deprivation deciles,
fictional GP practices). ``like(gss_code)`` shapes it like a real council area: its size from
the GP practices registered there, its real practice codes, and its deprivation profile (IMD
2025 average score and share of LSOAs in the most deprived tenth). The library's data has no
LSOA-to-council lookup, so the LSOAs are real LSOAs drawn nationally to match that profile,
not the council's own LSOAs; the place is labelled synthetic either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onebudget.population.reference import council_profiles, lsoa_deprivation, practices_by_council

PEOPLE_PER_LSOA = 1650
PEOPLE_PER_PRACTICE = 9500


class UnknownPlaceError(ValueError):
    """The requested place cannot be built (an unknown council code, say)."""


@dataclass(frozen=True)
class SynthPlace:
    name: str
    label: str
    council_code: str
    icb_code: str
    acute_trust_code: str
    community_trust_code: str
    # The acute trust stays are transferred to (a neighbouring or specialist hospital).
    second_acute_trust_code: str
    lsoa_codes: npt.NDArray[np.str_]
    lsoa_deciles: npt.NDArray[np.int8]
    practice_codes: tuple[str, ...]
    practice_weights: npt.NDArray[np.float64]
    like: str | None = None
    real_size: int | None = None


def _even_lsoas(n: int, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """``n`` LSOAs spread evenly over the ten deciles, as England's are."""
    imd = lsoa_deprivation()
    per_decile = np.full(10, n // 10) + (np.arange(10) < n % 10)
    chosen = [
        rng.choice(np.flatnonzero(imd.deciles == d), size=k, replace=False)
        for d, k in zip(range(1, 11), per_decile, strict=True)
    ]
    return np.sort(np.concatenate(chosen))


def national_place(
    persons: int,
    rng: np.random.Generator,
    *,
    name: str = "Synthetic place",
    council_code: str = "E06099001",
    icb_code: str = "QZZ",
) -> SynthPlace:
    imd = lsoa_deprivation()
    lsoas = _even_lsoas(max(10, -(-persons // PEOPLE_PER_LSOA)), rng)
    practices = max(1, -(-persons // PEOPLE_PER_PRACTICE))
    weights = rng.gamma(4.0, 1.0, size=practices)
    return SynthPlace(
        name=name,
        label=f"{name} (synthetic: shaped like England)",
        council_code=council_code,
        icb_code=icb_code,
        acute_trust_code="RZZ",
        community_trust_code="RZY",
        second_acute_trust_code="RZX",
        lsoa_codes=imd.codes[lsoas],
        lsoa_deciles=imd.deciles[lsoas],
        practice_codes=tuple(f"Z{i:05d}" for i in range(1, practices + 1)),
        practice_weights=weights / weights.sum(),
    )


def _tilted_sample(
    pool: npt.NDArray[np.int64], k: int, target_mean: float, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """Draw ``k`` of ``pool`` with weights exp(θ·score), θ chosen for the target mean score."""
    scores = lsoa_deprivation().scores[pool]
    z = (scores - scores.mean()) / scores.std()
    low, high = -10.0, 10.0
    for _ in range(60):
        theta = (low + high) / 2
        w = np.exp(theta * z)
        low, high = (theta, high) if (w * scores).sum() / w.sum() < target_mean else (low, theta)
    w = np.exp(theta * z)
    return rng.choice(pool, size=k, replace=False, p=w / w.sum())


def like(gss_code: str, persons: int, rng: np.random.Generator) -> SynthPlace:
    profile = council_profiles().get(gss_code)
    practices = practices_by_council().get(gss_code)
    if profile is None or not practices:
        raise UnknownPlaceError(
            f"{gss_code!r}: not a lower-tier or unitary council in the IMD 2025 and GP practice "
            "data (use an E06, E07, E08 or E09 code, e.g. E06000027 for Torbay)"
        )
    imd = lsoa_deprivation()
    n = max(10, -(-persons // PEOPLE_PER_LSOA))
    most = round(profile.share_in_most_deprived_decile * n)
    rest_mean = profile.imd_average_score * n - imd.scores[imd.deciles == 1].mean() * most
    rest_mean /= max(n - most, 1)
    first = rng.choice(np.flatnonzero(imd.deciles == 1), size=most, replace=False)
    others = _tilted_sample(np.flatnonzero(imd.deciles > 1), n - most, rest_mean, rng)
    lsoas = np.sort(np.concatenate([first, others]))
    sizes = np.array([p.population for p in practices])
    return SynthPlace(
        name=profile.name,
        label=f"Synthetic place shaped like {profile.name} ({gss_code})",
        council_code=gss_code,
        icb_code=practices[0].icb_code,
        acute_trust_code="RZZ",
        community_trust_code="RZY",
        second_acute_trust_code="RZX",
        lsoa_codes=imd.codes[lsoas],
        lsoa_deciles=imd.deciles[lsoas],
        practice_codes=tuple(p.code for p in practices),
        practice_weights=sizes / sizes.sum(),
        like=gss_code,
        real_size=round(float(sizes.sum())),
    )
