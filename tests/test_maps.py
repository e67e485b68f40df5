import json
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from lianhu_geo import InputError, load_sample, wgs84_to_gcj02
from lianhu_geo.coverage import CoveragePlan, plan_coverage
from lianhu_geo.errors import OutputError
from lianhu_geo.grid import build_grid
from lianhu_geo.maps import MapSizeWarning, compare_map, export_html, plan_map, side_by_side_map
from lianhu_geo.maps._info import option_rows
from lianhu_geo.maps._layers import derived_areas, display_frame, geojson_geometries
from lianhu_geo.maps._offline import inline_assets, unescape_unicode
from lianhu_geo.maps._style import MODE_LABELS, MODES, bundle_colors

EXTERNAL = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)=[\"']?(?:https?:)?//", re.I)


def _compounds() -> gpd.GeoDataFrame:
    """A 4x3 block of 80 m compounds in two subdistricts, EPSG:32649, shuffled rows."""
    x0, y0 = 306_700, 3_792_000
    rows = []
    for i in range(4):
        for j in range(3):
            k = len(rows)
            rows.append(
                {
                    "compound_id": f"C{k:02d}",
                    "name": f"测试{k}号院",
                    "subdistrict": "青年路街道" if i < 2 else "北院门街道",
                    "community": f"社区{i}",
                    "households": 60 + 10 * k,
                    "buildings": 2,
                    "units": 4,
                    "management": "professional" if k % 4 == 0 else "unmanaged",
                    "willing_to_pay": k % 3 == 0,
                    "owners_committee": k % 2 == 0,
                    "geometry": box(
                        x0 + i * 100, y0 + j * 100, x0 + i * 100 + 80, y0 + j * 100 + 80
                    ),
                }
            )
    frame = gpd.GeoDataFrame(rows, crs=32649)
    return frame.sample(frac=1.0, random_state=np.random.RandomState(3)).set_index(
        pd.Index([f"r{n}" for n in range(len(rows))])
    )


@pytest.fixture(scope="module")
def plan():
    return plan_coverage(_compounds(), bundle=False, created="2026-11-28")


@pytest.fixture(scope="module")
def bundled_plan(plan):
    """The plan with two hand-made bundles, as plan_coverage would deliver them."""
    c = plan.compounds.copy()
    members = {"B01": ["C01", "C02"], "B02": ["C05", "C06"]}
    for bid, ids in members.items():
        rows = c["compound_id"].isin(ids)
        c.loc[rows, "bundle_id"] = bid
        c.loc[rows, "service_mode"] = "bundle"
        c.loc[rows, "mode_reason"] = "与相邻小区组成片区"
    b = c[c["bundle_id"].notna()].dissolve(by="bundle_id", aggfunc={"subdistrict": "first"})
    b["compounds"] = 2
    b["households"] = c.groupby("bundle_id")["households"].sum()
    b["span_m"] = 180.0
    b["margin_yuan_month"] = 1500.0
    b["compound_ids"] = [",".join(members[i]) for i in b.index]
    return CoveragePlan(c, b, options=plan.options, fingerprint=plan.fingerprint, version="t")


def _geojson_layers(m):
    def walk(e):
        yield e
        for child in e._children.values():
            yield from walk(child)

    return [e for e in walk(m) if isinstance(e, folium.GeoJson)]


def _feature_names(m):
    return sorted(
        f["properties"]["name"]
        for layer in _geojson_layers(m)
        for f in layer.data["features"]
        if "cid" in f["properties"]
    )


def test_offline_file_links_nothing_outside(tmp_path, plan):
    out = export_html(plan, tmp_path / "plan.html")
    text = out.read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert "<script src=" not in text
    assert "cdn.jsdelivr.net" not in text and "code.jquery.com" not in text
    assert "L.Control.Search" in text  # plugins inlined
    assert "bootstrap" not in text.lower()


def test_online_file_links_cdn(tmp_path, plan):
    text = export_html(plan, tmp_path / "plan.html", offline=False).read_text(encoding="utf-8")
    assert EXTERNAL.search(text)


def test_inline_assets_refuses_unknown_links():
    with pytest.raises(ValueError, match="does not ship"):
        inline_assets('<script src="https://example.org/x.js"></script>')


def _unescape_one_by_one(text):
    """The rule of unescape_unicode, escape by escape (as it was first written)."""

    def repl(match):
        code = int(match.group(2), 16)
        if code < 0x80 or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029):
            return match.group(0)
        return match.group(1) + chr(code)

    return re.sub(r"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})", repl, text)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["\\", "u", "\\u", "5c0f", "003c", "d83d", "DE00", "2028", "2029", "0080", "007f",
             "\\u5c0f", "\\u00e9", "\\uD83D\\uDE00", "\\u202a", '"', "x", "\\u20", "\\uFFFF"]
        ),
        max_size=14,
    ).map("".join)
)  # fmt: skip
def test_unescape_unicode_decodes_runs_as_escape_by_escape(text):
    assert unescape_unicode(text) == _unescape_one_by_one(text)


def test_exports_are_byte_identical(tmp_path, bundled_plan):
    a = export_html(bundled_plan, tmp_path / "a.html", lang="en").read_bytes()
    b = export_html(bundled_plan, tmp_path / "b.html", lang="en").read_bytes()
    assert a == b
    assert not re.search(rb"_[0-9a-f]{32}\b", a)  # no random folium ids left


def test_row_order_does_not_change_the_file(tmp_path, plan):
    shuffled = _compounds().iloc[::-1]
    other = plan_coverage(shuffled, bundle=False, created="2026-11-28")
    a = export_html(plan, tmp_path / "a.html").read_bytes()
    b = export_html(other, tmp_path / "b.html").read_bytes()
    assert a == b


def test_every_compound_drawn_once_and_plan_untouched(plan):
    before = plan.compounds.copy()
    m = plan_map(plan)
    assert _feature_names(m) == sorted(plan.compounds["name"])
    pd.testing.assert_frame_equal(plan.compounds, before)


def test_popup_and_legend_in_chinese(tmp_path, bundled_plan):
    text = export_html(bundled_plan, tmp_path / "p.html").read_text(encoding="utf-8")
    for label in MODE_LABELS["zh"].values():
        assert label in _unescape(text)
    m = plan_map(bundled_plan)
    props = [f["properties"] for layer in _geojson_layers(m) for f in layer.data["features"]]
    bundled = [p for p in props if p.get("mode") == "bundle"]
    assert bundled and all(p["bundle"].startswith("B0") and "户" in p["bundle"] for p in bundled)
    assert all(p["reason"] for p in props if "cid" in p)


def test_date_from_argument_or_plan_in_china_and_in_chinese(tmp_path, plan):
    def shown(path):
        return re.sub(r"<[^>]+>", "", _unescape(path.read_text(encoding="utf-8")))

    assert "日期：2026年11月28日 " in shown(export_html(plan, tmp_path / "p.html"))
    assert "日期：2027年1月5日 " in shown(export_html(plan, tmp_path / "q.html", date="2027-01-05"))
    # 20:00 UTC on 5 January is already 6 January in Xi'an
    late = export_html(plan, tmp_path / "r.html", date="2027-01-05T20:00:00+00:00")
    assert "日期：2027年1月6日 " in shown(late)
    assert '<time datetime=\\"2027-01-06\\">' in _unescape(late.read_text(encoding="utf-8"))
    english = export_html(plan, tmp_path / "e.html", date="2027-01-05", lang="en")
    assert "date：2027-01-05 " in shown(english)


def test_page_title_short_fingerprint_and_chinese_parameters(tmp_path, plan):
    text = _unescape(export_html(plan, tmp_path / "p.html").read_text(encoding="utf-8"))
    assert "<title>物业服务覆盖方案</title>" in text
    start = text.index('lianhu-info");')
    box = json.JSONDecoder().raw_decode(text, text.index('div.innerHTML = "', start) + 16)[0]
    assert f">{plan.fingerprint[:12]}</code>" in box and f">{plan.fingerprint}<" not in box
    assert "<th>信息不全时的模式</th><td>订单式</td>" in box and "missing_mode" not in box
    rows = dict(option_rows({"max_compounds": 40.0, "within": "subdistrict", "x": [1] * 20}, "zh"))
    assert rows == {
        "每片区最多院落": "40",
        "组片范围": "街道",
        "x": "、".join("1" * 12) + " 等 20 项",
    }
    titled = export_html(plan, tmp_path / "t.html", title="<b>会议</b> & {{ 1 }}")
    assert "<title>&lt;b&gt;会议&lt;/b&gt; &amp; {{ 1 }}</title>" in titled.read_text("utf-8")


def _info_box(path):
    text = _unescape(path.read_text(encoding="utf-8"))
    start = text.index('lianhu-info");')
    return json.JSONDecoder().raw_decode(text, text.index('div.innerHTML = "', start) + 16)[0]


def test_info_box_tells_provider_from_community_not_covered(tmp_path, bundled_plan):
    box = _info_box(export_html(bundled_plan, tmp_path / "f.html"))
    total = bundled_plan.summary().loc["total"]
    provider, community = int(total["provider_delivered"]), int(total["community_carried"])
    assert 0 < provider < int(total["unmanaged"]) and community > 0
    assert f"<th>失管小区</th><td>{int(total['unmanaged'])}</td>" in box
    assert f"<th>拟由企业服务</th><td>{provider} ({total['provider_rate']:.1%})</td>" in box
    assert f"<th>拟由社区兜底</th><td>{community} ({total['community_rate']:.1%})</td>" in box
    assert "已覆盖" not in box and "100%" not in box


def test_amap_shifts_data_to_gcj02(plan):
    def first_vertex(m):
        for layer in _geojson_layers(m):
            for f in layer.data["features"]:
                if f["properties"].get("cid") == "C03":
                    return np.array(f["geometry"]["coordinates"][0][0])
        raise AssertionError("compound C03 not drawn")

    wgs = first_vertex(plan_map(plan, basemap="osm"))
    gcj = first_vertex(plan_map(plan, basemap="amap"))
    expected = np.array(wgs84_to_gcj02(*wgs)).ravel()
    assert np.allclose(gcj, expected, atol=2e-6)
    shift_m = np.hypot((gcj - wgs)[0] * 92_000, (gcj - wgs)[1] * 111_000)
    assert 300 < shift_m < 800


def test_tianditu_needs_a_key(plan):
    with pytest.raises(InputError, match="tianditu_key"):
        plan_map(plan, basemap="tianditu")
    m = plan_map(plan, basemap="tianditu", tianditu_key="abc123")
    html = m.get_root().render()
    assert "tianditu.gov.cn" in html and "tk=abc123" in html


def test_unknown_options_raise(plan):
    with pytest.raises(InputError, match="basemap"):
        plan_map(plan, basemap="google")
    with pytest.raises(InputError, match="lang"):
        plan_map(plan, lang="fr")


def test_coordinates_rounded_and_simplified():
    circle = gpd.GeoSeries([box(306_700, 3_792_000, 306_780, 3_792_080).buffer(30)], crs=32649)
    raw = display_frame(circle, simplify_m=0)
    coarse = display_frame(circle, simplify_m=5)
    assert len(coarse[0].exterior.coords) < len(raw[0].exterior.coords)
    xy = np.array(coarse[0].exterior.coords)
    assert np.allclose(xy, np.round(xy, 6), atol=0, rtol=0)
    # within tolerance: the simplified ring stays within 5 m (+ rounding) of the original
    back = gpd.GeoSeries(coarse, crs=4326).to_crs(32649)
    assert back[0].hausdorff_distance(circle[0]) < 5.5


def test_neighboring_bundles_get_different_colors():
    squares = [
        box(x * 100, y * 100, x * 100 + 100, y * 100 + 100) for x in range(3) for y in range(3)
    ]
    bundles = gpd.GeoSeries(squares, index=[f"B{i}" for i in range(9)], crs=32649)
    colors = bundle_colors(bundles, gap_m=1)
    touching = bundles.sindex.query(bundles.values, predicate="intersects")
    for a, b in zip(*touching, strict=True):
        if a != b:
            assert colors[f"B{a}"] != colors[f"B{b}"]
    assert bundle_colors(bundles.iloc[::-1], gap_m=1) == colors  # row order does not matter


def test_derived_areas_tile_without_overlap():
    areas = derived_areas(_compounds(), "subdistrict")
    assert sorted(areas["name"]) == ["北院门街道", "青年路街道"]
    assert areas.geometry.iloc[0].intersection(areas.geometry.iloc[1]).area < 1e-6


def test_derived_areas_are_the_union_of_their_compounds_cells():
    # a coverage union of the Voronoi cells: the same shapes as a plain union would give
    sample = load_sample()
    for level in ("subdistrict", "community"):
        areas = derived_areas(sample, level)
        metric = sample.to_crs(areas.crs)
        points = metric.geometry.representative_point()
        hull = shapely.concave_hull(shapely.MultiPoint(points.to_numpy()), ratio=0.3)
        cells = shapely.voronoi_polygons(shapely.MultiPoint(points.to_numpy()), extend_to=hull)
        cells = gpd.GeoSeries(list(cells.geoms), crs=areas.crs)
        for name, area in zip(areas["name"], areas.geometry, strict=True):
            mine = points[metric[level].astype(str) == name]
            owned = cells[cells.intersects(shapely.union_all(mine.to_numpy()))]
            expected = shapely.union_all(owned.to_numpy()).intersection(hull.buffer(150.0))
            assert area.symmetric_difference(expected).area < 1e-3 * expected.area, name


def test_derived_areas_of_compounds_at_the_same_place():
    # stacked points (one address for several compounds) share one Voronoi cell
    points = gpd.GeoDataFrame(
        {"s": ["a", "a", "a", "b", "b"]},
        geometry=gpd.points_from_xy([0, 0, 60, 200, 200], [0, 0, 10, 0, 0]),
        crs=32649,
    )
    areas = derived_areas(points, "s")
    assert areas["name"].tolist() == ["a", "b"] and areas.is_valid.all()
    assert areas.geometry.iloc[0].contains(points.geometry.iloc[2])
    assert areas.geometry.iloc[0].intersection(areas.geometry.iloc[1]).area < 1e-6


def test_derived_areas_share_cells_only_between_the_same_rows():
    sample = load_sample().iloc[:300].copy()
    sample.loc[sample.index[:20], "community"] = None  # these rows have no community area
    shared = {}
    for level in ("subdistrict", "community", "subdistrict"):
        alone, with_shared = (
            derived_areas(sample, level),
            derived_areas(sample, level, shared=shared),
        )
        assert alone["name"].tolist() == with_shared["name"].tolist()
        assert alone.geometry.geom_equals_exact(with_shared.geometry, 1e-9).all(), level
    assert len(shared) == 2  # the rows of each level: cells made twice, used three times


def test_geojson_geometries_are_what_shapely_maps():
    from shapely.geometry import LineString, MultiPolygon, Point, Polygon

    holed = box(0, 0, 2, 2).difference(box(0.5, 0.5, 1, 1))
    odd = [
        Point(),
        Polygon(),
        MultiPolygon(),
        Point(1, 2, 3),
        LineString([(0, 0), (1, 1)]),
        holed,
        MultiPolygon([box(5, 5, 6, 6), holed]),
        Point(0.1, 0.2),
        box(1, 1, 2, 2),
    ]
    sample = load_sample().to_crs(4326).geometry.to_numpy()
    for values in (np.array(odd, dtype=object), sample, sample[::-1], sample[:0]):
        expected = [shapely.geometry.mapping(g) for g in values]
        made = geojson_geometries(values)
        assert json.dumps(made, sort_keys=True) == json.dumps(expected, sort_keys=True)


def test_compare_map_shows_changed_compounds(plan, bundled_plan):
    m = compare_map(plan, bundled_plan, date="2026-11-28")
    changed = [
        f["properties"]["cid"]
        for layer in _geojson_layers(m)
        if layer.data["features"] and "after" in layer.data["features"][0]["properties"]
        for f in layer.data["features"]
        if f["properties"]["before"] != f["properties"]["after"]
    ]
    assert sorted(changed) == ["C01", "C02", "C05", "C06"]
    assert _feature_names(m) == sorted(plan.compounds["name"])


def test_compare_map_needs_same_compounds(plan):
    other = plan_coverage(_compounds().iloc[:-1], bundle=False)
    with pytest.raises(InputError, match="same compounds"):
        compare_map(plan, other)


def test_grid_drill_down_layer(tmp_path, plan):
    grid = build_grid(plan, stop_at="unit")
    text = export_html(plan, tmp_path / "g.html", grid=grid).read_text(encoding="utf-8")
    assert "lianhuGridPopup" in text and "号楼" in text


def test_size_warning_says_what_to_do(tmp_path, plan):
    with pytest.warns(MapSizeWarning, match="simplify_m"):
        export_html(plan, tmp_path / "big.html", max_size_mb=0.01)


def test_sample_map_is_small_and_offline(tmp_path):
    plan = plan_coverage(load_sample(), created="2026-11-28")
    out = export_html(plan, tmp_path / "sample.html")
    assert out.stat().st_size < 3_000_000
    text = out.read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert all(MODE_LABELS["zh"][mode] in _unescape(text) for mode in MODES)


def _unescape(text: str) -> str:
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), text)


def _changed(m):
    return sorted(
        f["properties"]["cid"]
        for layer in _geojson_layers(m)
        for f in layer.data["features"]
        if "after" in f["properties"] and f["properties"]["before"] != f["properties"]["after"]
    )


def test_compare_map_matches_renumbered_bundles(plan, bundled_plan):
    c = bundled_plan.compounds.copy()
    swap = {"B01": "B02", "B02": "B01"}
    c["bundle_id"] = c["bundle_id"].replace(swap)
    renumbered = CoveragePlan(
        c,
        bundled_plan.bundles.rename(index=swap).sort_index(),
        options=bundled_plan.options,
        fingerprint=bundled_plan.fingerprint,
        version="t",
    )
    assert _changed(compare_map(bundled_plan, renumbered)) == []
    assert _changed(compare_map(plan, renumbered)) == ["C01", "C02", "C05", "C06"]


def test_save_writes_the_offline_page_atomically(tmp_path, bundled_plan):
    m = plan_map(bundled_plan)
    m.save(tmp_path / "saved.html")
    export_html(m, tmp_path / "exported.html")
    saved = (tmp_path / "saved.html").read_bytes()
    assert saved == (tmp_path / "exported.html").read_bytes()
    assert not EXTERNAL.search(saved.decode("utf-8"))
    with open(tmp_path / "object.html", "w", encoding="utf-8") as out:
        m.save(out, close_file=False)
    assert (tmp_path / "object.html").read_bytes() == saved
    (tmp_path / "link.html").symlink_to(tmp_path / "saved.html")
    with pytest.raises(OutputError, match="symbolic link"):
        m.save(tmp_path / "link.html")
    assert (tmp_path / "saved.html").read_bytes() == saved


def test_side_by_side_page_holds_two_maps_and_saves_offline(tmp_path, plan, bundled_plan):
    page = side_by_side_map(plan, bundled_plan, labels=("现状", "</title><b>x"))
    page.save(tmp_path / "pair.html")
    text = (tmp_path / "pair.html").read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert "<title>现状 | &lt;/title&gt;&lt;b&gt;x</title>" in text
    assert text.count('class="folium-map"') == 2
    assert text.count('"lianhu-box lianhu-legend"') == 1  # one legend, on the right map
    assert page.left.get_name() != page.right.get_name()
    export_html(page, tmp_path / "again.html")
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == text


def test_decision_maps_save_offline_with_text_as_written(tmp_path):
    from lianhu_geo import load_sample_stations, station_coverage
    from lianhu_geo.maps._decisions import decision_map

    sample = load_sample()
    sub = sample[sample["subdistrict"] == "北院门街道"].copy()
    sub.loc[sub.index[0], "name"] = "{{ 7*7 }}"
    stations = load_sample_stations()
    stations = stations[stations["compound_id"].isin(sub["compound_id"])]
    m = decision_map(station_coverage(sub, stations))
    m.save(tmp_path / "stations.html")
    text = (tmp_path / "stations.html").read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert "{{ 7*7 }}" in text
