"""Releasing statistics that cannot identify anyone: small-cell suppression with complementary
suppression, sensitive categories only per district, and optional differentially private counts
(OpenDP, with the ε spent kept in a ledger)."""

from .dp import BudgetExceeded, DPRelease, EpsilonLedger, Ledger, LedgerEntry, dp_counts, opendp_available
from .release import SuppressedRelease, cell_districts, roll_up_sensitive, suppress_aggregate
from .suppression import COMPLEMENTARY, DEFAULT_K, PRIMARY, PUBLISHED, SuppressedTable, augment, bridges, suppress

__all__ = [
    "COMPLEMENTARY",
    "DEFAULT_K",
    "PRIMARY",
    "PUBLISHED",
    "BudgetExceeded",
    "DPRelease",
    "EpsilonLedger",
    "Ledger",
    "LedgerEntry",
    "SuppressedRelease",
    "SuppressedTable",
    "augment",
    "bridges",
    "cell_districts",
    "dp_counts",
    "opendp_available",
    "roll_up_sensitive",
    "suppress",
    "suppress_aggregate",
]
