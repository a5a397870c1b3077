"""The dark number: what residents report set beside what the police recorded, by area, crime
type and month — importers for official statistics, the category mapping, and the comparison."""

from .compare import DarkNumber, UnderReported, clopper_pearson, compare, rate_ratio_ci
from .importers import (
    POLICE_UK_COLUMNS,
    ColumnMapping,
    ImportFailed,
    ImportResult,
    RecordedCrimes,
    RowError,
    read_mapped_csv,
    read_police_uk,
)
from .mapping import CategoryMapping

__all__ = [
    "POLICE_UK_COLUMNS",
    "CategoryMapping",
    "ColumnMapping",
    "DarkNumber",
    "ImportFailed",
    "ImportResult",
    "RecordedCrimes",
    "RowError",
    "UnderReported",
    "clopper_pearson",
    "compare",
    "rate_ratio_ci",
    "read_mapped_csv",
    "read_police_uk",
]
