"""The research data package: open data's reports counted three ways, as a Frictionless Data Package
with a datasheet — safe to publish because the tables are suppressed *together*, and against the
open data of the same quarters, so that no hidden count can be worked out from any combination of
published ones (`toolkit.privacy.suppress_together`, checked by `recoverable_cells`).

- `window`: which periods (whole quarters that are over; the public only the listed ones).
- `records`: the counted reports, read once, as the few values the tables need.
- `tables`: the three tables of a quarter, dense, each cell a group of records.
- `package`: the joint suppression per quarter and the final audit of the rows as written.
- `audit`: the cells of the package and of the open data, and the audit itself.
- `files`, `datasheet`: datapackage.json, the CSVs, datasheet.md, the zip.
- `cache`: the download's zips on disk, keyed by quarter and data version.
"""

from .cache import cached_zip
from .datasheet import datasheet
from .files import descriptor, package_zip, write_package, zip_directory
from .package import NoData, ResearchPackage, Table, research_package
from .records import districts
from .window import check_window, quarter_window

__all__ = [
    "NoData",
    "ResearchPackage",
    "Table",
    "cached_zip",
    "check_window",
    "datasheet",
    "descriptor",
    "districts",
    "package_zip",
    "quarter_window",
    "research_package",
    "write_package",
    "zip_directory",
]
