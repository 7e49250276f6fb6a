"""Draw the application icon (PNG for Linux, multi-size ICO for Windows) with Pillow.

The design is the window's icon (``resources/icons/layout-dashboard.svg``, four panels) in
white on the app's blue, drawn here so that no binary icon lives in the repository and the
build makes the same bytes every time. ``installer/ctmt.spec`` calls :func:`write_icons`.

    python installer/app_icon.py OUT_FOLDER
"""

from __future__ import annotations

import sys
from pathlib import Path

BLUE = (30, 64, 175, 255)  # Tailwind blue-800, the stylesheet's accent
WHITE = (255, 255, 255, 255)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
#: The four panels of layout-dashboard.svg on its 24-unit grid: x, y, width, height.
PANELS = ((3, 3, 7, 9), (14, 3, 7, 5), (14, 12, 7, 9), (3, 16, 7, 5))


def draw(size: int = 1024) -> object:
    """The icon as a Pillow RGBA image of ``size`` pixels."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=BLUE)
    unit = size / 24 * 0.8  # the 24-unit grid, inset to 80 % of the square
    margin = size * 0.1
    for x, y, width, height in PANELS:
        box = (
            margin + x * unit,
            margin + y * unit,
            margin + (x + width) * unit,
            margin + (y + height) * unit,
        )
        pen.rounded_rectangle(box, radius=unit * 1.2, fill=WHITE)
    return image


def write_icons(folder: Path) -> tuple[Path, Path]:
    """Write ``ctmt-desktop.png`` (256 px) and ``ctmt-desktop.ico`` into ``folder``."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    big = draw()
    png = folder / "ctmt-desktop.png"
    ico = folder / "ctmt-desktop.ico"
    big.resize((256, 256), Image.Resampling.LANCZOS).save(png, optimize=True)
    big.save(ico, sizes=ICO_SIZES)
    return png, ico


if __name__ == "__main__":
    for path in write_icons(Path(sys.argv[1] if len(sys.argv) > 1 else "build/icon")):
        print(path)
