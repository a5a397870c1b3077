"""The signing key: outside the database, created on first use, from the environment if set, and
rotated without making the checkpoints it signed untrustworthy."""

from __future__ import annotations

import base64
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from streetlight.audit import services, signing
from streetlight.audit.verification import Kind, verify_chain

from .conftest import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "keys" / "audit-signing-key"
    monkeypatch.setenv(signing.FILE_ENV, str(path))
    monkeypatch.delenv(signing.ENV, raising=False)
    signing.forget_signing_keys()
    yield path
    signing.forget_signing_keys()


def test_the_key_file_is_created_on_first_use_readable_by_the_owner_only(key_file: Path) -> None:
    write(1)
    checkpoint = services.audit_checkpoint()
    assert checkpoint is not None and checkpoint.key_id == "a1"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert bytes.fromhex(checkpoint.public_key) == signing.signing_keys().trusted["a1"]


def test_a_key_from_the_environment_is_used_and_no_file_is_made(
    key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(signing.ENV, signing.new_key_line("city7"))
    signing.forget_signing_keys()
    write(1)
    checkpoint = services.audit_checkpoint()
    assert checkpoint is not None and checkpoint.key_id == "city7"
    assert verify_chain().ok and not key_file.exists()


def test_a_malformed_key_is_refused_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(signing.ENV, "a1:" + base64.b64encode(b"short").decode())
    signing.forget_signing_keys()
    with pytest.raises(signing.SigningKeyError, match="must be 32 bytes"):
        signing.signing_keys()
    signing.forget_signing_keys()


def test_after_a_rotation_old_checkpoints_verify_and_the_old_private_key_is_gone(key_file: Path) -> None:
    write(2)
    old = services.audit_checkpoint()
    assert old is not None
    old_seed_line = key_file.read_text().splitlines()[0]
    assert signing.key_rotate() == "a2"
    write(2)
    new = services.audit_checkpoint()
    assert new is not None and (old.key_id, new.key_id) == ("a1", "a2")
    result = verify_chain()
    assert result.ok and result.checkpoints == 2
    assert old_seed_line not in key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_an_installation_with_public_keys_only_verifies_but_cannot_sign(key_file: Path) -> None:
    write(1)
    services.audit_checkpoint()
    kid, public = next(iter(signing.signing_keys().trusted.items()))
    key_file.write_text(signing.public_line(kid, public) + "\n")
    signing.forget_signing_keys()
    assert verify_chain().ok
    write(1)
    with pytest.raises(signing.SigningKeyError, match="can only verify"):
        services.audit_checkpoint()


def test_checkpoints_signed_by_a_key_this_installation_does_not_hold_are_not_trusted(key_file: Path) -> None:
    write(1)
    services.audit_checkpoint()
    stranger = Ed25519PrivateKey.from_private_bytes(bytes(32))
    key_file.write_text(f"a1:{base64.b64encode(bytes(32)).decode()}\n")  # the file was replaced
    signing.forget_signing_keys()
    assert signing.signing_keys().trusted["a1"] == signing.public_bytes(stranger.public_key())
    problem = verify_chain().problem
    assert problem is not None and problem.kind == Kind.CHECKPOINT
