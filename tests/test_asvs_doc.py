"""docs/security/asvs.md stays honest: every OWASP ASVS 5.0 requirement of levels 1 and 2 appears once
with a known status, every cited test, file and name exists, and the summary's numbers are the ones
the table gives. Reads files only: no database."""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "security"
CSV = DOCS / "OWASP_ASVS_5.0.0_en.csv"
DOC = DOCS / "asvs.md"
STATUSES = ("met", "n/a", "not met")
MINIMUM_MET = 80.0

ROW = re.compile(r"^\| v5\.0\.0-(\d+\.\d+\.\d+) \| ([^|]+) \| ([^|]+) \| ([^|]*) \|$")
CITED = re.compile(r"`((?:tests|src|docs)/[^`\s:]+)(?:::([A-Za-z_][A-Za-z0-9_]*))?`")
SUMMARY = {status: re.compile(rf"^\| {re.escape(status)} \| (\d+) \|$", re.MULTILINE) for status in STATUSES}
PERCENT = re.compile(r"^\| \*\*met of the applicable ones\*\*[^|]*\| \*\*(\d+(?:\.\d+)?) %\*\* \|$", re.MULTILINE)


@dataclass(frozen=True)
class Row:
    req: str
    requirement: str
    status: str
    evidence: str

    @property
    def cited(self) -> list[tuple[str, str | None]]:
        return [(path, name or None) for path, name in CITED.findall(self.evidence)]


def required_ids() -> list[str]:
    with CSV.open(encoding="utf-8", newline="") as fh:
        return [row["req_id"].removeprefix("V") for row in csv.DictReader(fh) if row["L"] in {"1", "2"}]


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def doc_rows() -> list[Row]:
    rows = []
    for line in doc_text().splitlines():
        if line.startswith("| v5.0.0-"):
            match = ROW.match(line)
            assert match, f"a row that does not parse: {line[:80]}"
            rows.append(Row(*(part.strip() for part in match.groups())))
    return rows


def defines(path: Path, name: str) -> bool:
    pattern = rf"^\s*(?:async\s+)?def {name}\b|^\s*class {name}\b|^{name}\s*(?::[^=\n]*)?="
    return re.search(pattern, path.read_text(encoding="utf-8"), re.MULTILINE) is not None


def test_the_requirement_list_is_the_published_one() -> None:
    source = (DOCS / "ASVS-SOURCE.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(CSV.read_bytes()).hexdigest()
    assert digest in source, "the CSV differs from the one ASVS-SOURCE.md describes"
    ids = required_ids()
    assert len(ids) == 253 and len(set(ids)) == 253


def test_every_level_1_and_2_requirement_appears_exactly_once() -> None:
    counted = Counter(row.req for row in doc_rows())
    required = set(required_ids())
    assert sorted(required - set(counted)) == [], "missing from asvs.md"
    assert sorted(set(counted) - required) == [], "not an L1/L2 requirement"
    assert [req for req, n in counted.items() if n > 1] == [], "listed more than once"


def test_each_row_has_a_known_status_a_short_requirement_and_a_reason() -> None:
    for row in doc_rows():
        assert row.status in STATUSES, f"{row.req}: status {row.status!r}"
        assert len(row.requirement.split()) <= 12, f"{row.req}: requirement longer than 12 words"
        assert row.evidence, f"{row.req}: no evidence, reason or gap"
        if row.status == "not met":
            assert row.evidence.startswith("missing:"), f"{row.req}: say what is missing"


def test_each_met_row_cites_evidence_in_the_repository() -> None:
    for row in doc_rows():
        if row.status == "met":
            assert row.cited, f"{row.req}: met without a cited test, file or document"


def test_every_cited_test_file_and_name_exists() -> None:
    problems = []
    for row in doc_rows():
        for path, name in row.cited:
            file = ROOT / path
            if not file.exists():
                problems.append(f"{row.req}: {path} does not exist")
            elif name is not None and not defines(file, name):
                problems.append(f"{row.req}: {path} defines no {name}")
            elif path.startswith("tests/") and name is None and file.is_file():
                problems.append(f"{row.req}: cite a test as {path}::test_name")
    assert problems == []


def test_the_summary_matches_the_table_and_reaches_the_target() -> None:
    counted = Counter(row.status for row in doc_rows())
    text = doc_text()
    for status in STATUSES:
        found = SUMMARY[status].search(text)
        assert found, f"no summary line for {status!r}"
        assert int(found.group(1)) == counted[status], status
    percent = PERCENT.search(text)
    assert percent, "no percentage in the summary"
    applicable = counted["met"] + counted["not met"]
    computed = round(100 * counted["met"] / applicable, 1)
    assert float(percent.group(1)) == pytest.approx(computed, abs=0.05)
    assert computed >= MINIMUM_MET


def test_the_attribution_is_given() -> None:
    text = doc_text()
    assert "OWASP Application Security Verification Standard" in text
    assert "CC BY-SA 4.0" in text and "ASVS-SOURCE.md" in text
