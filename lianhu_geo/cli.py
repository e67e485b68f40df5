"""The ``lianhu-geo`` command: plan, validate and grid for people who do not write Python.

Exit codes: 0 done; 2 wrong command-line usage; 3 the input data has a
problem (the message says which rows and columns, and how to fix them);
1 anything else (a bug: please report it with the message).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["main", "EXIT_OK", "EXIT_USAGE", "EXIT_BAD_INPUT", "EXIT_FAILURE"]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_BAD_INPUT = 0, 1, 2, 3

_DESCRIPTION = """\
Plan property management for residential compounds (小区/院落).

  lianhu-geo plan --out results            plan the embedded Lianhu sample
  lianhu-geo plan my.xlsx --coords bd09 --out results
  lianhu-geo validate my.csv --coords bd09 check a file without planning
  lianhu-geo grid --out results            the five-level grid and grid workers
  lianhu-geo stations --out results        service stations: who is within reach, new sites
  lianhu-geo heads --out results           compound heads (小区院长) and their visit calendar
  lianhu-geo companies --out results       candidate companies for each bundle

Input files: Excel (.xlsx), CSV (UTF-8 or GBK), GeoJSON, GeoPackage or
Shapefile, one row per compound; headers in English or Chinese (小区名称,
街道, 社区, 户数, 管理状态, 经度, 纬度 ...). Without an input file the
embedded synthetic Lianhu sample is used.

Exit codes: 0 done; 2 wrong command line; 3 a problem in the input data
(the message names the rows and columns to fix); 1 an unexpected failure.
"""


class _Progress:
    """Say what is happening on stderr, with how long each step took."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    @contextmanager
    def step(self, text: str) -> Iterator[None]:
        start = time.perf_counter()
        if not self.quiet:
            print(f"… {text}", end="", file=sys.stderr, flush=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        if not self.quiet:
            print(f" ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
        for w in caught:
            print(f"  warning: {w.message}", file=sys.stderr)


def _columns(pairs: Sequence[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    out = {}
    for pair in pairs:
        header, sep, column = pair.partition("=")
        if not sep or not header or not column:
            raise InputError(f"--column {pair!r} must look like 'their header=column'.")
        out[header] = column
    return out


def _load(args: argparse.Namespace, progress: _Progress):
    from .readers import read_compounds
    from .sample import load_sample

    if args.input is None:
        with progress.step("loading the embedded Lianhu sample (synthetic)"):
            return load_sample()
    with progress.step(f"reading {args.input}"):
        return read_compounds(args.input, coords=args.coords, columns=_columns(args.column))


def _add_input(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "input",
        nargs=None if required else "?",
        type=Path,
        help="compounds file (.xlsx, .csv, .geojson, .gpkg, .shp)"
        + ("" if required else "; default: the embedded Lianhu sample"),
    )
    parser.add_argument(
        "--coords",
        choices=["wgs84", "gcj02", "bd09"],
        default="wgs84",
        help="coordinate system of the file's lon/lat: bd09 for Baidu maps, gcj02 for "
        "Amap/Tencent, wgs84 for GPS (default: wgs84)",
    )
    parser.add_argument(
        "--column",
        action="append",
        metavar="HEADER=COLUMN",
        help="map a header the reader does not know, e.g. --column 居住户数=households "
        "(repeatable)",
    )


def _positive_or_none(text: str) -> int | None:
    if text.lower() in {"none", "no", "0"}:
        return None
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be a positive number or 'none'")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianhu-geo",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the results")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    plan = sub.add_parser(
        "plan",
        help="bundle, give every unmanaged compound a service mode, write map and tables",
        description="Bundle neighbouring unmanaged compounds (片区大物业), give every other "
        "unmanaged compound a fallback mode (延伸式/自治式/订单式), and write the meeting "
        "map (map.html), a GeoPackage (plan.gpkg), an Excel workbook (plan.xlsx) and a "
        "summary (summary.txt) into --out.",
    )
    _add_input(plan, required=False)
    plan.add_argument("--out", type=Path, required=True, help="folder for the results")
    plan.add_argument(
        "--min-households",
        type=int,
        help="households a bundle needs to be viable (default: from the cost model)",
    )
    plan.add_argument(
        "--max-compounds",
        type=_positive_or_none,
        default=40,
        help="most courtyards in one bundle, or 'none' (default: 40)",
    )
    plan.add_argument(
        "--max-gap-m",
        type=float,
        help="courtyards this close (metres) count as neighbours (default: the library's)",
    )
    plan.add_argument("--max-span-m", type=float, help="widest a bundle may be, in metres")
    plan.add_argument("--no-bundles", action="store_true", help="only the fallback modes")
    plan.add_argument(
        "--basemap",
        choices=["none", "osm", "amap", "tianditu"],
        default="none",
        help="map background; 'none' works offline (default), amap lines up with "
        "Chinese maps, tianditu needs --tianditu-key",
    )
    plan.add_argument("--tianditu-key", help="your Tianditu key, for --basemap tianditu")
    plan.add_argument("--lang", choices=["zh", "en"], default="zh", help="map language")
    plan.add_argument(
        "--date", help="date printed on the map and files, YYYY-MM-DD (default: none)"
    )
    plan.add_argument("--seed", type=int, default=0, help="seed for tie-breaking (default 0)")

    validate = sub.add_parser(
        "validate",
        help="check a compounds file and report problems, without planning",
        description="Read a compounds file and report what planning would refuse: "
        "missing columns, unknown values, bad coordinates. Exit code 3 if it cannot "
        "be planned.",
    )
    _add_input(validate, required=True)

    grid = sub.add_parser(
        "grid",
        help="the five-level neighbourhood grid (邻里格) and its grid workers",
        description="Build zone > compound > building > unit > household from the plan "
        "(zones are bundles, else communities), staff every grid, and print grids and "
        "grid workers per level and subdistrict.",
    )
    _add_input(grid, required=False)
    grid.add_argument("--out", type=Path, help="folder for grid_report.csv and grid.json")
    grid.add_argument(
        "--levels",
        nargs="+",
        default=["compound", "building"],
        choices=["zone", "compound", "building", "unit"],
        help="grid levels that get a grid worker (default: compound building)",
    )
    grid.add_argument(
        "--max-households-per-worker",
        type=int,
        default=None,
        help="workload cap of one grid worker (default: the library's)",
    )
    _decision_parsers(sub)
    return parser


def _decision_parsers(sub: Any) -> None:
    def common(p: argparse.ArgumentParser) -> None:
        _add_input(p, required=False)
        p.add_argument("--out", type=Path, required=True, help="folder for the results")
        p.add_argument(
            "--detour-factor",
            type=float,
            default=1.0,
            help="straight-line distances times this (default 1.0)",
        )
        p.add_argument("--lang", choices=["zh", "en"], default="zh", help="map language")

    stations = sub.add_parser(
        "stations",
        help="service stations (党群服务站): coverage of the compounds and new sites",
        description="Say which compounds have a party-masses service station within "
        "--max-walk-m, and choose new sites so that every compound (or every unmanaged one) "
        "has one: station_coverage.xlsx, new_sites.xlsx, stations_map.html, sites_map.html.",
    )
    common(stations)
    stations.add_argument(
        "--stations", type=Path, help="stations file; default: the sample's 504 stations"
    )
    stations.add_argument("--max-walk-m", type=float, default=500.0, help="default 500")
    stations.add_argument("--budget", type=int, help="most new stations (default: cover all)")
    stations.add_argument(
        "--cover", choices=["all", "unmanaged"], default="unmanaged", help="default unmanaged"
    )

    heads = sub.add_parser(
        "heads",
        help="compound heads (小区院长): who heads which compound, monthly visit calendar",
        description="Give every old unmanaged compound one cadre as its head, no cadre over "
        "--max-visits-per-cadre a month, travel small: heads.xlsx (roster and calendar), "
        "heads_map.html.",
    )
    common(heads)
    heads.add_argument("--cadres", type=Path, help="cadres file; default: the sample's cadres")
    heads.add_argument("--visits-per-month", type=int, default=4, help="default 4")
    heads.add_argument("--max-visits-per-cadre", type=int, default=8, help="default 8")
    heads.add_argument("--month", help="YYYY-MM for calendar dates (default: weeks)")

    companies = sub.add_parser(
        "companies",
        help="candidate companies (引进物业企业) for each bundle and extended compound",
        description="Plan the compounds, then rank companies for each bundle and each "
        "extended-mode compound with the reasons: companies.xlsx, companies_map.html.",
    )
    common(companies)
    companies.add_argument(
        "--companies", type=Path, help="companies file; default: the sample's 168"
    )
    companies.add_argument("--max-distance-m", type=float, default=3000.0, help="default 3000")
    companies.add_argument("--top", type=int, default=5, help="candidates per target (default 5)")


def _version() -> str:
    from . import __version__

    return __version__


def _plan_options(args: argparse.Namespace) -> dict[str, Any]:
    if args.no_bundles:
        return {"bundle": False, "created": args.date}
    options: dict[str, Any] = {"max_compounds": args.max_compounds, "seed": args.seed}
    if args.min_households is not None:
        options["min_households"] = args.min_households
    if args.max_gap_m is not None:
        options["max_gap_m"] = args.max_gap_m
    if args.max_span_m is not None:
        options["max_span_m"] = args.max_span_m
    return {**options, "created": args.date}


def _run_plan(args: argparse.Namespace, progress: _Progress) -> None:
    from .coverage import SUMMARY_LABELS, plan_coverage
    from .maps import export_html

    compounds = _load(args, progress)
    with progress.step("planning bundles and service modes"):
        plan = plan_coverage(compounds, **_plan_options(args))
    args.out.mkdir(parents=True, exist_ok=True)
    with progress.step(f"writing plan.gpkg and plan.xlsx to {args.out}"):
        plan.to_file(args.out)
    with progress.step("writing the meeting map map.html"):
        export_html(
            plan,
            args.out / "map.html",
            basemap=args.basemap,
            tianditu_key=args.tianditu_key,
            lang=args.lang,
            date=args.date,
        )
    rate = SUMMARY_LABELS["coverage_rate"]
    summary = plan.summary(lang="zh").to_string(formatters={rate: "{:.0%}".format})
    (args.out / "summary.txt").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    print(f"\nResults in {args.out}: map.html, plan.gpkg, plan.xlsx, summary.txt")


def _run_validate(args: argparse.Namespace, progress: _Progress) -> None:
    from .compounds import REQUIRED_COLUMNS, validate_compounds

    compounds = _load(args, progress)
    unknown = {c: int(compounds[c].isna().sum()) for c in REQUIRED_COLUMNS}
    print(f"{len(compounds)} compounds read from {args.input}")
    for column, count in unknown.items():
        if count:
            print(f"  {column}: unknown for {count} compounds")
    validate_compounds(compounds)  # raises, naming the rows, if planning would refuse
    print("OK: every compound can be planned.")


def _run_grid(args: argparse.Namespace, progress: _Progress) -> None:
    from .coverage import plan_coverage
    from .grid import build_grid

    compounds = _load(args, progress)
    with progress.step("planning bundles (zones of the grid)"):
        plan = plan_coverage(compounds)
    with progress.step("building the five-level grid"):
        grid = build_grid(plan, stop_at="unit")
    options = {"levels": tuple(args.levels)}
    if args.max_households_per_worker is not None:
        options["max_households_per_worker"] = args.max_households_per_worker
    with progress.step("assigning grid workers"):
        workers = grid.assign_workers(**options)
    report = grid.report(workers, lang="zh")
    print(report.to_string())
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        report.to_csv(args.out / "grid_report.csv", encoding="utf-8-sig")
        (args.out / "grid.json").write_text(grid.to_json(indent=1), encoding="utf-8")
        print(f"\nResults in {args.out}: grid_report.csv, grid.json")


def _table(args: argparse.Namespace, progress: _Progress, kind: str, compounds: Any = None):
    from . import decisions, sample

    path = getattr(args, kind)
    if path is None:
        with progress.step(f"loading the sample's {kind} (synthetic)"):
            return getattr(sample, f"load_sample_{kind}")()
    with progress.step(f"reading {path}"):
        reader = getattr(decisions, f"read_{kind}")
        if kind == "stations":
            return reader(path, compounds, coords=args.coords)
        return reader(path, coords=args.coords)


def _run_stations(args: argparse.Namespace, progress: _Progress) -> None:
    from .decisions import site_stations, station_coverage
    from .maps._decisions import write_decision_map

    compounds = _load(args, progress)
    stations = _table(args, progress, "stations", compounds)
    options = {"max_walk_m": args.max_walk_m, "detour_factor": args.detour_factor}
    with progress.step("station coverage"):
        report = station_coverage(compounds, stations, **options)
    with progress.step("choosing new sites"):
        sites = site_stations(
            compounds, existing=stations, budget=args.budget, cover=args.cover, **options
        )
    args.out.mkdir(parents=True, exist_ok=True)
    with progress.step(f"writing workbooks and maps to {args.out}"):
        report.to_excel(args.out / "station_coverage.xlsx")
        sites.to_excel(args.out / "new_sites.xlsx")
        write_decision_map(report, args.out / "stations_map.html", lang=args.lang)
        write_decision_map(sites, args.out / "sites_map.html", lang=args.lang)
    print(report.summary(lang="zh").to_string())
    print(f"\n{sites!r}")
    print(
        f"\nResults in {args.out}: station_coverage.xlsx, new_sites.xlsx, stations_map.html, "
        "sites_map.html"
    )


def _run_heads(args: argparse.Namespace, progress: _Progress) -> None:
    from .decisions import assign_heads
    from .maps._decisions import write_decision_map

    compounds = _load(args, progress)
    cadres = _table(args, progress, "cadres")
    with progress.step("assigning compound heads"):
        roster = assign_heads(
            compounds,
            cadres,
            visits_per_month=args.visits_per_month,
            max_visits_per_cadre=args.max_visits_per_cadre,
            month=args.month,
            detour_factor=args.detour_factor,
        )
    args.out.mkdir(parents=True, exist_ok=True)
    with progress.step(f"writing heads.xlsx and heads_map.html to {args.out}"):
        roster.to_excel(args.out / "heads.xlsx")
        write_decision_map(roster, args.out / "heads_map.html", lang=args.lang)
    print(roster.summary(lang="zh").to_string())
    print(f"\n{roster!r}\n\nResults in {args.out}: heads.xlsx, heads_map.html")


def _run_companies(args: argparse.Namespace, progress: _Progress) -> None:
    from .coverage import plan_coverage
    from .decisions import match_companies
    from .maps._decisions import write_decision_map

    compounds = _load(args, progress)
    companies = _table(args, progress, "companies")
    with progress.step("planning bundles and service modes"):
        plan = plan_coverage(compounds)
    with progress.step("ranking companies"):
        short = match_companies(
            plan,
            companies,
            max_distance_m=args.max_distance_m,
            top=args.top,
            detour_factor=args.detour_factor,
        )
    args.out.mkdir(parents=True, exist_ok=True)
    with progress.step(f"writing companies.xlsx and companies_map.html to {args.out}"):
        short.to_excel(args.out / "companies.xlsx")
        write_decision_map(short, args.out / "companies_map.html", lang=args.lang)
    print(short.overview(lang="zh").to_string())
    print(f"\n{short!r}\n\nResults in {args.out}: companies.xlsx, companies_map.html")


_COMMANDS: dict[str, Callable[[argparse.Namespace, _Progress], None]] = {
    "plan": _run_plan,
    "validate": _run_validate,
    "grid": _run_grid,
    "stations": _run_stations,
    "heads": _run_heads,
    "companies": _run_companies,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments after the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        :data:`EXIT_OK`, :data:`EXIT_BAD_INPUT`; argparse exits with
        :data:`EXIT_USAGE` on wrong usage.

    Examples
    --------
    A file that is not there is bad input (exit code 3), said on stderr:

    >>> main(["--quiet", "validate", "no_such_file.csv"])
    3
    """
    args = _parser().parse_args(argv)
    progress = _Progress(args.quiet)
    try:
        _COMMANDS[args.command](args, progress)
    except InputError as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
