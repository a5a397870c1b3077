"""The cells a forecast ranks: square cells in a projected CRS, or H3 cells, inside a study area.

A cell belongs to the study area when its centre lies inside the boundary (H3's own rule too), so
the cell count, and with it every PAI, is fixed by the boundary and the cell size alone. Square
grids are aligned on multiples of the cell size: two runs, or two cities' analysts, get the same
cells. Neighbour lists are built once per radius and cached, so a backtest that refits every day
pays for them once.
"""

from __future__ import annotations

import json
import math
import os
from abc import ABC, abstractmethod
from typing import Any

import h3
import numpy as np
import numpy.typing as npt
import shapely
from scipy.spatial import cKDTree
from scipy.special import ndtr
from shapely.geometry.base import BaseGeometry

from streetlight.toolkit.geo import h3_cells, validate_resolution

from .errors import ForecastInputError
from .events import Events, FloatArray, LocalProjection

IntArray = npt.NDArray[np.int64]
Pairs = tuple[IntArray, IntArray, FloatArray]


def load_boundary(source: str | os.PathLike[str] | dict[str, Any] | BaseGeometry) -> BaseGeometry:
    """The study area from a GeoJSON file or object (all polygons united), in the data's own CRS."""
    if isinstance(source, BaseGeometry):
        geom = source
    else:
        obj = source
        if not isinstance(source, dict):
            try:
                with open(source, encoding="utf-8-sig") as fh:
                    obj = json.load(fh)
            except json.JSONDecodeError as exc:
                raise ForecastInputError(f"{os.fspath(source)}: line {exc.lineno}: not valid JSON: {exc.msg}") from None
        assert isinstance(obj, dict)
        kind = obj.get("type")
        geometries = (
            [f.get("geometry") for f in obj.get("features") or [] if isinstance(f, dict)]
            if kind == "FeatureCollection"
            else [obj.get("geometry")]
            if kind == "Feature"
            else [obj]
        )
        shapes = []
        for i, g in enumerate(geometries):
            if not isinstance(g, dict) or g.get("type") not in ("Polygon", "MultiPolygon"):
                raise ForecastInputError(f"boundary: feature {i} is not a Polygon or MultiPolygon")
            try:
                shapes.append(shapely.geometry.shape(g))
            except (ValueError, TypeError, IndexError) as exc:
                raise ForecastInputError(f"boundary: feature {i}: {exc}") from None
        if not shapes:
            raise ForecastInputError("boundary: no polygon found")
        geom = shapely.union_all(shapes)
    if geom.is_empty or geom.area <= 0:
        raise ForecastInputError("boundary: the study area is empty")
    if not geom.is_valid:
        raise ForecastInputError(f"boundary: invalid geometry ({shapely.is_valid_reason(geom)})")
    return geom


class Grid(ABC):
    """Cells with centres (metres) and areas; locates events and lists neighbours."""

    kind: str
    cx: FloatArray
    cy: FloatArray
    cell_area: FloatArray

    def __init__(self) -> None:
        self._cache: dict[tuple[object, ...], Any] = {}

    @property
    def n_cells(self) -> int:
        return len(self.cx)

    @property
    def area_m2(self) -> float:
        return float(self.cell_area.sum())

    @abstractmethod
    def locate(self, events: Events) -> IntArray:
        """Cell index of each event, −1 outside the study area."""

    @abstractmethod
    def _steps(self, max_steps: int) -> Pairs:
        """(cell, cell, steps) for every pair at most `max_steps` rings apart, self pairs included."""

    @abstractmethod
    def describe(self) -> dict[str, Any]:
        """What the cells are, for reports: kind, size, count, area."""

    def neighbours(self, radius_m: float) -> Pairs:
        """(cell, cell, distance between centres) for every pair within `radius_m`, self included."""
        key = ("within", round(float(radius_m), 6))
        if key not in self._cache:
            pts = np.column_stack([self.cx, self.cy])
            tree = cKDTree(pts)
            pairs = tree.sparse_distance_matrix(tree, max_distance=radius_m, output_type="ndarray")
            i, j, d = pairs["i"].astype(np.int64), pairs["j"].astype(np.int64), pairs["v"].astype(float)
            diag = np.arange(self.n_cells, dtype=np.int64)  # the tree leaves out zero distances
            self._cache[key] = (np.r_[diag, i], np.r_[diag, j], np.r_[np.zeros(self.n_cells), d])
        return self._cache[key]

    def steps(self, max_steps: int) -> Pairs:
        """(cell, cell, rings apart) for pairs at most `max_steps` rings apart, self pairs included."""
        key = ("steps", int(max_steps))
        if key not in self._cache:
            self._cache[key] = self._steps(int(max_steps))
        return self._cache[key]

    def gaussian_mass(self, x: FloatArray, y: FloatArray, sigma: float) -> Pairs:
        """(point, cell, share of an isotropic Gaussian around the point that falls in the cell).

        Cells are treated as discs of their own area blurred into the kernel (variance + area/2π):
        the shares of a narrow kernel then still sum to about one instead of spiking at a centre.
        """
        eff = math.sqrt(sigma**2 + float(np.mean(self.cell_area)) / (2 * math.pi))
        tree = cKDTree(np.column_stack([self.cx, self.cy]))
        hits = tree.query_ball_point(np.column_stack([x, y]), 4 * eff)
        counts = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
        point = np.repeat(np.arange(len(x), dtype=np.int64), counts)
        cell = np.concatenate([np.asarray(h, dtype=np.int64) for h in hits]) if len(hits) else point
        w = np.exp(-((self.cx[cell] - x[point]) ** 2 + (self.cy[cell] - y[point]) ** 2) / (2 * eff**2))
        w *= self.cell_area[cell] / (2 * math.pi * eff**2)
        return point, cell, w


class SquareGrid(Grid):
    """Square cells of `cell_size` metres, aligned on multiples of it, kept where `inside`."""

    kind = "square"

    def __init__(self, cell_size: float, x0: float, y0: float, nx: int, ny: int, inside: npt.NDArray[np.bool_]):
        """Trusts its arguments; build with from_boundary / from_bounds, which validate."""
        super().__init__()
        self.cell_size, self.x0, self.y0, self.nx, self.ny = float(cell_size), float(x0), float(y0), nx, ny
        self.flat = np.flatnonzero(inside.ravel()).astype(np.int64)  # raster position of each cell
        self._index = np.full(nx * ny + 1, -1, dtype=np.int64)  # last slot: "off the raster"
        self._index[self.flat] = np.arange(len(self.flat))
        self.row, self.col = np.divmod(self.flat, nx)
        self.cx = x0 + (self.col + 0.5) * cell_size
        self.cy = y0 + (self.row + 0.5) * cell_size
        self.cell_area = np.full(len(self.flat), cell_size**2)
        if not len(self.flat):
            raise ForecastInputError(
                f"a cell size of {cell_size:g} m leaves no cell whose centre is inside the study area; "
                "use a smaller cell size"
            )

    @staticmethod
    def _check_size(cell_size: float) -> float:
        if not (isinstance(cell_size, (int, float)) and math.isfinite(cell_size) and cell_size > 0):
            raise ForecastInputError(f"the cell size must be a positive number of metres, got {cell_size!r}")
        return float(cell_size)

    @classmethod
    def _raster(cls, bounds: tuple[float, float, float, float], cell_size: float) -> tuple[float, float, int, int]:
        size = cls._check_size(cell_size)
        minx, miny, maxx, maxy = bounds
        x0, y0 = math.floor(minx / size) * size, math.floor(miny / size) * size
        nx, ny = max(1, math.ceil((maxx - x0) / size)), max(1, math.ceil((maxy - y0) / size))
        if nx * ny > 50_000_000:
            raise ForecastInputError(f"a cell size of {size:g} m gives {nx * ny:,} cells: too many; use a larger one")
        return x0, y0, nx, ny

    @classmethod
    def from_boundary(
        cls, boundary: str | os.PathLike[str] | dict[str, Any] | BaseGeometry, cell_size: float
    ) -> SquareGrid:
        """Cells whose centre lies inside the boundary (a GeoJSON polygon in the data's CRS, metres)."""
        geom = load_boundary(boundary)
        x0, y0, nx, ny = cls._raster(geom.bounds, cell_size)
        if cell_size**2 > geom.area:
            raise ForecastInputError(
                f"a cell of {cell_size:g} m is larger than the study area ({geom.area / 1e6:.3g} km²); "
                "use a smaller cell size"
            )
        xs = x0 + (np.arange(nx) + 0.5) * cell_size
        ys = y0 + (np.arange(ny) + 0.5) * cell_size
        gx, gy = np.meshgrid(xs, ys)
        shapely.prepare(geom)
        return cls(cell_size, x0, y0, nx, ny, shapely.contains_xy(geom, gx, gy))

    @classmethod
    def from_bounds(cls, xmin: float, ymin: float, xmax: float, ymax: float, cell_size: float) -> SquareGrid:
        """Every cell of a rectangle: the study area when no boundary is given."""
        if not (xmax > xmin and ymax > ymin):
            raise ForecastInputError("the study area's extent is empty (all events at one place?)")
        x0, y0, nx, ny = cls._raster((xmin, ymin, xmax, ymax), cell_size)
        return cls(cell_size, x0, y0, nx, ny, np.ones((ny, nx), dtype=bool))

    def locate(self, events: Events) -> IntArray:
        return self.locate_xy(events.x, events.y)

    def locate_xy(self, x: FloatArray, y: FloatArray) -> IntArray:
        col = np.floor((np.asarray(x) - self.x0) / self.cell_size)
        row = np.floor((np.asarray(y) - self.y0) / self.cell_size)
        on = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        flat = np.where(on, row * self.nx + col, self.nx * self.ny).astype(np.int64)
        return self._index[flat]

    def _offsets(self, reach: int, keep: Any) -> Pairs:
        """Pairs of cells at raster offsets (dr, dc) in [−reach, reach]² where keep(dr, dc) is true."""
        out_i, out_j, out_v = [], [], []
        for dr in range(-reach, reach + 1):
            for dc in range(-reach, reach + 1):
                value = keep(dr, dc)
                if value is None:
                    continue
                r, c = self.row + dr, self.col + dc
                on = (r >= 0) & (r < self.ny) & (c >= 0) & (c < self.nx)
                j = self._index[np.where(on, r * self.nx + c, self.nx * self.ny)]
                ok = j >= 0
                out_i.append(np.flatnonzero(ok))
                out_j.append(j[ok])
                out_v.append(np.full(int(ok.sum()), float(value)))
        return np.concatenate(out_i).astype(np.int64), np.concatenate(out_j), np.concatenate(out_v)

    def neighbours(self, radius_m: float) -> Pairs:
        key = ("within", round(float(radius_m), 6))
        if key not in self._cache:
            reach = int(radius_m // self.cell_size)
            s = self.cell_size

            def within(dr: int, dc: int) -> float | None:
                d = math.hypot(dr * s, dc * s)
                return d if d <= radius_m else None

            self._cache[key] = self._offsets(reach, within)
        return self._cache[key]

    def _steps(self, max_steps: int) -> Pairs:
        return self._offsets(max_steps, lambda dr, dc: max(abs(dr), abs(dc)))

    def gaussian_mass(self, x: FloatArray, y: FloatArray, sigma: float) -> Pairs:
        """Exact share of each square cell under the Gaussian (a product of two normal CDFs)."""
        s = self.cell_size
        reach = max(1, math.ceil(4 * sigma / s))
        col = np.floor((x - self.x0) / s).astype(np.int64)
        row = np.floor((y - self.y0) / s).astype(np.int64)
        d = np.arange(-reach, reach + 1)
        cols, rows = col[:, None] + d[None, :], row[:, None] + d[None, :]
        left = self.x0 + cols * s
        bottom = self.y0 + rows * s
        mx = ndtr((left + s - x[:, None]) / sigma) - ndtr((left - x[:, None]) / sigma)
        my = ndtr((bottom + s - y[:, None]) / sigma) - ndtr((bottom - y[:, None]) / sigma)
        point = np.repeat(np.arange(len(x), dtype=np.int64), len(d) ** 2)
        rr = np.repeat(rows, len(d), axis=1).ravel()
        cc = np.tile(cols, (1, len(d))).ravel()
        mass = (my[:, :, None] * mx[:, None, :]).ravel()
        on = (cc >= 0) & (cc < self.nx) & (rr >= 0) & (rr < self.ny)
        cell = self._index[np.where(on, rr * self.nx + cc, self.nx * self.ny)]
        ok = (cell >= 0) & (mass > 0)
        return point[ok], cell[ok], mass[ok]

    def describe(self) -> dict[str, Any]:
        return {
            "kind": "square",
            "cell_size_m": self.cell_size,
            "cells": self.n_cells,
            "area_km2": round(self.area_m2 / 1e6, 3),
            "origin": [self.x0, self.y0],
        }


class H3Grid(Grid):
    """H3 cells of one resolution whose centres lie inside the study area (lon/lat data only)."""

    kind = "h3"

    def __init__(self, resolution: int, cells: list[str], projection: LocalProjection) -> None:
        super().__init__()
        if not cells:
            raise ForecastInputError(
                f"H3 resolution {resolution} leaves no cell whose centre is inside the study area; use a finer one"
            )
        self.resolution, self.projection = resolution, projection
        self.cells = sorted(cells)
        self._position = {c: i for i, c in enumerate(self.cells)}
        centres = np.array([h3.cell_to_latlng(c) for c in self.cells], dtype=float)
        self.cx, self.cy = projection.forward(centres[:, 1], centres[:, 0])
        self.cell_area = np.array([h3.cell_area(c, unit="m^2") for c in self.cells], dtype=float)

    @classmethod
    def from_boundary(
        cls,
        boundary: str | os.PathLike[str] | dict[str, Any] | BaseGeometry,
        resolution: int,
        projection: LocalProjection,
    ) -> H3Grid:
        """H3 cells of a lon/lat GeoJSON boundary."""
        res = validate_resolution(resolution)
        geom = load_boundary(boundary)
        minx, miny, maxx, maxy = geom.bounds
        if not (minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90):
            raise ForecastInputError("boundary: H3 cells need a boundary in longitude/latitude (WGS84)")
        return cls(res, list(h3.geo_to_cells(geom.__geo_interface__, res)), projection)

    def locate(self, events: Events) -> IntArray:
        if events.lon is None or events.lat is None:
            raise ForecastInputError("H3 cells need events given as longitude/latitude")
        found = h3_cells(events.lat, events.lon, self.resolution)
        return np.array([self._position.get(c, -1) if c is not None else -1 for c in found], dtype=np.int64)

    def _steps(self, max_steps: int) -> Pairs:
        out_i, out_j, out_v = [], [], []
        for i, cell in enumerate(self.cells):
            for k in range(max_steps + 1):
                for other in h3.grid_ring(cell, k):
                    j = self._position.get(other)
                    if j is not None:
                        out_i.append(i)
                        out_j.append(j)
                        out_v.append(float(k))
        return np.array(out_i, dtype=np.int64), np.array(out_j, dtype=np.int64), np.array(out_v)

    def describe(self) -> dict[str, Any]:
        return {
            "kind": "h3",
            "resolution": self.resolution,
            "cells": self.n_cells,
            "area_km2": round(self.area_m2 / 1e6, 3),
            "mean_cell_area_m2": round(float(self.cell_area.mean()), 1),
        }
