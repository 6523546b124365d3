#!/usr/bin/env python3
"""Make the interface font: Noto Sans CJK SC cut down to the characters shebao shows.

Kept: printable ASCII and Latin-1, general and CJK punctuation, full-width forms, every
character of the translation files (i18n/*/*.ftl), the demo data, and the 3,755 level-1 hanzi
of GB 2312 so that most people's names show in the same face. Rarer characters fall back to
the system's fonts.

Usage: subset.py SOURCE.ttc OUTPUT.otf REPOSITORY_ROOT
Needs fontTools (`pip install fonttools`); run through `cargo xtask font`.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

FAMILY = "Shebao Sans SC"
# Index of the Simplified Chinese face in Debian's NotoSansCJK-Regular.ttc.
SIMPLIFIED_CHINESE = "Noto Sans CJK SC"


def gb2312_level_one():
    """Rows 16 to 55 of GB 2312 (bytes 0xB0A1 to 0xD7F9): the common hanzi."""
    chars = []
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # row 55 ends at 0xD7F9
    return chars


def wanted(root):
    chars = set(chr(c) for c in range(0x20, 0x7F))
    chars |= set(chr(c) for c in range(0xA0, 0x100))
    for first, last in [(0x2010, 0x2027), (0x2030, 0x203B), (0x2190, 0x2193),
                        (0x2460, 0x2473), (0x3000, 0x3011), (0x3014, 0x301F),
                        (0xFF01, 0xFF5E), (0x2E80, 0x2E80)]:
        chars |= set(chr(c) for c in range(first, last + 1))
    chars |= {"…", "—", "·", "※", "√", "×", "÷", "℃", "№", "￥"}
    sources = list(root.glob("i18n/*/*.ftl")) + list(root.glob("assets/*.csv"))
    sources += list(root.glob("assets/*.json"))
    for path in sources:
        chars |= set(path.read_text(encoding="utf-8"))
    chars |= set(gb2312_level_one())
    return sorted(c for c in chars if c.isprintable() or c == "\u3000")


def rename(font, family):
    """A modified font gets a name of its own, so it is never taken for the full Noto face."""
    names = font["name"]
    postscript = family.replace(" ", "") + "-Regular"
    for record in list(names.names):
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = family + " Regular"
        elif record.nameID in (3, 6):
            record.string = postscript
        elif record.nameID in (2, 17):
            record.string = "Regular"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        top.FullName = family + " Regular"
        top.FamilyName = family


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    source, output, root = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    collection = TTCollection(str(source))
    faces = [f for f in collection.fonts if f["name"].getDebugName(1) == SIMPLIFIED_CHINESE]
    if not faces:
        sys.exit(f"{source} has no face named {SIMPLIFIED_CHINESE}")
    font = faces[0]
    chars = wanted(root)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    rename(font, FAMILY)
    font.save(str(output))
    print(f"{output}: {len(chars)} characters, {output.stat().st_size} bytes")


if __name__ == "__main__":
    main()
