"""Files shipped with the package: fonts (DejaVu, Bitstream Vera licence) for PDFs with Vietnamese text."""

from pathlib import Path

ASSETS = Path(__file__).resolve().parent
FONTS = ASSETS / "fonts"
