"""Differentially private open data: made once per finished quarter, every cell present whatever the
data, the ε of each release in the ledger, a budget that refuses the release too many."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pytest
from django.test import Client

from streetlight.demo.seed import seed_reports
from streetlight.insight import private_release
from streetlight.insight.models import PrivateRelease
from streetlight.insight.open_data import quarters_available
from streetlight.reports.models import Area, Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(settings: Any) -> int:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "DP_EPSILON": "1.0", "DP_BUDGET": "0", "DP_CONTRIBUTIONS": "1"}
    return seed_reports(n=1500, seed=9)


def last_quarter() -> str:
    return quarters_available(count=1)[0]


def test_each_finished_quarter_is_released_once_and_its_epsilon_recorded(city: int) -> None:
    made = private_release.private_releases_due()
    assert made and made[-1].quarter == last_quarter()
    assert private_release.private_releases_due() == []  # the next tick spends nothing more
    ledger = Client().get("/api/v1/open-data/privacy-ledger").json()
    assert ledger["enabled"] and len(ledger["releases"]) == len(made)
    assert ledger["spent"] == pytest.approx(sum(r.epsilon for r in made))
    assert all(entry["epsilon"] == pytest.approx(1.0) for entry in ledger["releases"])


def test_the_table_has_every_cell_and_is_served_as_made(city: int) -> None:
    release = private_release.private_release_make(quarter=last_quarter())
    assert release is not None
    url = f"/api/v1/open-data/reports-by-area-private?quarter={last_quarter()}&format=csv"
    first, second = Client().get(url).content, Client().get(url).content
    assert first == second  # no fresh noise to average away
    rows = list(csv.DictReader(io.StringIO(first.decode())))
    areas = set(Area.objects.filter(level="district").values_list("code", flat=True))
    mains = set(Category.objects.filter(parent__isnull=True).values_list("code", flat=True))
    assert {(r["area"], r["category"]) for r in rows} == {(a, m) for a in areas for m in mains}
    assert all(int(r["count"]) >= 0 for r in rows)
    exact = private_release.exact_counts(last_quarter(), release.areas, release.categories)
    noisy = np.array(release.counts)
    assert exact.sum() > 100
    assert not np.array_equal(noisy, exact)  # noise was added
    # Laplace with scale 1/ε: the total error over all cells stays within a few scales per cell.
    assert np.abs(noisy - exact).mean() < 5 * release.scale


def test_the_geojson_names_the_privacy_parameters(city: int) -> None:
    private_release.private_release_make(quarter=last_quarter())
    data = Client().get(f"/api/v1/open-data/reports-by-area-private?quarter={last_quarter()}").json()
    assert data["metadata"]["privacy"] == "differential privacy"
    assert data["metadata"]["epsilon"] == pytest.approx(1.0) and data["metadata"]["scale"] == pytest.approx(1.0)


def test_a_budget_refuses_the_release_that_would_exceed_it(city: int, settings: Any) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "DP_BUDGET": "2.5"}
    made = private_release.private_releases_due()
    assert len(made) == 2  # the third would take the total to 3.0
    assert PrivateRelease.objects.count() == 2
    assert sum(r.epsilon for r in PrivateRelease.objects.all()) <= 2.5


def test_nothing_is_released_when_switched_off(city: int, settings: Any) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "DP_EPSILON": "0"}
    assert private_release.private_releases_due() == []
    missing = Client().get(f"/api/v1/open-data/reports-by-area-private?quarter={last_quarter()}")
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "quarter"


def test_the_open_data_page_shows_the_ledger(city: int) -> None:
    private_release.private_release_make(quarter=last_quarter())
    page = Client().get("/open-data/").content.decode()
    assert "reports-by-area-private" in page and "ε" in page
