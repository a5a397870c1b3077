"""Integer codes for labels, and counts of code combinations: the vectorised core of `aggregate`."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

_DENSE_LIMIT = 1 << 25  # key spaces up to this size are counted with one bincount

IntArray = npt.NDArray[np.int64]


def factorize(values: npt.ArrayLike) -> tuple[IntArray, npt.NDArray[Any]]:
    """(codes, labels) with labels[codes] == values; code -1 where the value is missing.

    Missing means None, "", NaN or NaT. Integers are factorised by a lookup table when their range
    is small; strings by a 64-bit polynomial hash checked for collisions, since sorting a million
    strings (what np.unique does) takes most of a second.
    """
    arr = np.asarray(values)
    if arr.ndim != 1:
        arr = arr.ravel()
    kind = arr.dtype.kind
    if kind in "iub":
        return _factorize_int(arr)
    if kind == "O":
        missing = (arr == None) | (arr == "")  # noqa: E711 - elementwise on an object array
        arr = np.where(missing, "", arr).astype(str)
    elif kind in "US":
        missing = arr == arr.dtype.type()
    elif kind in "fM":
        missing = np.isnan(arr) if kind == "f" else np.isnat(arr)
        codes = np.full(arr.size, -1, dtype=np.int64)
        labels, inv = np.unique(arr[~missing], return_inverse=True)
        codes[~missing] = inv.ravel()
        return codes, labels
    else:
        raise ValueError(f"cannot group by values of dtype {arr.dtype}")
    codes, labels = _factorize_str(arr, missing)
    return codes, labels


def _factorize_int(arr: npt.NDArray[Any]) -> tuple[IntArray, npt.NDArray[Any]]:
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64), arr[:0]
    lo, hi = int(arr.min()), int(arr.max())
    if hi - lo <= 4 * arr.size + 1024:
        shifted = (arr.astype(np.int64) - lo) if arr.dtype.kind != "u" or hi < 2**63 else None
        if shifted is not None:
            present = np.bincount(shifted, minlength=hi - lo + 1) > 0
            lookup = np.cumsum(present) - 1
            labels = (np.flatnonzero(present) + lo).astype(arr.dtype)
            return lookup[shifted].astype(np.int64), labels
    labels, inv = np.unique(arr, return_inverse=True)
    return inv.ravel().astype(np.int64), labels


def _factorize_str(arr: npt.NDArray[Any], missing: npt.NDArray[np.bool_]) -> tuple[IntArray, npt.NDArray[Any]]:
    fixed = np.ascontiguousarray(arr)
    width = fixed.dtype.itemsize // (4 if fixed.dtype.kind == "U" else 1)
    chars = fixed.view(np.uint32 if fixed.dtype.kind == "U" else np.uint8).reshape(fixed.size, max(width, 1))
    digest = np.full(fixed.size, 1469598103934665603, dtype=np.uint64)
    prime = np.uint64(1099511628211)
    for j in range(chars.shape[1]):  # per character position, not per report
        digest = (digest ^ chars[:, j].astype(np.uint64)) * prime
    ok = ~missing
    _, first, inv = np.unique(digest[ok], return_index=True, return_inverse=True)
    reps = fixed[ok][first]
    if not np.array_equal(reps[inv.ravel()], fixed[ok]):  # a hash collision: fall back to sorting
        reps, inv = np.unique(fixed[ok], return_inverse=True)
    order = np.argsort(reps, kind="stable")  # labels in sorted order, like np.unique
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    codes = np.full(fixed.size, -1, dtype=np.int64)
    codes[ok] = rank[inv.ravel()]
    return codes, reps[order].astype(object)


def count_combinations(
    codes: list[IntArray], sizes: list[int], weights: npt.NDArray[Any] | None
) -> tuple[tuple[IntArray, ...], npt.NDArray[Any]]:
    """Count each combination of codes (all ≥ 0): the combinations present and their counts."""
    n = codes[0].size if codes else (weights.size if weights is not None else 0)
    dtype = np.float64 if weights is not None else np.int64
    if n == 0:
        return tuple(np.zeros(0, dtype=np.int64) for _ in sizes), np.zeros(0, dtype=dtype)
    if not sizes:
        return (), np.array([weights.sum() if weights is not None else n], dtype=dtype)
    space = int(np.prod(sizes, dtype=object)) if sizes else 1
    if space >= 2**62:
        raise ValueError("too many label combinations to count; roll up a dimension first")
    key = np.ravel_multi_index(codes, sizes).astype(np.int64) if codes else np.zeros(n, dtype=np.int64)
    if space <= max(_DENSE_LIMIT, 4 * n):
        dense = np.bincount(key, weights=weights, minlength=space)
        present = np.flatnonzero(dense)
        counts = dense[present]
    else:
        present, inv = np.unique(key, return_inverse=True)
        counts = np.bincount(inv.ravel(), weights=weights, minlength=present.size)
    if weights is None:
        counts = counts.astype(np.int64)
    return tuple(np.asarray(i, dtype=np.int64) for i in np.unravel_index(present, sizes)), counts
