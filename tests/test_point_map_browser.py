"""A map of point-only compounds in headless Chromium: symbols, outline, bundle areas."""

import warnings

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.ops
from point_fixtures import stacked_points
from test_maps_browser import ARGS, CHROMIUM, CLOSE_POPUPS

import lianhu_geo as lg
from lianhu_geo.maps import export_html
from lianhu_geo.maps._style import BUNDLE_PALETTE, MODE_COLORS, MODES

pytestmark = pytest.mark.browser

MARKERS = """() => {
    const out = [];
    for (const layer of Object.values(lianhuMap.compounds)) {
        layer.eachLayer(l => out.push({mode: l.feature.properties.mode, fill: l.options.fill,
            color: l.options.fillColor, radius: l.options.radius,
            opacity: l.options.fillOpacity}));
    }
    return out;
}"""
LEGEND = """() => Array.from(document.querySelectorAll('.lianhu-legend [data-mode] i')).map(i => {
    const s = getComputedStyle(i);
    return {mode: i.parentElement.dataset.mode, color: s.backgroundColor, round: s.borderRadius};
})"""


def _rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _click_targets(plan) -> dict[str, list[float]]:
    """A spot inside each bundle area, away from every compound's marker: [lat, lon]."""
    bundles = plan.bundles.to_crs(32649)
    points = plan.compounds.to_crs(32649).geometry.to_numpy()
    markers = shapely.union_all(shapely.buffer(points, 25.0))
    out = {}
    for bid, area in zip(bundles.index, bundles.geometry, strict=True):
        free = area.difference(markers)
        parts = shapely.get_parts(free)
        big = parts[np.argmax(shapely.area(parts))]
        spot = shapely.ops.polylabel(big, tolerance=0.5)
        lon, lat = shapely.get_coordinates(gpd.GeoSeries([spot], crs=32649).to_crs(4326))[0]
        out[str(bid)] = [float(lat), float(lon)]
    return out


@pytest.fixture(scope="module")
def point_page(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    tmp = tmp_path_factory.mktemp("point_map")
    points = stacked_points(n=50, seed=11).assign(willing_to_pay=True, owners_committee=False)
    plan = lg.plan_coverage(points, min_households=450, created="2026-11-28")
    path = export_html(plan, tmp / "points.html")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        pw = sync_api.sync_playwright().start()
        context = pw.chromium.launch_persistent_context(
            str(tmp / "profile"),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
            service_workers="block",
        )
        errors = []
        context.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        pg = context.new_page()
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        pg.goto(path.as_uri())
        pg.wait_for_function("window.lianhuMap !== undefined")
        pg.wait_for_load_state("load")
        pg.info = {"plan": plan, "tmp": tmp, "errors": errors}
        try:
            yield pg
        finally:
            context.close()
            pw.stop()


def test_compounds_are_filled_circles_in_the_legend_colours(point_page):
    markers = point_page.evaluate(MARKERS)
    assert len(markers) == len(point_page.info["plan"].compounds)
    assert all(m["fill"] is True and m["radius"] >= 5 and m["opacity"] >= 0.5 for m in markers)
    # compounds in a bundle are filled with their bundle's own colour, the others by mode
    assert all(m["color"] == MODE_COLORS[m["mode"]] for m in markers if m["mode"] != "bundle")
    in_bundles = {m["color"] for m in markers if m["mode"] == "bundle"}
    assert in_bundles and in_bundles <= set(BUNDLE_PALETTE)
    legend = {row["mode"]: row for row in point_page.evaluate(LEGEND)}
    assert sorted(legend) == sorted(MODES)
    for mode, row in legend.items():
        assert row["color"] == _rgb(MODE_COLORS[mode]) and row["round"] == "50%"
    text = point_page.locator(".lianhu-legend").inner_text()
    assert "单独选聘物业" in text and "估算" in text
    assert point_page.info["errors"] == []


def test_lianhu_outline_is_drawn_and_derived_lines_say_approximate(point_page):
    drawn = point_page.evaluate(
        "() => { const d = lianhuMap.outlines.district; return d ? [lianhuMap.map.hasLayer(d),"
        " d.getLayers()[0].feature.properties.name] : null; }"
    )
    assert drawn == [True, "莲湖区"]
    control = point_page.locator(".leaflet-control-layers").text_content()  # folded
    assert "非官方" in control and "街道边界" not in control


def test_clicking_each_bundle_area_opens_that_bundle(point_page):
    plan = point_page.info["plan"]
    targets = _click_targets(plan)
    assert len(targets) == len(plan.bundles) >= 5
    for bid, latlon in targets.items():
        point_page.evaluate(CLOSE_POPUPS)
        # a closing popup fades out where the last click was: wait until it is gone
        point_page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
        xy = point_page.evaluate(
            "([c]) => { const m = lianhuMap.map; m.stop(); m.setView(c, 17, {animate: false});"
            " const p = m.latLngToContainerPoint(c); return [p.x, p.y]; }",
            [latlon],
        )
        point_page.mouse.click(*xy)
        # the popup of this bundle opens (a closed one may still be fading out)
        point_page.locator(".leaflet-popup-content", has_text=f"{bid}：").wait_for(timeout=5000)
    point_page.evaluate(CLOSE_POPUPS)


def test_point_map_screenshot(point_page):
    point_page.evaluate(
        "() => { const m = lianhuMap.map; m.fitBounds(lianhuMap.bundles.all.getBounds(),"
        " {animate: false}); return 0; }"
    )
    point_page.evaluate(CLOSE_POPUPS)
    point_page.mouse.move(5, 450)
    point_page.wait_for_timeout(300)
    shot = point_page.info["tmp"] / "point_map.png"
    point_page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
