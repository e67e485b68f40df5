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

__all__ = [
    "LANGS",
    "LABELS",
    "MESSAGES",
    "CLI_TEXTS",
    "cli_text",
    "label",
    "labels",
    "message",
    "check_lang",
    "count_words",
    "report_labels",
    "BUNDLE_REASONS",
    "CLUSTER_COLUMNS",
    "LEVEL_LABELS",
    "MODE_LABELS",
    "MODE_REASONS",
    "REPORT_LABELS",
]

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
    "reason_excluded": {"zh": "规划人员排除", "en": "left out by the planner"},
    "reason_isolated": {
        "zh": "周边无可连片的小区（孤岛）",
        "en": "no neighbouring compound to bundle with (an island)",
    },
    "reason_below_threshold": {
        "zh": "所在连片区域总户数不足起步规模",
        "en": "its connected area has fewer households than a bundle needs",
    },
    "reason_unused": {
        "zh": "相邻片区已达规模或跨度上限，无法并入",
        "en": "the bundles around it are at their size or span limit",
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
    "address": {"zh": "地址", "en": "address"},
    "source_file": {"zh": "来源文件", "en": "source file"},
    "source_sheet": {"zh": "来源工作表", "en": "source sheet"},
    "source_row": {"zh": "来源行号", "en": "source row"},
    "notes": {"zh": "备注", "en": "notes"},
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
    "bundle_id": {"zh": "片区编号", "en": "bundle id"},
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
    # a plan proposes: "covered" counts every unmanaged compound given a mode, the
    # community-carried ones included, so it is always all of them (see provider_rate)
    "covered": {"zh": "拟安排失管小区", "en": "unmanaged with a proposed mode"},
    "coverage_rate": {
        "zh": "拟安排率(含社区兜底)",
        "en": "proposed arrangement rate (community-carried included)",
    },
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
    # the district's other decisions: service stations, compound heads, companies
    "station_coverage": {"zh": "党群服务站覆盖", "en": "service station coverage"},
    "station_id": {"zh": "服务站编号", "en": "station id"},
    "station_name": {"zh": "服务站名称", "en": "station name"},
    "head": {"zh": "站长", "en": "station head"},
    "station_distance_m": {"zh": "到服务站距离(米)", "en": "distance to station (m)"},
    "within_reach": {"zh": "步行可达", "en": "within reach"},
    "not_within_reach": {"zh": "步行不可达", "en": "not within reach"},
    "compounds_served": {"zh": "服务小区数", "en": "compounds served"},
    "households_served": {"zh": "服务户数", "en": "households served"},
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
    # the overview map of a plan too large for one map (lianhu_geo.scale)
    "overview_unmanaged": {"zh": "失管小区", "en": "unmanaged compounds"},
    "overview_bundled": {"zh": "纳入片区", "en": "in bundles"},
    "overview_share": {"zh": "失管小区纳入片区比例", "en": "unmanaged compounds in bundles"},
    "overview_map_file": {"zh": "分街道地图", "en": "subdistrict map"},
    "overview_open_map": {"zh": "打开本街道地图", "en": "open this subdistrict's map"},
    "overview_no_unmanaged": {"zh": "无失管小区", "en": "no unmanaged compound"},
    "shortlist": {"zh": "候选企业", "en": "shortlist"},
    "unmatched": {"zh": "暂无候选", "en": "no candidate"},
    "target_type": {"zh": "对象类型", "en": "target"},
    "target_id": {"zh": "对象编号", "en": "target id"},
    "rank": {"zh": "排序", "en": "rank"},
    "distance_m": {"zh": "距离(米)", "en": "distance (m)"},
    "nearest_compound_id": {"zh": "最近在管小区", "en": "nearest managed compound"},
    "reason": {"zh": "理由", "en": "reason"},
    "bundles_matched": {"zh": "有候选的片区", "en": "bundles with candidates"},
    "extended_matched": {"zh": "有候选的延伸式小区", "en": "extended with candidates"},
    "first_choices": {"zh": "首选企业数", "en": "first-choice companies"},
    "first_choice_households": {"zh": "首选对象户数", "en": "households as first choice"},
    "over_committed": {
        "zh": "首选对象超出承接能力",
        "en": "first choice beyond capacity",
    },
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
    # clusters of old and three-without courtyards (bundling.hotspots)
    "cluster_id": {"zh": "聚集区编号", "en": "cluster id"},
    "cluster_rank": {"zh": "排名", "en": "rank"},
    "cluster_subdistrict": {"zh": "主要街道", "en": "main subdistrict"},
    "cluster_subdistricts": {"zh": "涉及街道", "en": "subdistricts"},
    "cluster_compounds": {"zh": "失管小区数", "en": "unmanaged compounds"},
    "unmanaged_households": {"zh": "失管户数", "en": "unmanaged households"},
    "old_compounds": {"zh": "老旧小区数", "en": "old compounds"},
    "sanwu_compounds": {"zh": "三无小区数", "en": "three-without compounds"},
    "area_m2": {"zh": "面积(平方米)", "en": "area (m2)"},
    "cluster_compound_ids": {"zh": "小区编号", "en": "compound ids"},
    # the grid report (grid.report) and the grid's drill-down map
    "grid_level": {"zh": "层级", "en": "level"},
    "all_levels": {"zh": "全部层级", "en": "all levels"},
    "grids": {"zh": "网格数", "en": "grids"},
    "grid_workers": {"zh": "网格员数", "en": "grid workers"},
    "source_property_company": {"zh": "物业企业人员", "en": "property company staff"},
    "source_community": {"zh": "社区工作者", "en": "community workers"},
    "source_volunteer": {"zh": "志愿者", "en": "volunteers"},
    "count_compounds": {"zh": "个小区", "en": " compounds"},
    "count_buildings": {"zh": "栋", "en": " bldg"},
    "count_units": {"zh": "个单元", "en": " units"},
    "count_households": {"zh": "户", "en": " hh"},
    # why a fallback mode (coverage.triage)
    "mode_reason_extended": {
        "zh": "愿意付费，引入保洁公司延伸服务",
        "en": "willing to pay: a cleaning company extends its services",
    },
    "mode_reason_self_governed": {
        "zh": "不愿付费但有业委会，自治管理",
        "en": "not willing to pay, but an owners' committee: self-governed",
    },
    "mode_reason_on_demand": {
        "zh": "无付费意愿、无自治组织，志愿者订单式服务",
        "en": "no will to pay and no owners' committee: volunteers on demand",
    },
    "mode_reason_missing": {
        "zh": "付费意愿或业委会情况不详，暂按{mode}（请补充调查）",
        "en": "willingness to pay or owners' committee unknown: {mode} for now (survey it)",
    },
    "mode_reason_custom_rule": {"zh": "按指定规则：{mode}", "en": "by the given rule: {mode}"},
    # the meeting map (issue 16): popups, the bundle list, the info box's parameters
    "unbundled_reason": {"zh": "未纳入片区原因", "en": "why not in a bundle"},
    "not_in_bundle": {"zh": "未纳入片区", "en": "not in a bundle"},
    "old_sanwu": {"zh": "老旧 / 三无", "en": "old / three-without"},
    "bundle_short": {"zh": "片区", "en": "bundle"},
    "bundle_colors": {"zh": "片区大物业（每个片区一种颜色）", "en": "bundle (one colour each)"},
    "fold_or_unfold": {"zh": "展开 / 收起", "en": "show / hide"},
    "option_barriers": {"zh": "按道路、水面等障碍分隔", "en": "barriers"},
    "option_boundary": {"zh": "按区界裁剪", "en": "boundary"},
    "option_bundle": {"zh": "组建片区大物业", "en": "make bundles"},
    "option_bundle_upper_bound": {"zh": "各街道片区数上限", "en": "most bundles possible"},
    "option_created": {"zh": "方案日期", "en": "plan date"},
    "option_eligible": {"zh": "可组片小区", "en": "eligible compounds"},
    "option_exclude": {"zh": "排除的小区", "en": "excluded compounds"},
    "option_graph": {"zh": "自定义邻接关系", "en": "own neighbour graph"},
    "option_locked": {"zh": "锁定的片区", "en": "locked bundles"},
    "option_max_link_m": {"zh": "点位连片距离(米)", "en": "point linking distance (m)"},
    "option_min_compounds": {"zh": "每片区最少院落", "en": "fewest compounds per bundle"},
    "option_missing_mode": {"zh": "信息不全时的模式", "en": "mode when data are missing"},
    "option_rule": {"zh": "服务模式规则", "en": "mode rule"},
    "option_seed": {"zh": "随机种子", "en": "seed"},
    "option_time_limit_s": {"zh": "求解时限(秒)", "en": "solver time limit (s)"},
    "option_viability": {"zh": "成本模型", "en": "cost model"},
    "option_within": {"zh": "组片范围", "en": "bundle within"},
    "option_floor_area_m2_per_household": {
        "zh": "户均面积(平方米)",
        "en": "floor area per household (m2)",
    },
    "option_households_per_staff": {"zh": "每名员工服务户数", "en": "households per staff"},
    "option_type": {"zh": "类型", "en": "type"},
    "items_more": {"zh": "等 {n} 项", "en": "and {n} more"},
    "fingerprint_short": {"zh": "数据指纹", "en": "data fingerprint"},
    "version": {"zh": "版本", "en": "version"},
    "plan_options": {"zh": "方案参数", "en": "plan options"},
    # a coverage plan's tables: summary, workbook, briefing pack (lianhu_geo.coverage,
    # lianhu_geo.briefing). A plan proposes; nothing here is called achieved.
    "provider_delivered": {
        "zh": "拟由企业服务",
        "en": "provider-delivered (proposed)",
    },
    "provider_rate": {"zh": "拟企业服务率", "en": "provider rate (proposed)"},
    "community_carried": {"zh": "拟由社区兜底", "en": "community-carried (proposed)"},
    "community_rate": {"zh": "拟社区兜底率", "en": "community rate (proposed)"},
    "provider_modes": {
        "zh": "企业提供服务：片区大物业、单独选聘物业、延伸式",
        "en": "a provider delivers: bundle, standalone, extended",
    },
    "community_modes": {
        "zh": "社区组织兜底：自治式、订单式",
        "en": "the community carries: self-governed, on-demand",
    },
    "upper_bound": {"zh": "片区数上限", "en": "most bundles possible"},
    "mode_reason": {"zh": "原因", "en": "reason"},
    "polsby_popper": {"zh": "紧凑度(Polsby-Popper)", "en": "compactness (Polsby-Popper)"},
    "footprint_estimated": {"zh": "面积为估算(按点位)", "en": "area estimated from points"},
    "viable": {"zh": "经营可行", "en": "viable"},
    "member_ids": {"zh": "小区编号", "en": "compound ids"},
    "member_names": {"zh": "小区名称", "en": "compound names"},
    "fingerprint": {"zh": "数据指纹 (sha256)", "en": "data fingerprint (sha256)"},
    "library_version": {"zh": "lianhu_geo 版本", "en": "lianhu_geo version"},
    "plan_date": {"zh": "方案日期", "en": "plan date"},
    "option": {"zh": "参数", "en": "option"},
    "plan_title": {"zh": "物业服务覆盖方案", "en": "property-service coverage plan"},
    "coverage_plan": {"zh": "覆盖方案", "en": "coverage plan"},
    # the briefing pack's own words (lianhu_geo.briefing)
    "bundle_legend": {
        "zh": "片区大物业（每个片区一色，标注编号）",
        "en": "bundle (one fill each, labelled by id)",
    },
    "unbundled_compounds": {
        "zh": "兜底与单独选聘小区",
        "en": "unmanaged compounds outside bundles",
    },
    "bundle_count": {"zh": "片区清单：{n}", "en": "bundles: {n}"},
    "first_choice_table": {"zh": "各对象的首选企业", "en": "first-choice company of each target"},
    "options_page": {"zh": "参数", "en": "options and data"},
    "north": {"zh": "北", "en": "N"},
    "km": {"zh": "{n} 公里", "en": "{n} km"},
    "metres": {"zh": "{n} 米", "en": "{n} m"},
    "page_n": {"zh": "第 {n} 页", "en": "page {n}"},
    "continued": {"zh": "{title}（续）", "en": "{title} (cont.)"},
    "figure_value": {"zh": "{name}：{value}", "en": "{name}: {value}"},
    "date_ymd": {"zh": "{year}年{month}月{day}日", "en": "{year}-{month:02d}-{day:02d}"},
    "china_time": {"zh": "{time}（北京时间）", "en": "{time} (China time)"},
    # the options of a plan, as the briefing pack's last page names them
    "option_min_households": {"zh": "起步户数", "en": "households a bundle needs"},
    "option_max_compounds": {"zh": "每片区最多院落", "en": "most compounds per bundle"},
    "option_max_span_m": {"zh": "片区最大跨度(米)", "en": "largest span (m)"},
    "option_max_gap_m": {"zh": "连片距离(米)", "en": "linking distance between footprints (m)"},
    "option_max_households": {"zh": "每片区最多户数", "en": "most households per bundle"},
    "option_default": {"zh": "默认", "en": "default"},
    "summary_headline": {
        "zh": "{place}失管小区 {unmanaged} 个：拟由企业服务 {provider} 个（{provider_rate}），"
        "拟由社区兜底 {community} 个（{community_rate}）。以上为方案拟安排，不是已实现的覆盖。",
        "en": "{place}{unmanaged} unmanaged compounds: proposed {provider} provider-delivered "
        "({provider_rate}), {community} community-carried ({community_rate}). A proposal, "
        "not coverage achieved.",
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


# ---------------------------------------------------------------------------
# Tables of labels that modules use by code name (the modules keep their old
# names as references to these).
# ---------------------------------------------------------------------------

#: The service modes (glossary order), as in ``coverage.triage.SERVICE_MODES``.
_MODES = ("professional", "bundle", "standalone", "extended", "self_governed", "on_demand")

#: Chinese label of each service mode (``lianhu_geo.MODE_LABELS``).
MODE_LABELS: dict[str, str] = labels(_MODES, "zh")

#: Chinese reason written for each fallback mode chosen by the default rules.
MODE_REASONS: dict[str, str] = {
    mode: label(f"mode_reason_{mode}") for mode in ("extended", "self_governed", "on_demand")
}

#: Why an eligible compound is not in a bundle: reason code -> Chinese text
#: (``lianhu_geo.REASONS``).
BUNDLE_REASONS: dict[str, str] = {
    code: label(f"reason_{code}")
    for code in (
        "excluded",
        "isolated",
        "below_threshold",
        "unused",
        "standalone",
        "too_few_compounds",
    )
}

#: Columns of ``find_clusters``' table -> the Chinese header a planner reads.
CLUSTER_COLUMNS: dict[str, str] = {
    column: label(key)
    for column, key in (
        ("cluster_id", "cluster_id"),
        ("rank", "cluster_rank"),
        ("subdistrict", "cluster_subdistrict"),
        ("subdistricts", "cluster_subdistricts"),
        ("compounds", "cluster_compounds"),
        ("unmanaged_households", "unmanaged_households"),
        ("old_compounds", "old_compounds"),
        ("sanwu_compounds", "sanwu_compounds"),
        ("area_m2", "area_m2"),
        ("compound_ids", "cluster_compound_ids"),
    )
}

#: Chinese label of each level of the 邻里格 grid.
LEVEL_LABELS: dict[str, str] = labels(
    ("district", "zone", "compound", "building", "unit", "household"), "zh"
)


def report_labels(lang: str = "zh") -> dict[str, str]:
    """Return the labels of the grid report's columns and values (levels, sources, totals).

    >>> report_labels("zh")["grid_workers"], report_labels("en")["community"]
    ('网格员数', 'community workers')
    """
    out = labels(("subdistrict", "grids", "households", "grid_workers", "total"), lang)
    out["level"] = label("grid_level", lang)
    out["all"] = label("all_levels", lang)
    out.update(labels(("zone", "compound", "building", "unit"), lang))
    for source in ("property_company", "community", "volunteer"):
        out[source] = label(f"source_{source}", lang)
    return out


#: Chinese labels of the grid report (``grid.report(lang="zh")``).
REPORT_LABELS: dict[str, str] = report_labels("zh")


def count_words(lang: str = "zh") -> dict[str, str]:
    """Return the words after a count on the grid map ("12个小区", "12 compounds").

    >>> count_words("zh")["households"]
    '户'
    """
    return {k: label(f"count_{k}", lang) for k in ("compounds", "buildings", "units", "households")}


# ---------------------------------------------------------------------------
# Messages: what the readers and the command say, in both languages.
#
# Each message is a ``str.format`` pattern written here; the values put in
# (file names, headers, cell text) are inserted as data, never parsed as a
# pattern. ``{where}`` is a place made by :func:`lianhu_geo.ledgers.place`,
# e.g. "小区台账_青年路.xlsx, 工作表 Sheet1, 第 7 行, 列 户数".
# ---------------------------------------------------------------------------

#: message key -> {"zh": pattern, "en": pattern}
MESSAGES: dict[str, dict[str, str]] = {
    "overview_title": {
        "zh": "覆盖方案总览（{subdistricts} 个街道，{compounds} 个小区）",
        "en": "Coverage plan overview ({subdistricts} subdistricts, {compounds} compounds)",
    },
    # places
    "place_sheet": {"zh": "工作表 {sheet}", "en": "sheet {sheet}"},
    "place_layer": {"zh": "图层 {sheet}", "en": "layer {sheet}"},
    "place_row": {"zh": "第 {rows} 行", "en": "row {rows}"},
    "place_rows": {"zh": "第 {rows} 行", "en": "rows {rows}"},
    "place_feature": {"zh": "第 {rows} 个要素", "en": "feature {rows}"},
    "place_features": {"zh": "第 {rows} 个要素", "en": "features {rows}"},
    "place_header": {"zh": "第 {row} 行（表头）", "en": "row {row} (the header)"},
    "place_column": {"zh": "列 {column}", "en": "column {column}"},
    "place_more": {"zh": "等共 {count} 处", "en": "and {count} more"},
    "list_sep": {"zh": "、", "en": ", "},
    "place_sep": {"zh": "；", "en": "; "},
    # files
    "no_file": {
        "zh": "无法读取 {file}：文件不存在。请检查路径。",
        "en": "cannot read {file}: no such file. Check the path.",
    },
    "not_a_file": {
        "zh": "无法读取 {file}：它是{kind}，不是文件。请把数据另存为文件再读取。",
        "en": "cannot read {file}: it is {kind}, not a file. Save the data as a file.",
    },
    "kind_fifo": {"zh": "命名管道（FIFO）", "en": "a named pipe (FIFO)"},
    "kind_device": {"zh": "设备或套接字", "en": "a device or socket"},
    "unknown_type": {
        "zh": "无法读取 {file}：不认识的文件类型 {suffix}；可用 {known}。",
        "en": "cannot read {file}: unknown file type {suffix}; use one of {known}.",
    },
    "unreadable": {
        "zh": "无法读取 {file}：{reason}。请确认文件完整、未损坏（用 Excel 或 QGIS 打开试试）。",
        "en": "cannot read {file}: {reason}. Check that the file is complete and not "
        "corrupted (open it in Excel or QGIS).",
    },
    "not_text": {
        "zh": "无法读取 {file}：既不是 UTF-8 也不是 GBK/GB18030 文本。请在 Excel 中另存为“CSV UTF"
        "-8”。",
        "en": "cannot read {file}: not UTF-8 or GBK/GB18030 text. Save it from Excel as "
        "'CSV UTF-8'.",
    },
    "progress_not_callable": {
        "zh": "`progress` 必须是函数（调用方式 progress(步骤, 已完成, 总数)），而不是 {kind}。",
        "en": "`progress` must be a function, called as progress(step, done, total); got {kind}.",
    },
    "not_utf8_cells": {
        "zh": "{where}：文字不是有效的 UTF-8（{values}）。请在 QGIS 中把图层另存为 UTF-8 编码，"
        "或改正这些单元格。",
        "en": "{where}: the text is not valid UTF-8 ({values}). Save the layer again in UTF-8 "
        "(QGIS: Export, Save Features As, encoding UTF-8), or retype these cells.",
    },
    "empty_folder": {
        "zh": "文件夹 {file} 中没有可读的台账文件（{known}）。",
        "en": "the folder {file} holds no ledger files ({known}).",
    },
    "no_sources": {
        "zh": "没有给出要读取的文件。",
        "en": "no files were given to read.",
    },
    "empty_workbook": {
        "zh": "{file} 中没有任何数据（所有工作表都是空的）。",
        "en": "{file} holds no data (every sheet is empty).",
    },
    "no_table": {
        "zh": "{file} 中找不到小区表格：前 {scan} 行里没有一行表头含有两个以上认识的列名"
        "（如 {examples}）。请用 header_row=（命令行 --header-row）指出表头在第几行，"
        "或用 columns= 说明各列。",
        "en": "no compounds table found in {file}: none of the first {scan} rows is a "
        "header with two or more known column names (such as {examples}). Say which "
        "row holds the header with header_row= (--header-row), or map headers with "
        "columns=.",
    },
    "header_row_range": {
        "zh": "{file}，{sheet_place}：header_row={row} 超出表格范围（共 {count} 行）。",
        "en": "{file}, {sheet_place}: header_row={row} is beyond the table ({count} rows).",
    },
    "sheet_not_found": {
        "zh": "{file} 中没有工作表 {sheet}；已有：{sheets}。",
        "en": "{file} has no sheet {sheet}; it has: {sheets}.",
    },
    "layer_not_found": {
        "zh": "{file} 中没有图层 {sheet}；已有：{sheets}。",
        "en": "{file} has no layer {sheet}; it has: {sheets}.",
    },
    "sheets_differ": {
        "zh": "{file} 有多个表格，列不相同：{detail}。请用 sheet=（命令行 --sheet）指定要读的工作"
        "表。",
        "en": "{file} holds several tables with different columns: {detail}. Say which "
        "sheet to read with sheet= (--sheet).",
    },
    "layers_differ": {
        "zh": "{file} 有多个图层，字段不相同：{detail}。请用 layer=（命令行 --layer）指定要读的图"
        "层。",
        "en": "{file} holds several layers with different fields: {detail}. Say which "
        "layer to read with layer= (--layer).",
    },
    "header_clash": {
        "zh": "{file}，{sheet_place}：两个表头指向同一列：{detail}。请删除或改名其中一个，"
        "或用 columns= 说明哪个表头是哪一列。",
        "en": "{file}, {sheet_place}: two headers name the same column: {detail}. Rename "
        "or drop one of them, or pass columns= to say which header is which.",
    },
    # coordinates
    "no_location": {
        "zh": "{file}，{sheet_place}：没有位置列。请加上经度、纬度两列（可用表头：{lon} / {lat}，"
        "可带坐标系，如 经度_gcj02、经度(百度)），或一列 WKT 几何（{wkt}）。",
        "en": "{file}, {sheet_place}: no location columns. Add longitude and latitude "
        "(headers accepted: {lon} / {lat}, optionally with their system, e.g. "
        "经度_gcj02, lng_bd09, 经度(百度)) or a WKT column ({wkt}).",
    },
    "coords_unknown": {
        "zh": "coords={coords!r} 不是已知坐标系；可用 {known}（百度地图 bd09，高德/腾讯 gcj02，GP"
        "S wgs84）。",
        "en": "coords={coords!r} is not a known coordinate system; use one of {known} "
        "(Baidu maps: bd09, Amap/Tencent: gcj02, GPS: wgs84).",
    },
    "coords_disagree": {
        "zh": "{file}，{sheet_place}：表头 {headers} 写明坐标系是 {found}，但给出的是 "
        "coords={coords!r}。请去掉 coords=，或改为 coords={found!r}。",
        "en": "{file}, {sheet_place}: the headers {headers} say the coordinates are "
        "{found}, but coords={coords!r} was given. Drop coords=, or use coords={found!r}.",
    },
    "coords_ambiguous": {
        "zh": "{file}，{sheet_place}：表中有多套坐标（{found}），请用 coords= 指定使用哪一套。",
        "en": "{file}, {sheet_place}: the table holds several coordinate systems "
        "({found}); say which to use with coords=.",
    },
    "crs_unknown": {
        "zh": "crs={crs!r} 不是可识别的坐标参考系：{reason}。请写 EPSG 编号，如 "
        "crs='EPSG:4545'（CGCS2000 3 度带高斯-克吕格 中央经线 108°E）或 "
        "crs='EPSG:2381'（西安 1980 3 度带 108°E）。",
        "en": "crs={crs!r} is not a coordinate reference system: {reason}. Give an EPSG "
        "code, e.g. crs='EPSG:4545' (CGCS2000 3-degree Gauss-Kruger CM 108E) or "
        "crs='EPSG:2381' (Xian 1980 3-degree Gauss-Kruger CM 108E).",
    },
    "crs_with_coords": {
        "zh": "crs= 与 coords={coords!r} 不能同时使用：coords 只用于经纬度（高德、百度），crs 用"
        "于投影坐标（米）。",
        "en": "crs= and coords={coords!r} cannot be used together: coords is for "
        "Chinese lon/lat systems, crs for projected coordinates in metres.",
    },
    "layer_projected": {
        "zh": "{file}，{sheet_place}：图层是投影坐标系（{crs}）；coords={coords!r} 只用于经纬度。"
        "请去掉 coords=。",
        "en": "{file}, {sheet_place} is in a projected CRS ({crs}); coords={coords!r} only "
        "applies to lon/lat data. Drop the coords argument.",
    },
    "looks_like_metres": {
        "zh": "{where}：坐标 {values} 看起来是以米为单位的投影坐标，不是经纬度。请用 crs= "
        "（命令行 --crs）说明坐标系，如 crs='EPSG:4545'（CGCS2000 3 度带高斯-克吕格 108°E）、"
        "crs='EPSG:4524'（CGCS2000 3 度带第 36 带，带号前缀）、crs='EPSG:2381'（西安 1980 3 度带 "
        "108°E）。",
        "en": "{where}: coordinates {values} look like projected metres, not lon/lat. "
        "Say which system they are in with crs= (--crs), e.g. crs='EPSG:4545' (CGCS2000 "
        "3-degree Gauss-Kruger CM 108E), crs='EPSG:4524' (CGCS2000 3-degree GK zone 36, "
        "with the zone prefix), crs='EPSG:2381' (Xian 1980 3-degree GK CM 108E).",
    },
    "outside_china": {
        "zh": "{where}：位置在中国境外（经度 73-136，纬度 3-54）。请检查坐标，以及 coords=/crs= "
        "是否写对了坐标系。",
        "en": "{where}: outside China (lon 73-136, lat 3-54). Check the coordinates, and "
        "that coords=/crs= name their system.",
    },
    "swapped": {
        "zh": "{where}：经纬度似乎写反了（经度在中国约为 73-136）。请交换经度、纬度两列。",
        "en": "{where}: latitude and longitude look swapped (longitude is about 73-136 in "
        "China). Swap the two columns.",
    },
    "axes_swapped": {
        "zh": "{file}，{sheet_place}：按测绘习惯把 {x} 读作北坐标、{y} 读作东坐标。",
        "en": "{file}, {sheet_place}: read {x} as northing and {y} as easting, as "
        "surveyors write X/Y.",
    },
    "no_geometry": {
        "zh": "{where}：没有位置（坐标为空）。请填写经纬度；没有位置的小区无法规划。",
        "en": "{where}: no location (empty coordinates). Fill them in; a compound "
        "without a location cannot be planned.",
    },
    "bad_wkt": {
        "zh": "{where}：不是有效的 WKT 几何；请写成 POLYGON ((108.94 34.26, ...)) 这样的格式。",
        "en": "{where}: not valid WKT; write geometry as POLYGON ((108.94 34.26, ...)).",
    },
    # values
    "not_number": {
        "zh": "{where}：应为数字，实际是 {values}。请只写数字（不带单位），不详可留空。",
        "en": "{where}: must be a number, found {values}. Write plain numbers (no units), "
        "or leave the cell empty if unknown.",
    },
    "not_whole": {
        "zh": "{where}：应为整数，实际是 {values}。",
        "en": "{where}: must be a whole number, found {values}.",
    },
    "negative": {
        "zh": "{where}：不能为负数，实际是 {values}。请改正，不详可留空。",
        "en": "{where}: must be >= 0, found {values}. Correct it, or leave the cell empty "
        "if unknown.",
    },
    "not_yes_no": {
        "zh": "{where}：应填 是/否（或 有/无），实际是 {values}。不详可留空。",
        "en": "{where}: must be yes/no (是/否, 有/无, yes/no, 1/0), found {values}. Leave "
        "the cell empty if unknown.",
    },
    "bad_management": {
        "zh": "{where}：管理状态应为 专业物业 或 失管，实际是 {values}。可用写法：{accepted}。",
        "en": "{where}: management must be professional or unmanaged, found {values}. "
        "Accepted spellings: {accepted}.",
    },
    "empty_id": {
        "zh": "{where}：小区编号为空。请给每个小区一个编号，或删去编号列，由行号生成编号。",
        "en": "{where}: the compound id is empty. Give every compound an id, or drop the "
        "id column to have ids made from row numbers.",
    },
    "duplicate_id": {
        "zh": "小区编号重复：{detail}。请给每个小区一个唯一编号。",
        "en": "compound ids appear more than once: {detail}. Give each compound its own id.",
    },
    "duplicate_name": {
        "zh": "可能重复的小区（名称相同或相近，相距不到 {distance_m:.0f} 米）：{detail}。"
        "请核对后删去重复的一行，或用 dedupe='keep_first'（命令行 --dedupe keep_first）只保留第一"
        "行。",
        "en": "possible duplicate compounds (same or nearly the same name, less than "
        "{distance_m:.0f} m apart): {detail}. Check them and delete the repeated row, "
        "or pass dedupe='keep_first' (--dedupe keep_first) to keep the first of each.",
    },
    "dropped_duplicates": {
        "zh": "按 dedupe='keep_first' 删去了重复的小区：{detail}。",
        "en": "dropped duplicate compounds as dedupe='keep_first' asks: {detail}.",
    },
    "duplicate_pair": {"zh": "{first} 与 {second}", "en": "{first} and {second}"},
    "ids_made": {
        "zh": "输入中没有小区编号列；已按行序生成编号 {first}、{second}……。请补上编号，以便修改文"
        "件后编号不变。",
        "en": "the input has no compound id column; ids {first}, {second}... were made "
        "from the row order. Add ids to keep them stable across edits of the file.",
    },
    "missing_columns": {
        "zh": "输入中没有 {columns} 列，所有小区的这些字段都记为不详；填好之前无法规划。",
        "en": "the input lacks {columns}; they are left unknown for all rows, and "
        "planning functions will refuse these rows until they are filled.",
    },
    "empty_cells": {
        "zh": "以下单元格还未填写，填好之前无法规划：{detail}。",
        "en": "these cells are still empty, and planning needs them: {detail}.",
    },
    "cannot_plan": {
        "zh": "还不能规划，这些单元格需要填写：{detail}。",
        "en": "cannot be planned yet; these cells need filling: {detail}.",
    },
    "company_contradiction": {
        "zh": "{where}：管理状态写的是有物业，但物业公司写的是 {values}。请核对。",
        "en": "{where}: management says professional but the property company says "
        "{values}. Check which is right.",
    },
    "management_contradiction": {
        "zh": "{where}：两列管理状态互相矛盾（{values}）。请核对。",
        "en": "{where}: the two management columns disagree ({values}). Check which is right.",
    },
    "template_columns": {
        "zh": "compounds 中缺少 {columns} 列，模板无法预填。",
        "en": "compounds lacks {columns}; the template cannot be pre-filled.",
    },
    "locked_table": {
        "zh": "{file}：已签约片区表应有“片区”一列和“小区编号”一列（或每个片区一列小区编号）；找到"
        "的表头：{headers}。",
        "en": "{file}: a locked-bundles table needs a bundle column and a compound id "
        "column (or one column of compound ids per bundle); headers found: {headers}.",
    },
    "locked_unknown_ids": {
        "zh": "{file}：这些小区编号不在小区表中：{ids}。",
        "en": "{file}: these compound ids are not in the compounds: {ids}.",
    },
    "locked_twice": {
        "zh": "{file}：小区 {ids} 同时属于多个片区。",
        "en": "{file}: compounds {ids} are in more than one bundle.",
    },
}


def message(key: str, lang: str = "zh", /, **fields: object) -> str:
    """Return the message ``key`` in ``lang`` with ``fields`` put in.

    The pattern is ours, from :data:`MESSAGES`; the fields are data.

    >>> message("no_file", "en", file="a.csv")
    'cannot read a.csv: no such file. Check the path.'
    >>> message("no_file", "zh", file="a.csv")
    '无法读取 a.csv：文件不存在。请检查路径。'
    """
    check_lang(lang)
    return MESSAGES[key][lang].format(**fields)


#: The command's help and progress words (``lianhu-geo --help`` is Chinese by
#: default; ``--lang en`` anywhere on the line gives English).
CLI_TEXTS: dict[str, dict[str, str]] = {
    "description": {
        "zh": """为住宅小区（院落）规划物业管理。

  lianhu-geo plan --out 结果                     规划内置的莲湖示例数据
  lianhu-geo plan 台账.xlsx --out 结果            规划一个台账（或多个文件、一个文件夹）
  lianhu-geo validate 台账.xlsx                   只检查台账，不做规划
  lianhu-geo template 点位.csv --out 台账模板.xlsx  生成下发各街道、社区填写的台账模板
  lianhu-geo grid --out 结果                     五级邻里格与网格员
  lianhu-geo stations --out 结果                 党群服务站覆盖与新建选址
  lianhu-geo heads --out 结果                    小区院长安排与每月走访日程
  lianhu-geo companies --out 结果                各片区的候选物业企业

输入：Excel（.xlsx）、CSV（UTF-8 或 GBK，逗号或分号分隔）、GeoJSON、GeoPackage、
FileGDB 或 Shapefile，每行一个小区；中英文表头均可（小区名称、街道、社区、户数、
管理状态、经度、纬度……），标题行、合并单元格、多个工作表会自动识别。
不给输入文件时使用内置的莲湖示例数据（合成数据）。

退出码：0 完成；2 命令行写错；3 输入数据有问题（提示会指出文件、工作表、行和列）；
4 输出路径不能用（--out 是文件，或结果文件是文件夹、符号链接）；5 没有写入权限；
6 磁盘已满；7 机器的其他故障；130 被中断；1 意外错误。结果先写入临时文件，
写完才替换，失败时原有文件保持不变。加 --lang en 显示英文。
""",
        "en": """Plan property management for residential compounds (小区/院落).

  lianhu-geo plan --out results                   plan the embedded Lianhu sample
  lianhu-geo plan ledger.xlsx --out results        plan a ledger (or many files, a folder)
  lianhu-geo validate ledger.xlsx                  check a ledger without planning
  lianhu-geo template points.csv --out tmpl.xlsx   the fill-in ledger for the offices
  lianhu-geo grid --out results                    the five-level grid and grid workers
  lianhu-geo stations --out results                service stations: reach and new sites
  lianhu-geo heads --out results                   compound heads and their visit calendar
  lianhu-geo companies --out results               candidate companies for each bundle

Input files: Excel (.xlsx), CSV (UTF-8 or GBK, comma or semicolon), GeoJSON,
GeoPackage, FileGDB or Shapefile, one row per compound; headers in English or
Chinese (小区名称, 街道, 社区, 户数, 管理状态, 经度, 纬度 ...); title rows,
merged cells and several sheets are found by themselves. Without an input
file the embedded synthetic Lianhu sample is used.

Exit codes: 0 done; 2 wrong command line; 3 a problem in the input data (the
message names file, sheet, row and column); 4 an output path that cannot be
used (--out is a file, a result is a folder or a symbolic link); 5 no
permission to write; 6 the disk is full; 7 another failure of the machine;
130 interrupted; 1 an unexpected failure. Results are written to temporary
files and moved into place when complete: a failure leaves the old ones.
""",
    },
    "quiet": {"zh": "只输出结果", "en": "print only the results"},
    "lang": {
        "zh": "提示和地图的语言：zh（默认）或 en",
        "en": "language of messages and map: zh (default) or en",
    },
    "plan": {
        "zh": "组建片区大物业、为每个失管小区确定服务模式，输出地图和表格",
        "en": "bundle, give every unmanaged compound a service mode, write map and tables",
    },
    "plan_description": {
        "zh": "把相邻的失管小区组成片区大物业，其余失管小区给出兜底模式（延伸式/自治式/订单式），"
        "并在 --out 中写出会议地图 map.html、汇报材料.pdf（A3 横版，可打印）、地图图片 map.png、"
        "plan.gpkg、plan.xlsx 和汇总 summary.txt。",
        "en": "Bundle neighbouring unmanaged compounds (片区大物业), give every other unmanaged "
        "compound a fallback mode (延伸式/自治式/订单式), and write the meeting map (map.html), "
        "the printable briefing pack (汇报材料.pdf, A3 landscape; the name stays Chinese, its "
        "text follows --lang), the map as a picture (map.png), a GeoPackage (plan.gpkg), an "
        "Excel workbook (plan.xlsx) and a summary (summary.txt) into --out.",
    },
    "validate": {
        "zh": "检查台账并报告问题，不做规划",
        "en": "check a compounds file and report problems, without planning",
    },
    "validate_description": {
        "zh": "读取台账并报告规划会拒绝的内容：缺少的列、未填的单元格、错误的数值和坐标。不能规划"
        "时退出码为 3。",
        "en": "Read a compounds file and report what planning would refuse: missing columns, "
        "empty cells, bad values and coordinates. Exit code 3 if it cannot be planned.",
    },
    "grid": {
        "zh": "五级邻里格与网格员",
        "en": "the five-level neighbourhood grid (邻里格) and its grid workers",
    },
    "stations": {
        "zh": "党群服务站：哪些小区步行可达，新站建在哪里",
        "en": "service stations (党群服务站): coverage of the compounds and new sites",
    },
    "stations_description": {
        "zh": "给出每个小区 --max-walk-m 米内是否有党群服务站，并选址新建服务站，使每个（失管）"
        "小区都步行可达：station_coverage.xlsx、new_sites.xlsx、stations_map.html、sites_map.html。",
        "en": "Say which compounds have a party-masses service station within --max-walk-m, "
        "and choose new sites so that every compound (or every unmanaged one) has one: "
        "station_coverage.xlsx, new_sites.xlsx, stations_map.html, sites_map.html.",
    },
    "heads": {
        "zh": "小区院长：哪位干部负责哪个小区，每月走访日程",
        "en": "compound heads (小区院长): who heads which compound, monthly visit calendar",
    },
    "heads_description": {
        "zh": "为每个老旧失管小区安排一名院长，每位干部每月走访不超过 --max-visits-per-cadre 次，"
        "路程尽量短：heads.xlsx（院长安排与走访日程）、heads_map.html。",
        "en": "Give every old unmanaged compound one cadre as its head, no cadre over "
        "--max-visits-per-cadre visits a month, travel small: heads.xlsx (roster and "
        "calendar), heads_map.html.",
    },
    "companies": {
        "zh": "引进物业企业：各片区与延伸式小区的候选企业",
        "en": "candidate companies (引进物业企业) for each bundle and extended compound",
    },
    "companies_description": {
        "zh": "先做覆盖规划，再为每个片区和每个延伸式小区列出候选企业及理由：companies.xlsx、"
        "companies_map.html。",
        "en": "Plan the compounds, then rank companies for each bundle and each extended-mode "
        "compound with the reasons: companies.xlsx, companies_map.html.",
    },
    "stations_file": {
        "zh": "服务站文件；默认：示例数据的 504 个服务站",
        "en": "stations file; default: the sample's 504 stations",
    },
    "cadres_file": {
        "zh": "干部文件；默认：示例数据的干部",
        "en": "cadres file; default: the sample's cadres",
    },
    "companies_file": {
        "zh": "企业文件；默认：示例数据的 168 家企业",
        "en": "companies file; default: the sample's 168 companies",
    },
    "decisions_out": {"zh": "结果文件夹", "en": "folder for the results"},
    "detour_factor": {
        "zh": "直线距离乘以此系数（默认 1.0）",
        "en": "straight-line distances times this (default 1.0)",
    },
    "max_walk_m": {"zh": "步行距离上限，米（默认 500）", "en": "walk in metres (default 500)"},
    "budget": {
        "zh": "最多新建几个服务站（默认：全部覆盖）",
        "en": "most new stations (default: cover all)",
    },
    "cover": {
        "zh": "覆盖对象：all 全部小区，unmanaged 失管小区（默认）",
        "en": "targets: all compounds or unmanaged ones (default)",
    },
    "visits_per_month": {
        "zh": "每个小区每月走访次数（默认 4）",
        "en": "visits a month (default 4)",
    },
    "max_visits_per_cadre": {
        "zh": "每位干部每月走访上限（默认 8）",
        "en": "most visits a month per cadre (default 8)",
    },
    "month": {
        "zh": "日程的月份 YYYY-MM（默认：按周）",
        "en": "YYYY-MM for calendar dates (default: weeks)",
    },
    "max_distance_m": {
        "zh": "企业在管小区或办公地点的最远距离，米（默认 3000）",
        "en": "farthest managed compound or office, metres (default 3000)",
    },
    "top": {"zh": "每个对象列出几家候选（默认 5）", "en": "candidates per target (default 5)"},
    "step_sample_table": {
        "zh": "载入示例数据的{kind}（合成数据）",
        "en": "loading the sample's {kind} (synthetic)",
    },
    "step_decide": {"zh": "求解：{what}", "en": "solving: {what}"},
    "step_write_decisions": {
        "zh": "写出工作簿和地图到 {out}",
        "en": "writing workbooks and maps to {out}",
    },
    "decisions_done": {"zh": "结果在 {out}：{files}", "en": "Results in {out}: {files}"},
    "grid_description": {
        "zh": "由规划结果建立 片区 > 小区 > 楼栋 > 单元 > 居民家庭 五级网格，配备网格员，按层级和"
        "街道输出网格数与网格员数。",
        "en": "Build zone > compound > building > unit > household from the plan (zones are "
        "bundles, else communities), staff every grid, and print grids and grid workers per "
        "level and subdistrict.",
    },
    "template": {
        "zh": "生成下发填写的台账模板（可预填点位）",
        "en": "write the fill-in ledger template (pre-filled from points)",
    },
    "template_description": {
        "zh": "写出带下拉框、数字校验、冻结表头和填写说明的台账模板。给出名称和点位列表（爬取、地"
        "理编码或高德导出）时，"
        "每个小区预填一行，待填的单元格标黄。填好后直接用 lianhu-geo validate 读回。",
        "en": "Write the ledger template with drop-downs, number checks, a frozen header and "
        "instructions. Given a list of names and points (a scrape, a geocoder, an Amap export) "
        "it pre-fills one row per compound and shades the cells still to fill. Read the filled "
        "copy back with lianhu-geo validate.",
    },
    "input": {
        "zh": "台账文件（.xlsx .csv .geojson .gpkg .gdb .shp），可给多个文件或一个文件夹",
        "en": "compounds files (.xlsx .csv .geojson .gpkg .gdb .shp); several files or a folder",
    },
    "input_default": {
        "zh": "；不给则用内置的莲湖示例数据",
        "en": "; default: the embedded Lianhu sample",
    },
    "coords": {
        "zh": "经纬度的坐标系：bd09 百度，gcj02 高德/腾讯，wgs84 GPS（默认：按表头判断，否则 wgs8"
        "4）",
        "en": "system of the lon/lat: bd09 Baidu, gcj02 Amap/Tencent, wgs84 GPS (default: "
        "what the headers say, else wgs84)",
    },
    "crs": {
        "zh": "以米为单位的投影坐标的坐标系，如 EPSG:4545（CGCS2000 3 度带 108°E）、EPSG:2381（西"
        "安 1980）",
        "en": "system of projected coordinates in metres, e.g. EPSG:4545 (CGCS2000 3-degree GK "
        "CM 108E), EPSG:2381 (Xian 1980)",
    },
    "column": {
        "zh": "说明读不懂的表头，如 --column 居住户数=households（可重复）",
        "en": "map a header the reader does not know, e.g. --column 居住户数=households (repeatab"
        "le)",
    },
    "sheet": {
        "zh": "要读的工作表名称（可重复；默认：所有列相同的表格工作表）",
        "en": "sheet to read (repeatable; default: every sheet holding the same table)",
    },
    "header_row": {
        "zh": "表头所在行（Excel 行号；默认自动查找）",
        "en": "row of the header as Excel numbers it (default: found)",
    },
    "layer": {"zh": "GeoPackage/FileGDB 中要读的图层", "en": "layer of a GeoPackage or FileGDB"},
    "dedupe": {
        "zh": "名称相同且相距很近的小区：warn 提示（默认）、error 报错、keep_first 只保留第一行",
        "en": "compounds of the same name close together: warn (default), error, keep_first",
    },
    "out": {"zh": "结果文件夹", "en": "folder for the results"},
    "template_out": {"zh": "要写出的模板文件（.xlsx）", "en": "the template file to write (.xlsx)"},
    "by": {"zh": "每个街道或社区一张工作表", "en": "one sheet per subdistrict or community"},
    "min_households": {
        "zh": "片区可行所需的户数（默认：由成本模型计算）",
        "en": "households a bundle needs to be viable (default: from the cost model)",
    },
    "max_compounds": {
        "zh": "一个片区最多的院落数，或 none（默认 40）",
        "en": "most courtyards in one bundle, or 'none' (default: 40)",
    },
    "max_gap_m": {
        "zh": "占地相距不超过此距离（米）的院落视为相邻；小区只有点位时不适用（会报错）",
        "en": "courtyards whose footprints are this close (metres) count as neighbours; "
        "refused when the compounds are points",
    },
    "max_link_m": {
        "zh": "只有点位（经度/纬度）的小区：相距不超过此距离（米）才可相邻，即三角网连线的最大长度"
        "（默认 250）；所有小区都有占地时不适用（会报错）",
        "en": "compounds given as points (lon/lat) this far apart (metres) can be neighbours: "
        "the longest link of their triangulation (default: 250); refused when every "
        "compound has a footprint",
    },
    "max_span_m": {"zh": "片区最大跨度（米）", "en": "widest a bundle may be, in metres"},
    "no_bundles": {"zh": "不组建片区，只给兜底模式", "en": "only the fallback modes"},
    "locked": {
        "zh": "已签约片区表：片区名称 → 小区编号（或每个片区一列）",
        "en": "table of bundles already contracted: bundle name -> compound ids (or one column pe"
        "r bundle)",
    },
    "exclude": {
        "zh": "不参与组建片区的小区：编号文件，或 C1,C2 这样的编号列表",
        "en": "compounds left out of bundling: a file of ids, or ids like C1,C2",
    },
    "barriers": {
        "zh": "阻隔图层（主干道、铁路、河流），片区不跨越",
        "en": "barrier layer (arterial roads, railways, rivers) that bundles do not cross",
    },
    "boundary": {
        "zh": "画在地图上的边界图层（如区界）；小区只有点位时，估算占地也不超出此边界",
        "en": "boundary layer drawn on the map (e.g. the district outline); for compounds "
        "given as points, their estimated areas also stay inside it",
    },
    "basemap": {
        "zh": "地图底图：none 离线可用（默认），amap 与国内地图一致，tianditu 需要 --tianditu-key",
        "en": "map background; 'none' works offline (default), amap lines up with Chinese maps, "
        "tianditu needs --tianditu-key",
    },
    "tianditu_key": {
        "zh": "天地图密钥，用于 --basemap tianditu",
        "en": "your Tianditu key, for --basemap tianditu",
    },
    "date": {
        "zh": "印在地图和文件上的日期，YYYY-MM-DD（默认不印）",
        "en": "date printed on the map and files, YYYY-MM-DD (default: none)",
    },
    "seed": {"zh": "平局时的随机种子（默认 0）", "en": "seed for tie-breaking (default 0)"},
    "workers": {
        "zh": "并行组建片区的进程数（默认：两万个小区起每个 CPU 核一个；结果相同）",
        "en": "processes that plan subdistricts in parallel (default: one per core from "
        "20,000 compounds; the same plan whatever the number)",
    },
    "levels": {
        "zh": "配备网格员的网格层级（默认 compound building）",
        "en": "grid levels that get a grid worker (default: compound building)",
    },
    "max_households_per_worker": {
        "zh": "一名网格员最多服务的户数（默认：库的设定）",
        "en": "workload cap of one grid worker (default: the library's)",
    },
    "grid_out": {
        "zh": "写出 grid_report.csv 和 grid.json 的文件夹",
        "en": "folder for grid_report.csv and grid.json",
    },
    # progress and results
    "step_sample": {
        "zh": "读取内置的莲湖示例数据（合成）",
        "en": "loading the embedded Lianhu sample (synthetic)",
    },
    "step_read": {"zh": "读取 {files}", "en": "reading {files}"},
    "progress_read": {
        "zh": "已读 {done:,} / {total:,} 行",
        "en": "{done:,} of {total:,} rows read",
    },
    "progress_check": {"zh": "检查 {done} / {total}", "en": "checks {done} of {total} done"},
    "step_plan": {"zh": "组建片区、确定服务模式", "en": "planning bundles and service modes"},
    "step_files": {
        "zh": "在 {out} 写出 plan.gpkg 和 plan.xlsx",
        "en": "writing plan.gpkg and plan.xlsx to {out}",
    },
    "step_map": {"zh": "写出会议地图 map.html", "en": "writing the meeting map map.html"},
    "step_parts": {
        "zh": "方案较大（{count:,} 个小区）：在 {out} 分街道写出台账和地图、总览地图 map.html",
        "en": "a large plan ({count:,} compounds): writing workbooks and maps by subdistrict "
        "and the overview map.html to {out}",
    },
    "progress_parts": {
        "zh": "已写 {done:,} / {total:,} 个街道",
        "en": "{done:,} of {total:,} subdistricts written",
    },
    "no_briefing": {
        "zh": "方案超过 {limit:,} 个小区，未写汇报材料和 map.png；"
        "请按街道或区分别运行 plan 生成汇报材料。",
        "en": "the plan has more than {limit:,} compounds, so no briefing pack or map.png was "
        "written; run plan on one district or subdistrict at a time for those.",
    },
    "step_briefing": {
        "zh": "写出汇报材料 汇报材料.pdf 和地图图片 map.png",
        "en": "writing the briefing pack 汇报材料.pdf and the map picture map.png",
    },
    "step_zones": {"zh": "组建片区（网格的片区层）", "en": "planning bundles (zones of the grid)"},
    "step_grid": {"zh": "建立五级网格", "en": "building the five-level grid"},
    "step_workers": {"zh": "配备网格员", "en": "assigning grid workers"},
    "step_template": {"zh": "写出台账模板 {out}", "en": "writing the ledger template {out}"},
    "results": {"zh": "结果在 {out}：{files}", "en": "Results in {out}: {files}"},
    "read_count": {
        "zh": "从 {files} 读入 {count} 个小区",
        "en": "{count} compounds read from {files}",
    },
    "unknown_count": {
        "zh": "  {column}：{count} 个小区未填",
        "en": "  {column}: unknown for {count} compounds",
    },
    "validate_ok": {"zh": "通过：每个小区都可以规划。", "en": "OK: every compound can be planned."},
    "template_done": {
        "zh": "模板已写出：{out}（{count} 行预填）",
        "en": "template written: {out} ({count} rows pre-filled)",
    },
    "warning": {"zh": "  警告：{text}", "en": "  warning: {text}"},
    "error": {"zh": "错误：{text}", "en": "error: {text}"},
    "usage_error": {
        "zh": "{prog}: 错误：{text}（用法见 {prog} --help）",
        "en": "{prog}: error: {text} (see {prog} --help)",
    },
    "positive_or_none": {
        "zh": "须为正整数或 none",
        "en": "must be a positive number or 'none'",
    },
    "out_is_file": {
        "zh": "--out {out} 是一个文件，不是文件夹；请给一个存放结果的文件夹。",
        "en": "--out {out} is a file, not a folder; give a folder for the results.",
    },
    "cannot_write": {
        "zh": "无法写入{where}：{reason}；{advice}。原有文件保持不变。",
        "en": "cannot write{where}: {reason}; {advice}. The file there before is unchanged.",
    },
    "os_full": {
        "zh": "磁盘已满，请腾出空间或换个位置",
        "en": "the disk is full; free some space or write elsewhere",
    },
    "os_quota": {
        "zh": "磁盘配额已用完，请腾出空间",
        "en": "the disk quota is used up; free some space",
    },
    "os_denied": {
        "zh": "没有写入权限，请换一个 --out",
        "en": "no permission to write there; choose another --out",
    },
    "os_readonly": {
        "zh": "磁盘是只读的，请换一个 --out",
        "en": "the disk is read-only; choose another --out",
    },
    "os_notdir": {
        "zh": "路径中有一部分是文件而不是文件夹",
        "en": "a part of the path is a file, not a folder",
    },
    "os_exists": {"zh": "有文件挡住了要建的文件夹", "en": "a file is in the way of a folder"},
    "os_isdir": {"zh": "有文件夹挡住了要写的文件", "en": "a folder is in the way of a file"},
    "os_other": {"zh": "请检查磁盘和文件夹", "en": "check the disk and the folder"},
    "interrupted": {
        "zh": "已中断；输出文件夹中的每个文件都是完整的（尚未写出的文件保持原样）。",
        "en": "interrupted; every file in the output folder is whole (the ones not yet "
        "written hold what they held before).",
    },
    "bad_column_option": {
        "zh": "--column {pair!r} 应写成 '表头=列名'。",
        "en": "--column {pair!r} must look like 'their header=column'.",
    },
    "bad_positive": {"zh": "应为正整数或 none", "en": "must be a positive number or 'none'"},
}


def cli_text(key: str, lang: str = "zh", /, **fields: object) -> str:
    """Return the command's text ``key`` in ``lang``, with ``fields`` put in."""
    check_lang(lang)
    text = CLI_TEXTS[key][lang]
    return text.format(**fields) if fields else text
