"""The viability model: when one property company can serve a bundle.

A 片区大物业 bundle is worth proposing when the fees one property company
collects cover the staff it needs and the fixed cost of running the bundle.
:class:`ViabilityModel` states that as a small, linear cost model whose
every number is an assumption a planner can override:

``margin = households * (fee * floor_area * collection_rate - staff_cost / households_per_staff)
- fixed_cost``

Staff are counted fractionally: in a bundle, one company shares cleaners,
gate keepers and repair workers across its courtyards, so the staff cost
grows smoothly with households. :meth:`ViabilityModel.min_households` is the
smallest bundle whose margin is not negative; :func:`propose_bundles
<lianhu_geo.bundling.propose_bundles>` uses it when no ``min_households``
is given.

Default assumptions (Xi'an, 2024 prices; change them to local figures)
    ``fee_yuan_per_m2_month = 0.45``
        Basic (一级 or lower) service fees for old compounds in Xi'an are
        low, about 0.3-0.6 yuan per m2 of floor area per month; old
        courtyards taken over in bundles start at the low end.
    ``floor_area_m2_per_household = 65``
        Flats in work-unit courtyards built before 2000 are small, mostly
        50-75 m2.
    ``collection_rate = 0.6``
        Fee collection in courtyards that had no management is partial at
        first; 50-70 % is what districts report for the first years.
    ``households_per_staff = 250``
        A basic package (cleaning, gate duty, small repairs) with staff
        shared across neighbouring courtyards; full service in a commercial
        compound needs about one person per 100-150 households.
    ``staff_cost_yuan_month = 3600``
        Xi'an minimum wage (2,160 yuan, 2024) plus social insurance and
        work clothing for a cleaner or gate keeper.
    ``fixed_cost_yuan_month = 7500``
        One project manager for the bundle, a service office and public
        liability insurance.

With these defaults a household brings 17.55 yuan a month and costs 14.40
yuan of staff, so the fixed cost is covered from about 2,400 households:
about 20 old courtyards of 120 households, like the 32- and 38-courtyard
bundles Lianhu has contracted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..errors import InputError
from ..options import Option, check_options

__all__ = ["MODEL_OPTIONS", "ViabilityModel"]


#: How :class:`ViabilityModel` checks its assumptions (the explorer's sliders too).
MODEL_OPTIONS: tuple[Option, ...] = (
    Option("fee_yuan_per_m2_month", "number", minimum=0),
    Option("floor_area_m2_per_household", "number", minimum=0),
    Option("collection_rate", "number", minimum=0, exclusive_minimum=True, maximum=1),
    Option("households_per_staff", "number", minimum=0, exclusive_minimum=True),
    Option("staff_cost_yuan_month", "number", minimum=0),
    Option("fixed_cost_yuan_month", "number", minimum=0),
)


@dataclass(frozen=True)
class ViabilityModel:
    """A linear monthly cost model of one bundle; every default is an assumption.

    Parameters
    ----------
    fee_yuan_per_m2_month : float, default 0.45
        Property fee per m2 of floor area per month.
    floor_area_m2_per_household : float, default 65
        Average floor area of a household's flat.
    collection_rate : float, default 0.6
        Share of the fees actually collected (0-1].
    households_per_staff : float, default 250
        Households one staff member serves.
    staff_cost_yuan_month : float, default 3600
        Monthly cost of one staff member, insurance included.
    fixed_cost_yuan_month : float, default 7500
        Monthly fixed cost of a bundle (manager, office, insurance).

    Examples
    --------
    >>> model = ViabilityModel()
    >>> model.min_households()
    2381
    >>> round(model.margin_yuan_month(3000))
    1950
    >>> ViabilityModel(collection_rate=0.8).min_households()
    834
    """

    fee_yuan_per_m2_month: float = 0.45
    floor_area_m2_per_household: float = 65.0
    collection_rate: float = 0.6
    households_per_staff: float = 250.0
    staff_cost_yuan_month: float = 3600.0
    fixed_cost_yuan_month: float = 7500.0

    def __post_init__(self) -> None:
        values = {option.name: getattr(self, option.name) for option in MODEL_OPTIONS}
        check_options(values, MODEL_OPTIONS, where="ViabilityModel")

    @property
    def net_yuan_per_household_month(self) -> float:
        """Collected fee minus staff cost per household and month."""
        income = (
            self.fee_yuan_per_m2_month * self.floor_area_m2_per_household * self.collection_rate
        )
        return income - self.staff_cost_yuan_month / self.households_per_staff

    def margin_yuan_month(self, households: ArrayLike) -> np.ndarray | float:
        """Monthly margin of a bundle with ``households`` households (array or scalar)."""
        h = np.asarray(households, dtype=float)
        out = h * self.net_yuan_per_household_month - self.fixed_cost_yuan_month
        return float(out) if out.ndim == 0 else out

    def min_households(self) -> int:
        """Smallest number of households whose margin is not negative.

        Raises
        ------
        InputError
            When a household brings less than its staff cost, so no bundle
            size pays.
        """
        net = self.net_yuan_per_household_month
        if net <= 0:
            raise InputError(
                f"with these assumptions a household brings {net:.2f} yuan a month after "
                "staff cost, so no bundle pays. Raise the fee or collection rate, or the "
                "households per staff, or pass `min_households` directly."
            )
        h = max(1, math.ceil(self.fixed_cost_yuan_month / net - 1e-9))
        while h > 1 and self.margin_yuan_month(h - 1) >= 0:
            h -= 1
        while self.margin_yuan_month(h) < 0:
            h += 1
        return h
