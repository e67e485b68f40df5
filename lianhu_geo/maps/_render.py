"""Render maps so that no text in them is ever evaluated as a template.

branca's :meth:`MacroElement.render` wraps each macro's output (the layer's
JavaScript, with the compound names in it) in a new ``Element(text)``, and
``Element`` compiles its text as Jinja2 source: a name ``{{ 7*7 }}`` would
print ``49``, ``{{`` would crash the export and ``{% for %}`` could hang it.
This module is the one place where text enters the page: every element of a
lianhu_geo map is rendered through :class:`LiteralMacro`, whose macros are
lianhu_geo's or folium's fixed templates and whose output goes into the page
as :class:`Literal` text, never compiled again. Data reaches those fixed
templates as JSON (:func:`script_json`, or Jinja's ``tojson``), so that no
text can close the ``<script>`` it sits in.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from branca.element import Element, Figure, MacroElement
from folium.elements import ElementAddToElement

from .._write import atomic_path, check_target
from . import _layers
from ._offline import inline_assets, unescape_unicode

__all__ = ["Literal", "LiteralMacro", "literal_tree", "script_json", "page_text", "write_page"]

# characters that must not appear raw in JSON inside <script>: they could
# close the script (</script>), open an HTML comment (<!--) or end a line
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_TABLE = str.maketrans(_SCRIPT_UNSAFE)


def script_json(value: Any, **options: Any) -> str:
    r"""JSON text that is safe to put inside an HTML ``<script>`` element.

    ``<``, ``>``, ``&``, ``'`` and the line separators U+2028/U+2029 are
    written as ``\uXXXX`` escapes, so no value can close the script, open an
    HTML comment or break a line; everything else is plain UTF-8 JSON.

    Examples
    --------
    >>> script_json({"name": "</script><!--"})
    '{"name": "\\u003c/script\\u003e\\u003c!--"}'
    """
    options.setdefault("ensure_ascii", False)
    return json.dumps(value, **options).translate(_SCRIPT_TABLE)


class Literal(Element):
    """Text that goes into the page as it is: never compiled as a template.

    Examples
    --------
    >>> Literal("{{ 7*7 }}").render()
    '{{ 7*7 }}'
    """

    def __init__(self, text: str):
        super().__init__()
        self._name = "Literal"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class LiteralMacro(MacroElement):
    """A macro element whose rendered macros go into the page as literal text.

    This is :meth:`branca.element.MacroElement.render` with one change: the
    header, html and script that the element's own template renders are
    added to the page as :class:`Literal` text instead of being compiled a
    second time. Children are rendered the same way.
    """

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"cannot render {type(self).__name__}: it is not in a Figure")
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = module.get(part)
            if macro is not None:
                text = str(macro(self, kwargs))
                getattr(figure, part).add_child(Literal(text), name=self.get_name())
        for element in list(self._children.values()):
            _make_literal(element)
            element.render(**kwargs)

    def save(self, outfile: Any, close_file: bool = True, **kwargs: Any) -> None:
        """Write the whole page so that it opens offline (folium's ``m.save(path)``).

        Leaflet and its plugins are inlined from lianhu_geo's copies, the
        text is literal and the file is replaced only when complete (see
        :func:`write_page`). An open file object gets
        the same page written into it.
        """
        if hasattr(outfile, "write"):
            outfile.write(page_text(self))
            if close_file:
                outfile.close()
            return
        write_page(self, outfile)


_CLASSES: dict[type, type] = {}


def _literal_class(cls: type) -> type:
    """``cls`` with :class:`LiteralMacro` just above :class:`MacroElement` in its MRO."""
    made = _CLASSES.get(cls)
    if made is None:
        key = f"_{cls.__module__}.{cls.__qualname__}".replace(".", "_").replace("<", "_")
        key = key.replace(">", "_")
        made = type(cls.__name__, (cls, LiteralMacro), {"__module__": __name__})
        made.__qualname__ = key  # so that pickle finds it in this module
        setattr(sys.modules[__name__], key, made)
        _CLASSES[cls] = made
    return made


def _make_literal(element: Element) -> None:
    if isinstance(element, MacroElement) and not isinstance(element, LiteralMacro):
        element.__class__ = _literal_class(type(element))


def _walk(element: Element):
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def literal_tree(m: Element) -> Element:
    """Make every macro element under ``m``'s page render as literal text.

    Each element keeps its class's behaviour (it stays an instance of its
    folium class) except that its rendered output is never compiled as a
    template. Elements added to the map later are made literal when their
    parent renders them.

    Examples
    --------
    >>> import folium
    >>> m = literal_tree(folium.Map(tiles=None))
    >>> isinstance(m, folium.Map), isinstance(m, LiteralMacro)
    (True, True)
    """
    for element in _walk(m.get_root()):
        _make_literal(element)
    return m


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
