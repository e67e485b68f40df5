"""The hostile corpus on a map in headless Chromium: every layer shows, text is literal."""

import warnings

import pytest
from hostile import TEXTS
from test_hostile import expected, hostile_table
from test_maps_browser import ARGS, CHROMIUM

from lianhu_geo.coverage import plan_coverage
from lianhu_geo.errors import DataWarning
from lianhu_geo.grid import build_grid
from lianhu_geo.maps import export_html
from lianhu_geo.readers import read_compounds

pytestmark = pytest.mark.browser

POPUP_TEXTS = """() => {
    const m = lianhuMap.map, out = [];
    for (const layer of Object.values(lianhuMap.compounds)) {
        for (const l of layer.getLayers()) {
            const at = l.getLatLng ? l.getLatLng() : l.getCenter();
            let text = null;
            m.once("popupopen", e => { text = e.popup._contentNode.textContent; });
            l.fire("click", {latlng: at}, true);  // the popup is bound to the layer group
            out.push(text);
            m.closePopup();
        }
    }
    return out;
}"""
GRID_TEXT = """() => Object.keys(lianhuGrid).map(id => {
    const d = document.createElement("div");
    d.innerHTML = lianhuGridPopup(id);
    return d.textContent;
}).join("\\n")"""


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    tmp = tmp_path_factory.mktemp("hostile_browser")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        compounds = read_compounds(hostile_table())
        plan = plan_coverage(compounds, min_households=300, max_link_m=100, created="2026-11-28")
        grid = build_grid(plan, stop_at="unit")  # buildings estimated: announced
    path = export_html(plan, tmp / "hostile.html", grid=grid, title="{{ 7*7 }} </script>")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        pw = sync_api.sync_playwright().start()
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        errors = []
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path.as_uri())
        page.wait_for_function("window.lianhuMap !== undefined")
        page.info = {"plan": plan, "errors": errors, "tmp": tmp}
        try:
            yield page
        finally:
            browser.close()
            pw.stop()


def test_page_runs_with_no_errors_and_no_injected_script(hostile_page):
    assert hostile_page.info["errors"] == []
    assert hostile_page.evaluate("() => window.pwned") is None
    assert hostile_page.evaluate("() => document.querySelectorAll('img').length") == 0


def test_every_layer_and_compound_is_drawn(hostile_page):
    plan = hostile_page.info["plan"]
    drawn = hostile_page.evaluate(
        """() => Object.values(lianhuMap.compounds).reduce(
            (n, layer) => n + layer.getLayers().filter(l => lianhuMap.map.hasLayer(l)).length, 0)"""
    )
    assert drawn == len(plan.compounds) == len(TEXTS)
    assert hostile_page.evaluate("() => lianhuMap.map.hasLayer(lianhuMap.bundles.all)")
    labels = hostile_page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    for sub in {expected("subdistrict", TEXTS[i // 7]) for i in range(len(TEXTS))}:
        assert any(sub in label for label in labels), sub
    hostile_page.screenshot(path=str(hostile_page.info["tmp"] / "hostile.png"))


def test_popups_show_the_names_as_written(hostile_page):
    texts = hostile_page.evaluate(POPUP_TEXTS)
    names = [expected("name", t) for t in TEXTS]
    assert len(texts) == len(names)
    for name in names:
        assert sum(name in text for text in texts) >= 1, name


def test_grid_drill_down_shows_every_name(hostile_page):
    assert hostile_page.evaluate("() => Object.keys(lianhuGrid).length") > 0
    text = hostile_page.evaluate(GRID_TEXT)
    for name in {expected("name", t) for t in TEXTS}:
        assert name in text, name


def test_search_lists_the_name_as_text(hostile_page):
    box = hostile_page.locator(".leaflet-control-search input")
    box.fill("{{ 7")
    hostile_page.wait_for_selector(".search-tip")
    tips = hostile_page.locator(".search-tip").all_inner_texts()
    assert "{{ 7*7 }}" in tips
    info = hostile_page.locator(".lianhu-info b").first.inner_text()
    assert info == "{{ 7*7 }} </script>"
