"""What a compound's and a bundle's popup say: the fields, their labels, their text.

Every text from the data is HTML-escaped here (popups show HTML); the
search field keeps the name as text (search shows it as text).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..labels import label
from . import _layers
from ._style import MODE_LABELS, TEXT, mode_style

__all__ = ["POPUP_KEYS", "bundle_text", "compound_props", "compound_style", "popup_fields"]

#: What a compound's popup shows, in order.
POPUP_KEYS = [
    "name", "place", "households", "mode_label", "reason", "build_year", "status", "pay",
    "committee", "bundle",
]  # fmt: skip


def bundle_text(plan: Any, lang: str) -> tuple[pd.Series, gpd.GeoDataFrame]:
    """Return each bundle's one-line description (id, size, span, margin), and the bundles."""
    bundles = plan.bundles
    text = pd.Series(dtype=object)
    if len(bundles):
        get = bundles.get
        text = pd.Series(
            [
                TEXT[lang]["bundle_text"].format(
                    id=bid,
                    n=_layers.fmt_int(n),
                    hh=_layers.fmt_int(hh),
                    span=_layers.fmt_int(span),
                    margin=_layers.fmt_int(margin),
                )
                for bid, n, hh, span, margin in zip(
                    bundles.index.astype(str),
                    get("compounds", pd.Series(None, index=bundles.index)),
                    get("households", pd.Series(None, index=bundles.index)),
                    get("span_m", pd.Series(None, index=bundles.index)),
                    get("margin_yuan_month", pd.Series(None, index=bundles.index)),
                    strict=True,
                )
            ],
            index=bundles.index.astype(str),
        )
    return text, bundles


def _flag(values: pd.Series | None, index: pd.Index, lang: str) -> pd.Series:
    """Write a yes-no column as 是 / 否 / 不详 (a missing column: 不详)."""
    if values is None:
        return pd.Series(label("unknown", lang), index=index, dtype=object)
    words = {True: label("yes", lang), False: label("no", lang)}
    return pd.Series(
        [label("unknown", lang) if pd.isna(v) else words[bool(v)] for v in values],
        index=index,
        dtype=object,
    )


def _status(c: gpd.GeoDataFrame, lang: str) -> pd.Series:
    """Write old / three-without as 老旧小区、三无小区, one of them, 否, or 不详."""
    old, sanwu = c.get("old"), c.get("sanwu")
    out = []
    for i in range(len(c)):
        flags = [
            (v.iloc[i] if v is not None else pd.NA, key)
            for v, key in ((old, "old"), (sanwu, "sanwu"))
        ]
        named = [label(key, lang) for v, key in flags if not pd.isna(v) and bool(v)]
        known = any(not pd.isna(v) for v, _ in flags)
        out.append("、".join(named) if named else label("no" if known else "unknown", lang))
    return pd.Series(out, index=c.index, dtype=object)


def _reason(c: gpd.GeoDataFrame, lang: str) -> pd.Series:
    """Give why the compound has its mode, and why it is not in a bundle when known."""
    why = c["mode_reason"].astype(object)
    extra = c.get("unbundled_reason")
    if extra is None:
        return why
    head = label("not_in_bundle", lang)
    return pd.Series(
        [
            w if pd.isna(x) or str(x) in str(w) else (x if pd.isna(w) else f"{w}；{head}：{x}")
            for w, x in zip(why, extra.astype(object), strict=True)
        ],
        index=c.index,
        dtype=object,
    )


def compound_props(
    c: gpd.GeoDataFrame, plan: Any, lang: str, colors: dict[object, str] | None = None
) -> pd.DataFrame:
    """Return the popup, search and style properties of each compound (text HTML-escaped)."""
    texts, _ = bundle_text(plan, lang)
    bundle_id = c["bundle_id"].astype("string")
    year = pd.to_numeric(c.get("build_year", pd.Series(np.nan, index=c.index)), errors="coerce")
    props = pd.DataFrame(
        {
            "cid": c["compound_id"].astype(str),
            "name": c["name"].astype(str),
            "place": c["subdistrict"].astype(str) + " / " + c["community"].astype(str),
            "households": c["households"].astype(object),
            "mode": c["service_mode"].astype(str),
            "mode_label": c["service_mode"].map(MODE_LABELS[lang]).astype(str),
            "reason": _reason(c, lang),
            "build_year": [label("unknown", lang) if pd.isna(y) else str(int(y)) for y in year],
            "status": _status(c, lang),
            "pay": _flag(c.get("willing_to_pay"), c.index, lang),
            "committee": _flag(c.get("owners_committee"), c.index, lang),
            "bundle": bundle_id.map(lambda b: texts.get(b, b), na_action="ignore")
            .astype(object)
            .fillna("—"),
        },
        index=c.index,
    )
    props = _layers.escape_frame(props)
    # each bundle's fill colour (from lianhu_geo's palette, not from the data)
    colors = colors or {}
    props["bcolor"] = [None if pd.isna(b) else colors.get(b) for b in bundle_id]
    props["search"] = c["name"].astype(str)  # what search matches and lists, as text
    return props


def popup_fields(lang: str, keys: list[str]) -> tuple[list[str], list[str]]:
    """Return the popup's fields and their labels in ``lang``."""
    words = TEXT[lang]
    aliases = {
        "name": words["name"],
        "place": words["place"],
        "households": words["households"],
        "mode_label": words["mode"],
        "reason": words["reason"],
        "build_year": label("build_year", lang),
        "status": label("old_sanwu", lang),
        "pay": label("willing_to_pay", lang),
        "committee": label("owners_committee", lang),
        "bundle": words["bundle"],
        "before": words["before"],
        "after": words["after"],
    }
    return keys, [aliases[k] for k in keys]


def compound_style(feature: dict) -> dict[str, object]:
    """Style a compound by its mode, filled with its bundle's own colour when it is in one."""
    props = feature["properties"]
    style = mode_style(props["mode"])
    if props.get("bcolor"):
        style = {**style, "color": props["bcolor"], "fillColor": props["bcolor"]}
    return style
