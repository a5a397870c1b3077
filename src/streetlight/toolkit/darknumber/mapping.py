"""Which platform categories are compared with which police crime types.

The two classifications were made for different purposes: a resident reports "being followed", the
police record "stalking and harassment" inside "violence and sexual offences". The mapping is a data
file a city can replace (the default is for data.police.uk), and everything it leaves out is
counted and shown, not dropped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt


def _names(group: Mapping[str, Any], key: str) -> tuple[str, ...]:
    values = group[key]
    if isinstance(values, str) or not isinstance(values, list):
        raise TypeError(f"{key!r} must be a list of names")
    return tuple(str(v) for v in values)


@dataclass(frozen=True)
class CategoryMapping:
    """Comparison groups: group name → (police crime types, platform category codes)."""

    groups: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]
    notes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seen_police: dict[str, str] = {}
        seen_platform: dict[str, str] = {}
        for group, (police, platform) in self.groups.items():
            for kind, seen, names in (("crime type", seen_police, police), ("category", seen_platform, platform)):
                for name in names:
                    if name in seen:
                        raise ValueError(f"{kind} {name!r} is in both {seen[name]!r} and {group!r}")
                    seen[name] = group

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> CategoryMapping:
        try:
            groups = {
                str(g["group"]): (
                    tuple(map(str, g.get("police_uk", g.get("police", [])))),
                    tuple(map(str, g["platform"])),
                )
                for g in obj["groups"]
            }
            notes = {str(g["group"]): str(g["note"]) for g in obj["groups"] if g.get("note")}
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a category mapping: {exc}") from None
        return cls(groups=groups, notes=notes)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> CategoryMapping:
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))

    @classmethod
    def police_uk(cls) -> CategoryMapping:
        """The shipped mapping between Streetlight's categories and data.police.uk crime types."""
        text = resources.files("streetlight.toolkit.darknumber").joinpath("data/police_uk_categories.json")
        return cls.from_dict(json.loads(text.read_text(encoding="utf-8")))

    @property
    def names(self) -> list[str]:
        return list(self.groups)

    def _lookup(self, values: npt.ArrayLike, side: int) -> npt.NDArray[np.int64]:
        table = {name: i for i, (_, sides) in enumerate(self.groups.items()) for name in sides[side]}
        arr = np.asarray(values, dtype=object).ravel()
        uniq, inv = np.unique(arr.astype(str), return_inverse=True)
        codes = np.array([table.get(u, -1) for u in uniq.tolist()], dtype=np.int64)  # per distinct value
        return codes[inv.ravel()] if arr.size else np.zeros(0, dtype=np.int64)

    def group_of_crime_types(self, crime_types: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Index into `names` of each police crime type's group, -1 when it is not compared."""
        return self._lookup(crime_types, 0)

    def group_of_categories(self, categories: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Index into `names` of each platform category's group, -1 when it is not compared."""
        return self._lookup(categories, 1)
