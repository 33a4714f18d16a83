"""Lambert-93 (EPSG:2154) ↔ longitude/latitude, for sources that give French metropolitan
coordinates in metres (Sirene's `coordonneeLambertAbscisseEtablissement` / `…Ordonnee…`).

The Lambert conformal conic projection of IGN's notes ALG0003/ALG0004 on the GRS80 ellipsoid:
RGF93 and WGS84 differ by less than a metre, far below what the data needs, so no datum shift
is applied. Lambert-93 covers metropolitan France and Corsica only: the overseas departments
use UTM zones (Sirene writes those too), which this module does not convert.
"""

from __future__ import annotations

import math

# GRS80 and the Lambert-93 constants (secant at 44° and 49° N, origin 3° E 46.5° N).
_A = 6378137.0
_E = 0.08181919106
_N = 0.7256077650
_C = 11754255.426
_XS = 700000.0
_YS = 12655612.050
_LON0 = math.radians(3.0)


def _isometric_latitude(lat: float) -> float:
    sin = math.sin(lat)
    return math.log(math.tan(math.pi / 4 + lat / 2) * ((1 - _E * sin) / (1 + _E * sin)) ** (_E / 2))


def _latitude_from_isometric(iso: float, tolerance: float = 1e-12) -> float:
    lat = 2 * math.atan(math.exp(iso)) - math.pi / 2
    for _ in range(50):
        sin = math.sin(lat)
        following = (
            2 * math.atan(((1 + _E * sin) / (1 - _E * sin)) ** (_E / 2) * math.exp(iso))
            - math.pi / 2
        )
        if abs(following - lat) < tolerance:
            return following
        lat = following
    return lat


def lambert93_to_lon_lat(x: float, y: float) -> tuple[float, float]:
    """(longitude, latitude) in degrees of a Lambert-93 point (metres)."""
    dx, dy = x - _XS, y - _YS
    radius = math.hypot(dx, dy)
    gamma = math.atan(dx / -dy)
    lon = _LON0 + gamma / _N
    lat = _latitude_from_isometric(-math.log(radius / _C) / _N)
    return math.degrees(lon), math.degrees(lat)


def lon_lat_to_lambert93(lon: float, lat: float) -> tuple[float, float]:
    """Lambert-93 (x, y) in metres of a longitude/latitude in degrees."""
    radius = _C * math.exp(-_N * _isometric_latitude(math.radians(lat)))
    gamma = _N * (math.radians(lon) - _LON0)
    return _XS + radius * math.sin(gamma), _YS - radius * math.cos(gamma)


def distance_metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius): enough to compare two places a few
    hundred metres apart."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlon = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlon / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))
