"""Burst detection: several posts about one place in a short time, more than its baseline explains.

Model: posts about a place arrive as a Poisson process of `baseline_per_hour`; in a sliding window
of `window` the expected count is μ = baseline × window. A window holding k posts is a burst when
k ≥ min_count and P(X ≥ k | μ) ≤ alpha. Because μ is the same for every window, the smallest such
k is computed once, so `add` is a deque append, a trim and one comparison (the score is computed
only for a burst). score = −log10 P(X ≥ k | μ): 3 means one chance in a thousand under the
baseline. A place then stays quiet for one window, so one event is one alert, not one per post.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

_MAX_SCORE = 300.0  # P underflows to 0 long before; a finite, sortable ceiling


@dataclass(frozen=True)
class Burst:
    place: str
    start: datetime
    end: datetime
    count: int
    expected: float
    score: float

    def to_dict(self) -> dict[str, object]:
        return {
            "place": self.place,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "count": self.count,
            "expected": round(self.expected, 6),
            "score": round(self.score, 3),
        }


def upper_tail(count: int, expected: float) -> float:
    """P(X ≥ count) for X ~ Poisson(expected)."""
    from scipy.special import pdtrc  # loaded by the first burst check, not by every importer of posts

    return 1.0 if count <= 0 else float(pdtrc(count - 1, expected))


class BurstDetector:
    """Streaming: feed (place, time) pairs as posts arrive. Times must be aware; a late post (older
    than the place's newest) is placed where it belongs in the window."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(minutes=30),
        min_count: int = 3,
        baseline_per_hour: float = 0.05,
        alpha: float = 0.001,
    ) -> None:
        if window <= timedelta(0):
            raise ValueError("window must be positive")
        if min_count < 1:
            raise ValueError("min_count must be at least 1")
        if baseline_per_hour <= 0 or not 0 < alpha < 1:
            raise ValueError("baseline_per_hour must be positive and alpha between 0 and 1")
        self.window = window
        self.min_count = min_count
        self.expected = baseline_per_hour * window.total_seconds() / 3600.0
        self.alpha = alpha
        self.threshold = self._threshold()
        self._times: dict[str, list[datetime]] = {}
        self._quiet_until: dict[str, datetime] = {}

    def _threshold(self) -> int:
        """The smallest count that is a burst; grows like μ + a few √μ for a busy place."""
        k = self.min_count
        while upper_tail(k, self.expected) > self.alpha:
            k += 1
        return k

    def add(self, place: str, at: datetime) -> Burst | None:
        """Record one post; a Burst the first time the place's window (ending at `at`) reaches the
        threshold, then None for that place until a window has passed."""
        if at.tzinfo is None:
            raise ValueError("times must be aware (with a UTC offset)")
        times = self._times.setdefault(place, [])
        if not times or at >= times[-1]:
            times.append(at)
        else:
            bisect.insort(times, at)
        horizon = times[-1] - self.window
        if times[0] <= horizon:
            del times[: bisect.bisect_right(times, horizon)]
        quiet = self._quiet_until.get(place)
        if quiet is not None and at < quiet:
            return None
        lo = bisect.bisect_right(times, at - self.window)
        hi = bisect.bisect_right(times, at)
        count = hi - lo
        if count < self.threshold:
            return None
        self._quiet_until[place] = at + self.window
        p = upper_tail(count, self.expected)
        score = _MAX_SCORE if p <= 0 else min(_MAX_SCORE, -math.log10(p))
        return Burst(place, times[lo], at, count, self.expected, score)

    def forget_before(self, when: datetime) -> None:
        """Drop places with nothing newer than `when`: a long-running detector's memory stays bounded."""
        for place in [p for p, times in self._times.items() if not times or times[-1] < when]:
            del self._times[place]
            self._quiet_until.pop(place, None)


def detect_bursts(events: Iterable[tuple[str, datetime]], **detector_kwargs: object) -> list[Burst]:
    """Batch: every burst in (place, time) events given in any order. Events are replayed by time,
    then place, so two places that burst at the same moment always come out in the same order."""
    detector = BurstDetector(**detector_kwargs)  # type: ignore[arg-type]
    found = (detector.add(place, at) for place, at in sorted(events, key=lambda event: (event[1], event[0])))
    return [burst for burst in found if burst is not None]
