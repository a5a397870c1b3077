"""Kernel density and Getis-Ord Gi*: numbers checked against independent implementations."""

from __future__ import annotations

import json
import math

import h3
import numpy as np
import pytest
from scipy import sparse, stats

from streetlight.toolkit.hotspots import (
    classify,
    gi_star,
    gi_star_geojson,
    grid_neighbours,
    h3_neighbours,
    kde_surface,
    scott_bandwidth_m,
    surface_h3_geojson,
)
from streetlight.toolkit.hotspots.kde import M_PER_DEG

#: 19 resolution-8 cells round a cell in Turin (sorted), with made-up counts; ESDA_Z are the Gi*
#: z-scores that PySAL's esda 2.10.0 gave for them, computed once in a separate environment:
#: G_Local(values, W(grid_disk k=1 among these cells), transform="B", star=True).Zs
SMALL_CENTRE = h3.latlng_to_cell(45.07, 7.68, 8)
SMALL_VALUES = np.array([0, 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3], dtype=float)
ESDA_Z = np.array(
    [-2.13277428, -0.61049362, -1.69793537, -0.17515538, 1.20190931, -0.17515538, 1.10589591,
     1.2713449, 1.60224289, -0.21769605, -0.38314504, -0.05224705, 0.60954893, 0.41213029,
     0.83942872, 0.2163684, 0.65818843, -0.24801303, -0.95820294]
)  # fmt: skip


def small_cells() -> list[str]:
    return sorted(h3.grid_disk(SMALL_CENTRE, 2))


def test_gi_star_matches_esda_on_a_fixed_example() -> None:
    cells = small_cells()
    assert cells[0] == "881f984003fffff"  # the same cells as when ESDA_Z was computed
    result = gi_star(SMALL_VALUES, h3_neighbours(cells, 1))
    np.testing.assert_allclose(result.z, ESDA_Z, atol=1e-6)


def test_gi_star_matches_esda_when_it_is_installed() -> None:
    esda = pytest.importorskip("esda")
    weights_mod = pytest.importorskip("libpysal.weights")
    rng = np.random.default_rng(3)
    cells = sorted(h3.grid_disk(h3.latlng_to_cell(45.07, 7.68, 9), 12))
    values = rng.poisson(3, len(cells)).astype(float)
    values[:20] += 6
    w = h3_neighbours(cells, 1)
    theirs = esda.getisord.G_Local(
        values, weights_mod.WSP(w).to_W(silence_warnings=True), transform="B", star=True, permutations=0
    )
    np.testing.assert_allclose(gi_star(values, w).z, theirs.Zs, atol=1e-6)


def test_gi_star_with_general_weights_follows_ord_and_getis_formula() -> None:
    rng = np.random.default_rng(4)
    n = 30
    x = rng.poisson(4, n).astype(float)
    dense = rng.random((n, n)) * (rng.random((n, n)) < 0.2)
    np.fill_diagonal(dense, 1.0)
    got = gi_star(x, sparse.csr_matrix(dense)).z
    mean, sd = x.mean(), x.std()
    for i in range(n):  # the textbook formula, one cell at a time
        w = dense[i]
        num = w @ x - mean * w.sum()
        den = sd * math.sqrt((n * (w**2).sum() - w.sum() ** 2) / (n - 1))
        assert got[i] == pytest.approx(num / den, abs=1e-9)


def test_p_values_are_two_sided_and_fdr_is_benjamini_hochberg() -> None:
    rng = np.random.default_rng(5)
    cells = sorted(h3.grid_disk(h3.latlng_to_cell(45.07, 7.68, 9), 15))
    values = rng.poisson(2, len(cells)).astype(float)
    result = gi_star(values, h3_neighbours(cells, 1))
    np.testing.assert_allclose(result.p, 2 * stats.norm.sf(np.abs(result.z)))
    np.testing.assert_allclose(result.p_adjusted, stats.false_discovery_control(result.p, method="bh"))
    raw = gi_star(values, h3_neighbours(cells, 1), fdr=False)
    np.testing.assert_allclose(raw.p_adjusted, raw.p)


def test_a_planted_cluster_is_a_99_percent_hot_spot_and_noise_is_not() -> None:
    rng = np.random.default_rng(6)
    centre = h3.latlng_to_cell(45.07, 7.68, 9)
    cells = sorted(h3.grid_disk(centre, 20))
    values = rng.poisson(2, len(cells)).astype(float)
    planted = {cells.index(c) for c in h3.grid_disk(centre, 1)}
    values[list(planted)] += 12
    result = gi_star(values, h3_neighbours(cells, 1))
    assert result.classes[cells.index(centre)] == 3
    far = [i for i, c in enumerate(cells) if h3.grid_distance(c, centre) > 3]
    assert (result.classes[far] == 0).mean() > 0.97


def test_classes_follow_the_confidence_levels() -> None:
    z = np.array([3.0, 2.0, 1.8, 0.5, -2.0, -3.0, np.nan])
    p = np.array([0.005, 0.04, 0.08, 0.6, 0.04, 0.001, np.nan])
    assert classify(z, p).tolist() == [3, 2, 1, 0, -2, -3, 0]


def test_equal_values_have_no_hot_spots() -> None:
    result = gi_star(np.full(19, 4.0), h3_neighbours(small_cells(), 1))
    assert np.isnan(result.z).all() and (result.classes == 0).all()


def test_h3_neighbours_are_the_k_ring_within_the_study_area() -> None:
    cells = small_cells()
    w = h3_neighbours(cells, 1)
    assert (w != w.T).nnz == 0 and (w.diagonal() == 1).all()
    degree = np.asarray(w.sum(axis=1)).ravel()
    assert degree[cells.index(SMALL_CENTRE)] == 7
    assert degree.min() == 4  # the corners of the disk: three neighbours inside it, and themselves
    assert np.asarray(h3_neighbours(cells, 2).sum(axis=1)).ravel()[cells.index(SMALL_CENTRE)] == 19


@pytest.mark.parametrize(
    "cells", [["not-a-cell"], [SMALL_CENTRE, SMALL_CENTRE], [SMALL_CENTRE, h3.latlng_to_cell(45.07, 7.68, 9)]]
)
def test_h3_neighbours_refuse_bad_cell_lists(cells: list[str]) -> None:
    with pytest.raises(ValueError):
        h3_neighbours(cells, 1)


def test_grid_distance_band() -> None:
    w = grid_neighbours((5, 5), 1.0)
    assert np.asarray(w.sum(axis=1)).ravel().reshape(5, 5)[2, 2] == 5
    assert np.asarray(grid_neighbours((5, 5), 1.5).sum(axis=1)).ravel().reshape(5, 5)[2, 2] == 9
    assert np.asarray(w.sum(axis=1)).ravel()[0] == 3


def test_gi_star_geojson_is_valid_json_with_closed_hexagons() -> None:
    cells = small_cells()
    result = gi_star(SMALL_VALUES, h3_neighbours(cells, 1))
    fc = json.loads(json.dumps(gi_star_geojson(cells, result, SMALL_VALUES), allow_nan=False))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 19
    feature = fc["features"][0]
    ring = feature["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 7
    assert set(feature["properties"]) == {"cell", "value", "z", "p", "p_adjusted", "class", "label"}
    lat, lon = h3.cell_to_latlng(feature["properties"]["cell"])
    assert abs(ring[0][0] - lon) < 0.01 and abs(ring[0][1] - lat) < 0.01  # [lon, lat] order


def test_gi_star_geojson_turns_undefined_values_into_null() -> None:
    cells = small_cells()
    fc = gi_star_geojson(cells, gi_star(np.full(19, 2.0), h3_neighbours(cells, 1)))
    assert fc["features"][0]["properties"]["z"] is None and fc["features"][0]["properties"]["class"] == 0


# -- kernel density ------------------------------------------------------------------------------


def test_kde_keeps_the_mass_of_the_points() -> None:
    rng = np.random.default_rng(8)
    lat, lon = 45.07 + rng.normal(0, 0.005, 500), 7.68 + rng.normal(0, 0.005, 500)
    surface = kde_surface(lat, lon, bandwidth_m=200, cell_m=50)
    assert surface.density.sum() * surface.cell_km2 == pytest.approx(500, rel=1e-6)
    assert surface.total == 500


def test_kde_matches_the_exact_gaussian_sum_within_the_binning_error() -> None:
    rng = np.random.default_rng(9)
    lat, lon = 45.07 + rng.normal(0, 0.004, 300), 7.68 + rng.normal(0, 0.004, 300)
    bw, cell = 250.0, 25.0
    surface = kde_surface(lat, lon, bandwidth_m=bw, cell_m=cell)
    cos0 = math.cos(math.radians(lat.mean()))
    x, y = lon * cos0 * M_PER_DEG, lat * M_PER_DEG
    clat = 0.5 * (surface.lat_edges[:-1] + surface.lat_edges[1:])
    clon = 0.5 * (surface.lon_edges[:-1] + surface.lon_edges[1:])
    iy, ix = np.meshgrid(np.arange(0, clat.size, 7), np.arange(0, clon.size, 7), indexing="ij")
    gx, gy = clon[ix] * cos0 * M_PER_DEG, clat[iy] * M_PER_DEG
    d2 = (gx[..., None] - x) ** 2 + (gy[..., None] - y) ** 2
    exact = np.exp(-d2 / (2 * bw**2)).sum(axis=-1) / (2 * math.pi * bw**2) * 1e6  # per km²
    got = surface.density[iy, ix]
    assert np.abs(got - exact).max() < 0.03 * exact.max()


def test_a_single_point_peaks_where_it_is_and_bounds_fix_the_grid() -> None:
    bounds = (45.0, 7.6, 45.1, 7.75)
    surface = kde_surface([45.05], [7.7], bandwidth_m=150, cell_m=100, bounds=bounds)
    iy, ix = np.unravel_index(np.argmax(surface.density), surface.density.shape)
    assert surface.lat_edges[iy] <= 45.05 < surface.lat_edges[iy + 1]
    assert surface.lon_edges[ix] <= 7.7 < surface.lon_edges[ix + 1]
    assert surface.lat_edges[0] == 45.0 and surface.lon_edges[0] == 7.6
    assert np.isnan(surface.at([46.0], [7.7])[0])


def test_scott_bandwidth_is_sigma_times_n_to_the_minus_sixth() -> None:
    rng = np.random.default_rng(10)
    lat, lon = 45.0 + rng.normal(0, 0.01, 1000), 7.0 + rng.normal(0, 0.01, 1000)
    sx = np.std(lon * math.cos(math.radians(lat.mean())) * M_PER_DEG, ddof=1)
    sy = np.std(lat * M_PER_DEG, ddof=1)
    assert scott_bandwidth_m(lat, lon) == pytest.approx(0.5 * (sx + sy) * 1000 ** (-1 / 6), rel=1e-9)


def test_surfaces_export_as_grid_squares_and_as_hexagons() -> None:
    rng = np.random.default_rng(11)
    lat, lon = 45.07 + rng.normal(0, 0.003, 200), 7.68 + rng.normal(0, 0.003, 200)
    surface = kde_surface(lat, lon, bandwidth_m=200, cell_m=100)
    squares = surface.to_geojson(min_density=1.0)
    assert squares["features"] and all(f["properties"]["density_per_km2"] > 1.0 for f in squares["features"])
    hexes = surface_h3_geojson(surface, 9, min_density=1.0)
    assert hexes["features"] and hexes["properties"]["bandwidth_m"] == 200


def test_kde_refuses_what_it_cannot_map() -> None:
    with pytest.raises(ValueError, match="no located points"):
        kde_surface([np.nan], [np.nan], bandwidth_m=100)
    with pytest.raises(ValueError, match="too large"):
        kde_surface([0.0, 60.0], [0.0, 60.0], bandwidth_m=100, cell_m=10)
