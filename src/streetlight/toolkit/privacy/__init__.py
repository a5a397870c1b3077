"""Releasing statistics that cannot identify anyone: small-cell suppression with complementary
suppression, an audit of what several tables of the same records give away together (and their
joint suppression), sensitive categories only per district, and optional differentially private
counts (OpenDP, with the ε spent kept in a ledger)."""

from typing import TYPE_CHECKING

from streetlight.toolkit.lazy import lazy_attributes

from .dp import BudgetExceeded, DPRelease, EpsilonLedger, Ledger, LedgerEntry, dp_counts, opendp_available
from .release import SuppressedRelease, cell_districts, roll_up_sensitive, suppress_aggregate
from .suppression import COMPLEMENTARY, DEFAULT_K, PRIMARY, PUBLISHED, SuppressedTable, augment, bridges, suppress

if TYPE_CHECKING:
    from .inference import Cell, Recovered, added_by, recoverable_cells
    from .linked import LinkedRelease, LinkedTable, suppress_together

# Loaded on first use: the cross-table audit solves linear programs with scipy, which only the
# research package and the command line need, not every web process.
_LAZY = {
    "Cell": "inference",
    "Recovered": "inference",
    "added_by": "inference",
    "recoverable_cells": "inference",
    "LinkedRelease": "linked",
    "LinkedTable": "linked",
    "suppress_together": "linked",
}

__getattr__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = [
    "COMPLEMENTARY",
    "DEFAULT_K",
    "PRIMARY",
    "PUBLISHED",
    "BudgetExceeded",
    "Cell",
    "DPRelease",
    "EpsilonLedger",
    "Ledger",
    "LedgerEntry",
    "LinkedRelease",
    "LinkedTable",
    "Recovered",
    "SuppressedRelease",
    "SuppressedTable",
    "added_by",
    "augment",
    "bridges",
    "cell_districts",
    "dp_counts",
    "opendp_available",
    "recoverable_cells",
    "roll_up_sensitive",
    "suppress",
    "suppress_aggregate",
    "suppress_together",
]
