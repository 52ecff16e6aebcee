import pytest

from portal.surveys import sampling


def test_the_same_seed_draws_the_same_cases_whatever_the_order():
    numbers = [f"C{i:04d}" for i in range(200)]
    first = sampling.draw(numbers, 15, "k:2026-03:002479001")
    again = sampling.draw(list(reversed(numbers)), 15, "k:2026-03:002479001")
    assert first == again and len(first) == 15 and set(first) <= set(numbers)


def test_another_seed_draws_other_cases():
    numbers = [f"C{i:04d}" for i in range(200)]
    a = sampling.draw(numbers, 15, "k:2026-03:002479001")
    b = sampling.draw(numbers, 15, "k:2026-04:002479001")
    assert a != b


def test_never_more_than_there_are():
    assert sampling.draw(["A", "B"], 5, "s") == ["A", "B"]
    assert sampling.draw([], 5, "s") == []


@pytest.mark.parametrize(
    ("population", "size", "rate", "expected"),
    [
        (0, 20, 10, 0),
        (1, 20, 10, 1),
        (9, 20, 10, 1),
        (11, 20, 10, 2),
        (500, 20, 10, 20),
        (7, 20, 100, 7),
    ],
)
def test_sample_count_is_the_rate_rounded_up_capped_by_the_size(population, size, rate, expected):
    assert sampling.sample_count(population, size=size, rate=rate) == expected
