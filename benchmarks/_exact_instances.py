"""Small bundling instances that can be solved to proven optimality.

Voronoi cells as in :mod:`_tessellation` (25,000 m2 each), households
lognormal with a median of 245 (sigma 0.8), threshold 1,000, a cap of
``max_compounds`` per bundle: the setting of issue 17.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from _tessellation import make_tessellation

__all__ = ["HOUSEHOLDS_MEDIAN", "THRESHOLD", "make_instance"]

HOUSEHOLDS_MEDIAN = 245
HOUSEHOLDS_SIGMA = 0.8
THRESHOLD = 1000


def make_instance(n: int, *, seed: int = 0):
    """The cells of ``make_tessellation(n, seed)`` with issue 17's households."""
    gdf = make_tessellation(n, seed=seed)
    rng = np.random.default_rng([seed, n, 17])
    households = np.maximum(
        1, np.rint(rng.lognormal(math.log(HOUSEHOLDS_MEDIAN), HOUSEHOLDS_SIGMA, n))
    ).astype(np.int64)
    gdf["households"] = pd.array(households, dtype="Int64")
    return gdf
