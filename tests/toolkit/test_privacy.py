"""Suppression: no small count is published and none can be worked out from what is; sensitive
categories only per district; differentially private counts with the ε in a ledger."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import h3
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from streetlight.toolkit.geo import AreaIndex, aggregate
from streetlight.toolkit.privacy import (
    COMPLEMENTARY,
    PRIMARY,
    BudgetExceeded,
    EpsilonLedger,
    augment,
    bridges,
    cell_districts,
    dp_counts,
    opendp_available,
    roll_up_sensitive,
    suppress,
    suppress_aggregate,
)

# Tables with many small counts, the hard case for complementary suppression.
cell_value = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 40))


def tables(max_side: int) -> st.SearchStrategy[np.ndarray]:
    return (
        st.integers(1, max_side)
        .flatmap(
            lambda m: st.integers(1, max_side).flatmap(
                lambda n: st.lists(st.lists(cell_value, min_size=n, max_size=n), min_size=m, max_size=m)
            )
        )
        .map(lambda rows: np.array(rows, dtype=np.int64))
    )


def published_system(values: np.ndarray, hidden: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A_eq x = b over the hidden cells of an augmented table, from every row and column sum."""
    m, n = values.shape
    cells = np.argwhere(hidden)
    index = {tuple(c): i for i, c in enumerate(cells.tolist())}
    rows, rhs = [], []
    for line in [[(i, j) for j in range(n)] for i in range(m)] + [[(i, j) for i in range(m)] for j in range(n)]:
        coef = np.zeros(len(cells))
        b = 0.0
        for pos, (i, j) in enumerate(line):
            sign = -1.0 if pos == len(line) - 1 else 1.0  # the last cell of a line is its total
            if (i, j) in index:
                coef[index[(i, j)]] += sign
            else:
                b -= sign * values[i, j]
        rows.append(coef)
        rhs.append(b)
    return cells, np.array(rows), np.array(rhs)


def derivable(values: np.ndarray, hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells whose smallest and largest values consistent with the published table (and
    counts ≥ 0) coincide: the linear-programming view of "worked out by subtraction"."""
    cells, a_eq, b_eq = published_system(values, hidden)
    found = []
    for k, cell in enumerate(cells.tolist()):
        c = np.zeros(len(cells))
        c[k] = 1.0
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert lo.status == 0, "the published table must be consistent"
        if hi.status == 0 and -hi.fun - lo.fun < 1e-7:
            found.append(tuple(cell))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(7), st.integers(1, 12))
def test_no_small_count_is_published_and_no_line_has_a_single_hidden_cell(table: np.ndarray, k: int) -> None:
    result = suppress(table, k=k)
    values, hidden = result.values, result.suppressed
    assert not ((values > 0) & (values < k) & ~hidden).any(), "a count below k was published"
    assert ((result.status == PRIMARY) == ((values > 0) & (values < k))).all()
    assert 1 not in hidden.sum(axis=0).tolist() and 1 not in hidden.sum(axis=1).tolist()
    assert not bridges(hidden).any()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(4), st.integers(2, 10))
def test_no_hidden_cell_is_determined_by_the_published_sums(table: np.ndarray, k: int) -> None:
    result = suppress(table, k=k)
    if result.suppressed.any():
        assert derivable(result.values, result.suppressed) == []


@pytest.mark.parametrize("shape", [(1, 2), (2, 2), (2, 3), (3, 2)])
def test_small_tables_brute_force_every_hidden_cell_has_two_possible_values(shape: tuple[int, int]) -> None:
    """Enumerate every table of counts 0..6 that agrees with what is published (the tables drawn
    go up to 5, so the enumeration's own ceiling never decides a value)."""
    rng = np.random.default_rng(sum(shape))
    top = 5
    grid = np.array(list(itertools.product(range(top + 2), repeat=shape[0] * shape[1])))
    candidates = grid.reshape(-1, *shape)
    aug = np.zeros((len(candidates), shape[0] + 1, shape[1] + 1), dtype=np.int64)
    aug[:, :-1, :-1] = candidates
    aug[:, :-1, -1] = candidates.sum(axis=2)
    aug[:, -1, :-1] = candidates.sum(axis=1)
    aug[:, -1, -1] = candidates.sum(axis=(1, 2))
    for _ in range(40):
        table = rng.integers(0, top + 1, shape)
        result = suppress(table, k=4)
        shown = ~result.suppressed
        fits = (aug[:, shown] == result.values[shown]).all(axis=1)
        for i, j in np.argwhere(result.suppressed).tolist():
            assert len(set(aug[fits, i, j].tolist())) >= 2, (table.tolist(), (i, j))


def test_bridges_are_the_hidden_cells_whose_removal_disconnects_their_row_and_column() -> None:
    rng = np.random.default_rng(1)
    for _ in range(200):
        m, n = rng.integers(1, 7, 2)
        hidden = rng.random((m, n)) < rng.random()
        expected = np.zeros_like(hidden)
        for i, j in np.argwhere(hidden).tolist():
            rest = hidden.copy()
            rest[i, j] = False
            r, c = np.nonzero(rest)
            graph = sparse.csr_matrix((np.ones(r.size), (r, m + c)), shape=(m + n, m + n))
            labels = connected_components(graph, directed=False)[1]
            expected[i, j] = labels[i] != labels[m + j]
        assert (bridges(hidden) == expected).all()


def test_a_single_small_cell_takes_the_smallest_others_with_it() -> None:
    result = suppress([[3, 50, 60], [40, 20, 70]], k=10)
    hidden = result.suppressed
    assert result.status[0, 0] == PRIMARY
    assert hidden[0, 1] and hidden[1, 0] and hidden[1, 1]  # the cheapest cycle through (0, 0)
    assert result.n_complementary == 3
    assert not hidden[:, -1].any() and not hidden[-1, :].any()  # the totals stay published


def test_zeros_are_published() -> None:
    assert not suppress([[0, 20], [30, 40]]).suppressed.any()
    result = suppress([[0, 3, 20], [0, 40, 30], [5, 30, 30]])
    assert not result.suppressed[result.values == 0].any()


def test_margins_below_k_are_hidden_too() -> None:
    result = suppress([[4, 0], [30, 40]], k=10)
    assert result.suppressed[0, 2]  # row total 4


@pytest.mark.parametrize("bad", [[[-1, 2]], [[1.5, 2]], [1, 2, 3]])
def test_tables_must_be_whole_non_negative_and_two_dimensional(bad: list) -> None:
    with pytest.raises(ValueError):
        suppress(bad)


@pytest.mark.parametrize("k", [0, -3, 2.5, True])
def test_k_must_be_a_whole_number_of_at_least_one(k: object) -> None:
    with pytest.raises(ValueError, match="k must be"):
        suppress([[1]], k=k)  # type: ignore[arg-type]


def test_augment_adds_row_column_and_grand_totals() -> None:
    assert augment([[1, 2], [3, 4]]).tolist() == [[1, 2, 3], [3, 4, 7], [4, 6, 10]]


def turin_reports(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lat = 45.05 + rng.random(n) * 0.04
    lon = 7.05 + rng.random(n) * 0.2
    times = np.full(n, np.datetime64("2026-05-01T12:00:00"))
    cats = rng.choice(np.array(["theft-bike", "nuisance-noise", "hate-verbal"]), n, p=[0.5, 0.4, 0.1])
    return lat, lon, times, cats


def test_a_released_aggregate_hides_small_counts_and_keeps_totals_checkable() -> None:
    lat, lon, times, cats = turin_reports(3000)
    agg = aggregate(lat, lon, times, categories=cats, by=("cell", "category"), resolution=8)
    release = suppress_aggregate(agg, rows=("cell",), k=10)
    rows = release.to_rows()
    assert len(rows) == (len(release.pivot.row_keys[0]) + 1) * 4
    assert all(r["count"] is None or r["count"] == 0 or r["count"] >= 10 for r in rows)
    grand = next(r for r in rows if r["cell"] == "total" and r["category"] == "total")
    assert grand["count"] == 3000
    assert "status" not in rows[0]  # which hidden cells are small is never published


def test_sensitive_categories_are_only_released_per_district(city_index: AreaIndex) -> None:
    lat, lon, times, cats = turin_reports(3000, seed=2)
    agg = aggregate(lat, lon, times, categories=cats, by=("cell", "category"), resolution=9)
    districts = cell_districts(agg.column("cell"), city_index)
    fine, coarse = roll_up_sensitive(agg, sensitive={"hate-verbal"}, district_of=districts)
    assert "hate-verbal" not in set(fine.column("category").tolist())
    assert coarse.by == ("district", "category")
    assert set(coarse.column("district").tolist()) <= {"W", "E", "R"}
    assert coarse.total + (coarse.excluded - agg.excluded) == int((cats == "hate-verbal").sum())
    assert fine.total + coarse.total + coarse.excluded - agg.excluded == 3000


def test_cell_districts_use_the_cell_centre(city_index: AreaIndex) -> None:
    inside = h3.latlng_to_cell(45.05, 7.05, 9)
    far = h3.latlng_to_cell(46.0, 7.05, 9)
    assert cell_districts([inside, far], city_index) == {inside: "W", far: None}


# -- differential privacy and the ledger -------------------------------------------------------


def test_the_ledger_adds_up_refuses_repeats_and_overspending(tmp_path: Path) -> None:
    ledger = EpsilonLedger(tmp_path / "eps.jsonl", budget=1.0)
    ledger.record(release_id="2026-05 map", epsilon=0.4, mechanism="test")
    ledger.record(release_id="2026-06 map", epsilon=0.5, mechanism="test")
    assert ledger.spent() == pytest.approx(0.9)
    with pytest.raises(ValueError, match="already in the ledger"):
        ledger.record(release_id="2026-05 map", epsilon=0.01, mechanism="test")
    with pytest.raises(BudgetExceeded, match="budget"):
        ledger.record(release_id="2026-07 map", epsilon=0.2, mechanism="test")
    lines = (tmp_path / "eps.jsonl").read_text().splitlines()
    assert [json.loads(x)["release_id"] for x in lines] == ["2026-05 map", "2026-06 map"]
    assert {"release_id", "epsilon", "mechanism", "timestamp"} <= set(json.loads(lines[0]))


def test_a_damaged_ledger_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "eps.jsonl"
    path.write_text('{"release_id": "a", "epsilon": 0.1, "mechanism": "m", "timestamp": "t"}\nnot json\n')
    with pytest.raises(ValueError, match="line 2"):
        EpsilonLedger(path).spent()


@pytest.mark.parametrize("epsilon", [0, -1, float("inf"), float("nan")])
def test_epsilon_must_be_positive_and_finite(tmp_path: Path, epsilon: float) -> None:
    with pytest.raises(ValueError, match="ε"):
        EpsilonLedger(tmp_path / "l.jsonl").record(release_id="x", epsilon=epsilon, mechanism="m")


@pytest.mark.skipif(opendp_available(), reason="checks the message given when opendp is missing")
def test_without_opendp_nothing_is_released_and_nothing_is_spent(tmp_path: Path) -> None:
    ledger = EpsilonLedger(tmp_path / "eps.jsonl")
    with pytest.raises(RuntimeError, match="opendp"):
        dp_counts(np.array([3, 4]), epsilon=1.0, ledger=ledger, release_id="r1")
    assert ledger.entries() == []


@pytest.mark.skipif(not opendp_available(), reason="opendp is not installed")
def test_dp_counts_are_noisy_integers_and_the_epsilon_is_logged(tmp_path: Path) -> None:
    ledger = EpsilonLedger(tmp_path / "eps.jsonl", budget=2.0)
    counts = np.full(4000, 50, dtype=np.int64)
    release = dp_counts(counts, epsilon=0.5, ledger=ledger, release_id="r1")
    assert release.counts.dtype == np.int64 and release.counts.shape == counts.shape
    assert release.scale == pytest.approx(2.0) and release.epsilon == pytest.approx(0.5)
    noise = release.counts - counts
    # Discrete Laplace with scale 2: variance ≈ 2·b² = 8 (4000 draws: well within ±20 %).
    assert abs(noise.mean()) < 0.5 and 6.0 < noise.var() < 10.0
    assert ledger.spent() == pytest.approx(0.5)
    dp_counts(counts[:10], epsilon=1.5, ledger=ledger, release_id="r2", contributions=3)
    with pytest.raises(BudgetExceeded):
        dp_counts(counts[:10], epsilon=0.1, ledger=ledger, release_id="r3")
    assert [e.release_id for e in ledger.entries()] == ["r1", "r2"]


@pytest.mark.skipif(not opendp_available(), reason="opendp is not installed")
def test_dp_counts_clamp_negatives_only_when_asked(tmp_path: Path) -> None:
    ledger = EpsilonLedger(tmp_path / "eps.jsonl")
    zeros = np.zeros(2000, dtype=np.int64)
    assert dp_counts(zeros, epsilon=0.5, ledger=ledger, release_id="a").counts.min() == 0
    assert dp_counts(zeros, epsilon=0.5, ledger=ledger, release_id="b", clamp=False).counts.min() < 0


def test_complementary_status_is_used() -> None:
    assert COMPLEMENTARY in suppress([[3, 50], [40, 20]], k=10).status
