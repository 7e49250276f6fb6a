"""How values are written for people (window, reports, spreadsheets): dates as dd/MM/yyyy,
numbers with Vietnamese grouping and money as ``1.234.567 ₫``, whatever the interface
language.

The records are Vietnamese administrative data, so they are written the Vietnamese way even
in the English interface. Number formatting comes from Babel's ``vi`` locale data, so the
output is the same on every machine.
"""

from __future__ import annotations

from datetime import date

CURRENCY_SIGN = "₫"
_LOCALE = "vi_VN"


def format_date(value: date | None) -> str:
    """``date(2025, 7, 1)`` -> ``01/07/2025``; ``None`` -> ``""``."""
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_number(value: float | None, decimals: int = 0) -> str:
    """``1234567`` -> ``1.234.567``; ``86.04`` with one decimal -> ``86,0``; None -> ``""``."""
    if value is None:
        return ""
    if type(value) is int and not decimals:  # the common case, without babel's parser
        return f"{value:,}".replace(",", ".")
    from babel.numbers import format_decimal  # here: a command that formats no number skips it

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_LOCALE)


def format_money(value: int | None) -> str:
    """Whole đồng: ``1234567`` -> ``1.234.567 ₫``; ``None`` -> ``""``."""
    return "" if value is None else f"{format_number(value)} {CURRENCY_SIGN}"


def format_percent(value: float | None, decimals: int = 1) -> str:
    """``86.04`` -> ``86,0%``; ``None`` -> ``—``."""
    return "—" if value is None else f"{format_number(value, decimals)}%"


#: What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"), full-width
#: forms included (an East Asian input method turns them into formulas).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: The same, as a set of first characters (``text[:1] in FORMULA_FIRST``) for tight loops.
FORMULA_FIRST = frozenset(_FORMULA_STARTS)


def spreadsheet_text(text: str) -> str:
    """``text`` for a CSV cell that a spreadsheet shows as text: one beginning with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP), so that
    ``=HYPERLINK(…)`` typed in a title never runs when the file is opened. Numbers are not
    text and are written as they are."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
