"""Readers and writers for the files cities exchange: CSV, JSON-lines, GeoJSON (rows of dicts).

Streaming throughout, so the same functions handle a ten-line test file and a 1 GB export.
"""

from .errors import FormatError
from .readers import FORMATS, RowReader, check_format, feature_to_row, guess_format, read_rows, sniff_format
from .writers import write_rows

__all__ = [
    "FORMATS",
    "FormatError",
    "RowReader",
    "check_format",
    "feature_to_row",
    "guess_format",
    "read_rows",
    "sniff_format",
    "write_rows",
]
