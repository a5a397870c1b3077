"""Hit rate, PAI, PEI and the tie rule, checked by hand on tiny grids."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streetlight.toolkit.forecast import ForecastInputError, capture, summarise


def test_pai_and_pei_on_a_ten_cell_grid() -> None:
    # Ten equal cells; risk ranks cells 0, 1, 2, … ; coverage 20 % flags cells 0 and 1.
    risk = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
    events = [0, 2, 2, 2, 5]  # one hit in cell 0; cell 2 holds three events
    c = capture(risk, events, [0.2])
    assert c.cells.tolist() == [2]
    assert c.hits.tolist() == [1.0]
    assert c.hit_rate.tolist() == [0.2]  # 1 of 5 events
    assert c.area_share.tolist() == [0.2]
    assert c.pai.tolist() == pytest.approx([1.0])  # 0.2 / 0.2
    assert c.oracle.tolist() == [4.0]  # best two cells: cell 2 (3) and cell 0 or 5 (1)
    assert c.pei.tolist() == [0.25]


def test_unequal_cells_use_the_area_flagged() -> None:
    c = capture([3, 2, 1, 0], [0, 0, 3], [0.5], cell_area=[1, 3, 2, 2])
    assert c.area_share.tolist() == [0.5]  # cells 0 and 1: 4 of 8
    assert c.pai.tolist() == pytest.approx([(2 / 3) / 0.5])


def test_a_tie_at_the_cut_off_counts_the_share_of_the_group_that_fits() -> None:
    # Cell 0 is first; cells 1..4 are tied for the remaining one slot at 40 %.
    risk = [5, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    events = [0, 3, 3, 7]
    c = capture(risk, events, [0.2])
    assert c.hits.tolist() == [1 + 2 * (1 / 4)]  # cell 0, plus a quarter of cell 3's two events
    by_index = capture(risk, events, [0.2], tie_rule="index")
    assert by_index.hits.tolist() == [1.0]  # cell 1 wins the tie by index: no event there


def test_risks_equal_to_nine_digits_are_ties() -> None:
    c = capture([1.0, 1.0 + 1e-13, 0.5], [0], [1 / 3])
    assert c.hits.tolist() == [0.5]


@settings(max_examples=60, deadline=None)
@given(
    risk=st.lists(st.integers(0, 3), min_size=3, max_size=6),
    events=st.lists(st.integers(0, 5), min_size=1, max_size=8),
    coverage=st.sampled_from([0.2, 0.34, 0.5, 0.67]),
)
def test_the_expected_tie_rule_is_the_average_over_every_order_of_the_tied_cells(
    risk: list[int], events: list[int], coverage: float
) -> None:
    n = len(risk)
    events = [e % n for e in events]
    expected = capture(risk, events, [coverage]).hits[0]
    k = capture(risk, events, [coverage]).cells[0]
    counts = np.bincount(events, minlength=n)
    totals = []
    for order in itertools.permutations(range(n)):
        ranked = sorted(order, key=lambda cell: -risk[cell])  # stable: ties keep this permutation's order
        totals.append(counts[ranked[:k]].sum())
    assert expected == pytest.approx(np.mean(totals))


def test_a_coverage_below_one_cell_is_refused() -> None:
    with pytest.raises(ForecastInputError, match="less than one cell"):
        capture([1, 2, 3], [0], [0.05])


def test_summaries_mean_of_windows_and_pooled() -> None:
    risk = [3, 2, 1, 0]
    busy = capture(risk, [0, 0, 0, 3], [0.25])  # 3 of 4 events hit
    quiet = capture(risk, [3], [0.25])  # 0 of 1
    empty = capture(risk, [], [0.25])  # no event: no hit rate, left out of means
    (s,) = summarise([busy, quiet, empty])
    assert (s.windows, s.windows_scored, s.events) == (3, 2, 5)
    assert s.hit_rate_mean == pytest.approx((0.75 + 0.0) / 2)
    assert s.hit_rate_pooled == pytest.approx(3 / 5)
    assert s.pai_pooled == pytest.approx((3 / 5) / 0.25)
    assert s.pei_pooled == pytest.approx(3 / (3 + 1))
