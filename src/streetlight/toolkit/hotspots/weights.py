"""Spatial weights for hotspot statistics: which cells count as each cell's neighbourhood.

Weights are sparse matrices (scipy CSR) because a city has tens of thousands of cells and each has
a handful of neighbours: a dense 50,000 × 50,000 matrix would take 20 GB, the sparse one a few MB.
"""

from __future__ import annotations

from collections.abc import Sequence

import h3
import h3.api.numpy_int as h3int
import numpy as np
import numpy.typing as npt
from scipy import sparse


def cells_as_ints(cells: Sequence[str] | npt.ArrayLike) -> npt.NDArray[np.uint64]:
    """H3 cells (hex strings or ints) as uint64, checked: valid, one resolution, no repeats."""
    arr = np.asarray(cells)
    if arr.dtype.kind in "iu":
        ints = arr.astype(np.uint64).ravel()
    else:
        try:
            ints = np.array([h3.str_to_int(str(c)) for c in arr.ravel().tolist()], dtype=np.uint64)
        except (ValueError, h3.H3BaseException):
            raise ValueError("cells must be H3 cell ids") from None
    if ints.size == 0:
        return ints
    valid = np.fromiter(map(h3int.is_valid_cell, ints.tolist()), dtype=bool, count=ints.size)
    if not valid.all():
        raise ValueError(f"not an H3 cell: {h3.int_to_str(int(ints[~valid][0]))}")
    resolution = (ints >> np.uint64(52)) & np.uint64(0xF)  # bits 52-55 of an H3 index
    if (resolution != resolution[0]).any() or np.unique(ints).size != ints.size:
        raise ValueError("cells must be distinct and all at the same resolution")
    return ints


def h3_neighbours(cells: Sequence[str] | npt.ArrayLike, k: int = 1) -> sparse.csr_matrix:
    """Binary weights: w_ij = 1 when cell j is within k steps of cell i (itself included, as Gi*
    wants). Cells outside the given list are not neighbours of anyone: pass every cell of the study
    area, empty ones included, or edge cells look emptier than they are."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError("k must be a whole number of at least 1")
    ints = cells_as_ints(cells)
    n = ints.size
    order = np.argsort(ints)
    sorted_ints = ints[order]
    disks = [np.asarray(h3int.grid_disk(c, k), dtype=np.uint64) for c in ints.tolist()]  # per cell
    sizes = np.fromiter(map(len, disks), dtype=np.int64, count=n)
    nbr = np.concatenate(disks) if disks else np.zeros(0, dtype=np.uint64)
    src = np.repeat(np.arange(n), sizes)
    pos = np.minimum(np.searchsorted(sorted_ints, nbr), max(n - 1, 0))
    hit = sorted_ints[pos] == nbr if n else np.zeros(0, dtype=bool)
    return sparse.csr_matrix((np.ones(int(hit.sum())), (src[hit], order[pos[hit]])), shape=(n, n))


def grid_neighbours(shape: tuple[int, int], band: float) -> sparse.csr_matrix:
    """Binary distance-band weights on a square grid (row-major cells): w_ij = 1 when the centres
    are at most `band` cell widths apart, the cell itself included."""
    rows, cols = shape
    if rows < 1 or cols < 1 or not band >= 0:
        raise ValueError("the grid needs at least one cell and the band must be ≥ 0")
    reach = int(np.floor(band))
    dy, dx = np.mgrid[-reach : reach + 1, -reach : reach + 1]
    keep = dy**2 + dx**2 <= band**2 + 1e-9
    dy, dx = dy[keep], dx[keep]
    r, c = np.divmod(np.arange(rows * cols), cols)
    rr = r[:, None] + dy[None, :]
    cc = c[:, None] + dx[None, :]
    inside = (rr >= 0) & (rr < rows) & (cc >= 0) & (cc < cols)
    src = np.broadcast_to(np.arange(rows * cols)[:, None], rr.shape)[inside]
    dst = (rr * cols + cc)[inside]
    return sparse.csr_matrix((np.ones(src.size), (src, dst)), shape=(rows * cols, rows * cols))
