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
from folium.elements import ElementAddToElement

from .._write import atomic_path, check_target
from . import _layers
from ._offline import inline_assets, unescape_unicode
from ._render import literal_tree

__all__ = ["page_text", "write_page"]


def page_text(element: Element, *, offline: bool = True) -> str:
    """Return the HTML of ``element``'s whole page, assets inlined when ``offline``."""
    root = element.get_root()
    _forget_last_render(root)
    literal_tree(_layers.set_ids(root))
    text = unescape_unicode(root.render())
    return inline_assets(text) if offline else text


def _forget_last_render(root: Element) -> None:
    """Drop what an earlier render put in the page's header, body and script.

    Rendering adds each element's output to the page (``root.header`` ...);
    left there, it would be counted by :func:`~lianhu_geo.maps._layers.set_ids`
    and rendered again, so a second save would differ from the first. What
    was there before the first render (style sheets added while building)
    stays.
    """
    parts = [getattr(root, name, None) for name in ("header", "html", "script")]
    parts = [p for p in parts if isinstance(p, Element)]
    built = getattr(root, "_lianhu_built", None)
    if built is None:
        root._lianhu_built = [set(p._children) for p in parts]
        return
    for part, keep in zip(parts, built, strict=True):
        for key in [k for k in part._children if k not in keep]:
            del part._children[key]
    # folium's layer groups and controls add an ElementAddToElement child at each render
    for element in list(_layers._elements(root)):
        for key, child in list(element._children.items()):
            if isinstance(child, ElementAddToElement):
                del element._children[key]


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
