"""The column widths of the PDF's tables count the lines of sampled cells without making
them (issue 15): the count is the wrapped lines', whatever the text and the width."""

from __future__ import annotations

import random

from ctmt_desktop.reports.pdf import _Measure, register_serif_family

TEXTS = [
    "",
    " ",
    "Tập huấn",
    "Lớp tập huấn kỹ năng chuyển đổi số cho cán bộ thôn, bản tại xã Hướng Phùng",
    "Đầu thu truyền hình",
    "a\n\nb",
    "dòng một\ndòng hai dài hơn một chút\n",
    "https://www.example.gov.vn/tin-tuc/2024/chuyen-doi-so/bai-viet-rat-dai.html mới",
    "  khoảng   trắng  thừa  ",
    "ĐƯỜNG-DÂY-NÓNG,1900.1234/5678 và_một_từ_rất_dài_không_có_chỗ_ngắt_nào_cả_đâu",
]


def test_the_count_is_the_wrapped_lines() -> None:
    fonts = register_serif_family()
    rng = random.Random(15)
    words = " ".join(TEXTS).split()
    texts = [*TEXTS, *(" ".join(rng.choices(words, k=rng.randint(1, 30))) for _ in range(60))]
    for font in (fonts.regular, fonts.bold):
        measure = _Measure(font, 10.0)
        for text in texts:
            measured = measure.words(text)
            for width in [3.0, 8.0, *(rng.uniform(10, 400) for _ in range(10))]:
                expected = len(_Measure(font, 10.0).wrap(text, width))
                assert measure.count_lines(measured, width) == expected, (text, width)
