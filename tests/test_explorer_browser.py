"""Notebook 03 in a real JupyterLab (started here, offline), driven in headless Chromium.

The test starts a JupyterLab server on 127.0.0.1 (free port, a token, no
browser, no news or update checks), opens a copy of notebook 03, runs all
cells, moves the courtyard cap of the explorer with the keyboard and checks
that the figures and the map are redrawn with the new plan. Every request to
anything but the server is refused and counted.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "03_bundle_options.ipynb"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIGURES = """() => {
    const t = document.querySelector('.lianhu-figures-table');
    if (!t) { return null; }
    const cells = [...t.querySelectorAll('td')].map(td => td.textContent);
    return {revision: Number(t.dataset.revision), bundles: cells[9], cells: cells};
}"""
# the centre of a bundled, not yet locked compound that a click there would hit
BUNDLED = """() => {
    for (const p of document.querySelectorAll('.lianhu-map path.leaflet-interactive')) {
        if (p.getAttribute('fill') !== '#1f78b4' || p.getAttribute('stroke') === '#000000') {
            continue;
        }
        const r = p.getBoundingClientRect();
        if (r.width < 12 || r.height < 12) { continue; }
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (document.elementFromPoint(x, y) === p) { return {x: x, y: y}; }
    }
    return null;
}"""
PATHS = """() => document.querySelectorAll('.lianhu-map path.leaflet-interactive').length"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    pytest.importorskip("jupyterlab")
    tmp = tmp_path_factory.mktemp("lab")
    work = tmp / "work"
    work.mkdir()
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
        "IPYTHONDIR": str(tmp / "ipython"),
    }
    # no "would you like news?" question over the notebook
    notification = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
        "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work}", "--ServerApp.port_retries=0",
        "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True", "--ServerApp.terminals_enabled=False",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI and this machine run as root
    log = open(tmp / "server.log", "wb")  # noqa: SIM115  (closed at teardown)
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    json.load(r)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "JupyterLab did not start:\n" + (tmp / "server.log").read_text()
                    ) from None
                time.sleep(0.3)
        yield {"base": base, "token": token, "log": tmp / "server.log", "tmp": tmp}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def page(lab):
    sync_api = pytest.importorskip("playwright.sync_api")
    with warnings.catch_warnings():
        # playwright's driver pipes may be reported as unclosed when it stops
        warnings.simplefilter("ignore", ResourceWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        pw = sync_api.sync_playwright().start()
        context = pw.chromium.launch_persistent_context(
            str(lab["tmp"] / "profile"),
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            viewport={"width": 1600, "height": 1200},
            service_workers="block",
        )
        blocked: list[str] = []

        def only_the_server(route):
            url = route.request.url
            if url.startswith(lab["base"] + "/") or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                blocked.append(url)
                route.abort()

        context.route("**/*", only_the_server)
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(120_000)
        page.blocked = blocked
        yield page
        context.close()
        pw.stop()


def _shoot(page, folder: Path, name: str) -> None:
    for part in ("map", "figures"):
        element = page.locator(f".lianhu-{part}").first
        element.scroll_into_view_if_needed()
        element.screenshot(path=str(folder / f"explorer_{part}_{name}.png"))


def test_notebook_03_explorer_redraws_in_jupyterlab(lab, page):
    shots = lab["tmp"]
    url = f"{lab['base']}/lab/tree/{NOTEBOOK.name}?token={lab['token']}"
    page.goto(url)
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'"
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # the last cell (clusters) has run when its table is there and the kernel is idle again
    page.wait_for_selector("text=unmanaged_households", timeout=180_000)
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"
        " === 'idle'"
    )
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    explorer = page.locator(".lianhu-explorer").first
    explorer.scroll_into_view_if_needed()
    page.wait_for_function(f"() => {PATHS}() > 1000")
    before = page.evaluate(FIGURES)
    paths_before = page.evaluate(PATHS)
    # the notebook ends on: 西关's bundle locked, at most 20 courtyards a bundle
    assert before["cells"][0] == "1,514"
    assert paths_before == 1514 + int(before["bundles"])
    _shoot(page, shots, "before")

    handle = page.locator(".lianhu-max-compounds .noUi-handle").first
    handle.focus()
    started = time.monotonic()
    for _ in range(5):  # 20 -> 15 courtyards
        handle.press("ArrowLeft")
    page.wait_for_function(
        f"() => {{ const f = ({FIGURES})(); return f && f.revision > {before['revision']}; }}",
        timeout=30_000,
    )
    page.wait_for_function(
        f"() => {{ const f = ({FIGURES})(); return {PATHS}() === 1514 + Number(f.bundles); }}",
        timeout=30_000,
    )
    latency = time.monotonic() - started
    after = page.evaluate(FIGURES)
    readout = page.locator(".lianhu-max-compounds .widget-readout").first.inner_text()
    assert readout.strip() == "15"
    assert after["bundles"] != before["bundles"], (before, after)
    assert page.evaluate(PATHS) == 1514 + int(after["bundles"])
    _shoot(page, shots, "after")
    # lock a bundle by clicking one of its compounds on the map
    page.locator(".lianhu-explorer .widget-toggle-button", has_text="锁定片区").first.click()
    page.locator(".lianhu-map").first.scroll_into_view_if_needed()
    point = page.evaluate(BUNDLED)
    assert point is not None, "no bundled compound to click"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(
        f"() => {{ const f = ({FIGURES})(); return f && f.revision > {after['revision']}; }}",
        timeout=30_000,
    )
    clicked = page.evaluate(FIGURES)
    assert int(clicked["cells"][10]) == int(after["cells"][10]) + 1, (after, clicked)
    _shoot(page, shots, "locked")
    # the difference of the last two kept scenarios, on the same map
    page.locator(".lianhu-explorer button", has_text="在地图上显示差异").first.click()
    page.wait_for_function(
        "() => document.querySelector('.lianhu-status').textContent.includes('→')"
    )
    page.wait_for_function(
        '() => document.querySelectorAll(\'.lianhu-map path[fill="#9e9e9e"][stroke="#9e9e9e"]\')'
        ".length > 500"
    )
    _shoot(page, shots, "diff")
    print(f"\nkey press -> redrawn figures and map: {latency:.2f} s; screenshots in {shots}")
    # nothing outside the server was asked for: the explorer works offline
    assert page.blocked == [], page.blocked
