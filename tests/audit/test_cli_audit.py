"""`streetlight audit verify | checkpoint | rotate-key`, and the timer that signs checkpoints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from streetlight.audit import signing
from streetlight.audit.models import AuditCheckpoint, AuditEntry
from streetlight.cli import main

from .conftest import raw_sql, write

pytestmark = pytest.mark.django_db


def test_verify_reports_an_intact_log(capsys: pytest.CaptureFixture[str]) -> None:
    write(3)
    assert main(["audit", "checkpoint"]) == 0
    write(2)
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert f"Checked {AuditEntry.objects.count()} entries and 1 checkpoints." in out
    assert "The audit log is intact." in out and "2 newer entries are chained" in out


def test_verify_fails_naming_the_first_bad_entry(capsys: pytest.CaptureFixture[str]) -> None:
    entries = write(4)
    with raw_sql() as cursor:
        cursor.execute("UPDATE audit_auditentry SET data = %s WHERE seq = %s", ['{"n": 99}', entries[1].seq])
    assert main(["audit", "verify"]) == 1
    captured = capsys.readouterr()
    assert f"Checked {entries[1].seq - 1} entries" in captured.out
    assert f"TAMPERED: entry #{entries[1].seq} (row id {entries[1].pk}), edited." in captured.err


def test_checkpoint_signs_what_is_new_then_has_nothing_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    write(2)
    assert main(["audit", "checkpoint"]) == 0
    checkpoint = AuditCheckpoint.objects.get()
    assert main(["audit", "checkpoint"]) == 0
    out = capsys.readouterr().out
    assert f"entries #{checkpoint.first_seq}–#{checkpoint.last_seq} signed with key" in out
    assert "no new entries to sign" in out


def test_checkpoint_refuses_a_tampered_log(capsys: pytest.CaptureFixture[str]) -> None:
    entries = write(2)
    with raw_sql() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = %s", [entries[0].seq])
    assert main(["audit", "checkpoint"]) == 1
    assert "refused, the log was tampered with" in capsys.readouterr().err
    assert not AuditCheckpoint.objects.exists()


def test_the_timer_signs_a_checkpoint(capsys: pytest.CaptureFixture[str]) -> None:
    write(1)
    assert main(["tick"]) == 0
    assert "Audit checkpoint: entries #1–" in capsys.readouterr().out
    assert AuditCheckpoint.objects.get().last_seq == AuditEntry.objects.order_by("-seq").first().seq  # type: ignore[union-attr]


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "audit-signing-key"
    monkeypatch.setenv(signing.FILE_ENV, str(path))
    monkeypatch.delenv(signing.ENV, raising=False)
    signing.forget_signing_keys()
    yield path
    signing.forget_signing_keys()


def test_rotate_key_in_the_file(key_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    signing.signing_keys()
    assert main(["audit", "rotate-key"]) == 0
    assert "Audit signing key a2 is now current" in capsys.readouterr().out
    assert key_file.read_text().splitlines()[1].startswith("a1:public:")


def test_rotate_key_from_the_environment_prints_the_new_value(
    key_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(signing.ENV, signing.new_key_line("a4"))
    signing.forget_signing_keys()
    assert main(["audit", "rotate-key"]) == 0
    new_value = capsys.readouterr().out.splitlines()[-1]
    assert new_value.startswith("a5:") and ",a4:public:" in new_value and not key_file.exists()
