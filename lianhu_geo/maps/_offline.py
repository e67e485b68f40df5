"""Browser assets of lianhu_geo maps, and inlining them for offline use.

A default folium page loads Leaflet, jQuery, Bootstrap and Font Awesome from
public CDNs. lianhu_geo maps need only Leaflet and two plugins (search,
fullscreen); :func:`use_assets` puts exactly those in a map's header, and
:func:`inline_assets` replaces their links by the copies shipped under
``lianhu_geo/data/vendor/`` (with their licences), images in style sheets
included as ``data:`` URIs. The result needs no network.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

import folium

__all__ = [
    "VENDOR_DIR",
    "JS",
    "CSS",
    "use_assets",
    "inline_assets",
    "external_links",
    "unescape_unicode",
]

VENDOR_DIR = Path(__file__).parents[1] / "data" / "vendor"
_CDN = "https://cdn.jsdelivr.net/npm/"

#: (name, CDN url, file under VENDOR_DIR) of every script a map uses, in load order.
JS: tuple[tuple[str, str, str], ...] = (
    ("leaflet", _CDN + "leaflet@1.9.4/dist/leaflet.js", "leaflet/leaflet.js"),
    (
        "leaflet_search",
        _CDN + "leaflet-search@2.9.7/dist/leaflet-search.min.js",
        "leaflet-search/min/leaflet-search.min.js",
    ),
    (
        "leaflet_fullscreen",
        _CDN + "leaflet.fullscreen@3.0.0/Control.FullScreen.js",
        "leaflet_fullscreen/Control.FullScreen.js",
    ),
)
#: (name, CDN url, file under VENDOR_DIR) of every style sheet a map uses.
CSS: tuple[tuple[str, str, str], ...] = (
    ("leaflet_css", _CDN + "leaflet@1.9.4/dist/leaflet.css", "leaflet/leaflet.css"),
    (
        "leaflet_search_css",
        _CDN + "leaflet-search@2.9.7/dist/leaflet-search.min.css",
        "leaflet-search/min/leaflet-search.min.css",
    ),
    (
        "leaflet_fullscreen_css",
        _CDN + "leaflet.fullscreen@3.0.0/Control.FullScreen.css",
        "leaflet_fullscreen/Control.FullScreen.css",
    ),
)
_MIME = {".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml"}
_SCRIPT = re.compile(r'<script src="([^"]+)"></script>')
_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"\s*/>')
_CSS_URL = re.compile(r"url\(([^)#]+)\)")


def use_assets(m: folium.Map) -> folium.Map:
    """Make ``m`` load exactly the scripts and style sheets lianhu_geo maps use.

    Folium's plugins add their own ``default_js``; the map's header lists each
    asset once, so the plugin copies are emptied and the map carries the set.
    """
    m.default_js = [(name, url) for name, url, _ in JS]
    m.default_css = [(name, url) for name, url, _ in CSS]
    for child in _walk(m):
        if child is not m and hasattr(child, "default_js"):
            child.default_js = []
            child.default_css = []
    return m


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _data_uri(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{_MIME[path.suffix]};base64,{data}"


def _css_text(relpath: str) -> str:
    path = VENDOR_DIR / relpath
    text = path.read_text(encoding="utf-8")

    def repl(match: re.Match[str]) -> str:
        target = (path.parent / match.group(1).strip("'\"")).resolve()
        return f'url("{_data_uri(target)}")'

    return _CSS_URL.sub(repl, text)


def _script_text(relpath: str) -> str:
    text = (VENDOR_DIR / relpath).read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")


def inline_assets(html: str) -> str:
    """Replace the map's script and style-sheet links by inlined copies.

    Raises
    ------
    ValueError
        When the page links an asset that is not vendored (a folium element
        lianhu_geo does not know), since the page would not open offline.

    Examples
    --------
    >>> html = inline_assets('<script src="' + JS[0][1] + '"></script>')
    >>> html.startswith("<script>") and "Leaflet" in html[:300]
    True
    """
    scripts = {url: rel for _, url, rel in JS}
    sheets = {url: rel for _, url, rel in CSS}
    html = _SCRIPT.sub(
        lambda m: (
            f"<script>{_script_text(scripts[m.group(1)])}</script>"
            if m.group(1) in scripts
            else m.group(0)
        ),
        html,
    )
    html = _LINK.sub(
        lambda m: (
            f"<style>{_css_text(sheets[m.group(1)])}</style>"
            if m.group(1) in sheets
            else m.group(0)
        ),
        html,
    )
    left = external_links(html)
    if left:
        raise ValueError(
            f"the map links assets that lianhu_geo does not ship: {', '.join(left)}; "
            "remove the element that adds them or export with offline=False"
        )
    return html


def external_links(html: str) -> list[str]:
    """List the scripts and style sheets a page loads from elsewhere.

    Examples
    --------
    >>> external_links('<script src="https://x.org/a.js"></script><p>https://b</p>')
    ['https://x.org/a.js']
    """
    return _SCRIPT.findall(html) + _LINK.findall(html)


# a run of \uXXXX escapes of characters that may be written as themselves: not ASCII, not a
# surrogate, not U+2028/U+2029 (a literal start: the search skips to each backslash-u fast)
_UNICODE_RUN = re.compile(r"(?:\\u(?!00[0-7]|[dD][89a-fA-F]|202[89])[0-9a-fA-F]{4})+")


def unescape_unicode(html: str) -> str:
    r"""Write ``\uXXXX`` escapes of non-ASCII text as the characters themselves.

    folium's JSON escapes every Chinese character as six ASCII bytes; as
    UTF-8 it takes three. ASCII escapes (quotes, ``<``, ``&``), surrogate
    pairs and escaped backslashes stay as they are, so scripts and markup
    parse the same. A run of escapes (a name) is decoded at once.

    Examples
    --------
    >>> print(unescape_unicode(r'"\u5c0f\u533a \u003c \\u5c0f \u5c0f\u003c\u533a"'))
    "小区 \u003c \\u5c0f 小\u003c区"
    """

    def decoded(match: re.Match[str]) -> str:
        run, start = match.group(), match.start()
        backslashes = 0
        while start > backslashes and html[start - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2:  # "\\u..." is a backslash and the letter u: the rest are escapes
            return run[:6] + _decode(run[6:])
        return _decode(run)

    return _UNICODE_RUN.sub(decoded, html)


@functools.lru_cache(maxsize=4096)
def _decode(run: str) -> str:
    return run.encode("ascii").decode("unicode_escape")
