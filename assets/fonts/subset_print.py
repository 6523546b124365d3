#!/usr/bin/env python3
"""Make the print font: Noto Sans CJK SC with every hanzi it has, for the PDF forms.

The window's font (subset.py) holds only the common hanzi; a form must print every name on the
roster, including rare characters such as U+20BB7 or U+4DAE. Kept: ASCII and Latin-1, general
punctuation, letterlike symbols, number forms, arrows, mathematical operators, enclosed
alphanumerics, box drawing, geometric shapes, CJK radicals, CJK symbols and punctuation, kana,
bopomofo, CJK strokes, enclosed CJK letters and compatibility, CJK Unified Ideographs with
Extension A, compatibility ideographs, vertical and small forms, half- and full-width forms, and
every Extension B-F ideograph the face has. Hangul is left out (a third of the face, and no
Chinese form needs it).

The forms are laid out one glyph per character (no shaping), so the layout tables (GSUB, GPOS)
and the vertical metrics are dropped; the PDF writer subsets this font again per document.

Usage: subset_print.py SOURCE.ttc OUTPUT.otf
Needs fontTools (`pip install fonttools`); run through `cargo xtask font print`.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

from subset import rename

FAMILY = "Shebao Print SC"
SIMPLIFIED_CHINESE = "Noto Sans CJK SC"

RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x2000, 0x206F), (0x2100, 0x214F),
    (0x2150, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF),
    (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2E80, 0x2FDF), (0x3000, 0x303F),
    (0x3040, 0x30FF), (0x3100, 0x312F), (0x31C0, 0x31EF), (0x3200, 0x33FF),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF), (0x20000, 0x2FA1F),
]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, output = Path(sys.argv[1]), Path(sys.argv[2])
    collection = TTCollection(str(source))
    faces = [f for f in collection.fonts if f["name"].getDebugName(1) == SIMPLIFIED_CHINESE]
    if not faces:
        sys.exit(f"{source} has no face named {SIMPLIFIED_CHINESE}")
    font = faces[0]
    unicodes = [cp for cp in font.getBestCmap() if any(a <= cp <= b for a, b in RANGES)]
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    rename(font, FAMILY)
    # The source's date stays, so the same source always makes the same bytes.
    font.recalcTimestamp = False
    font.save(str(output))
    print(f"{output}: {len(unicodes)} characters, {output.stat().st_size} bytes")


if __name__ == "__main__":
    main()
