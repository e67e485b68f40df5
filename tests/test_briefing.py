"""The briefing pack (汇报材料.pdf) and map.png: pages, figures, fonts, bytes (issue 16)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from plan_fixtures import grid_compounds

import lianhu_geo as lg
from lianhu_geo.briefing import _fonts, export_pdf, export_png
from lianhu_geo.errors import DataWarning, InputError, OutputError

pypdf = pytest.importorskip("pypdf")

ROOT = Path(__file__).resolve().parents[1]
EXCLUDED = ["C05", "C06", "C07", "C13", "C14", "C15"]  # left to triage: every fallback mode


def small_plan(**changes):
    g = grid_compounds(4, 6)
    for column, values in changes.items():
        g[column] = values
    return lg.plan_coverage(g, created="2026-11-28", min_households=300, exclude=EXCLUDED)


@pytest.fixture(scope="module")
def plan():
    return small_plan()


@pytest.fixture(scope="module")
def pdf(plan, tmp_path_factory):
    return export_pdf(plan, tmp_path_factory.mktemp("pack") / "汇报材料.pdf")


def page_texts(path):
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def subtitle(text):
    """The line under a page's title: the date and headline, or what the page holds."""
    return text.split("物业服务覆盖方案（汇报材料）\n", 1)[1].splitlines()[0]


def expected_cells(summary, name):
    """A summary row as the pack prints it: counts with separators, rates with one decimal."""
    row = summary.loc[name]
    cells = []
    for column in ("compounds", "unmanaged", *lg.SERVICE_MODES):
        cells.append(f"{int(row[column]):,}")
    for count, rate in (
        ("provider_delivered", "provider_rate"),
        ("community_carried", "community_rate"),
    ):
        cells += [f"{int(row[count]):,}", f"{row[rate]:.1%}"]
    cells.append(f"{int(row['bundles']):,}")
    return cells


def test_pages_in_order_with_chinese_headers(plan, pdf):
    texts = page_texts(pdf)
    subdistricts = list(plan.summary().index[:-1])
    # map, summary, bundle table, one page per subdistrict, parameters
    assert len(texts) == 1 + 1 + 1 + len(subdistricts) + 1
    assert all("物业服务覆盖方案" in t for t in texts)
    assert "服务模式" in texts[0] and "片区大物业" in texts[0] and "北" in texts[0]
    for header in (
        "街道",
        "失管小区",
        "拟由企业服务",
        "拟企业服务率",
        "拟由社区兜底",
        "拟社区兜底率",
    ):
        assert header in texts[1], header
    assert "片区清单" in texts[2]
    for name, text in zip(subdistricts, texts[3:-1], strict=True):
        assert name in text and "片区清单" in text and "兜底与单独选聘小区" in text
    last = texts[-1]
    assert plan.fingerprint in last and "2026年11月28日" in last
    assert "起步户数 (min_households)" in last and "排除的小区 (exclude)" in last
    # a plan proposes: nowhere is coverage called achieved
    assert not any("覆盖率" in t for t in texts)
    assert "以上为方案拟安排，不是已实现的覆盖" in texts[0]


def test_figures_equal_plan_summary(plan, pdf):
    texts = page_texts(pdf)
    lines = texts[1].splitlines()
    summary = plan.summary()
    for name in summary.index:
        label = "合计" if name == "total" else name
        row = next(line for line in lines if line.startswith(label + " "))
        assert row.split()[1:] == expected_cells(summary, name), name
    headline = texts[0]
    total = summary.loc["total"]
    assert (
        f"拟由企业服务 {int(total['provider_delivered'])} 个（{total['provider_rate']:.1%}）"
        in headline
    )
    assert (
        f"拟由社区兜底 {int(total['community_carried'])} 个（{total['community_rate']:.1%}）"
        in headline
    )
    # the bundle table: each bundle's compounds and households
    for bundle_id, b in plan.bundles.iterrows():
        row = next(line for line in texts[2].splitlines() if line.startswith(bundle_id + " "))
        assert f" {int(b['compounds'])} {int(b['households']):,} " in row
    # each subdistrict page lists its unmanaged compounds outside bundles
    c = plan.compounds
    for name, text in zip(summary.index[:-1], texts[3:-1], strict=True):
        outside = c[(c["subdistrict"] == name) & c["service_mode"].isin(lg.SERVICE_MODES[2:])]
        assert len(outside) > 0
        for _, compound in outside.iterrows():
            assert f"{compound['name']} " in text


def test_fonts_are_embedded_subsets(pdf):
    reader = pypdf.PdfReader(pdf)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    chinese = [f for name, f in fonts.items() if "WenQuanYi" in name or "Hei" in name]
    assert chinese, sorted(fonts)
    for font in chinese:
        assert str(font["/BaseFont"]).lstrip("/")[6] == "+"  # a subset: ABCDEF+Name
        descendant = font["/DescendantFonts"][0].get_object()
        assert descendant["/Subtype"] == "/CIDFontType2"  # TrueType outlines (Type 42)
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded


def test_same_plan_same_bytes_whatever_the_hash_seed(plan, pdf, tmp_path):
    again = export_pdf(plan, tmp_path / "again.pdf")
    assert again.read_bytes() == pdf.read_bytes()
    info = pypdf.PdfReader(pdf).metadata
    assert info["/CreationDate"] == "D:20261127160000Z"  # 2026-11-28 00:00 China time
    assert "matplotlib" not in str(info).lower()
    png_a = export_png(plan, tmp_path / "a.png", dpi=60)
    png_b = export_png(plan, tmp_path / "b.png", dpi=60)
    assert png_a.read_bytes() == png_b.read_bytes()
    assert b"tEXt" not in png_a.read_bytes()  # no Software / date chunk
    script = (
        "import sys; sys.path.insert(0, 'tests'); from test_briefing import small_plan; "
        "from lianhu_geo import export_pdf; export_pdf(small_plan(), sys.argv[1])"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = tmp_path / "seeded.pdf"
    subprocess.run([sys.executable, "-c", script, str(out)], cwd=ROOT, env=env, check=True)
    assert out.read_bytes() == pdf.read_bytes()


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (Debian poppler-utils) missing"
)
def test_rendered_map_page_is_not_blank(pdf, tmp_path_factory):
    from PIL import Image

    folder = tmp_path_factory.mktemp("pages")
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "4", str(pdf), str(folder / "page")],
        check=True,
    )
    pages = sorted(folder.glob("page-*.png"))
    assert len(pages) == 4
    for page in (pages[0], pages[3]):  # the district map, a subdistrict's map
        pixels = np.asarray(Image.open(page).convert("L"))
        assert pixels.shape[1] > pixels.shape[0]  # landscape
        assert (pixels < 240).mean() > 0.08, page  # drawn on, not a blank page
    print(f"\nbriefing pack pages rendered in {folder}")


def test_text_from_data_is_drawn_literally(tmp_path):
    names = [f"院{i}" for i in range(24)]
    names[1], names[2], names[3] = "${7*7}$ 院", r"$\frac{1}{2}$", "{{ 6*7 }}"
    hostile = small_plan(name=names)
    path = export_pdf(hostile, tmp_path / "h.pdf")
    text = "\n".join(page_texts(path))
    for name in ("${7*7}$ 院", r"$\frac{1}{2}$", "{{ 6*7 }}"):
        assert name in text, name
    assert "42" not in text.replace("2026", "")


def test_english_pack(plan, tmp_path):
    texts = [
        " ".join(t.split()) for t in page_texts(export_pdf(plan, tmp_path / "en.pdf", lang="en"))
    ]
    assert "provider rate (proposed)" in texts[1] and "community rate (proposed)" in texts[1]
    assert "2026-11-28" in texts[-1]


def test_bundle_table_flows_over_pages(tmp_path):
    g = grid_compounds(12, 12)
    g["households"] = 60  # pairs of courtyards: many small bundles
    plan = lg.plan_coverage(g, created="2026-11-28", min_households=100, max_compounds=2)
    texts = page_texts(export_pdf(plan, tmp_path / "long.pdf"))
    heads = [subtitle(t) for t in texts]
    bundle_pages = [t for t, h in zip(texts, heads, strict=True) if h.startswith("片区清单：")]
    assert len(plan.bundles) > 45 and len(bundle_pages) >= 2
    assert "片区清单（续）" in bundle_pages[1]
    listed = [line.split()[0] for t in bundle_pages for line in t.splitlines() if line[:1] == "B"]
    assert listed == sorted(plan.bundles.index)  # each bundle once, in order, across pages
    subdistricts = plan.summary().index[:-1]
    continued = sum(h.endswith("（续）") for h in heads)
    assert len(texts) == 1 + 1 + len(bundle_pages) + len(subdistricts) + continued + 1


def test_bad_arguments_and_no_font(plan, tmp_path, monkeypatch):
    with pytest.raises(InputError, match="CoveragePlan"):
        export_pdf("plan", tmp_path / "x.pdf")
    with pytest.raises(InputError, match="lang"):
        export_pdf(plan, tmp_path / "x.pdf", lang="fr")
    with pytest.raises(InputError, match="NeighborhoodGrid"):
        export_pdf(plan, tmp_path / "x.pdf", grid="grid")
    with pytest.raises(OutputError, match="does not exist"):
        export_pdf(plan, tmp_path / "missing" / "x.pdf")
    with pytest.raises(InputError, match="font="):
        export_pdf(plan, tmp_path / "x.pdf", font="No Such Font 字体")
    import matplotlib

    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    with pytest.raises(InputError, match="not a TrueType font with Chinese characters"):
        export_pdf(plan, tmp_path / "x.pdf", font=latin)
    monkeypatch.setattr(_fonts, "FAMILIES", ("No Such Font 字体",))
    with pytest.raises(RuntimeError, match="apt-get install fonts-wqy-microhei"):
        export_pdf(plan, tmp_path / "x.pdf")
    assert not list(tmp_path.iterdir())  # nothing written, not even a temporary file


def test_failed_write_keeps_the_old_pack(plan, pdf, tmp_path, monkeypatch):
    target = tmp_path / "汇报材料.pdf"
    target.write_bytes(pdf.read_bytes())
    import lianhu_geo.briefing._pages as pages

    real = pages.pages

    def broken(*args, **kwargs):  # the disk fills after the first page
        yield next(real(*args, **kwargs))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pages, "pages", broken)
    with pytest.raises(OSError, match="No space"):
        export_pdf(plan, target)
    assert target.read_bytes() == pdf.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["汇报材料.pdf"]


def test_a_font_file_can_be_named(plan, pdf, tmp_path):
    path = _fonts.find_font()
    again = export_pdf(plan, tmp_path / "f.pdf", font=path)
    assert again.read_bytes() == pdf.read_bytes()  # the same font as found: the same pack


def test_characters_the_font_lacks_are_named(tmp_path):
    names = [f"院{i}" for i in range(24)]
    names[1] = "\U0001f3e0院"  # a house emoji: no CJK font here has it
    with pytest.warns(DataWarning, match="cannot show some characters"):
        export_pdf(small_plan(name=names), tmp_path / "w.pdf")


def test_grid_counts_on_the_last_page(plan, tmp_path):
    with pytest.warns(DataWarning, match="buildings"):
        grid = lg.build_grid(plan)
    texts = page_texts(export_pdf(plan, tmp_path / "g.pdf", grid=grid))
    households = int(grid.counts()["household"])
    assert f"邻里格: 居民家庭 {households:,}" in texts[-1]


def test_decision_pages(tmp_path):
    """Issue 14: stations, new sites, heads and companies each get a page with their figures."""
    import pandas as pd

    plan = small_plan(property_company=["甲物业" if i % 4 == 0 else None for i in range(24)])
    compounds = plan.compounds
    stations = pd.DataFrame({"station_id": ["S1"], "compound_id": ["C00"]})
    coverage = lg.station_coverage(compounds, stations, max_walk_m=150)
    sites = lg.site_stations(compounds, existing=stations, max_walk_m=150, budget=2)
    firms = pd.DataFrame(
        {
            "company_id": ["P1"],
            "name": ["甲物业"],
            "service_types": ["物业"],
            "capacity_households": [5000],
        }
    )
    companies = lg.match_companies(plan, firms)
    path = export_pdf(plan, tmp_path / "d.pdf", decisions=[coverage, sites, companies])
    texts = page_texts(path)
    plain = page_texts(export_pdf(plan, tmp_path / "p.pdf"))
    assert len(texts) == len(plain) + 3  # one page each, before the parameters
    heads = [subtitle(t) for t in texts[-4:-1]]
    assert heads == ["党群服务站覆盖", "新建服务站选址", "候选企业"]
    legends = ("步行可达", "新建服务站可达")  # the maps' legends
    for text, result, legend in zip(texts[-4:-2], (coverage, sites), legends, strict=True):
        total = result.summary().loc["total"]
        row = next(line for line in text.splitlines() if line.startswith("合计 "))
        assert row.split()[1:3] == [
            f"{int(total['compounds']):,}",
            f"{int(total['compounds_reached']):,}",
        ]
        assert f"{total['reach_rate']:.1%}" in row
        assert legend in text
    reached = int(coverage.summary().loc["total", "compounds_reached"])
    assert 0 < reached < len(compounds)  # the page tells reached from not reached
    with pytest.raises(InputError, match="decisions"):
        export_pdf(plan, tmp_path / "x.pdf", decisions=["stations"])
