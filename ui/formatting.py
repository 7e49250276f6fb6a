"""How the desktop app writes values for people: dates as dd/MM/yyyy, whole numbers with dot
grouping and money as ``1.234.567 ₫``, whatever the interface language.

The records are Vietnamese administrative data, so they are written the Vietnamese way even in
the English interface; no locale lookup is involved, which keeps the output the same on every
machine.
"""

from __future__ import annotations

from datetime import date

CURRENCY_SIGN = "₫"


def format_date(value: date | None) -> str:
    """``date(2025, 7, 1)`` -> ``01/07/2025``; ``None`` -> ``""``."""
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_number(value: int | None) -> str:
    """``1234567`` -> ``1.234.567``; ``None`` -> ``""``."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def format_money(value: int | None) -> str:
    """Whole đồng: ``1234567`` -> ``1.234.567 ₫``; ``None`` -> ``""``."""
    return "" if value is None else f"{format_number(value)} {CURRENCY_SIGN}"
