"""Compound heads: every eligible compound one cadre, no cadre over the cap, short travel."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pytest
from decision_fixtures import cadres_at, compounds_at
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianhu_geo import InputError, assign_heads
from lianhu_geo.decisions.heads import tour_length


def test_two_offices_take_the_compounds_on_their_side():
    compounds = compounds_at([(100, 0), (200, 0), (900, 0), (800, 0)])
    cadres = cadres_at([(0, 0), (1000, 0)])
    roster = assign_heads(compounds, cadres)  # 8 visits a month: two compounds each
    heads = dict(zip(roster.compounds["compound_id"], roster.compounds["cadre_id"], strict=True))
    assert heads == {"C000": "K00", "C001": "K00", "C002": "K01", "C003": "K01"}
    # a round: office -> 100 -> 200 -> office = 400 m, four rounds, two cadres
    assert roster.cadres["tour_m"].tolist() == pytest.approx([400, 400], abs=0.5)
    assert roster.monthly_travel_m == pytest.approx(3200, abs=2)
    assert roster.status.method == "highs" and roster.status.status == "optimal"


def test_too_few_cadres_says_by_how_much():
    compounds = compounds_at([(i * 50, 0) for i in range(5)])
    with pytest.raises(InputError, match=r"too few cadres.*5 compounds.*3 compounds \(12 visits\)"):
        assign_heads(compounds, cadres_at([(0, 0)]))
    # a larger cap closes the gap
    roster = assign_heads(compounds, cadres_at([(0, 0)]), max_visits_per_cadre=20)
    assert roster.cadres["visits"].tolist() == [20]


def test_subdistrict_cadres_stay_in_their_subdistrict():
    subs = ["青年路街道", "青年路街道", "北院门街道"]
    compounds = compounds_at([(0, 0), (50, 0), (100, 0)], subdistricts=subs)
    cadres = cadres_at(
        [(100, 0), (0, 0)],
        level=["subdistrict", "subdistrict"],
        subdistricts=["青年路街道", "北院门街道"],
    )
    roster = assign_heads(compounds, cadres)
    assert roster.compounds["cadre_id"].tolist() == ["K00", "K00", "K01"]
    with pytest.raises(InputError, match="北院门街道"):
        assign_heads(compounds, cadres.iloc[:1])
    free = assign_heads(compounds, cadres, same_subdistrict=False)
    assert free.monthly_travel_m < roster.monthly_travel_m


def test_own_cap_and_eligible_and_index():
    compounds = compounds_at([(0, 0), (10, 0), (20, 0)], index=[7, 5, 3])
    cadres = cadres_at([(0, 0), (500, 0)], max_visits=[4, None])
    roster = assign_heads(compounds, cadres, eligible=["C000", "C002"])
    assert roster.compounds.index.equals(compounds.index)
    assert roster.compounds["cadre_id"].isna().tolist() == [False, True, False]
    assert roster.cadres["visits"].tolist() == [4, 4]
    assert (roster.cadres["visits"] <= roster.cadres["max_visits"]).all()


def test_calendar_gives_each_round_a_working_day():
    compounds = compounds_at([(0, 0), (30, 0), (400, 0)])
    roster = assign_heads(compounds, cadres_at([(0, 0), (400, 0)]), month="2026-03")
    calendar = roster.calendar
    assert len(calendar) == 2 * 4
    for _, rounds in calendar.groupby("cadre_id"):
        days = [dt.date.fromisoformat(d) for d in rounds["date"]]
        assert rounds["visit"].tolist() == [1, 2, 3, 4]
        assert all(d.month == 3 and d.weekday() < 5 for d in days)
        assert len(set(days)) == 4 and min(np.diff([d.toordinal() for d in days])) >= 5
    weekly = assign_heads(compounds, cadres_at([(0, 0), (400, 0)]))
    assert weekly.calendar["date"].str.startswith("第").all()
    with pytest.raises(InputError, match="YYYY-MM"):
        assign_heads(compounds, cadres_at([(0, 0)]), month="March")


def test_workbook_has_the_calendar(tmp_path):
    compounds = compounds_at([(0, 0), (30, 0)])
    path = tmp_path / "heads.xlsx"
    assign_heads(compounds, cadres_at([(0, 0)])).to_excel(path)
    book = openpyxl.load_workbook(path)
    assert "走访日程" in book.sheetnames and "院长安排" in book.sheetnames
    assert book["走访日程"].max_row == 1 + 4


def test_tour_is_the_shortest_round():
    d_office = np.array([1.0, 10.0, 1.0])
    d_stop = np.array([[0, 9, 2], [9, 0, 9], [2, 9, 0]], dtype=float)
    length, route = tour_length(0, [0, 1, 2], d_office, d_stop)
    # office -> 0 -> 1 -> 2 -> office beats going 0 -> 2 first (1 + 2 + 9 + 10)
    assert length == pytest.approx(1 + 9 + 9 + 1)
    assert route in ([0, 1, 2], [2, 1, 0])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 2000)), min_size=1, max_size=14),
    st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 2000)), min_size=1, max_size=6),
    st.lists(st.sampled_from([None, 4, 8, 12]), min_size=6, max_size=6),
    st.booleans(),
)
def test_every_compound_one_head_and_no_cap_exceeded(points, offices, caps, exact):
    compounds = compounds_at(points)
    cadres = cadres_at(offices, max_visits=caps[: len(offices)])
    own = np.array([8 if c is None else c for c in caps[: len(offices)]])
    if (own // 4).sum() < len(points):
        with pytest.raises(InputError, match="too few cadres"):
            assign_heads(compounds, cadres, exact=exact)
        return
    roster = assign_heads(compounds, cadres, exact=exact)
    assert roster.compounds["cadre_id"].notna().all()
    assert (roster.cadres["visits"] <= own).all()
    assert roster.cadres["compounds"].sum() == len(points)
    listed = ",".join(s for s in roster.cadres["compound_ids"] if s).split(",")
    assert sorted(listed) == sorted(compounds["compound_id"])


def test_roads_decide_who_is_near():
    import geopandas as gpd
    from decision_fixtures import CRS, X0, Y0
    from shapely.geometry import LineString

    # one compound between two offices; only the east office has a road to it
    compounds = compounds_at([(100, 0)])
    cadres = cadres_at([(0, 0), (300, 0)])
    road = LineString([(X0 + 100, Y0), (X0 + 300, Y0)])
    roads = gpd.GeoDataFrame(geometry=[road, LineString([(X0, Y0), (X0, Y0 + 50)])], crs=CRS)
    straight = assign_heads(compounds, cadres)
    walked = assign_heads(compounds, cadres, roads=roads)
    assert straight.compounds["cadre_id"].tolist() == ["K00"]
    assert walked.compounds["cadre_id"].tolist() == ["K01"]
    assert walked.cadres["tour_m"].tolist()[1] == pytest.approx(400, abs=1)
