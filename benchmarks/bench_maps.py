"""File size and time to first render of exported maps in headless Chromium.

Run by hand from the repository root::

    python benchmarks/bench_maps.py            # the sample and 20,000 synthetic compounds
    python benchmarks/bench_maps.py --n 5000   # other synthetic sizes

"Time to first render" is measured in the page: from navigation start until
the first animation frame after lianhu_geo's last script ran (all layers
built and drawn on the canvas). Network is cut off (offline file).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _synthetic import synthetic_compounds  # noqa: E402

from lianhu_geo import load_sample  # noqa: E402
from lianhu_geo.coverage import plan_coverage  # noqa: E402
from lianhu_geo.maps import MapSizeWarning, export_html  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
FIRST_RENDER = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(
    () => resolve(performance.now()))))"""


def render_ms(path: Path, repeats: int = 3) -> list[float]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(repeats):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                ("file:", "data:")) else r.abort())  # fmt: skip
            page.goto(path.as_uri(), wait_until="commit")
            page.wait_for_function("window.lianhuMap !== undefined", timeout=300_000)
            out.append(page.evaluate(FIRST_RENDER))
            page.close()
        browser.close()
    return out


def bench(name: str, compounds, folder: Path, **options) -> None:
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # survey-field defaults on synthetic data
        plan = plan_coverage(compounds, created="2026-11-28", **options)
    t1 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MapSizeWarning)
        path = export_html(plan, folder / f"{name}.html")
    t2 = time.perf_counter()
    ms = render_ms(path)
    size = path.stat().st_size / 1e6
    warned = "yes" if any(issubclass(w.category, MapSizeWarning) for w in caught) else "no"
    print(
        f"{name:>16}: {len(compounds):>6} compounds, plan {t1 - t0:5.1f} s,"
        f" export {t2 - t1:5.1f} s,"
        f" file {size:6.2f} MB, first render {min(ms) / 1000:5.2f} s"
        f" (median of {len(ms)}: {sorted(ms)[len(ms) // 2] / 1000:5.2f} s), size warning: {warned}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="*", default=[20_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench("sample", load_sample(), folder)
        for n in args.n:
            # bundling 20,000 compounds is the bundling benchmark's business: triage only
            bench(f"synthetic_{n}", synthetic_compounds(n, seed=1), folder, bundle=False)


if __name__ == "__main__":
    main()
