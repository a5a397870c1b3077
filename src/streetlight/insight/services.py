"""Importing police statistics: read with the toolkit, place each crime in the city's areas, keep
counts per month, area and type. A month imported again replaces what was there, in one
transaction: nothing is ever half-imported."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.audit import services as audit
from streetlight.reports.geo import area_index
from streetlight.toolkit.darknumber import ImportResult, read_mapped_csv, read_police_uk

from .models import PoliceImport, RecordedCrime


class NoAreas(Exception):
    """The city has no areas loaded, so crimes cannot be placed in it."""


def police_statistics_import(
    *, paths: list[str], mapping_file: str | None = None, allow_partial: bool = False, actor: User | None = None
) -> tuple[PoliceImport, ImportResult]:
    """Raises the toolkit's ImportFailed (every bad row with its line) unless `allow_partial`."""
    index = area_index()
    if index is None:
        raise NoAreas("Load the city's areas first (streetlight catalog areas FILE).")
    if mapping_file:
        mapping = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
        result = read_mapped_csv(*paths, mapping=mapping, bounds=index, allow_partial=allow_partial)
        source = "mapped csv"
    else:
        result = read_police_uk(*paths, bounds=index, allow_partial=allow_partial)
        source = "police.uk"
    crimes = result.crimes
    located = crimes.with_areas(index.locate_many(crimes.lat, crimes.lon)) if len(crimes) else crimes
    counts: Counter[tuple[date, str, str]] = Counter()
    outside = 0
    for month, area, crime_type, count in zip(
        located.month.tolist(), located.area.tolist(), located.crime_type.tolist(), located.count.tolist(), strict=True
    ):
        if area is None:
            outside += int(count)  # no position, or between the city's areas
            continue
        counts[(month.replace(day=1), str(area), str(crime_type))] += int(count)
    months = sorted({key[0] for key in counts})
    with transaction.atomic():
        RecordedCrime.objects.filter(month__in=months).delete()
        batch = PoliceImport.objects.create(
            at=timezone.now(),
            by=actor,
            source=source,
            files=[Path(p).name for p in paths],
            rows_read=result.rows_read,
            crimes=sum(counts.values()),
            bad_rows=len(result.errors),
            outside_city=outside,
            months=[f"{m:%Y-%m}" for m in months],
        )
        RecordedCrime.objects.bulk_create(
            RecordedCrime(police_import=batch, month=m, area_code=a, crime_type=t, count=c)
            for (m, a, t), c in counts.items()
        )
        audit.record(
            actor=actor,
            action="police_statistics.imported",
            target=batch,
            data={"months": batch.months, "crimes": batch.crimes, "bad_rows": batch.bad_rows},
        )
    return batch, result
