"""The explorer, driven from Python: each control replans as plan_coverage would."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import lianhu_geo as lg
from lianhu_geo.errors import InputError
from lianhu_geo.explorer._widget import figures_of

CREATED = "2026-11-28"
TWO = ["北院门街道", "青年路街道"]


@pytest.fixture(scope="module")
def compounds():
    """Two subdistricts of the sample (392 compounds, 8 bundles by default), shuffled."""
    sample = lg.load_sample()
    part = sample[sample["subdistrict"].isin(TWO)]
    return part.sample(frac=1, random_state=1)


@pytest.fixture
def ex(compounds):
    return lg.explore(compounds, created=CREATED, debounce_s=0)


def _same(ex, compounds, **kwargs):
    """The explorer's plan, figures and map are those of the same plan_coverage call."""
    data = compounds
    subdistricts = kwargs.pop("subdistricts", None)
    if subdistricts:
        data = compounds[compounds["subdistrict"].isin(subdistricts)]
    expected = lg.plan_coverage(data, created=CREATED, **kwargs)
    assert ex.plan.equals(expected)
    assert ex.plan.compounds.index.equals(data.index)
    assert ex.figures == figures_of(expected)
    total = expected.summary().loc["total"]
    assert ex.figures["bundles"] == len(expected.bundles) == total["bundles"]
    assert ex.figures["coverage_rate"] == total["coverage_rate"]
    assert ex.figures["provider_rate"] == total["provider_rate"]
    assert ex.figures["community_carried"] == total["community_carried"]
    features = ex.map_data["features"]
    by_id = expected.compounds.set_index("compound_id")
    assert sorted(f["id"] for f in features) == sorted(by_id.index)
    for f in features:
        p = f["properties"]
        assert p["mode"] == by_id.loc[f["id"], "service_mode"]
        bundle = by_id.loc[f["id"], "bundle_id"]
        assert p["bundle"] == (None if pd.isna(bundle) else bundle)
    assert sorted(f["id"] for f in ex.bundle_data["features"]) == sorted(expected.bundles.index)
    return expected


def test_opens_with_the_default_plan(ex, compounds):
    _same(ex, compounds)
    assert ex.figures["unmanaged"] == int((compounds["management"] == "unmanaged").sum())
    # honest rates: every unmanaged compound has a mode, fewer are in bundles
    assert ex.figures["coverage_rate"] == 1.0
    assert 0 < ex.figures["bundle_rate"] < 1
    assert ex.w_min_households.value == ex.plan.options["min_households"] == 2381
    assert "data-revision" in ex.w_figures.value and "B001" in ex.w_bundles.value
    # the panel shows what a provider would deliver and what the community carries
    f = ex.figures
    assert f["provider_delivered"] + f["community_carried"] == f["unmanaged"]
    shown = f"{f['provider_rate']:.1%}（{f['provider_delivered']:,}）"
    assert re.search(f"拟由企业服务</th><td[^>]*>{re.escape(shown)}</td>", ex.w_figures.value)
    assert lg.labels.label("coverage_rate") not in ex.w_figures.value


CONTROLS = [
    # (widget, value, the plan_coverage options it stands for)
    ("w_max_compounds", 10, {"max_compounds": 10}),
    ("w_max_gap", 80, {"max_gap_m": 80.0}),
    ("w_fee", 0.6, {"viability": lg.ViabilityModel(fee_yuan_per_m2_month=0.6)}),
    ("w_collection", 0.8, {"viability": lg.ViabilityModel(collection_rate=0.8)}),
    ("w_staff", 3000, {"viability": lg.ViabilityModel(staff_cost_yuan_month=3000.0)}),
    ("w_fixed", 3000, {"viability": lg.ViabilityModel(fixed_cost_yuan_month=3000.0)}),
    ("w_subdistricts", ("青年路街道",), {"subdistricts": ["青年路街道"]}),
]


@pytest.mark.parametrize(("widget", "value", "kwargs"), CONTROLS, ids=[c[0] for c in CONTROLS])
def test_each_control_replans_as_plan_coverage(ex, compounds, widget, value, kwargs):
    before = ex.plan
    getattr(ex, widget).value = value
    ex.wait()
    expected = _same(ex, compounds, **kwargs)
    assert not expected.equals(before), "the control changed nothing"


def test_threshold_cap_and_span_switches(ex, compounds):
    ex.w_auto.value = False  # the slider's value (the model's 2381) becomes explicit
    ex.wait()
    _same(ex, compounds, min_households=2381)
    ex.w_min_households.value = 1500
    ex.wait()
    _same(ex, compounds, min_households=1500)
    ex.w_cap_none.value = True
    ex.wait()
    _same(ex, compounds, min_households=1500, max_compounds=None)
    ex.w_span_none.value = False
    ex.w_max_span.value = 600
    ex.wait()
    _same(ex, compounds, min_households=1500, max_compounds=None, max_span_m=600.0)
    ex.w_auto.value = True
    ex.wait()
    _same(ex, compounds, max_compounds=None, max_span_m=600.0)


def test_set_from_python_moves_the_controls(ex, compounds):
    ex.set(max_compounds=25, max_span_m=900, min_households=2000, subdistricts=["北院门街道"])
    _same(ex, compounds, max_compounds=25, max_span_m=900.0, min_households=2000,
          subdistricts=["北院门街道"])  # fmt: skip
    assert ex.w_max_compounds.value == 25 and not ex.w_cap_none.value
    assert ex.w_max_span.value == 900 and not ex.w_span_none.value
    assert ex.w_min_households.value == 2000 and not ex.w_auto.value
    assert ex.w_subdistricts.value == ("北院门街道",)


def test_quick_changes_plan_once(compounds):
    ex = lg.explore(compounds, created=CREATED, debounce_s=0.5)
    revision = ex.revision
    ex.w_max_compounds.value = 12
    ex.w_max_gap.value = 60
    assert ex.w_progress.layout.visibility == "visible"
    ex.wait()
    assert ex.revision == revision + 1
    assert ex.w_progress.layout.visibility == "hidden"
    _same(ex, compounds, max_compounds=12, max_gap_m=60.0)


def test_lock_and_exclude_through_the_api(ex, compounds):
    first = ex.plan.bundles.index[0]
    members = ex.plan.bundles.loc[first, "compound_ids"].split(",")
    ex.lock([members[0]])
    assert set(ex.state.locked) == set(members)
    loose = ex.plan.compounds.loc[
        ex.plan.compounds["bundle_id"].notna() & (ex.plan.compounds["bundle_id"] != first),
        "compound_id",
    ].iloc[:3]
    ex.exclude(list(loose))
    ex.set(max_compounds=5)  # the locked bundle has more: it stays as it was
    locked = compounds["compound_id"].map(dict.fromkeys(members, first)).astype("string")
    _same(ex, compounds, max_compounds=5, locked=locked, exclude=sorted(loose))
    kept = ex.plan.compounds[ex.plan.compounds["compound_id"].isin(members)]
    assert (kept["bundle_id"] == first).all()
    out = ex.plan.compounds[ex.plan.compounds["compound_id"].isin(loose)]
    assert out["bundle_id"].isna().all() and (out["unbundled_reason"] == "规划人员排除").all()
    drawn = {f["id"]: f["properties"] for f in ex.map_data["features"]}
    assert all(drawn[m]["locked"] for m in members) and all(drawn[c]["excluded"] for c in loose)
    ex.unlock().include()
    _same(ex, compounds, max_compounds=5)


def test_lock_and_exclude_by_clicking_the_map(ex, compounds):
    bundled = ex.plan.compounds.dropna(subset=["bundle_id"])
    cid, bundle = bundled["compound_id"].iloc[0], bundled["bundle_id"].iloc[0]
    other = bundled.loc[bundled["bundle_id"] != bundle, "compound_id"].iloc[0]

    def click(compound_id):  # the message Leaflet's click sends to the kernel
        feature = next(f for f in ex.map_data["features"] if f["id"] == compound_id)
        ex.w_compounds._handle_mouse_events(
            None, {"event": "click", "feature": feature, "properties": feature["properties"]}, []
        )
        ex.wait()

    ex.w_click.value = "lock"
    click(cid)
    members = bundled.loc[bundled["bundle_id"] == bundle, "compound_id"]
    assert set(ex.state.locked) == set(members)
    ex.w_click.value = "exclude"
    click(other)
    click(cid)  # locked: refused, said in the status line
    assert "locked" in ex.status and cid not in ex.state.exclude
    locked = compounds["compound_id"].map(dict.fromkeys(members, bundle)).astype("string")
    _same(ex, compounds, locked=locked, exclude=[other])
    click(other)  # a second click takes the exclusion back
    ex.w_click.value = "lock"
    click(cid)  # and unlocks
    _same(ex, compounds)
    ex.w_click.value = "info"
    click(cid)
    assert ex.status.startswith(str(bundled["name"].iloc[0]))


def test_two_scenarios_compare_and_diff(ex, compounds):
    a = ex.keep("默认").plan
    ex.set(max_compounds=8)
    b = ex.keep("8 courtyards").plan
    assert list(ex.scenarios) == ["默认", "8 courtyards"]
    pd.testing.assert_frame_equal(
        ex.compare(), lg.compare_plans({"默认": a, "8 courtyards": b}, lang="zh")
    )
    assert "lianhu-compare" in ex.w_table.value
    changes = ex.diff("默认", "8 courtyards")
    pd.testing.assert_frame_equal(changes, lg.plan_diff(a, b))
    assert len(changes) > 0
    drawn = {f["id"] for f in ex.map_data["features"] if f["properties"]["changed"]}
    assert drawn == set(changes.index)
    ex.show_plan()
    assert "mode" in ex.map_data["features"][0]["properties"]
    ex.restore("默认")
    assert ex.plan.equals(a) and ex.w_max_compounds.value == 40


def test_export_a_scenario(ex, tmp_path):
    ex.keep("默认")
    ex.set(max_compounds=8)
    paths = ex.export(tmp_path / "s", scenario="默认")
    assert {"gpkg", "xlsx", "map"} <= set(paths)
    assert lg.read_plan(tmp_path / "s").equals(ex.scenarios["默认"])
    assert "<script src=" not in paths["map"].read_text(encoding="utf-8")
    # the scenario's briefing pack (issue 13): its figures, not the current plan's
    from pypdf import PdfReader

    pack = PdfReader(paths["briefing_pack"])
    assert paths["briefing_pack"].name == "汇报材料.pdf" and paths["map_png"].stat().st_size
    total = ex.scenarios["默认"].summary().loc["total"]
    headline = f"拟由企业服务 {int(total['provider_delivered'])} 个（{total['provider_rate']:.1%}）"
    assert headline in pack.pages[0].extract_text()
    assert f"片区清单：{len(ex.scenarios['默认'].bundles)}" in pack.pages[2].extract_text()
    assert len(ex.scenarios["默认"].bundles) != len(ex.plan.bundles)  # it could tell them apart
    ex.keep("8")
    out = ex.export_diff("默认", "8", tmp_path / "diff.html")
    assert "lianhuMap" in out.read_text(encoding="utf-8")
    ex.w_export_which.value = "8"
    ex.w_folder.value = str(tmp_path / "ui")
    ex.w_export.click()
    assert lg.read_plan(tmp_path / "ui" / "8").equals(ex.scenarios["8"])


def test_bad_options_are_refused(compounds):
    with pytest.raises(
        InputError, match="unknown option `max_compund`; did you mean `max_compounds`"
    ):
        lg.explore(compounds, max_compund=3)
    ex = lg.explore(compounds, created=CREATED, debounce_s=0)
    with pytest.raises(InputError, match="`max_compounds` must be a whole number >= 1"):
        ex.set(max_compounds=0)
    with pytest.raises(InputError, match="`max_span_m` must be a distance in metres > 0"):
        ex.set(max_span_m=-5)
    with pytest.raises(InputError, match="not subdistricts of these compounds"):
        ex.set(subdistricts=["西关"])
    with pytest.raises(InputError, match="no bundle pays"):
        ex.set(fee_yuan_per_m2_month=0.1)
    loose = ex.plan.compounds.loc[ex.plan.compounds["bundle_id"].isna(), "compound_id"].iloc[0]
    with pytest.raises(InputError, match="not in a bundle"):
        ex.lock([loose])
    with pytest.raises(InputError, match="unknown compound ids"):
        ex.exclude(["NOPE"])
    with pytest.raises(InputError, match="no scenario named"):
        ex.diff("a", "b")
    _same(ex, compounds)  # nothing above changed the plan
    ex.w_fee.value = 0.1  # the same from a control: said, not raised, plan kept
    ex.wait()
    assert "no bundle pays" in ex.status
    _same(ex, compounds)


def test_starting_options_and_locks_outside_the_filter(compounds):
    unmanaged = compounds.loc[compounds["management"] == "unmanaged", "compound_id"]
    out = sorted(unmanaged.iloc[:4])
    ex = lg.explore(compounds, created=CREATED, debounce_s=0, exclude=out, max_compounds=30)
    _same(ex, compounds, exclude=out, max_compounds=30)
    bundles = ex.plan.bundles
    first = bundles.index[bundles["subdistrict"] == "北院门街道"][0]
    members = bundles.loc[first, "compound_ids"].split(",")
    ex.lock(members[:1])
    ex.set(subdistricts=["青年路街道"])  # the locked bundle is not planned here
    part = compounds[compounds["subdistrict"] == "青年路街道"]
    _same(ex, compounds, subdistricts=["青年路街道"], max_compounds=30,
          exclude=sorted(set(out) & set(part["compound_id"])) or None)  # fmt: skip
    ex.set(subdistricts=[])  # and is back, locked, with the district
    locked = compounds["compound_id"].map(dict.fromkeys(members, first)).astype("string")
    _same(ex, compounds, exclude=out, max_compounds=30, locked=locked)


def test_close_closes_every_widget(compounds):
    from ipywidgets.widgets.widget import _instances  # every open widget, by model id

    before = set(_instances)
    ex = lg.explore(compounds.iloc[:50], created=CREATED)
    made = set(_instances) - before
    assert len(made) > 20
    ex.w_max_compounds.value = 5  # a pending replan is cancelled, not run after close
    ex.close()
    assert not set(_instances) & made


def test_points_projected_crs_and_english(islands):
    points = islands.copy()
    points["geometry"] = islands.geometry.centroid  # compounds known by a point only
    ex = lg.explore(points, lang="en", created=CREATED, debounce_s=0, min_households=100)
    _same(ex, points, min_households=100)
    assert {f["geometry"]["type"] for f in ex.map_data["features"]} == {"Point"}
    assert "share in bundles" in ex.w_figures.value and "片区" not in ex.w_figures.value
    assert ex.w_max_compounds.description == "most compounds per bundle"
    assert ex.w_max_gap.value == 250  # points link by distance: the slider is max_link_m
    ex.w_max_gap.value = 400
    ex.wait()
    _same(ex, points, min_households=100, max_link_m=400.0)


def test_data_warnings_are_said_not_lost(compounds):
    data = compounds.copy()
    modes = lg.plan_coverage(compounds, created=CREATED).compounds["service_mode"]
    unknown = modes.index[modes.isin(["extended", "self_governed"])][:2]  # triaged, not bundled
    data["willing_to_pay"] = data["willing_to_pay"].astype(object)
    data.loc[unknown, "willing_to_pay"] = None
    ex = lg.explore(data, created=CREATED, debounce_s=0)
    assert ex.warnings and all(str(data.loc[i, "compound_id"]) in ex.warnings[0] for i in unknown)
    assert ex.warnings[0] in ex.status
    with pytest.warns(lg.DataWarning):  # the same call outside the explorer warns
        lg.plan_coverage(data, created=CREATED)


def test_a_plan_that_cannot_be_made_leaves_the_state_as_it_was(ex, compounds, monkeypatch):
    import lianhu_geo.explorer._widget as widget

    def refuse(*args, **kwargs):
        raise InputError("no plan today")

    monkeypatch.setattr(widget, "plan_coverage", refuse)
    with pytest.raises(InputError, match="no plan today"):
        ex.set(max_compounds=7)
    assert ex.state.options["max_compounds"] == 40
    ex.w_max_gap.value = 90  # from a control: said in the status line, plan kept
    ex.wait()
    assert "no plan today" in ex.status
    monkeypatch.undo()
    _same(ex, compounds)
