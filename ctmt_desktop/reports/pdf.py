"""PDF renderings of the reports (reportlab Platypus): A4 in the layout of Decree
30/2020/NĐ-CP.

The national header and the agency in two columns (the agency's line without the province
its parent body names), number and place-and-date under them, ``BÁO CÁO`` and its subject in
bold, the content, the signature block with "Nơi nhận" (kept with the last rows or lines of
the text, never alone on a page), then the annexes. Pages are numbered at the top centre
from the second one; each annex is numbered on its own. The text is on portrait pages; a
table that would wrap a cell of its rows to more than two lines there (or a header cell to
more than three) goes on landscape pages, as do the annexes and a list of records with many
columns. The face is a serif one with full Vietnamese coverage: Times New Roman when the
machine has its four files (it may not be redistributed), else the bundled Liberation
Serif. All text is written in NFC.

Tables are drawn by :class:`GridTable`, a flowable of our own: it measures and wraps every
cell once, splits between rows at page ends by bisection and repeats the header row on every
page. reportlab's ``Table`` lays a 10,000-row annex out several times slower even in chunks
of 40 rows, which the report's time budget cannot afford. Tables span the text width
exactly (frames without padding), so they never reach into the margins.

Files are written beside the target under a temporary name and renamed when complete.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as LayoutTable

from ctmt_desktop.errors import StorageError
from ctmt_desktop.formatting import format_date, format_number, format_percent
from ctmt_desktop.paths import resources_dir
from ctmt_desktop.reports.figures import (
    Column,
    CriterionReport,
    Letterhead,
    ListReport,
    PeriodReport,
    Section,
    Table,
)

__all__ = [
    "FontFamily",
    "GridTable",
    "find_times_new_roman",
    "register_serif_family",
    "render_criterion_pdf",
    "render_list_pdf",
    "render_period_pdf",
]

PAGE_WIDTH, PAGE_HEIGHT = A4
# Decree 30/2020 margins: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 30 * mm, 15 * mm, 20 * mm, 20 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
#: The two-column header reaches this far into the left and right margins so that a quốc
#: hiệu line of 12 pt (88 mm) and a parent body of about 75 mm each fit on one line.
HEADER_OUTDENT_LEFT, HEADER_OUTDENT_RIGHT = 6 * mm, 4 * mm
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
#: Lines a table cell shows at most (a 4,000-character note must not outgrow a page).
MAX_CELL_LINES = 24
#: A table goes on a landscape page when, on a portrait one, a cell of its rows would take
#: more lines than this (or a header cell more than HEADER_LINES, which number columns are
#: made wide enough for when the page allows).
BODY_LINES, HEADER_LINES = 2, 3
#: Text every serif face must cover: Vietnamese letters with their stacked marks, and ₫.
_COVERAGE_SAMPLE = "ĂÂĐÊÔƠƯăâđêôơưẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸỹ₫“”–…›"


# --- fonts ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FontFamily:
    """A registered serif family: the reportlab names of its four faces.

    Attributes:
        label: ``Times New Roman`` or ``Liberation Serif``.
        files: the four files (regular, bold, italic, bold italic).
    """

    label: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    files: tuple[Path, Path, Path, Path]


_TIMES_NAMES = (
    ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"),  # Windows
    (  # Debian/Ubuntu ttf-mscorefonts-installer
        "times_new_roman.ttf",
        "times_new_roman_bold.ttf",
        "times_new_roman_italic.ttf",
        "times_new_roman_bold_italic.ttf",
    ),
    (  # macOS
        "times new roman.ttf",
        "times new roman bold.ttf",
        "times new roman italic.ttf",
        "times new roman bold italic.ttf",
    ),
)
_LIBERATION_FILES = (
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
)


def system_font_dirs() -> list[Path]:
    """The usual font folders of Windows, Linux and macOS that exist on this machine."""
    home = Path.home()
    candidates = [
        Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
        Path(os.environ.get("LOCALAPPDATA", str(home / "AppData" / "Local")))
        / "Microsoft"
        / "Windows"
        / "Fonts",
        Path("/usr/share/fonts/truetype/msttcorefonts"),
        Path("/usr/share/fonts/truetype/mscorefonts"),
        Path("/usr/share/fonts/msttcore"),
        Path("/usr/share/fonts/msttcorefonts"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/share/fonts/truetype"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local" / "share" / "fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts/Supplemental"),
        home / "Library" / "Fonts",
    ]
    return [path for path in candidates if path.is_dir()]


def find_times_new_roman(dirs: Sequence[Path] | None = None) -> tuple[Path, ...] | None:
    """The four Times New Roman files (regular, bold, italic, bold italic) in one of
    ``dirs`` (the system font folders by default), or None unless all four are there."""
    for folder in system_font_dirs() if dirs is None else dirs:
        try:
            present = {entry.name.lower(): entry for entry in Path(folder).iterdir()}
        except OSError:
            continue
        for names in _TIMES_NAMES:
            if all(name in present for name in names):
                return tuple(present[name] for name in names)
    return None


def _covers_vietnamese(path: Path) -> bool:
    try:
        face = TTFontFile(str(path))
    except Exception:  # any unreadable or unsupported font file is simply not used
        return False
    return all(ord(char) in face.charToGlyph for char in _COVERAGE_SAMPLE)


@functools.lru_cache(maxsize=4)
def register_serif_family(dirs: tuple[Path, ...] | None = None) -> FontFamily:
    """Register the report face with reportlab (once) and return its names.

    Times New Roman when all four faces are found in ``dirs`` (the system font folders by
    default) and cover Vietnamese and ₫; else the bundled Liberation Serif. The four faces
    are registered as one family so that bold and italic are the real faces.
    """
    times = find_times_new_roman(dirs)
    if times is not None and all(_covers_vietnamese(path) for path in times):
        label, base, files = "Times New Roman", "CtmtTimesNewRoman", times
    else:
        folder = resources_dir() / "fonts"
        label, base = "Liberation Serif", "CtmtLiberationSerif"
        files = tuple(folder / name for name in _LIBERATION_FILES)
    names = (base, f"{base}-Bold", f"{base}-Italic", f"{base}-BoldItalic")
    for name, path in zip(names, files, strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        base, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
    )
    return FontFamily(label, *names, files=files)  # type: ignore[arg-type]


# --- text ----------------------------------------------------------------------------------------
def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _markup(text: str) -> str:
    """Plain text made safe for a Paragraph: NFC, escaped, runs of spaces kept."""
    safe = escape(_nfc(text))
    return re.sub(r" {2,}", lambda m: "\u00a0" * len(m.group()), safe)


def _integer_text(value: int) -> str:
    # Same output as format_number for whole numbers (Vietnamese grouping with dots), at a
    # fraction of Babel's cost: a 10,000-row annex writes some 50,000 of them.
    return f"{value:,}".replace(",", ".")


def cell_text(value: Any, kind: str) -> str:
    """How a value of a column of ``kind`` is printed in a table cell."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if kind == "percent":
        return format_percent(value)
    if kind == "date":
        return format_date(value)
    if isinstance(value, int):
        return _integer_text(value)
    if isinstance(value, float):
        return _integer_text(int(value)) if value.is_integer() else format_number(value, 1)
    return _nfc(str(value))


class _Measure:
    """String widths in one font and size, cached (words repeat a lot in a report)."""

    def __init__(self, font: str, size: float) -> None:
        self.font, self.size = font, size
        self._cache: dict[str, float] = {}
        self._wrapped: dict[tuple[str, float], list[tuple[str, float]]] = {}
        self.space = self(" ")

    def __call__(self, text: str) -> float:
        width = self._cache.get(text)
        if width is None:
            width = self._cache[text] = pdfmetrics.stringWidth(text, self.font, self.size)
        return width

    def wrap(self, text: str, available: float) -> list[tuple[str, float]]:
        """Greedy line breaking at spaces; a word wider than the line breaks after ``.``,
        ``-``, ``/`` or ``,`` where it can, else between letters. Lines with their widths."""
        key = (text, available)
        lines = self._wrapped.get(key)
        if lines is None:
            lines = self._wrapped[key] = self._wrap(text, available)
        return lines

    def _wrap(self, text: str, available: float) -> list[tuple[str, float]]:
        lines: list[tuple[str, float]] = []
        for paragraph in text.split("\n"):
            words: list[str] = []
            width = 0.0
            for word in paragraph.split():
                word_width = self(word)
                if word_width > available:
                    if words:
                        lines.append((" ".join(words), width))
                    pieces = self._break_word(word, available)
                    lines.extend(pieces[:-1])
                    words, width = [pieces[-1][0]], pieces[-1][1]
                elif words and width + self.space + word_width > available:
                    lines.append((" ".join(words), width))
                    words, width = [word], word_width
                else:
                    width = width + self.space + word_width if words else word_width
                    words.append(word)
            lines.append((" ".join(words), width))
        return lines

    def words(self, text: str) -> list[list[tuple[str, float]]]:
        """The words of each line of ``text`` with their widths, for :meth:`count_lines`."""
        return [[(word, self(word)) for word in line.split()] for line in text.split("\n")]

    def count_lines(self, words: list[list[tuple[str, float]]], available: float) -> int:
        """``len(self.wrap(text, available))`` from ``self.words(text)``: the same breaks
        without making the lines, for the column widths tried by the hundred."""
        space = self.space
        count = 0
        for paragraph in words:
            placed = False
            width = 0.0
            for word, word_width in paragraph:
                if word_width > available:
                    pieces = self._break_word(word, available)
                    count += len(pieces) - 1 + placed
                    placed, width = True, pieces[-1][1]
                elif placed and width + space + word_width > available:
                    count += 1
                    width = word_width
                else:
                    width = width + space + word_width if placed else word_width
                    placed = True
            count += 1
        return count

    def _break_word(self, word: str, available: float) -> list[tuple[str, float]]:
        pieces: list[tuple[str, float]] = []
        rest = word
        while rest:
            cut = len(rest)
            while cut > 1 and self(rest[:cut]) > available:
                cut -= 1
            soft = max(rest.rfind(mark, 0, cut) for mark in ".-/,")
            if cut < len(rest) and soft > 0:
                cut = soft + 1
            pieces.append((rest[:cut], self(rest[:cut])))
            rest = rest[cut:]
        return pieces


# --- styles --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Styles:
    fonts: FontFamily
    body: ParagraphStyle
    center: ParagraphStyle
    center_bold: ParagraphStyle
    center_italic: ParagraphStyle
    title: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    subheading: ParagraphStyle
    note: ParagraphStyle
    header_left: ParagraphStyle
    header_left_bold: ParagraphStyle
    header_national: ParagraphStyle
    header_motto: ParagraphStyle
    number: ParagraphStyle
    place_date: ParagraphStyle
    recipients_head: ParagraphStyle
    recipients: ParagraphStyle
    signer: ParagraphStyle
    filters: ParagraphStyle


def _styles(fonts: FontFamily) -> _Styles:
    def style(name: str, font: str, size: float, **extra: Any) -> ParagraphStyle:
        extra.setdefault("leading", size * 1.22)
        return ParagraphStyle(name, fontName=font, fontSize=size, **extra)

    return _Styles(
        fonts=fonts,
        body=style(
            "body",
            fonts.regular,
            13,
            alignment=TA_JUSTIFY,
            firstLineIndent=10 * mm,
            spaceAfter=4,
        ),
        center=style("center", fonts.regular, 13, alignment=TA_CENTER),
        center_bold=style("center_bold", fonts.bold, 13, alignment=TA_CENTER),
        center_italic=style("center_italic", fonts.italic, 12, alignment=TA_CENTER),
        title=style("title", fonts.bold, 14, alignment=TA_CENTER, leading=17),
        heading1=style("heading1", fonts.bold, 13, spaceBefore=10, spaceAfter=4, keepWithNext=1),
        heading2=style(
            "heading2",
            fonts.bold,
            13,
            firstLineIndent=10 * mm,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        heading3=style(
            "heading3",
            fonts.bold_italic,
            13,
            firstLineIndent=10 * mm,
            spaceBefore=6,
            spaceAfter=1,
            keepWithNext=1,
        ),
        subheading=style(
            "subheading",
            fonts.italic,
            11,
            firstLineIndent=10 * mm,
            spaceAfter=3,
            keepWithNext=1,
        ),
        note=style("note", fonts.italic, 10, spaceBefore=2, spaceAfter=6),
        header_left=style("header_left", fonts.regular, 12, alignment=TA_CENTER, leading=14),
        header_left_bold=style("header_left_bold", fonts.bold, 12, alignment=TA_CENTER, leading=14),
        header_national=style("header_national", fonts.bold, 12, alignment=TA_CENTER, leading=14),
        header_motto=style("header_motto", fonts.bold, 13, alignment=TA_CENTER, leading=15),
        number=style("number", fonts.regular, 13, alignment=TA_CENTER, leading=15),
        place_date=style("place_date", fonts.italic, 13, alignment=TA_CENTER, leading=15),
        recipients_head=style("recipients_head", fonts.bold_italic, 12, leading=14),
        recipients=style("recipients", fonts.regular, 11, leading=13),
        signer=style("signer", fonts.bold, 13, alignment=TA_CENTER, leading=16),
        filters=style("filters", fonts.regular, 12, alignment=TA_LEFT, leading=15),
    )


# --- the grid table ------------------------------------------------------------------------------
@dataclass(frozen=True)
class GridStyle:
    """Sizes of a table: cell text, header, padding, rules."""

    size: float = 10.0
    leading: float = 11.8
    header_size: float = 10.0
    pad_x: float = 2.6
    pad_y: float = 2.4
    rule: float = 0.5
    caption_size: float = 11.5
    #: Number columns get at least this share of their weighted width (0: just their
    #: widest value), leaving the rest to the text columns.
    number_floor: float = 0.8


@dataclass
class _Row:
    """A measured row: its lines placed (x from the table's left, y of the baseline from
    the row's top), its height, and how it is drawn."""

    lines: list[tuple[float, float, str]]
    height: float
    font: str
    size: float
    span: bool = False  # a group heading across every column
    bold: bool = False
    depth: int = 1  # lines of its fullest cell


class _GridLayout:
    """Everything measured once for a table: column widths, wrapped cells, row heights."""

    def __init__(
        self, table: Table, fonts: FontFamily, style: GridStyle, width: float, caption: str
    ) -> None:
        self.style = style
        self.fonts = fonts
        regular = _Measure(fonts.regular, style.size)
        bold = _Measure(fonts.bold, style.size)
        header = _Measure(fonts.bold, style.header_size)
        columns = table.columns
        self.aligns = [
            "LEFT" if c.kind == "text" else ("CENTER" if c.kind == "date" else "RIGHT")
            for c in columns
        ]
        texts = [[cell_text(row.get(c.key), c.kind) for c in columns] for row in table.rows]
        for index, column in enumerate(columns):
            if column.key == "stt":  # a row number is written without grouping: 10000
                for cells, row in zip(texts, table.rows, strict=True):
                    cells[index] = str(row.get("stt", ""))
        totals = [cell_text(table.totals.get(c.key), c.kind) for c in columns]
        fitted = [c.kind != "text" for c in columns]
        # The first text column names the rows (and holds "Tổng cộng"): always on the left.
        label = next((i for i, c in enumerate(columns) if c.kind == "text"), None)
        for index, column in enumerate(columns):
            if column.key == "stt":
                self.aligns[index] = "CENTER"
            elif column.kind == "text" and index != label and _short_text_column(texts, index):
                self.aligns[index] = "CENTER"
        self.widths = _column_widths(
            columns, fitted, texts, totals, (regular, bold, header), style, width
        )
        self.width = sum(self.widths)
        self.xs = [0.0]
        for column_width in self.widths:
            self.xs.append(self.xs[-1] + column_width)
        # Header
        header_size = style.header_size
        header_cells = [
            header.wrap(_nfc(c.label_vi), w - 2 * style.pad_x)
            for c, w in zip(columns, self.widths, strict=True)
        ]
        self.header = self._place(
            header_cells, ["CENTER"] * len(columns), fonts.bold, header_size, header_size * 1.18
        )
        # Caption (first part only)
        caption_measure = _Measure(fonts.bold, style.caption_size)
        self.caption = caption_measure.wrap(_nfc(caption), self.width) if caption else []
        self.caption_height = (
            len(self.caption) * style.caption_size * 1.25 + 4 if self.caption else 0.0
        )
        # Body
        self.rows: list[_Row] = []
        group_starts = dict(table.groups)
        heading_measure = _Measure(fonts.bold_italic, style.size)
        for index, cells in enumerate(texts):
            if index in group_starts:
                self.rows.append(self._span_row(heading_measure, _nfc(group_starts[index])))
            self.rows.append(self._row(cells, regular))
        if table.totals:
            self.rows.append(self._row(totals, bold))
        self.offsets = [0.0]
        for row in self.rows:
            self.offsets.append(self.offsets[-1] + row.height)

    def _row(self, texts: list[str], measure: _Measure) -> _Row:
        room = [width - 2 * self.style.pad_x for width in self.widths]
        cells: list[list[tuple[str, float]]] = []
        for text, align, space in zip(texts, self.aligns, room, strict=True):
            if not text:
                cells.append([])
                continue
            if align == "LEFT" or measure(text) > space:
                lines = measure.wrap(text, space)
                if len(lines) > MAX_CELL_LINES:
                    last, _ = lines[MAX_CELL_LINES - 1]
                    lines = [*lines[: MAX_CELL_LINES - 1], (last + " …", measure(last + " …"))]
            else:
                lines = [(text, measure(text))]
            cells.append(lines)
        style = self.style
        return self._place(cells, self.aligns, measure.font, style.size, style.leading)

    def _place(
        self,
        cells: list[list[tuple[str, float]]],
        aligns: Sequence[str],
        font: str,
        size: float,
        leading: float,
    ) -> _Row:
        """Each cell's lines centred vertically in the row, aligned in their column."""
        style = self.style
        most = max((len(lines) for lines in cells), default=1) or 1
        height = most * leading + 2 * style.pad_y
        inner = height - 2 * style.pad_y
        placed: list[tuple[float, float, str]] = []
        for index, lines in enumerate(cells):
            if not lines:
                continue
            left, right = self.xs[index], self.xs[index + 1]
            align = aligns[index]
            y = -style.pad_y - (inner - len(lines) * leading) / 2 - size * 0.85
            y -= (leading - size) / 2
            for line, width in lines:
                if align == "LEFT":
                    x = left + style.pad_x
                elif align == "RIGHT":
                    x = right - style.pad_x - width
                else:
                    x = (left + right - width) / 2
                placed.append((x, y, line))
                y -= leading
        return _Row(placed, height, font, size, bold=font == self.fonts.bold, depth=most)

    def _span_row(self, measure: _Measure, text: str) -> _Row:
        style = self.style
        lines = measure.wrap(text, self.width - 2 * style.pad_x)
        y = -style.pad_y - style.size * 0.85
        placed = []
        for line, _width in lines:
            placed.append((style.pad_x, y, line))
            y -= style.leading
        height = len(lines) * style.leading + 2 * style.pad_y
        return _Row(placed, height, measure.font, style.size, span=True, depth=len(lines))

    def deepest(self) -> tuple[int, int]:
        """(lines of the fullest header cell, lines of the fullest body or totals cell)."""
        body = max((row.depth for row in self.rows if not row.span), default=1)
        return self.header.depth, body

    def fit(self, start: int, available: float) -> int:
        """The end of the longest run of rows from ``start`` that fits in ``available``."""
        limit = self.offsets[start] + available + 1e-6
        return bisect.bisect_right(self.offsets, limit, lo=start) - 1


#: Text columns whose values are all this short (Đạt, Có, a year, Tiếng Việt) are centred.
SHORT_TEXT = 14


def _short_text_column(texts: list[list[str]], index: int) -> bool:
    return all(len(row[index]) <= SHORT_TEXT for row in texts)


def _column_widths(
    columns: Sequence[Column],
    fitted: Sequence[bool],
    texts: list[list[str]],
    totals: list[str],
    measures: tuple[_Measure, _Measure, _Measure],
    style: GridStyle,
    total_width: float,
) -> list[float]:
    """Column widths filling ``total_width``.

    Number and date columns (``fitted``) are as wide as their widest value and
    the longest word of their heading (at least ``style.number_floor`` of their weighted
    share). The other text columns share the rest so that the rows take as few lines as
    possible (see :func:`_share_text_width`); without rows, by the columns' weights.
    """
    regular, bold, header = measures
    weights = [max(c.width, 0.1) for c in columns]
    unit = total_width / sum(weights)
    pad = 2 * style.pad_x + 0.5
    needed: dict[int, float] = {}
    for index, column in enumerate(columns):
        if fitted[index]:
            widest = max((regular(row[index]) for row in texts), default=0.0)
            widest = max(widest, bold(totals[index]))
            label = _header_width(header, column.label_vi, HEADER_LINES)
            needed[index] = max(widest, label) + pad
    flexible = [i for i in range(len(columns)) if not fitted[i]]
    fixed = {i: max(need, style.number_floor * weights[i] * unit) for i, need in needed.items()}
    if flexible and total_width - sum(fixed.values()) < 60 * len(flexible):
        fixed = dict(needed)  # squeezed: number columns at their minimum
    rest = total_width - sum(fixed.values())
    if rest <= 0 or (flexible and rest < 24 * len(flexible)):
        return [w * unit for w in weights]  # more numbers than the page holds: plain weights
    widths = [0.0] * len(columns)
    for index, value in fixed.items():
        widths[index] = value
    if not flexible:
        scale = total_width / sum(widths)
        return [w * scale for w in widths]
    shares = _share_text_width(
        [columns[i] for i in flexible],
        [[row[i] for i in flexible] for row in texts],
        regular,
        header,
        rest,
        pad,
    )
    for index, value in zip(flexible, shares, strict=True):
        widths[index] = value
    return widths


def _header_width(measure: _Measure, label: str, lines: int) -> float:
    """The narrowest width that wraps ``label`` into at most ``lines`` lines (never less
    than its longest word)."""
    words = label.split()
    low = max((measure(word) for word in words), default=0.0)
    high = measure(label)
    if len(measure.wrap(label, low)) <= lines:
        return low
    for _step in range(12):  # bisection to a fraction of a point
        middle = (low + high) / 2
        if len(measure.wrap(label, middle)) <= lines:
            high = middle
        else:
            low = middle
    return high


def _share_text_width(
    columns: Sequence[Column],
    texts: list[list[str]],
    regular: _Measure,
    header: _Measure,
    room: float,
    pad: float,
) -> list[float]:
    """Widths of text columns sharing ``room``.

    None is narrower than its longest word, nor than its heading set on at most
    :data:`HEADER_LINES` lines. The spare width is first shared in proportion
    to the columns' mean text beyond that, then slices of it move between pairs of columns
    while that makes a sample of the rows take fewer lines (a row is as tall as its
    fullest cell).
    """
    count = len(columns)
    sample = texts[:: max(1, len(texts) // 200)]
    # No heading on more than HEADER_LINES lines ("Năm đưa vào sử dụng" over a year's column).
    least = [_header_width(header, c.label_vi, HEADER_LINES) for c in columns]
    lengths: list[list[float]] = [[] for _ in columns]  # per column, each sampled cell's width
    for row in sample:
        for position, text in enumerate(row):
            words = text.split()
            total = 0.0
            for word in words:
                word_width = regular(word)
                total += word_width
                if word_width > least[position]:
                    least[position] = word_width
            # A little more than the sum of the words: lines rarely break exactly at the end.
            lengths[position].append((total + regular.space * max(len(words) - 1, 0)) * 1.08)
    # No column is narrower than its longest word; the first (which names the rows) is not
    # narrower than its median cell either, within a quarter of the room.
    label_median = sorted(lengths[0])[len(lengths[0]) // 2] if lengths[0] else 0.0
    least[0] = max(least[0], min(label_median, room / 4))
    least = [value + pad for value in least]
    if not sample:
        spare = max(room - sum(least), 0.0)
        weights = [max(c.width, 0.1) for c in columns]
        return [low + spare * w / sum(weights) for low, w in zip(least, weights, strict=True)]
    cache: dict[tuple[int, int], list[int]] = {}
    # Each sampled cell's words and their widths, measured once for every width tried.
    measured = [[regular.words(text) if text else None for text in row] for row in sample]

    def column_lines(position: int, width: float) -> list[int]:
        key = (position, round(width * 8))
        found = cache.get(key)
        if found is None:
            # Wrapped as the table wraps them: an estimate from the text's length misses
            # the room lost at line ends ("Đầu thu truyền hình" takes three narrow lines).
            inner = round(width * 8) / 8 - pad
            count = regular.count_lines
            found = cache[key] = [
                count(cells[position], inner) if cells[position] is not None else 1
                for cells in measured
            ]
        return found

    def rows(widths: Sequence[float]) -> int:
        # Lines of the sampled rows; a row deeper than BODY_LINES counts five times over
        # for each line beyond (one three-line cell is worse than a few more two-line rows).
        depths = map(max, *(column_lines(i, w) for i, w in enumerate(widths)), [1] * len(sample))
        return sum(d if d <= BODY_LINES else d + 4 * (d - BODY_LINES) for d in depths)

    def optimise(floor: list[float]) -> tuple[list[float], int]:
        spare = room - sum(floor)
        if spare <= 0:  # the longest words alone overflow: they will break
            widths = [room * value / sum(floor) for value in floor]
            return widths, rows(widths)
        means = [sum(cells) / len(cells) for cells in lengths]
        demand = [max(mean - low, 1.0) for mean, low in zip(means, floor, strict=True)]
        widths = [low + spare * d / sum(demand) for low, d in zip(floor, demand, strict=True)]
        best = rows(widths)
        pieces = [room / 16 / 2**step for step in range(5)]
        for _sweep in range(200):  # each sweep makes the best move; none ends the search
            move = None
            for piece in pieces:
                for giver in range(count):
                    if widths[giver] - piece < floor[giver]:
                        continue
                    for taker in range(count):
                        if giver == taker:
                            continue
                        trial = list(widths)
                        trial[giver] -= piece
                        trial[taker] += piece
                        score = rows(trial)
                        if score < best:
                            move, best = trial, score
                if move is not None:
                    break  # the coarsest slice that helps
            if move is None:
                break
            widths = move
        return widths, best

    # Short values (Đạt, Không đạt, Tiếng Việt) stay on one line: always when their columns
    # take little of the room, else unless that costs lines.
    whole = list(least)
    short = []
    for position in range(count):
        values = [row[position] for row in sample]
        if all(len(value) <= SHORT_TEXT for value in values):
            short.append(position)
            whole[position] = max(least[position], *(regular(v) + pad for v in values))
    if short and sum(whole[position] for position in short) <= 0.4 * room < room - sum(whole):
        return optimise(whole)[0]
    widths, best = optimise(least)
    if whole != least and sum(whole) < room:
        kept, score = optimise(whole)
        if score <= best * 1.08 or score <= best + 2:
            widths = kept
    return widths


class _TextWriter:
    """Lines of text written into one ``BT … ET`` block, the way reportlab's ttfonts module
    documents for its subset fonts (``splitString`` + ``getSubsetInternalName``), with the
    encoded pieces of each string cached for the whole document.

    A 10,000-row annex writes some 140,000 strings; ``drawString`` (a text object each) or
    ``textOut`` (a width measure each) would take three times as long.
    """

    def __init__(self, canvas: Canvas) -> None:
        self._canvas = canvas
        self._doc = canvas._doc  # the document the font subsets belong to
        cache = getattr(canvas, "ctmt_text_cache", None)
        if cache is None:
            cache = {}
            canvas.ctmt_text_cache = cache  # type: ignore[attr-defined]
        self._cache: dict[tuple[str, str], list[tuple[int, str]]] = cache
        self._parts = ["BT"]
        self._font: Any = None
        self._name = ""
        self._size = 0.0
        self._subset = -1

    def font(self, name: str, size: float) -> None:
        if (name, size) != (self._name, self._size):
            self._font = pdfmetrics.getFont(name)
            self._name, self._size = name, size
            self._subset = -1

    def put(self, x: float, y: float, text: str) -> None:
        self.lines([(x, 0.0, text)], y)

    def lines(self, placed: Sequence[tuple[float, float, str]], top: float) -> None:
        """Write each ``(x, dy, text)`` with its baseline at ``top + dy``."""
        cache, font, doc, name = self._cache, self._font, self._doc, self._name
        parts = self._parts
        append = parts.append
        subset_now = self._subset
        for x, dy, text in placed:
            pieces = cache.get((name, text))
            if pieces is None:
                pieces = cache[(name, text)] = [
                    (subset, f"({escapePDF(chunk)}) Tj")
                    for subset, chunk in font.splitString(text, doc)
                ]
            append(f"1 0 0 1 {x:.2f} {top + dy:.2f} Tm")
            for subset, operator in pieces:
                if subset != subset_now:
                    internal = font.getSubsetInternalName(subset, doc)
                    append(f"{internal} {self._size:g} Tf")
                    subset_now = subset
                append(operator)
        self._subset = subset_now

    def close(self) -> None:
        self._parts.append("ET")
        self._canvas.addLiteral("\n".join(self._parts))


class GridTable(Flowable):
    """Rows ``start``…``end`` of a measured table; the header row is drawn on every part,
    the caption on the first. Splits between rows, never inside one."""

    def __init__(self, layout: _GridLayout, start: int = 0, end: int | None = None) -> None:
        super().__init__()
        self.layout = layout
        self.start = start
        self.end = len(layout.rows) if end is None else end
        self.spaceBefore = 4
        self.spaceAfter = 4

    @property
    def _top(self) -> float:
        caption = self.layout.caption_height if self.start == 0 else 0.0
        return caption + self.layout.header.height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        layout = self.layout
        self.width = layout.width
        self.height = self._top + layout.offsets[self.end] - layout.offsets[self.start]
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        layout = self.layout
        cut = min(layout.fit(self.start, available_height - self._top), self.end)
        if cut < self.end and cut - 1 > self.start and layout.rows[cut - 1].span:
            cut -= 1  # a group heading goes with its first row
        if cut == self.end - 1 and cut - 1 > self.start and layout.rows[-1].bold:
            cut -= 1  # the totals row does not go alone
        if cut <= self.start:
            return []
        return [GridTable(layout, self.start, cut), GridTable(layout, cut, self.end)]

    def draw(self) -> None:
        layout, style, canvas = self.layout, self.layout.style, self.canv
        text = _TextWriter(canvas)
        y = self.height
        if self.start == 0 and layout.caption:
            text.font(layout.fonts.bold, style.caption_size)
            line_y = y - style.caption_size
            for line, width in layout.caption:
                text.put((layout.width - width) / 2, line_y, line)
                line_y -= style.caption_size * 1.25
            y -= layout.caption_height
        table_top = y
        boundaries = [table_top]
        spans: list[tuple[float, float]] = []
        for row in [layout.header, *layout.rows[self.start : self.end]]:
            text.font(row.font, row.size)
            text.lines(row.lines, y)
            if row.span:
                spans.append((y, y - row.height))
            y -= row.height
            boundaries.append(y)
        text.close()
        # The rules as one path: a line under every row, and the column rules, interrupted
        # by the group headings that run across the table.
        right = layout.width
        path = [f"q {style.rule:g} w"]
        path += [f"0 {b:.2f} m {right:.2f} {b:.2f} l" for b in boundaries]
        segments = []
        top = table_top
        for span_top, span_bottom in spans:
            segments.append((top, span_top))
            top = span_bottom
        segments.append((top, y))
        for index, x in enumerate(layout.xs):
            outer = index in (0, len(layout.xs) - 1)
            for seg_top, seg_bottom in [(table_top, y)] if outer else segments:
                if seg_top > seg_bottom:
                    path.append(f"{x:.2f} {seg_top:.2f} m {x:.2f} {seg_bottom:.2f} l")
        path.append("S Q")
        canvas.addLiteral("\n".join(path))


def grid(
    table: Table,
    styles: _Styles,
    *,
    style: GridStyle | None = None,
    caption: str | None = None,
    width: float = TEXT_WIDTH,
) -> GridTable:
    """A :class:`GridTable` of ``table`` (caption: the table's title unless given)."""
    layout = _GridLayout(
        table,
        styles.fonts,
        style or GridStyle(),
        width,
        table.title if caption is None else caption,
    )
    return GridTable(layout)


# --- the page ------------------------------------------------------------------------------------
PORTRAIT, LANDSCAPE = "portrait", "landscape"
LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT = landscape(A4)
#: Landscape pages (wide tables, annexes): Decree 30's top margin (20 mm, the page number
#: in it), 15 mm elsewhere. (20 mm at the sides: a year's 2,240 classes take 97 pages, not 92.)
L_MARGIN_LEFT, L_MARGIN_RIGHT, L_MARGIN_TOP, L_MARGIN_BOTTOM = 15 * mm, 15 * mm, 20 * mm, 15 * mm
LANDSCAPE_TEXT_WIDTH = LANDSCAPE_WIDTH - L_MARGIN_LEFT - L_MARGIN_RIGHT
#: The width of the text (and of every table) on a page of each orientation.
FRAME_WIDTH = {PORTRAIT: TEXT_WIDTH, LANDSCAPE: LANDSCAPE_TEXT_WIDTH}
#: Decree 30/2020: page numbers in Arabic figures, 13-14 pt, upright, centred in the top
#: margin, none on the first page.
PAGE_NUMBER_SIZE = 13


class _RestartNumbering(Flowable):
    """A mark of no size: pages are numbered from 1 again from the page it is drawn on
    (each annex has its own page numbers, as Decree 30/2020 numbers an annex's pages)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self.canv.ctmt_first_page = self.canv.getPageNumber()  # type: ignore[attr-defined]


def _number_page(canvas: Canvas, document: Any) -> None:
    """The page number at the top centre of the text, in the top margin; none on the first
    page of the document or of an annex."""
    number = canvas.getPageNumber() - getattr(canvas, "ctmt_first_page", 1) + 1
    if number < 2:
        return
    width, height = canvas._pagesize
    if width > height:
        centre, top = L_MARGIN_LEFT + LANDSCAPE_TEXT_WIDTH / 2, L_MARGIN_TOP
    else:
        centre, top = MARGIN_LEFT + TEXT_WIDTH / 2, MARGIN_TOP
    canvas.saveState()
    canvas.setFont(document.ctmt_font, PAGE_NUMBER_SIZE)
    canvas.drawCentredString(centre, height - top / 2 - PAGE_NUMBER_SIZE * 0.35, str(number))
    canvas.restoreState()


class _Story:
    """Flowables and the orientation of the page they are on; turning starts a new page.

    Attributes:
        first: the orientation of the first page.
        orientation: the orientation of the page the next flowable goes on.
    """

    def __init__(self, orientation: str = PORTRAIT) -> None:
        self.items: list[Flowable] = []
        self.first = self.orientation = orientation

    @property
    def width(self) -> float:
        return FRAME_WIDTH[self.orientation]

    def add(self, *flowables: Flowable) -> None:
        self.items.extend(flowables)

    def turn(self, orientation: str) -> None:
        """Go on in ``orientation``: from the next page when it is not the current one."""
        if orientation != self.orientation:
            self.new_page(orientation)

    def new_page(self, orientation: str) -> None:
        self.items += [NextPageTemplate(orientation), PageBreak()]
        self.orientation = orientation

    def close(self, signature: Flowable) -> None:
        """End with ``signature`` kept with the last table or paragraph (see
        :class:`_WithSignature`)."""
        while self.items and isinstance(self.items[-1], Spacer | CondPageBreak):
            self.items.pop()
        if self.items and isinstance(self.items[-1], Paragraph | GridTable):
            self.items[-1] = _WithSignature(self.items[-1], signature)
        else:
            self.items.append(signature)


#: Rows of a table (its totals row included) that go over with the signature at least.
SIGNED_ROWS = 3


class _WithSignature(Flowable):
    """The end of a document's text (its last table or paragraph) with the signature block
    under it: never on separate pages. When both do not fit, the last rows (or lines) of the
    text go over to the next page with the signature."""

    def __init__(self, content: Flowable, signature: Flowable) -> None:
        super().__init__()
        self.content, self.signature = content, signature
        self.spaceBefore = content.getSpaceBefore()
        self._gap = max(content.getSpaceAfter(), signature.getSpaceBefore())
        self._content_size = self._signature_height = 0.0
        self._content_width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        width, height = self.content.wrapOn(self.canv, available_width, available_height)
        self._content_width, self._content_size = width, height
        _, self._signature_height = self.signature.wrapOn(
            self.canv, available_width, available_height
        )
        self.width = available_width
        self.height = height + self._gap + self._signature_height
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        # The text fits but not the signature: split above its last rows or lines.
        room = min(available_height, self._content_size - 1)
        parts = self.content.splitOn(self.canv, available_width, room)
        if len(parts) < 2:
            return []
        head, tail = parts[:-1], parts[-1]
        if isinstance(tail, GridTable) and isinstance(self.content, GridTable):
            # A table's totals row or last row is not all that goes over with the signature.
            cut = max(self.content.start, min(tail.start, self.content.end - SIGNED_ROWS))
            if cut <= self.content.start:
                return []
            layout = self.content.layout
            if layout.rows[cut - 1].span and cut - 1 > self.content.start:
                cut -= 1  # a group heading goes with its first row
            head = [GridTable(layout, self.content.start, cut)]
            tail = GridTable(layout, cut, self.content.end)
        return [*head, _WithSignature(tail, self.signature)]

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802,N803
        top = y + self._signature_height + self._gap
        self.content.drawOn(canvas, x, top, _sW=self.width - self._content_width)
        self.signature.drawOn(canvas, x, y)


@contextmanager
def _binary_streams() -> Iterator[None]:
    # Page streams compressed but not ASCII85-wrapped: smaller and quicker to write.
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _frame(orientation: str) -> Frame:
    # No padding: paragraphs and tables both span the text width exactly.
    if orientation == PORTRAIT:
        box = (MARGIN_LEFT, MARGIN_BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)
    else:
        box = (
            L_MARGIN_LEFT,
            L_MARGIN_BOTTOM,
            LANDSCAPE_TEXT_WIDTH,
            LANDSCAPE_HEIGHT - L_MARGIN_TOP - L_MARGIN_BOTTOM,
        )
    return Frame(*box, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=orientation)


def _build(
    target: str | os.PathLike[str] | IO[bytes],
    story: _Story,
    fonts: FontFamily,
    *,
    title: str,
    author: str,
) -> int:
    """Lay ``story`` out into ``target`` (a path: written whole or not at all); return the
    number of pages."""

    def write(handle: IO[bytes]) -> int:
        orientations = [story.first, LANDSCAPE if story.first == PORTRAIT else PORTRAIT]
        document = BaseDocTemplate(
            handle,
            pagesize=A4 if story.first == PORTRAIT else landscape(A4),
            title=_nfc(title),
            author=_nfc(author),
            creator="CTMT Desktop",
            initialFontName=fonts.regular,
            initialFontSize=13,
            initialLeading=16,
            pageTemplates=[
                PageTemplate(
                    id=orientation,
                    frames=[_frame(orientation)],
                    onPageEnd=_number_page,
                    pagesize=A4 if orientation == PORTRAIT else landscape(A4),
                )
                for orientation in orientations
            ],
        )
        document.ctmt_font = fonts.regular  # type: ignore[attr-defined]
        with _binary_streams():
            document.build(story.items)
        return int(document.page)

    if hasattr(target, "write"):
        return write(target)  # type: ignore[arg-type]
    path = Path(target)
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".part", dir=path.parent
        )
    except OSError as exc:
        raise StorageError(f"{path}: cannot write here ({exc.strerror})") from exc
    try:
        with os.fdopen(descriptor, "wb") as handle:
            pages = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise StorageError(f"{path}: cannot write the PDF ({exc.strerror or exc})") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return pages


# --- document parts ------------------------------------------------------------------------------
class _Rule(Flowable):
    """A centred horizontal rule of a given length (under the agency name, the motto and
    the subject line)."""

    def __init__(self, length: float, thickness: float = 0.6, space_before: float = 1) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.spaceBefore = space_before

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.thickness + 2

    def draw(self) -> None:
        self.canv.setLineWidth(self.thickness)
        left = (self.width - self.length) / 2
        self.canv.line(left, 1, left + self.length, 1)


def _national_header(
    letterhead: Letterhead, styles: _Styles, width: float = TEXT_WIDTH
) -> list[Flowable]:
    """Agency (left) and national name (right); number and place-and-date under them. The
    agency's line leaves out the province its parent body already names."""
    fonts = styles.fonts
    agency = letterhead.agency
    left_width = 80 * mm if width <= TEXT_WIDTH else 100 * mm
    right_width = width + HEADER_OUTDENT_LEFT + HEADER_OUTDENT_RIGHT - left_width
    left: list[Flowable] = []
    if agency.parent_body.strip():
        left.append(Paragraph(_markup(agency.parent_body.upper()), styles.header_left))
    left.append(Paragraph(_markup(letterhead.agency_line.upper()), styles.header_left_bold))
    left.append(_Rule(28 * mm))
    motto_width = pdfmetrics.stringWidth(NATIONAL_MOTTO, fonts.bold, styles.header_motto.fontSize)
    right: list[Flowable] = [
        Paragraph(_markup(NATIONAL_NAME), styles.header_national),
        Paragraph(_markup(NATIONAL_MOTTO), styles.header_motto),
        _Rule(motto_width),
    ]
    layout = LayoutTable(
        [
            [left, right],
            [
                Paragraph(_markup(letterhead.number_line), styles.number),
                Paragraph(_markup(letterhead.place_and_date), styles.place_date),
            ],
        ],
        colWidths=[left_width, right_width],
        style=[
            ("FONT", (0, 0), (-1, -1), fonts.regular, 12),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), 2 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 0),
        ],
        hAlign="LEFT",
    )
    return [_Outdent(layout, HEADER_OUTDENT_LEFT, HEADER_OUTDENT_RIGHT)]


class _Outdent(Flowable):
    """A flowable laid out wider than the frame, reaching ``left`` and ``right`` into the
    margins."""

    def __init__(self, content: Flowable, left: float, right: float) -> None:
        super().__init__()
        self.content = content
        self.left, self.right = left, right

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _width, height = self.content.wrapOn(
            self.canv, available_width + self.left + self.right, available_height
        )
        self.width, self.height = available_width, height
        return available_width, height

    def draw(self) -> None:
        self.content.drawOn(self.canv, -self.left, 0)


def _title_block(title: str, subtitle: str, styles: _Styles) -> list[Flowable]:
    return [
        Spacer(1, 16),
        Paragraph(_markup(title), styles.title),
        Paragraph(_markup(subtitle), styles.title),
        _Rule(45 * mm, space_before=3),
        Spacer(1, 12),
    ]


def _signature(
    letterhead: Letterhead, styles: _Styles, *, recipients: bool, width: float = TEXT_WIDTH
) -> Flowable:
    """ "Nơi nhận" on the left, the signer's title, room to sign and the name on the right."""
    left: list[Flowable] = []
    if recipients and letterhead.recipients:
        left.append(Paragraph("Nơi nhận:", styles.recipients_head))
        items = list(letterhead.recipients)
        for position, item in enumerate(items):
            end = "." if position == len(items) - 1 else ";"
            left.append(Paragraph(_markup(f"- {item}{end}"), styles.recipients))
    right: list[Flowable] = [
        Paragraph(_markup(line.upper()), styles.signer) for line in letterhead.title_lines
    ]
    right.append(Spacer(1, 26 * mm))
    if letterhead.signer:
        right.append(Paragraph(_markup(letterhead.signer), styles.signer))
    # The signer's column keeps its portrait width on a landscape page, at the right.
    right_width = TEXT_WIDTH * 0.52
    block = LayoutTable(
        [[left or "", right]],
        colWidths=[width - right_width, right_width],
        style=[
            ("FONT", (0, 0), (-1, -1), styles.fonts.regular, 12),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    block.spaceBefore = 10
    return block


def _table_flowables(
    table: Table,
    styles: _Styles,
    caption: str,
    style: GridStyle | None = None,
    width: float = TEXT_WIDTH,
) -> list[Flowable]:
    flowables: list[Flowable] = [
        CondPageBreak(110),  # the caption, the header and a few rows at least
        grid(table, styles, caption=caption, style=style, width=width),
    ]
    if table.note:
        flowables.append(Paragraph(_markup(f"Ghi chú: {table.note}"), styles.note))
    return flowables


def _sample(table: Table, rows: int = 400) -> Table:
    """``table`` with at most ``rows`` rows spread over it (to measure a long table)."""
    if len(table.rows) <= rows:
        return table
    step = len(table.rows) / rows
    picked = [table.rows[int(index * step)] for index in range(rows)]
    return replace(table, rows=picked, groups=[])


def orientation_of(table: Table, fonts: FontFamily, style: GridStyle | None = None) -> str:
    """:data:`PORTRAIT` when ``table`` at the text width of a portrait page wraps no cell of
    its rows to more than :data:`BODY_LINES` lines (no header cell to more than
    :data:`HEADER_LINES`); else :data:`LANDSCAPE`."""
    layout = _GridLayout(_sample(table), fonts, style or GridStyle(), TEXT_WIDTH, "")
    header, body = layout.deepest()
    return PORTRAIT if header <= HEADER_LINES and body <= BODY_LINES else LANDSCAPE


def _section_flowables(
    section: Section, styles: _Styles, counter: list[int], width: float
) -> list[Flowable]:
    heading_style = {1: styles.heading1, 2: styles.heading2}.get(section.level, styles.heading3)
    # A heading right above a table keeps room for the table's start below it.
    table_first = bool(section.tables) and not section.text
    flowables: list[Flowable] = [
        CondPageBreak(200 if table_first else 90),
        Paragraph(_markup(section.heading), heading_style),
    ]
    if section.subtitle:
        flowables.append(Paragraph(_markup(section.subtitle), styles.subheading))
    for text in section.text:
        flowables.append(Paragraph(_markup(text), styles.body))
    for position, table in enumerate(section.tables):
        counter[0] += 1
        caption = f"Biểu {counter[0]}. {table.title}"
        parts = _table_flowables(table, styles, caption, width=width)
        if position == 0 and table_first:
            parts = parts[1:]  # no page break between the heading and its table
        flowables.extend(parts)
    return flowables


def _section_orientations(sections: Sequence[Section], fonts: FontFamily) -> list[str]:
    """The page orientation of each section: landscape for one with a table that needs it
    (see :func:`orientation_of`), portrait for one whose tables fit; a section without
    tables (a heading, a paragraph) goes with the next section that has some."""
    wanted: list[str | None] = []
    for section in sections:
        if not section.tables:
            wanted.append(None)
        elif any(orientation_of(table, fonts) == LANDSCAPE for table in section.tables):
            wanted.append(LANDSCAPE)
        else:
            wanted.append(PORTRAIT)
    following = PORTRAIT
    result: list[str] = []
    for choice in reversed(wanted):
        following = choice or following
        result.append(following)
    return list(reversed(result))


#: Annexes and lists of records: 8.5 pt on landscape pages puts a year's 2,240 training
#: classes on 92 pages (at 9 pt on 110: the title and the places of most rows take two lines).
ANNEX_STYLE = GridStyle(
    size=8.5, leading=10.0, header_size=8.5, pad_x=2.2, pad_y=1.6, number_floor=0.0
)


def _annex_flowables(
    number: str, table: Table, letterhead: Letterhead, styles: _Styles, width: float
) -> list[Flowable]:
    return [
        _RestartNumbering(),
        Paragraph(_markup(f"Phụ lục {number}"), styles.center_bold),
        Paragraph(_markup(table.title.upper()), styles.center_bold),
        Paragraph(_markup(letterhead.attachment_line), styles.center_italic),
        Spacer(1, 8),
        grid(table, styles, caption="", style=ANNEX_STYLE, width=width),
    ]


def _list_style(table: Table) -> GridStyle:
    """The annex style, smaller when a table page shows many columns."""
    if len(table.columns) <= 12:
        return ANNEX_STYLE
    return replace(ANNEX_STYLE, size=8.0, header_size=8.0, leading=9.4)


# --- the three reports ---------------------------------------------------------------------------
PdfTarget = str | os.PathLike[str] | IO[bytes]


def render_period_pdf(report: PeriodReport, target: PdfTarget) -> int:
    """Write the period report as a PDF to ``target`` (a path or a binary file); return the
    number of pages. A path is written whole or not at all (StorageError on failure).

    The text is on portrait pages; a section whose table would wrap a cell to more than two
    lines there goes on landscape pages, and so does every annex (each numbered on its own).
    """
    styles = _styles(register_serif_family())
    letterhead = report.letterhead
    story = _Story(PORTRAIT)
    story.add(*_national_header(letterhead, styles))
    story.add(*_title_block(report.title, report.subtitle, styles))
    for text in report.introduction:
        story.add(Paragraph(_markup(text), styles.body))
    counter = [0]
    for section, orientation in zip(
        report.sections, _section_orientations(report.sections, styles.fonts), strict=True
    ):
        story.turn(orientation)
        story.add(*_section_flowables(section, styles, counter, story.width))
    story.close(_signature(letterhead, styles, recipients=True, width=story.width))
    for annex in report.annexes:
        story.new_page(LANDSCAPE)
        story.add(*_annex_flowables(annex.number, annex.table, letterhead, styles, story.width))
    return _build(
        target,
        story,
        styles.fonts,
        title=f"{report.title} {report.subtitle}",
        author=letterhead.agency.name,
    )


def render_list_pdf(report: ListReport, target: PdfTarget) -> int:
    """Write the list report (filters, then every row) as a PDF; return the page count.

    On landscape pages when its rows would wrap to more than two lines on portrait ones."""
    styles = _styles(register_serif_family())
    letterhead = report.letterhead
    style = _list_style(report.table)
    story = _Story(orientation_of(report.table, styles.fonts, style))
    story.add(*_national_header(letterhead, styles, story.width))
    story.add(Spacer(1, 16), Paragraph(_markup(report.title), styles.title), Spacer(1, 8))
    for line in report.filters:
        story.add(Paragraph(_markup(line), styles.filters))
    story.add(Paragraph(_markup(f"Số hồ sơ: {_integer_text(report.count)}"), styles.filters))
    story.add(Spacer(1, 6))
    story.add(grid(report.table, styles, caption="", style=style, width=story.width))
    story.close(_signature(letterhead, styles, recipients=False, width=story.width))
    return _build(target, story, styles.fonts, title=report.title, author=letterhead.agency.name)


def render_criterion_pdf(report: CriterionReport, target: PdfTarget) -> int:
    """Write the criterion report (every commune and its status) as a PDF; return the page
    count."""
    styles = _styles(register_serif_family())
    letterhead = report.letterhead
    style = GridStyle(size=10, leading=11.8, header_size=10)
    story = _Story(orientation_of(report.table, styles.fonts, style))
    story.add(*_national_header(letterhead, styles, story.width))
    story.add(*_title_block(report.title, report.subtitle, styles))
    for text in report.introduction:
        story.add(Paragraph(_markup(text), styles.body))
    caption = f"Biểu 1. {report.table.title}"
    story.add(*_table_flowables(report.table, styles, caption, style=style, width=story.width))
    story.close(_signature(letterhead, styles, recipients=True, width=story.width))
    return _build(
        target,
        story,
        styles.fonts,
        title=f"{report.title} {report.subtitle}",
        author=letterhead.agency.name,
    )


RENDERERS: dict[type, Callable[[Any, PdfTarget], int]] = {
    PeriodReport: render_period_pdf,
    ListReport: render_list_pdf,
    CriterionReport: render_criterion_pdf,
}
