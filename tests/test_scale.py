"""Planning by subdistrict: the same plan serially, in processes and on Dask."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from scale_fixtures import province_compounds

import lianhu_geo as lg
from lianhu_geo.errors import InputError
from lianhu_geo.scale import bundle_by_group, group_seed

CREATED = "2026-12-06"


@pytest.fixture(scope="module")
def province():
    """1,500 compounds in 16 subdistricts, rows shuffled."""
    data = province_compounds(1500, subdistricts=16, seed=4)
    order = np.random.default_rng(1).permutation(len(data))
    return data.iloc[order]


@pytest.fixture(scope="module")
def serial(province):
    return lg.plan_coverage(province, engine="serial", created=CREATED)


def _files(plan, folder) -> dict[str, str]:
    paths = plan.to_file(folder)
    return {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items()}


def _same(a, b) -> None:
    pd.testing.assert_series_equal(a.compounds["bundle_id"], b.compounds["bundle_id"])
    pd.testing.assert_series_equal(a.compounds["service_mode"], b.compounds["service_mode"])
    assert a.equals(b)


def test_serial_plan_is_by_subdistrict(serial, province):
    """Bundle ids run over subdistricts in order, then each one's first member."""
    bundles = serial.bundles
    assert len(bundles) > 30
    assert bundles.index.tolist() == [f"B{k:03d}" for k in range(1, len(bundles) + 1)]
    first = [ids.split(",")[0] for ids in bundles["compound_ids"]]
    keys = list(zip(bundles["subdistrict"], first, strict=True))
    assert keys == sorted(keys)
    assert (bundles["subdistrict"].str.count("、") == 0).all()  # never across subdistricts
    assert serial.options["seed"] == 0 and serial.options["time_limit_s"] == 1.0


def test_processes_give_the_same_plan(serial, province):
    parallel = lg.plan_coverage(province, workers=2, created=CREATED)
    _same(serial, parallel)  # the files are the plan's (their bytes: the Dask test)


def test_dask_local_cluster_gives_the_same_plan(serial, province, tmp_path):
    distributed = pytest.importorskip(
        "distributed", reason="dask.distributed is the optional extra lianhu_geo[scale]"
    )
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = lg.plan_coverage(province, engine=client, created=CREATED)
        by_address = bundle_by_group(province, engine=cluster.scheduler_address)
    _same(serial, on_dask)
    pd.testing.assert_series_equal(
        by_address.labels, serial.compounds["bundle_id"], check_names=False
    )
    assert _files(serial, tmp_path / "serial") == _files(on_dask, tmp_path / "dask")


def test_row_order_and_seed(serial, province):
    again = lg.plan_coverage(province.sort_index(), engine="serial", created=CREATED)
    a = serial.compounds.set_index("compound_id")["bundle_id"].sort_index()
    b = again.compounds.set_index("compound_id")["bundle_id"].sort_index()
    pd.testing.assert_series_equal(a, b)


def test_each_subdistrict_is_solved_with_its_own_seed(province, monkeypatch):
    from lianhu_geo.scale import _groups

    seen = {}
    real = _groups.propose_bundles

    def spy(compounds, *, seed, **options):
        seen[compounds.data["subdistrict"].iloc[0]] = (seed, len(compounds.data))
        return real(compounds, seed=seed, **options)

    monkeypatch.setattr(_groups, "propose_bundles", spy)
    result = bundle_by_group(province, engine="serial", seed=7, time_limit_s=0)
    sizes = province["subdistrict"].value_counts()
    assert seen == {s: (group_seed(s, 7), int(sizes[s])) for s in sizes.index}
    assert result.options["seed"] == 7


def test_group_seed_comes_from_the_key_not_the_order():
    seeds = {key: group_seed(key, 3) for key in ("甲街道", "乙街道", "丙街道")}
    assert len(set(seeds.values())) == 3
    assert group_seed("乙街道", 3) == seeds["乙街道"] != group_seed("乙街道", 4)
    assert min(seeds.values()) >= 0 and max(seeds.values()) < 2**63


def test_a_subdistrict_solved_alone_keeps_its_bundles(province):
    """Its seed does not depend on the others (with the exact stages off)."""
    whole = bundle_by_group(province, engine="serial", time_limit_s=0)
    name = sorted(province["subdistrict"].unique())[5]
    alone = bundle_by_group(
        province[province["subdistrict"] == name], engine="serial", time_limit_s=0
    )

    def members(result, sub):
        table = result.bundles
        return sorted(table.loc[table["subdistrict"] == sub, "compound_ids"])

    assert members(whole, name) == members(alone, name) != []


def test_locked_bundle_across_subdistricts_is_one_group(province):
    subs = sorted(province["subdistrict"].unique())
    a = province[province["subdistrict"] == subs[0]]["compound_id"].iloc[:2].tolist()
    b = province[province["subdistrict"] == subs[1]]["compound_id"].iloc[:1].tolist()
    locked = pd.Series(pd.NA, index=province.index, dtype="object")
    locked[province["compound_id"].isin(a + b).to_numpy()] = "已签约片区"
    serial = bundle_by_group(province, engine="serial", locked=locked, time_limit_s=0)
    row = serial.bundles.loc["已签约片区"]
    assert row["compounds"] == 3 and row["locked"]
    assert sorted(row["compound_ids"].split(",")) == sorted(a + b)
    assert row["subdistrict"] == f"{subs[0]}、{subs[1]}"
    assert serial.bundles.index.is_unique
    assert serial.quality()["locked_bundles"] == 1


def test_bad_engine_and_workers(province):
    with pytest.raises(InputError, match="`engine` must be one of serial, processes, dask"):
        bundle_by_group(province, engine="spark")
    with pytest.raises(InputError, match="`workers` must be a whole number >= 1"):
        bundle_by_group(province, workers=0)
