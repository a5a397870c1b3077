"""Check the audit log: every entry's hash, every link, the numbering, and every checkpoint's
signature and Merkle root. Stops at the first bad entry or checkpoint and names it.

One pass in `seq` order, holding one entry and the next. How a break is named:
- two entries with one number: *inserted*;
- an entry whose prev_hash is the hash of a later entry: *reordered*;
- an entry whose prev_hash skips back over entries: those entries were *inserted*;
- an entry whose successor follows on from its predecessor: *inserted*;
- a gap in the numbers: *deleted*;
- an entry whose own hash does not match its content: *edited*;
- an entry that does not follow on from an intact predecessor: the predecessor was *edited* and
  its hash recomputed.
Someone who rewrites the log and recomputes every hash after the change leaves a consistent chain:
the signed checkpoints catch that (a root that no longer matches), except after the last one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import models
from django.utils.translation import gettext_lazy as _

from .chain import CHAINED_FIELDS, GENESIS, entry_hash, merkle_root
from .models import AuditCheckpoint, AuditEntry
from .signing import SigningKeys, fingerprint, signing_keys

Row = dict[str, Any]
ROW_FIELDS = ("pk", *CHAINED_FIELDS, "hash")
CHUNK = 2000


class Kind(models.TextChoices):
    EDITED = "edited", _("edited")
    DELETED = "deleted", _("deleted")
    INSERTED = "inserted", _("inserted")
    REORDERED = "reordered", _("reordered")
    CHECKPOINT = "checkpoint", _("bad checkpoint")


@dataclass(frozen=True)
class Problem:
    kind: Kind
    message: str
    seq: int | None = None  # the first bad entry, or the first missing one
    pk: int | None = None  # None when the entry is gone
    checkpoint: AuditCheckpoint | None = None


@dataclass(frozen=True)
class Verification:
    entries: int  # entries found intact
    checkpoints: int  # checkpoints whose signature and root match
    last_seq: int | None  # the last intact entry
    last_checkpoint: AuditCheckpoint | None  # the last intact checkpoint
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def unsigned(self) -> int:
        """Intact entries after the last intact checkpoint: chained, but no signature vouches for them."""
        signed_up_to = self.last_checkpoint.last_seq if self.last_checkpoint else 0
        return max(0, (self.last_seq or 0) - signed_up_to)


def _entry(row: Mapping[str, Any], kind: Kind, message: str) -> Problem:
    return Problem(kind=kind, message=message, seq=row["seq"], pk=row["pk"])


def _misplaced(row: Row, prev_seq: int) -> Problem | None:
    """The entry links to an entry that is still there, but not the one before it."""
    seq = row["seq"]
    ref = AuditEntry.objects.filter(hash=row["prev_hash"]).values_list("seq", flat=True).first()
    if ref is not None and ref > seq:
        return _entry(row, Kind.REORDERED, f"Entry #{seq} is out of order: it was written after entry #{ref}.")
    if ref is not None and ref < prev_seq:
        first = AuditEntry.objects.filter(seq__gt=ref).order_by("seq", "pk").values("pk", "seq").first() or row
        return _entry(
            first, Kind.INSERTED, f"Entry #{first['seq']} was inserted: #{seq} was written right after #{ref}."
        )
    return None


def _missing(prev_seq: int, row: Row) -> Problem:
    first, last = prev_seq + 1, row["seq"] - 1
    which = f"#{first}" if first == last else f"#{first} to #{last}"
    return Problem(kind=Kind.DELETED, message=f"Entries {which} are missing.", seq=first)


def _entry_problem(prev: Row | None, row: Row, following: Row | None) -> Problem | None:
    """None if the entry is intact and follows on from `prev`; otherwise the first explanation that
    fits, in the order of the module docstring."""
    prev_seq, prev_hash, seq = (prev["seq"] if prev else 0), (prev["hash"] if prev else GENESIS), row["seq"]
    linked, intact = row["prev_hash"] == prev_hash, entry_hash(row) == row["hash"]
    if linked and intact and seq == prev_seq + 1:
        return None
    if prev is not None and seq == prev_seq:
        return _entry(row, Kind.INSERTED, f"Two entries have number #{seq}: one was inserted.")
    if not linked and (problem := _misplaced(row, prev_seq)):
        return problem
    if following is not None and following["prev_hash"] == prev_hash:
        return _entry(row, Kind.INSERTED, f"Entry #{seq} was inserted: the next entry follows on from #{prev_seq}.")
    if seq != prev_seq + 1:
        return _missing(prev_seq, row)
    if linked:
        return _entry(row, Kind.EDITED, f"Entry #{seq} was changed after it was written.")
    if prev is None or not intact:
        return _entry(row, Kind.EDITED, f"Entry #{seq} was changed, its link to the entry before it too.")
    return _entry(
        prev, Kind.EDITED, f"Entry #{prev_seq} was changed and its hash recomputed: #{seq} followed another entry."
    )


def _checkpoint_problem(
    checkpoint: AuditCheckpoint, *, first_seq: int, previous_root: str, hashes: list[str], trusted: Mapping[str, bytes]
) -> Problem | None:
    def bad(message: str) -> Problem:
        return Problem(kind=Kind.CHECKPOINT, message=message, seq=checkpoint.first_seq, checkpoint=checkpoint)

    span = f"Checkpoint #{checkpoint.first_seq}–#{checkpoint.last_seq}"
    if checkpoint.first_seq != first_seq:
        return bad(f"{span} should start at #{first_seq}: a checkpoint was deleted or inserted.")
    try:
        public_key, signature = bytes.fromhex(checkpoint.public_key), bytes.fromhex(checkpoint.signature)
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, checkpoint.signed_message())
    except (ValueError, InvalidSignature):
        return bad(f"{span}: its signature is not valid; the checkpoint was forged or altered.")
    if trusted.get(checkpoint.key_id) != public_key:
        return bad(
            f"{span} was signed with a key ({checkpoint.key_id}, {fingerprint(public_key)}) that is not one of "
            "this installation's audit signing keys."
        )
    if merkle_root(previous_root=previous_root, hashes=hashes) != checkpoint.merkle_root:
        return bad(f"{span}: the entries no longer match the signed root; they were rewritten, hashes and all.")
    return None


def _with_next(rows: Iterator[Row]) -> Iterator[tuple[Row, Row | None]]:
    current = next(rows, None)
    while current is not None:
        following = next(rows, None)
        yield current, following
        current = following


def verify_chain(*, since: AuditCheckpoint | None = None, keys: SigningKeys | None = None) -> Verification:
    """Verify the whole log, or from the checkpoint `since` on, trusting what came before it (the
    control room's quick status). Checkpoints are read before entries, so a checkpoint made during
    the check never covers entries the check cannot see."""
    trusted = (keys or signing_keys()).trusted
    start = since.first_seq if since else 1
    pending = deque(AuditCheckpoint.objects.filter(first_seq__gte=start).order_by("first_seq"))
    entries = AuditEntry.objects.order_by("seq", "pk").values(*ROW_FIELDS)
    prev: Row | None = entries.filter(seq=start - 1).first()
    previous_root = GENESIS
    if since is not None:
        before = AuditCheckpoint.objects.filter(last_seq=start - 1).values_list("merkle_root", flat=True).first()
        previous_root = before or GENESIS
    checked = signed = 0
    last_good: AuditCheckpoint | None = None
    hashes: list[str] = []

    def result(problem: Problem | None) -> Verification:
        return Verification(checked, signed, prev["seq"] if prev else None, last_good, problem)

    if start > 1 and prev is None:
        return result(Problem(kind=Kind.DELETED, message=f"Entry #{start - 1} is missing.", seq=start - 1))
    for row, following in _with_next(entries.filter(seq__gte=start).iterator(chunk_size=CHUNK)):
        if problem := _entry_problem(prev, row, following):
            return result(problem)
        checked += 1
        prev = row
        if pending:  # the leaves of the next checkpoint; none are kept for the unsigned tail
            hashes.append(row["hash"])
        while pending and pending[0].last_seq <= row["seq"]:
            checkpoint = pending.popleft()
            first_seq = last_good.last_seq + 1 if last_good else start
            if problem := _checkpoint_problem(
                checkpoint, first_seq=first_seq, previous_root=previous_root, hashes=hashes, trusted=trusted
            ):
                return result(problem)
            signed += 1
            last_good, previous_root, hashes = checkpoint, checkpoint.merkle_root, []
    if pending:
        end = prev["seq"] if prev else 0
        return result(
            Problem(
                kind=Kind.DELETED,
                message=f"Checkpoint #{pending[0].first_seq}–#{pending[0].last_seq} covers entries up to "
                f"#{pending[0].last_seq}, but the log ends at #{end}: the last entries were deleted.",
                seq=end + 1,
                checkpoint=pending[0],
            )
        )
    return result(None)
