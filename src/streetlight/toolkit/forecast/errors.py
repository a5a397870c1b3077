"""The one error type of the forecast toolkit."""

from __future__ import annotations


class ForecastInputError(ValueError):
    """Input a forecast cannot be trusted on (unsorted times, an empty window, no cell in the area…).

    The message is a sentence for the analyst: what is wrong, where, and what to do about it. A
    ValueError, so callers that already turn ValueError into a clear answer need nothing new.
    """
