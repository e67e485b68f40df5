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

__all__ = ["LANGS", "LABELS", "MESSAGES", "label", "labels", "message", "check_lang"]

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
    "address": {"zh": "地址", "en": "address"},
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
    # places
    "place_sheet": {"zh": "工作表 {sheet}", "en": "sheet {sheet}"},
    "place_layer": {"zh": "图层 {sheet}", "en": "layer {sheet}"},
    "place_row": {"zh": "第 {rows} 行", "en": "row {rows}"},
    "place_rows": {"zh": "第 {rows} 行", "en": "rows {rows}"},
    "place_feature": {"zh": "第 {rows} 个要素", "en": "feature {rows}"},
    "place_features": {"zh": "第 {rows} 个要素", "en": "features {rows}"},
    "place_column": {"zh": "列 {column}", "en": "column {column}"},
    "place_more": {"zh": "等共 {count} 处", "en": "and {count} more"},
    "list_sep": {"zh": "、", "en": ", "},
    "place_sep": {"zh": "；", "en": "; "},
    # files
    "no_file": {
        "zh": "无法读取 {file}：文件不存在。请检查路径。",
        "en": "cannot read {file}: no such file. Check the path.",
    },
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
        "zh": "无法读取 {file}：既不是 UTF-8 也不是 GBK/GB18030 文本。请在 Excel 中另存为“CSV UTF-8”。",
        "en": "cannot read {file}: not UTF-8 or GBK/GB18030 text. Save it from Excel as "
        "'CSV UTF-8'.",
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
        "zh": "{file} 有多个表格，列不相同：{detail}。请用 sheet=（命令行 --sheet）指定要读的工作表。",
        "en": "{file} holds several tables with different columns: {detail}. Say which "
        "sheet to read with sheet= (--sheet).",
    },
    "layers_differ": {
        "zh": "{file} 有多个图层，字段不相同：{detail}。请用 layer=（命令行 --layer）指定要读的图层。",
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
        "zh": "coords={coords!r} 不是已知坐标系；可用 {known}（百度地图 bd09，高德/腾讯 gcj02，GPS wgs84）。",
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
        "zh": "crs= 与 coords={coords!r} 不能同时使用：coords 只用于经纬度（高德、百度），crs 用于投影坐标（米）。",
        "en": "crs= and coords={coords!r} cannot be used together: coords is for "
        "Chinese lon/lat systems, crs for projected coordinates in metres.",
    },
    "layer_projected": {
        "zh": "{file}，{sheet_place}：图层是投影坐标系（{crs}）；coords={coords!r} 只用于经纬度。请去掉 coords=。",
        "en": "{file}, {sheet_place} is in a projected CRS ({crs}); coords={coords!r} only "
        "applies to lon/lat data. Drop the coords argument.",
    },
    "looks_like_metres": {
        "zh": "{where}：坐标 {values} 看起来是以米为单位的投影坐标，不是经纬度。请用 crs= "
        "（命令行 --crs）说明坐标系，如 crs='EPSG:4545'（CGCS2000 3 度带高斯-克吕格 108°E）、"
        "crs='EPSG:4524'（CGCS2000 3 度带第 36 带，带号前缀）、crs='EPSG:2381'（西安 1980 3 度带 108°E）。",
        "en": "{where}: coordinates {values} look like projected metres, not lon/lat. "
        "Say which system they are in with crs= (--crs), e.g. crs='EPSG:4545' (CGCS2000 "
        "3-degree Gauss-Kruger CM 108E), crs='EPSG:4524' (CGCS2000 3-degree GK zone 36, "
        "with the zone prefix), crs='EPSG:2381' (Xian 1980 3-degree GK CM 108E).",
    },
    "outside_china": {
        "zh": "{where}：位置在中国境外（经度 73-136，纬度 3-54）。请检查坐标，以及 coords=/crs= 是否写对了坐标系。",
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
        "请核对后删去重复的一行，或用 dedupe='keep_first'（命令行 --dedupe keep_first）只保留第一行。",
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
        "zh": "输入中没有小区编号列；已按行序生成编号 {first}、{second}……。请补上编号，以便修改文件后编号不变。",
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
        "zh": "{file}：已签约片区表应有“片区”一列和“小区编号”一列（或每个片区一列小区编号）；找到的表头：{headers}。",
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
