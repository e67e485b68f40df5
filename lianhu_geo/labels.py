"""Every label a planner reads, in Chinese and English, in one place.

Keys are the glossary's code names (``../shared/GLOSSARY.md``): service
modes (``bundle``, ``extended`` ...), column names (``households``), levels
(``zone``) and a few phrases. Summaries, workbooks, maps, the grid report and
the command all take their words from here, so a term is translated once.

>>> label("bundle")
'片区大物业'
>>> label("bundle", "en")
'bundle'
>>> label("households", "zh")
'户数'
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import InputError

__all__ = ["LANGS", "LABELS", "label", "labels", "check_lang"]

#: The languages every label exists in; ``zh`` is the default for planners.
LANGS: tuple[str, ...] = ("zh", "en")

#: code name -> {"zh": ..., "en": ...}
LABELS: dict[str, dict[str, str]] = {
    # service modes
    "professional": {"zh": "专业物业", "en": "professional"},
    "bundle": {"zh": "片区大物业", "en": "bundle"},
    "standalone": {"zh": "单独选聘物业", "en": "standalone"},
    "extended": {"zh": "延伸式", "en": "extended"},
    "self_governed": {"zh": "自治式", "en": "self-governed"},
    "on_demand": {"zh": "订单式", "en": "on-demand"},
    "unmanaged": {"zh": "失管", "en": "unmanaged"},
    # places and the grid's levels
    "district": {"zh": "区", "en": "district"},
    "subdistrict": {"zh": "街道", "en": "subdistrict"},
    "community": {"zh": "社区", "en": "community"},
    "zone": {"zh": "片区", "en": "zone"},
    "compound": {"zh": "小区", "en": "compound"},
    "building": {"zh": "楼栋", "en": "building"},
    "unit": {"zh": "单元", "en": "unit"},
    "household": {"zh": "居民家庭", "en": "household"},
    "grid": {"zh": "邻里格", "en": "neighborhood grid"},
    "grid_worker": {"zh": "网格员", "en": "grid worker"},
    "compound_head": {"zh": "小区院长", "en": "compound head"},
    "service_station": {"zh": "党群服务站", "en": "service station"},
    "briefing_pack": {"zh": "汇报材料", "en": "briefing pack"},
    "ledger": {"zh": "小区台账", "en": "ledger"},
    "estimated_footprint": {"zh": "估算占地", "en": "estimated footprint"},
    "surveyed_footprint": {"zh": "实测占地", "en": "surveyed footprint"},
    "reason_standalone": {
        "zh": "户数达到起步规模，可单独选聘物业",
        "en": "enough households on its own: it can hire a company by itself",
    },
    "reason_too_few_compounds": {
        "zh": "可连片的小区数不足片区最少小区数",
        "en": "too few neighbouring compounds for a bundle",
    },
    "standalone_mode_reason": {
        "zh": "户数 {households} 达到起步规模 {threshold} 户，可单独选聘物业",
        "en": "{households} households reach the threshold of {threshold}: "
        "it can hire a company by itself",
    },
    "estimated_bundle_area": {
        "zh": "片区范围（虚线：按小区点位估算占地）",
        "en": "bundle area (dashed: estimated from points)",
    },
    "approximate_subdistrict": {
        "zh": "街道大致范围（按小区位置推算，非官方边界）",
        "en": "subdistricts, approximate (from compound positions, not official)",
    },
    "approximate_community": {
        "zh": "社区大致范围（按小区位置推算，非官方边界）",
        "en": "communities, approximate (from compound positions, not official)",
    },
    "footprint_outside_boundary": {
        "zh": "位于边界之外，未估算占地",
        "en": "outside the boundary: no area estimated",
    },
    "footprint_inside_barrier": {
        "zh": "位于道路、水面等障碍范围内，未估算占地",
        "en": "inside a barrier (road, water ...): no area estimated",
    },
    "footprint_inside_footprint": {
        "zh": "位于已测绘小区范围内，未估算占地",
        "en": "inside a surveyed compound: no area estimated",
    },
    # compound columns
    "compound_id": {"zh": "小区编号", "en": "compound id"},
    "name": {"zh": "小区名称", "en": "name"},
    "households": {"zh": "户数", "en": "households"},
    "management": {"zh": "管理状态", "en": "management"},
    "buildings": {"zh": "楼栋数", "en": "buildings"},
    "units": {"zh": "单元数", "en": "units"},
    "build_year": {"zh": "建成年代", "en": "build year"},
    "old": {"zh": "老旧小区", "en": "old"},
    "sanwu": {"zh": "三无小区", "en": "three-without"},
    "willing_to_pay": {"zh": "愿意付费", "en": "willing to pay"},
    "owners_committee": {"zh": "业委会/物管会", "en": "owners' committee"},
    "property_company": {"zh": "物业公司", "en": "property company"},
    "fee_yuan_per_m2": {"zh": "物业费(元/平方米·月)", "en": "fee (yuan/m2/month)"},
    "bundle_id": {"zh": "片区大物业编号", "en": "bundle id"},
    "service_mode": {"zh": "服务模式", "en": "service mode"},
    # words
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "unknown": {"zh": "不详", "en": "unknown"},
    "total": {"zh": "合计", "en": "total"},
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`LANGS`, else raise :class:`InputError`.

    >>> check_lang("en")
    'en'
    """
    if not isinstance(lang, str) or lang not in LANGS:
        raise InputError(f"lang={lang!r} is not a language of lianhu_geo; use one of {LANGS}")
    return lang


def label(key: str, lang: str = "zh") -> str:
    """Return the label of the code name ``key`` in ``lang`` (``"zh"`` or ``"en"``).

    An unknown key raises :class:`KeyError`: every label a planner reads is
    written down in :data:`LABELS`, never made up on the spot.
    """
    check_lang(lang)
    return LABELS[key][lang]


def labels(keys: Mapping[str, object] | list[str] | tuple[str, ...], lang: str = "zh") -> dict:
    """``{key: label(key, lang)}`` for each key, in the order given.

    >>> labels(["extended", "on_demand"], "zh")
    {'extended': '延伸式', 'on_demand': '订单式'}
    """
    return {key: label(key, lang) for key in keys}
