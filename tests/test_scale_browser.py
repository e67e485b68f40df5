"""A province's overview map (map.html above MAP_MAX_COMPOUNDS) opens offline and reads right."""

import pytest
from test_maps_scenarios_browser import _open, browser  # noqa: F401  (the shared browser)
from test_scale_files import plan  # noqa: F401  (900 compounds, 3 subdistricts, hostile names)

from lianhu_geo.scale import write_plan_parts

pytestmark = pytest.mark.browser

# each subdistrict's outline: where it is on the screen, its colour and its tooltip's text
OUTLINES = """() => lianhuMap.subdistricts.all.getLayers().map(l => {
    const p = lianhuMap.map.latLngToContainerPoint(l.getCenter());
    return {x: p.x, y: p.y, fill: l.options.fillColor, name: l.feature.properties.subdistrict};
})"""


def test_overview_opens_offline_with_one_outline_per_subdistrict(browser, plan, tmp_path):  # noqa: F811
    out = write_plan_parts(plan, tmp_path, map_max_compounds=400)
    page = _open(browser, out["map"])
    outside, errors = page.checks
    assert outside == [] and errors == []
    outlines = page.evaluate(OUTLINES)
    summary = plan.summary().drop(index="total")
    assert len(outlines) == len(summary) == 3
    assert all(o["fill"].startswith("#") for o in outlines)
    hostile = next(o for o in outlines if "onerror" in o["name"])
    page.mouse.move(hostile["x"], hostile["y"])
    tip = page.locator(".leaflet-tooltip")
    tip.wait_for(timeout=5000)
    text = tip.inner_text()
    page.screenshot(path=str(tmp_path / "overview.png"))
    name = "<img src=x onerror=alert(1)>/../街道"
    assert name in text  # the name shown as text, never as markup
    assert page.locator(".leaflet-tooltip img").count() == 0
    count = int(summary.loc[name, "compounds"])
    assert "小区数" in text and str(count) in text
    assert "maps/001_img_src_x_onerror_alert_1_街道.html" in text
    # the legend says what the map is and what its colours mean; the scale bar is metric only
    legend = page.locator(".lianhu-legend").inner_text()
    assert "覆盖方案总览" in legend and "失管小区纳入片区比例" in legend and "80–100%" in legend
    assert page.locator(".leaflet-control-scale-line").count() == 1
    assert "ft" not in page.locator(".leaflet-control-scale").inner_text()
    # a click opens a popup whose link leads to the subdistrict's own map
    page.mouse.click(hostile["x"], hostile["y"])
    link = page.locator(".leaflet-popup-content a")
    link.wait_for(timeout=5000)
    assert link.get_attribute("href") == "maps/001_img_src_x_onerror_alert_1_街道.html"
    assert (tmp_path / link.get_attribute("href")).is_file()
    page.screenshot(path=str(tmp_path / "overview_popup.png"))
    page.close()
    print(f"screenshot: {tmp_path / 'overview.png'}")
