"""Find a Chinese TrueType font for the briefing pack.

The PDF embeds a subset of the font (TrueType, Type 42), so the font must
have TrueType outlines: OpenType/CFF fonts (Noto Sans CJK ``.otf``, Source
Han Sans) cannot be embedded by matplotlib and are skipped. Fonts are found
through matplotlib's font manager, in the order of :data:`FAMILIES`, so the
library needs no fixed path; ``font=`` names a file (or a family) instead.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

__all__ = ["FAMILIES", "find_font"]

#: Chinese families with TrueType outlines, most usual first: Debian/Ubuntu
#: (fonts-wqy-microhei, fonts-wqy-zenhei, fonts-droid-fallback, fonts-arphic-uming),
#: Windows (Microsoft YaHei, SimHei, SimSun) and macOS (PingFang, Heiti, Songti).
FAMILIES: tuple[str, ...] = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "STHeiti",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "SimSun",
    "Songti SC",
)

_HOW = (
    "install one: `apt-get install fonts-wqy-microhei` (Debian, Ubuntu), "
    "`dnf install wqy-microhei-fonts` (Fedora); Windows and macOS have one "
    "(Microsoft YaHei, SimHei, PingFang). Or pass font='path/to/font.ttf' "
    "(a TrueType .ttf/.ttc file)."
)


def _truetype(path: str | Path) -> bool:
    """Whether the font file has TrueType outlines (matplotlib can embed a subset)."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    return head in (b"\x00\x01\x00\x00", b"true", b"ttcf")


def _covers_chinese(path: str | Path) -> bool:
    from matplotlib.ft2font import FT2Font

    face = FT2Font(str(path))
    charmap = face.get_charmap()
    return all(ord(c) in charmap for c in "街道小区合计")


def find_font(font: str | Path | None = None) -> Path:
    """Return the file of a Chinese TrueType font matplotlib can embed.

    Parameters
    ----------
    font : str or pathlib.Path, optional
        A font file (``.ttf``/``.ttc``) or a family name; default: the first
        of :data:`FAMILIES` installed.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        ``font`` is not a TrueType font with Chinese characters.
    RuntimeError
        No Chinese TrueType font is installed; the message says how to
        install one.
    """
    from matplotlib import font_manager

    if font is not None:
        path = Path(font)
        if not path.is_file():
            matches = [f.fname for f in font_manager.fontManager.ttflist if f.name == str(font)]
            if not matches:
                raise InputError(
                    f"font={str(font)!r} is neither a font file nor an installed font family; "
                    + _HOW
                )
            path = Path(sorted(matches)[0])
        if not _truetype(path) or not _covers_chinese(path):
            raise InputError(
                f"font={str(font)!r} ({path}) is not a TrueType font with Chinese characters; "
                + _HOW
            )
        return path
    by_family: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_family.setdefault(entry.name, []).append(entry.fname)
    for family in FAMILIES:
        for fname in sorted(by_family.get(family, ())):
            if _truetype(fname) and _covers_chinese(fname):
                return Path(fname)
    raise RuntimeError("no Chinese TrueType font found for the briefing pack; " + _HOW)
