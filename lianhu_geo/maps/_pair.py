"""Two maps side by side in one page, moving together: the scenario view.

:func:`pair_maps` puts two finished lianhu_geo maps in one page, each half
as wide, and :class:`SyncMaps` keeps their views the same: panning or
zooming one moves the other (a few lines of lianhu_geo's own script, no
plugin, so the page needs nothing from the network). The page is a
:class:`SideBySide` figure, whose ``save(path)`` writes the same offline
file as :func:`~lianhu_geo.maps.export_html`.
"""

from __future__ import annotations

import html
import os
from typing import Any

import folium
from branca.element import Figure, MacroElement
from jinja2 import Template

from . import _layers
from ._render import Literal, literal_tree, page_text, write_page

__all__ = ["SideBySide", "SyncMaps", "pair_maps"]


class SyncMaps(MacroElement):
    """Keep the view (centre and zoom) of two maps the same."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(maps) {
            var busy = false;
            maps.forEach(function(source) {
                source.on("move zoom", function() {
                    if (busy) { return; }
                    busy = true;  // the other map's move must not move this one back
                    maps.forEach(function(other) {
                        if (other !== source) {
                            other.setView(source.getCenter(), source.getZoom(), {animate: false});
                        }
                    });
                    busy = false;
                });
            });
            // each map fitted itself; start from the first one's view
            maps[0].fire("move");
        })([{% for m in this.maps %}{{ m.get_name() }}{{ "," if not loop.last }}{% endfor %}]);
        {% endmacro %}
        """
    )

    def __init__(self, maps: list[folium.Map]):
        super().__init__()
        self._name = "SyncMaps"
        self.maps = list(maps)


class SideBySide(Figure):
    """A page of two synchronised maps: ``left`` and ``right`` (folium maps).

    ``save(path)`` writes one self-contained file that opens offline, as
    :func:`~lianhu_geo.maps.export_html` does.
    """

    def __init__(self, left: folium.Map, right: folium.Map, *, title: str):
        super().__init__(title=html.escape(title))  # branca writes the title as given
        self.left = left
        self.right = right

    def save(self, outfile: Any, close_file: bool = True, **kwargs: Any) -> None:
        """Write the page so that it opens offline (Leaflet inlined), atomically."""
        if hasattr(outfile, "write"):
            outfile.write(page_text(self))
            if close_file:
                outfile.close()
            return
        write_page(self, os.fspath(outfile))


_DIVIDER_CSS = (
    "<style>.lianhu-pair-divider {position: absolute; top: 0; bottom: 0; left: 50%;"
    " width: 3px; margin-left: -1px; background: #333; z-index: 1000;}</style>"
)


def pair_maps(left: folium.Map, right: folium.Map, *, title: str) -> SideBySide:
    """Put two finished maps side by side in one page and move them together."""
    page = SideBySide(left, right, title=title)
    for m, x in ((left, 0.0), (right, 50.0)):
        old = m.get_root()
        for name, child in list(old.header._children.items()):  # the maps' style sheets
            if name not in page.header._children:
                page.header.add_child(child, name=name)
        m.width, m.height, m.left, m.top = (50.0, "%"), (100.0, "%"), (x, "%"), (0.0, "%")
        m.position = "absolute"
        page.add_child(m, name=f"map_{'right' if x else 'left'}")  # both were map_0001
    page.header.add_child(Literal(_DIVIDER_CSS), name="lianhu_pair_divider")
    page.html.add_child(Literal('<div class="lianhu-pair-divider"></div>'), name="divider")
    SyncMaps([left, right]).add_to(right)
    literal_tree(_layers.set_ids(page))
    return page
