"""clean_text collapses and trims space as the regular expression ``\\s+`` did (issue 15)."""

from __future__ import annotations

import re
import sys
import unicodedata

from ctmt_desktop.text import clean_text

SPACES = re.compile(r"\s+")


def _by_regex(value: str) -> str:
    return SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def test_every_space_character_is_one_regex_and_split_agree_on() -> None:
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert spaces == [chr(c) for c in range(sys.maxunicode + 1) if SPACES.fullmatch(chr(c))]
    for space in spaces:
        for text in (f"{space}a{space}{space}b{space}", space, f"x{space}y", space * 3):
            assert clean_text(text) == _by_regex(text), repr(text)


def test_texts_are_cleaned_as_before() -> None:
    for text in (
        "",
        "  Lớp   tập huấn\tkỹ năng\n số ",
        unicodedata.normalize("NFD", " Thừa  Thiên Huế"),  # decomposed: made NFC
        "\u00a0Đạt\u3000",
        "a\u200bb",  # a zero-width space is no space
        "x\x1cy\x1fz\x85w",
    ):
        assert clean_text(text) == _by_regex(text), repr(text)
