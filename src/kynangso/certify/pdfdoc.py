"""A small, fast writer for one-page PDFs with embedded TrueType fonts (Type0 / CIDFontType2, Identity-H) and one
file attachment.

Why not a general PDF library per certificate: a library subsets every font again for every document, which
costs ~0.1–0.4 s a page here, and a department prints thousands. Here the fonts are cut to the Vietnamese
alphabet ONCE (fontTools), turned into PDF objects ONCE, and every certificate reuses those bytes: a page costs
about a millisecond. Text carries a ToUnicode map, so it can be searched, copied and read by pdftotext.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

MM = 72 / 25.4  # points per millimetre
FIRST_FONT_OBJ = 10
OBJS_PER_FONT = 5


def pdf_text(value: str) -> bytes:
    """A PDF text string (UTF-16BE with BOM, hex): safe for any Vietnamese text in metadata."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def pdf_date(ts: datetime) -> str:
    return ts.strftime("D:%Y%m%d%H%M%SZ")


@dataclass
class Font:
    """A TrueType font ready to be written: glyph ids and widths per character, and its PDF objects."""

    resource: str  # /F1 …
    gids: dict[str, int]
    widths: dict[int, int]  # glyph id -> advance in 1/1000 em
    objects: list[bytes] = field(default_factory=list)  # bodies of the 5 objects, in order

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` at ``size`` points, in points."""
        return sum(self.widths.get(self.gids.get(c, 0), 0) for c in text) * size / 1000

    def encode(self, text: str) -> bytes:
        return b"<" + "".join(f"{self.gids.get(c, 0):04X}" for c in text).encode("ascii") + b">"


def _stream(dictionary: bytes, data: bytes, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 3)  # level 3: nearly the size of 6 at half the time
        dictionary += b" /Filter /FlateDecode"
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def load_font(path: Path, resource: str, first_obj: int, charset: str) -> Font:
    """Read a (subset) TrueType font and build its five PDF objects, numbered from ``first_obj``."""
    from fontTools.ttLib import TTFont

    tt = TTFont(str(path))
    upm = tt["head"].unitsPerEm
    scale = 1000 / upm
    cmap = tt.getBestCmap()
    gids = {c: tt.getGlyphID(cmap[ord(c)]) for c in charset if ord(c) in cmap}
    metrics = tt["hmtx"].metrics
    order = tt.getGlyphOrder()
    widths = {i: round(metrics[name][0] * scale) for i, name in enumerate(order)}
    post_name = tt["name"].getDebugName(6) or path.stem
    base = f"KNSABC+{post_name}".encode("ascii", "replace")
    head, hhea, os2 = tt["head"], tt["hhea"], tt["OS/2"]
    italic = tt["post"].italicAngle
    flags = 32 | (64 if italic else 0)
    bbox = " ".join(str(round(v * scale)) for v in (head.xMin, head.yMin, head.xMax, head.yMax))
    cap = round(getattr(os2, "sCapHeight", hhea.ascent) * scale)
    _type0, cid, desc, file2, tounicode = range(first_obj, first_obj + OBJS_PER_FONT)
    w_array = b"[0 [" + b" ".join(b"%d" % widths[i] for i in range(len(order))) + b"]]"
    cmap_lines = "".join(
        f"<{gid:04X}> <{c.encode('utf-16-be').hex().upper()}>\n" for c, gid in sorted(gids.items(), key=lambda x: x[1])
    )
    to_unicode = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{len(gids)} beginbfchar\n{cmap_lines}endbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode("ascii")
    raw = path.read_bytes()
    font = Font(resource=resource, gids=gids, widths=widths)
    font.objects = [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>"
        % (base, cid, tounicode),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity)"
        b" /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 600 /W %s >>" % (base, desc, w_array),
        b"<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%s] /ItalicAngle %d /Ascent %d /Descent %d"
        b" /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>"
        % (
            base,
            flags,
            bbox.encode(),
            int(italic),
            round(hhea.ascent * scale),
            round(hhea.descent * scale),
            cap,
            file2,
        ),
        _stream(b"/Length1 %d" % len(raw), raw),
        _stream(b"", to_unicode),
    ]
    return font


class Page:
    """Drawing operations on one A4 landscape page, in millimetres from the top-left corner."""

    WIDTH, HEIGHT = 297.0, 210.0

    def __init__(self) -> None:
        self.ops: list[bytes] = []

    def _y(self, y_mm: float) -> float:
        return (self.HEIGHT - y_mm) * MM

    def fill(self, rgb: tuple[int, int, int]) -> None:
        self.ops.append(b"%.3f %.3f %.3f rg" % tuple(c / 255 for c in rgb))

    def stroke(self, rgb: tuple[int, int, int], width_mm: float) -> None:
        self.ops.append(b"%.3f %.3f %.3f RG %.2f w" % (*(c / 255 for c in rgb), width_mm * MM))

    def rect(self, x: float, y: float, w: float, h: float, mode: bytes = b"S") -> None:
        self.ops.append(b"%.2f %.2f %.2f %.2f re %s" % (x * MM, self._y(y + h), w * MM, h * MM, mode))

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.ops.append(b"%.2f %.2f m %.2f %.2f l S" % (x1 * MM, self._y(y1), x2 * MM, self._y(y2)))

    def polygon(self, points: Iterable[tuple[float, float]]) -> None:
        pts = list(points)
        path = [b"%.2f %.2f m" % (pts[0][0] * MM, self._y(pts[0][1]))]
        path += [b"%.2f %.2f l" % (x * MM, self._y(y)) for x, y in pts[1:]]
        self.ops.append(b" ".join(path) + b" h f")

    def text(self, font: Font, size: float, x: float, baseline: float, text: str, rgb: tuple[int, int, int]) -> None:
        self.fill(rgb)
        self.ops.append(
            b"BT /%s %.2f Tf %.2f %.2f Td %s Tj ET"
            % (font.resource.encode(), size, x * MM, self._y(baseline), font.encode(text))
        )

    def centred(
        self,
        font: Font,
        size: float,
        baseline: float,
        text: str,
        rgb: tuple[int, int, int],
        x0: float = 0,
        width: float = WIDTH,
    ) -> None:
        self.text(font, size, x0 + (width - font.width(text, size) / MM) / 2, baseline, text, rgb)

    def image(self, x: float, y: float, w: float, h: float, name: bytes = b"Im1") -> None:
        self.ops.append(b"q %.3f 0 0 %.3f %.3f %.3f cm /%s Do Q" % (w * MM, h * MM, x * MM, self._y(y + h), name))

    def content(self) -> bytes:
        return b"\n".join(self.ops)


@dataclass
class GreyImage:
    """An 8-bit greyscale image (e.g. a QR code, one pixel per module), drawn without smoothing."""

    width: int
    height: int
    pixels: bytes


@dataclass
class Attachment:
    name: str
    data: bytes
    description: str
    mime: str = "application/jwt"


def assemble(
    fonts: list[Font],
    content: bytes,
    info: dict[str, str],
    created: datetime,
    attachment: Attachment | None = None,
    image: GreyImage | None = None,
    lang: str = "vi",
) -> bytes:
    """The whole PDF file. Objects: 1 catalog, 2 pages, 3 page, 4 content, 5 info, 6–7 attachment, 8 image (/Im1
    in the content), fonts from FIRST_FONT_OBJ."""
    objects: dict[int, bytes] = {}
    xobjects = b""
    if image is not None:
        objects[8] = _stream(
            b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
            b" /Interpolate false" % (image.width, image.height),
            image.pixels,
        )
        xobjects = b" /XObject << /Im1 8 0 R >>"
    font_refs = b" ".join(
        b"/%s %d 0 R" % (f.resource.encode(), FIRST_FONT_OBJ + i * OBJS_PER_FONT) for i, f in enumerate(fonts)
    )
    names = b""
    if attachment is not None:
        fname = pdf_text(attachment.name)
        objects[6] = _stream(
            b"/Type /EmbeddedFile /Subtype /%s /Params << /Size %d /ModDate (%s) >>"
            % (attachment.mime.replace("/", "#2F").encode(), len(attachment.data), pdf_date(created).encode()),
            attachment.data,
            compress=False,  # kept readable: the credential can be found even by a plain text search
        )
        objects[7] = (
            b"<< /Type /Filespec /F %s /UF %s /EF << /F 6 0 R /UF 6 0 R >> /Desc %s /AFRelationship /Data >>"
            % (
                fname,
                fname,
                pdf_text(attachment.description),
            )
        )
        names = b" /Names << /EmbeddedFiles << /Names [%s 7 0 R] >> >> /AF [7 0 R]" % fname
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /Lang %s%s >>" % (pdf_text(lang), names)
    objects[2] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    objects[3] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << %s >>%s >> /Contents 4 0 R >>"
        % (Page.WIDTH * MM, Page.HEIGHT * MM, font_refs, xobjects)
    )
    objects[4] = _stream(b"", content)
    stamp = pdf_date(created).encode()
    objects[5] = (
        b"<< "
        + b" ".join(b"/%s %s" % (k.encode(), pdf_text(v)) for k, v in info.items())
        + b" /CreationDate (%s) /ModDate (%s) >>" % (stamp, stamp)
    )
    for i, font in enumerate(fonts):
        for j, body in enumerate(font.objects):
            objects[FIRST_FONT_OBJ + i * OBJS_PER_FONT + j] = body
    size = max(objects) + 1
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = [0] * size
    for number in range(1, size):
        if number in objects:
            offsets[number] = len(out)
            out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in objects else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)
