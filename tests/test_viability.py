import numpy as np
import pytest
from lianhu_geo.viability import ViabilityModel

from lianhu_geo.errors import InputError


def test_defaults_give_a_threshold_of_two_to_three_thousand():
    model = ViabilityModel()
    h = model.min_households()
    assert 2000 <= h <= 3000
    assert model.margin_yuan_month(h) >= 0 > model.margin_yuan_month(h - 1)


def test_margin_is_linear_and_vectorized():
    model = ViabilityModel()
    m = model.margin_yuan_month(np.array([0, 1000, 2000]))
    assert m[0] == -model.fixed_cost_yuan_month
    assert np.isclose(m[2] - m[1], m[1] - m[0])
    assert isinstance(model.margin_yuan_month(10), float)


@pytest.mark.parametrize(
    ("change", "direction"),
    [
        ({"fee_yuan_per_m2_month": 0.6}, -1),
        ({"collection_rate": 0.9}, -1),
        ({"fixed_cost_yuan_month": 15000.0}, 1),
        ({"staff_cost_yuan_month": 4000.0}, 1),
        ({"households_per_staff": 400.0}, -1),
    ],
)
def test_overrides_move_the_threshold_the_right_way(change, direction):
    base = ViabilityModel().min_households()
    assert np.sign(ViabilityModel(**change).min_households() - base) == direction


def test_unprofitable_assumptions_raise():
    with pytest.raises(InputError, match="no bundle pays"):
        ViabilityModel(fee_yuan_per_m2_month=0.1).min_households()
    with pytest.raises(InputError, match="collection_rate"):
        ViabilityModel(collection_rate=0)
    with pytest.raises(InputError, match="households_per_staff"):
        ViabilityModel(households_per_staff=0)
    with pytest.raises(InputError, match="fixed_cost"):
        ViabilityModel(fixed_cost_yuan_month=-1)
