import pytest

from onebudget.outcomes.targets import status


@pytest.mark.parametrize(
    ("value", "lower", "upper", "target", "polarity", "expected"),
    [
        (93.2, 92.9, 93.6, 92.0, "higher is better", "met"),
        (93.2, 92.9, 93.6, 95.0, "higher is better", "not met"),
        (93.2, 92.9, 93.6, 93.0, "higher is better", "not significantly different"),
        (1651.1, 1544.7, 1762.9, 1933.0, "lower is better", "met"),
        (1651.1, 1544.7, 1762.9, 1500.0, "lower is better", "not met"),
        (None, None, None, 10.0, "lower is better", "not judged"),
        (5.0, 4.0, 6.0, 1.0, "no judgement", "not judged"),
    ],
)
def test_status_by_interval_and_polarity(value, lower, upper, target, polarity, expected) -> None:
    assert status(value, lower, upper, target, polarity) == expected
