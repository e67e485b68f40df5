"""Write a map page to one file that opens offline, atomically.

:func:`write_page` is what :func:`~lianhu_geo.maps.export_html` and the
folium habit ``m.save(path)`` both do on a lianhu_geo map (every element of
one is a :class:`~lianhu_geo.maps._render.LiteralMacro`, whose ``save`` comes
here): render the page with literal text and counter ids, inline Leaflet and
its plugins, and replace the file only once the new one is complete.
"""

from __future__ import annotations

import os
from pathlib import Path

from branca.element import Element

from .._write import atomic_path, check_target
from . import _layers
from ._offline import inline_assets, unescape_unicode
from ._render import literal_tree

__all__ = ["page_text", "write_page"]


def page_text(element: Element, *, offline: bool = True) -> str:
    """Return the HTML of ``element``'s whole page, assets inlined when ``offline``."""
    root = element.get_root()
    literal_tree(_layers.set_ids(root))
    text = unescape_unicode(root.render())
    return inline_assets(text) if offline else text


def write_page(element: Element, path: str | os.PathLike, *, offline: bool = True) -> Path:
    """Write ``element``'s page to ``path`` (UTF-8), atomically; return the path.

    Raises
    ------
    OutputError
        ``path`` is a folder or a symbolic link, or its folder is missing.
    """
    path = check_target(path)
    data = page_text(element, offline=offline).encode("utf-8")
    with atomic_path(path) as tmp:  # the previous file stays until this one is complete
        tmp.write_bytes(data)
    return path
