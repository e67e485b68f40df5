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
    # the explorer (lianhu_geo.explore): controls, figures and the scenario basket
    "min_households": {"zh": "起步户数", "en": "households a bundle needs"},
    "threshold_from_model": {"zh": "按成本模型测算", "en": "from the cost model"},
    "fee_yuan_per_m2_month": {"zh": "物业费(元/平方米·月)", "en": "fee (yuan/m2/month)"},
    "collection_rate": {"zh": "收缴率", "en": "collection rate"},
    "staff_cost_yuan_month": {"zh": "人员月成本(元)", "en": "staff cost (yuan/month)"},
    "fixed_cost_yuan_month": {"zh": "片区固定月成本(元)", "en": "fixed cost (yuan/month)"},
    "max_compounds": {"zh": "每片区最多院落", "en": "most compounds per bundle"},
    "max_span_m": {"zh": "片区最大跨度(米)", "en": "largest span (m)"},
    "max_gap_m": {"zh": "连片距离(米)", "en": "linking distance (m)"},
    "no_limit": {"zh": "不限", "en": "no limit"},
    "all_subdistricts": {"zh": "全部街道", "en": "all subdistricts"},
    "click_action": {"zh": "点击小区", "en": "clicking a compound"},
    "click_info": {"zh": "查看", "en": "show"},
    "click_lock": {"zh": "锁定片区", "en": "lock its bundle"},
    "click_exclude": {"zh": "排除", "en": "exclude"},
    "locked": {"zh": "已锁定", "en": "locked"},
    "excluded": {"zh": "已排除", "en": "excluded"},
    "clear_locks": {"zh": "清除锁定与排除", "en": "clear locks and exclusions"},
    "unmanaged_compounds": {"zh": "失管小区", "en": "unmanaged compounds"},
    "covered": {"zh": "已覆盖失管小区", "en": "covered unmanaged compounds"},
    "coverage_rate": {"zh": "覆盖率(含兜底模式)", "en": "coverage rate (fallback modes included)"},
    "bundle_rate": {"zh": "片区大物业覆盖率", "en": "share in bundles"},
    "household_bundle_rate": {
        "zh": "失管户数纳入片区比例",
        "en": "unmanaged households in bundles",
    },
    "bundles": {"zh": "片区数", "en": "bundles"},
    "locked_bundles": {"zh": "锁定片区", "en": "locked bundles"},
    "unviable_bundles": {"zh": "收支不平衡片区", "en": "bundles below break-even"},
    "compounds": {"zh": "小区数", "en": "compounds"},
    "bundle_list": {"zh": "片区清单", "en": "bundles"},
    "members": {"zh": "院落", "en": "compounds"},
    "span_m": {"zh": "跨度(米)", "en": "span (m)"},
    "margin_yuan_month": {"zh": "月盈余(元)", "en": "monthly margin (yuan)"},
    "planning": {"zh": "正在重新规划…", "en": "replanning…"},
    "planned_in": {"zh": "方案已更新，用时", "en": "plan updated in"},
    "plan_failed": {"zh": "无法规划", "en": "cannot plan"},
    "scenario": {"zh": "方案", "en": "scenario"},
    "scenario_basket": {"zh": "方案篮", "en": "scenario basket"},
    "keep_scenario": {"zh": "保存为方案", "en": "keep as scenario"},
    "compare": {"zh": "对比", "en": "compare"},
    "show_diff": {"zh": "在地图上显示差异", "en": "show the difference on the map"},
    "current_plan": {"zh": "当前方案", "en": "current plan"},
    "show_plan": {"zh": "显示当前方案", "en": "show the current plan"},
    "export": {"zh": "导出", "en": "export"},
    "export_folder": {"zh": "导出文件夹", "en": "export folder"},
    "exported": {"zh": "已导出", "en": "exported"},
    "changed": {"zh": "有变化的小区", "en": "compounds that change"},
    "unchanged": {"zh": "无变化", "en": "unchanged"},
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
