"""Cells of a study area: which cells exist, where events fall, neighbours."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from streetlight.toolkit.forecast import Events, ForecastInputError, H3Grid, LocalProjection, SquareGrid

L_SHAPE = {"type": "Polygon", "coordinates": [[[0, 0], [300, 0], [300, 100], [100, 100], [100, 300], [0, 300], [0, 0]]]}


def test_a_cell_belongs_to_the_area_when_its_centre_is_inside() -> None:
    grid = SquareGrid.from_boundary(L_SHAPE, 100)
    assert grid.n_cells == 5  # the L: three along the bottom, two more up the left side
    assert sorted(zip(grid.cx.tolist(), grid.cy.tolist(), strict=True)) == [
        (50, 50),
        (50, 150),
        (50, 250),
        (150, 50),
        (250, 50),
    ]


def test_grids_are_aligned_on_multiples_of_the_cell_size() -> None:
    shifted = shapely.box(130, 70, 530, 470)
    grid = SquareGrid.from_boundary(shifted, 100)
    assert (grid.x0, grid.y0) == (100, 0)


def test_a_cell_larger_than_the_area_is_refused() -> None:
    with pytest.raises(ForecastInputError, match=r"larger than the study area"):
        SquareGrid.from_boundary(L_SHAPE, 1000)
    with pytest.raises(ForecastInputError, match="positive number"):
        SquareGrid.from_boundary(L_SHAPE, -5)


def test_events_outside_the_area_get_no_cell() -> None:
    grid = SquareGrid.from_boundary(L_SHAPE, 100)
    events = Events.from_arrays([50, 250, 250, -5], [250, 250, 50, 50], ["2016-01-01"] * 4)
    cells = grid.locate(events)
    assert cells[0] >= 0 and cells[2] >= 0
    assert cells[1] == -1 and cells[3] == -1  # the notch of the L, and off the raster


def test_neighbours_and_steps_include_the_cell_itself() -> None:
    grid = SquareGrid.from_bounds(0, 0, 300, 300, 100)
    i, j, _d = grid.neighbours(100)
    centre = 4
    assert sorted(j[i == centre].tolist()) == [1, 3, 4, 5, 7]
    i, j, s = grid.steps(1)
    assert sorted(j[i == centre].tolist()) == list(range(9)) and s[(i == centre) & (j == 0)][0] == 1


def test_gaussian_shares_of_square_cells_sum_to_one_inside_an_unbounded_area() -> None:
    grid = SquareGrid.from_bounds(-2000, -2000, 2000, 2000, 100)
    point, _cell, share = grid.gaussian_mass(np.array([10.0, 30.0]), np.array([0.0, -40.0]), 80.0)
    assert np.bincount(point, share).tolist() == pytest.approx([1.0, 1.0], abs=1e-6)


def test_h3_cells_of_a_lon_lat_boundary() -> None:
    box = shapely.box(7.60, 45.03, 7.70, 45.10)
    projection = LocalProjection(7.65, 45.065)
    grid = H3Grid.from_boundary(box, 8, projection)
    assert 70 < grid.n_cells < 100  # ~61 km² / 0.74 km² per cell
    lon, lat = np.array([7.65, 8.5]), np.array([45.06, 45.06])
    x, y = projection.forward(lon, lat)
    events = Events(x, y, np.array(["2016-01-01"] * 2, dtype="datetime64[s]"), lon, lat)
    cells = grid.locate(events)
    assert cells[0] >= 0 and cells[1] == -1
    i, _j, s = grid.steps(1)
    assert set(np.bincount(i[s == 1], minlength=grid.n_cells).tolist()) <= set(range(7))
