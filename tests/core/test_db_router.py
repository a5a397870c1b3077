"""The analysts' read replica: only the report data of the analysts' read-only screens is read
there, everything else and every write stays on the primary. The replica alias of these tests points
at the test database itself (read-only on PostgreSQL), so both aliases hold the same rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, connections, transaction
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.audit.models import AuditEntry
from streetlight.core.db_router import REPLICA, ReplicaRouter, reads_replica, replica_reads
from streetlight.demo.seed import seed_reports
from streetlight.insight.models import ContextEvent, PrivateRelease
from streetlight.reports.models import Area, Category, Report
from streetlight.routing.models import Membership
from tests import staff

ROOT = Path(__file__).resolve().parents[2]
ROUTER = "streetlight.core.db_router.ReplicaRouter"
MIDDLEWARE = "streetlight.core.db_router.ReplicaReadsMiddleware"
READ_ONLY = "-c default_transaction_read_only=on"

router = ReplicaRouter()


def settings_with(tmp_path: Path, **env: str) -> dict[str, Any]:
    """What the settings module makes of the environment, read in a fresh process."""
    code = (
        "import json; from streetlight import settings as s;"
        "print(json.dumps({'replica': s.DATABASES.get('replica'), 'routers': getattr(s, 'DATABASE_ROUTERS', []),"
        " 'middleware': s.MIDDLEWARE}, default=str))"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "DB_POOL"}}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "STREETLIGHT_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_without_a_replica_url_there_is_no_replica(tmp_path: Path) -> None:
    wired = settings_with(tmp_path, DATABASE_URL="postgres://app@primary.internal:5432/streetlight")
    assert wired["replica"] is None
    assert wired["routers"] == []
    assert MIDDLEWARE not in wired["middleware"]


def test_a_replica_url_adds_a_read_only_replica_with_the_primarys_pool(tmp_path: Path) -> None:
    wired = settings_with(
        tmp_path,
        DATABASE_URL="postgres://app@primary.internal:5432/streetlight",
        DATABASE_REPLICA_URL="postgres://reader@standby.internal:5432/streetlight",
    )
    replica = wired["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == ("standby.internal", "reader", "streetlight")
    assert replica["OPTIONS"]["options"] == READ_ONLY
    assert replica["OPTIONS"]["pool"]["max_size"] == 20  # DB_POOL_MAX, as for the primary
    assert replica["TEST"] == {"MIRROR": "default"}  # tests read the primary's test database through it
    assert wired["routers"] == [ROUTER]
    assert wired["middleware"][-1] == MIDDLEWARE


def test_only_the_analysts_read_only_screens_may_read_the_replica() -> None:
    assert reads_replica(method="GET", path="/insight/cells.geojson")
    assert reads_replica(method="HEAD", path="/insight/")
    assert not reads_replica(method="POST", path="/insight/")
    assert not reads_replica(method="GET", path="/insight/calendar/")  # edited there: must show the edit
    assert not reads_replica(method="GET", path="/control/")
    assert not reads_replica(method="GET", path="/api/v1/categories")


def test_the_report_data_is_read_on_the_replica_only_in_a_marked_request() -> None:
    assert router.db_for_read(Report) == "default"
    with replica_reads():
        assert [router.db_for_read(m) for m in (Report, Category, Area)] == [REPLICA] * 3
    assert router.db_for_read(Report) == "default"


@pytest.mark.parametrize("model", [User, Session, Membership, AuditEntry, ContextEvent, PrivateRelease])
def test_sign_in_permissions_audit_and_what_analysts_edit_are_always_read_on_the_primary(model: Any) -> None:
    with replica_reads():
        assert router.db_for_read(model) == "default"


def test_every_write_goes_to_the_primary_and_no_migration_to_the_replica() -> None:
    with replica_reads():
        assert router.db_for_write(Report) == "default"
    assert router.allow_migrate(REPLICA, "reports") is False
    assert router.allow_migrate("default", "reports") is True


@pytest.mark.django_db
def test_a_read_inside_a_transaction_stays_on_the_primary() -> None:
    with replica_reads(), transaction.atomic():  # next to a write: the replica may not have it yet
        assert router.db_for_read(Report) == "default"


@pytest.fixture
def replica(transactional_db: None, settings: Any) -> Iterator[str]:
    """A replica alias on the test database, with the router and the middleware, as the settings
    make them when DATABASE_REPLICA_URL is set. The connection is made here rather than declared in
    DATABASES, which the test database was set up without."""
    alias = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        alias["OPTIONS"] = {**alias["OPTIONS"], "options": READ_ONLY}
    replica = load_backend(alias["ENGINE"]).DatabaseWrapper(alias, alias=REPLICA)
    connections[REPLICA] = replica
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
    try:
        yield REPLICA
    finally:
        replica.close()
        del connections[REPLICA]


def period() -> str:
    today = timezone.localdate()
    return f"from={today - timedelta(days=365):%Y-%m-%d}&to={today:%Y-%m-%d}"


@pytest.mark.usefixtures("seeded_city")
def test_the_analysts_map_reads_reports_on_the_replica_and_gives_the_same_answer(replica: str, settings: Any) -> None:
    seed_reports(n=60, seed=5)
    analyst = staff.signed_in(staff.member("police", "analyst"))
    with CaptureQueriesContext(connections[replica]) as on_replica, CaptureQueriesContext(connection) as on_primary:
        response = analyst.get(f"/insight/cells.geojson?{period()}&res=7")
    assert response.status_code == 200
    replica_sql = [q["sql"] for q in on_replica.captured_queries]
    primary_sql = [q["sql"] for q in on_primary.captured_queries]
    assert any('FROM "reports_report"' in sql for sql in replica_sql)
    assert not any(sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for sql in replica_sql)
    assert not any('FROM "reports_report"' in sql for sql in primary_sql)
    assert any('"django_session"' in sql for sql in primary_sql)  # the session, on the primary
    settings.DATABASE_ROUTERS = []  # the same request on the primary alone
    assert json.loads(analyst.get(f"/insight/cells.geojson?{period()}&res=7").content) == json.loads(response.content)


@pytest.mark.usefixtures("seeded_city")
def test_the_calendar_analysts_edit_is_read_on_the_primary(replica: str) -> None:
    analyst = staff.signed_in(staff.member("police", "analyst"))
    with CaptureQueriesContext(connections[replica]) as on_replica:
        assert analyst.get("/insight/calendar/").status_code == 200
    assert on_replica.captured_queries == []


@pytest.mark.usefixtures("seeded_city")
def test_a_write_through_the_replica_alias_is_refused_on_postgresql(replica: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the read-only session is PostgreSQL's (a replica is PostgreSQL's)")
    with pytest.raises(DatabaseError, match="read-only"):
        Category.objects.using(replica).filter(code="theft").update(order=999)
    assert Category.objects.get(code="theft").order != 999
