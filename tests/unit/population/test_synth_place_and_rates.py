"""Places shaped like England or like a real council, and the validated rates file."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from onebudget.population.reference import council_profiles, lsoa_deprivation, practices_by_council
from onebudget.population.synth.place import UnknownPlaceError, like, national_place
from onebudget.population.synth.rates import RatesFileError, national_rates, parse_rates


def test_an_england_shaped_place_has_every_decile_equally() -> None:
    place = national_place(50_000, np.random.default_rng(1))
    counts = np.bincount(place.lsoa_deciles, minlength=11)[1:]
    assert counts.max() - counts.min() <= 1
    assert "synthetic" in place.label


def test_a_place_like_torbay_matches_its_published_deprivation_profile() -> None:
    place = like("E06000027", 150_000, np.random.default_rng(1))
    profile = council_profiles()["E06000027"]
    imd = lsoa_deprivation()
    index = {code: i for i, code in enumerate(imd.codes)}
    scores = imd.scores[[index[c] for c in place.lsoa_codes]]
    assert abs(scores.mean() - profile.imd_average_score) < 1.0
    share = (place.lsoa_deciles == 1).mean()
    assert abs(share - profile.share_in_most_deprived_decile) <= 1 / len(place.lsoa_codes)
    assert set(place.practice_codes) == {p.code for p in practices_by_council()["E06000027"]}
    assert place.icb_code == "QJK"  # NHS Devon ICB
    assert place.label.startswith("Synthetic place shaped like Torbay")
    assert place.real_size is not None
    assert place.real_size > 100_000


def test_an_unknown_council_is_refused_with_the_code_named() -> None:
    with pytest.raises(UnknownPlaceError, match="'E99000001'"):
        like("E99000001", 100, np.random.default_rng(1))


def test_the_shipped_rates_file_is_valid_and_sourced() -> None:
    rates = national_rates()
    assert rates.figure("hospital", "falls_65_plus_dsr_per_100000") == 1933
    assert all(c.source for c in rates.conditions.values())
    assert rates.cost("reablement_case") == 1945


def test_a_broken_rates_file_names_every_problem() -> None:
    text = resources.files("onebudget").joinpath("definitions/rates/national.yaml").read_text()
    broken = text.replace("prevalence: 0.148", "prevalence: 1.48").replace(
        "    status: checked\n    source: ASCOF 2B(1)",
        "    status: guessed\n    source: ASCOF 2B(1)",
    )
    with pytest.raises(RatesFileError) as raised:
        parse_rates(broken, source="broken.yaml")
    problems = raised.value.problems
    assert any(p.startswith("conditions.hypertension.prevalence") for p in problems)
    assert any("reablement_at_home_91_days_share.status" in p for p in problems)
    assert str(raised.value).startswith("broken.yaml: ")
