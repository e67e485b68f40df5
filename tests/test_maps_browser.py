"""Open the sample's exported map in headless Debian Chromium with the network cut off."""

import warnings
from pathlib import Path

import pytest

from lianhu_geo import load_sample
from lianhu_geo.coverage import plan_coverage
from lianhu_geo.grid import build_grid
from lianhu_geo.maps import export_html
from lianhu_geo.maps._style import MODE_LABELS, MODES

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CLOSE_POPUPS = """() => {
    const m = lianhuMap.map;
    m.eachLayer(l => {
        const hover = l instanceof L.Tooltip && !l.options.permanent;
        if (l instanceof L.Popup || hover) { m.removeLayer(l); }
    });
    return 0;
}"""
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
COUNT_DRAWN = """() => {
    const m = lianhuMap.map;
    let n = 0;
    for (const layer of Object.values(lianhuMap.compounds)) {
        layer.eachLayer(l => { if (m.hasLayer(l)) { n += 1; } });
    }
    return n;
}"""
# a compound whose centre is well inside the window, away from the controls
PICK = """() => {
    const m = lianhuMap.map, size = m.getSize();
    for (const layer of Object.values(lianhuMap.compounds)) {
        for (const l of layer.getLayers()) {
            if (l.feature.properties.mode === "professional") { continue; }
            const c = l.getCenter(), p = m.latLngToContainerPoint(c);
            const inside = p.x > 200 && p.x < size.x - 420 && p.y > 160 && p.y < size.y - 160;
            const b = l.getBounds(), ne = m.latLngToContainerPoint(b.getNorthEast()),
                sw = m.latLngToContainerPoint(b.getSouthWest());
            if (inside && ne.x - sw.x > 14 && sw.y - ne.y > 14 && l.getBounds().contains(c)) {
                return {x: p.x, y: p.y, name: l.feature.properties.name};
            }
        }
    }
    return null;
}"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    tmp = tmp_path_factory.mktemp("maps_browser")
    plan = plan_coverage(load_sample(), created="2026-11-28")
    grid = build_grid(plan, stop_at="unit")
    path = export_html(plan, tmp / "sample.html", grid=grid)
    with warnings.catch_warnings():
        # playwright's driver pipes may be reported as unclosed when it stops
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
        requests, errors = [], []

        def route(r):
            requests.append(r.request.url)
            if r.request.url.startswith(("file://", "data:")):
                r.continue_()
            else:
                r.abort()

        context.route("**/*", route)
        pg = context.new_page()
        pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.on("requestfailed", lambda req: errors.append(f"request failed: {req.url}"))
        pg.goto(path.as_uri())
        pg.wait_for_function("window.lianhuMap !== undefined")
        pg.wait_for_load_state("load")
        home = pg.evaluate("() => [lianhuMap.map.getCenter(), lianhuMap.map.getZoom()]")
        pg.info = {"plan": plan, "requests": requests, "errors": errors, "tmp": tmp, "home": home}
        try:
            yield pg
        finally:
            context.close()
            pw.stop()


def test_no_console_errors(page):
    page.wait_for_timeout(200)
    assert page.info["errors"] == []


def test_no_request_leaves_the_machine(page):
    urls = page.info["requests"]
    assert urls and all(u.startswith(("file://", "data:")) for u in urls), urls


def test_every_compound_is_drawn(page):
    assert page.evaluate(COUNT_DRAWN) == len(page.info["plan"].compounds)


def test_click_opens_popup_with_name(page):
    target = page.evaluate(PICK)
    assert target is not None
    page.mouse.click(target["x"], target["y"])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    assert target["name"] in popup.inner_text()
    page.evaluate(CLOSE_POPUPS)


def test_toggling_a_layer_hides_its_shapes(page):
    plan = page.info["plan"]
    name = sorted(plan.compounds["subdistrict"].astype(str).unique())[0]
    count = int((plan.compounds["subdistrict"] == name).sum())
    page.locator(".leaflet-control-layers").hover()  # the layer list unfolds
    label = page.locator(".leaflet-control-layers-overlays label", has_text=name)
    label.locator("input").click()
    hidden = f"() => lianhuMap.map.hasLayer(lianhuMap.compounds[{name!r}])"
    assert page.evaluate(hidden) is False
    assert page.evaluate(COUNT_DRAWN) == len(plan.compounds) - count
    label.locator("input").click()
    assert page.evaluate(COUNT_DRAWN) == len(plan.compounds)
    page.mouse.move(5, 450)


def test_legend_lists_every_mode(page):
    legend = page.locator(".lianhu-legend")
    text = legend.inner_text()
    assert all(MODE_LABELS["zh"][mode] in text for mode in MODES)
    modes = legend.locator("[data-mode]").evaluate_all("els => els.map(e => e.dataset.mode)")
    assert sorted(modes) == sorted(MODES)


def test_search_finds_a_compound(page):
    name = str(page.info["plan"].compounds["name"].iloc[0])
    box = page.locator(".leaflet-control-search input")
    box.fill(name[:2])  # fires "input", as an IME does
    tips = page.locator(".search-tooltip .search-tip")
    tips.first.wait_for(timeout=5000)
    assert all(name[:2] in t for t in tips.all_inner_texts())
    box.fill(name)
    tips.filter(has_text=name).first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    assert name in popup.inner_text()
    page.wait_for_function("() => !lianhuMap.map._animatingZoom")
    page.evaluate(CLOSE_POPUPS)


def test_grid_drill_down_opens(page):
    page.evaluate(CLOSE_POPUPS)
    page.evaluate("() => { lianhuMap.map.addLayer(lianhuMap.grid.zones); return 0; }")
    first = page.evaluate(
        "() => { const l = lianhuMap.grid.zones.getLayers()[0]; l.openPopup(l.getCenter());"
        " return l.feature.properties.zid; }"
    )
    popup = page.locator(".leaflet-popup-content", has=page.locator("details"))
    popup.wait_for(timeout=5000)
    assert first and popup.locator("details").count() > 0
    page.evaluate(CLOSE_POPUPS)
    page.evaluate("() => { lianhuMap.grid.zones.remove(); return 0; }")


def test_screenshot(page):
    page.evaluate(
        "([c, z]) => { lianhuMap.map.setView(c, z, {animate: false}); return 0; }",
        page.info["home"],
    )
    page.evaluate(CLOSE_POPUPS)
    page.locator(".leaflet-control-search input").fill("")
    page.mouse.move(5, 450)
    page.wait_for_timeout(300)
    shot = page.info["tmp"] / "sample_map.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
