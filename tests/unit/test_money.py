from decimal import Decimal

import pytest

from onebudget.money import D, MoneyError, allocate, from_pence, to_pence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("£12", "12.00"),
        ("(3.00)", "-3.00"),
        ("0.005", "0.01"),
        ("-0.005", "-0.01"),
        (" 7 ", "7.00"),
    ],
)
def test_text_becomes_exact_pounds(text: str, expected: str) -> None:
    assert D(text) == Decimal(expected)
    assert D(text).as_tuple().exponent == -2


def test_floats_are_refused() -> None:
    with pytest.raises(MoneyError, match="never a float"):
        D(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "twelve", "NaN", "Infinity", "1.2.3"])
def test_non_amounts_are_refused(bad: str) -> None:
    with pytest.raises(MoneyError):
        D(bad)


def test_pence_round_trip() -> None:
    assert to_pence(D("12.34")) == 1234
    assert from_pence(-1234) == D("-12.34")


def test_a_worked_split() -> None:
    # £100 in thirds: 33.34 + 33.33 + 33.33, the spare penny to the first.
    assert allocate(D("100"), [1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]
    assert allocate(D("-100"), [1, 1, 1]) == [D("-33.34"), D("-33.33"), D("-33.33")]
    assert allocate(D("10"), [0, 3, 1]) == [D("0"), D("7.50"), D("2.50")]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_bad_weights_are_refused(weights: list[int]) -> None:
    with pytest.raises(MoneyError):
        allocate(D("1"), weights)
