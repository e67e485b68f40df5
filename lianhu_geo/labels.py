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
    # the district's other decisions: service stations, compound heads, companies
    "station_coverage": {"zh": "党群服务站覆盖", "en": "service station coverage"},
    "station_id": {"zh": "服务站编号", "en": "station id"},
    "station_name": {"zh": "服务站名称", "en": "station name"},
    "head": {"zh": "站长", "en": "station head"},
    "station_distance_m": {"zh": "到服务站距离(米)", "en": "distance to station (m)"},
    "covered": {"zh": "步行可达", "en": "within reach"},
    "compounds_served": {"zh": "服务小区数", "en": "compounds served"},
    "households_served": {"zh": "服务户数", "en": "households served"},
    "compounds": {"zh": "小区数", "en": "compounds"},
    "compounds_reached": {"zh": "可达小区数", "en": "compounds within reach"},
    "unmanaged_reached": {"zh": "可达失管小区", "en": "unmanaged within reach"},
    "households_reached": {"zh": "可达户数", "en": "households within reach"},
    "reach_rate": {"zh": "可达率", "en": "reach rate"},
    "unmanaged_reach_rate": {"zh": "失管小区可达率", "en": "unmanaged reach rate"},
    "summary": {"zh": "汇总", "en": "summary"},
    "item": {"zh": "项目", "en": "item"},
    "value": {"zh": "内容", "en": "value"},
    "solver": {"zh": "求解说明", "en": "solver"},
    "new_sites": {"zh": "新建服务站选址", "en": "new station sites"},
    "new_site": {"zh": "新建服务站", "en": "new station"},
    "new_compounds": {"zh": "新增覆盖小区", "en": "compounds newly reached"},
    "new_households": {"zh": "新增覆盖户数", "en": "households newly reached"},
    "station_status": {"zh": "服务站覆盖情况", "en": "station status"},
    "station_existing": {"zh": "已有服务站可达", "en": "existing station within reach"},
    "station_new": {"zh": "新建服务站可达", "en": "new station within reach"},
    "station_uncovered": {"zh": "未覆盖(站点数不足)", "en": "not reached (budget)"},
    "station_uncoverable": {"zh": "无法覆盖", "en": "cannot be reached"},
    "station_not_a_target": {"zh": "不在本次范围", "en": "not a target"},
    "uncoverable_reason": {"zh": "未覆盖原因", "en": "why not reached"},
    "reason_budget": {
        "zh": "新建服务站数量已用完",
        "en": "the budget of new stations is used up",
    },
    "reason_no_candidate": {
        "zh": "{walk} 米内没有可建服务站的小区",
        "en": "no candidate site within {walk} m",
    },
    "cadre_id": {"zh": "干部编号", "en": "cadre id"},
    "cadre_name": {"zh": "院长姓名", "en": "head's name"},
    "level": {"zh": "级别", "en": "level"},
    "level_district": {"zh": "区级", "en": "district"},
    "level_subdistrict": {"zh": "街道级", "en": "subdistrict"},
    "max_visits": {"zh": "每月走访上限", "en": "most visits a month"},
    "visits": {"zh": "每月走访次数", "en": "visits a month"},
    "visits_per_month": {"zh": "每月走访次数", "en": "visits a month"},
    "tour_m": {"zh": "每轮走访路程(米)", "en": "one round (m)"},
    "monthly_travel_m": {"zh": "每月路程(米)", "en": "travel a month (m)"},
    "monthly_travel_km": {"zh": "每月路程(公里)", "en": "travel a month (km)"},
    "compound_ids": {"zh": "负责小区编号", "en": "compound ids"},
    "compound_names": {"zh": "负责小区", "en": "compounds"},
    "eligible": {"zh": "需配院长", "en": "needs a head"},
    "heads": {"zh": "院长人数", "en": "heads"},
    "cadre_office": {"zh": "院长办公地点", "en": "head's office"},
    "first_choice_color": {"zh": "颜色: 首选企业", "en": "colour: first-choice company"},
    "roster": {"zh": "院长安排", "en": "roster"},
    "visit_calendar": {"zh": "走访日程", "en": "visit calendar"},
    "visit": {"zh": "第几次走访", "en": "visit"},
    "date": {"zh": "日期", "en": "date"},
    "week_n": {"zh": "第{n}周", "en": "week {n}"},
    "weekday_0": {"zh": "周一", "en": "Mon"},
    "weekday_1": {"zh": "周二", "en": "Tue"},
    "weekday_2": {"zh": "周三", "en": "Wed"},
    "weekday_3": {"zh": "周四", "en": "Thu"},
    "weekday_4": {"zh": "周五", "en": "Fri"},
    "company_id": {"zh": "企业编号", "en": "company id"},
    "company_name": {"zh": "企业名称", "en": "company"},
    "service_types": {"zh": "服务类型", "en": "service types"},
    "capacity_households": {"zh": "承接能力(户)", "en": "capacity (households)"},
    "qualification": {"zh": "资质", "en": "qualification"},
    "managed_compounds": {"zh": "在管小区数", "en": "compounds managed"},
    "managed_households": {"zh": "在管户数", "en": "households managed"},
    "spare_households": {"zh": "剩余承接能力(户)", "en": "spare capacity (households)"},
    "first_choice_of": {"zh": "首选对象", "en": "first choice for"},
    "overview": {"zh": "街道总览", "en": "overview"},
    "shortlist": {"zh": "候选企业", "en": "shortlist"},
    "unmatched": {"zh": "暂无候选", "en": "no candidate"},
    "target_type": {"zh": "对象类型", "en": "target"},
    "target_id": {"zh": "对象编号", "en": "target id"},
    "rank": {"zh": "排序", "en": "rank"},
    "distance_m": {"zh": "距离(米)", "en": "distance (m)"},
    "nearest_compound_id": {"zh": "最近在管小区", "en": "nearest managed compound"},
    "reason": {"zh": "理由", "en": "reason"},
    "bundles": {"zh": "片区数", "en": "bundles"},
    "bundles_matched": {"zh": "有候选的片区", "en": "bundles with candidates"},
    "extended_matched": {"zh": "有候选的延伸式小区", "en": "extended with candidates"},
    "first_choices": {"zh": "首选企业数", "en": "first-choice companies"},
    "reason_nearest_managed": {
        "zh": "最近在管小区 {id} 距离 {distance} 米",
        "en": "manages {id}, {distance} m away",
    },
    "reason_office": {"zh": "办公地点距离 {distance} 米", "en": "office {distance} m away"},
    "reason_spare": {
        "zh": "剩余承接能力 {households} 户",
        "en": "room for {households} households",
    },
    "reason_spare_unknown": {"zh": "承接能力不详", "en": "capacity unknown"},
    "reason_qualification": {"zh": "资质 {q}", "en": "qualification {q}"},
    "reason_no_company_near": {
        "zh": "{distance} 米内没有可承接{kind}的企业",
        "en": "no company for the {kind} within {distance} m",
    },
    "reason_none_qualified": {
        "zh": "附近 {n} 家企业资质均不符合要求",
        "en": "{n} companies nearby, none with an accepted qualification",
    },
    "reason_no_capacity": {
        "zh": "附近 {n} 家企业剩余承接能力均不足 {households} 户",
        "en": "{n} companies nearby, none with room for {households} households",
    },
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
