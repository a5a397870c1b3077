"""H3 cells for a million points in a fraction of a second, identical to h3's own answer.

h3-py has no array API, so one call per point costs ~0.4 µs — most of the time budget of a city
map. Within one face of H3's icosahedron, cells are the hexagons of a regular lattice in the
face's gnomonic projection: a point's cell is its nearest lattice point. So the points are
projected and rounded to lattice points in numpy, grouped, and h3 is asked once per group (for
one of its points) — a few thousand calls instead of a million. The lattice of each face and
resolution is measured from h3's own cell centres, not re-derived from constants. Points within
1e-7 of a hexagon's edge or equidistant from two faces, where float rounding could differ from
the C library, are sent to h3 one by one, as is everything if a spot check ever disagrees.
"""

from __future__ import annotations

import functools
import itertools
import warnings

import h3
import h3.api.numpy_int as h3int
import numpy as np
import numpy.typing as npt

_EDGE_MARGIN = 1e-7  # in lattice spacings: closer than this to a hexagon edge goes to h3 itself
_FACE_MARGIN = 1e-12  # squared-chord difference under which two faces count as equidistant
_CHECKS = 64  # points per call compared with h3 directly

Vec = npt.NDArray[np.float64]


def _unit(lat_deg: npt.ArrayLike, lon_deg: npt.ArrayLike) -> npt.NDArray[np.float64]:
    lat, lon = np.radians(np.asarray(lat_deg, dtype=float)), np.radians(np.asarray(lon_deg, dtype=float))
    cos_lat = np.cos(lat)
    return np.stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)], axis=-1)


@functools.cache
def _face_centres() -> npt.NDArray[np.float64]:
    """The 20 face centres: H3's 12 pentagons sit on the icosahedron's vertices."""
    verts = _unit(*np.array([h3.cell_to_latlng(c) for c in h3.get_pentagons(0)]).T)
    dots = verts @ verts.T
    edge = np.isclose(dots, dots[~np.eye(12, dtype=bool)].max(), atol=1e-9)
    triples = itertools.combinations(range(12), 3)
    faces = [(a, b, c) for a, b, c in triples if edge[a, b] and edge[a, c] and edge[b, c]]
    centres = verts[np.array(faces)].sum(axis=1)
    return np.asarray(centres / np.linalg.norm(centres, axis=1, keepdims=True))


def _frame(centre: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    east = np.cross([0.0, 0.0, 1.0], centre)
    if np.linalg.norm(east) < 1e-9:
        east = np.array([1.0, 0.0, 0.0])
    east /= np.linalg.norm(east)
    return east, np.cross(centre, east)


def _project(xyz: npt.NDArray[np.float64], face: int) -> npt.NDArray[np.float64]:
    """Gnomonic projection on the plane touching the face centre, in (east, north) coordinates."""
    c = _face_centres()[face]
    east, north = _frame(c)
    q = xyz / (xyz @ c)[:, None]
    return np.stack([q @ east, q @ north], axis=-1)


@functools.cache
def _lattice(face: int, res: int) -> npt.NDArray[np.float64] | None:
    """Basis (2×2, columns) of the face's cell-centre lattice at `res`, measured from h3; None if the
    measured centres do not form a regular lattice through the face centre (then h3 does it all)."""
    c = _face_centres()[face]
    lat, lon = np.degrees(np.arcsin(c[2])), np.degrees(np.arctan2(c[1], c[0]))
    home = h3.latlng_to_cell(float(lat), float(lon), res)
    ring = [home, *h3.grid_ring(home, 1)]
    pts = _project(_unit(*np.array([h3.cell_to_latlng(x) for x in ring]).T), face)
    origin, nbrs = pts[0], pts[1:] - pts[0]
    spacing = float(np.linalg.norm(nbrs, axis=1).mean())
    if len(nbrs) != 6 or np.linalg.norm(origin) > 1e-9 * spacing:
        return None
    a1 = nbrs[np.argmin(np.mod(np.arctan2(nbrs[:, 1], nbrs[:, 0]), np.pi / 3) + 10 * (nbrs[:, 0] <= 0))]
    rot = np.array([[0.5, -np.sqrt(3) / 2], [np.sqrt(3) / 2, 0.5]])
    a2 = rot @ a1
    expected = np.array([a1, a2, a2 - a1, -a1, -a2, a1 - a2])
    gaps = np.linalg.norm(nbrs[:, None, :] - expected[None, :, :], axis=2).min(axis=1)
    if gaps.max() > 1e-9 * spacing:
        return None
    return np.column_stack([a1, a2])


def _direct(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], res: int) -> npt.NDArray[np.uint64]:
    n = lat.size
    it = map(h3int.latlng_to_cell, lat.tolist(), lon.tolist(), itertools.repeat(res, n))
    return np.fromiter(it, dtype=np.uint64, count=n)


def _nearest_faces(x: Vec, y: Vec, z: Vec) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Each point's nearest face centre, and where two are too close to call.

    A city lies on one or two faces, so the face of the first point is tried first: a point within
    that face's inscribed circle (less 1e-6 rad) needs no other comparison.
    """
    centres = _face_centres()
    f0 = int(np.argmax(centres @ np.array([x[0], y[0], z[0]])))
    c0 = centres[f0]
    others = np.delete(centres, f0, axis=0)
    half = 0.5 * float(np.arccos(np.clip((others @ c0).max(), -1.0, 1.0)))
    inside = x * c0[0] + y * c0[1] + z * c0[2] > np.cos(half - 1e-6)
    face = np.full(x.size, f0, dtype=np.int64)
    ambiguous = np.zeros(x.size, dtype=bool)
    rest = np.flatnonzero(~inside)
    if rest.size:
        close = np.column_stack([x[rest], y[rest], z[rest]]) @ centres.T  # larger is nearer
        face[rest] = np.argmax(close, axis=1)
        top2 = np.sort(close, axis=1)[:, -2:]
        ambiguous[rest] = 2.0 * (top2[:, 1] - top2[:, 0]) < _FACE_MARGIN  # squared chord = 2 - 2·dot
    return face, ambiguous


def _lattice_points(
    x: Vec, y: Vec, z: Vec, face: int, basis: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Nearest lattice point (i, j) of each point, and whether the point is too near an edge.

    With a2 at 60° from a1, the squared distance of (u, v) lattice units is (u² + v² + uv)·|a1|², and
    the nearest lattice point is a corner of the rhombus [⌊u⌋, ⌊u⌋+1] × [⌊v⌋, ⌊v⌋+1]. The squared
    distances to the four corners differ from the one to (⌊u⌋, ⌊v⌋) by linear terms, so comparing
    those is enough; a gap under 2ε between the best two means the point is within ε of an edge
    (distances to the rhombus corners are at most 1, so the two distances sum to at most 2).
    """
    c = _face_centres()[face]
    east, north = _frame(c)
    d = x * c[0] + y * c[1] + z * c[2]
    px = (x * east[0] + y * east[1] + z * east[2]) / d
    py = (x * north[0] + y * north[1] + z * north[2]) / d
    inv = np.linalg.inv(basis)
    u = px * inv[0, 0] + py * inv[0, 1]
    v = px * inv[1, 0] + py * inv[1, 1]
    u0, v0 = np.floor(u), np.floor(v)
    fu, fv = u - u0, v - v0
    to_10 = 1.0 - 2.0 * fu - fv  # d²(1, 0) − d²(0, 0)
    to_01 = 1.0 - fu - 2.0 * fv  # d²(0, 1) − d²(0, 0)
    to_11 = 3.0 * (1.0 - fu - fv)  # d²(1, 1) − d²(0, 0)
    lo1, hi1 = np.minimum(to_10, 0.0), np.maximum(to_10, 0.0)
    lo2, hi2 = np.minimum(to_01, to_11), np.maximum(to_01, to_11)
    best = np.minimum(lo1, lo2)
    second = np.minimum(np.maximum(lo1, lo2), np.minimum(hi1, hi2))
    near_edge = second - best < 2.0 * _EDGE_MARGIN
    second_pair = lo2 < lo1
    du = np.where(second_pair, to_11 < to_01, to_10 < 0.0)
    return u0.astype(np.int64) + du, v0.astype(np.int64) + second_pair, near_edge


def cells_of(lat: Vec, lon: Vec, res: int) -> npt.NDArray[np.uint64]:
    """H3 cells (uint64) of valid WGS84 points, exactly as `h3.latlng_to_cell` gives them."""
    n = lat.size
    if n < 4096:
        return _direct(lat, lon, res)
    phi, lam = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    x, y, z = cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)
    face, slow = _nearest_faces(x, y, z)
    ii = np.zeros(n, dtype=np.int64)
    jj = np.zeros(n, dtype=np.int64)
    for f in np.unique(face).tolist():  # at most 20 faces, one vectorised pass each
        basis = _lattice(f, res)
        on_face = face == f
        sel: slice | npt.NDArray[np.int64] = slice(None) if on_face.all() else np.flatnonzero(on_face)
        if basis is None:
            slow[sel] = True
            continue
        ii[sel], jj[sel], near = _lattice_points(x[sel], y[sel], z[sel], f, basis)
        slow[sel] |= near
    out = np.zeros(n, dtype=np.uint64)
    fast = np.flatnonzero(~slow)
    codes, first = _group(_dense_key(face[fast], ii[fast], jj[fast]))
    out[fast] = _direct(lat[fast[first]], lon[fast[first]], res)[codes]
    hard = np.flatnonzero(slow)
    out[hard] = _direct(lat[hard], lon[hard], res)
    probe = np.linspace(0, n - 1, _CHECKS).astype(np.int64)
    if not np.array_equal(out[probe], _direct(lat[probe], lon[probe], res)):
        warnings.warn("fast H3 indexing disagreed with h3; using h3 for every point", RuntimeWarning, stacklevel=2)
        return _direct(lat, lon, res)
    return out


def _dense_key(*parts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """One int per combination, numbered from 0 over the combinations' bounding box."""
    key = np.zeros(parts[0].size, dtype=np.int64)
    for p in parts:
        if p.size == 0:
            return key
        lo = int(p.min())
        key = key * (int(p.max()) - lo + 1) + (p - lo)
    return key


def _group(key: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(group of each key, index of one member per group); a lookup table when keys are dense."""
    if key.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lo, hi = int(key.min()), int(key.max())
    if hi - lo < 4 * key.size:
        shifted = key - lo
        first = np.full(hi - lo + 1, -1, dtype=np.int64)
        first[shifted] = np.arange(key.size)  # some member of each group; which one does not matter
        present = np.flatnonzero(first >= 0)
        lookup = np.zeros(hi - lo + 1, dtype=np.int64)
        lookup[present] = np.arange(present.size)
        return lookup[shifted], first[present]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.ravel().astype(np.int64), first.astype(np.int64)
