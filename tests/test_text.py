"""Vietnamese text: the folded search key, cleaning to NFC and dictionary sort order."""

from __future__ import annotations

import random
import unicodedata

import pytest

from ctmt_desktop.text import clean_text, fold, sort_key


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- fold -------------------------------------------------------------------------------------
def test_duc_finds_duc_with_d_stroke_and_tones() -> None:
    assert fold("duc") in fold("Trung tâm Văn hóa Đức Phổ")
    assert fold("Đức") == "duc"


def test_province_name_folds_to_plain_ascii_words() -> None:
    assert fold("Thừa Thiên Huế") == "thua thien hue"
    assert fold("thua thien hue") == fold("THỪA THIÊN HUẾ")


@pytest.mark.parametrize("text", ["đ", "Đ", "đường", "ĐƯỜNG"])
def test_d_stroke_of_either_case_folds_to_d(text: str) -> None:
    assert fold(text).startswith("d")
    assert "đ" not in fold(text) and "Đ" not in fold(text)


def test_fold_is_case_insensitive_including_special_casefolding() -> None:
    assert fold("Lao Bảo") == fold("LAO BẢO") == fold("lao bảo") == "lao bao"
    assert fold("STRASSE") == fold("straße")  # casefold, not lower


@pytest.mark.parametrize("text", ["Đức", "Thừa Thiên Huế", "Xã Lao Bảo", "Ưu tiên", "Quảng Trị"])
def test_nfc_and_nfd_input_give_the_same_search_key(text: str) -> None:
    assert nfd(text) != unicodedata.normalize("NFC", text)  # the two inputs really differ
    assert fold(nfd(text)) == fold(unicodedata.normalize("NFC", text))


def test_fold_collapses_and_trims_spaces() -> None:
    assert fold("  Lao \t  Bảo \n") == "lao bao"


# --- clean_text -------------------------------------------------------------------------------
def test_clean_text_turns_nfd_input_into_nfc() -> None:
    cleaned = clean_text(nfd("Tập huấn cán bộ thông tin cơ sở"))
    assert cleaned == "Tập huấn cán bộ thông tin cơ sở"
    assert unicodedata.is_normalized("NFC", cleaned)


def test_clean_text_trims_and_collapses_inner_whitespace() -> None:
    assert clean_text("  Tập   huấn\t\tcán bộ \n xã  ") == "Tập huấn cán bộ xã"


def test_clean_text_treats_no_break_space_as_space() -> None:
    assert clean_text("Xã\u00a0Lao\u00a0 Bảo") == "Xã Lao Bảo"


# --- sort_key ---------------------------------------------------------------------------------
VIETNAMESE_ORDER = [
    "Anh",
    "Ánh",
    "Ăn",
    "Ân",
    "Bình",
    "Dũng",
    "Đào",
    "On",
    "Ôn",
    "Ơn",
    "Uyên",
    "Ư",
]


def test_names_sort_in_vietnamese_dictionary_order() -> None:
    shuffled = ["Ánh", "Anh", "Bình", "Ân", "Ăn", "Đào", "Dũng", "Ư", "Uyên", "Ơn", "Ôn", "On"]
    assert sorted(shuffled, key=sort_key) == VIETNAMESE_ORDER


def test_order_does_not_depend_on_input_order() -> None:
    for seed in range(5):
        names = list(VIETNAMESE_ORDER)
        random.Random(seed).shuffle(names)
        assert sorted(names, key=sort_key) == VIETNAMESE_ORDER


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a", "ă"),
        ("ă", "â"),
        ("â", "b"),
        ("d", "đ"),
        ("đ", "e"),
        ("e", "ê"),
        ("ê", "f"),
        ("o", "ô"),
        ("ô", "ơ"),
        ("ơ", "p"),
        ("u", "ư"),
        ("ư", "v"),
    ],
)
def test_letters_with_marks_are_separate_letters_after_their_base(before: str, after: str) -> None:
    assert sort_key(before) < sort_key(after)
    assert sort_key(before.upper()) < sort_key(after.upper())


def test_tones_are_compared_only_when_letters_tie() -> None:
    assert sort_key("Anh") < sort_key("Ánh")
    assert sort_key("Ánh") < sort_key("Ao")  # letters decide first: n before o
    assert sort_key("Ánh") < sort_key("Bình")


def test_tone_order_is_none_huyen_hoi_nga_sac_nang() -> None:
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(tones), key=sort_key) == tones


def test_shorter_word_sorts_before_its_extensions() -> None:
    assert sorted(["Anh", "An", "Anh Đào"], key=sort_key) == ["An", "Anh", "Anh Đào"]


def test_case_does_not_change_the_order() -> None:
    assert sort_key("an") == sort_key("An") == sort_key("AN")
    assert sort_key("An") < sort_key("án")  # the tone decides, not the case
    assert sort_key("Bình") < sort_key("bình định")
    assert sorted(["bình", "An", "ánh", "Anh"], key=sort_key) == ["An", "Anh", "ánh", "bình"]


def test_nfd_input_sorts_like_nfc_input() -> None:
    for name in VIETNAMESE_ORDER:
        assert sort_key(nfd(name)) == sort_key(name)


def test_commune_names_sort_as_a_vietnamese_reader_expects() -> None:
    names = ["Xã Ưu Điềm", "Xã Đông Hà", "Xã Ân Phú", "Xã Ba Lòng", "Xã An Bình", "Xã Dốc Miếu"]
    assert sorted(names, key=sort_key) == [
        "Xã An Bình",
        "Xã Ân Phú",
        "Xã Ba Lòng",
        "Xã Dốc Miếu",
        "Xã Đông Hà",
        "Xã Ưu Điềm",
    ]
