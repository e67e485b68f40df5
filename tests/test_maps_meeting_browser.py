"""The meeting map on a projector (1024x768) and a large screen (1920x1080), network cut off.

Screenshots of both sizes are written to a folder that the last test prints.
"""

import re
import warnings

import pytest
from test_maps_browser import ARGS, CHROMIUM, CLOSE_POPUPS

from lianhu_geo import build_grid, load_sample, plan_coverage
from lianhu_geo.maps import export_html
from lianhu_geo.maps._controls import LABEL_MIN_ZOOM

pytestmark = pytest.mark.browser

SIZES = [(1024, 768), (1920, 1080)]
TITLE = "莲湖区物业服务覆盖方案（讨论稿）"
# each control's share of the district's bounding box on screen
OVERLAPS = """() => {
    const m = lianhuMap.map, b = lianhuMap.outlines.district.getBounds();
    const box = m.getContainer().getBoundingClientRect();
    const ne = m.latLngToContainerPoint(b.getNorthEast());
    const sw = m.latLngToContainerPoint(b.getSouthWest());
    const d = {left: box.left + sw.x, right: box.left + ne.x, top: box.top + ne.y,
        bottom: box.top + sw.y};
    const area = (d.right - d.left) * (d.bottom - d.top);
    return Array.from(document.querySelectorAll(".leaflet-control")).map(c => {
        const r = c.getBoundingClientRect();
        const w = Math.max(0, Math.min(r.right, d.right) - Math.max(r.left, d.left));
        const h = Math.max(0, Math.min(r.bottom, d.bottom) - Math.max(r.top, d.top));
        return {name: c.className, share: w * h / area, width: r.width};
    });
}"""
BUNDLE_STYLE = """(id) => {
    const pick = g => g.getLayers().find(l => l.feature.properties.bid === id);
    const area = pick(lianhuMap.bundles.all), edge = pick(lianhuMap.bundles.edges);
    const m = lianhuMap.map;
    return {fill: area.options.fillOpacity, edge: edge.options.weight, zoom: m.getZoom(),
        inside: m.getBounds().contains(area.getBounds())};
}"""
# a compound inside a grid zone, well clear of the controls, big enough to hit
COMPOUND_IN_ZONE = """() => {
    const m = lianhuMap.map, size = m.getSize(), p0 = m.lianhuPadding();
    const zones = lianhuMap.grid.zones.getLayers();
    for (const layer of Object.values(lianhuMap.compounds)) {
        for (const l of layer.getLayers()) {
            if (!l.getBounds) { continue; }
            const c = l.getCenter(), p = m.latLngToContainerPoint(c);
            const ne = m.latLngToContainerPoint(l.getBounds().getNorthEast()),
                sw = m.latLngToContainerPoint(l.getBounds().getSouthWest());
            const clear = p.x > p0.topLeft.x && p.x < size.x - p0.bottomRight.x &&
                p.y > p0.topLeft.y && p.y < size.y - p0.bottomRight.y;
            const inZone = zones.some(z => z.getBounds().contains(c));
            if (clear && inZone && ne.x - sw.x > 12 && sw.y - ne.y > 12 &&
                    l.getBounds().contains(c)) {
                return {x: p.x, y: p.y, name: l.feature.properties.name};
            }
        }
    }
    return null;
}"""
# a compound near the top of the window: its popup would open under the controls
COMPOUND_AT_TOP = """() => {
    const m = lianhuMap.map, size = m.getSize();
    let best = null;
    for (const layer of Object.values(lianhuMap.compounds)) {
        for (const l of layer.getLayers()) {
            if (!l.getBounds) { continue; }
            const c = l.getCenter(), p = m.latLngToContainerPoint(c);
            const out = p.y < 20 || p.x < 80 || p.x > size.x - 80;
            if (out || !l.getBounds().contains(c)) { continue; }
            const hit = document.elementFromPoint(p.x, p.y);  // not under a control
            if (!hit || hit.tagName !== "CANVAS") { continue; }
            if (!best || p.y < best.y) { best = {x: p.x, y: p.y, name: l.feature.properties.name}; }
        }
    }
    return best;
}"""
POPUP_OVER_CONTROLS = """() => {
    const all = document.querySelectorAll(".leaflet-popup-content-wrapper");
    const popup = all[all.length - 1].getBoundingClientRect();
    return Array.from(document.querySelectorAll(".leaflet-control")).filter(c => {
        const r = c.getBoundingClientRect();
        return r.width && r.left < popup.right && r.right > popup.left &&
            r.top < popup.bottom && r.bottom > popup.top;
    }).map(c => c.className);
}"""


@pytest.fixture(scope="module")
def meeting_file(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("meeting_map")
    plan = plan_coverage(load_sample(), created="2026-11-28")
    grid = build_grid(plan)
    path = export_html(plan, tmp / "meeting.html", grid=grid, title=TITLE)
    return {"plan": plan, "path": path, "tmp": tmp}


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def page(request, meeting_file, tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    width, height = request.param
    profile = tmp_path_factory.mktemp("profile")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        pw = sync_api.sync_playwright().start()
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            viewport={"width": width, "height": height},
            service_workers="block",
        )
        outside, errors = [], []

        def route(r):
            if r.request.url.startswith(("file://", "data:")):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        pg = context.new_page()
        pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.goto(meeting_file["path"].as_uri())
        pg.wait_for_function("window.lianhuMap !== undefined")
        pg.wait_for_load_state("load")
        home = pg.evaluate("() => [lianhuMap.map.getCenter(), lianhuMap.map.getZoom()]")
        pg.info = {**meeting_file, "size": (width, height), "home": home}
        pg.info.update(outside=outside, errors=errors)
        try:
            yield pg
        finally:
            context.close()
            pw.stop()


def _home(page):
    page.evaluate(CLOSE_POPUPS)
    page.evaluate(
        "([c, z]) => { lianhuMap.map.setView(c, z, {animate: false}); return 0; }",
        page.info["home"],
    )
    page.mouse.move(page.info["size"][0] // 2, 5)  # off the layer list, which then folds


def test_page_opens_with_no_errors_and_no_request_out(page):
    assert page.info["errors"] == [] and page.info["outside"] == []


def test_no_control_covers_more_than_a_tenth_of_the_district(page):
    _home(page)
    overlaps = page.evaluate(OVERLAPS)
    assert len(overlaps) >= 7  # zoom, search, layers, bundle list, scale, info, legend
    worst = max(overlaps, key=lambda o: o["share"])
    assert worst["share"] <= 0.10, worst
    layers = next(o for o in overlaps if "leaflet-control-layers" in o["name"])
    assert layers["width"] < 60  # folded to its button
    if page.info["size"][0] < 1600:
        assert "lianhu-folded" in page.locator(".lianhu-bundles").get_attribute("class")


def test_every_bundle_has_a_label_and_a_row(page):
    _home(page)
    ids = sorted(page.info["plan"].bundles.index.astype(str))
    assert page.evaluate("() => lianhuMap.map.getZoom()") >= LABEL_MIN_ZOOM
    labels = page.locator(".lianhu-bundle-label")
    assert sorted(labels.all_inner_texts()) == ids
    assert all(box["width"] > 0 for box in (labels.nth(i).bounding_box() for i in range(len(ids))))
    rows = page.locator(".lianhu-bundles tbody tr")
    assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.bid)")) == ids
    first = rows.first.locator("td").all_text_contents()
    bundle = page.info["plan"].bundles.loc[first[0]]
    assert first[1:] == [
        str(bundle["subdistrict"]),
        f"{int(bundle['compounds'])}",
        f"{int(bundle['households']):,}",
        f"{round(float(bundle['margin_yuan_month'])):,}",
    ]


def test_clicking_a_row_zooms_to_the_bundle_and_highlights_it(page):
    _home(page)
    panel = page.locator(".lianhu-bundles")
    ids = sorted(page.info["plan"].bundles.index.astype(str))
    before = {bid: page.evaluate(BUNDLE_STYLE, bid) for bid in ids}
    small = page.info["size"][0] < 1600
    for bid in ids:
        if "lianhu-folded" in panel.get_attribute("class"):
            panel.locator("button.lianhu-toggle").click()
        row = panel.locator(f"tbody tr[data-bid='{bid}']")
        row.click()
        # on a small screen the list folds so the bundle is not under it
        assert ("lianhu-folded" in panel.get_attribute("class")) == small
        after = page.evaluate(BUNDLE_STYLE, bid)
        assert after["edge"] > before[bid]["edge"] and after["fill"] > before[bid]["fill"]
        assert after["inside"] and after["zoom"] > page.info["home"][1]
        assert "lianhu-active" in row.get_attribute("class")
        assert panel.locator("tr.lianhu-active").count() == 1
    # the highlight moves: the first bundle is back to its style
    assert page.evaluate(BUNDLE_STYLE, ids[0])["edge"] == before[ids[0]]["edge"]
    # a second click on the row clears the highlight
    if small:
        panel.locator("button.lianhu-toggle").click()
    panel.locator(f"tbody tr[data-bid='{ids[-1]}']").click()
    assert page.evaluate(BUNDLE_STYLE, ids[-1])["edge"] == before[ids[-1]]["edge"]
    assert panel.locator("tr.lianhu-active").count() == 0
    panel.locator("button.lianhu-toggle").click()  # the button folds the open list
    assert "lianhu-folded" in panel.get_attribute("class")
    if not small:  # and opens it again
        panel.locator("button.lianhu-toggle").click()
        assert "lianhu-folded" not in panel.get_attribute("class")


def test_a_compound_popup_opens_over_the_grid_zones(page):
    _home(page)
    page.evaluate("() => { lianhuMap.map.setZoom(15, {animate: false}); return 0; }")
    page.locator(".leaflet-control-layers").hover()  # unfold the layer list
    page.locator(".leaflet-control-layers-overlays label", has_text="邻里格").locator(
        "input"
    ).check()
    page.mouse.move(page.info["size"][0] // 2, 5)
    assert page.evaluate("() => lianhuMap.map.hasLayer(lianhuMap.grid.zones)")
    target = page.evaluate(COMPOUND_IN_ZONE)
    assert target is not None
    page.mouse.click(target["x"], target["y"])
    popup = page.locator(".leaflet-popup-content", has_text=target["name"])
    popup.wait_for(timeout=5000)
    text = popup.inner_text()
    assert target["name"] in text and "建成年代" in text and "愿意付费" in text
    assert popup.locator("details").count() == 0  # not the zone's drill-down
    width, height = page.info["size"]
    page.wait_for_timeout(400)  # the popup fades in
    page.screenshot(path=str(page.info["tmp"] / f"popup_over_zones_{width}x{height}.png"))
    page.evaluate(CLOSE_POPUPS)
    page.evaluate("() => { lianhuMap.grid.zones.remove(); return 0; }")


def test_a_popup_pans_clear_of_the_controls(page):
    _home(page)
    page.evaluate("() => { lianhuMap.map.setZoom(16, {animate: false}); return 0; }")
    target = page.evaluate(COMPOUND_AT_TOP)
    assert target is not None and target["y"] < 150  # its popup would open under the top
    page.mouse.click(target["x"], target["y"])
    page.locator(".leaflet-popup-content", has_text=target["name"]).wait_for(timeout=5000)
    page.wait_for_function("() => !lianhuMap.map._panAnim || !lianhuMap.map._panAnim._inProgress")
    page.wait_for_timeout(400)
    assert page.evaluate(POPUP_OVER_CONTROLS) == []
    page.evaluate(CLOSE_POPUPS)


def test_title_date_fingerprint_and_metric_scale(page):
    assert page.title() == TITLE
    info = page.locator(".lianhu-info").inner_text()
    assert "2026年11月28日" in info and re.search(r"日期：\d{4}年\d{1,2}月\d{1,2}日", info)
    short = page.info["plan"].fingerprint[:12]
    assert short in info and page.info["plan"].fingerprint not in info
    scale = page.locator(".leaflet-control-scale-line")
    assert scale.count() == 1 and re.fullmatch(r"\d+ k?m", scale.inner_text().strip())


def test_screenshots(page):
    _home(page)
    page.wait_for_timeout(300)
    width, height = page.info["size"]
    shot = page.info["tmp"] / f"meeting_{width}x{height}.png"
    page.screenshot(path=str(shot))
    print(f"screenshots in {page.info['tmp']}")
    assert shot.stat().st_size > 20_000
