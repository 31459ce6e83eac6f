"""A scenario's charts (the fan, the tornado, the efficient frontier) are images named by a
summary in words, drawn in the order that tells the story, with nothing to draw said so."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from onebudget.scenarios.charts import (
    MOST_BARS,
    fan_svg,
    frontier_svg,
    money_words,
    tornado_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
MINUS = "\u2212\u2060"  # the true minus sign, joined to its figure by a word joiner
YEARS = ["2026/27", "2027/28", "2028/29"]


def D(text: str) -> Decimal:  # noqa: N802 (as onebudget.money names it)
    return Decimal(text)


def named(svg: str) -> tuple[ET.Element, str]:
    """The parsed SVG and its name: an image, named by its summary, titled the same."""
    root = ET.fromstring(svg)  # noqa: S314 (our own SVG, drawn in the test)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    label = root.get("aria-label")
    assert label
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == label
    return root, label


def marks(root: ET.Element, name: str) -> list[ET.Element]:
    """The drawn shapes of the layer called ``name``."""
    groups = [g for g in root.iter(f"{SVG}g") if f"{name}_marks" in g.get("class", "").split()]
    return [shape for g in groups for shape in g if shape.tag != f"{SVG}g"]


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1234567.89", "£1.2 million"),
        ("-1250000", f"{MINUS}£1.3 million"),
        ("2345678901", "£2.35 billion"),
        ("-12300", f"{MINUS}£12,300"),
        ("1000.50", "£1,001"),
        ("999.99", "£999.99"),
        ("412.5", "£412.50"),
        ("0.00", "£0"),
    ],
)
def test_money_in_words_has_a_true_minus_and_short_large_sums(amount: str, words: str) -> None:
    assert money_words(D(amount)) == words


# The fan


def a_fan(title: str = "Net saving by year") -> str:
    return fan_svg(
        title,
        YEARS,
        [D("-12300"), D("100000"), D("400000")],
        [D("5000"), D("600000"), D("1200000")],
        [D("20000"), D("1000000"), D("2000000")],
        [D("4000"), D("550000"), D("1149999.99")],
    )


def test_a_fan_says_the_last_years_median_and_spread_in_words() -> None:
    _, summary = named(a_fan())
    assert summary == (
        "Net saving by year, 2026/27 to 2028/29: median £1.2 million in 2028/29, 80% of runs "
        "between £400,000 and £2.0 million; the deterministic run £1.1 million."
    )


def test_a_fan_dashes_the_deterministic_run_and_not_the_median() -> None:
    root, _ = named(a_fan())
    deterministic, median = marks(root, "deterministic"), marks(root, "median")
    assert [p.get("stroke-dasharray") for p in deterministic] == ["6,4"]
    assert [p.get("stroke-dasharray") in (None, "1,0") for p in median] == [True]
    assert marks(root, "band")  # the shaded 10th to 90th percentile


def test_a_fan_names_its_series_and_keeps_the_years_in_order() -> None:
    root, _ = named(a_fan())
    shown = texts(root)
    assert {"10th to 90th percentile", "Median", "Deterministic run"} <= set(shown)
    assert [t for t in shown if t in YEARS] == YEARS
    assert "£ million" in shown  # the money axis


def test_a_fan_rules_zero_only_when_the_values_cross_it() -> None:
    crossing, _ = named(a_fan())
    assert marks(crossing, "zero")
    above = fan_svg("Saving", YEARS[:2], [D(1), D(2)], [D(3), D(4)], [D(5), D(6)], [D(3), D(4)])
    assert not marks(named(above)[0], "zero")


def test_a_fan_of_losses_in_one_year_uses_the_true_minus_sign() -> None:
    svg = fan_svg(
        "Net saving by year",
        ["2026/27"],
        [D("-1234567")],
        [D("-12300")],
        [D("-0.50")],
        [D("-12300.40")],
    )
    _, summary = named(svg)
    assert summary == (
        f"Net saving by year, 2026/27: median {MINUS}£12,300, 80% of runs between "
        f"{MINUS}£1.2 million and {MINUS}£0.50; the deterministic run {MINUS}£12,300."
    )
    assert "-£" not in summary
    assert "−" in summary


def test_a_fan_of_equal_values_draws_and_says_so() -> None:
    zeros = [D("0.00")] * 3
    _, summary = named(fan_svg("Net saving by year", YEARS, zeros, zeros, zeros, zeros))
    assert "median £0 in 2028/29, 80% of runs at £0" in summary


def test_a_fan_with_no_years_says_there_is_nothing_to_draw() -> None:
    root, summary = named(fan_svg("Net saving by year", [], [], [], [], []))
    assert summary == "Net saving by year: nothing to draw (no years)."
    assert "Nothing to draw: no years." in texts(root)


def test_a_fan_refuses_series_that_do_not_match_the_years() -> None:
    with pytest.raises(ValueError, match="a value for each of 3 years"):
        fan_svg("Net saving by year", YEARS, [D(1)] * 3, [D(1)] * 2, [D(1)] * 3, [D(1)] * 3)


# The tornado

LONG = "Reduction in emergency admissions from the frailty virtual ward"  # 63 characters


def test_a_tornado_names_the_widest_swing_and_its_range() -> None:
    bars = [
        ("Staff turnover", D("200000"), D("300000")),
        ("Unit cost of a home care hour", D("400000"), D("100000")),
        ("Discount rate", D("240000"), D("260000")),
    ]
    root, summary = named(tornado_svg("What moves the net saving", D("250000"), bars))
    assert summary == (
        "What moves the net saving: 3 parameters, the widest swing first, around a central "
        "result of £250,000. The widest: Unit cost of a home care hour, from £400,000 at its "
        "low value to £100,000 at its high value, a swing of £300,000."
    )
    assert {"Parameter at its low value", "Parameter at its high value"} <= set(texts(root))


def test_a_tornado_puts_the_widest_swing_on_top_and_draws_at_most_twelve() -> None:
    names = [f"Parameter {n:02d}" for n in range(15)]
    swings = [7, 3, 14, 1, 9, 12, 0, 5, 11, 2, 13, 8, 4, 10, 6]  # thousands, in no order
    bars = [
        (name, D(1000) - D(600 * s), D(1000) + D(400 * s))
        for name, s in zip(names, swings, strict=True)
    ]
    root, summary = named(tornado_svg("Sensitivity", D(1000), bars))
    drawn = [t for t in texts(root) if t in names]  # top to bottom
    widest = sorted(zip(swings, names, strict=True), reverse=True)[:12]
    assert MOST_BARS == 12
    assert drawn == [name for _, name in widest]  # swings 14 down to 3; 2, 1, 0 left out
    assert summary.startswith("Sensitivity: the 12 widest of 15 parameters")
    assert "The widest: Parameter 02, from −\u2060£7,400 at its low value" in summary


def test_a_tornado_keeps_the_given_order_of_equal_swings_and_long_names_whole() -> None:
    bars = [
        ("Second", D(-5), D(5)),
        (LONG, D(10), D(-10)),
        ("First", D(-5), D(5)),
    ]
    root, _ = named(tornado_svg("Ties", D(0), bars))
    assert [t for t in texts(root) if t in {"Second", LONG, "First"}] == [LONG, "Second", "First"]
    assert "…" not in "".join(texts(root))  # no name cut short


def test_a_tornado_of_one_negative_bar_or_of_no_swing_draws() -> None:
    bars = [("Only one", D("-20000"), D("-5000"))]
    _, summary = named(tornado_svg("Loss", D("-12300"), bars))
    assert summary == (
        f"Loss: one parameter, around a central result of {MINUS}£12,300. Only one, from "
        f"{MINUS}£20,000 at its low value to {MINUS}£5,000 at its high value, a swing of £15,000."
    )
    level = [("A", D(500), D(500)), ("B", D(500), D(500))]
    _, summary = named(tornado_svg("Level", D(500), level))
    assert summary.endswith(
        "The widest: A, from £500 at its low value to £500 at its high value, a swing of £0."
    )


def test_a_tornado_with_no_bars_says_there_is_nothing_to_draw() -> None:
    _, summary = named(tornado_svg("Sensitivity", D(0), []))
    assert summary == "Sensitivity: nothing to draw (no parameters)."


# The efficient frontier

POINTS = [(D("2000000"), D("3500000")), (D("0"), D("0")), (D("500000"), D("1200000"))]


def test_a_frontier_says_what_the_largest_budget_buys_and_marks_the_chosen() -> None:
    root, summary = named(frontier_svg("Value for each budget", POINTS, POINTS[2]))
    assert summary == (
        "Value for each budget: 3 portfolios, budgets from £0 to £2.0 million a year: the "
        "largest budget buys a value of £3.5 million, the smallest £0. Chosen portfolio: "
        "£500,000 a year for a value of £1.2 million."
    )
    assert [t.text for t in marks(root, "chosen_label")] == ["Chosen portfolio"]
    assert len(marks(root, "chosen")) == 1
    assert {"Budget a year, £ million", "Value, £ million"} <= set(texts(root))


def test_a_frontier_of_one_point_with_no_choice_or_of_losses_draws() -> None:
    root, summary = named(frontier_svg("One", POINTS[:1], None))
    assert summary == (
        "One: one portfolio: a budget of £2.0 million a year buys a value of £3.5 million. "
        "No portfolio is chosen."
    )
    assert not marks(root, "chosen")
    losses = [(D(100000), D(-50000)), (D(200000), D(-20000))]
    _, summary = named(frontier_svg("Losses", losses, losses[0]))
    assert f"the largest budget buys a value of {MINUS}£20,000" in summary
    assert summary.endswith(f"Chosen portfolio: £100,000 a year for a value of {MINUS}£50,000.")


def test_a_frontier_of_equal_points_draws() -> None:
    same = [(D(0), D(0)), (D(0), D(0))]
    _, summary = named(frontier_svg("Same", same, same[0]))
    assert summary.startswith("Same: 2 portfolios, the best: a budget of £0 a year buys a value")


def test_a_frontier_with_no_points_says_there_is_nothing_to_draw() -> None:
    root, summary = named(frontier_svg("Frontier", [], (D(1), D(2))))
    assert summary == "Frontier: nothing to draw (no portfolios)."
    assert "Nothing to draw: no portfolios." in texts(root)
