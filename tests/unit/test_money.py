from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from onebudget.money import (
    FRACTION_OF_A_PENNY,
    NOT_WRITTEN,
    TOO_LARGE,
    D,
    Money,
    MoneyError,
    allocate,
    exact,
    from_pence,
    to_pence,
)


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


LARGEST = "92233720368547758.07"  # (2**63 - 1) pence


@pytest.mark.parametrize("text", [LARGEST, "-" + LARGEST, "£92,233,720,368,547,758.07"])
def test_the_largest_amount_either_side_of_zero_is_money(text: str) -> None:
    found = exact(text)
    assert abs(to_pence(found)) == 2**63 - 1
    assert from_pence(to_pence(found)) == found


@pytest.mark.parametrize(
    "value",
    [
        "92233720368547758.08",
        "-92233720368547758.08",
        "92233720368547758.075",  # rounds past the limit
        "1" * 29,
        "(99,999,999,999,999,999.99)",
        2**63,
        Decimal("1e400"),
        Decimal("-1E+30"),
        pytest.param(10**5000, id="5000-digits"),  # more digits than Python will print
    ],
)
def test_amounts_beyond_a_64_bit_count_of_pence_are_refused_by_name(value: object) -> None:
    with pytest.raises(MoneyError) as caught:
        D(value)  # type: ignore[arg-type]
    assert caught.value.rule == TOO_LARGE
    assert "£92,233,720,368,547,758.07" in str(caught.value)
    assert len(str(caught.value)) < 200


def test_rounding_stays_within_the_limit() -> None:
    assert D("-92233720368547758.074") == Decimal("-" + LARGEST)


@pytest.mark.parametrize(
    "text", ["1e30", "1e400", "1E+3", "1.5e-2", "12,34", "1,2,3", "10%", "fifty", "١٢٣", "1_000"]
)
def test_text_not_written_as_an_amount_is_refused_by_name(text: str) -> None:
    with pytest.raises(MoneyError) as caught:
        D(text)
    assert caught.value.rule == NOT_WRITTEN


@pytest.mark.parametrize("text", ["(-3.00)", "-£-3", "+-3", "()", "£", "-", "."])
def test_signs_and_brackets_that_say_two_things_are_refused(text: str) -> None:
    with pytest.raises(MoneyError, match="not written as an amount"):
        D(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("-£12", "-12.00"), ("£-12", "-12.00"), ("(£3.00)", "-3.00"), ("+5", "5.00"), (".5", "0.50")],
)
def test_signs_either_side_of_the_pound_sign(text: str, expected: str) -> None:
    assert D(text) == Decimal(expected)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity")])
def test_decimals_that_are_not_finite_are_refused(value: Decimal) -> None:
    with pytest.raises(MoneyError, match="not a finite amount"):
        D(value)


@pytest.mark.parametrize("value", [True, None, [1], {"a": 1}])
def test_other_types_are_not_money(value: object) -> None:
    with pytest.raises(MoneyError, match="not an amount of money"):
        D(value)  # type: ignore[arg-type]


def test_exact_refuses_fractions_of_a_penny_and_keeps_the_rules_of_d() -> None:
    assert exact("1,234.50") == Decimal("1234.50")
    with pytest.raises(MoneyError) as caught:
        exact("12.345")
    assert caught.value.rule == FRACTION_OF_A_PENNY
    with pytest.raises(MoneyError, match="more than £"):
        exact("1" * 29)


def test_a_long_value_is_shortened_in_the_message() -> None:
    with pytest.raises(MoneyError) as caught:
        D("x" * 10_000)
    assert len(str(caught.value)) < 200
    assert "…" in str(caught.value) or "..." in str(caught.value)


class _Row(BaseModel):
    amount: Money


def test_the_pydantic_field_uses_the_same_rules() -> None:
    assert _Row.model_validate({"amount": "£1,234.505"}).amount == Decimal("1234.505")
    for bad, rule in [("1e30", NOT_WRITTEN), ("1" * 29, TOO_LARGE), (True, "not an amount")]:
        with pytest.raises(ValidationError) as caught:
            _Row.model_validate({"amount": bad})
        (error,) = caught.value.errors()
        assert error["msg"].startswith(rule)
