"""Lambert-93 ↔ longitude/latitude against reference values computed with PROJ (EPSG:2154)."""

import pytest

from cle_pipeline.lib.lambert import distance_metres, lambert93_to_lon_lat, lon_lat_to_lambert93

# (lon, lat) → (x, y) as PROJ 9 gives them for EPSG:4326 → EPSG:2154.
REFERENCES = [
    ((3.0, 46.5), (700000.0, 6600000.0)),  # the projection's origin
    ((1.0233, 49.2833), (556165.1448, 6911097.2095)),  # Caudebec-lès-Elbeuf
    ((2.3522, 48.8566), (652469.0227, 6862035.2594)),  # Paris
    ((8.7369, 41.9192), (1176526.6023, 6108263.0226)),  # Ajaccio
    ((-4.5, 48.4), (145709.7889, 6837422.0826)),  # Finistère, far from the central meridian
]


@pytest.mark.parametrize(("lon_lat", "x_y"), REFERENCES)
def test_forward_agrees_with_proj_to_the_millimetre(lon_lat, x_y):
    x, y = lon_lat_to_lambert93(*lon_lat)
    assert x == pytest.approx(x_y[0], abs=1e-3)
    assert y == pytest.approx(x_y[1], abs=1e-3)


@pytest.mark.parametrize(("lon_lat", "x_y"), REFERENCES)
def test_inverse_agrees_with_proj(lon_lat, x_y):
    lon, lat = lambert93_to_lon_lat(*x_y)
    assert lon == pytest.approx(lon_lat[0], abs=1e-8)
    assert lat == pytest.approx(lon_lat[1], abs=1e-8)


def test_distance_of_a_thousandth_of_a_degree_of_latitude():
    assert distance_metres(1.0233, 49.2833, 1.0233, 49.2843) == pytest.approx(111.2, abs=0.1)
