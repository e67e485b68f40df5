"""Scenario maps saved the folium way (``m.save``) open offline: no request leaves the page."""

import warnings

import pytest
from test_maps_browser import ARGS, CHROMIUM

import lianhu_geo as lg

pytestmark = pytest.mark.browser

CHANGED = """() => {
    const layer = Object.entries(lianhuMap.compounds).find(([k]) => k !== "unchanged")[1];
    return layer.getLayers().map(l => l.feature.properties.cid);
}"""
VIEWS = """() => lianhuMaps.map(x => {
    const c = x.map.getCenter();
    return [c.lat, c.lng, x.map.getZoom(), x.map.getSize().x];
})"""


def _same_view(left, right):
    """Same zoom and size, centres within a pixel (Leaflet rounds the panes' offsets)."""
    pixel_deg = 360 / 256 / 2 ** left[2]
    near = abs(left[0] - right[0]) < pixel_deg and abs(left[1] - right[1]) < pixel_deg
    return near and left[2:] == right[2:]


@pytest.fixture(scope="module")
def plans():
    sample = lg.load_sample()
    data = sample[sample["subdistrict"].isin(["北关街道", "青年路街道"])]
    a = lg.plan_coverage(data, created="2026-11-28")
    b = lg.plan_coverage(data, created="2026-11-28", max_compounds=25)
    return a, b


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        pw = sync_api.sync_playwright().start()
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            viewport={"width": 1024, "height": 768},
            service_workers="block",
        )
        try:
            yield context
        finally:
            context.close()
            pw.stop()


def _open(context, path):
    """Open ``path`` with every request that is not a local file aborted and recorded."""
    page = context.new_page()
    outside, errors = [], []

    def route(r):
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_function("window.lianhuMap !== undefined", timeout=10_000)
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    page.checks = (outside, errors)
    return page


def test_saved_maps_open_offline(browser, plans, tmp_path):
    a, b = plans
    maps = {
        "plan": lg.plan_map(a),
        "compare": lg.compare_map(a, b),
        "pair": lg.side_by_side_map(a, b, labels=("默认", "每片不超过25个小区")),
    }
    for name, m in maps.items():
        m.save(tmp_path / f"{name}.html")
        page = _open(browser, tmp_path / f"{name}.html")
        outside, errors = page.checks
        assert outside == [] and errors == [], name
        assert page.evaluate("() => lianhuMaps.length") == (2 if name == "pair" else 1)
        page.close()


def test_compare_map_names_exactly_the_compounds_of_the_diff(browser, plans, tmp_path):
    a, b = plans
    lg.compare_map(a, b).save(tmp_path / "compare.html")
    page = _open(browser, tmp_path / "compare.html")
    diff = lg.plan_diff(a, b)
    assert 0 < len(diff) <= 10
    assert sorted(page.evaluate(CHANGED)) == sorted(diff.index)
    page.close()


def test_side_by_side_maps_move_together(browser, plans, tmp_path):
    a, b = plans
    lg.side_by_side_map(a, b).save(tmp_path / "pair.html")
    page = _open(browser, tmp_path / "pair.html")
    left, right = page.evaluate(VIEWS)
    assert _same_view(left, right) and left[3] == 512  # half of the window each
    start = left
    page.evaluate("() => { lianhuMaps[0].map.panBy([150, -80], {animate: false}); return 0; }")
    left, right = page.evaluate(VIEWS)
    assert _same_view(left, right) and not _same_view(left, start)
    page.evaluate("() => { lianhuMaps[1].map.setZoom(15, {animate: false}); return 0; }")
    left, right = page.evaluate(VIEWS)
    assert _same_view(left, right) and left[2] == 15
    # the same bundle has the same id on both sides
    labels = page.evaluate(
        "() => lianhuMaps.map(x => Array.from(x.map.getContainer()"
        ".querySelectorAll('.lianhu-bundles tbody tr')).map(r => r.dataset.bid))"
    )
    matched = lg.match_bundles(b, a)
    assert labels == [sorted(a.bundles.index), sorted(matched.bundles.index)]
    assert page.title() == "方案 A | 方案 B"
    page.screenshot(path=str(tmp_path / "side_by_side_1024x768.png"))
    print(f"screenshot: {tmp_path / 'side_by_side_1024x768.png'}")
    page.close()
