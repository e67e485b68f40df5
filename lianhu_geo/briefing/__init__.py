"""The briefing pack (汇报材料): a printable PDF of a plan, and its map as a picture.

:func:`export_pdf` writes an A3 landscape PDF for a decision meeting, in
this order:

1. the district map: each bundle with its own fill and its id, the other
   unmanaged compounds by mode, professional compounds, subdistrict
   outlines and names, legend, scale bar in metres, north arrow, and the
   plan's honest figures (provider-delivered vs community-carried, both
   rates: :meth:`~lianhu_geo.coverage.CoveragePlan.coverage_figures`);
2. the summary by subdistrict (:meth:`~lianhu_geo.coverage.CoveragePlan.summary`);
3. the bundle table, over as many pages as it needs (at least one);
4. for each subdistrict, a page with its map, its bundles and its other
   unmanaged compounds (continued on further pages when long);
5. with ``decisions=``, a page for each of the district's other decisions
   (station reach, new sites, compound heads, company shortlists);
6. the parameters with Chinese labels, the data fingerprint, the plan's
   date in China's time and Chinese format (and the grid's counts when a
   grid is given).

:func:`export_png` writes page 1's map as a PNG for slides.

Chinese text is set in a TrueType font found on the machine
(:func:`~lianhu_geo.briefing._fonts.find_font`) and embedded as a subset
(Type 42). The same plan gives the same bytes: the PDF's dates are the
plan's date, no producer version or time is written, and the PNG carries no
metadata. Text from the data is drawn literally (no mathtext, no TeX).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .._write import atomic_path
from ..coverage import CoveragePlan
from ..errors import DataWarning, InputError
from ..labels import label
from ..options import Option, check_options
from ._fonts import find_font

__all__ = ["BRIEFING_PDF", "export_pdf", "export_png", "find_font"]

#: The briefing pack's file name where lianhu_geo names it (the command, the explorer):
#: Chinese whatever the language, the name the district's offices file it under.
BRIEFING_PDF = "汇报材料.pdf"

_LANG = Option("lang", "choice", choices=("zh", "en"))
_DPI = Option("dpi", "count", minimum=50, maximum=600)


@contextlib.contextmanager
def _style(font: str | Path | None) -> Iterator[None]:
    """Matplotlib settings for the pack: the Chinese font embedded as Type 42, no TeX."""
    import matplotlib
    from matplotlib import font_manager

    path = find_font(font)
    if str(path) not in {entry.fname for entry in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))  # a file given by font=
    family = font_manager.FontProperties(fname=str(path)).get_name()
    settings = {
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "font.family": "sans-serif",
        "font.sans-serif": [family, "DejaVu Sans"],
        "text.usetex": False,
        "axes.unicode_minus": False,
        "pdf.compression": 6,
        "path.simplify": True,
        "hatch.linewidth": 0.5,
    }
    with matplotlib.rc_context(settings), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    missing = sorted({str(w.message) for w in caught if "missing from font" in str(w.message)})
    for w in caught:
        if "missing from font" not in str(w.message):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if missing:  # name the characters once: the data holds what no font here can show
        warnings.warn(
            f"the briefing pack's font {family} cannot show some characters of the data; "
            f"they print as empty boxes: {'; '.join(missing[:5])}",
            DataWarning,
            stacklevel=4,
        )


def _check(plan: Any, path: Any, options: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(plan, CoveragePlan):
        raise InputError(
            f"expected a CoveragePlan (from lianhu_geo.plan_coverage), got {type(plan).__name__}."
        )
    if not isinstance(path, (str, Path)):
        raise InputError(f"`path` must be a file name; got {type(path).__name__}.")
    return check_options(options, [_LANG, _DPI], where="export_pdf")


def export_pdf(
    plan: CoveragePlan,
    path: str | Path,
    *,
    grid: Any = None,
    decisions: Any = (),
    lang: str = "zh",
    font: str | Path | None = None,
) -> Path:
    """Write the plan's briefing pack (汇报材料) as an A3 landscape PDF.

    Parameters
    ----------
    plan : CoveragePlan
        The plan to present.
    path : str or pathlib.Path
        The PDF to write (replaced atomically; its folder must exist).
    grid : NeighborhoodGrid, optional
        Adds the grid's counts by level to the last page.
    decisions : result or sequence of results, optional
        The district's other decisions to show, a page each before the
        parameters: :class:`~lianhu_geo.StationCoverage` and
        :class:`~lianhu_geo.StationSites` (table by subdistrict and a map of
        the compounds within reach), :class:`~lianhu_geo.HeadRoster` and
        :class:`~lianhu_geo.CompanyShortlist` (their tables by subdistrict).
    lang : {"zh", "en"}, default "zh"
        Language of headers, legends and labels; data is shown as it is.
    font : str or pathlib.Path, optional
        A TrueType font file or family with Chinese characters; default: the
        first installed of :data:`~lianhu_geo.briefing._fonts.FAMILIES`.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    InputError
        ``plan`` is not a plan, a bad ``lang``, ``font`` or ``decisions``.
    RuntimeError
        No Chinese TrueType font is installed (the message says how to get one).
    OutputError
        ``path`` is a folder or a symbolic link, or its folder is missing.

    Warns
    -----
    DataWarning
        When the font lacks characters of the data (they print as boxes).

    Examples
    --------
    >>> import tempfile
    >>> from lianhu_geo.coverage import plan_coverage
    >>> plan = plan_coverage(three_compounds(), bundle=False, created="2026-11-28")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     pdf = export_pdf(plan, Path(folder) / "汇报材料.pdf")
    ...     pdf.read_bytes()[:5]
    b'%PDF-'
    """
    from matplotlib.backends.backend_pdf import PdfPages

    from ._figures import map_data
    from ._pages import pages, plan_moment

    options = _check(plan, path, {"lang": lang})
    lang = options["lang"]
    if grid is not None and not hasattr(grid, "counts"):
        raise InputError(f"`grid` must be a NeighborhoodGrid; got {type(grid).__name__}.")
    from ._decisions import check_decisions

    results = check_decisions(decisions)
    data = map_data(plan)
    # in UTC: matplotlib writes the offset of an aware time with the sign reversed
    moment = plan_moment(plan).astimezone(_dt.timezone.utc)
    metadata = {
        "Title": f"{label('plan_title', lang)} {label('briefing_pack', lang)}",
        "Creator": f"lianhu_geo {plan.version}",
        "Producer": "lianhu_geo",
        "CreationDate": moment,
        "ModDate": moment,
    }
    buffer = io.BytesIO()
    with _style(font), PdfPages(buffer, metadata=metadata) as pdf:
        for fig in pages(plan, data, lang=lang, grid=grid, decisions=results):
            pdf.savefig(fig)
    with atomic_path(path) as tmp:
        tmp.write_bytes(buffer.getvalue())
    return Path(path)


def export_png(
    plan: CoveragePlan,
    path: str | Path,
    *,
    lang: str = "zh",
    dpi: int = 150,
    font: str | Path | None = None,
) -> Path:
    """Write the district map of the briefing pack (page 1) as a PNG for slides.

    Parameters
    ----------
    plan : CoveragePlan
    path : str or pathlib.Path
    lang : {"zh", "en"}, default "zh"
    dpi : int, default 150
        Dots per inch of the A3 page (150 gives 2480 x 1753 pixels).
    font : str or pathlib.Path, optional
        As for :func:`export_pdf`.

    Returns
    -------
    pathlib.Path
        ``path``; the same plan gives the same bytes (no metadata written).
    """
    from ._figures import map_data
    from ._pages import pages

    options = _check(plan, path, {"lang": lang, "dpi": dpi})
    buffer = io.BytesIO()
    with _style(font):
        fig = next(pages(plan, map_data(plan), lang=options["lang"]))
        fig.savefig(buffer, format="png", dpi=options["dpi"], metadata={"Software": None})
    with atomic_path(path) as tmp:
        tmp.write_bytes(buffer.getvalue())
    return Path(path)
