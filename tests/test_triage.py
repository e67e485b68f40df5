import pandas as pd
import pytest
from lianhu_geo.triage import (
    DEFAULT_MISSING_MODE,
    FALLBACK_MODES,
    MODE_LABELS,
    MODE_REASONS,
    SERVICE_MODES,
    default_rule,
    triage,
)

from lianhu_geo.errors import DataWarning, InputError


def frame(willing, committee, ids=None):
    n = len(willing)
    return pd.DataFrame(
        {
            "compound_id": ids or [f"C{i}" for i in range(n)],
            "willing_to_pay": pd.array(willing, dtype="boolean"),
            "owners_committee": pd.array(committee, dtype="boolean"),
        },
        index=[10 * i + 3 for i in range(n)],
    )


def test_labels_cover_every_mode():
    assert set(MODE_LABELS) == set(SERVICE_MODES)
    assert set(MODE_REASONS) == set(FALLBACK_MODES)
    assert MODE_LABELS["bundle"] == "片区大物业"
    assert DEFAULT_MISSING_MODE in FALLBACK_MODES


@pytest.mark.parametrize(
    ("willing", "committee", "mode"),
    [
        (True, True, "extended"),
        (True, False, "extended"),
        (True, None, "extended"),
        (False, True, "self_governed"),
        (False, False, "on_demand"),
    ],
)
def test_default_rules(willing, committee, mode):
    row = pd.Series({"willing_to_pay": willing, "owners_committee": committee})
    assert default_rule(row) == mode
    result = triage(frame([willing], [committee]))
    assert result["service_mode"].tolist() == [mode]
    assert result["mode_reason"].tolist() == [MODE_REASONS[mode]]


def test_keeps_index_and_does_not_modify_input():
    data = frame([True, False, False], [False, True, False])
    before = data.copy()
    result = triage(data)
    assert result.index.equals(data.index)
    pd.testing.assert_frame_equal(data, before)
    assert result["service_mode"].tolist() == ["extended", "self_governed", "on_demand"]


@pytest.mark.parametrize(("willing", "committee"), [(None, True), (None, None), (False, None)])
def test_unknown_fields_get_documented_default_and_warn(willing, committee):
    data = frame([True, willing], [True, committee], ids=["A1", "Q7"])
    with pytest.warns(DataWarning, match="Q7"):
        result = triage(data)
    assert result["service_mode"].tolist() == ["extended", DEFAULT_MISSING_MODE]
    assert "不详" in result["mode_reason"].iloc[1]


def test_missing_column_warns_naming_it_and_missing_mode_option():
    data = frame([False, False], [True, True]).drop(columns="owners_committee")
    with pytest.warns(DataWarning, match="no `owners_committee` column.*C0, C1"):
        result = triage(data, missing_mode="self_governed")
    assert (result["service_mode"] == "self_governed").all()


def test_willing_compounds_need_no_committee_column():
    data = frame([True], [True]).drop(columns="owners_committee")
    assert triage(data)["service_mode"].tolist() == ["extended"]


def test_mapping_overrides_some_pairs():
    data = frame([False, False, None], [False, True, None])
    rule = {(False, False): "self_governed", (None, None): "extended"}
    result = triage(data, rule=rule)
    assert result["service_mode"].tolist() == ["self_governed", "self_governed", "extended"]


def test_function_rule_with_reason_and_none():
    data = frame([True, False], [True, False])

    def rule(row):
        if row["willing_to_pay"]:
            return ("on_demand", "试点")
        return None

    with pytest.warns(DataWarning, match="C1"):
        result = triage(data, rule=rule)
    assert result["service_mode"].tolist() == ["on_demand", "on_demand"]
    assert result["mode_reason"].iloc[0] == "试点"


def test_bad_rules_raise():
    data = frame([True], [True])
    with pytest.raises(InputError, match="C0 -> 'bundle'"):
        triage(data, rule=lambda row: "bundle")
    with pytest.raises(InputError, match="triage mapping gives professional"):
        triage(data, rule={(True, True): "professional"})
    with pytest.raises(InputError, match="`rule` must be"):
        triage(data, rule=3)
    with pytest.raises(InputError, match="missing_mode"):
        triage(data, missing_mode="bundle")


def test_rows_that_agree_on_the_fields_get_what_each_row_would_get():
    """triage asks the rules once per pair of fields; every row still gets its own answer."""
    values = [True, False, None]
    pairs = [(w, c) for w in values for c in values] * 2
    data = frame([w for w, _ in pairs], [c for _, c in pairs])
    data["willing_to_pay"] = data["willing_to_pay"].astype(object)  # NA, None, bools mixed
    data.loc[data.index[0], "willing_to_pay"] = float("nan")
    mapping = {(False, None): "self_governed", (None, True): "extended"}
    for rule in (None, mapping):
        with pytest.warns(DataWarning):
            got = triage(data, rule=rule)
        expected = [
            (mapping.get((w, c)) if rule else None) or default_rule(row) or DEFAULT_MISSING_MODE
            for (w, c), (_, row) in zip(
                [(None, pairs[0][1]), *pairs[1:]], data.iterrows(), strict=True
            )
        ]
        assert got["service_mode"].tolist() == expected
