"""datasheet.md, after Gebru et al., "Datasheets for Datasets" (2021), written for the data at hand."""

from __future__ import annotations

from datetime import UTC

from django.conf import settings

from .package import ResearchPackage, version


def _audit(package: ResearchPackage) -> str:
    result = package.audit
    if result is None:
        return "No cross-table audit was run for this package."
    quarters = ", ".join(result.quarters)
    given = (
        f" {result.given_away} hidden counts are sums that the open data's own table already gives away (all of"
        " a district's crime categories hidden in one of its rows, say): they stay hidden here, and the package"
        " adds nothing to them."
        if result.given_away
        else ""
    )
    outcome = (
        "**Result: no hidden count can be worked out.**"
        if result.clean
        else f"**Result: {len(result.recovered)} hidden counts can be worked out.**"
    )
    return f"""The three tables count the same reports, and the city's open data publishes the same reports again
per area and main category for each quarter ({quarters}). Each table being safe on its own is not enough:
a district's quarter in the open data minus two of its months in a table gives the third month; a table's
column of feelings of insecurity is the category "unsafe" of another. So every count of the package — read
back from the files as written — and every count of the open data's table of the same quarter are checked
together, as one system of equations:

- Each count is a group of reports: district (an area counts in its district), month, main category, kind,
  day / night / no point, told the police or not. A reader is assumed to know the public catalogue (the kinds
  each main category can have), that the open data lists every area and category with a report, and that
  no count is negative (a published 0, or two equal counts of which one contains the other, says a group
  is empty).
- A hidden count is recoverable if some combination of published counts equals it whatever the reports
  behind them (linear algebra on the groups; repeated until no new empty group is found).

{result.counts} counts were checked, {result.hidden} of them hidden. {outcome} To get there, the tables were
suppressed together with the open data: {result.linked} counts are hidden only because another table (or
the open data) would otherwise have given a hidden count away, and {result.already_public} counts that the
open data already gives (such as a quarter's totals) are published as they are.{given}

Not covered: bounds that pin a count to one value only through inequalities (each table's hidden counts sit
on cycles of positive counts, which keeps them open both ways); the differentially private table (noisy
counts, none exact); the transparency page (all reports received over a rolling year, consent or not: other
reports); and anything outside Streetlight that a reader may know about particular reports."""


def datasheet(package: ResearchPackage) -> str:
    k = package.k
    synthetic = (
        f"**{package.synthetic} of the {package.reports} reports counted are synthetic**: generated for the demo "
        "city, they describe no real event and must not be used as evidence of anything."
        if package.synthetic
        else "No generated demo report is counted: every report was sent through Streetlight."
    )
    tables = "\n".join(f"- `{t.path}` — {len(t.rows)} rows, {t.hidden} hidden counts." for t in package.tables)
    city = settings.STREETLIGHT.get("CITY_NAME", "the city")
    return f"""# Datasheet: {package.name}

Made by Streetlight {version()} on {package.generated.astimezone(UTC):%Y-%m-%d %H:%M} UTC for reports received
from {package.since:%Y-%m-%d} to {package.until:%Y-%m-%d} inclusive ({settings.TIME_ZONE}). Licence: Creative
Commons Attribution 4.0 (CC-BY-4.0). Structure: `datapackage.json` (Frictionless Data Package).

## Motivation

Streetlight is a civic platform where residents report crime, incidents and places where they feel unsafe,
and choose which services hear about it. This package lets researchers study what residents report, where
and when, without access to any report: it holds counts only.

## Composition

{tables}

1. `reports-by-area-month-category`: per quarter, district × month (rows) by main category.
2. `reports-by-area-month-daynight-kind`: per quarter, district × month by day/night × kind (crime, incident,
   feeling of insecurity, cyber). Day and night are those of the event's own time and place (civil twilight),
   so reports without a point are left out of this table only.
3. `crime-not-told-police-by-area-quarter`: per quarter and district, crime reports and how many of their
   authors chose to tell the police or not; the share not told where both counts are published.

Every district, month, category, kind and day/night has its row, zeros included. Rows labelled `total` are
sums over that dimension within the quarter, so readers can check the sums. The same reports per district
and main category over the whole quarter are the city's open data (`/open-data/`). {package.reports} reports
are counted. {synthetic}

Not included, ever: a report's text, photos, sub-category, exact time or place, contact details, or anything
that identifies a reporter. The unit is a report, not a person: one person may send several.

## Collection process

Residents report on the web form, the JSON API or Open311 clients. They choose a category (main category and
sub-category), the kind, when it happened and, optionally, a point or an area. Each report carries its author's
choice "may be counted in public statistics": **only reports with that consent are counted here.** Reports are
counted by the date Streetlight received them (city time), merged duplicates counted as received, so a finished
quarter's figures never change.

## Preprocessing: suppression and privacy rules

- The same rules as the city's open data: only main categories, never a sub-category; areas are the city's
  districts (a report placed in a neighbourhood counts in its district), so sensitive categories (hate,
  harassment, domestic or sexual violence) are published per district only; no position of any report.
- Day and night follow civil twilight (the sun more than 6° below the horizon) at the event's own place and
  time; reports without a point have no day or night and are left out of that table only.
- No count from 1 to {k - 1} (k = {k}) is published, margins included, and enough further counts are hidden
  (complementary suppression) that no hidden count can be worked out — neither within a table, nor across the
  tables, nor with the open data (see the audit below). Hidden counts are empty cells (`missingValues: [""]`);
  a zero is published as 0. Why a count is hidden is not said: it would tell which ones are small.
- Packages cover whole quarters, the same unit as the open data, and never overlapping periods.

## Cross-table audit

{_audit(package)}

## Uses and misuses

Suitable for: comparing districts and months, seasonality, day/night patterns, what residents choose to tell
the police, evaluating the platform. Not suitable for: measuring crime (reports are not crimes), ranking
neighbourhoods as "dangerous", or any attempt to identify people — re-identification is forbidden.

## Gaps and biases

- **Who reports and who does not**: people who know Streetlight, have a phone or computer, read one of its
  languages and trust the city report more; people afraid of the police, of being seen or of retaliation, and
  many victims of sensitive crimes, report less. Campaigns and striking events raise counts without any change
  in crime.
- **Consent to statistics**: reports whose authors opted out are absent, and opting out may be more common for
  some categories or groups.
- **Sensitive categories generalised**: shown per district only and often hidden, so they look rarer and flatter
  than they are.
- Suppression hides small counts, and the cross-table audit hides some more: small districts, rare categories
  and quiet months are under-represented. Hidden counts are not missing at random.
- {synthetic}

## Distribution

From the city's open-data page (`/open-data/`, one package per finished quarter, free for anyone) or made by an
analyst with `streetlight export research --from YYYY-MM-DD --to YYYY-MM-DD --out DIR` (whole quarters).
CC-BY-4.0: credit "Streetlight, {city}".

## Maintenance

A package is never changed after it is made. A later package for the same quarter counts no report received
after it, but may count fewer: reports erased at their authors' request or by the retention rules are no longer
counted. Questions and errors: the city's Streetlight team.
"""
