"""Burst detection: raised once per event, not before min_count, not for a quiet stream."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from streetlight.toolkit.posts import BurstDetector, detect_bursts
from streetlight.toolkit.posts.bursts import upper_tail

T0 = datetime(2026, 5, 5, 22, 0, tzinfo=UTC)


def minutes(*offsets: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in offsets]


def test_a_burst_is_raised_when_the_window_reaches_min_count_and_only_once() -> None:
    detector = BurstDetector(window=timedelta(minutes=30), min_count=3)
    results = [detector.add("D01", at) for at in minutes(0, 5, 10, 12, 15, 20)]
    assert results[:2] == [None, None]
    burst = results[2]
    assert burst is not None
    assert (burst.place, burst.start, burst.end, burst.count) == ("D01", T0, T0 + timedelta(minutes=10), 3)
    assert burst.expected == pytest.approx(0.025)
    assert results[3:] == [None, None, None]  # the same event: quiet for one window


def test_the_place_can_burst_again_after_the_window_has_passed() -> None:
    bursts = detect_bursts([("D01", at) for at in minutes(0, 5, 10, 50, 55, 60)])
    assert [(b.end, b.count) for b in bursts] == [(T0 + timedelta(minutes=10), 3), (T0 + timedelta(minutes=60), 3)]


def test_posts_spread_out_in_time_never_burst() -> None:
    assert detect_bursts([("D01", at) for at in minutes(*range(0, 24 * 60, 45))]) == []


def test_places_are_counted_apart() -> None:
    events = [("D01", T0), ("D02", T0 + timedelta(minutes=1)), ("D03", T0 + timedelta(minutes=2))]
    assert detect_bursts(events) == []


def test_batch_accepts_events_in_any_order() -> None:
    events = [("Via Roma", at) for at in minutes(20, 0, 10)]
    [burst] = detect_bursts(events)
    assert (burst.start, burst.end, burst.count) == (T0, T0 + timedelta(minutes=20), 3)


def test_a_late_post_in_a_stream_still_counts() -> None:
    detector = BurstDetector()
    assert detector.add("D05", T0 + timedelta(minutes=10)) is None
    assert detector.add("D05", T0 + timedelta(minutes=20)) is None
    burst = detector.add("D05", T0 + timedelta(minutes=5))  # arrived late, same window
    assert burst is None  # its own window (ending at :05) holds only itself
    assert detector.add("D05", T0 + timedelta(minutes=25)) is not None


def test_score_is_minus_log10_of_the_poisson_upper_tail() -> None:
    [burst] = detect_bursts([("D01", at) for at in minutes(0, 1, 2, 3)], min_count=4)
    assert burst.score == pytest.approx(-math.log10(upper_tail(4, 0.025)))
    assert burst.score > 3


def test_a_busy_place_needs_more_posts_than_min_count() -> None:
    detector = BurstDetector(baseline_per_hour=20.0, min_count=3)  # 10 expected per window
    assert detector.threshold > 3
    assert upper_tail(detector.threshold, detector.expected) <= detector.alpha
    assert upper_tail(detector.threshold - 1, detector.expected) > detector.alpha


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        BurstDetector().add("D01", datetime(2026, 5, 5))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.integers(0, 600)), max_size=60))
@example([("A", 0)] * 3 + [("B", 0)] * 3)  # two places bursting at the same minute
def test_batch_bursts_do_not_depend_on_input_order(events: list[tuple[str, int]]) -> None:
    timed = [(place, T0 + timedelta(minutes=m)) for place, m in events]
    forwards = detect_bursts(timed)
    assert detect_bursts(list(reversed(timed))) == forwards
    for burst in forwards:
        assert burst.count >= 3 and burst.end - burst.start < timedelta(minutes=30)
