"""Reporting periods: years, halves and quarters with their first and last days."""

from __future__ import annotations

from datetime import date

import pytest

from ctmt_desktop.periods import PeriodError, parse_period


def test_year_covers_first_of_january_to_last_of_december() -> None:
    period = parse_period("2024")
    assert (period.code, period.start, period.end) == ("2024", date(2024, 1, 1), date(2024, 12, 31))
    assert period.year == 2024


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-H1", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-H2", date(2024, 7, 1), date(2024, 12, 31)),
    ],
)
def test_halves_split_the_year_at_the_end_of_june(text: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.code, period.start, period.end) == (text, start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-Q2", date(2024, 4, 1), date(2024, 6, 30)),
        ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024-Q4", date(2024, 10, 1), date(2024, 12, 31)),
    ],
)
def test_quarters_have_their_calendar_boundaries(text: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


def test_leap_day_belongs_to_the_first_quarter_of_a_leap_year() -> None:
    q1 = parse_period("2024-Q1")
    assert q1.contains(date(2024, 2, 29))
    assert not q1.contains(date(2024, 4, 1))
    assert parse_period("2023-Q1").end == date(2023, 3, 31)


def test_contains_includes_both_boundary_days() -> None:
    h2 = parse_period("2025-H2")
    assert h2.contains(date(2025, 7, 1)) and h2.contains(date(2025, 12, 31))
    assert not h2.contains(date(2025, 6, 30)) and not h2.contains(date(2026, 1, 1))


def test_notation_is_case_insensitive_and_trimmed() -> None:
    assert parse_period(" 2024-q3 ").code == "2024-Q3"
    assert parse_period("2024-h1").code == "2024-H1"


@pytest.mark.parametrize("text", ["2024-H3", "24", "2024-Q5", "", "2024-Q0", "2024H1", "H1-2024"])
def test_malformed_period_is_rejected_with_the_notation_in_the_message(text: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    message = str(caught.value)
    assert f"'{text}'" in message
    assert "2024-H1" in message and "2024-Q1" in message


def test_year_outside_the_supported_range_is_rejected() -> None:
    with pytest.raises(PeriodError, match="between 2000 and 2100"):
        parse_period("1999")


def test_period_error_is_a_value_error_for_callers_that_catch_those() -> None:
    with pytest.raises(ValueError):
        parse_period("later")
