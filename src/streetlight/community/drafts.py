"""What the forms hand the community services: plain data, checked again by the services."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BusinessDraft:
    name: str
    sector: str
    size: str
    area_code: str
    contact_name: str
    email: str
    language: str


@dataclass(frozen=True)
class WarningText:
    """One language of a warning to the community."""

    headline: str
    description: str
    instruction: str = ""


@dataclass(frozen=True)
class DrillText:
    """One language of a drill; checklist item i is the same step in every language."""

    title: str
    scenario: str
    checklist: tuple[str, ...]
