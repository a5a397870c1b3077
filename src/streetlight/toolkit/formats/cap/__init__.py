"""CAP 1.2 (OASIS Common Alerting Protocol): alerts as frozen dataclasses, written and read as XML,
validated against the OASIS schema and the rules the schema cannot check.

Pure Python and lxml (shapely for polygon validity), so the platform's alert feed, a notebook and
`streetlight cap …` share one implementation.
"""

from .document import read_cap, validate_cap, write_cap
from .model import (
    CAP_NS,
    CATEGORIES,
    CERTAINTIES,
    DEFAULT_LANGUAGE,
    MSG_TYPES,
    RESPONSE_TYPES,
    SCOPES,
    SEVERITIES,
    STATUSES,
    URGENCIES,
    CapAlert,
    CapArea,
    CapError,
    CapInfo,
    CapProblem,
    CapReference,
    CapResource,
    format_datetime,
    parse_datetime,
)
from .rules import cap_problems

__all__ = [
    "CAP_NS",
    "CATEGORIES",
    "CERTAINTIES",
    "DEFAULT_LANGUAGE",
    "MSG_TYPES",
    "RESPONSE_TYPES",
    "SCOPES",
    "SEVERITIES",
    "STATUSES",
    "URGENCIES",
    "CapAlert",
    "CapArea",
    "CapError",
    "CapInfo",
    "CapProblem",
    "CapReference",
    "CapResource",
    "cap_problems",
    "format_datetime",
    "parse_datetime",
    "read_cap",
    "validate_cap",
    "write_cap",
]
