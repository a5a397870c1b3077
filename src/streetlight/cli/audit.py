"""Audit verbs: verify the hash-chained log, sign a checkpoint, rotate the signing key."""

from __future__ import annotations

import argparse
import os
import sys

from streetlight.cli.base import django_setup


def checkpoint_report() -> int:
    """Sign the entries written since the last checkpoint and say so; the timer runs this too.
    1 when the log no longer verifies or there is no key to sign with, so the timer's run fails
    visibly."""
    from streetlight.audit.services import AuditTampered, audit_checkpoint
    from streetlight.audit.signing import SigningKeyError

    try:
        checkpoint = audit_checkpoint()
    except AuditTampered as exc:
        print(
            f"Audit checkpoint refused, the log was tampered with: {exc} Run `streetlight audit verify`.",
            file=sys.stderr,
        )
        return 1
    except SigningKeyError as exc:
        print(f"Audit checkpoint refused: {exc}", file=sys.stderr)
        return 1
    if checkpoint is None:
        print("Audit log: no new entries to sign.")
    else:
        print(
            f"Audit checkpoint: entries #{checkpoint.first_seq}–#{checkpoint.last_seq} signed with key "
            f"{checkpoint.key_id}, root {checkpoint.merkle_root}."
        )
    return 0


def cmd_checkpoint(args: argparse.Namespace) -> int:
    django_setup()
    return checkpoint_report()


def cmd_verify(args: argparse.Namespace) -> int:
    """Walk the whole log; exit 1 naming the first bad entry or checkpoint."""
    django_setup()
    from streetlight.audit.verification import verify_chain

    result = verify_chain()
    print(f"Checked {result.entries} entries and {result.checkpoints} checkpoints.")
    if result.problem is not None:
        problem = result.problem
        where = f"entry #{problem.seq}" if problem.seq is not None else "the log"
        if problem.pk is not None:
            where += f" (row id {problem.pk})"
        print(f"TAMPERED: {where}, {problem.kind.value}. {problem.message}", file=sys.stderr)
        return 1
    last = result.last_checkpoint
    if last is None:
        print("The audit log is intact, but no checkpoint is signed yet: run `streetlight audit checkpoint`.")
    else:
        print(
            f"The audit log is intact. Last checkpoint: entries #{last.first_seq}–#{last.last_seq}, signed "
            f"{last.created_at:%Y-%m-%d %H:%M} UTC with key {last.key_id}."
        )
    if result.unsigned:
        print(f"{result.unsigned} newer entries are chained, not signed yet (the next `streetlight tick` signs them).")
    return 0


def cmd_rotate_key(args: argparse.Namespace) -> int:
    """A new signing key; the old ones stay trusted for the checkpoints they signed."""
    django_setup()
    from streetlight.audit import signing

    if os.environ.get(signing.ENV, "").strip():
        kid, lines = signing.rotated_lines()
        print(f"Keys come from {signing.ENV}: to make {kid} current, set it to this and restart the processes:")
        print(",".join(lines))
        return 0
    kid = signing.key_rotate()
    print(f"Audit signing key {kid} is now current in {signing.key_file()}; earlier keys only verify now.")
    print("Back the file up again, apart from the database, and restart the processes so they read it.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="the tamper-evident audit log: verify it, sign a checkpoint, rotate the key")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="check every entry and checkpoint; exit 1 naming the first bad one")
    verify.set_defaults(func=cmd_verify)
    checkpoint = actions.add_parser("checkpoint", help="sign the entries written since the last checkpoint")
    checkpoint.set_defaults(func=cmd_checkpoint)
    rotate = actions.add_parser("rotate-key", help="make a new signing key current; earlier keys only verify")
    rotate.set_defaults(func=cmd_rotate_key)
