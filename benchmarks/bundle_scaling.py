"""Time propose_bundles alone on Voronoi tessellations of n random points.

Households are lognormal with median 300 (sigma 0.8 by default), threshold
3,000, no size cap, neighbours are touching cells (``--max-gap-m 0``): the
setting of issue 3's benchmark, at sizes the anchors cannot reach.

    PYTHONPATH=. python benchmarks/bundle_scaling.py 1500 5000 20000 100000
    PYTHONPATH=. python benchmarks/bundle_scaling.py --sigma 0.6 --max-gap-m 40 1500

Prints one line per n: seconds inside propose_bundles, bundles, the upper
bound, household coverage and mean Polsby-Popper. Peak memory: run one n
under `/usr/bin/time -v`.
"""

import argparse
import time

import geopandas as gpd
import numpy as np
import shapely

from lianhu_geo import propose_bundles


def tessellation(n: int, seed: int = 1, sigma: float = 0.8) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 1, (n, 2)) * np.sqrt(n) * 150 + [300_000, 3_780_000]
    frame = shapely.box(*pts.min(0), *pts.max(0))
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    households = np.round(rng.lognormal(np.log(300), sigma, n)).astype(int)
    return gpd.GeoDataFrame(
        {
            "compound_id": [f"C{k:06d}" for k in range(n)],
            "name": "x",
            "subdistrict": "s",
            "community": "c",
            "households": households,
            "management": "unmanaged",
        },
        geometry=cells,
        crs=32649,
    )


def main(sizes: list[int], sigma: float, max_gap_m: float) -> None:
    print(f"sigma={sigma}  max_gap_m={max_gap_m}")
    for n in sizes:
        gdf = tessellation(n, sigma=sigma)
        start = time.perf_counter()
        result = propose_bundles(
            gdf, min_households=3000, max_compounds=None, min_compounds=1, max_gap_m=max_gap_m
        )
        seconds = time.perf_counter() - start
        q = result.quality()
        print(
            f"n={n:>7,d}  {seconds:6.1f} s  bundles={q['bundles']:,d} "
            f"(bound {q['upper_bound']:,d}, {q['bound_ratio']:.1%})  "
            f"coverage={q['household_coverage']:.1%}  "
            f"mean PP={result.bundles['polsby_popper'].mean():.3f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1500, 5000, 20000])
    parser.add_argument("--sigma", type=float, default=0.8, help="of log households")
    parser.add_argument("--max-gap-m", type=float, default=0.0, help="neighbour gap")
    args = parser.parse_args()
    main(args.sizes, args.sigma, args.max_gap_m)
