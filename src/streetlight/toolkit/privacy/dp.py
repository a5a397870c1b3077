"""Differentially private count releases through OpenDP, with the privacy budget kept in a ledger.

Suppression protects one table at a time; differential privacy protects any number of releases,
but each costs ε and the costs add up. The ledger is an append-only JSON-lines file: one line per
release, written *before* the noisy counts are returned, so a crash never leaves a release
unaccounted for, and a budget, when set, refuses the release that would exceed it.

OpenDP is imported only when a release is made: the rest of the toolkit works without it.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

import numpy as np
import numpy.typing as npt

MECHANISM = "discrete Laplace (OpenDP make_laplace on integers)"


class BudgetExceeded(ValueError):
    """The release would take the ledger's total ε over its budget; nothing was released."""


@dataclass(frozen=True)
class LedgerEntry:
    release_id: str
    epsilon: float
    mechanism: str
    timestamp: str  # ISO 8601, UTC
    sensitivity: int = 1
    note: str = ""


@dataclass(frozen=True)
class DPRelease:
    """Noisy counts (post-processed: rounded noise, negatives clamped to 0 when asked)."""

    release_id: str
    counts: npt.NDArray[np.int64]
    epsilon: float
    scale: float
    mechanism: str


class Ledger(Protocol):
    """Where releases are accounted: `EpsilonLedger` (a file) or any store with the same `record`
    (the platform keeps its ledger in the database)."""

    def record(
        self, *, release_id: str, epsilon: float, mechanism: str, sensitivity: int = 1, note: str = ""
    ) -> Any: ...


def opendp_available() -> bool:
    """Whether the optional `opendp` package can be imported (DP releases need it)."""
    try:
        import opendp.prelude  # noqa: F401
    except ImportError:
        return False
    return True


class EpsilonLedger:
    """The ε spent by every differentially private release, in an append-only JSON-lines file."""

    def __init__(self, path: str | os.PathLike[str], *, budget: float | None = None) -> None:
        if budget is not None and not (math.isfinite(budget) and budget > 0):
            raise ValueError("the budget must be a positive number")
        self.path = Path(path)
        self.budget = budget

    def entries(self) -> list[LedgerEntry]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as fh:
            return _parse(fh, self.path)

    def spent(self) -> float:
        return math.fsum(e.epsilon for e in self.entries())

    def record(
        self, *, release_id: str, epsilon: float, mechanism: str, sensitivity: int = 1, note: str = ""
    ) -> LedgerEntry:
        """Append one release; refuses a repeated id and anything over the budget."""
        if not release_id.strip():
            raise ValueError("a release needs an id")
        _check_epsilon(epsilon)
        with self._locked() as fh:
            fh.seek(0)
            entries = _parse(fh, self.path)
            if any(e.release_id == release_id for e in entries):
                raise ValueError(f"release id {release_id!r} is already in the ledger")
            spent = math.fsum(e.epsilon for e in entries)
            if self.budget is not None and spent + epsilon > self.budget * (1 + 1e-12):
                raise BudgetExceeded(
                    f"release {release_id!r} needs ε = {epsilon:g}, but only {self.budget - spent:g} of the "
                    f"budget {self.budget:g} is left"
                )
            entry = LedgerEntry(
                release_id=release_id,
                epsilon=float(epsilon),
                mechanism=mechanism,
                timestamp=datetime.now(UTC).isoformat(timespec="seconds"),
                sensitivity=int(sensitivity),
                note=note,
            )
            fh.seek(0, os.SEEK_END)
            fh.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return entry

    @contextlib.contextmanager
    def _locked(self) -> Iterator[IO[str]]:
        """The file opened for append, under an exclusive lock so two releases cannot both pass."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+", encoding="utf-8") as fh:
            try:
                import fcntl
            except ImportError:  # not POSIX: no lock, single writer assumed
                yield fh
                return
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield fh
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _parse(fh: IO[str], path: Path) -> list[LedgerEntry]:
    entries = []
    for number, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            entries.append(LedgerEntry(**json.loads(line)))
        except (json.JSONDecodeError, TypeError) as exc:
            raise ValueError(f"{path}: line {number}: not a ledger entry ({exc})") from None
    return entries


def _check_epsilon(epsilon: float) -> None:
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not (0 < epsilon < math.inf):
        raise ValueError("ε must be a positive finite number")


def dp_counts(
    counts: npt.ArrayLike,
    *,
    epsilon: float,
    ledger: Ledger,
    release_id: str,
    contributions: int = 1,
    clamp: bool = True,
    note: str = "",
) -> DPRelease:
    """Release `counts` with discrete Laplace noise calibrated to `epsilon`, and log the ε spent.

    `contributions` bounds how many counts one person can change by one (1 when each report counts
    once and a person is one report; raise it when a person may file several). The set of counts
    (which cells, which categories) must not depend on the data: pass zeros for empty cells.
    """
    _check_epsilon(epsilon)
    if isinstance(contributions, bool) or not isinstance(contributions, int) or contributions < 1:
        raise ValueError("contributions must be a whole number of at least 1")
    values = np.asarray(counts)
    if values.dtype.kind not in "iu" or (values < 0).any():
        raise ValueError("counts must be non-negative integers")
    try:
        import opendp.prelude as dp
    except ImportError:
        raise RuntimeError("differentially private releases need the `opendp` package (pip install opendp)") from None
    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T="i64")), dp.l1_distance(T="i64")
    scale = contributions / float(epsilon)
    meas: Any = dp.m.make_laplace(*space, scale=scale)
    spent = float(meas.map(d_in=contributions))
    if spent > epsilon * (1 + 1e-9):
        raise RuntimeError(f"OpenDP reports ε = {spent} for scale {scale}, above the {epsilon} asked for")
    ledger.record(release_id=release_id, epsilon=spent, mechanism=MECHANISM, sensitivity=contributions, note=note)
    noisy = np.asarray(meas(values.ravel().astype(np.int64).tolist()), dtype=np.int64).reshape(values.shape)
    if clamp:
        noisy = np.maximum(noisy, 0)
    return DPRelease(release_id=release_id, counts=noisy, epsilon=spent, scale=scale, mechanism=MECHANISM)
