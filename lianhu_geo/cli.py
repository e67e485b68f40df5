"""The ``lianhu-geo`` command: plan, validate, template and grid for people who do not write Python.

Messages and ``--help`` are in Chinese by default; ``--lang en`` anywhere on
the command line gives English. Exit codes: 0 done; 2 wrong command-line
usage; 3 the input data has a problem (the message names file, sheet, Excel
row and column, and how to fix it); 4 an output path cannot be used
(``--out`` is a file, or a result file is a folder or a symbolic link); 5 no
permission to write (a read-only folder or disk); 6 the disk is full; 7
another failure of the machine (an I/O error); 130 interrupted (Ctrl-C or a
plain ``kill``); 1 anything else (a bug: please report it with the message).
Problems of the input or the machine are said in one line, never with a
traceback, and every file in ``--out`` stays whole: each result is written
to a temporary file and moved into place when complete.
"""

from __future__ import annotations

import argparse
import errno
import functools
import signal
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from ._write import check_target, write_text
from .errors import InputError, OutputError
from .labels import cli_text

__all__ = [
    "main",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_BAD_INPUT",
    "EXIT_FAILURE",
    "EXIT_BAD_OUTPUT",
    "EXIT_NO_PERMISSION",
    "EXIT_DISK_FULL",
    "EXIT_SYSTEM",
    "EXIT_INTERRUPTED",
]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_BAD_INPUT = 0, 1, 2, 3
EXIT_BAD_OUTPUT, EXIT_NO_PERMISSION, EXIT_DISK_FULL, EXIT_SYSTEM = 4, 5, 6, 7
EXIT_INTERRUPTED = 130

# what a failed write means for the planner, by errno: (exit code, advice in labels)
_OS_ERRORS = {
    errno.ENOSPC: (EXIT_DISK_FULL, "os_full"),
    errno.EDQUOT: (EXIT_DISK_FULL, "os_quota"),
    errno.EACCES: (EXIT_NO_PERMISSION, "os_denied"),
    errno.EPERM: (EXIT_NO_PERMISSION, "os_denied"),
    errno.EROFS: (EXIT_NO_PERMISSION, "os_readonly"),
    errno.ENOTDIR: (EXIT_BAD_OUTPUT, "os_notdir"),
    errno.EEXIST: (EXIT_BAD_OUTPUT, "os_exists"),
    errno.EISDIR: (EXIT_BAD_OUTPUT, "os_isdir"),
}


class _Progress:
    """Say what is happening on stderr, with how long each step took.

    On a terminal, a long step also shows how far it has come (:meth:`tell`,
    at most twice a second, on the step's own line); a log gets the step
    and its time only.
    """

    def __init__(self, quiet: bool, lang: str) -> None:
        self.quiet, self.lang = quiet, lang
        self.text, self.told, self.shown = "", 0.0, False

    @contextmanager
    def step(self, text: str) -> Iterator[None]:
        start = time.perf_counter()
        self.text, self.told, self.shown = text, start, False
        if not self.quiet:
            print(f"… {text}", end="", file=sys.stderr, flush=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        if not self.quiet:
            again = f"\r… {text}" if self.shown else ""  # over the last count, then clear
            end = "\x1b[K" if self.shown else ""
            print(f"{again} ({time.perf_counter() - start:.1f} s){end}", file=sys.stderr)
        for w in caught:
            print(cli_text("warning", self.lang, text=w.message), file=sys.stderr)

    def tell(self, step: str, done: int, total: int) -> None:
        """Show ``done`` of ``total`` for the running step (``read``, ``check``)."""
        if self.quiet or not sys.stderr.isatty():
            return
        now = time.perf_counter()
        if now - self.told < 0.5:
            return
        self.told, self.shown = now, True
        count = cli_text(f"progress_{step}", self.lang, done=done, total=total)
        print(f"\r… {self.text}: {count}\x1b[K", end="", file=sys.stderr, flush=True)


def _columns(pairs: Sequence[str] | None, lang: str) -> dict[str, str] | None:
    if not pairs:
        return None
    out = {}
    for pair in pairs:
        header, sep, column = pair.partition("=")
        if not sep or not header or not column:
            raise InputError(cli_text("bad_column_option", lang, pair=pair))
        out[header] = column
    return out


def _sheet(values: list[str] | None) -> object:
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def _read_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "coords": args.coords,
        "columns": _columns(args.column, args.lang),
        "sheet": _sheet(args.sheet),
        "header_row": args.header_row,
        "layer": args.layer,
        "crs": args.crs,
        "dedupe": args.dedupe,
        "lang": args.lang,
    }


def _load(args: argparse.Namespace, progress: _Progress):
    from .readers import read_compounds
    from .sample import load_sample

    if not args.input:
        with progress.step(cli_text("step_sample", args.lang)):
            return load_sample()
    files = ", ".join(map(str, args.input))
    with progress.step(cli_text("step_read", args.lang, files=files)):
        source = args.input[0] if len(args.input) == 1 else list(args.input)
        return read_compounds(source, **_read_options(args), progress=progress.tell)


def _add_input(parser: argparse.ArgumentParser, lang: str, *, required: bool) -> None:
    parser.add_argument(
        "input",
        nargs="+" if required else "*",
        type=Path,
        help=cli_text("input", lang) + ("" if required else cli_text("input_default", lang)),
    )
    parser.add_argument(
        "--coords", choices=["wgs84", "gcj02", "bd09"], default=None, help=cli_text("coords", lang)
    )
    parser.add_argument("--crs", metavar="EPSG", help=cli_text("crs", lang))
    parser.add_argument("--sheet", action="append", metavar="SHEET", help=cli_text("sheet", lang))
    parser.add_argument("--header-row", type=int, metavar="ROW", help=cli_text("header_row", lang))
    parser.add_argument("--layer", help=cli_text("layer", lang))
    parser.add_argument(
        "--column", action="append", metavar="HEADER=COLUMN", help=cli_text("column", lang)
    )
    parser.add_argument(
        "--dedupe",
        choices=["warn", "error", "keep_first"],
        default="warn",
        help=cli_text("dedupe", lang),
    )
    _add_lang(parser, lang)


def _add_lang(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help=cli_text("lang", lang))


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line in the planner's language (exit code 2)."""

    def __init__(self, *args: Any, lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang

    def error(self, message: str) -> NoReturn:  # noqa: D102 - argparse's hook
        text = cli_text("usage_error", self.lang, prog=self.prog, text=message)
        self.exit(EXIT_USAGE, text + "\n")


def _positive_or_none(lang: str) -> Callable[[str], int | None]:
    """Return the type of ``--max-compounds``: a whole number >= 0, or none (no cap)."""

    def whole_number_or_none(text: str) -> int | None:
        if text.lower() in {"none", "no", "0"}:
            return None
        value = int(text)
        if value < 0:
            raise argparse.ArgumentTypeError(cli_text("positive_or_none", lang))
        return value

    return whole_number_or_none


def _parser(lang: str = "zh") -> argparse.ArgumentParser:
    parser = _Parser(
        lang=lang,
        prog="lianhu-geo",
        description=cli_text("description", lang),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("-q", "--quiet", action="store_true", help=cli_text("quiet", lang))
    parser.add_argument(
        "--lang", dest="top_lang", choices=["zh", "en"], help=cli_text("lang", lang)
    )
    sub = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        required=True,
        parser_class=functools.partial(_Parser, lang=lang),
    )

    plan = sub.add_parser(
        "plan", help=cli_text("plan", lang), description=cli_text("plan_description", lang)
    )
    _add_input(plan, lang, required=False)
    plan.add_argument("--out", type=Path, required=True, help=cli_text("out", lang))
    plan.add_argument("--min-households", type=int, help=cli_text("min_households", lang))
    plan.add_argument(
        "--max-compounds",
        type=_positive_or_none(lang),
        default=40,
        help=cli_text("max_compounds", lang),
    )
    plan.add_argument("--max-gap-m", type=float, help=cli_text("max_gap_m", lang))
    plan.add_argument("--max-link-m", type=float, help=cli_text("max_link_m", lang))
    plan.add_argument("--max-span-m", type=float, help=cli_text("max_span_m", lang))
    plan.add_argument("--no-bundles", action="store_true", help=cli_text("no_bundles", lang))
    plan.add_argument("--locked", type=Path, metavar="FILE", help=cli_text("locked", lang))
    plan.add_argument("--exclude", metavar="FILE|IDS", help=cli_text("exclude", lang))
    plan.add_argument("--barriers", type=Path, metavar="FILE", help=cli_text("barriers", lang))
    plan.add_argument("--boundary", type=Path, metavar="FILE", help=cli_text("boundary", lang))
    plan.add_argument(
        "--basemap",
        choices=["none", "osm", "amap", "tianditu"],
        default="none",
        help=cli_text("basemap", lang),
    )
    plan.add_argument("--tianditu-key", help=cli_text("tianditu_key", lang))
    plan.add_argument("--date", help=cli_text("date", lang))
    plan.add_argument("--seed", type=int, default=0, help=cli_text("seed", lang))
    plan.add_argument("--workers", type=int, metavar="N", help=cli_text("workers", lang))

    validate = sub.add_parser(
        "validate",
        help=cli_text("validate", lang),
        description=cli_text("validate_description", lang),
    )
    _add_input(validate, lang, required=True)

    template = sub.add_parser(
        "template",
        help=cli_text("template", lang),
        description=cli_text("template_description", lang),
    )
    _add_input(template, lang, required=False)
    template.add_argument("--out", type=Path, required=True, help=cli_text("template_out", lang))
    template.add_argument("--by", choices=["subdistrict", "community"], help=cli_text("by", lang))

    grid = sub.add_parser(
        "grid", help=cli_text("grid", lang), description=cli_text("grid_description", lang)
    )
    _add_input(grid, lang, required=False)
    grid.add_argument("--out", type=Path, help=cli_text("grid_out", lang))
    grid.add_argument(
        "--levels",
        nargs="+",
        default=["compound", "building"],
        choices=["zone", "compound", "building", "unit"],
        help=cli_text("levels", lang),
    )
    grid.add_argument(
        "--max-households-per-worker",
        type=int,
        default=None,
        help=cli_text("max_households_per_worker", lang),
    )
    _decision_parsers(sub, lang)
    return parser


def _decision_parsers(sub: Any, lang: str) -> None:
    def common(kind: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            kind, help=cli_text(kind, lang), description=cli_text(f"{kind}_description", lang)
        )
        _add_input(p, lang, required=False)
        p.add_argument("--out", type=Path, required=True, help=cli_text("decisions_out", lang))
        p.add_argument(
            "--detour-factor", type=float, default=1.0, help=cli_text("detour_factor", lang)
        )
        p.add_argument(
            f"--{kind}-file",
            dest=f"{kind}_file",
            type=Path,
            help=cli_text(f"{'cadres' if kind == 'heads' else kind}_file", lang),
        )
        return p

    stations = common("stations")
    stations.add_argument(
        "--max-walk-m", type=float, default=500.0, help=cli_text("max_walk_m", lang)
    )
    stations.add_argument("--budget", type=int, help=cli_text("budget", lang))
    stations.add_argument(
        "--cover", choices=["all", "unmanaged"], default="unmanaged", help=cli_text("cover", lang)
    )
    heads = common("heads")
    heads.add_argument(
        "--visits-per-month", type=int, default=4, help=cli_text("visits_per_month", lang)
    )
    heads.add_argument(
        "--max-visits-per-cadre", type=int, default=8, help=cli_text("max_visits_per_cadre", lang)
    )
    heads.add_argument("--month", help=cli_text("month", lang))
    companies = common("companies")
    companies.add_argument(
        "--max-distance-m", type=float, default=3000.0, help=cli_text("max_distance_m", lang)
    )
    companies.add_argument("--top", type=int, default=5, help=cli_text("top", lang))


def _version() -> str:
    from . import __version__

    return __version__


def _plan_options(args: argparse.Namespace, compounds: Any) -> dict[str, Any]:
    from .ledgers import locked_series, read_ids, read_layer, read_locked

    if args.no_bundles:
        return {"bundle": False, "created": args.date}
    options: dict[str, Any] = {"max_compounds": args.max_compounds, "seed": args.seed}
    if args.workers is not None:
        options["workers"] = args.workers
    if args.min_households is not None:
        options["min_households"] = args.min_households
    if args.max_gap_m is not None:
        options["max_gap_m"] = args.max_gap_m
    if args.max_link_m is not None:
        options["max_link_m"] = args.max_link_m
    if args.max_span_m is not None:
        options["max_span_m"] = args.max_span_m
    if args.locked is not None:
        locked = read_locked(args.locked, lang=args.lang)
        options["locked"] = locked_series(locked, compounds, file=args.locked.name, lang=args.lang)
    if args.exclude is not None:
        options["exclude"] = read_ids(args.exclude, compounds, lang=args.lang)
    if args.barriers is not None:
        options["barriers"] = read_layer(args.barriers, lang=args.lang)
    if args.boundary is not None and _has_points(compounds):  # estimated areas stay inside
        boundary = read_layer(args.boundary, lang=args.lang)
        if _polygonal(boundary):  # a line is only drawn on the map
            options["boundary"] = boundary
    return {**options, "created": args.date}


def _check_out(folder: Path, names: Sequence[str], lang: str) -> None:
    """Refuse an unusable --out before any work: a file, or results that are folders/links."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(cli_text("out_is_file", lang, out=folder))
    if folder.is_dir():
        for name in names:
            check_target(folder / name)


def _has_points(compounds: Any) -> bool:
    import shapely

    return bool((shapely.get_type_id(compounds.geometry.to_numpy()) == 0).any())


def _polygonal(layer: Any) -> bool:
    import shapely

    geoms = layer.geometry.to_numpy()
    return bool(len(geoms)) and bool((shapely.get_dimensions(geoms) == 2).all())


def _run_plan(args: argparse.Namespace, progress: _Progress) -> None:
    from .briefing import BRIEFING_PDF, export_pdf, export_png
    from .coverage import plan_coverage
    from .ledgers import read_layer
    from .maps import export_html
    from .maps.basemaps import check_basemap
    from .options import PARALLEL_OPTIONS, check_options
    from .scale import MAP_MAX_COMPOUNDS

    lang = args.lang
    outputs = ["plan.gpkg", "plan.xlsx", "map.html", "summary.txt", BRIEFING_PDF, "map.png"]
    _check_out(args.out, outputs, lang)
    check_basemap(args.basemap, tianditu_key=args.tianditu_key)
    check_options({"workers": args.workers}, PARALLEL_OPTIONS, where="plan")  # before reading
    compounds = _load(args, progress)
    boundary = None if args.boundary is None else read_layer(args.boundary, lang=lang)
    with progress.step(cli_text("step_plan", lang)):
        plan = plan_coverage(compounds, **_plan_options(args, compounds))
    args.out.mkdir(parents=True, exist_ok=True)
    if len(plan.compounds) > MAP_MAX_COMPOUNDS:  # a province: files by subdistrict
        _write_parts(args, plan, progress)
        files = ["plan.gpkg", "plan.xlsx", "map.html", "summary.txt", "workbooks/", "maps/"]
        _say_results(args, plan, files, note=cli_text("no_briefing", lang, limit=MAP_MAX_COMPOUNDS))
        return
    with progress.step(cli_text("step_files", lang, out=args.out)):
        plan.to_file(args.out)
    map_options: dict[str, Any] = {} if boundary is None else {"boundary": boundary}
    with progress.step(cli_text("step_map", lang)):
        export_html(
            plan,
            args.out / "map.html",
            basemap=args.basemap,
            tianditu_key=args.tianditu_key,
            lang=lang,
            date=args.date,
            **map_options,
        )
    with progress.step(cli_text("step_briefing", lang)):
        export_pdf(plan, args.out / BRIEFING_PDF, lang=lang)
        export_png(plan, args.out / "map.png", lang=lang)
    _say_results(args, plan, sorted(outputs))


def _say_results(
    args: argparse.Namespace, plan: Any, files: list[str], *, note: str | None = None
) -> None:
    """Write and print the plan's summary, then ``note`` and the files written."""
    summary = plan.summary_text(lang=args.lang)
    write_text(args.out / "summary.txt", summary)
    print(summary, end="")
    listed = cli_text("results", args.lang, out=args.out, files=", ".join(files))
    print("\n" + listed if note is None else f"\n{note}\n{listed}")


def _write_parts(args: argparse.Namespace, plan: Any, progress: _Progress) -> None:
    """Write a plan too large for one workbook and one map: by subdistrict, and an overview."""
    from .scale import MAP_MAX_COMPOUNDS, write_plan_parts

    lang = args.lang

    def tell(step: str, done: int, total: int) -> None:
        if step == "workbooks":  # a subdistrict's workbook and map are written together
            progress.tell("parts", done, total)

    step = cli_text("step_parts", lang, count=len(plan.compounds), out=args.out)
    with progress.step(step):
        write_plan_parts(
            plan, args.out, map_max_compounds=MAP_MAX_COMPOUNDS, workers=args.workers, progress=tell
        )


def _run_validate(args: argparse.Namespace, progress: _Progress) -> None:
    from .compounds import REQUIRED_COLUMNS, validate_compounds
    from .labels import label

    lang = args.lang
    compounds = _load(args, progress)
    unknown = {c: int(compounds[c].isna().sum()) for c in REQUIRED_COLUMNS}
    files = ", ".join(map(str, args.input))
    print(cli_text("read_count", lang, count=len(compounds), files=files))
    for column, count in unknown.items():
        if count:
            name = label(column, lang) if lang == "zh" else column
            print(cli_text("unknown_count", lang, column=name, count=count))
    provenance = ["source_file", "source_sheet", "source_row"]
    if any(unknown.values()) and all(c in compounds.columns for c in provenance):
        from .labels import message
        from .ledgers import place

        detail = message("place_sep", lang).join(
            place(compounds.loc[compounds[c].isna(), provenance], lang=lang, column=label(c, lang))
            for c, count in unknown.items()
            if count
        )
        raise InputError(message("cannot_plan", lang, detail=detail))
    validate_compounds(compounds)  # raises, naming the rows, if planning would refuse
    print(cli_text("validate_ok", lang))


def _run_template(args: argparse.Namespace, progress: _Progress) -> None:
    from .ledgers import write_template

    compounds = _load(args, progress) if args.input else None
    with progress.step(cli_text("step_template", args.lang, out=args.out)):
        write_template(args.out, compounds=compounds, lang=args.lang, by=args.by)
    count = 0 if compounds is None else len(compounds)
    print(cli_text("template_done", args.lang, out=args.out, count=count))


def _run_grid(args: argparse.Namespace, progress: _Progress) -> None:
    from .coverage import plan_coverage
    from .grid import build_grid

    lang = args.lang
    if args.out is not None:
        _check_out(args.out, ["grid_report.csv", "grid.json"], lang)
    compounds = _load(args, progress)
    with progress.step(cli_text("step_zones", lang)):
        plan = plan_coverage(compounds)
    with progress.step(cli_text("step_grid", lang)):
        grid = build_grid(plan, stop_at="unit")
    options = {"levels": tuple(args.levels)}
    if args.max_households_per_worker is not None:
        options["max_households_per_worker"] = args.max_households_per_worker
    with progress.step(cli_text("step_workers", lang)):
        workers = grid.assign_workers(**options)
    report = grid.report(workers, lang="zh")
    print(report.to_string())
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        write_text(args.out / "grid_report.csv", _csv_text(report), encoding="utf-8-sig")
        write_text(args.out / "grid.json", grid.to_json(indent=1))
        print("\n" + cli_text("results", lang, out=args.out, files="grid_report.csv, grid.json"))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(frame: Any) -> str:
    """CSV of ``frame`` in which no text cell starts a spreadsheet formula.

    Excel evaluates a CSV cell that starts with ``=``, ``+``, ``-`` or ``@``;
    such text is written with a leading ``'`` (shown by Excel as the text).
    """

    def safe(value: object) -> object:
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            return "'" + value
        return value

    out = frame.copy()
    out.index = out.index.map(safe)
    out.columns = out.columns.map(safe)
    out = out.map(safe)
    return out.to_csv()


def _os_error(exc: OSError, lang: str) -> tuple[int, str]:
    code, advice = _OS_ERRORS.get(exc.errno, (EXIT_SYSTEM, "os_other"))
    where = f" {exc.filename}" if exc.filename else ""
    reason = exc.strerror or type(exc).__name__
    advice = cli_text(advice, lang)
    return code, cli_text("cannot_write", lang, where=where, reason=reason, advice=advice)


def _table(args: argparse.Namespace, progress: _Progress, kind: str, compounds: Any = None):
    from . import decisions, sample

    path = getattr(args, f"{args.command}_file")
    coords = args.coords or "wgs84"
    if path is None:
        with progress.step(cli_text("step_sample_table", args.lang, kind=kind)):
            return getattr(sample, f"load_sample_{kind}")()
    with progress.step(cli_text("step_read", args.lang, files=path)):
        reader = getattr(decisions, f"read_{kind}")
        if kind == "stations":
            return reader(path, compounds, coords=coords)
        return reader(path, coords=coords)


def _write_results(args: argparse.Namespace, progress: _Progress, files: dict) -> None:
    from .maps._decisions import write_decision_map

    args.out.mkdir(parents=True, exist_ok=True)
    with progress.step(cli_text("step_write_decisions", args.lang, out=args.out)):
        for name, result in files.items():
            if name.endswith(".xlsx"):
                result.to_excel(args.out / name)
            else:
                write_decision_map(result, args.out / name, lang=args.lang)
    names = ", ".join(files)
    print("\n" + cli_text("decisions_done", args.lang, out=args.out, files=names))


def _run_stations(args: argparse.Namespace, progress: _Progress) -> None:
    from .decisions import site_stations, station_coverage

    compounds = _load(args, progress)
    stations = _table(args, progress, "stations", compounds)
    options = {"max_walk_m": args.max_walk_m, "detour_factor": args.detour_factor}
    with progress.step(cli_text("step_decide", args.lang, what="station_coverage")):
        report = station_coverage(compounds, stations, **options)
    with progress.step(cli_text("step_decide", args.lang, what="site_stations")):
        sites = site_stations(
            compounds, existing=stations, budget=args.budget, cover=args.cover, **options
        )
    print(report.summary(lang=args.lang).to_string())
    print(f"\n{sites!r}")
    _write_results(
        args,
        progress,
        {
            "station_coverage.xlsx": report,
            "new_sites.xlsx": sites,
            "stations_map.html": report,
            "sites_map.html": sites,
        },
    )


def _run_heads(args: argparse.Namespace, progress: _Progress) -> None:
    from .decisions import assign_heads

    compounds = _load(args, progress)
    cadres = _table(args, progress, "cadres")
    with progress.step(cli_text("step_decide", args.lang, what="assign_heads")):
        roster = assign_heads(
            compounds,
            cadres,
            visits_per_month=args.visits_per_month,
            max_visits_per_cadre=args.max_visits_per_cadre,
            month=args.month,
            detour_factor=args.detour_factor,
        )
    print(roster.summary(lang=args.lang).to_string())
    print(f"\n{roster!r}")
    _write_results(args, progress, {"heads.xlsx": roster, "heads_map.html": roster})


def _run_companies(args: argparse.Namespace, progress: _Progress) -> None:
    from .coverage import plan_coverage
    from .decisions import match_companies

    compounds = _load(args, progress)
    companies = _table(args, progress, "companies")
    with progress.step(cli_text("step_decide", args.lang, what="plan_coverage")):
        plan = plan_coverage(compounds)
    with progress.step(cli_text("step_decide", args.lang, what="match_companies")):
        short = match_companies(
            plan,
            companies,
            max_distance_m=args.max_distance_m,
            top=args.top,
            detour_factor=args.detour_factor,
        )
    print(short.overview(lang=args.lang).to_string())
    print(f"\n{short!r}")
    _write_results(args, progress, {"companies.xlsx": short, "companies_map.html": short})


_COMMANDS: dict[str, Callable[[argparse.Namespace, _Progress], None]] = {
    "plan": _run_plan,
    "validate": _run_validate,
    "template": _run_template,
    "grid": _run_grid,
    "stations": _run_stations,
    "heads": _run_heads,
    "companies": _run_companies,
}


def _lang(argv: Sequence[str]) -> str:
    """Return the language asked for anywhere on the line (``--lang en`` or ``--lang=en``)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("zh", "en"):
            return argv[i + 1]
        if arg in ("--lang=en", "--lang=zh"):
            return arg.split("=", 1)[1]
    return "zh"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments after the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        :data:`EXIT_OK`; :data:`EXIT_BAD_INPUT` for bad input data;
        :data:`EXIT_BAD_OUTPUT`, :data:`EXIT_NO_PERMISSION`,
        :data:`EXIT_DISK_FULL` or :data:`EXIT_SYSTEM` when the results cannot
        be written; :data:`EXIT_INTERRUPTED` on Ctrl-C. argparse exits with
        :data:`EXIT_USAGE` on wrong usage.

    Examples
    --------
    A file that is not there is bad input (exit code 3), said on stderr:

    >>> main(["--quiet", "validate", "no_such_file.csv"])
    3
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang(argv)
    args = _parser(lang).parse_args(argv)
    args.lang = lang  # wherever --lang stood on the line
    progress = _Progress(args.quiet, args.lang)
    previous = _stop_on_terminate()
    try:
        _COMMANDS[args.command](args, progress)
    except OutputError as exc:
        print("\n" + cli_text("error", args.lang, text=exc), file=sys.stderr)
        return EXIT_BAD_OUTPUT
    except InputError as exc:
        print("\n" + cli_text("error", args.lang, text=exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        code, text = _os_error(exc, args.lang)
        print("\n" + cli_text("error", args.lang, text=text), file=sys.stderr)
        return code
    except KeyboardInterrupt:
        print("\n" + cli_text("interrupted", args.lang), file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return EXIT_OK


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _stop_on_terminate() -> Any:
    """Make a plain ``kill`` (SIGTERM) stop like Ctrl-C: temporary files are removed."""
    try:
        return signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:  # not the main thread: leave signals alone
        return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
