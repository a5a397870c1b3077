"""Writers in parallel on PostgreSQL, each in its own transaction and connection: the advisory lock
lets one at a time read the head, so the chain never forks and stays gapless."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from streetlight.audit import services
from streetlight.audit.models import AuditEntry
from streetlight.audit.verification import verify_chain

from .conftest import only_postgresql

THREADS, EACH = 8, 25


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_one_valid_chain() -> None:
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                with transaction.atomic():
                    services.record(actor=None, action="test.parallel", data={"writer": n, "i": i})
        except BaseException as exc:  # reported below: a thread's exception would otherwise vanish
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert AuditEntry.objects.filter(action="test.parallel").count() == THREADS * EACH
    result = verify_chain()
    assert result.ok, result.problem
    assert result.entries == AuditEntry.objects.count()
