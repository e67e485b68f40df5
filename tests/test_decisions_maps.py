"""Decision maps open offline in headless Chromium, draw every compound, show a legend."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from lianhu_geo import (
    assign_heads,
    load_sample,
    load_sample_cadres,
    load_sample_companies,
    load_sample_stations,
    match_companies,
    plan_coverage,
    site_stations,
    station_coverage,
)
from lianhu_geo.maps._decisions import write_decision_map

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
COUNT = """() => {
    const m = Object.values(window).find(v => v instanceof L.Map);
    let n = 0;
    m.eachLayer(l => { if (l instanceof L.Path) { n += 1; } });
    return n;
}"""


@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    tmp = tmp_path_factory.mktemp("decision_maps")
    compounds = load_sample()
    sub = compounds[compounds["subdistrict"] == "北院门街道"].copy()
    sub.loc[sub.index[0], "name"] = '<img src=x onerror="window.hacked=1">'
    stations = load_sample_stations()
    stations = stations[stations["compound_id"].isin(sub["compound_id"])]
    cadres = load_sample_cadres()
    cadres = cadres[cadres["level"] == "district"]
    plan = plan_coverage(sub)
    results = {
        "coverage": station_coverage(sub, stations),
        "sites": site_stations(sub, existing=stations, max_walk_m=300),
        "heads": assign_heads(sub, cadres),
        "companies": match_companies(plan, load_sample_companies()),
    }
    paths = {k: write_decision_map(r, tmp / f"{k}.html") for k, r in results.items()}
    return results, paths, tmp


def test_maps_open_offline_and_draw(maps):
    sync_api = pytest.importorskip("playwright.sync_api")
    results, paths, tmp = maps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        pw = sync_api.sync_playwright().start()
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 850})
            errors, remote = [], []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            def route(r):
                if r.request.url.startswith(("file://", "data:")):
                    r.continue_()
                else:
                    remote.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            for key, path in paths.items():
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                page.wait_for_timeout(300)
                drawn = page.evaluate(COUNT)
                shown = results[key].compounds
                if key == "heads":
                    shown = shown[shown["eligible"]]
                if key == "companies":
                    shown = shown[shown["target_id"].notna()]
                assert drawn >= len(shown), key
                assert page.locator(".lianhu-legend").count() == 1
                assert page.evaluate("() => window.hacked === undefined")
                page.screenshot(path=str(tmp / f"{key}.png"))
            assert errors == [] and remote == []
        finally:
            browser.close()
            pw.stop()
    print(f"screenshots: {tmp}")
